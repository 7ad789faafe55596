"""Row rules (core/ingest/validate.py): reported with the cell's column, its value and what to check."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Engine

from core.ingest import import_bytes
from tests.factories import make_project_row, make_screening_row, make_staffing_row
from tests.test_ingest_corpus import filled_template, with_schools


@pytest.mark.parametrize(
    ("form", "row", "issue"),
    [
        (
            "staffing",
            make_staffing_row(counselors_pt=30000),
            (
                "errors",
                "兼职辅导员数",
                "staff_exceeds_students",
                "30000",
                "人数大于全日制学生总数（本专科生 + 研究生），请核对后重填",
            ),
        ),  # case: the second of four staff counts with the same rule: its own column and value
        (
            "screening",
            make_screening_row(target=4000, screened=4900),
            ("errors", "实测人数", "screened_exceeds_target", "4900", "实测人数大于应测人数，请核对"),
        ),  # case: the value of the rule's first column, not of the one it is compared with
        (
            "screening",
            make_screening_row(interviewed=350),
            (
                "warnings",
                "已约谈评估人数",
                "interviewed_exceeds_flagged",
                "350",
                "已约谈评估人数大于预警人数合计（高+中+一般关注），请确认是否包含非预警学生",
            ),
        ),  # case: a warning rule
        (
            "projects",
            make_project_row(start=dt.date(2025, 3, 1), due=dt.date(2024, 12, 31)),
            ("errors", "计划完成日期", "due_before_start", "2024-12-31", "计划完成日期早于立项日期，请核对"),
        ),  # case: a date, shown as the user wrote it
    ],
)
def test_a_row_rule_names_the_cell_its_value_and_what_to_check(
    engine: Engine, form: str, row: dict[str, Any], issue: tuple[str, str, str, str, str]
) -> None:
    with_schools(engine)
    kind, column, code, value, message = issue

    report = import_bytes(engine, form, filled_template(form, [row]), f"{form}.xlsx")

    found = [(item.row, item.column, item.code, item.value, item.message) for item in getattr(report, kind)]
    assert (2, column, code, value, message) in found

"""Row by row (core/ingest/validate.py): merged data cells filled and reported, total and
signature rows skipped, row rules reported with the cell's value."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Engine

from core.forms import STAFFING
from core.ingest import import_bytes
from core.ingest.codes import Reason
from tests.factories import make_project_row, make_screening_row, make_staffing_row
from tests.test_ingest_corpus import (
    SECOND_SCHOOL,
    filled_template,
    in_form_order,
    located,
    stored,
    with_schools,
    workbook_bytes,
)
from tests.test_read_xlsx import THIRD_SCHOOL, import_staffing, staffing_sheet, staffing_workbook


def test_a_year_merged_down_the_rows_reaches_every_row_and_is_reported(engine: Engine) -> None:
    rows = [
        in_form_order("staffing", make_staffing_row(code=school["code"], name=school["name"]))
        for school in ({"code": "4141010001", "name": "示例第一大学"}, SECOND_SCHOOL, THIRD_SCHOOL)
    ]
    for row in rows[1:]:
        row[STAFFING.keys.index("year")] = None
    workbook = staffing_workbook(rows)
    staffing_sheet(workbook).merge_cells("C2:C4")

    report = import_staffing(engine, workbook_bytes(workbook))

    assert report.accepted, report.to_text()
    assert [row["year"] for row in stored(engine, "staffing")] == ["2024-2025"] * 3
    assert (2, "学年", Reason.MERGED_CELLS_FILLED) in located(report, "normalizations")


def test_a_signature_line_across_three_cells_and_a_dated_footer_are_skipped(engine: Engine) -> None:
    rows = [
        in_form_order("staffing", make_staffing_row()),
        ["合计", None, None, 18000, 2000, 100, 10, 60, 6],
        ["填表人：张三", None, "审核人：李四", None, "联系电话：0371-12345678"],
        ["填报日期：2025年3月10日"],
    ]

    report = import_staffing(engine, workbook_bytes(staffing_workbook(rows)))

    assert report.accepted, report.to_text()
    assert len(stored(engine, "staffing")) == 1
    skipped = [row for row, _column, code in located(report, "normalizations") if code == Reason.TOTAL_ROW]
    assert skipped == [3, 4, 5]


@pytest.mark.parametrize("label", ["全省合计", "本表合计", "合 计", "总计：", "全省高校小计（3所）"])
def test_total_rows_with_a_prefix_are_skipped(engine: Engine, label: str) -> None:
    rows = [in_form_order("staffing", make_staffing_row()), [label, None, "2024-2025", 18000, 2000, 100]]

    report = import_staffing(engine, workbook_bytes(staffing_workbook(rows)))

    assert report.accepted, report.to_text()
    assert (3, None, Reason.TOTAL_ROW) in located(report, "normalizations")


def test_a_merged_year_is_not_given_to_spare_empty_rows(engine: Engine) -> None:
    rows = [in_form_order("staffing", make_staffing_row()), [], [], []]
    workbook = staffing_workbook(rows)
    staffing_sheet(workbook).merge_cells("C2:C5")
    staffing_sheet(workbook)["A7"] = "填表人：张三"

    report = import_staffing(engine, workbook_bytes(workbook))

    assert report.accepted, report.to_text()
    assert report.rows == 1


def test_a_merged_range_below_the_last_row_is_harmless(engine: Engine) -> None:
    workbook = staffing_workbook([in_form_order("staffing", make_staffing_row())])
    staffing_sheet(workbook).merge_cells("A20:A22")

    report = import_staffing(engine, workbook_bytes(workbook))

    assert report.accepted, report.to_text()


def test_a_side_note_merged_down_beside_the_header_does_not_hide_data_rows(engine: Engine) -> None:
    rows = [
        in_form_order("staffing", make_staffing_row(code=school["code"], name=school["name"], year=year))
        for school in ({"code": "4141010001", "name": "示例第一大学"}, SECOND_SCHOOL, THIRD_SCHOOL)
        for year in ("2023-2024", "2024-2025")
    ]
    workbook = staffing_workbook(rows)
    staffing_sheet(workbook)["K1"] = "填报说明：人数填写整数"
    staffing_sheet(workbook).merge_cells("K1:K10")

    report = import_staffing(engine, workbook_bytes(workbook))

    assert report.accepted, report.to_text()
    assert report.rows == 6 and len(stored(engine, "staffing")) == 6


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


def test_a_merged_data_cell_says_which_range_was_filled_and_with_what(engine: Engine) -> None:
    rows = [
        in_form_order("staffing", make_staffing_row(code=school["code"], name=school["name"]))
        for school in ({"code": "4141010001", "name": "示例第一大学"}, SECOND_SCHOOL, THIRD_SCHOOL)
    ]
    for row in rows[1:]:
        row[STAFFING.keys.index("year")] = None
    workbook = staffing_workbook([*rows, [], []])
    staffing_sheet(workbook).merge_cells("C2:C6")  # reaching two empty rows below the data

    report = import_staffing(engine, workbook_bytes(workbook))

    filled = [issue for issue in report.normalizations if issue.code == Reason.MERGED_CELLS_FILLED]
    assert [(issue.row, issue.column, issue.value, issue.message) for issue in filled] == [
        (2, "学年", "2024-2025", "C2:C4 是合并单元格，按“2024-2025”填入其中每一行")
    ]

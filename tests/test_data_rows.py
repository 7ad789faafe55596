"""Reading the data rows (core/ingest/data_rows.py): merged data cells filled and reported,
total and signature rows skipped."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from core.forms import STAFFING
from core.ingest.codes import Reason
from tests.factories import make_staffing_row
from tests.test_ingest_corpus import SECOND_SCHOOL, in_form_order, located, stored, workbook_bytes
from tests.test_read_xlsx import THIRD_SCHOOL, import_staffing, staffing_sheet, staffing_workbook

THREE_SCHOOLS = ({"code": "4141010001", "name": "示例第一大学"}, SECOND_SCHOOL, THIRD_SCHOOL)


def three_schools_with_the_year_in_the_first_row() -> list[list[Any]]:
    """Three schools' rows whose 学年 is written only in the first, as when it is merged down."""
    rows = [
        in_form_order("staffing", make_staffing_row(code=school["code"], name=school["name"]))
        for school in THREE_SCHOOLS
    ]
    for row in rows[1:]:
        row[STAFFING.keys.index("year")] = None
    return rows


def test_a_year_merged_down_the_rows_reaches_every_row_and_is_reported(engine: Engine) -> None:
    rows = three_schools_with_the_year_in_the_first_row()
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
        for school in THREE_SCHOOLS
        for year in ("2023-2024", "2024-2025")
    ]
    workbook = staffing_workbook(rows)
    staffing_sheet(workbook)["K1"] = "填报说明：人数填写整数"
    staffing_sheet(workbook).merge_cells("K1:K10")

    report = import_staffing(engine, workbook_bytes(workbook))

    assert report.accepted, report.to_text()
    assert report.rows == 6 and len(stored(engine, "staffing")) == 6


def test_a_merged_data_cell_says_which_range_was_filled_and_with_what(engine: Engine) -> None:
    rows = three_schools_with_the_year_in_the_first_row()
    workbook = staffing_workbook([*rows, [], []])
    staffing_sheet(workbook).merge_cells("C2:C6")  # reaching two empty rows below the data

    report = import_staffing(engine, workbook_bytes(workbook))

    filled = [issue for issue in report.normalizations if issue.code == Reason.MERGED_CELLS_FILLED]
    assert [(issue.row, issue.column, issue.value, issue.message) for issue in filled] == [
        (2, "学年", "2024-2025", "C2:C4 是合并单元格，按“2024-2025”填入其中每一行")
    ]

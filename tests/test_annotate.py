"""The annotated copy of a rejected file, and the report tables the upload page shows."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine

from core.annotate import (
    COMMENTED_CELLS,
    FILLS,
    ISSUE_SHEET,
    annotated_file_name,
    annotated_workbook,
    changes_frame,
    display_value,
    mapping_frame,
    problems_frame,
)
from core.forms import Severity
from core.ingest import institution_names
from core.ingest.parse import parse_file
from core.ingest.report import NORMALIZATION, CellChange, Issue, ParsedFile, Plan
from tests.factories import make_institution, store_rows

MAX_BYTES = 20 * 1024 * 1024
HEADERS = ["学校标识码", "学校名称", "学年", "全日制本专科生数", "全日制研究生数", "专职辅导员数"]


def staffing_workbook(rows: list[list[Any]], *, title: str = "2024-2025学年思政队伍配备情况") -> bytes:
    """A 队伍配备 sheet with a title row, the header on row 2 and data from row 3."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "队伍配备"
    sheet.append([title])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    notes = workbook.create_sheet("填表说明")
    notes["A1"] = "请按模板填写"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def parsed_with(*issues: Issue, sheet: str = "队伍配备") -> ParsedFile:
    return ParsedFile(
        form="staffing",
        file_name="队伍.xlsx",
        sha256="0" * 64,
        sheet=sheet,
        header_row=2,
        header_mapping={header: header for header in HEADERS},
        column_index={header: index for index, header in enumerate(HEADERS, start=1)},
        issues=list(issues),
    )


def error(
    row: int | None, column: str | None, message: str, value: str | None = None, sheet: str = "队伍配备"
) -> Issue:
    return Issue(Severity.ERROR, "bad", message, sheet=sheet, row=row, column=column, value=value)


def warning(row: int | None, column: str | None, message: str) -> Issue:
    return Issue(Severity.WARNING, "odd", message, sheet="队伍配备", row=row, column=column)


def open_copy(data: bytes):
    return load_workbook(io.BytesIO(data))


GOOD_ROW = ["4141010001", "示例第一大学", "2024-2025", 18000, 2000, 100]


def test_error_cell_is_filled_red_with_the_message_as_comment() -> None:
    data = staffing_workbook([GOOD_ROW, ["4141010002", "示例第二大学", "2024-2025", "很多", 0, 10]])
    parsed = parsed_with(error(4, "全日制本专科生数", "应为非负整数，请填写数字", value="很多"))

    copy = open_copy(annotated_workbook(data, "队伍.xlsx", parsed))

    cell = copy["队伍配备"]["D4"]
    assert cell.value == "很多"
    assert cell.fill.start_color.rgb == FILLS[Severity.ERROR].start_color.rgb
    assert "应为非负整数，请填写数字" in cell.comment.text
    untouched = copy["队伍配备"]["D3"]
    assert untouched.comment is None
    assert untouched.fill.fill_type is None


def test_every_bad_cell_is_filled_but_only_the_first_thousand_get_a_comment() -> None:
    rows = [["4141010002", "示例第二大学", "2024-2025", "很多", 0, 10]] * (COMMENTED_CELLS + 5)
    parsed = parsed_with(*(error(row, "全日制本专科生数", "应为非负整数") for row in range(3, len(rows) + 3)))

    sheet = open_copy(annotated_workbook(staffing_workbook(rows), "队伍.xlsx", parsed))["队伍配备"]

    cells = [sheet.cell(row=row, column=4) for row in range(3, len(rows) + 3)]
    assert all(cell.fill.start_color.rgb == FILLS[Severity.ERROR].start_color.rgb for cell in cells)
    assert sum(cell.comment is not None for cell in cells) == COMMENTED_CELLS


def test_warning_is_yellow_and_an_error_in_the_same_cell_wins_the_colour() -> None:
    data = staffing_workbook([GOOD_ROW, GOOD_ROW])
    parsed = parsed_with(
        warning(3, "学校名称", "学校名称与高校名录不一致"),
        warning(4, "学校名称", "学校名称与高校名录不一致"),
        error(4, "学校名称", "学校名称过长"),
    )

    sheet = open_copy(annotated_workbook(data, "队伍.xlsx", parsed))["队伍配备"]

    assert sheet["B3"].fill.start_color.rgb == FILLS[Severity.WARNING].start_color.rgb
    assert sheet["B4"].fill.start_color.rgb == FILLS[Severity.ERROR].start_color.rgb
    assert "学校名称过长" in sheet["B4"].comment.text
    assert "与高校名录不一致" in sheet["B4"].comment.text


def test_issue_sheet_lists_every_problem_including_those_without_a_cell() -> None:
    data = staffing_workbook([GOOD_ROW, GOOD_ROW])
    parsed = parsed_with(
        error(4, "学校标识码", "学校标识码在文件中重复", value="4141010001"),
        error(None, None, "文件中缺少必填列「专职辅导员数」"),
        warning(3, "学校名称", "学校名称与高校名录不一致"),
    )

    copy = open_copy(annotated_workbook(data, "队伍.xlsx", parsed))

    assert copy.sheetnames[0] == ISSUE_SHEET
    listed = list(copy[ISSUE_SHEET].iter_rows(values_only=True))
    assert listed == [
        ("类型", "行", "列", "单元格", "说明"),
        ("错误", None, None, None, "文件中缺少必填列「专职辅导员数」"),
        ("错误", 4, "学校标识码", "4141010001", "学校标识码在文件中重复"),
        ("警告", 3, "学校名称", None, "学校名称与高校名录不一致"),
    ]


def test_original_sheets_and_values_are_kept() -> None:
    data = staffing_workbook([GOOD_ROW])
    parsed = parsed_with(error(3, "专职辅导员数", "人数大于全日制学生总数"))

    copy = open_copy(annotated_workbook(data, "队伍.xlsx", parsed))

    assert set(copy.sheetnames) == {ISSUE_SHEET, "队伍配备", "填表说明"}
    assert copy["队伍配备"]["A1"].value == "2024-2025学年思政队伍配备情况"
    assert [cell.value for cell in copy["队伍配备"][3]] == GOOD_ROW


def test_text_that_looks_like_a_formula_stays_text_in_the_issue_sheet() -> None:
    data = staffing_workbook([GOOD_ROW])
    parsed = parsed_with(error(3, "学校名称", "学校名称不能以等号开头", value="=HYPERLINK(1)"))

    copy = open_copy(annotated_workbook(data, "队伍.xlsx", parsed))

    cell = copy[ISSUE_SHEET]["D2"]
    assert cell.value == "=HYPERLINK(1)"
    assert cell.data_type == "s"


def test_csv_input_becomes_an_xlsx_with_the_cell_marked() -> None:
    text = ",".join(HEADERS) + "\n" + "4141010001,示例第一大学,2024-2025,abc,2000,100\n"
    parsed = parsed_with(error(2, "全日制本专科生数", "应为非负整数", sheet="队伍[河南]"), sheet="队伍[河南]")
    parsed.header_row = 1

    copy = open_copy(annotated_workbook(text.encode("gb18030"), "队伍[河南].csv", parsed))

    sheet = copy["队伍_河南_"]  # the file's name, made a valid sheet title
    assert sheet["A2"].value == "4141010001"
    assert sheet["D2"].value == "abc"
    assert sheet["D2"].fill.start_color.rgb == FILLS[Severity.ERROR].start_color.rgb
    assert "应为非负整数" in sheet["D2"].comment.text
    assert copy.sheetnames[0] == ISSUE_SHEET


def test_xls_input_becomes_an_xlsx_with_the_cell_marked() -> None:
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("队伍配备")
    for column, header in enumerate(HEADERS):
        sheet.write(1, column, header)
    for column, value in enumerate(["4141010001", "示例第一大学", "2024-2025", 18000, 2000, -3]):
        sheet.write(2, column, value)
    output = io.BytesIO()
    book.save(output)
    parsed = parsed_with(error(3, "专职辅导员数", "人数不能为负数"))

    copy = open_copy(annotated_workbook(output.getvalue(), "队伍.xls", parsed))

    cell = copy["队伍配备"]["F3"]
    assert cell.value == -3
    assert cell.fill.start_color.rgb == FILLS[Severity.ERROR].start_color.rgb
    assert "人数不能为负数" in cell.comment.text


def test_unreadable_input_still_gives_the_issue_list() -> None:
    parsed = parsed_with(error(None, None, "文件不是电子表格"), sheet=None)

    copy = open_copy(annotated_workbook(b"%PDF-1.7", "report.xlsx", parsed))

    assert copy.sheetnames == [ISSUE_SHEET]
    assert copy[ISSUE_SHEET]["E2"].value == "文件不是电子表格"


def test_a_file_rejected_by_the_real_pipeline_is_marked_where_its_errors_are(engine: Engine) -> None:
    store_rows(engine, "institutions", [make_institution()])
    data = staffing_workbook([GOOD_ROW, ["4141010001", "示例第一大学", "2024-2025", "很多", 0, 10]])
    registry = institution_names(engine)
    parsed = parse_file("staffing", data, "队伍.xlsx", institutions=registry, max_bytes=MAX_BYTES)
    assert not parsed.accepted

    copy = open_copy(annotated_workbook(data, "队伍.xlsx", parsed))

    bad_cell = copy["队伍配备"]["D4"]
    assert bad_cell.fill.start_color.rgb == FILLS[Severity.ERROR].start_color.rgb
    assert parsed.errors[0].message in bad_cell.comment.text
    listed = [row for row in copy[ISSUE_SHEET].iter_rows(min_row=2, values_only=True) if row[0] == "错误"]
    assert (4, "全日制本专科生数", "很多") in [row[1:4] for row in listed]


def test_problems_table_lists_errors_first_then_warnings_each_in_reading_order() -> None:
    parsed = parsed_with(
        warning(2, "学校名称", "名称不一致"),
        error(3, "专职辅导员数", "人数过多"),
        Issue(NORMALIZATION, "province", "河南 → 河南省", row=3, column="学校名称"),
        error(3, "学校标识码", "标识码应为 10 位数字", value="123"),
    )

    frame = problems_frame(parsed)

    assert frame.to_dict("records") == [
        {"类型": "错误", "行": 3, "列": "学校标识码", "单元格": "123", "说明": "标识码应为 10 位数字"},
        {"类型": "错误", "行": 3, "列": "专职辅导员数", "单元格": "", "说明": "人数过多"},
        {"类型": "警告", "行": 2, "列": "学校名称", "单元格": "", "说明": "名称不一致"},
    ]


def test_mapping_table_shows_the_file_header_its_column_and_the_canonical_header() -> None:
    parsed = parsed_with()
    parsed.header_mapping = {"专职辅导员（人）": "专职辅导员数"}
    parsed.column_index = {"专职辅导员数": 6}

    assert mapping_frame(parsed).to_dict("records") == [
        {"文件列": "F", "文件中的列名": "专职辅导员（人）", "标准列名": "专职辅导员数"}
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "—"),  # case: never reported
        ("", "—"),  # case: empty text
        (12.0, "12"),  # case: whole float without .0
        (85.5, "85.5"),  # case: fractional percent kept
        (dt.date(2025, 6, 30), "2025-06-30"),  # case: date in the house format
        ("河南省", "河南省"),  # case: text as it is
    ],
)
def test_display_value(value: Any, shown: str) -> None:
    assert display_value(value) == shown


def test_changes_table_names_the_record_and_old_and_new_values() -> None:
    plan = Plan(updated=1, changes=[CellChange(("4141010001", "2024-2025"), "专职辅导员数", 90, 100)])

    assert changes_frame(plan).to_dict("records") == [
        {"记录": "4141010001 / 2024-2025", "列": "专职辅导员数", "原值": "90", "新值": "100"}
    ]


def test_annotated_file_name_is_an_xlsx_named_after_the_upload() -> None:
    assert annotated_file_name("河南 队伍配备.xls") == "河南 队伍配备_错误标注.xlsx"

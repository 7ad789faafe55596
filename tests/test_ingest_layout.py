"""Workbook layouts offices send: which sheet is read, and where the header ends and the data begins.

Example sheets (填报示例) are never data; a second sheet full of data is never dropped
silently; an empty template sheet named like the form gives way to the sheet with the
data; a merged group cell over short sub-headers (辅导员（人） over 专职 | 兼职) is read as
two columns; a 栏次 or units row under the header is skipped, not read as a data row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine

from core.forms import Severity, get_form
from core.ingest import ImportReport, import_bytes
from core.ingest.codes import Reason
from tests.factories import make_screening_row, make_staffing_row
from tests.test_ingest_corpus import (
    SECOND_SCHOOL,
    filled_template,
    in_form_order,
    located,
    stored,
    with_schools,
    workbook_bytes,
)

STAFF_HEADERS = list(get_form("staffing").headers.values())
REAL = make_staffing_row()
LATER = make_staffing_row(year="2025-2026", undergrad=18500)
EXAMPLE = make_staffing_row(undergrad=99999, year="2023-2024")


def sheet_with(
    workbook: Workbook, name: str, rows: Iterable[Mapping[str, Any]], form: str = "staffing"
) -> None:
    """A sheet holding the form's canonical header and ``rows`` (dicts by field key)."""
    sheet = workbook.create_sheet(name)
    sheet.append(list(get_form(form).headers.values()))
    for row in rows:
        sheet.append(in_form_order(form, row))


def workbook_of(sheets: Mapping[str, Iterable[Mapping[str, Any]]]) -> bytes:
    """A staffing workbook with one sheet per entry, in order (header plus rows each)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet_with(workbook, name, rows)
    return workbook_bytes(workbook)


def one_sheet(title: str = "队伍配备") -> tuple[Workbook, Worksheet]:
    """A new workbook whose only sheet is called ``title``, to lay out by hand."""
    workbook = Workbook()
    workbook.active.title = title
    return workbook, workbook.active


def combined_at(report: ImportReport) -> list[tuple[int | None, str | None]]:
    """(row, column) of each header read as sub-header + group."""
    return [
        (row, column)
        for row, column, code in located(report, "normalizations")
        if code == Reason.HEADER_COMBINED
    ]


def notes(report: ImportReport, code: str) -> list[str]:
    return [issue.message for issue in report.normalizations if issue.code == code]


def codes(issues: Iterable[Any]) -> set[str]:
    return {issue.code for issue in issues}


# --- A1: example sheets are not data ---------------------------------------------------------


def test_example_sheet_before_the_data_is_skipped_and_reported(engine: Engine) -> None:
    with_schools(engine)
    data = workbook_of({"填报示例": [EXAMPLE, make_staffing_row(undergrad=99999)], "Sheet1": [REAL]})

    report = import_bytes(engine, "staffing", data, "队伍配备.xlsx")

    assert report.accepted, report.to_text()
    assert report.parsed.sheet == "Sheet1"
    assert stored(engine, "staffing") == [REAL]
    assert notes(report, Reason.EXAMPLE_SHEET_IGNORED) == ["工作表“填报示例”是填报示例，其中的内容不导入"]
    assert report.warnings == []


@pytest.mark.parametrize(
    "name",
    [
        "示例",  # case: 示例
        "填报示例（勿删）",  # case: 填报示例 with a remark
        "样表",  # case: 样表
        "样例",  # case: 样例
        "范例",  # case: 范例
        "例表",  # case: 例表
        "Sample",  # case: English, capitalised
        "example sheet",  # case: English with a space
    ],
)
def test_every_example_name_is_skipped(engine: Engine, name: str) -> None:
    with_schools(engine)
    data = workbook_of({name: [EXAMPLE], "数据": [REAL]})

    report = import_bytes(engine, "staffing", data, "file.xlsx")

    assert report.accepted, report.to_text()
    assert stored(engine, "staffing") == [REAL]
    assert notes(report, Reason.EXAMPLE_SHEET_IGNORED) == [f"工作表“{name}”是填报示例，其中的内容不导入"]


@pytest.mark.parametrize(
    "name",
    [
        "师生比例表",  # case: 比例表 is a ratio table, not 例表
        "抽样表",  # case: 抽样表 is a sample survey, not 样表
    ],
)
def test_names_that_only_contain_an_example_marker_are_data(engine: Engine, name: str) -> None:
    with_schools(engine)

    report = import_bytes(engine, "staffing", workbook_of({name: [REAL]}), "file.xlsx")

    assert report.accepted, report.to_text()
    assert report.parsed.sheet == name
    assert notes(report, Reason.EXAMPLE_SHEET_IGNORED) == []


def test_form_recognised_from_headers_skips_the_example_too(engine: Engine) -> None:
    with_schools(engine)
    data = workbook_of({"填报示例": [EXAMPLE], "Sheet1": [REAL]})

    report = import_bytes(engine, None, data, "file.xlsx")

    assert (report.form, report.parsed.sheet, report.accepted) == ("staffing", "Sheet1", True)
    assert stored(engine, "staffing") == [REAL]


def test_header_only_in_an_example_sheet_is_refused_naming_it(engine: Engine) -> None:
    with_schools(engine)

    report = import_bytes(engine, "staffing", workbook_of({"样表": [REAL]}), "file.xlsx")

    assert located(report) == [(None, None, Reason.NO_HEADER)]
    assert "示例工作表“样表”" in report.errors[0].message
    assert "改名" in report.errors[0].message
    assert stored(engine, "staffing") == []


def test_a_csv_named_like_an_example_is_still_read(engine: Engine) -> None:
    """A CSV's only 'sheet' takes the file's name; the user did not call a sheet 示例."""
    with_schools(engine)
    lines = [",".join(STAFF_HEADERS), ",".join(str(value) for value in in_form_order("staffing", REAL))]

    report = import_bytes(engine, "staffing", "\r\n".join(lines).encode("utf-8-sig"), "填报示例.csv")

    assert report.accepted, report.to_text()
    assert stored(engine, "staffing") == [REAL]


def test_of_two_sheets_that_tie_the_one_with_data_is_read(engine: Engine) -> None:
    """An empty copy of the template first and the filled sheet second: the header scores tie."""
    with_schools(engine)

    report = import_bytes(engine, "staffing", workbook_of({"Sheet1": [], "Sheet2": [REAL]}), "file.xlsx")

    assert report.accepted, report.to_text()
    assert report.parsed.sheet == "Sheet2"
    assert stored(engine, "staffing") == [REAL]
    assert report.warnings == []


# --- A5 and B6: other sheets with data ---------------------------------------------------------


def test_a_second_sheet_with_data_is_a_warning_naming_it_and_its_rows(engine: Engine) -> None:
    with_schools(engine, SECOND_SCHOOL)
    second = make_staffing_row(code="4141010002", name="示例第二大学", year="2025-2026")
    data = workbook_of({"2024-2025": [REAL], "2025-2026": [LATER, second]})

    report = import_bytes(engine, "staffing", data, "两个学年.xlsx")

    assert report.accepted, report.to_text()
    assert stored(engine, "staffing") == [REAL]
    assert [(issue.severity, issue.code, issue.row, issue.column) for issue in report.warnings] == [
        (Severity.WARNING, Reason.OTHER_DATA_SHEET, None, None)
    ]
    assert report.warnings[0].message == (
        "工作表“2025-2026”也有「思政队伍配备情况表」的表头和 2 行数据，本次未导入（只导入了工作表“2024-2025”）；"
        "请把它单独上传，或把数据合并到一个工作表后再上传"
    )


def test_the_named_sheet_with_data_is_read_and_the_other_one_reported(engine: Engine) -> None:
    with_schools(engine)

    report = import_bytes(engine, "staffing", workbook_of({"Sheet1": [LATER], "队伍配备": [REAL]}), "f.xlsx")

    assert report.accepted, report.to_text()
    assert report.parsed.sheet == "队伍配备"
    assert stored(engine, "staffing") == [REAL]
    assert located(report, "warnings") == [(None, None, Reason.OTHER_DATA_SHEET)]
    assert "工作表“Sheet1”也有「思政队伍配备情况表」的表头和 1 行数据" in report.warnings[0].message
    assert notes(report, Reason.SHEET_CHOSEN) == []


def test_sheets_without_data_hidden_or_of_another_form_are_not_reported(engine: Engine) -> None:
    with_schools(engine)
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet_with(workbook, "队伍配备", [REAL])
    sheet_with(workbook, "空模板", [])
    sheet_with(workbook, "旧数据", [LATER])
    workbook["旧数据"].sheet_state = "hidden"
    sheet_with(workbook, "心理筛查", [make_screening_row()], form="screening")

    report = import_bytes(engine, "staffing", workbook_bytes(workbook), "f.xlsx")

    assert report.accepted, report.to_text()
    assert report.warnings == []
    assert stored(engine, "staffing") == [REAL]


def test_an_empty_template_named_like_the_form_gives_way_to_the_sheet_with_data(engine: Engine) -> None:
    with_schools(engine, SECOND_SCHOOL)
    second = make_staffing_row(code="4141010002", name="示例第二大学")

    report = import_bytes(
        engine, "staffing", workbook_of({"队伍配备": [], "Sheet2": [REAL, second]}), "f.xlsx"
    )

    assert report.accepted, report.to_text()
    assert report.parsed.sheet == "Sheet2"
    assert report.parsed.row_numbers == [2, 3]
    assert stored(engine, "staffing") == [REAL, second]
    assert notes(report, Reason.SHEET_CHOSEN) == [
        "工作表“队伍配备”只有表头、没有数据行，改用有数据的工作表“Sheet2”"
    ]
    assert report.warnings == []


def test_a_template_alone_is_still_refused_for_having_no_data(engine: Engine) -> None:
    with_schools(engine)

    report = import_bytes(engine, "staffing", workbook_of({"队伍配备": [], "说明": [REAL]}), "f.xlsx")

    assert located(report) == [(None, None, Reason.NO_DATA)]


def test_an_empty_template_does_not_give_way_to_another_forms_sheet(engine: Engine) -> None:
    """A 心理筛查 sheet shares 学校标识码/学校名称/学年 with 队伍配备 but is not its data."""
    with_schools(engine)
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet_with(workbook, "队伍配备", [])
    sheet_with(workbook, "心理筛查", [make_screening_row()], form="screening")

    report = import_bytes(engine, "staffing", workbook_bytes(workbook), "f.xlsx")

    assert report.parsed.sheet == "队伍配备"
    assert located(report) == [(None, None, Reason.NO_DATA)]
    assert report.warnings == []


def test_a_sheet_named_like_the_form_without_its_header_is_explained(engine: Engine) -> None:
    with_schools(engine)
    workbook = Workbook()
    workbook.active.title = "队伍配备"
    workbook.active.append(["这里是封面"])
    sheet_with(workbook, "Sheet2", [REAL])

    report = import_bytes(engine, "staffing", workbook_bytes(workbook), "f.xlsx")

    assert report.accepted, report.to_text()
    assert notes(report, Reason.SHEET_CHOSEN) == [
        "工作表“队伍配备”中找不到本表的表头，按表头使用工作表“Sheet2”"
    ]


# --- D2: a CSV has no sheets ------------------------------------------------------------------


def test_a_csv_gets_no_note_about_a_missing_sheet(engine: Engine) -> None:
    with_schools(engine)
    lines = [",".join(STAFF_HEADERS), ",".join(str(value) for value in in_form_order("staffing", REAL))]

    report = import_bytes(engine, "staffing", "\r\n".join(lines).encode("gbk"), "河南省2024年报.csv")

    assert report.accepted, report.to_text()
    assert report.normalizations == []


def test_a_workbook_sheet_not_named_like_the_form_is_still_noted(engine: Engine) -> None:
    with_schools(engine)

    report = import_bytes(engine, "staffing", workbook_of({"2024年报表": [REAL]}), "f.xlsx")

    assert notes(report, Reason.SHEET_CHOSEN) == [
        "未找到名为“队伍配备”的工作表，按表头使用工作表“2024年报表”"
    ]


# --- B3 and D4: a merged group cell over short sub-headers -------------------------------------


def two_row_header(
    sheet: Worksheet, upper: list[Any], lower: list[Any], groups: Iterable[str], first_row: int = 1
) -> None:
    """``upper`` over ``lower`` from ``first_row``: ``groups`` (e.g. 'F3:G3') merged across, every
    column whose lower cell is empty merged down over both rows, as offices lay such headers out."""
    sheet.append(upper)
    sheet.append(lower)
    for column, cell in enumerate(lower, start=1):
        if cell is None and upper[column - 1] is not None:
            sheet.merge_cells(
                start_row=first_row, start_column=column, end_row=first_row + 1, end_column=column
            )
    for cells in groups:
        sheet.merge_cells(cells)


def counselor_group_workbook(extra_rows: Iterable[list[Any]] = ()) -> Workbook:
    """QA's S03: a title and a 填报单位 line, then 辅导员（人） merged over F3:G3 with 专职 | 兼职 below."""
    workbook, sheet = one_sheet()
    sheet.append(["2024-2025学年思政队伍配备情况表"])
    sheet.merge_cells("A1:I1")
    sheet.append(["填报单位：河南省教育厅"])
    upper = [*STAFF_HEADERS[:5], "辅导员（人）", None, *STAFF_HEADERS[7:]]
    two_row_header(sheet, upper, [None] * 5 + ["专职", "兼职", None, None], ["F3:G3"], first_row=3)
    for row in extra_rows:
        sheet.append(row)
    return workbook


def test_group_over_short_sub_headers_reads_both_columns(engine: Engine) -> None:
    with_schools(engine, SECOND_SCHOOL)
    second = make_staffing_row(code="4141010002", name="示例第二大学", counselors_ft=70, counselors_pt=0)
    workbook = counselor_group_workbook([in_form_order("staffing", row) for row in (REAL, second)])

    report = import_bytes(engine, "staffing", workbook_bytes(workbook), "队伍配备.xlsx")

    assert report.accepted, report.to_text()
    assert (report.parsed.header_row, report.parsed.row_numbers) == (4, [5, 6])
    assert stored(engine, "staffing") == [REAL, second]
    assert combined_at(report) == [
        (4, "专职辅导员数"),
        (4, "兼职辅导员数"),
    ]
    assert notes(report, Reason.HEADER_COMBINED) == [
        "F 列表头“辅导员（人）”与其下的“专职”合起来识别为“专职辅导员数”",
        "G 列表头“辅导员（人）”与其下的“兼职”合起来识别为“兼职辅导员数”",
    ]
    assert Reason.EMPTY_ROWS not in codes(report.normalizations)
    assert Reason.COLUMN_IGNORED not in codes(report.normalizations)


def test_group_in_front_of_its_sub_headers_is_read_too(engine: Engine) -> None:
    """专职 merged over 辅导员数 | 思政课教师数: the group comes first in the full name."""
    with_schools(engine)
    workbook, sheet = one_sheet()
    upper = [*STAFF_HEADERS[:5], "专职", None, "兼职辅导员数", "专职心理健康教育教师数"]
    two_row_header(sheet, upper, [None] * 5 + ["辅导员数", "思政课教师数", None, None], ["F1:G1"])
    values = in_form_order("staffing", REAL)
    sheet.append(
        [*values[:5], REAL["counselors_ft"], REAL["ideo_teachers"], REAL["counselors_pt"], values[8]]
    )

    report = import_bytes(engine, "staffing", workbook_bytes(workbook), "队伍配备.xlsx")

    assert report.accepted, report.to_text()
    assert stored(engine, "staffing") == [REAL]
    assert notes(report, Reason.HEADER_COMBINED) == [
        "F 列表头“专职”与其下的“辅导员数”合起来识别为“专职辅导员数”",
        "G 列表头“专职”与其下的“思政课教师数”合起来识别为“专职思政课教师数”",
    ]


def test_warning_levels_under_a_merged_group_are_read(engine: Engine) -> None:
    """QA's C04: 预警人数（人） merged over 一级 | 二级 | 三级."""
    with_schools(engine)
    headers = list(get_form("screening").headers.values())
    workbook, sheet = one_sheet("心理筛查")
    upper = [*headers[:7], "预警人数（人）", None, None, *headers[10:]]
    two_row_header(sheet, upper, [None] * 7 + ["一级", "二级", "三级"] + [None] * 3, ["H1:J1"])
    sheet.append(in_form_order("screening", make_screening_row()))

    report = import_bytes(engine, "screening", workbook_bytes(workbook), "心理筛查.xlsx")

    assert report.accepted, report.to_text()
    assert (report.parsed.header_row, report.parsed.row_numbers) == (2, [3])
    assert stored(engine, "screening") == [make_screening_row()]
    assert combined_at(report) == [
        (2, "高风险人数"),
        (2, "中风险人数"),
        (2, "一般关注人数"),
    ]
    assert Reason.EMPTY_ROWS not in codes(report.normalizations)


def test_sub_header_row_that_cannot_be_read_is_not_called_an_empty_row(engine: Engine) -> None:
    """在校生（人） over 本专科 | 硕博 names no field: the columns are missing, but row 2 is header."""
    with_schools(engine)
    workbook, sheet = one_sheet()
    upper = [*STAFF_HEADERS[:3], "在校生（人）", None, *STAFF_HEADERS[5:]]
    two_row_header(sheet, upper, [None] * 3 + ["本专科", "硕博"] + [None] * 4, ["D1:E1"])
    sheet.append(in_form_order("staffing", REAL))

    report = import_bytes(engine, "staffing", workbook_bytes(workbook), "队伍配备.xlsx")

    assert located(report) == [
        (None, "全日制本专科生数", Reason.MISSING_HEADER),
        (None, "全日制研究生数", Reason.MISSING_HEADER),
    ]
    assert Reason.EMPTY_ROWS not in codes(report.normalizations)
    assert report.parsed.row_numbers == [3]


# --- B4: 栏次 and units rows under the header -----------------------------------------------------


@pytest.mark.parametrize(
    ("label_row", "message"),
    [
        (
            ["甲", "乙", "丙", 1, 2, 3, 4, 5, 6],
            "第 2 行为栏次行（甲、乙、丙… / 1、2、3…），不是数据，已跳过",
        ),  # case: 教育统计报表
        (
            [1, 2, 3, 4, 5, 6, 7, 8, 9],
            "第 2 行为栏次行（甲、乙、丙… / 1、2、3…），不是数据，已跳过",
        ),  # case: numbers only
        (
            ["甲", "乙", "丙", "（1）", "（2）", "（3）"],
            "第 2 行为栏次行（甲、乙、丙… / 1、2、3…），不是数据，已跳过",
        ),  # case: bracketed
        (
            [None, None, None, "（人）", "（人）", "（人）", "（人）", "（人）", "（人）"],
            "第 2 行为计量单位行（如“（人）”），不是数据，已跳过",
        ),  # case: QA's S29
        (
            ["单位：人", None, None, "人", "人", "人", "人", "人", "人"],
            "第 2 行为计量单位行（如“（人）”），不是数据，已跳过",
        ),  # case: 单位：人 and 人
    ],
)
def test_a_column_number_or_units_row_under_the_header_is_skipped(
    engine: Engine, label_row: list[Any], message: str
) -> None:
    with_schools(engine)
    workbook, sheet = one_sheet()
    sheet.append(STAFF_HEADERS)
    sheet.append(label_row)
    sheet.append(in_form_order("staffing", REAL))
    sheet.append(in_form_order("staffing", LATER))

    report = import_bytes(engine, "staffing", workbook_bytes(workbook), "队伍配备.xlsx")

    assert report.accepted, report.to_text()
    assert report.parsed.row_numbers == [3, 4]
    assert stored(engine, "staffing") == [REAL, LATER]
    assert [(row, code) for row, _column, code in located(report, "normalizations")] == [
        (2, Reason.COLUMN_NUMBER_ROW)
    ]
    assert notes(report, Reason.COLUMN_NUMBER_ROW) == [message]


def test_units_row_under_a_two_row_header_and_csv_column_numbers(engine: Engine) -> None:
    with_schools(engine)
    workbook = counselor_group_workbook(
        [["甲", "乙", "丙", 1, 2, 3, 4, 5, 6], in_form_order("staffing", REAL)]
    )

    report = import_bytes(engine, "staffing", workbook_bytes(workbook), "队伍配备.xlsx")

    assert report.accepted, report.to_text()
    assert report.parsed.row_numbers == [6]
    assert (5, None, Reason.COLUMN_NUMBER_ROW) in located(report, "normalizations")

    csv_lines = [
        ",".join(STAFF_HEADERS),
        "甲,乙,丙,1,2,3,4,5,6",
        ",".join(str(v) for v in in_form_order("staffing", LATER)),
    ]
    report = import_bytes(engine, "staffing", "\r\n".join(csv_lines).encode("utf-8"), "队伍配备.csv")

    assert report.accepted, report.to_text()
    assert report.parsed.row_numbers == [3]
    assert located(report, "normalizations") == [(2, None, Reason.COLUMN_NUMBER_ROW)]


def test_a_data_row_of_consecutive_numbers_is_still_data(engine: Engine) -> None:
    """Its code (ten digits) and year break any 栏次 sequence: it is read, and its errors shown."""
    with_schools(engine)
    row = make_staffing_row(
        undergrad=1, postgrad=2, counselors_ft=3, counselors_pt=4, ideo_teachers=5, psy_teachers=6
    )

    report = import_bytes(engine, "staffing", filled_template("staffing", [row]), "队伍配备.xlsx")

    assert report.parsed.row_numbers == [2]
    assert Reason.COLUMN_NUMBER_ROW not in codes(report.normalizations)
    assert {(2, "兼职辅导员数"), (2, "专职思政课教师数"), (2, "专职心理健康教育教师数")} == {
        (row_number, column) for row_number, column, _code in located(report)
    }


def test_a_units_line_far_from_the_header_is_not_skipped(engine: Engine) -> None:
    """Only the rows right under the header are labels; a stray units line later is an error row."""
    with_schools(engine)
    units = [None, None, None, "（人）", None, None, None, None, None]
    workbook, sheet = one_sheet()
    sheet.append(STAFF_HEADERS)
    sheet.append(in_form_order("staffing", LATER))
    sheet.append(units)

    report = import_bytes(engine, "staffing", workbook_bytes(workbook), "队伍配备.xlsx")

    assert (3, "全日制本专科生数", Reason.NOT_A_NUMBER) in located(report)


# --- round three: repeated headers, merged header cells, several forms, CSV separators ----------


def _staffing(engine: Engine, data: bytes, name: str = "队伍配备.xlsx", form: str | None = "staffing"):
    with_schools(engine, SECOND_SCHOOL)
    return import_bytes(engine, form, data, name)


def test_a_header_repeated_inside_the_data_and_a_continued_title_are_skipped(engine: Engine) -> None:
    """Print layouts repeat the title (（续）) and the header on every page."""
    workbook, sheet = one_sheet()
    sheet.append(STAFF_HEADERS)
    sheet.append(in_form_order("staffing", REAL))
    sheet.append(["2024-2025学年思政队伍配备情况表（续）"])
    sheet.append(STAFF_HEADERS)
    sheet.append(
        in_form_order("staffing", make_staffing_row(code=SECOND_SCHOOL["code"], name=SECOND_SCHOOL["name"]))
    )

    report = _staffing(engine, workbook_bytes(workbook))

    assert report.accepted, report.to_text()
    assert report.parsed.row_numbers == [2, 5]
    skipped = [row for row, _column, code in located(report, "normalizations") if code == Reason.TOTAL_ROW]
    assert skipped == [3, 4]


def test_a_header_cell_merged_over_two_columns_and_both_header_rows_is_one_column(engine: Engine) -> None:
    workbook, sheet = one_sheet()
    upper = ["学校标识码", "学校名称", None, "学年", "学生数（人）", None, *STAFF_HEADERS[5:]]
    lower = [None, None, None, None, "全日制本专科生数", "全日制研究生数"]
    sheet.append(upper)
    sheet.append(lower)
    for merged in ("A1:A2", "B1:C2", "D1:D2", "E1:F1", "G1:G2", "H1:H2", "I1:I2", "J1:J2"):
        sheet.merge_cells(merged)
    values = in_form_order("staffing", REAL)
    sheet.append([values[0], values[1], None, *values[2:]])

    report = _staffing(engine, workbook_bytes(workbook))

    assert report.accepted, report.to_text()
    assert stored(engine, "staffing") == [REAL]


def test_recognised_automatically_the_sheet_with_data_wins_and_other_forms_data_is_a_warning(
    engine: Engine,
) -> None:
    """A combined template: every form's sheet; 队伍配备 and 心理筛查 filled, 项目进度 empty."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet_with(workbook, "高校名录", [], form="institutions")
    sheet_with(workbook, "队伍配备", [REAL])
    sheet_with(workbook, "心理筛查", [make_screening_row()], form="screening")
    sheet_with(workbook, "项目进度", [], form="projects")

    report = _staffing(engine, workbook_bytes(workbook), form=None)

    assert report.accepted, report.to_text()
    assert report.form in ("staffing", "screening")
    other = "心理筛查" if report.form == "staffing" else "队伍配备"
    assert [issue.code for issue in report.warnings] == [Reason.OTHER_DATA_SHEET]
    assert f"工作表“{other}”" in report.warnings[0].message


def test_recognised_automatically_an_empty_form_with_more_columns_does_not_win(engine: Engine) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet_with(workbook, "心理筛查", [], form="screening")  # 13 columns, no data
    sheet_with(workbook, "队伍配备", [REAL])

    report = _staffing(engine, workbook_bytes(workbook), form=None)

    assert (report.accepted, report.form) == (True, "staffing"), report.to_text()


@pytest.mark.parametrize(
    ("name", "read"),
    [
        ("队伍配备（按说明填写）", True),  # case: 说明 inside a data sheet's name
        ("填表说明", False),  # case: an instruction sheet
        ("说明（必读）", False),  # case: an instruction sheet with a remark
    ],
)
def test_only_a_sheet_named_as_instructions_is_skipped(engine: Engine, name: str, read: bool) -> None:
    report = _staffing(engine, workbook_of({name: [REAL]}))

    assert report.accepted is read, report.to_text()
    if not read:
        assert f"说明工作表“{name}”" in report.errors[0].message


def test_a_header_below_a_long_cover_block_is_found(engine: Engine) -> None:
    workbook, sheet = one_sheet()
    for line in range(39):
        sheet.append([f"填报说明第 {line + 1} 条"])
    sheet.append(STAFF_HEADERS)
    sheet.append(in_form_order("staffing", REAL))

    report = _staffing(engine, workbook_bytes(workbook))

    assert report.accepted, report.to_text()
    assert report.parsed.header_row == 40


def test_a_hint_row_under_the_header_is_skipped(engine: Engine) -> None:
    hints = [
        "必填，10位数字",
        "选填",
        "必填，如2024-2025",
        "必填",
        "必填，无填0",
        "必填",
        "选填",
        "选填",
        "选填",
    ]
    workbook, sheet = one_sheet()
    sheet.append(STAFF_HEADERS)
    sheet.append(hints)
    sheet.append(in_form_order("staffing", REAL))

    report = _staffing(engine, workbook_bytes(workbook))

    assert report.accepted, report.to_text()
    assert (2, None, Reason.COLUMN_NUMBER_ROW) in located(report, "normalizations")


def test_the_chosen_forms_sheet_missing_a_column_says_so_beside_another_forms_sheet(engine: Engine) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet_with(workbook, "Sheet1", [REAL])
    workbook["Sheet1"]["D1"] = None  # no 全日制本专科生数 header
    sheet_with(workbook, "Sheet2", [make_screening_row()], form="screening")

    report = _staffing(engine, workbook_bytes(workbook))

    assert [issue.code for issue in report.errors] == [Reason.MISSING_HEADER]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("sep=;\n{header}\n{row}\n", "utf-8-sig"),  # case: Excel's separator line (Excel hides it)
        ("2024-2025学年思政队伍配备情况表\n{header}\n{row}\n", "gb18030"),  # case: a title line, semicolons
    ],
)
def test_semicolon_separated_csv_is_read(engine: Engine, text: str, encoding: str) -> None:
    row = ";".join(str(value) for value in in_form_order("staffing", REAL))
    data = text.format(header=";".join(STAFF_HEADERS), row=row).encode(encoding)

    report = _staffing(engine, data, "队伍配备.csv")

    assert report.accepted, report.to_text()
    assert stored(engine, "staffing") == [REAL]
    assert report.parsed.row_numbers == ([2] if text.startswith("sep=") else [3])  # as Excel numbers them


def test_a_csv_in_two_encodings_is_refused_not_stored_garbled(engine: Engine) -> None:
    header = ",".join(STAFF_HEADERS).encode("gbk")
    row = ",".join(str(value) for value in in_form_order("staffing", REAL)).encode("utf-8")

    report = _staffing(engine, header + b"\n" + row + b"\n", "队伍配备.csv")

    assert report.exit_code == 2 and "两种编码" in report.errors[0].message
    assert stored(engine, "staffing") == []


def test_a_web_page_saved_as_csv_says_so(engine: Engine) -> None:
    report = _staffing(
        engine, "<html><body><table><tr><td>学校</td></tr></table></body></html>".encode(), "a.csv"
    )

    assert report.exit_code == 2 and "网页" in report.errors[0].message


def test_rows_typed_into_the_example_sheet_are_pointed_out_when_the_real_sheet_is_empty(
    engine: Engine,
) -> None:
    report = _staffing(engine, workbook_of({"填报示例": [REAL, LATER], "队伍配备": []}))

    assert [issue.code for issue in report.errors] == [Reason.NO_DATA]
    assert "示例工作表“填报示例”中有 2 行" in report.errors[0].message

"""Cells as real offices' files hold them: error values, formulas without results, merged data
cells, signature lines and total rows, codes exported by other systems.

Each workbook is written by openpyxl (or xlwt for .xls) the way the situation arises.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

import pytest
import xlwt
from sqlalchemy import Engine

from core.forms import PROJECTS, STAFFING
from core.ingest import import_bytes
from core.ingest.codes import Reason
from core.ingest.read import xls
from core.templates import template_workbook
from tests.factories import make_project_row, make_staffing_row
from tests.test_ingest_corpus import (
    SECOND_SCHOOL,
    in_form_order,
    located,
    stored,
    with_cached_formula_values,
    with_schools,
    workbook_bytes,
)

THIRD_SCHOOL = SECOND_SCHOOL | {"code": "4141010003", "name": "示例第三大学"}


def _staffing_workbook(rows: list[list[Any]]):
    """The staffing template with ``rows`` (lists of cells in template order) below the header."""
    workbook = template_workbook("staffing")
    for row in rows:
        workbook.active.append(row)
    return workbook


def _import(engine: Engine, data: bytes, file_name: str = "队伍配备.xlsx"):
    with_schools(engine, SECOND_SCHOOL, THIRD_SCHOOL)
    return import_bytes(engine, "staffing", data, file_name)


def _sheet(workbook):
    return workbook[STAFFING.sheet]


@pytest.mark.parametrize(
    ("column", "shown"),
    [
        ("counselors_pt", "#DIV/0!"),  # case: an optional count, which would have been stored as 0
        ("psy_teachers", "#N/A"),  # case: an optional count, which would have been "not reported"
        ("postgrad", "#NAME?"),  # case: a required count, which said "必填项，请填写"
    ],
)
def test_a_cell_showing_an_excel_error_is_an_error_not_a_blank(
    engine: Engine, column: str, shown: str
) -> None:
    row = in_form_order("staffing", make_staffing_row())
    row[STAFFING.keys.index(column)] = shown  # openpyxl stores an error code as an error value
    workbook = _staffing_workbook([row])

    report = _import(engine, workbook_bytes(workbook))

    assert located(report) == [(2, STAFFING.field(column).header, Reason.CELL_ERROR_VALUE)]
    assert shown in report.errors[0].message and "改正公式" in report.errors[0].message
    assert stored(engine, "staffing") == []


def test_an_error_value_in_an_xls_is_an_error(engine: Engine) -> None:
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet(STAFFING.sheet)
    for column, header in enumerate(STAFFING.headers.values()):
        sheet.write(0, column, header)
    errored = STAFFING.keys.index("counselors_pt")
    for column, value in enumerate(in_form_order("staffing", make_staffing_row())):
        if column != errored:
            sheet.write(1, column, value)
    sheet.row(1).set_cell_error(errored, "#DIV/0!")
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = _import(engine, buffer.getvalue(), "队伍配备.xls")

    assert located(report) == [(2, "兼职辅导员数", Reason.CELL_ERROR_VALUE)]


def test_only_an_xls_that_may_hold_error_values_is_parsed_a_second_time() -> None:
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet(STAFFING.sheet)
    sheet.write(0, 0, "学校标识码")
    sheet.write(1, 0, 4141010001)
    clean = io.BytesIO()
    workbook.save(clean)
    sheet.row(1).set_cell_error(1, "#DIV/0!")
    with_error = io.BytesIO()
    workbook.save(with_error)

    assert not xls.may_hold_errors(clean.getvalue())
    assert xls.may_hold_errors(with_error.getvalue())


def test_a_formula_the_file_keeps_no_result_for_is_an_error_saying_to_save_it_in_excel(
    engine: Engine,
) -> None:
    row = in_form_order("staffing", make_staffing_row())
    row[STAFFING.keys.index("counselors_pt")] = "=4+6"  # written by a program: no cached result
    workbook = _staffing_workbook([row])

    report = _import(engine, workbook_bytes(workbook))

    assert located(report) == [(2, "兼职辅导员数", Reason.FORMULA_WITHOUT_VALUE)]
    assert "=4+6" in report.errors[0].message and "保存" in report.errors[0].message


def test_a_formula_with_its_cached_result_is_read_as_that_result(engine: Engine) -> None:
    row = in_form_order("staffing", make_staffing_row())
    row[STAFFING.keys.index("counselors_pt")] = "=4+6"
    data = with_cached_formula_values(workbook_bytes(_staffing_workbook([row])), {"4+6": 10})

    report = _import(engine, data)

    assert report.accepted, report.to_text()
    assert stored(engine, "staffing")[0]["counselors_pt"] == 10


def test_a_year_merged_down_the_rows_reaches_every_row_and_is_reported(engine: Engine) -> None:
    rows = [
        in_form_order("staffing", make_staffing_row(code=school["code"], name=school["name"]))
        for school in ({"code": "4141010001", "name": "示例第一大学"}, SECOND_SCHOOL, THIRD_SCHOOL)
    ]
    for row in rows[1:]:
        row[STAFFING.keys.index("year")] = None
    workbook = _staffing_workbook(rows)
    _sheet(workbook).merge_cells("C2:C4")

    report = _import(engine, workbook_bytes(workbook))

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

    report = _import(engine, workbook_bytes(_staffing_workbook(rows)))

    assert report.accepted, report.to_text()
    assert len(stored(engine, "staffing")) == 1
    skipped = [row for row, _column, code in located(report, "normalizations") if code == Reason.TOTAL_ROW]
    assert skipped == [3, 4, 5]


@pytest.mark.parametrize("label", ["全省合计", "本表合计", "合 计", "总计：", "全省高校小计（3所）"])
def test_total_rows_with_a_prefix_are_skipped(engine: Engine, label: str) -> None:
    rows = [in_form_order("staffing", make_staffing_row()), [label, None, "2024-2025", 18000, 2000, 100]]

    report = _import(engine, workbook_bytes(_staffing_workbook(rows)))

    assert report.accepted, report.to_text()
    assert (3, None, Reason.TOTAL_ROW) in located(report, "normalizations")


def test_codes_exported_by_other_systems_are_read_from_a_csv(engine: Engine) -> None:
    header = ",".join(STAFFING.headers.values())
    lines = [header]
    for code in ("4141010001.0", '"=""4141010002"""', "'4141010003"):
        cells = in_form_order("staffing", make_staffing_row(code="X", name=None))[1:]
        lines.append(",".join([code, *("" if cell is None else str(cell) for cell in cells)]))
    data = ("\n".join(lines) + "\n").encode("utf-8-sig")

    report = _import(engine, data, "队伍配备.csv")

    assert report.accepted, report.to_text()
    assert [row["code"] for row in stored(engine, "staffing")] == ["4141010001", "4141010002", "4141010003"]


def test_a_count_off_in_the_16th_digit_reads_as_excel_shows_it(engine: Engine) -> None:
    row = in_form_order("staffing", make_staffing_row())
    row[STAFFING.keys.index("counselors_ft")] = "=200*0.5"
    data = with_cached_formula_values(
        workbook_bytes(_staffing_workbook([row])), {"200*0.5": "100.00000000000001"}
    )

    report = _import(engine, data)

    assert report.accepted, report.to_text()
    assert stored(engine, "staffing")[0]["counselors_ft"] == 100
    assert (2, "专职辅导员数", Reason.FLOAT_NOISE) in located(report, "normalizations")


# --- files that are not what their name says, and where a huge sheet reaches -----------------


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (
            b"<html><body><table><tr><td>\xe5\xad\xa6\xe6\xa0\xa1</td></tr></table></body></html>",
            "网页",
        ),  # case: web export
        (
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
            "Excel 2003 XML",
        ),  # case: Excel 2003 XML
        ("学校标识码\t学年\n4141010001\t2024-2025\n".encode(), "纯文本"),  # case: tab-separated text
    ],
)
def test_text_named_xls_says_what_it_really_is(engine: Engine, content: bytes, said: str) -> None:
    report = _import(engine, content, "队伍配备.xls")

    assert report.exit_code == 2 and [issue.code for issue in report.errors] == [Reason.NOT_A_SPREADSHEET]
    assert said in report.errors[0].message and "另存为” .xlsx" in report.errors[0].message


def test_a_huge_used_area_names_the_sheet_and_how_far_it_reaches(engine: Engine) -> None:
    workbook = template_workbook("staffing")
    _sheet(workbook)["Z1048576"] = " "

    report = _import(engine, workbook_bytes(workbook))

    assert [issue.code for issue in report.errors] == [Reason.SHEET_TOO_LARGE]
    assert (
        "工作表“队伍配备”" in report.errors[0].message and "Z 列、第 1,048,576 行" in report.errors[0].message
    )


def _ods_bytes(sheet: str, rows: list[list[tuple[str, str]]]) -> bytes:
    """A LibreOffice .ods with one sheet; each cell is (value type, value)."""
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

    def cell(kind: str, value: str) -> str:
        if kind == "string":
            return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'
        attribute = "office:date-value" if kind == "date" else "office:value"
        return f'<table:table-cell office:value-type="{kind}" {attribute}="{value}"><text:p>{value}</text:p></table:table-cell>'

    body = "".join(
        "<table:table-row>" + "".join(cell(*item) for item in row) + "</table:table-row>" for row in rows
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office}" '
        f'xmlns:table="{table}" xmlns:text="{text}" office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="{sheet}">{body}</table:table></office:spreadsheet></office:body>'
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()


def test_a_percentage_in_a_libreoffice_file_is_read_as_shown(engine: Engine) -> None:
    row = make_project_row(code="4141010001")
    cells = []
    for key, value in zip(PROJECTS.keys, in_form_order("projects", row), strict=True):
        if key == "progress":
            cells.append(("percentage", "0.85"))
        elif isinstance(value, dt.date):
            cells.append(("date", value.isoformat()))
        else:
            cells.append(("string", "" if value is None else str(value)))
    data = _ods_bytes(PROJECTS.sheet, [[("string", header) for header in PROJECTS.headers.values()], cells])
    with_schools(engine)

    report = import_bytes(engine, "projects", data, "项目进度.ods")

    assert report.accepted, report.to_text()
    assert stored(engine, "projects")[0]["progress"] == 85


# --- what Excel and other writers really save -------------------------------------------------


def _with_sheet_xml(data: bytes, change) -> bytes:  # noqa: ANN001 (bytes → bytes)
    """The workbook with its first sheet's XML passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, change(content) if item.filename == "xl/worksheets/sheet1.xml" else content)
    return buffer.getvalue()


def _as_excel_saves_empty_text_results(xml: bytes) -> bytes:
    """Excel writes a formula whose result is "" as <c t="str"><f>…</f><v/></c>."""
    return re.sub(rb'<c r="([A-Z]+\d+)"><f>', rb'<c r="\1" t="str"><f>', xml)


def test_a_formula_whose_result_is_empty_text_is_an_empty_cell(engine: Engine) -> None:
    row = in_form_order("staffing", make_staffing_row())
    row[STAFFING.keys.index("name")] = '=IF(A2="","","")'
    data = _with_sheet_xml(workbook_bytes(_staffing_workbook([row])), _as_excel_saves_empty_text_results)

    report = _import(engine, data)

    assert report.accepted, report.to_text()
    assert stored(engine, "staffing")[0]["name"] is None


def test_template_rows_holding_only_formulas_are_empty_rows_not_errors(engine: Engine) -> None:
    """Lookup formulas filled down a template (no results saved), some rows left unfilled."""
    lookup = '=IFERROR(VLOOKUP(A{row},高校名录!A:B,2,FALSE),"")'
    rows = [in_form_order("staffing", make_staffing_row())]
    rows += [[None, lookup.format(row=number)] for number in range(3, 8)]
    rows += [
        in_form_order("staffing", make_staffing_row(code=SECOND_SCHOOL["code"], name=SECOND_SCHOOL["name"]))
    ]

    report = _import(engine, workbook_bytes(_staffing_workbook(rows)))

    assert report.accepted, report.to_text()
    assert report.rows == 2


def test_a_merged_year_is_not_given_to_spare_empty_rows(engine: Engine) -> None:
    rows = [in_form_order("staffing", make_staffing_row()), [], [], []]
    workbook = _staffing_workbook(rows)
    _sheet(workbook).merge_cells("C2:C5")
    _sheet(workbook)["A7"] = "填表人：张三"

    report = _import(engine, workbook_bytes(workbook))

    assert report.accepted, report.to_text()
    assert report.rows == 1


def test_a_merged_range_below_the_last_row_is_harmless(engine: Engine) -> None:
    workbook = _staffing_workbook([in_form_order("staffing", make_staffing_row())])
    _sheet(workbook).merge_cells("A20:A22")

    report = _import(engine, workbook_bytes(workbook))

    assert report.accepted, report.to_text()


def test_an_error_value_in_a_namespace_prefixed_sheet_is_found(engine: Engine) -> None:
    """.NET writers (OpenXML SDK) save <x:c …><x:v>#DIV/0!</x:v></x:c>."""
    row = in_form_order("staffing", make_staffing_row())
    row[STAFFING.keys.index("counselors_pt")] = "#DIV/0!"

    def prefixed(xml: bytes) -> bytes:
        xml = re.sub(rb"<(/?)([A-Za-z]+)([ >/])", rb"<\1x:\2\3", xml)
        return xml.replace(b"<x:worksheet xmlns=", b"<x:worksheet xmlns:x=")

    report = _import(engine, _with_sheet_xml(workbook_bytes(_staffing_workbook([row])), prefixed))

    assert located(report) == [(2, "兼职辅导员数", Reason.CELL_ERROR_VALUE)]


def test_a_side_note_merged_down_beside_the_header_does_not_hide_data_rows(engine: Engine) -> None:
    rows = [
        in_form_order("staffing", make_staffing_row(code=school["code"], name=school["name"], year=year))
        for school in ({"code": "4141010001", "name": "示例第一大学"}, SECOND_SCHOOL, THIRD_SCHOOL)
        for year in ("2023-2024", "2024-2025")
    ]
    workbook = _staffing_workbook(rows)
    _sheet(workbook)["K1"] = "填报说明：人数填写整数"
    _sheet(workbook).merge_cells("K1:K10")

    report = _import(engine, workbook_bytes(workbook))

    assert report.accepted, report.to_text()
    assert report.rows == 6 and len(stored(engine, "staffing")) == 6


def test_an_xls_that_xlrd_cannot_parse_leaves_its_cells_as_read() -> None:
    book = xls.book_of(b"\xd0\xcf\x11\xe0 not really an xls")

    assert xls.unseen_loader(book, lambda: True)("队伍配备") == {}
    assert xls.percent_loader(book)("队伍配备", 3) == frozenset()

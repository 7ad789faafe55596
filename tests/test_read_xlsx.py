""".xlsx cells as real offices' files hold them (core/ingest/read/xlsx.py): error values, formulas
without results, cached results with floating-point noise, a huge used area.

Each workbook is written by openpyxl the way the situation arises; the helpers here are shared
by the other reader tests and test_data_rows.py.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from sqlalchemy import Engine

from core.forms import STAFFING
from core.ingest import import_bytes
from core.ingest.codes import Reason
from core.templates import template_workbook
from tests.factories import make_staffing_row
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


def staffing_workbook(rows: list[list[Any]]):
    """The staffing template with ``rows`` (lists of cells in template order) below the header."""
    workbook = template_workbook("staffing")
    for row in rows:
        workbook.active.append(row)
    return workbook


def import_staffing(engine: Engine, data: bytes, file_name: str = "队伍配备.xlsx"):
    with_schools(engine, SECOND_SCHOOL, THIRD_SCHOOL)
    return import_bytes(engine, "staffing", data, file_name)


def staffing_sheet(workbook):
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
    workbook = staffing_workbook([row])

    report = import_staffing(engine, workbook_bytes(workbook))

    assert located(report) == [(2, STAFFING.field(column).header, Reason.CELL_ERROR_VALUE)]
    assert shown in report.errors[0].message and "改正公式" in report.errors[0].message
    assert stored(engine, "staffing") == []


def test_a_formula_the_file_keeps_no_result_for_is_an_error_saying_to_save_it_in_excel(
    engine: Engine,
) -> None:
    row = in_form_order("staffing", make_staffing_row())
    row[STAFFING.keys.index("counselors_pt")] = "=4+6"  # written by a program: no cached result
    workbook = staffing_workbook([row])

    report = import_staffing(engine, workbook_bytes(workbook))

    assert located(report) == [(2, "兼职辅导员数", Reason.FORMULA_WITHOUT_VALUE)]
    assert "=4+6" in report.errors[0].message and "保存" in report.errors[0].message


def test_a_formula_with_its_cached_result_is_read_as_that_result(engine: Engine) -> None:
    row = in_form_order("staffing", make_staffing_row())
    row[STAFFING.keys.index("counselors_pt")] = "=4+6"
    data = with_cached_formula_values(workbook_bytes(staffing_workbook([row])), {"4+6": 10})

    report = import_staffing(engine, data)

    assert report.accepted, report.to_text()
    assert stored(engine, "staffing")[0]["counselors_pt"] == 10


def test_a_count_off_in_the_16th_digit_reads_as_excel_shows_it(engine: Engine) -> None:
    row = in_form_order("staffing", make_staffing_row())
    row[STAFFING.keys.index("counselors_ft")] = "=200*0.5"
    data = with_cached_formula_values(
        workbook_bytes(staffing_workbook([row])), {"200*0.5": "100.00000000000001"}
    )

    report = import_staffing(engine, data)

    assert report.accepted, report.to_text()
    assert stored(engine, "staffing")[0]["counselors_ft"] == 100
    assert (2, "专职辅导员数", Reason.FLOAT_NOISE) in located(report, "normalizations")


def test_a_huge_used_area_names_the_sheet_and_how_far_it_reaches(engine: Engine) -> None:
    workbook = template_workbook("staffing")
    staffing_sheet(workbook)["Z1048576"] = " "

    report = import_staffing(engine, workbook_bytes(workbook))

    assert [issue.code for issue in report.errors] == [Reason.SHEET_TOO_LARGE]
    assert (
        "工作表“队伍配备”" in report.errors[0].message and "Z 列、第 1,048,576 行" in report.errors[0].message
    )


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
    data = _with_sheet_xml(workbook_bytes(staffing_workbook([row])), _as_excel_saves_empty_text_results)

    report = import_staffing(engine, data)

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

    report = import_staffing(engine, workbook_bytes(staffing_workbook(rows)))

    assert report.accepted, report.to_text()
    assert report.rows == 2


def test_an_error_value_in_a_namespace_prefixed_sheet_is_found(engine: Engine) -> None:
    """.NET writers (OpenXML SDK) save <x:c …><x:v>#DIV/0!</x:v></x:c>."""
    row = in_form_order("staffing", make_staffing_row())
    row[STAFFING.keys.index("counselors_pt")] = "#DIV/0!"

    def prefixed(xml: bytes) -> bytes:
        xml = re.sub(rb"<(/?)([A-Za-z]+)([ >/])", rb"<\1x:\2\3", xml)
        return xml.replace(b"<x:worksheet xmlns=", b"<x:worksheet xmlns:x=")

    report = import_staffing(engine, _with_sheet_xml(workbook_bytes(staffing_workbook([row])), prefixed))

    assert located(report) == [(2, "兼职辅导员数", Reason.CELL_ERROR_VALUE)]

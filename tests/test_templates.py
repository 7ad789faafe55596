"""Blank templates: made from the form declarations, and accepted back when filled in."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from core.forms import FORMS, get_form
from core.ingest import import_bytes
from core.standards import DEFAULT_STANDARDS
from core.templates import INSTRUCTIONS_SHEET, template_bytes, template_workbook, write_template
from tests.factories import make_institution, make_project_row, make_screening_row, make_staffing_row
from tests.test_ingest_corpus import filled_template, stored, with_schools

VALID_ROWS = {
    "institutions": [
        make_institution(code="4141010002", name="示例第二大学"),
        make_institution(code="4141010003"),
    ],
    "staffing": [make_staffing_row(), make_staffing_row(year="2023-2024", ideo_teachers=None)],
    "screening": [make_screening_row(), make_screening_row(term="春季学期")],
    "projects": [make_project_row(), make_project_row(project_id="XM-2024-002", note="备注")],
}


@pytest.mark.parametrize("form_name", list(FORMS))
def test_template_has_the_data_sheet_first_with_canonical_headers(form_name: str) -> None:
    form = get_form(form_name)

    workbook = load_workbook(io.BytesIO(template_bytes(form_name)))

    assert workbook.sheetnames == [form.sheet, INSTRUCTIONS_SHEET]
    sheet = workbook[form.sheet]
    assert [cell.value for cell in sheet[1]] == list(form.headers.values())
    assert sheet.max_row == 1  # no data rows, so appended rows go right below the header
    assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize("form_name", list(FORMS))
def test_choice_columns_have_dropdowns_with_every_choice(form_name: str) -> None:
    form = get_form(form_name)
    sheet = load_workbook(io.BytesIO(template_bytes(form_name)))[form.sheet]
    lists = {
        str(validation.sqref).split(":")[0]: validation.formula1
        for validation in sheet.data_validations.dataValidation
    }

    expected = {
        f"{chr(65 + position)}2": '"' + ",".join(spec.choices) + '"'
        for position, spec in enumerate(form.fields)
        if spec.choices
    }
    assert lists == expected


def test_code_columns_are_formatted_as_text() -> None:
    sheet = load_workbook(io.BytesIO(template_bytes("projects"))).active

    assert sheet.column_dimensions["E"].number_format == "@"  # 承担单位标识码
    assert sheet.column_dimensions["G"].number_format == "yyyy-mm-dd"  # 立项日期


def test_instructions_explain_every_column() -> None:
    form = get_form("screening")
    sheet = template_workbook("screening")[INSTRUCTIONS_SHEET]
    by_header = {
        row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0] in form.headers.values()
    }

    assert set(by_header) == set(form.headers.values())
    assert by_header["学期"][1] == "必填"
    assert "秋季学期、春季学期" in by_header["学期"][4]
    assert by_header["一般关注人数"][1:4] == ("选填", "非负整数", "人")


def test_staffing_instructions_give_the_standards_and_their_sources() -> None:
    text = "\n".join(
        str(value)
        for row in template_workbook("staffing")[INSTRUCTIONS_SHEET].iter_rows(values_only=True)
        for value in row
        if value
    )

    for standard in DEFAULT_STANDARDS:
        assert standard.describe() in text
        assert standard.source in text
    assert "教育部令第43号" in text and "教育部令第46号" in text


@pytest.mark.parametrize("form_name", list(FORMS))
def test_filled_template_is_accepted_unchanged(engine: Engine, form_name: str) -> None:
    with_schools(engine)
    data = filled_template(form_name, VALID_ROWS[form_name])

    report = import_bytes(engine, form_name, data, "模板.xlsx")

    assert report.accepted, report.to_text()
    assert (report.warnings, report.normalizations) == ([], [])
    assert report.inserted == len(VALID_ROWS[form_name])
    saved = stored(engine, form_name)
    for row in VALID_ROWS[form_name]:
        assert row in saved


def test_write_template_writes_the_file(tmp_path) -> None:
    path = tmp_path / "队伍配备模板.xlsx"

    write_template("staffing", path)

    assert load_workbook(path).sheetnames == ["队伍配备", INSTRUCTIONS_SHEET]


def test_unknown_form_names_the_valid_ones() -> None:
    with pytest.raises(KeyError, match="staffing"):
        template_workbook("teachers")

"""Upload without choosing the form: a workbook of a form declared as data (its template, filled)
is recognised by its headers like the four forms' workbooks, on 数据上传 and in ``check``."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import Engine

from core.formdefs.registry import add_definition, load_forms
from core.ingest import check
from core.templates import template_bytes
from tests.apptest import open_app_page
from tests.factories import make_institution, store_rows
from tests.test_formdefs_pages import DUTY

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PARTY_ROW = ["4141010001", "示例大学", "2024-2025", 120, 300, 18, 10, 10, 7, 2]


def _filled_template(form: str, *rows: list[object]) -> bytes:
    """The form's own template (its 填表说明 sheet kept) with ``rows`` under the header."""
    workbook = load_workbook(io.BytesIO(template_bytes(form)))
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _institutions(engine: Engine) -> dict[str, str]:
    store_rows(engine, "institutions", [make_institution(), make_institution(code="4141010002", name="豫二")])
    return {"4141010001": "示例大学", "4141010002": "豫二"}


def test_a_filled_template_of_a_built_in_data_form_is_recognised(engine: Engine) -> None:
    institutions = _institutions(engine)
    load_forms(engine)

    preview = check(
        engine, None, _filled_template("party", PARTY_ROW), "党员.xlsx", institutions=institutions
    )

    assert (preview.parsed.form, preview.parsed.form_detected) == ("party", True)
    assert preview.accepted, preview.report.to_text()
    assert preview.parsed.rows[0]["double_leaders"] == 7


def test_a_filled_template_of_an_added_form_is_recognised_and_a_four_forms_file_still_is(
    engine: Engine,
) -> None:
    institutions = _institutions(engine)
    add_definition(engine, DUTY)
    duty = _filled_template(
        "duty", ["4141010001", "", "2024-2025", 19, 20], ["4141010002", "", "2024-2025", 5, 20]
    )
    staffing = _filled_template("staffing")  # a blank staffing template: still staffing, not duty

    found = check(engine, None, duty, "值班.xlsx", institutions=institutions)
    blank = check(engine, None, staffing, "队伍.xlsx", institutions=institutions)

    assert (found.parsed.form, len(found.parsed.rows)) == ("duty", 2)
    assert blank.parsed.form == "staffing"


def test_the_upload_page_recognises_a_data_form_and_stores_it(app_engine: Engine) -> None:
    _institutions(app_engine)
    app = open_app_page("pages/upload.py")
    app.text_input(key="upload_uploader_input").input("河南省教育厅 张三").run()
    app.selectbox(key="upload_form_choice").select("auto").run()
    data = _filled_template("party", PARTY_ROW)
    app.file_uploader(key="upload_file").set_value(("党员队伍.xlsx", data, XLSX_MIME)).run()

    assert not app.exception, [exception.value for exception in app.exception]
    assert any("基层党组织和党员队伍情况表" in info.value for info in app.info)
    app.button(key="confirm_store").click().run()
    assert any("基层党组织和党员队伍情况表" in message.value for message in app.success)

""".ods workbooks (core/ingest/read/ods.py): a percentage read as shown."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from sqlalchemy import Engine

from core.forms import PROJECTS
from core.ingest import import_bytes
from tests.factories import make_project_row
from tests.test_ingest_corpus import (
    in_form_order,
    stored,
    with_schools,
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

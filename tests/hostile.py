"""Files an attacker would upload, generated small: each claims far more than it holds."""

from __future__ import annotations

import io
import struct
import zipfile

import xlwt
from openpyxl import Workbook

STAFFING_HEADER = ["学校标识码", "学校名称", "学年", "全日制本专科生数", "全日制研究生数", "专职辅导员数"]


def huge_dimensions_xls() -> bytes:
    """A 5 KB .xls whose DIMENSIONS record claims 2,147,483,647 rows × 16,384 columns (the Rust
    reader allocates that up front and aborts the process)."""
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("队伍配备")
    for column, header in enumerate(STAFFING_HEADER):
        sheet.write(0, column, header)
    output = io.BytesIO()
    workbook.save(output)
    data = bytearray(output.getvalue())
    at = data.find(b"\x00\x02\x0e\x00")  # DIMENSIONS, 14 bytes of BIFF8
    data[at + 4 : at + 18] = struct.pack("<IIHHH", 0, 0x7FFFFFFF, 0, 0x4000, 0)
    return bytes(data)


_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def _ods_cell(value: object) -> str:
    if isinstance(value, int):
        return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
    return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'


def repeated_row_ods(times: int = 830_000) -> bytes:
    """An .ods of under 1 KB whose one data row is repeated ``times`` times (number-rows-repeated)."""
    header = "".join(_ods_cell(text) for text in STAFFING_HEADER)
    row = _ods_cell("x") + _ods_cell(-1)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="队伍配备">'
        f"<table:table-row>{header}</table:table-row>"
        f'<table:table-row table:number-rows-repeated="{times}">{row}</table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return output.getvalue()


def many_sheets_xlsx(sheets: int = 60, rows: int = 10_000) -> bytes:
    """An .xlsx of ``sheets`` sheets, each well under every per-sheet limit, together millions of cells."""
    workbook = Workbook()
    workbook.active.title = "sheet0"
    for index in range(1, sheets):
        workbook.create_sheet(f"sheet{index}")
    output = io.BytesIO()
    workbook.save(output)
    cells = "".join(
        f'<row r="{row}"><c r="A{row}"><v>1</v></c><c r="B{row}"><v>2</v></c></row>'
        for row in range(1, rows + 1)
    )
    sheet_xml = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{cells}</sheetData></worksheet>"
    ).encode()
    return _rewrite(
        output.getvalue(), lambda name, data: sheet_xml if name.startswith("xl/worksheets/sheet") else data
    )


def _rewrite(data: bytes, change) -> bytes:  # noqa: ANN001
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item.filename, change(item.filename, source.read(item.filename)))
    return output.getvalue()


def staffing_xlsx(rows: list[list[object]], *, sheet: str = "队伍配备") -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = "队伍配备"
    worksheet.append(STAFFING_HEADER)
    for row in rows:
        worksheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    if sheet == "队伍配备":
        return output.getvalue()
    return _rewrite(
        output.getvalue(),
        lambda name, data: (
            data.replace('name="队伍配备"'.encode(), f'name="{sheet}"'.encode())
            if name == "xl/workbook.xml"
            else data
        ),
    )


def long_sheet_name_xlsx(length: int = 10_000, rows: int = 3_000) -> bytes:
    """A staffing sheet named with ``length`` characters and ``rows`` rows that each draw a warning."""
    return staffing_xlsx(
        [[f"41410{index:05d}", "某大学", "2024-2025", 100, 0, 1] for index in range(rows)],
        sheet="名" * length,
    )

"""Bounds checked before a file is read: what it would expand to, from its own directories.

A few kilobytes can claim gigabytes: a zip whose members expand 200-fold each, an .ods row
repeated 830,000 times, an .xls whose DIMENSIONS record claims a 2-billion-row sheet (the
spreadsheet library allocates that up front and aborts the process). So before any reader
runs, :func:`check_bounds` adds up, over all sheets, the uncompressed size, the
compression ratio of the whole archive and the cells the sheets claim, and refuses
the file when any is beyond what a real report needs. It reads directories and counts
bytes only; it parses no cell.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile

from core.ingest.codes import Reason
from core.ingest.read import UnreadableFile
from core.ingest.read.sniff import OLE_MAGIC, ZIP_MAGIC

MAX_TOTAL_UNCOMPRESSED = 128 * 1024 * 1024  # all members of an archive together
MAX_ARCHIVE_RATIO = 100  # uncompressed / compressed over the whole archive (above 1 MB)
MAX_TOTAL_CELLS = 1_000_000  # cells holding something, over all sheets together (30,000 rows × 33 columns)
MAX_XLS_ROWS, MAX_XLS_COLUMNS = 65_536, 256  # what the .xls format itself can hold
_MB = 1024 * 1024

_ODS_ROW = re.compile(rb"<table:table-row\b([^>]*?)(/>|>(.*?)</table:table-row>)", re.DOTALL)
_ODS_ROWS_REPEATED = re.compile(rb"""number-rows-repeated=["'](\d+)["']""")
_ODS_CELL = re.compile(
    rb"<table:(?:covered-)?table-cell\b([^>]*?)(/>|>(.*?)</table:(?:covered-)?table-cell>)", re.DOTALL
)
_ODS_COLUMNS_REPEATED = re.compile(rb"""number-columns-repeated=["'](\d+)["']""")
_ODS_VALUE = re.compile(rb"value-type=|<text:")


def _refuse_cells(cells: int) -> UnreadableFile:
    return UnreadableFile(
        Reason.SHEET_TOO_LARGE,
        f"文件中的工作表合计约 {cells:,} 个单元格，超过上限 {MAX_TOTAL_CELLS:,}；"
        "请只保留要报送的工作表和数据（删除多余的行、列和工作表）后再上传",
    )


def _refuse_expansion(total: int) -> UnreadableFile:
    return UnreadableFile(
        Reason.ZIP_BOMB,
        f"文件解压后达 {total / _MB:.1f} MB，压缩比异常，疑似恶意构造的文件，已拒绝；请上传正常填写的表格",
    )


def _member_bytes(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as member:
        return member.read(MAX_TOTAL_UNCOMPRESSED + 1)


def _xlsx_cells(xml: bytes) -> int:
    """Cells a worksheet's XML holds (<c …> or <x:c …>, counted without parsing)."""
    return xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b":c ")


def _ods_cells(content: bytes) -> int:
    """Cells an .ods content.xml holds, counting repeats of rows and cells that have content."""
    cells = 0
    for attributes, _closing, body in _ODS_ROW.findall(content):
        repeated = _ODS_ROWS_REPEATED.search(attributes)
        rows = int(repeated[1]) if repeated else 1
        in_row = 0
        for cell_attributes, _end, cell_body in _ODS_CELL.findall(body or b""):
            if _ODS_VALUE.search(cell_attributes) or _ODS_VALUE.search(cell_body or b""):
                columns = _ODS_COLUMNS_REPEATED.search(cell_attributes)
                in_row += int(columns[1]) if columns else 1
        cells += rows * in_row
        if cells > MAX_TOTAL_CELLS:
            break
    return cells


def _check_archive(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            total = sum(member.file_size for member in members)
            packed = sum(member.compress_size for member in members)
            if total > MAX_TOTAL_UNCOMPRESSED or (total > _MB and total > MAX_ARCHIVE_RATIO * max(packed, 1)):
                raise _refuse_expansion(total)
            names = [member.filename for member in members]
            if "content.xml" in names:
                cells = _ods_cells(_member_bytes(archive, "content.xml"))
            else:
                sheets = [
                    name for name in names if name.startswith("xl/worksheets/") and name.endswith(".xml")
                ]
                cells = sum(_xlsx_cells(_member_bytes(archive, name)) for name in sheets)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return  # the reader refuses a corrupt archive in its own words
    if cells > MAX_TOTAL_CELLS:
        raise _refuse_cells(cells)


def _biff_dimensions(stream: bytes) -> list[tuple[int, int]]:
    """(rows, columns) of every DIMENSIONS record of a BIFF workbook stream."""
    found, position = [], 0
    while position + 4 <= len(stream):
        record, length = struct.unpack_from("<HH", stream, position)
        body = stream[position + 4 : position + 4 + length]
        if record == 0x0200 and length >= 14:  # BIFF8: first row, last row + 1 (32 bits), columns (16)
            first_row, last_row, first_column, last_column = struct.unpack_from("<IIHH", body)
            found.append((max(last_row - first_row, 0), max(last_column - first_column, 0)))
        elif record == 0x0200 and length >= 10:  # BIFF5/7: rows in 16 bits
            first_row, last_row, first_column, last_column = struct.unpack_from("<HHHH", body)
            found.append((max(last_row - first_row, 0), max(last_column - first_column, 0)))
        position += 4 + length
    return found


def _check_xls(data: bytes) -> None:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            name = "Workbook" if ole.exists("Workbook") else "Book"
            stream = ole.openstream(name).read() if ole.exists(name) else b""
    except Exception:  # noqa: BLE001 (olefile raises assorted types; the reader refuses in its own words)
        return
    dimensions = _biff_dimensions(stream)
    if any(rows > MAX_XLS_ROWS or columns > MAX_XLS_COLUMNS for rows, columns in dimensions):
        raise UnreadableFile(
            Reason.CORRUPT,
            "文件中记录的工作表范围超出 .xls 格式的上限（文件已损坏或被恶意构造），已拒绝；"
            "请在 Excel/WPS 中打开后另存为 .xlsx 再上传",
        )
    cells = sum(rows * columns for rows, columns in dimensions)
    if cells > MAX_TOTAL_CELLS:
        raise _refuse_cells(cells)


def _check_text(data: bytes) -> None:
    """A CSV: every separator or line break can start a cell."""
    cells = max(data.count(separator) for separator in (b",", b"\t", b";")) + data.count(b"\n")
    if cells > MAX_TOTAL_CELLS:
        raise _refuse_cells(cells)


def check_bounds(data: bytes) -> None:
    """Refuse (UnreadableFile) a file that claims more cells or bytes than a report can hold."""
    if data.startswith(ZIP_MAGIC):
        _check_archive(data)
    elif data.startswith(OLE_MAGIC):
        _check_xls(data)
    else:
        _check_text(data)

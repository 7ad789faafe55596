"""Bytes → raw sheets of cell values, or a refusal that says why in Chinese.

The kind of file is sniffed from its first bytes, not taken from its name: a zip
holding ``xl/workbook.xml`` is .xlsx, one holding ``content.xml`` is .ods, an OLE
compound file with a ``Workbook`` stream is .xls (an OLE file with an
``EncryptionInfo`` stream is an encrypted workbook), and a ``.csv`` (or ``.txt``) name
with text inside is CSV (UTF-8 with or without BOM, else GB18030, which covers GBK; UTF-16
with BOM, as Excel's "Unicode text" export, tab-separated).

Values come from python-calamine (fast; cached values of formula cells, dates as
date/datetime, formulas never evaluated). Number formats are not part of what
calamine returns, so the percent format of a column is looked up only when a form
needs it: for .xlsx with openpyxl (read-only, defusedxml underneath), for .xls with
xlrd (formatting_info), which reads the workbook's number formats.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import re
import threading
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, NamedTuple, NoReturn

from core.ingest.codes import Reason

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024  # all members of a workbook together
MAX_COMPRESSION_RATIO = 200  # a member that expands more than this (and above 1 MB) is a zip bomb
MAX_SHEET_CELLS = 5_000_000  # rows × columns of one sheet's used area
_MB = 1024 * 1024


class UnreadableFile(Exception):
    """The file cannot be read at all; ``code`` is a Reason, ``message`` Chinese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class CellUnseen(NamedTuple):
    """A cell that reads as empty but is not: ``kind`` 'error' (``text`` #DIV/0!) or 'formula'
    (``text`` the formula, without a result)."""

    kind: str
    text: str


@dataclass
class RawSheet:
    """One sheet's cells: ``rows[i][j]`` is Excel row i+1, column j+1 ('' or None when empty).

    ``typed`` is False for CSV, where every cell is text. Hidden sheets are listed
    (so the reader can say it ignored them) but their cells are not read.
    """

    name: str
    rows: list[list[Any]] = field(default_factory=list)
    hidden: bool = False
    typed: bool = True
    percent_loader: Callable[[str, int], frozenset[int]] | None = field(default=None, repr=False)
    # cells the values read as empty although the user sees something: see :meth:`unseen`
    unseen_loader: Callable[[str], dict[tuple[int, int], CellUnseen]] | None = field(default=None, repr=False)
    # merged ranges as (first row, first column, last row, last column), 0-based, inclusive;
    # only the first cell of a range holds the value
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)

    def unseen(self, row: int, column: int) -> CellUnseen | None:
        """What a cell that reads as empty (0-based ``row``, ``column``) really holds, when it is
        not empty for the user: an Excel error value (#DIV/0!) or a formula the file keeps no
        result for (written by a program that does not calculate). The spreadsheet library
        returns '' for both, so they are looked up in the file, only when a blank is met."""
        if self.unseen_loader is None:
            return None
        return self.unseen_loader(self.name).get((row, column))

    def percent_rows(self, column: int) -> frozenset[int]:
        """Row indices (0-based) whose cell in ``column`` (0-based) has a percent number format."""
        if self.percent_loader is None:
            return frozenset()
        return self.percent_loader(self.name, column)


def _size_text(size: int) -> str:
    return f"{size / _MB:.1f} MB"


def check_size(size: int, max_bytes: int) -> None:
    """Refuse an empty file and one above the upload limit."""
    if size == 0:
        raise UnreadableFile(Reason.EMPTY_FILE, "文件是空的（0 字节），请重新选择要上传的表格文件")
    if size > max_bytes:
        raise UnreadableFile(
            Reason.TOO_LARGE,
            f"文件大小 {_size_text(size)}，超过上限 {_size_text(max_bytes)}；请删除无关的工作表或拆分后分别上传",
        )


def _refuse_encrypted() -> NoReturn:
    raise UnreadableFile(Reason.ENCRYPTED, "文件已加密（设置了打开密码），无法读取；请取消密码后另存再上传")


def _refuse_corrupt() -> NoReturn:
    raise UnreadableFile(Reason.CORRUPT, "文件已损坏，无法打开；请在 Excel/WPS 中打开后另存为 .xlsx 再上传")


def _check_zip(data: bytes) -> list[str]:
    """Member names of a zip workbook, after refusing corrupt archives and zip bombs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        _refuse_corrupt()
    total = sum(member.file_size for member in members)
    expands_too_much = any(
        member.file_size > _MB and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if total > MAX_UNCOMPRESSED_BYTES or expands_too_much:
        raise UnreadableFile(
            Reason.ZIP_BOMB,
            f"文件解压后达 {_size_text(total)}，压缩比异常，疑似恶意构造的文件，已拒绝；请上传正常填写的表格",
        )
    return [member.filename for member in members]


def _check_ole(data: bytes) -> None:
    """An OLE compound file must be an unencrypted .xls workbook."""
    import msoffcrypto
    import olefile

    # olefile and msoffcrypto raise assorted exception types on damaged input; all mean "corrupt".
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir()}
    except Exception:  # noqa: BLE001
        _refuse_corrupt()
    if "EncryptionInfo" in streams:  # an encrypted .xlsx travels inside an OLE file
        _refuse_encrypted()
    if not streams & {"Workbook", "Book"}:
        raise UnreadableFile(
            Reason.NOT_A_SPREADSHEET,
            "这不是 Excel 表格（可能是 Word 或其他 Office 文件），请上传 .xlsx、.xls 或 .csv 文件",
        )
    try:
        encrypted = msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted()  # .xls with a FILEPASS record
    except Exception:  # noqa: BLE001
        _refuse_corrupt()
    if encrypted:
        _refuse_encrypted()


def _kind_of(data: bytes, file_name: str) -> str:
    """'xlsx', 'ods', 'xls' or 'csv' — or UnreadableFile."""
    if data.startswith(ZIP_MAGIC):
        names = _check_zip(data)
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "META-INF/manifest.xml" in names and b"encryption-data" in archive.read(
                    "META-INF/manifest.xml"
                ):
                    _refuse_encrypted()
            return "ods"
        raise UnreadableFile(
            Reason.NOT_A_SPREADSHEET,
            "这不是表格文件（是其他类型的压缩包或文档），请上传 .xlsx、.xls 或 .csv 文件",
        )
    if data.startswith(OLE_MAGIC):
        _check_ole(data)
        return "xls"
    is_text = data.startswith(UTF16_BOMS) or b"\x00" not in data[:65536]
    suffix = PurePath(file_name).suffix.lower()
    if suffix in (".csv", ".txt") and is_text:
        return "csv"
    if is_text and suffix in (".xls", ".xlsx", ".et"):
        _refuse_text_named_like_a_workbook(data, suffix)
    raise UnreadableFile(Reason.NOT_A_SPREADSHEET, "这不是表格文件，请上传 .xlsx、.xls 或 .csv 文件")


def _web_page_or_xml(data: bytes) -> str | None:
    """What a text file really is when it is a web page or Excel 2003 XML, else None."""
    head = data[:4096].lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "Excel 2003 XML 表格"
    if b"<html" in head or b"<table" in head or b"<!doctype html" in head:
        return "网页（HTML 表格，多为业务系统“导出 Excel”生成）"
    return None


def _refuse_text_named_like_a_workbook(data: bytes, suffix: str) -> NoReturn:
    """Web systems' “导出 Excel” often writes a web page, Excel 2003 XML or tab-separated text
    under an .xls name; say what the file really is and how to turn it into a workbook."""
    what = _web_page_or_xml(data) or "纯文本（可能是系统导出的制表符或逗号分隔文本）"
    raise UnreadableFile(
        Reason.NOT_A_SPREADSHEET,
        f"文件扩展名是 {suffix}，但内容是{what}，不是真正的 Excel 工作簿；"
        "请用 Excel/WPS 打开后“另存为” .xlsx 再上传",
    )


# --- CSV -------------------------------------------------------------------------------


_UNKNOWN_ENCODING = "CSV 文件的编码无法识别，请另存为 UTF-8 或 GBK 编码的 CSV 再上传"


def _decode(data: bytes) -> str:
    """UTF-16 with BOM (Excel's 'Unicode text'), else UTF-8 (BOM or not), else GB18030 (covers GBK).

    GB18030 decodes any bytes, so a file that is partly UTF-8 (two exports pasted together)
    would become garbled names: a file with lines in both encodings is refused instead.
    """
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFile(Reason.NOT_A_SPREADSHEET, _UNKNOWN_ENCODING) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if any(_is_utf8_text(line) for line in data.splitlines()):
        raise UnreadableFile(
            Reason.NOT_A_SPREADSHEET,
            "CSV 文件中混有两种编码（UTF-8 与 GBK），" + _UNKNOWN_ENCODING.removeprefix("CSV "),
        )
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise UnreadableFile(Reason.NOT_A_SPREADSHEET, _UNKNOWN_ENCODING) from None


def _is_utf8_text(line: bytes) -> bool:
    """A line with non-ASCII characters that is valid UTF-8 (GBK text practically never is)."""
    if line.isascii():
        return False
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_DELIMITERS = (",", "\t", ";", "，")
_SEPARATOR_HINT = re.compile(r"sep=(.)")


def _delimiter(lines: list[str]) -> str:
    """The separator most lines agree on: for each candidate, how many of the first lines
    split into the most common number of (more than one) fields. A title line above the
    table, with no separator, does not confuse it (csv.Sniffer gives up on such files)."""
    sample = [line for line in lines[:50] if line.strip()]

    def agreement(delimiter: str) -> int:
        counts = [line.count(delimiter) for line in sample]
        usual = max((count for count in counts if count), key=counts.count, default=0)
        return sum(1 for count in counts if count == usual) if usual else 0

    return max(_DELIMITERS, key=agreement)


def _read_csv(data: bytes, file_name: str) -> list[RawSheet]:
    text = _decode(data)
    if (what := _web_page_or_xml(data)) is not None:
        raise UnreadableFile(
            Reason.NOT_A_SPREADSHEET,
            f"这个 CSV 文件的内容是{what}，不是逗号分隔的表格；请用 Excel/WPS 打开后另存为 .xlsx 再上传",
        )
    lines = text.splitlines()
    hint = _SEPARATOR_HINT.fullmatch(lines[0].strip()) if lines else None
    if hint is not None:  # Excel's "sep=;" line: it names the separator and Excel does not show it
        text = text.split("\n", 1)[1] if "\n" in text else ""
    delimiter = hint[1] if hint is not None else _delimiter(lines)
    try:
        rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error:
        raise UnreadableFile(
            Reason.CORRUPT, "CSV 文件格式有误，无法读取；请在 Excel/WPS 中打开后另存为 CSV 再上传"
        ) from None
    return [RawSheet(name=PurePath(file_name).stem or "CSV", rows=rows, typed=False)]


# --- workbooks ---------------------------------------------------------------------------

_QUOTED = re.compile(r'"[^"]*"|\\.')


def is_percent_format(number_format: str | None) -> bool:
    """True for a number format that shows a percentage ('0%', '0.0%'); a quoted or escaped % does not count."""
    return bool(number_format) and "%" in _QUOTED.sub("", number_format)


def _xlsx_percent_loader(data: bytes) -> Callable[[str, int], frozenset[int]]:
    """Looks up percent-formatted cells of one column of one sheet, on demand (openpyxl, read-only)."""

    @functools.cache
    def percent_rows(sheet_name: str, column: int) -> frozenset[int]:
        from openpyxl import load_workbook

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook[sheet_name]
            found = set()
            for (cell,) in sheet.iter_rows(min_col=column + 1, max_col=column + 1):
                if getattr(cell, "row", None) and is_percent_format(getattr(cell, "number_format", None)):
                    found.add(cell.row - 1)
            return frozenset(found)
        finally:
            workbook.close()

    return percent_rows


# Sheet XML as Excel, WPS, LibreOffice and .NET writers save it: tags with or without a
# namespace prefix (<c> or <x:c>), attributes in either quote style.
_XLSX_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_XLSX_REFERENCE = re.compile(rb"""\br=["']([A-Z]{1,3})(\d+)["']""")
_XLSX_TYPE = re.compile(rb"""\bt=["'](\w+)["']""")
_XLSX_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.DOTALL)
_XLSX_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.DOTALL)
_XLSX_ANY_FORMULA_OR_ERROR = re.compile(rb"""<(?:\w+:)?f\b|\bt=["']e["']""")
_SPREADSHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _xlsx_sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the member holding its cells (from xl/workbook.xml and its relationships)."""
    from defusedxml import ElementTree

    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relationships = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {item.get("Id"): item.get("Target", "") for item in relationships}
    paths = {}
    for sheet in workbook.iter(f"{_SPREADSHEET_NS}sheet"):
        target = targets.get(sheet.get(_RELATIONSHIP_ID), "")
        paths[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return paths


def _unseen_cell(attributes: bytes, body: bytes) -> CellUnseen | None:
    """An error value, or a formula saved without its result, in one cell's XML."""
    kind = _XLSX_TYPE.search(attributes)
    value = _XLSX_VALUE.search(body)
    if kind is not None and kind[1] == b"e" and value is not None:
        return CellUnseen("error", value[1].decode("utf-8", "replace"))
    formula = _XLSX_FORMULA.search(body)
    # t="str" with an empty value is a formula whose result is "" (=IF(A5="","",…)): it has one
    if formula is None or (value is not None and value[1]) or (kind is not None and kind[1] == b"str"):
        return None
    text = html.unescape((formula[1] or b"").decode("utf-8", "replace"))
    return CellUnseen("formula", f"={text}" if text else "（共享公式）")


def _xlsx_unseen_cells(xml: bytes) -> dict[tuple[int, int], CellUnseen]:
    found: dict[tuple[int, int], CellUnseen] = {}
    if not _XLSX_ANY_FORMULA_OR_ERROR.search(xml):
        return found  # the usual file: no formulas, no error values, nothing to look at
    for attributes, body in _XLSX_CELL.findall(xml):
        reference = _XLSX_REFERENCE.search(attributes)
        unseen = _unseen_cell(attributes, body or b"")
        if reference is not None and unseen is not None:  # (a cell without r= is left as read)
            found[(int(reference[2]) - 1, _column_number(reference[1]) - 1)] = unseen
    return found


def _xlsx_unseen_loader(data: bytes) -> Callable[[str], dict[tuple[int, int], CellUnseen]]:
    @functools.cache
    def unseen(sheet_name: str) -> dict[tuple[int, int], CellUnseen]:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                path = _xlsx_sheet_paths(archive).get(sheet_name)
                return _xlsx_unseen_cells(archive.read(path)) if path else {}
        except (KeyError, ValueError, zipfile.BadZipFile, SyntaxError):
            return {}  # the cells stay blank, as the values said

    return unseen


def _xls_book(data: bytes) -> Callable[[], Any]:
    """The .xls parsed once by xlrd (with its formats) for both of its look-ups, on first use;
    None when xlrd cannot parse a file calamine could read (the look-ups then find nothing)."""

    @functools.cache
    def book() -> Any:
        import xlrd

        try:
            return xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
        except Exception:  # noqa: BLE001 (xlrd raises assorted types on files other programs wrote)
            return None

    return book


def _xls_sheet(book: Callable[[], Any], sheet_name: str) -> Any:
    workbook = book()
    if workbook is None:
        return None
    try:
        return workbook.sheet_by_name(sheet_name)
    except Exception:  # noqa: BLE001 (as above)
        return None


# BIFF records that can hold an error value: BOOLERR (0x0205) with its error flag set, and
# FORMULA (0x0006) whose cached result is an error (result type 2, then 0xFFFF)
_BIFF_ERROR_RECORD = re.compile(rb"\x05\x02\x08\x00.{7}\x01|\x06\x00..(?:.{6})\x02.{5}\xff\xff", re.DOTALL)


def _xls_may_hold_errors(data: bytes) -> bool:
    """False when the workbook stream has no record that can hold an error value, so the second
    parse by xlrd (a quarter second for 30,000 rows) is needed only for files that might."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            stream = "Workbook" if ole.exists("Workbook") else "Book"
            return _BIFF_ERROR_RECORD.search(ole.openstream(stream).read()) is not None
    except Exception:  # noqa: BLE001 (olefile raises assorted types; then let xlrd decide)
        return True


def _xls_unseen_loader(
    book: Callable[[], Any], may_hold_errors: Callable[[], bool]
) -> Callable[[str], dict[tuple[int, int], CellUnseen]]:
    """Error values of an .xls sheet (an .xls always keeps its formulas' results)."""

    @functools.cache
    def unseen(sheet_name: str) -> dict[tuple[int, int], CellUnseen]:
        import xlrd

        if not may_hold_errors():
            return {}
        sheet = _xls_sheet(book, sheet_name)
        if sheet is None:
            return {}
        found = {}
        for column in range(sheet.ncols):
            for row, cell_type in enumerate(sheet.col_types(column)):
                if cell_type == xlrd.XL_CELL_ERROR:
                    code = sheet.cell_value(row, column)
                    found[(row, column)] = CellUnseen("error", xlrd.error_text_from_code.get(code, "#错误"))
        return found

    return unseen


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _ods_percent_cells(content: bytes, sheet_name: str, column: int) -> frozenset[int]:
    """Rows whose cell in ``column`` is a percentage in one table of an .ods content.xml."""
    from defusedxml import ElementTree

    for table in ElementTree.fromstring(content).iter(f"{_ODS_TABLE}table"):
        if table.get(f"{_ODS_TABLE}name") != sheet_name:
            continue
        found, row_index = set(), 0
        for row in table.iter(f"{_ODS_TABLE}table-row"):
            row_repeats = int(row.get(f"{_ODS_TABLE}number-rows-repeated", "1"))
            column_index = 0
            for cell in row:
                repeats = int(cell.get(f"{_ODS_TABLE}number-columns-repeated", "1"))
                if column_index <= column < column_index + repeats:
                    if cell.get(f"{_ODS_OFFICE}value-type") == "percentage":
                        found.update(range(row_index, row_index + min(row_repeats, 100_000)))
                    break
                column_index += repeats
            row_index += row_repeats
        return frozenset(found)
    return frozenset()


def _ods_percent_loader(data: bytes) -> Callable[[str, int], frozenset[int]]:
    """Percent cells of an .ods (LibreOffice/WPS) sheet: 85% is stored there as the value 0.85."""

    @functools.cache
    def content() -> bytes:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.read("content.xml")

    @functools.cache
    def percent_rows(sheet_name: str, column: int) -> frozenset[int]:
        try:
            return _ods_percent_cells(content(), sheet_name, column)
        except (KeyError, ValueError, SyntaxError, zipfile.BadZipFile):
            return frozenset()

    return percent_rows


def _xls_percent_loader(book: Callable[[], Any]) -> Callable[[str, int], frozenset[int]]:
    """Looks up percent-formatted cells of one column of an .xls sheet, on demand (xlrd's formats)."""

    @functools.cache
    def percent_rows(sheet_name: str, column: int) -> frozenset[int]:
        sheet = _xls_sheet(book, sheet_name)
        if sheet is None:
            return frozenset()  # formats unreadable: the values are read as plain numbers
        workbook, found = book(), set()
        for row in range(sheet.nrows):
            if column >= sheet.row_len(row):
                continue
            xf = workbook.xf_list[sheet.cell_xf_index(row, column)]
            number_format = workbook.format_map.get(xf.format_key)
            if number_format is not None and is_percent_format(number_format.format_str):
                found.add(row)
        return frozenset(found)

    return percent_rows


_FAR_REFERENCE = re.compile(rb"""r=["'](?:([A-Z]{2,3})\d|[A-Z]{0,3}(\d{6,7})["'])""")
_ANY_REFERENCE = re.compile(rb"""r=["']([A-Z]{1,3})?(\d{1,7})["']""")
_NEAR_ROWS, _NEAR_COLUMNS = 99_999, 26  # what a sheet without far references can reach


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _grid(references: list[tuple[bytes, bytes]], rows: int, columns: int) -> tuple[int, int]:
    for letters, digits in references:
        if letters:
            columns = max(columns, _column_number(letters))
        if digits:
            rows = max(rows, int(digits))
    return rows, columns


def column_letter(column: int) -> str:
    """0 → 'A', 26 → 'AA' (0-based column index → the letters Excel shows)."""
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _too_large(sheet_name: str | None, rows: int, columns: int) -> UnreadableFile:
    where = f"工作表“{sheet_name}”" if sheet_name else "工作表"
    return UnreadableFile(
        Reason.SHEET_TOO_LARGE,
        f"{where}的使用区域过大（{rows:,} 行 × {columns:,} 列，最远到 {column_letter(columns - 1)} 列、"
        f"第 {rows:,} 行，多半是那里误填了内容或格式）；请删除多余的行列（或把数据复制到新工作表）后再上传",
    )


def _refuse_huge_grids(data: bytes) -> None:
    """Refuse a sheet whose cells span a huge grid (a tiny file with a cell at XFD1048576).

    The spreadsheet library allocates the whole rectangle and aborts the process when it
    cannot, so the cell references are looked at first: quickly for the far ones, fully
    only when those make the grid too big.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            xml = archive.read(name)
            rows, columns = _grid(
                [(letters, digits) for letters, digits in _FAR_REFERENCE.findall(xml)],
                _NEAR_ROWS,
                _NEAR_COLUMNS,
            )
            if rows * columns > MAX_SHEET_CELLS:
                rows, columns = _grid(_ANY_REFERENCE.findall(xml), 0, 0)
            if rows * columns > MAX_SHEET_CELLS:
                raise _too_large(_sheet_named_by(archive, name), rows, columns)


def _sheet_named_by(archive: zipfile.ZipFile, member: str) -> str | None:
    try:
        return next((sheet for sheet, path in _xlsx_sheet_paths(archive).items() if path == member), None)
    except (KeyError, ValueError, SyntaxError):
        return None


def _read_workbook_cells(data: bytes, kind: str) -> list[RawSheet]:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

    loader = unseen = None
    if kind == "xlsx":
        _refuse_huge_grids(data)
        loader, unseen = _xlsx_percent_loader(data), _xlsx_unseen_loader(data)
    elif kind == "xls":
        book = _xls_book(data)
        may_hold_errors = functools.cache(functools.partial(_xls_may_hold_errors, data))
        loader, unseen = _xls_percent_loader(book), _xls_unseen_loader(book, may_hold_errors)
    elif kind == "ods":
        loader = _ods_percent_loader(data)
    sheets: list[RawSheet] = []
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for meta in workbook.sheets_metadata:
            if meta.visible != SheetVisibleEnum.Visible:
                sheets.append(RawSheet(name=meta.name, hidden=True))
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            if sheet.end is not None:
                rows, columns = sheet.end[0] + 1, sheet.end[1] + 1
                if rows * columns > MAX_SHEET_CELLS:
                    raise _too_large(meta.name, rows, columns)
            cells = sheet.to_python(skip_empty_area=False) if sheet.end is not None else []
            merged = [
                (top, left, bottom, right) for (top, left), (bottom, right) in sheet.merged_cell_ranges or []
            ]
            sheets.append(
                RawSheet(
                    name=meta.name, rows=cells, percent_loader=loader, unseen_loader=unseen, merged=merged
                )
            )
    except PasswordError:
        _refuse_encrypted()
    except (CalamineError, ValueError, OverflowError, UnicodeDecodeError):
        _refuse_corrupt()
    return sheets


class _ReadAhead:
    """One file being read in a background thread (the spreadsheet library lets go of the
    interpreter while it parses), and what came of it: the sheets or the refusal."""

    def __init__(self, data: bytes, file_name: str, max_bytes: int) -> None:
        self.data, self.file_name, self.max_bytes = data, file_name, max_bytes
        self.sheets: list[RawSheet] | None = None
        self.refusal: UnreadableFile | None = None
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            self.sheets = _read_now(self.data, self.file_name, self.max_bytes)
        except UnreadableFile as refusal:
            self.refusal = refusal
        except Exception:  # noqa: BLE001 (anything else: read_workbook reads again and raises it there)
            self.sheets = None

    def result(self, data: bytes, file_name: str, max_bytes: int) -> list[RawSheet] | None:
        """The sheets when this read-ahead is of exactly this file; None otherwise."""
        if (file_name, max_bytes) != (self.file_name, self.max_bytes) or data != self.data:
            return None
        self.thread.join()
        if self.refusal is not None:
            raise self.refusal
        return self.sheets


_read_ahead: list[_ReadAhead] = []


def read_ahead(path: str, max_bytes: int) -> None:
    """Start reading the workbook at ``path`` in the background, for the command line to import
    the database layer meanwhile (about a sixth of a 30,000-row import); :func:`read_workbook`
    of the same bytes takes the result. A file that cannot be read is left to the normal path."""
    try:
        if Path(path).stat().st_size > max_bytes:
            return
        data = Path(path).read_bytes()
    except OSError:
        return
    _read_ahead.append(_ReadAhead(data, str(path), max_bytes))


def read_workbook(data: bytes, file_name: str, max_bytes: int) -> list[RawSheet]:
    """Every sheet of the file, in workbook order; UnreadableFile when it cannot be read."""
    while _read_ahead:
        if (sheets := _read_ahead.pop().result(data, file_name, max_bytes)) is not None:
            return sheets
    return _read_now(data, file_name, max_bytes)


def _read_now(data: bytes, file_name: str, max_bytes: int) -> list[RawSheet]:
    check_size(len(data), max_bytes)
    kind = _kind_of(data, file_name)
    if kind == "csv":
        return _read_csv(data, file_name)
    return _read_workbook_cells(data, kind)

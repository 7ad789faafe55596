""".xls: the percent number format of a column and the error values of a sheet, from xlrd
(formatting_info), which parses the workbook once, on first use, only when a form needs it.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from typing import Any

from core.ingest.read.sheets import CellUnseen, is_percent_format


def book_of(data: bytes) -> Callable[[], Any]:
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


def _sheet(book: Callable[[], Any], sheet_name: str) -> Any:
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


def may_hold_errors(data: bytes) -> bool:
    """False when the workbook stream has no record that can hold an error value, so the second
    parse by xlrd (a quarter second for 30,000 rows) is needed only for files that might."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            stream = "Workbook" if ole.exists("Workbook") else "Book"
            return _BIFF_ERROR_RECORD.search(ole.openstream(stream).read()) is not None
    except Exception:  # noqa: BLE001 (olefile raises assorted types; then let xlrd decide)
        return True


def unseen_loader(
    book: Callable[[], Any], may_hold_errors: Callable[[], bool]
) -> Callable[[str], dict[tuple[int, int], CellUnseen]]:
    """Error values of an .xls sheet (an .xls always keeps its formulas' results)."""

    @functools.cache
    def unseen(sheet_name: str) -> dict[tuple[int, int], CellUnseen]:
        import xlrd

        if not may_hold_errors():
            return {}
        sheet = _sheet(book, sheet_name)
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


def percent_loader(book: Callable[[], Any]) -> Callable[[str, int], frozenset[int]]:
    """Looks up percent-formatted cells of one column of an .xls sheet, on demand (xlrd's formats)."""

    @functools.cache
    def percent_rows(sheet_name: str, column: int) -> frozenset[int]:
        sheet = _sheet(book, sheet_name)
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

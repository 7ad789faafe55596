"""Bytes → raw sheets of cell values, or a refusal that says why in Chinese.

:func:`read_workbook` is the reader's one entry point. The kind of file is sniffed from its
first bytes (:mod:`.sniff`); a CSV is decoded and split (:mod:`.csvfile`); workbooks are read
by python-calamine (fast; cached values of formula cells, dates as date/datetime, formulas
never evaluated), and what calamine does not return — the percent number format of a
column, error values, formulas without a result — is looked up per format only when a
form needs it (:mod:`.xlsx`, :mod:`.xls`, :mod:`.ods`).
"""

from __future__ import annotations

import functools
import io

from core.ingest.read import ods, xls, xlsx
from core.ingest.read.csvfile import read_csv
from core.ingest.read.sheets import (
    MAX_SHEET_CELLS,
    CellUnseen,
    RawSheet,
    UnreadableFile,
    column_letter,
    is_percent_format,
    too_large,
)
from core.ingest.read.sniff import ZIP_MAGIC, check_size, kind_of, refuse_corrupt, refuse_encrypted

__all__ = [
    "ZIP_MAGIC",
    "CellUnseen",
    "RawSheet",
    "UnreadableFile",
    "check_size",
    "column_letter",
    "is_percent_format",
    "read_workbook",
]


def _read_workbook_cells(data: bytes, kind: str) -> list[RawSheet]:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

    loader = unseen = None
    if kind == "xlsx":
        xlsx.refuse_huge_grids(data)
        loader, unseen = xlsx.percent_loader(data), xlsx.unseen_loader(data)
    elif kind == "xls":
        book = xls.book_of(data)
        may_hold_errors = functools.cache(functools.partial(xls.may_hold_errors, data))
        loader, unseen = xls.percent_loader(book), xls.unseen_loader(book, may_hold_errors)
    elif kind == "ods":
        loader = ods.percent_loader(data)
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
                    raise too_large(meta.name, rows, columns)
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
        refuse_encrypted()
    except (CalamineError, ValueError, OverflowError, UnicodeDecodeError):
        refuse_corrupt()
    return sheets


def read_workbook(data: bytes, file_name: str, max_bytes: int) -> list[RawSheet]:
    """Every sheet of the file, in workbook order; UnreadableFile when it cannot be read."""
    check_size(len(data), max_bytes)
    kind = kind_of(data, file_name)
    if kind == "csv":
        return read_csv(data, file_name)
    return _read_workbook_cells(data, kind)

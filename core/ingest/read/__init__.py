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
import threading
from pathlib import Path

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
    "read_ahead",
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
    kind = kind_of(data, file_name)
    if kind == "csv":
        return read_csv(data, file_name)
    return _read_workbook_cells(data, kind)

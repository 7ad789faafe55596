"""What the reader returns, whatever the format: raw sheets of cell values, or a refusal.

Shared by the format modules (:mod:`.xlsx`, :mod:`.xls`, :mod:`.ods`, :mod:`.csvfile`) and the
sniffing (:mod:`.sniff`); the entry point is :func:`core.ingest.read.read_workbook`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from core.ingest.codes import Reason

MAX_SHEET_CELLS = 5_000_000  # rows × columns of one sheet's used area
MB = 1024 * 1024


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


def size_text(size: int) -> str:
    return f"{size / MB:.1f} MB"


_QUOTED = re.compile(r'"[^"]*"|\\.')


def is_percent_format(number_format: str | None) -> bool:
    """True for a number format that shows a percentage ('0%', '0.0%'); a quoted or escaped % does not count."""
    return bool(number_format) and "%" in _QUOTED.sub("", number_format)


def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def column_letter(column: int) -> str:
    """0 → 'A', 26 → 'AA' (0-based column index → the letters Excel shows)."""
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def too_large(sheet_name: str | None, rows: int, columns: int) -> UnreadableFile:
    where = f"工作表“{sheet_name}”" if sheet_name else "工作表"
    return UnreadableFile(
        Reason.SHEET_TOO_LARGE,
        f"{where}的使用区域过大（{rows:,} 行 × {columns:,} 列，最远到 {column_letter(columns - 1)} 列、"
        f"第 {rows:,} 行，多半是那里误填了内容或格式）；请删除多余的行列（或把数据复制到新工作表）后再上传",
    )

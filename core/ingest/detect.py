"""Finding the table in a workbook: which sheet, which row is the header, which column is which field.

A sheet named like the form's data sheet (``FormSpec.sheet``) is used when its header is
recognised; otherwise the visible sheet whose header row matches the form best. Sheets
whose name marks them as instructions (填表说明) and hidden sheets are never used. The
header row is the row, among the first rows of the sheet, whose cells match the most
fields (canonical headers or aliases, after :func:`normalize_header`); a header that
spans two rows (merged group cells above the real names) is read by taking, for each
column, the lower cell, else the cell above it. Title rows above the header are left
behind. When no form is given the form is recognised from the headers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from core.forms import FORMS, FormSpec
from core.ingest.normalize import is_blank, match_header, shown, without_spaces
from core.ingest.read import RawSheet

HEADER_SCAN_ROWS = 30
INSTRUCTION_MARKERS = ("说明", "填表须知", "填报须知", "instruction", "readme")


@dataclass
class Table:
    """Where one form's data sits in a workbook."""

    form: FormSpec
    sheet: RawSheet
    header_index: int  # 0-based index of the (last) header row in sheet.rows
    columns: dict[str, int]  # field key → 0-based column
    written: dict[str, str]  # field key → the header text as written in the file
    rows: dict[str, int] = field(default_factory=dict)  # field key → Excel row of that header cell
    duplicates: list[tuple[str, int, str]] = field(default_factory=list)  # (key, column, written) seen twice
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # (column, written) of unknown headers

    @property
    def score(self) -> int:
        return len(self.columns)

    @property
    def header_row(self) -> int:
        """Excel row number of the (last) header row."""
        return self.header_index + 1

    @property
    def data_start(self) -> int:
        return self.header_index + 1


def is_instruction_sheet(name: str) -> bool:
    lowered = without_spaces(name).lower()
    return any(marker in lowered for marker in INSTRUCTION_MARKERS)


def recognised(table: Table | None) -> bool:
    """Enough fields matched to call this row the form's header (half the required ones, at least 2)."""
    if table is None:
        return False
    required = sum(1 for spec in table.form.fields if spec.required)
    return table.score >= max(2, math.ceil(required / 2))


def _cell(row: list[Any], column: int) -> Any:
    return row[column] if column < len(row) else None


def _read_header(form: FormSpec, sheet: RawSheet, index: int) -> Table:
    lower = sheet.rows[index]
    upper = sheet.rows[index - 1] if index > 0 else []
    table = Table(form=form, sheet=sheet, header_index=index, columns={}, written={})
    for column in range(max(len(lower), len(upper))):
        below, above = _cell(lower, column), _cell(upper, column)
        written, key, row = below, match_header(form, below), index + 1
        if key is None and not is_blank(below) and not is_blank(above):
            written, key = (
                f"{shown(above)}{shown(below)}",
                match_header(form, f"{shown(above)}{shown(below)}"),
            )
        if key is None and is_blank(below) and not is_blank(above):
            # a name merged over both header rows sits in the upper cell
            written, key, row = above, match_header(form, above), index
        if key is None:
            if not is_blank(below):
                table.unmatched.append((column, shown(below)))
        elif key in table.columns:
            table.duplicates.append((key, column, shown(written)))
        else:
            table.columns[key] = column
            table.written[key] = shown(written)
            table.rows[key] = row
    return table


def _best_header(form: FormSpec, sheet: RawSheet) -> Table | None:
    best: Table | None = None
    for index in range(min(HEADER_SCAN_ROWS, len(sheet.rows))):
        if all(is_blank(cell) for cell in sheet.rows[index]):
            continue
        table = _read_header(form, sheet, index)
        if best is None or table.score > best.score:
            best = table
    return best


def usable_sheets(sheets: list[RawSheet]) -> list[RawSheet]:
    return [sheet for sheet in sheets if not sheet.hidden and not is_instruction_sheet(sheet.name)]


def find_table(sheets: list[RawSheet], form: FormSpec) -> Table | None:
    """The form's table: the sheet named like the form's sheet, else the best matching one."""
    candidates = usable_sheets(sheets)
    for sheet in candidates:
        if without_spaces(sheet.name) == form.sheet:
            table = _best_header(form, sheet)
            if recognised(table):
                return table
    tables = [table for sheet in candidates if recognised(table := _best_header(form, sheet))]
    return max(tables, key=lambda table: table.score, default=None)


def detect_form(sheets: list[RawSheet]) -> Table | None:
    """The table of whichever form the headers match best (most fields, then the largest share)."""
    tables = [table for form in FORMS.values() if (table := find_table(sheets, form)) is not None]
    return max(tables, key=lambda table: (table.score, table.score / len(table.form.fields)), default=None)

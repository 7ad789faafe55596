"""Finding the table in a workbook: which sheet, which row is the header, which column is which field.

Sheets whose name marks them as instructions (填表说明) or examples (填报示例, 样表 …) and
hidden sheets are never data. Among the other sheets whose header is recognised, the
sheet named like the form's data sheet (``FormSpec.sheet``) is used when it has data rows;
otherwise a sheet with data rows beats an empty template, then the better header, then a
name mentioning the form, then workbook order. The sheets passed over stay on the table
(``Table.others``) so the caller can say that their rows were not imported.

The header row is the row, among the first rows of the sheet, whose cells match the most
fields (canonical headers or aliases, after :func:`normalize_header`); a header that
spans two rows (merged group cells above the real names) is read by taking, for each
column, the lower cell, else the cell above it. Title rows above the header are left
behind. When no form is given the form is recognised from the headers.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from core.forms import FORMS, FormSpec
from core.ingest.normalize import is_blank, match_header, shown, without_spaces
from core.ingest.read import RawSheet

HEADER_SCAN_ROWS = 30
INSTRUCTION_MARKERS = ("说明", "填表须知", "填报须知", "instruction", "readme")
# 比例表 (a ratio table) and 抽样表 (a sample survey) are data, not examples
_EXAMPLE_NAME = re.compile(r"示例|样例|(?<!抽)样表|范例|(?<!比)例表|sample|example")


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
    others: list[Table] = field(default_factory=list)  # recognised tables of the sheets passed over

    @property
    def score(self) -> int:
        return len(self.columns)

    @property
    def header_row(self) -> int:
        """Excel row number of the (last) header row."""
        return self.header_index + 1

    @property
    def data_start(self) -> int:
        """0-based index of the first row that may hold data."""
        return self.header_index + 1


# --- sheets ------------------------------------------------------------------------------


def is_instruction_sheet(name: str) -> bool:
    lowered = without_spaces(name).lower()
    return any(marker in lowered for marker in INSTRUCTION_MARKERS)


def is_example_sheet(name: str) -> bool:
    return _EXAMPLE_NAME.search(without_spaces(name).lower()) is not None


def _named(sheet: RawSheet, marker: Any) -> bool:
    """A workbook sheet whose name says it is not data (a CSV's name is only the file's name)."""
    return sheet.typed and marker(sheet.name)


def usable_sheets(sheets: list[RawSheet]) -> list[RawSheet]:
    """Visible sheets that may hold data: not instructions, not examples."""
    return [
        sheet
        for sheet in sheets
        if not sheet.hidden
        and not _named(sheet, is_instruction_sheet)
        and not _named(sheet, is_example_sheet)
    ]


def example_sheets(sheets: list[RawSheet]) -> list[RawSheet]:
    """Visible example sheets (填报示例, 样表 …), which are skipped and reported."""
    return [
        sheet
        for sheet in sheets
        if not sheet.hidden and _named(sheet, is_example_sheet) and not _named(sheet, is_instruction_sheet)
    ]


# --- the header --------------------------------------------------------------------------


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


# --- data rows and the choice of sheet ----------------------------------------------------


def _has_values(row: list[Any], columns: list[int]) -> bool:
    width = len(row)
    return any(column < width and not is_blank(row[column]) for column in columns)


def has_data(table: Table) -> bool:
    """Some row below the header has a value in a column the form reads (stops at the first)."""
    columns = list(table.columns.values())
    return any(_has_values(row, columns) for row in table.sheet.rows[table.data_start :])


def data_row_count(table: Table) -> int:
    """Rows below the header with a value in a column the form reads (totals and footers included)."""
    columns = list(table.columns.values())
    return sum(1 for row in table.sheet.rows[table.data_start :] if _has_values(row, columns))


def is_named_like(sheet: RawSheet, form: FormSpec) -> bool:
    return without_spaces(sheet.name) == form.sheet


def _choose(tables: list[Table], form: FormSpec) -> Table:
    """The named sheet when it has data (or no sheet has); else the best of those with data.

    ``max`` keeps the first of equals, i.e. workbook order; the caller warns about the others.
    """
    named = next((table for table in tables if is_named_like(table.sheet, form)), None)
    with_data = [table for table in tables if has_data(table)]
    if named is not None and (named in with_data or not with_data):
        return named
    mentions = (form.sheet, form.title)
    return max(
        with_data or tables,
        key=lambda table: (table.score, any(name in without_spaces(table.sheet.name) for name in mentions)),
    )


def _is_complete(table: Table) -> bool:
    return all(spec.key in table.columns for spec in table.form.fields if spec.required)


def _fits_best(table: Table) -> bool:
    """False when the sheet's header is another form's: a 心理筛查 sheet shares 学校标识码, 学校名称
    and 学年 with 队伍配备, enough to be recognised, but it is not that form's data."""
    if _is_complete(table):
        return True
    return not any(
        (other := _best_header(form, table.sheet)) is not None and other.score > table.score
        for form in FORMS.values()
        if form is not table.form
    )


def _tables(sheets: list[RawSheet], form: FormSpec) -> list[Table]:
    """The recognised header of ``form`` on each sheet that is this form's rather than another's."""
    return [table for sheet in sheets if recognised(table := _best_header(form, sheet)) and _fits_best(table)]


def find_table(sheets: list[RawSheet], form: FormSpec) -> Table | None:
    """The form's table (see the module's docstring), with the other recognised tables on it."""
    tables = _tables(usable_sheets(sheets), form)
    if not tables:
        return None
    chosen = _choose(tables, form)
    chosen.others = [table for table in tables if table is not chosen]
    return chosen


def detect_form(sheets: list[RawSheet]) -> Table | None:
    """The table of whichever form the headers match best (most fields, then the largest share)."""
    tables = [table for form in FORMS.values() if (table := find_table(sheets, form)) is not None]
    return max(tables, key=lambda table: (table.score, table.score / len(table.form.fields)), default=None)


def example_with_header(sheets: list[RawSheet], form: FormSpec | None) -> RawSheet | None:
    """The first example sheet holding the header of ``form`` (of any form when None)."""
    forms = [form] if form is not None else list(FORMS.values())
    for sheet in example_sheets(sheets):
        if any(_tables([sheet], candidate) for candidate in forms):
            return sheet
    return None

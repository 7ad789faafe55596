"""Finding the table in a workbook: which sheet, which row is the header, which column is which field.

Sheets whose name marks them as instructions (填表说明) or examples (填报示例, 样表 …) and
hidden sheets are never data. Among the other sheets whose header is recognised, the
sheet named like the form's data sheet (``FormSpec.sheet``) is used when it has data rows;
otherwise a sheet with data rows beats an empty template, then the better header, then a
name mentioning the form, then workbook order. The sheets passed over stay on the table
(``Table.others``) so the caller can say that their rows were not imported.

The header row is the row, among the first rows of the sheet, whose cells match the most
fields (canonical headers or aliases, after :func:`core.ingest.header_match.normalize_header`). A header that spans
two rows is read column by column: the lower cell, else the upper and lower cells together
(group + sub-header, or sub-header + group: 专职 under 辅导员（人） is 专职辅导员), else the
upper cell. A merged upper cell's text is carried across every column it spans (the file
holds it only in the range's first cell). Title rows above the header are left behind;
rows that the header's merged cells reach down into, and a 栏次 row (甲 乙 丙 1 2 3 …) or a
units row (（人） …) directly under it (core.ingest.label_rows), are not data. When no form is
given the form is recognised from the headers: the four forms and every form declared as data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from core.forms import DATA_FORMS, FORMS, FormSpec
from core.ingest.header_match import match_header
from core.ingest.label_rows import is_label, label_row_kind
from core.ingest.normalize import is_blank, shown, to_half_width, without_spaces
from core.ingest.read import RawSheet

HEADER_SCAN_ROWS = 100  # a header below a long cover block is still found
MAX_HEADER_DEPTH = 3  # rows one header may span through vertical merges
MAX_LABEL_ROWS = 2  # 栏次 / units rows read under one header
# 填表说明, 说明（必读）, 填报须知, readme: the name ends with the marker (队伍配备（按说明填写） is data)
_INSTRUCTION_NAME = re.compile(r"(说明|须知|instructions?|readme)(\(.*\))?$")
# 比例表 (a ratio table) and 抽样表 (a sample survey) are data, not examples
_EXAMPLE_NAME = re.compile(r"示例|样例|(?<!抽)样表|范例|(?<!比)例表|sample|example")

Merge = tuple[int, int, int, int]


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
    combined: dict[str, tuple[str, str]] = field(default_factory=dict)  # key → (upper, lower) read together
    header_end: int = -1  # 0-based last row the header's merged cells reach (>= header_index)
    label_rows: list[tuple[int, str]] = field(
        default_factory=list
    )  # (0-based row, 'numbers' | 'units' | 'hints')
    other_forms: list[Table] = field(default_factory=list)  # recognised automatically: other forms' data
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
        return max(self.header_end, self.header_index) + 1 + len(self.label_rows)

    @property
    def uses_lower_row(self) -> bool:
        """True when a cell of the header row itself (not only the row above) names a field."""
        return any(row == self.header_row for row in self.rows.values())


# --- sheets ------------------------------------------------------------------------------


def is_instruction_sheet(name: str) -> bool:
    return _INSTRUCTION_NAME.search(without_spaces(to_half_width(name)).lower()) is not None


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


def _spread_row(sheet: RawSheet, index: int, merges: list[Merge]) -> list[Any]:
    """Row ``index`` with each merged range's value in every cell the range covers there."""
    row = list(sheet.rows[index])
    for top, left, bottom, right in merges:
        # a group cell ends on this row; one merged over the row below too is a single header
        # cell (学校名称 in B1:C2), named once, in its first column
        if not top <= index == bottom or left == right:
            continue
        value = _cell(sheet.rows[top], left)
        if is_blank(value):
            continue
        row.extend([None] * (right + 1 - len(row)))
        for column in range(left, right + 1):
            if is_blank(row[column]):
                row[column] = value
    return row


def _header_cell(form: FormSpec, above: Any, below: Any) -> tuple[str | None, str, str]:
    """(field key, header text, 'lower' | 'combined' | 'upper') of one column of a two-row header."""
    key = match_header(form, below)
    if key is not None:
        return key, shown(below), "lower"
    if is_blank(below):
        return match_header(form, above), shown(above), "upper"
    if isinstance(above, str) and isinstance(below, str) and not is_blank(above) and not is_label(below):
        for text in (f"{shown(above)}{shown(below)}", f"{shown(below)}{shown(above)}"):
            if (key := match_header(form, text)) is not None:
                return key, text, "combined"
    return None, shown(below), "lower"


def _read_header(form: FormSpec, sheet: RawSheet, index: int, merges: list[Merge]) -> Table:
    lower = sheet.rows[index]
    upper = _spread_row(sheet, index - 1, merges) if index > 0 else []
    table = Table(form=form, sheet=sheet, header_index=index, columns={}, written={}, header_end=index)
    for column in range(max(len(lower), len(upper))):
        below, above = _cell(lower, column), _cell(upper, column)
        key, written, source = _header_cell(form, above, below)
        if key is None:
            if not is_blank(below):
                table.unmatched.append((column, shown(below)))
        elif key in table.columns:
            table.duplicates.append((key, column, written))
        else:
            table.columns[key] = column
            table.written[key] = written
            table.rows[key] = index if source == "upper" else index + 1
            if source == "combined":
                table.combined[key] = (shown(above), shown(below))
    return table


def _better_header(table: Table, best: Table | None) -> bool:
    """More fields win; on a tie the row just below wins when its own cells name fields (the
    lower row of a two-row header), so that the sub-header row is not taken for data."""
    if best is None or table.score > best.score:
        return True
    return table.score == best.score and table.header_index == best.header_index + 1 and table.uses_lower_row


def _best_header(form: FormSpec, sheet: RawSheet) -> Table | None:
    merges = [merge for merge in sheet.merged if merge[0] <= HEADER_SCAN_ROWS]
    best: Table | None = None
    for index in range(min(HEADER_SCAN_ROWS, len(sheet.rows))):
        if all(is_blank(cell) for cell in sheet.rows[index]):
            continue
        table = _read_header(form, sheet, index, merges)
        if _better_header(table, best):
            best = table
    if best is not None:
        _find_data_start(best, merges)
    return best


# --- between the header and the data -------------------------------------------------------


def _header_end(table: Table, merges: list[Merge]) -> int:
    """The last row the header reaches: as far down as the header cells of the form's columns
    are merged, but never over a row with a value of its own in one of those columns (data:
    a side note merged down L1:L10, or a 备注 header merged over three rows, must not swallow it)."""
    index = table.header_index
    mapped = set(table.columns.values())
    header_merges = [
        merge
        for merge in merges
        if merge[0] <= index <= merge[2] and any(merge[1] <= c <= merge[3] for c in mapped)
    ]
    end = min(max((merge[2] for merge in header_merges), default=index), index + MAX_HEADER_DEPTH - 1)
    rows = table.sheet.rows
    for row_index in range(index + 1, min(end, len(rows) - 1) + 1):
        row = rows[row_index]
        own_values = [
            column
            for column in mapped
            if column < len(row)
            and not is_blank(row[column])
            and not any(
                top <= row_index <= bottom and left <= column <= right
                for top, left, bottom, right in header_merges
            )
        ]
        if own_values:
            return row_index - 1
    return end


def _find_data_start(table: Table, merges: list[Merge]) -> None:
    """Rows the header's merged cells reach down into, then 栏次/units rows, are not data."""
    table.header_end = _header_end(table, merges)
    rows = table.sheet.rows
    following = table.header_end + 1
    while following < len(rows) and len(table.label_rows) < MAX_LABEL_ROWS:
        kind = label_row_kind(rows[following])
        if kind is None:
            break
        table.label_rows.append((following, kind))
        following += 1


# --- data rows and the choice of sheet ----------------------------------------------------


def has_values(row: list[Any], columns: Iterable[int]) -> bool:
    """The row holds a value in one of ``columns``."""
    width = len(row)
    return any(column < width and not is_blank(row[column]) for column in columns)


def has_data(table: Table) -> bool:
    """Some row below the header has a value in a column the form reads (stops at the first)."""
    columns = list(table.columns.values())
    return any(has_values(row, columns) for row in table.sheet.rows[table.data_start :])


def data_row_count(table: Table) -> int:
    """Rows below the header with a value in a column the form reads (totals and footers included)."""
    columns = list(table.columns.values())
    return sum(1 for row in table.sheet.rows[table.data_start :] if has_values(row, columns))


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


def known_forms() -> list[FormSpec]:
    """The forms a workbook may be: the four forms, then every form declared as data registered
    (core.formdefs.registry.load_forms) — recognised from their headers alike."""
    return [*FORMS.values(), *DATA_FORMS.values()]


def _fits_best(table: Table) -> bool:
    """False when the sheet's header is another form's: a 心理筛查 sheet shares 学校标识码, 学校名称
    and 学年 with 队伍配备, enough to be recognised, but it is not that form's data."""
    if _is_complete(table):
        return True
    return not any(
        (other := _best_header(form, table.sheet)) is not None and other.score > table.score
        for form in known_forms()
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
    """The table of whichever form has data and whose headers match best (most fields, then the
    largest share); the other forms' tables with data go to ``others`` so the user is told."""
    tables = [table for form in known_forms() if (table := find_table(sheets, form)) is not None]
    best = max(
        tables,
        key=lambda table: (has_data(table), table.score, table.score / len(table.form.fields)),
        default=None,
    )
    if best is not None:
        best.other_forms = [
            table
            for table in tables
            if table is not best and table.sheet is not best.sheet and has_data(table)
        ]
    return best


def table_on(sheet: RawSheet, form: FormSpec) -> Table | None:
    """The form's recognised table on this one sheet, whatever the sheet is called."""
    tables = _tables([sheet], form)
    return tables[0] if tables else None


def skipped_with_header(sheets: list[RawSheet], form: FormSpec | None) -> RawSheet | None:
    """The first example or instruction sheet (skipped for its name) holding the header of
    ``form`` (of any form when None): the refusal then says why the data there was not read."""
    forms = [form] if form is not None else known_forms()
    usable = usable_sheets(sheets)
    for sheet in sheets:
        if (
            not sheet.hidden
            and sheet not in usable
            and any(_tables([sheet], candidate) for candidate in forms)
        ):
            return sheet
    return None

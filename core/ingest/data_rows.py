"""The data rows of a found table, read cell by cell (lazily: every problem collected).

Per cell: required cells filled, each value readable as its field's kind (see
:mod:`core.ingest.normalize`); a cell showing an error value or a formula without a saved
result is an error, never a silent blank. A data cell merged down several rows is given to
each of them (and reported). Rows that are empty, closing total rows (合计/总计/小计),
footer lines (填表人…), a header repeated by a print layout and a （续） title are skipped
and reported. The rules over the rows read here are in :mod:`core.ingest.validate`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from core.forms import FieldSpec, Kind, Severity
from core.ingest.codes import Reason
from core.ingest.detect import Table, has_values
from core.ingest.findings import IssueLog
from core.ingest.header_match import match_header
from core.ingest.normalize import (
    MAX_COUNT,
    Normalized,
    NormalizeError,
    is_blank,
    parse_percent,
    reader_for,
    shown,
    without_spaces,
)
from core.ingest.read import RawSheet, column_letter
from core.ingest.report import NORMALIZATION

_TOTAL_ROW = re.compile(r"\D{0,6}?(合计|总计|小计)([:：(（].*)?")
# the signature lines under a form: 填表人：张三  审核人：李四  联系电话：…, 填报日期：…, 单位（盖章）
_FOOTER_ROW = re.compile(
    r"(填表人|填报人|制表人|统计人|审核人|复核人|联系人|联系电话|负责人|单位负责人|分管领导|"
    r"填报日期|填表日期|报送日期|制表日期|填报单位|单位[(（]?盖章|注[:：]|说明[:：]|备注[:：])"
)


@dataclass
class Validated:
    """The data rows read from a table: values by field key, and each row's number in the sheet."""

    rows: list[dict[str, Any]]
    row_numbers: list[int]


def skipped_line(rows: list[list[Any]], index: int, table: Table) -> str | None:
    """Why row ``index`` is not data: 'total' (合计/总计/小计), 'footer' (填表人…), 'header' (the
    header again, as print layouts repeat it every page), 'title' (a title line above such a
    repeated header, or a （续） title) — or None.

    Asked only of rows that have errors, so a data row is never skipped: a footer line is
    one whose first filled cell is a signature label, however many cells it spreads over.
    """
    row = rows[index]
    texts = [without_spaces(cell) for cell in row if isinstance(cell, str) and not is_blank(cell)]
    if any(_TOTAL_ROW.fullmatch(text) for text in texts[:3]):
        return "total"
    first = next((cell for cell in row if not is_blank(cell)), None)
    if texts and isinstance(first, str) and _FOOTER_ROW.match(texts[0]):
        return "footer"
    if _repeats_header(row, table):
        return "header"
    filled = [cell for cell in row if not is_blank(cell)]
    if len(filled) == 1 and isinstance(first, str):
        below = rows[index + 1] if index + 1 < len(rows) else []
        if "续" in first or _repeats_header(below, table):
            return "title"
    return None


def _repeats_header(row: list[Any], table: Table) -> bool:
    """Half the form's columns (at least 2) hold their own header again."""
    same = sum(
        1
        for key, column in table.columns.items()
        if column < len(row) and isinstance(row[column], str) and match_header(table.form, row[column]) == key
    )
    return same >= max(2, len(table.columns) // 2)


_SKIPPED = {"total": "合计行", "footer": "表尾说明", "header": "重复的表头行", "title": "续表标题行"}


class _Column(NamedTuple):
    key: str
    index: int
    read: Callable[[Any], Normalized]
    percent_rows: frozenset[int]
    spec: FieldSpec
    letter: str
    counts: bool  # a count column: the usual cell, a whole float >= 0, is read inline


def _columns(table: Table) -> list[_Column]:
    columns = []
    for spec in table.form.fields:
        index = table.columns.get(spec.key)
        if index is None:
            continue
        percent = table.sheet.percent_rows(index) if spec.kind is Kind.PERCENT else frozenset()
        read, counts = reader_for(spec), spec.kind is Kind.COUNT
        columns.append(_Column(spec.key, index, read, percent, spec, column_letter(index), counts))
    return columns


# (severity, code, message, field, raw value) of one cell, kept until the row is known to be data
_Found = tuple[str, str, str, FieldSpec, Any]


def _unseen_problem(sheet: RawSheet, index: int, column: _Column) -> _Found | None:
    """The error of a cell that reads as empty but shows an error value or holds a formula
    without a result (see RawSheet.unseen): never a silent 0 or "not reported"."""
    unseen = sheet.unseen(index, column.index)
    if unseen is None:
        return None
    if unseen.kind == "error":
        return (
            Severity.ERROR,
            Reason.CELL_ERROR_VALUE,
            f"单元格显示错误值 {unseen.text}（公式出错），请改正公式或直接填写数值",
            column.spec,
            unseen.text,
        )
    return (
        Severity.ERROR,
        Reason.FORMULA_WITHOUT_VALUE,
        f"单元格是公式 {unseen.text}，但文件里没有保存它的计算结果（常见于其他软件生成的表格）；"
        "请在 Excel/WPS 中打开并保存后再上传，或直接填写数值",
        column.spec,
        unseen.text,
    )


def _read_row(
    columns: list[_Column],
    absent: dict[str, Any],
    raw_row: list[Any],
    index: int,
    sheet: RawSheet,
) -> tuple[dict[str, Any] | None, list[_Found]]:
    """The row's values by field key (None when every mapped cell is empty) and what was found in it.

    This runs once per cell of big files, hence the plain tuples and the inlined blank test.
    """
    values = dict(absent)
    found: list[_Found] = []
    filled = False
    width = len(raw_row)
    typed = sheet.typed
    for column in columns:
        key, position, read, percent_rows, spec, letter, counts = column
        raw = raw_row[position] if position < width else None
        if counts and raw.__class__ is float and 0 <= raw <= MAX_COUNT and raw.is_integer():
            values[key] = int(raw)  # what parse_count returns for it, without the call
            filled = True
            continue
        if raw is None or (raw.__class__ is str and not raw.strip()):
            if (problem := _unseen_problem(sheet, index, column)) is not None:
                # not "filled": a row holding only formulas (a template filled down) is still empty
                values[key] = None
                found.append(problem)
                continue
            values[key] = spec.default
            if spec.required:
                found.append(
                    (Severity.ERROR, Reason.REQUIRED, f"「{spec.header}」为必填项，请填写", spec, None)
                )
            continue
        filled = True
        try:
            if index in percent_rows:
                normalized = parse_percent(raw, percent_formatted=True)
            else:
                normalized = read(raw)
        except NormalizeError as problem:
            values[key] = None
            found.append((Severity.ERROR, problem.code, problem.message, spec, raw))
            continue
        value, note, code = normalized
        values[key] = value
        if note is not None and (typed or code != Reason.TEXT_NUMBER):
            found.append((NORMALIZATION, code, f"{letter}{index + 1}：{note}", spec, raw))
    return (values if filled else None), found


def _fill_merged_cells(table: Table, columns: list[_Column], log: IssueLog) -> None:
    """A data cell merged down several rows (one 学年 for every school, one code over a
    school's two rows) holds its value only in its first cell; the user sees it in every row,
    so every row of the range that holds other data gets it (written into ``table.sheet.rows``,
    which the file's reading owns), and the user is told. Rows with nothing else stay empty."""
    by_index = {column.index: column for column in columns}
    rows = table.sheet.rows
    for top, left, bottom, _right in sorted(table.sheet.merged):
        column = by_index.get(left)
        if column is None or top < table.data_start or top >= len(rows) or bottom == top:
            continue
        value = rows[top][left] if left < len(rows[top]) else None
        if is_blank(value):
            continue
        filled = [
            index
            for index in range(top + 1, min(bottom, len(rows) - 1) + 1)
            if left < len(rows[index])
            and is_blank(rows[index][left])
            and has_values(rows[index], (other for other in by_index if other != left))
        ]
        for index in filled:
            rows[index][left] = value
        if filled:
            where = f"{column.letter}{top + 1}:{column.letter}{filled[-1] + 1}"
            log.note(
                Reason.MERGED_CELLS_FILLED,
                f"{where} 是合并单元格，按“{shown(value)}”填入其中每一行",
                top + 1,
                column.spec.header,
                value,
            )


def read_rows(
    table: Table, log: IssueLog, progress: Callable[[int, int], None] | None = None
) -> tuple[Validated, set[tuple[int, str]]]:
    """Each data row's values by field key, and the (row, key) cells that could not be read."""
    columns = _columns(table)
    _fill_merged_cells(table, columns, log)
    absent = {spec.key: spec.default for spec in table.form.fields if spec.key not in table.columns}
    sheet = table.sheet
    data = Validated([], [])
    bad_cells: set[tuple[int, str]] = set()
    empty_rows: list[int] = []
    sheet_rows = table.sheet.rows
    for index in range(table.data_start, len(sheet_rows)):
        if progress is not None and index % 2000 == 0:
            progress(index, len(sheet_rows))
        number = index + 1
        values, found = _read_row(columns, absent, sheet_rows[index], index, sheet)
        if values is None:
            empty_rows.append(number)
            continue
        if (
            found
            and any(item[0] == Severity.ERROR for item in found)
            and (skipped := skipped_line(sheet_rows, index, table))
        ):
            log.note(Reason.TOTAL_ROW, f"第 {number} 行为{_SKIPPED[skipped]}，已跳过，未导入", number)
            continue
        for severity, code, message, spec, raw in found:
            if severity == NORMALIZATION:
                log.note(code, message, number, spec.header, raw)
            else:
                bad_cells.add((number, spec.key))
                log.add(severity, code, message, number, spec.header, raw)
        data.rows.append(values)
        data.row_numbers.append(number)
    _report_empty_rows([n for n in empty_rows if data.row_numbers and n < data.row_numbers[-1]], log)
    return data, bad_cells


def _report_empty_rows(between: list[int], log: IssueLog) -> None:
    if not between:
        return
    listed = "、".join(str(number) for number in between[:10]) + ("…" if len(between) > 10 else "")
    log.note(Reason.EMPTY_ROWS, f"第 {listed} 行为空行，已跳过")

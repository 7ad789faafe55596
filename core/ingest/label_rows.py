"""Rows between a header and the data: a 栏次 row (甲 乙 丙 1 2 3 …), a units row (（人） …) or a
row of 必填/选填 hints directly under the header is not data (core.ingest.detect reads past them)."""

from __future__ import annotations

import re
from typing import Any

from core.ingest.normalize import is_blank, shown, to_half_width, without_spaces

_STEMS = "甲乙丙丁戊己庚辛壬癸"
_ROW_LABELS = frozenset({"栏次", "栏号", "单位", "计量单位"})
# a row under the header saying which columns must be filled: 必填，10位数字 | 选填 | (必填)
_HINT = re.compile(r"[*(]?(必填|选填|可选|非必填|可不填|不必填)")
_UNIT_CELL = re.compile(r"\(?(?:计量)?(?:单位:?)?(?:人|名|个|所|项|%|人次|万人|次|天|日|元|万元)\)?")
_BRACKETED_NUMBER = re.compile(r"\(?(\d{1,3})\)?")


def is_label(cell: Any) -> bool:
    """A cell of a 栏次 or units row: 甲, 1, （1）, （人）, 单位：人, %, 栏次."""
    if isinstance(cell, bool) or not isinstance(cell, str | int | float):
        return False
    text = _label_text(cell)
    return (
        text in _ROW_LABELS
        or (len(text) == 1 and text in _STEMS)
        or _BRACKETED_NUMBER.fullmatch(text) is not None
        or _UNIT_CELL.fullmatch(text) is not None
    )


def _label_text(cell: Any) -> str:
    return without_spaces(to_half_width(shown(cell)))


def _column_numbers(cells: list[str]) -> bool:
    """甲 乙 丙 … then 1 2 3 … (either part may be absent), each in sequence, at least 3 cells.

    A data row never looks like this: its code is ten digits, its year 2024-2025.
    """
    cells = [cell for cell in cells if cell not in _ROW_LABELS]
    stems = [cell for cell in cells if cell in _STEMS]
    numbers = [int(match.group(1)) for cell in cells if (match := _BRACKETED_NUMBER.fullmatch(cell))]
    if len(stems) + len(numbers) != len(cells) or len(cells) < 3 or cells[: len(stems)] != stems:
        return False
    stems_in_order = "".join(stems) == _STEMS[: len(stems)]
    numbers_in_order = numbers == list(range(numbers[0], numbers[0] + len(numbers))) if numbers else True
    return stems_in_order and numbers_in_order and (bool(stems) or numbers[0] == 1)


def label_row_kind(row: list[Any]) -> str | None:
    """'numbers' for a 栏次 row, 'units' for a row of units such as （人）, 'hints' for a row
    of 必填/选填, else None."""
    filled = [cell for cell in row if not is_blank(cell)]
    if filled and all(
        isinstance(cell, str) and _HINT.match(without_spaces(to_half_width(cell))) for cell in filled
    ):
        return "hints"
    if not filled or not all(is_label(cell) for cell in filled):
        return None
    texts = [_label_text(cell) for cell in filled]
    if _column_numbers(texts):
        return "numbers"
    if all(_UNIT_CELL.fullmatch(text) or text in _ROW_LABELS for text in texts):
        return "units" if any(text not in _ROW_LABELS for text in texts) else None
    return None

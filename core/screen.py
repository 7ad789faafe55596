"""Tables for the screen: numbers stay numbers, so that a column sorts as numbers do.

The tables the views build are the tables of the CSV files, where a rate is written
'96.5%' and a ratio '1:200.3' (spec: "Numbers the system writes"). On screen the same
columns are shown as numbers — 96.5 formatted '96.5%', 200.3 formatted '1:200.3' — so that
100.0% sorts above 78.6%, and the CSV stays byte for byte what it was.
"""

from __future__ import annotations

import re
from enum import StrEnum

import pandas as pd


class Kind(StrEnum):
    """How a numeric column is displayed (pages map a kind to a column format)."""

    PERCENT = "percent"  # 96.5 → '96.5%'
    RATIO = "ratio"  # 200.3 → '1:200.3'
    WHOLE = "whole"  # 12345 → '12,345'
    DECIMAL = "decimal"  # 3.25 → '3.3'


_TEXTS = {
    Kind.PERCENT: re.compile(r"^(-?\d+(?:\.\d+)?)%$"),
    Kind.RATIO: re.compile(r"^1:(\d+(?:\.\d+)?)$"),
}


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)


def _text_kind(values: list) -> Kind | None:
    """PERCENT or RATIO when every written value of a text column is one; else None.

    Plain Python over the values: a page of a table is 100 rows, where pandas' string
    methods cost more in their setup than in their work (measured per page view)."""
    written = [value for value in values if not _missing(value) and value != ""]
    if not written or not all(isinstance(value, str) for value in written):
        return None
    for kind, pattern in _TEXTS.items():
        if all(pattern.fullmatch(value) for value in written):
            return kind
    return None


def _as_number(values: list, kind: Kind) -> pd.api.extensions.ExtensionArray:
    matches = [_TEXTS[kind].fullmatch(value) if isinstance(value, str) else None for value in values]
    return pd.array([float(match[1]) if match else None for match in matches], dtype="Float64")


def numeric_for_screen(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Kind]]:
    """``frame`` with its rate and ratio texts as numbers, and how to display each numeric column."""
    kinds: dict[str, Kind] = {}
    shown = frame.copy()
    for name in frame.columns:
        values = frame[name]
        if pd.api.types.is_bool_dtype(values):
            continue
        if pd.api.types.is_numeric_dtype(values):
            kinds[name] = Kind.DECIMAL if pd.api.types.is_float_dtype(values) else Kind.WHOLE
        elif (kind := _text_kind(listed := values.tolist())) is not None:
            shown[name] = _as_number(listed, kind)
            kinds[name] = kind
    return shown, kinds

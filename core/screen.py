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


def _text_kind(values: pd.Series) -> Kind | None:
    """PERCENT or RATIO when every written value of a text column is one; else None."""
    written = values.dropna()
    written = written[written != ""]
    if written.empty or not all(isinstance(value, str) for value in written):
        return None
    for kind, pattern in _TEXTS.items():
        if written.str.fullmatch(pattern).all():
            return kind
    return None


def _as_number(values: pd.Series, kind: Kind) -> pd.Series:
    numbers = (
        values.where(values.notna() & (values != ""), None).astype("string").str.extract(_TEXTS[kind])[0]
    )
    return pd.to_numeric(numbers, errors="coerce").astype("Float64")


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
        elif (kind := _text_kind(values)) is not None:
            shown[name] = _as_number(values, kind)
            kinds[name] = kind
    return shown, kinds

"""How numbers are written, on screen and in files (spec: "Numbers the system writes").

Whole numbers without decimals; one decimal means rounded half up (四舍五入) from the
exact value (801/4 → 200.3), never banker's rounding; ratios ``1:N``; percentages with
one decimal; a rate whose denominator is 0 is "—" on screen and empty in files. Rows
are listed in the order users know (:func:`in_natural_order`), not the alphabet.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from core.config import LOCAL_TIME
from core.forms import LEVELS, OWNERSHIPS, PROVINCES, SCREENING_KINDS, TERMS

NOT_AVAILABLE = "—"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# Columns whose values are listed in a known order: the national province order, 秋季学期
# before 春季学期, the form's order of 办学层次, 办学性质 and 筛查类型.
NATURAL_ORDER: dict[str, tuple[str, ...]] = {
    "province": PROVINCES,
    "level": LEVELS,
    "ownership": OWNERSHIPS,
    "term": TERMS,
    "kind": SCREENING_KINDS,
}


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def round_half_up(numerator: int | float, denominator: int | float = 1, digits: int = 1) -> Decimal:
    """numerator / denominator rounded half up to ``digits`` decimals, computed exactly."""
    exact = Fraction(numerator) / Fraction(denominator)
    quantum = Decimal(1).scaleb(-digits)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(quantum, rounding=ROUND_HALF_UP)


def one_decimal(numerator: int | float, denominator: int | float = 1) -> str:
    """'200.3' for 801/4; '' when the denominator is 0 or missing."""
    if _is_missing(denominator) or _is_missing(numerator) or denominator == 0:
        return ""
    return str(round_half_up(numerator, denominator))


def ratio_text(students: int | float, staff: int | float) -> str:
    """'1:200.3' for 801 students and 4 staff; '' when there is no staff or no students."""
    if _is_missing(staff) or _is_missing(students) or staff == 0 or students == 0:
        return ""
    return f"1:{round_half_up(students, staff)}"


def percent_text(numerator: int | float, denominator: int | float) -> str:
    """'96.5%' for 965/1000; '' when the denominator is 0 or missing."""
    if _is_missing(denominator) or _is_missing(numerator) or denominator == 0:
        return ""
    return f"{round_half_up(100 * Fraction(numerator), denominator)}%"


def one_decimal_texts(
    numerators: np.ndarray, denominators: np.ndarray, *, prefix: str = "", suffix: str = ""
) -> list[str]:
    """:func:`one_decimal` of whole columns of non-negative integers, written
    ``prefix + '200.3' + suffix``; '' where the denominator is 0.

    The same rule in exact integer arithmetic over whole arrays, because a national table
    has tens of thousands of ratios and rates: n/d rounded half up to tenths is
    ⌊(20·n + d) / 2d⌋.
    """
    defined = denominators > 0
    tenths = (20 * numerators + denominators) // (2 * np.where(defined, denominators, 1))
    # Formatting plain ints in Python is ~3× faster than pandas string arithmetic here.
    return [
        f"{prefix}{whole}.{tenth}{suffix}" if written else ""
        for whole, tenth, written in zip(
            (tenths // 10).tolist(), (tenths % 10).tolist(), defined.tolist(), strict=True
        )
    ]


def on_screen(text: str) -> str:
    """A file's empty value as shown on screen ('—')."""
    return text if text else NOT_AVAILABLE


def rows_on_screen(frame: pd.DataFrame, column: str = "行") -> pd.DataFrame:
    """An issues table for the screen: a file-level issue has no row, which st.dataframe
    would write as 'None'; it is shown empty (the CSV of the table writes it empty too)."""
    return frame.assign(**{column: [("" if pd.isna(row) else str(int(row))) for row in frame[column]]})


def count_text(value: int | float | None) -> str:
    """'12,345' with thousands separators; '—' when missing."""
    if _is_missing(value):
        return NOT_AVAILABLE
    return f"{int(value):,}"


def local_time_text(moment: dt.datetime | None) -> str:
    """'2025-01-01 17:00:00' in Beijing time; stored times are UTC (naive ones are taken as UTC)."""
    if moment is None or pd.isna(moment):
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(LOCAL_TIME).strftime(TIME_FORMAT)


def local_time(values: pd.Series) -> pd.Series:
    """UTC timestamps (naive ones are taken as UTC) as Beijing time."""
    return pd.to_datetime(values, utc=True).dt.tz_convert(LOCAL_TIME)


def local_time_texts(values: pd.Series) -> pd.Series:
    """A column of UTC timestamps as Beijing-time text ('' where missing), vectorised."""
    return local_time(values).dt.strftime(TIME_FORMAT).fillna("")


def in_natural_order(
    frame: pd.DataFrame, by: Sequence[str], orders: Mapping[str, Sequence[str]] = NATURAL_ORDER
) -> pd.DataFrame:
    """``frame`` sorted on the columns ``by`` (stable, index reset): a column named in
    ``orders`` in that order (a value outside it last), any other column by value."""

    def rank(column: pd.Series) -> pd.Series:
        order = orders.get(str(column.name))
        if order is None:
            return column
        return column.map({value: position for position, value in enumerate(order)}).fillna(len(order))

    return frame.sort_values(list(by), key=rank, kind="stable").reset_index(drop=True)

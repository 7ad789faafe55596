"""Derived figures of a form declared as data, for whole tables at once: each indicator's value per
row (core.formdefs.vector), its 达标情况, how it is written, and 达标率 — pure functions, no database.

A percent indicator's value is ×100 (``standard = ">= 35"`` is 35%). Values are floats compared
with a tolerance of 1e-9 and written after rounding to 12 significant digits, so that 29/100 meets
">= 29" and 0.9645 is written 96.5% (half up), as a person computing by hand expects; the database's
达标率 (core.formdefs.sql) uses the same tolerance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.formdefs.definition import Definition, IndicatorDef
from core.formdefs.standards import TOLERANCE, meets_standard
from core.formdefs.vector import evaluate_columns

MET, NOT_MET = "达标", "未达标"


def indicator_values(indicator: IndicatorDef, frame: pd.DataFrame) -> pd.Series:
    """The indicator's value per row in its format's unit (percent ×100); NaN when empty."""
    values = evaluate_columns(indicator.expr, frame)
    return (values * 100 if indicator.format == "percent" else values).round(12)


def meets(indicator: IndicatorDef, values: pd.Series) -> pd.Series:
    """True / False per row against the indicator's standard; NaN (empty) without a value."""
    sign, threshold = indicator.comparison or ("", 0.0)
    return meets_standard(values, sign, threshold).astype(object).where(values.notna())


def written(indicator: IndicatorDef, values: pd.Series) -> pd.Series:
    """'96.5%' (percent), '3.3' (number), '3' (count): rounded half up; '' when empty."""
    places = 0 if indicator.format == "count" else 1
    scale = 10**places
    rounded = np.floor(values * scale + 0.5 + TOLERANCE) / scale
    pattern = "{:.0f}" if places == 0 else ("{:.1f}%" if indicator.format == "percent" else "{:.1f}")
    return rounded.map(lambda value: "" if pd.isna(value) else pattern.format(value))


def status(met: pd.Series) -> pd.Series:
    return met.map(lambda value: "" if pd.isna(value) else (MET if value else NOT_MET))


def derived(definition: Definition, frame: pd.DataFrame) -> pd.DataFrame:
    """The export's derived columns: each indicator's header (and ``<header>达标情况``)."""
    columns: dict[str, pd.Series] = {}
    for indicator in definition.indicators:
        values = indicator_values(indicator, frame)
        columns[indicator.header] = written(indicator, values)
        if indicator.comparison is not None:
            columns[f"{indicator.header}达标情况"] = status(meets(indicator, values))
    return pd.DataFrame(columns, index=frame.index)


def compliance_rate(met: int, measured: int) -> float | None:
    """达标率 in percent (one decimal), None when nothing was measured."""
    return None if measured == 0 else round(met * 100 / measured, 1)

"""Derived figures of a form declared as data: each indicator's exact value per row, its 达标情况,
how it is written, and 达标率 over a group — pure functions, no database.

Values are exact (fractions): a percent indicator's value is ×100 (``standard = ">= 35"`` is 35%),
and 29/100 compared with 29 is met, as a person computing by hand would expect.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from core.formdefs.definition import Definition, IndicatorDef
from core.formdefs.expr import evaluate

MET, NOT_MET = "达标", "未达标"
COMPARE = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}


def _exact(value: Any) -> Any:
    if isinstance(value, float):
        return Fraction(repr(value))
    return value


def indicator_value(indicator: IndicatorDef, row: Mapping[str, Any]) -> Fraction | None:
    """The indicator's exact value in its format's unit (percent ×100); None when empty."""
    value = evaluate(indicator.expr, {key: _exact(value) for key, value in row.items()})
    if value is None or isinstance(value, bool):
        return None
    value = Fraction(value)
    return value * 100 if indicator.format == "percent" else value


def meets(indicator: IndicatorDef, value: Fraction | None) -> bool | None:
    """Whether ``value`` meets the indicator's standard; None without a standard or a value."""
    comparison = indicator.comparison
    if comparison is None or value is None:
        return None
    sign, threshold = comparison
    return COMPARE[sign](value, Fraction(repr(threshold)))


def written(indicator: IndicatorDef, value: Fraction | None) -> str:
    """'96.5%' (percent), '3.3' (number), '3' (count): rounded half up; '' when empty."""
    if value is None:
        return ""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    places = Decimal("1") if indicator.format == "count" else Decimal("0.1")
    text = str(exact.quantize(places, rounding=ROUND_HALF_UP))
    return f"{text}%" if indicator.format == "percent" else text


def status(met: bool | None) -> str:
    return "" if met is None else (MET if met else NOT_MET)


def derived(definition: Definition, row: Mapping[str, Any]) -> dict[str, str]:
    """The export's derived columns of one row: each indicator's header (and 达标情况)."""
    columns: dict[str, str] = {}
    for indicator in definition.indicators:
        value = indicator_value(indicator, row)
        columns[indicator.header] = written(indicator, value)
        if indicator.comparison is not None:
            columns[f"{indicator.header}达标情况"] = status(meets(indicator, value))
    return columns


def compliance_rate(met: int, measured: int) -> float | None:
    """达标率 in percent (one decimal), None when nothing was measured."""
    return None if measured == 0 else round(met * 100 / measured, 1)

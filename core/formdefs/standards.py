"""A standard of an indicator (``">= 90"``) as a test on its value, shared by the rows (pandas,
core.metrics.indicators) and the database (SQL, core.formdefs.sql): the same operators work on
both. Floating point is compared with a tolerance, so that 29/100 × 100 meets ">= 29"."""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any

TOLERANCE = 1e-9
BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}
COMPARE = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}


def meets_standard(value: Any, sign: str, threshold: float, absolute: Callable[[Any], Any] = abs) -> Any:
    """``value`` (a Series or a SQL expression) compared with the standard ``sign threshold``;
    ``absolute`` is the absolute value of that kind (SQL: func.abs)."""
    tests = {
        ">=": lambda: value >= threshold - TOLERANCE,
        ">": lambda: value > threshold + TOLERANCE,
        "<=": lambda: value <= threshold + TOLERANCE,
        "<": lambda: value < threshold - TOLERANCE,
        "==": lambda: absolute(value - threshold) <= TOLERANCE,
        "!=": lambda: absolute(value - threshold) > TOLERANCE,
    }
    return tests[sign]()

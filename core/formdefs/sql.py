"""An indicator's expression as a SQL column expression, so that 达标率 is aggregated in the database.

The expression was checked (core.formdefs.expr) against the small grammar of the contract, so the
translation covers it all: fields (columns of the pivoted records), numbers, + - * / (a division by
0 gives NULL, as an empty field does), comparisons, and/or/not, min/max (CASE, portable).
Floating point is compared with a tolerance of 1e-9 so that 29/100 × 100 meets ">= 29".
"""

from __future__ import annotations

import ast
from typing import Any

from sqlalchemy import ColumnElement, Float, and_, case, cast, func, literal, not_, or_

from core.formdefs.definition import IndicatorDef
from core.formdefs.standards import BINARY as _BINARY
from core.formdefs.standards import COMPARE as _COMPARE
from core.formdefs.standards import meets_standard


def _extreme(values: list[Any], smallest: bool) -> Any:
    result = values[0]
    for value in values[1:]:
        result = case((result <= value if smallest else result >= value, result), else_=value)
    return result


def _sql(node: ast.AST, columns: Any) -> Any:
    if isinstance(node, ast.Expression):
        return _sql(node.body, columns)
    if isinstance(node, ast.Constant):
        return literal(float(node.value), Float)
    if isinstance(node, ast.Name):
        return cast(columns[node.id], Float)
    if isinstance(node, ast.BinOp):
        left, right = _sql(node.left, columns), _sql(node.right, columns)
        if isinstance(node.op, ast.Div):
            return left / func.nullif(right, 0)
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp):
        operand = _sql(node.operand, columns)
        return (
            not_(operand)
            if isinstance(node.op, ast.Not)
            else (-operand if isinstance(node.op, ast.USub) else operand)
        )
    if isinstance(node, ast.BoolOp):
        parts = [_sql(value, columns) for value in node.values]
        return and_(*parts) if isinstance(node.op, ast.And) else or_(*parts)
    if isinstance(node, ast.Compare):
        left, parts = _sql(node.left, columns), []
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = _sql(comparator, columns)
            parts.append(_COMPARE[type(op)](left, right))
            left = right
        return and_(*parts)
    if isinstance(node, ast.Call):
        return _extreme([_sql(argument, columns) for argument in node.args], node.func.id == "min")
    raise ValueError(f"unchecked expression node {type(node).__name__}")


def indicator_column(indicator: IndicatorDef, columns: Any) -> ColumnElement[Any]:
    """The indicator's value in its format's unit (percent ×100) over ``columns`` (field → column)."""
    value = _sql(ast.parse(indicator.expr.strip(), mode="eval"), columns)
    return value * 100 if indicator.format == "percent" else value


def meets_column(indicator: IndicatorDef, value: ColumnElement[Any]) -> ColumnElement[bool]:
    """The indicator's standard over ``value`` (NULL value: not met, not counted as measured)."""
    sign, threshold = indicator.comparison or ("", 0.0)
    return meets_standard(value, sign, threshold, func.abs)

"""A checked expression (core.formdefs.expr) over whole columns at once: the indicators of 30,000
rows in milliseconds. The same small grammar, walked over pandas Series of floats: NaN is an empty
value (a missing field, a division by 0) and stays empty through every operation."""

from __future__ import annotations

import ast
from collections.abc import Mapping

import numpy as np
import pandas as pd

from core.formdefs.standards import BINARY as _BINARY
from core.formdefs.standards import COMPARE as _COMPARE


def _truth(values: pd.Series) -> pd.Series:
    """1.0 / 0.0 / NaN (empty stays empty)."""
    return values.where(values.isna(), (values != 0).astype(float))


def _walk(node: ast.AST, columns: Mapping[str, pd.Series], index: pd.Index) -> pd.Series:
    if isinstance(node, ast.Expression):
        return _walk(node.body, columns, index)
    if isinstance(node, ast.Constant):
        return pd.Series(float(node.value), index=index)
    if isinstance(node, ast.Name):
        return pd.to_numeric(columns[node.id], errors="coerce").astype(float)
    if isinstance(node, ast.BinOp):
        left, right = _walk(node.left, columns, index), _walk(node.right, columns, index)
        if isinstance(node.op, ast.Div):
            return left / right.where(right != 0)
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp):
        operand = _walk(node.operand, columns, index)
        if isinstance(node.op, ast.Not):
            return 1.0 - _truth(operand)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BoolOp):
        parts = [_truth(_walk(value, columns, index)) for value in node.values]
        combine = np.fmin if isinstance(node.op, ast.And) else np.fmax
        result = parts[0]
        for part in parts[1:]:
            result = pd.Series(combine(result, part), index=index).where(result.notna() & part.notna())
        return result
    if isinstance(node, ast.Compare):
        left, result = _walk(node.left, columns, index), pd.Series(1.0, index=index)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = _walk(comparator, columns, index)
            compared = _COMPARE[type(op)](left, right).astype(float).where(left.notna() & right.notna())
            result = pd.Series(np.minimum(result, compared), index=index)
            left = right
        return result
    if isinstance(node, ast.Call):
        parts = [_walk(argument, columns, index) for argument in node.args]
        pick = np.minimum if node.func.id == "min" else np.maximum
        result = parts[0]
        for part in parts[1:]:
            result = pd.Series(pick(result, part), index=index)
        return result
    raise ValueError(f"unchecked expression node {type(node).__name__}")


def evaluate_columns(expression: str, frame: pd.DataFrame) -> pd.Series:
    """The value of a checked ``expression`` for every row of ``frame`` (floats, NaN when empty)."""
    return _walk(ast.parse(expression.strip(), mode="eval"), frame, frame.index)

"""The expressions of a form definition (``[[rule]] check``, ``[[indicator]] expr``).

Allowed (spec/forms-as-data.md): field keys, numbers, ``+ - * /``, parentheses, comparisons
``< <= > >= == !=``, ``and``, ``or``, ``not``, and ``min(…)``, ``max(…)``. :func:`problems`
checks an expression against that list before it is ever run; :func:`evaluate` runs a checked
one with simpleeval (a maintained sandboxed evaluator, pinned in requirements.txt), never
``eval``. A division by zero or an empty field makes the value empty (None).
"""

from __future__ import annotations

import ast
import functools
import threading
from collections.abc import Mapping
from typing import Any

from simpleeval import SimpleEval

_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd, ast.Not, ast.And, ast.Or)
_COMPARISONS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)
_NODES = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.Name, ast.Load, ast.Call)
FUNCTIONS = {"min": min, "max": max}


def _node_problem(node: ast.AST, fields: set[str]) -> str | None:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            return f"只能使用数字常量，不能使用 {node.value!r}"
        return None
    if isinstance(node, ast.Name):
        if node.id not in fields and node.id not in FUNCTIONS:
            return f"“{node.id}”不是本表的字段，可用的字段：{'、'.join(sorted(fields))}"
        return None
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS or node.keywords:
            return "只能调用 min(…) 和 max(…)"
        return None
    if isinstance(node, _OPERATORS + _COMPARISONS + _NODES):
        return None
    return f"不能使用“{type(node).__name__}”，只能用字段、数字、+ - * /、比较、and/or/not、min/max"


@functools.cache
def _variables(expression: str) -> frozenset[str]:
    return frozenset(variables(expression))


def variables(expression: str) -> set[str]:
    """The field keys ``expression`` names."""
    tree = ast.parse(expression, mode="eval")
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and node.id not in FUNCTIONS}


def problems(expression: str, fields: set[str]) -> list[str]:
    """What is wrong with ``expression`` (Chinese, one entry per problem); [] when it may be used."""
    if not isinstance(expression, str) or not expression.strip():
        return ["表达式不能为空"]
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        return [f"表达式“{expression}”写法有误，请检查括号和运算符"]
    found = [problem for node in ast.walk(tree) if (problem := _node_problem(node, fields))]
    if any(isinstance(node, ast.Name) and node.id in FUNCTIONS for node in ast.walk(tree)) and not all(
        isinstance(parent, ast.Call) for parent in _function_parents(tree)
    ):
        found.append("min / max 只能调用，如 min(a, b)")
    return list(dict.fromkeys(found))


def _function_parents(tree: ast.AST) -> list[ast.AST]:
    parents = []
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            if isinstance(child, ast.Name) and child.id in FUNCTIONS:
                parents.append(parent if isinstance(parent, ast.Call) and parent.func is child else child)
    return parents


@functools.cache
def _parsed(expression: str) -> ast.AST:
    return SimpleEval().parse(expression.strip())


_PER_THREAD = threading.local()


def _evaluator(expression: str) -> SimpleEval:
    """One evaluator per expression and thread (the app validates uploads in several threads), its
    names set per call: building one costs more than the evaluation, for every row of an upload."""
    evaluators = _PER_THREAD.__dict__.setdefault("evaluators", {})
    if expression not in evaluators:
        evaluators[expression] = SimpleEval(functions=FUNCTIONS)
    return evaluators[expression]


def evaluate(expression: str, values: Mapping[str, Any]) -> Any:
    """The value of a checked ``expression`` over ``values``; None when a field it uses is empty
    or a denominator is 0."""
    names = _variables(expression)
    if any(values.get(name) is None for name in names):
        return None
    evaluator = _evaluator(expression)
    evaluator.names = {name: values[name] for name in names}
    try:
        return evaluator.eval(expression.strip(), previously_parsed=_parsed(expression))
    except ZeroDivisionError:
        return None

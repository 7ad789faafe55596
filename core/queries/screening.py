"""Reads of the screening form (心理筛查): the scope's rows and the counts summed by the database."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Select, func, select

from core.formatting import in_natural_order
from core.forms import SCREENING
from core.metrics import screening as metrics
from core.models import ScreeningReport
from core.queries.base import Bind, apply_scope, connected, form_rows, read_frame
from core.scope import Scope


def _filtered(statement: Select, scope: Scope, term: str | None, kind: str | None) -> Select:
    """``statement`` over ScreeningReport restricted to ``scope`` and, when given, term and type."""
    statement = apply_scope(statement.select_from(ScreeningReport), scope, ScreeningReport)
    if term:
        statement = statement.where(ScreeningReport.term == term)
    if kind:
        statement = statement.where(ScreeningReport.kind == kind)
    return statement


def _sums() -> list[Any]:
    """SUM of every count column (0, not NULL, when no row matches)."""
    return [func.coalesce(func.sum(getattr(ScreeningReport, key)), 0).label(key) for key in metrics.COUNTS]


def screening_rows(
    bind: Bind, scope: Scope, *, term: str | None = None, kind: str | None = None
) -> pd.DataFrame:
    """The stored rows in scope (form fields as stored) with the institution's 高校名录
    name (``institution_name``), province, level and ownership; ordered by province
    (national order), code, year, term and type."""
    rows = read_frame(bind, _filtered(form_rows(SCREENING), scope, term, kind))
    return in_natural_order(rows, ["province", "code", "year", "term", "kind"])


def screening_totals(
    bind: Bind, scope: Scope, *, term: str | None = None, kind: str | None = None
) -> dict[str, int]:
    """Summed counts in scope (keys of ``metrics.COUNTS``), added up by the database."""
    statement = _filtered(select(*_sums()), scope, term, kind)
    with connected(bind) as connection:
        row = connection.execute(statement).one()
    return {key: int(value) for key, value in row._mapping.items()}


def term_counts(bind: Bind, scope: Scope, *, kind: str | None = None) -> pd.DataFrame:
    """Per 学年 and 学期 over every year of the scope (its year is ignored): ``year``,
    ``term`` and the summed counts; oldest first, 秋季学期 before 春季学期."""
    statement = _filtered(
        select(
            ScreeningReport.year,
            ScreeningReport.term,
            *_sums(),
            func.count(func.distinct(ScreeningReport.code)).label("institutions"),
        ),
        scope.all_years(),
        None,
        kind,
    ).group_by(ScreeningReport.year, ScreeningReport.term)
    return in_natural_order(read_frame(bind, statement), ["year", "term"])

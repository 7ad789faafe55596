"""Reads of the screening form (心理筛查): the scope's rows, SQL totals, the term trend, the export."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Engine, Select, func, select

from core.forms import SCREENING
from core.metrics import screening as metrics
from core.models import Institution, ScreeningReport
from core.queries.base import apply_scope, read_frame
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
    engine: Engine, scope: Scope, *, term: str | None = None, kind: str | None = None
) -> pd.DataFrame:
    """The stored rows in scope (form fields as stored) with the institution's 高校名录
    name (``registered_name``), province, level and ownership; ordered by province
    (national order), code, year, term and type."""
    statement = _filtered(
        select(
            *(getattr(ScreeningReport, key) for key in SCREENING.keys),
            Institution.name.label("registered_name"),
            Institution.province,
            Institution.level,
            Institution.ownership,
        ),
        scope,
        term,
        kind,
    )
    rows = read_frame(engine, statement)
    return metrics.sort_rows(rows, ["province", "code", "year", "term", "kind"])


def screening_totals(
    engine: Engine, scope: Scope, *, term: str | None = None, kind: str | None = None
) -> dict[str, int]:
    """Summed counts in scope (keys of ``metrics.COUNTS``), added up by the database."""
    statement = _filtered(select(*_sums()), scope, term, kind)
    with engine.connect() as connection:
        row = connection.execute(statement).one()
    return {key: int(value) for key, value in row._mapping.items()}


def term_totals(engine: Engine, scope: Scope, *, kind: str | None = None) -> pd.DataFrame:
    """Per 学年 and 学期 over every year of the scope (its year is ignored): the summed
    counts, then flagged and the rates; oldest first, 秋季学期 before 春季学期."""
    statement = _filtered(
        select(ScreeningReport.year, ScreeningReport.term, *_sums()), scope.all_years(), None, kind
    ).group_by(ScreeningReport.year, ScreeningReport.term)
    periods = metrics.sort_rows(read_frame(engine, statement), ["year", "term"])
    return metrics.with_derived(periods)


def export_frame(engine: Engine, scope: Scope, mask_small: bool = False) -> pd.DataFrame:
    """The full screening table of ``scope`` as exported (spec: "Derived columns in
    exports"): the form's columns, 所在省份/办学层次/办学性质, then 筛查覆盖率,
    预警人数合计, 预警率, 高风险率, 约谈评估率; small counts masked when ``mask_small``."""
    return metrics.table(screening_rows(engine, scope), metrics.EXPORT_COLUMNS, mask=mask_small)


def overview_kpis(engine: Engine, scope: Scope) -> dict[str, Any]:
    """For 总览: ``screened`` and ``target`` (ints), ``coverage`` (text such as '96.5%',
    '—' when nobody was to be screened) and ``high`` (int, 高风险人数)."""
    totals = screening_totals(engine, scope)
    return {
        "screened": totals["screened"],
        "target": totals["target"],
        "coverage": metrics.kpi_texts(totals)[metrics.COVERAGE.header],
        "high": totals["high"],
    }

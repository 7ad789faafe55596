"""Reads of the screening form (心理筛查): the scope's rows, SQL totals, the term trend, the export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine, Select, func, select

from core.charts.points import capped
from core.formatting import in_natural_order
from core.forms import SCREENING
from core.metrics import screening as metrics
from core.models import ScreeningReport
from core.queries.base import apply_scope, form_rows, read_frame
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
    rows = read_frame(engine, _filtered(form_rows(SCREENING, "registered_name"), scope, term, kind))
    return in_natural_order(rows, ["province", "code", "year", "term", "kind"])


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
    periods = in_natural_order(read_frame(engine, statement), ["year", "term"])
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


def _follow_up_points(by_institution: pd.DataFrame) -> pd.DataFrame:
    """The institutions the follow-up chart draws: those with someone flagged (at most
    MAX_POINTS, the ones that did not follow up everyone always among them, see
    core.charts.points), with only the columns the chart shows."""
    columns = ["registered_name", "province", metrics.FLAGGED, "interviewed", metrics.FOLLOW_UP.key]
    flagged = by_institution.dropna(subset=[metrics.FOLLOW_UP.key])[columns].reset_index(drop=True)
    return capped(flagged, flagged["interviewed"] < flagged[metrics.FLAGGED])


@dataclass(frozen=True)
class ScreeningPage:
    """Everything 心理筛查 shows for one scope, term, type and coverage line.

    ``tables`` are the tables on screen (exact counts, '—' for a rate without
    denominator): the roll-ups by each of ``metrics.ROLLUP_GROUPS``, "attention" (需关注名单)
    and "rows" (明细); ``sources`` the frames and columns their CSV files are made of.
    """

    kpis: dict[str, str]
    tables: dict[str, pd.DataFrame]
    sources: dict[str, tuple[pd.DataFrame, tuple[str, ...]]]
    by_province: pd.DataFrame
    risk_group: str
    risks: pd.DataFrame
    trend: pd.DataFrame
    follow_up: pd.DataFrame
    follow_up_total: int

    @property
    def empty(self) -> bool:
        """No stored row in scope."""
        return self.sources["rows"][0].empty

    def file(self, name: str, *, mask: bool) -> pd.DataFrame:
        """The CSV file of table ``name``, small counts masked when ``mask``."""
        frame, columns = self.sources[name]
        return metrics.table(frame, columns, mask=mask)


def screening_page(
    engine: Engine,
    scope: Scope,
    *,
    term: str | None = None,
    kind: str | None = None,
    coverage_line: float = metrics.DEFAULT_COVERAGE_LINE,
) -> ScreeningPage:
    """The 心理筛查 page: one read of the scope's rows, every table and chart frame from it."""
    rows = screening_rows(engine, scope, term=term, kind=kind)
    rollups = {group: metrics.rollup(rows, [group]) for group in metrics.ROLLUP_GROUPS}
    sources = {group: (frame, (group, *metrics.ROLLUP_COLUMNS)) for group, frame in rollups.items()}
    sources["attention"] = (metrics.attention_list(rows, coverage_line), metrics.ATTENTION_COLUMNS)
    sources["rows"] = (rows, metrics.EXPORT_COLUMNS)
    risk_group = "province" if len(rollups["province"]) > 1 else "kind"
    by_institution = metrics.rollup(rows, ["code", "registered_name", "province"])
    return ScreeningPage(
        kpis=metrics.kpi_texts(rows[list(metrics.COUNTS)].astype("int64").sum().to_dict()),
        tables={
            name: metrics.for_screen(metrics.table(frame, columns))
            for name, (frame, columns) in sources.items()
        },
        sources=sources,
        by_province=rollups["province"],
        risk_group=risk_group,
        risks=rollups["province"] if risk_group == "province" else metrics.rollup(rows, [risk_group]),
        trend=term_totals(engine, scope, kind=kind),
        follow_up=_follow_up_points(by_institution),
        follow_up_total=int(by_institution[metrics.FOLLOW_UP.key].notna().sum()),
    )

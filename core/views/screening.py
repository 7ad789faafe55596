"""What 心理筛查 shows: the page, its tables and chart frames, the export and the 总览 figures,
built from the reads of core.queries.screening and the metrics of core.metrics.screening."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from core.charts.points import capped
from core.freshness import INSTITUTIONS_AREA, SCREENING_AREA, reads
from core.metrics import screening as metrics
from core.queries import screening as queries
from core.scope import Scope
from core.views.case_targets import screening_targets
from core.workers import offloaded


def term_totals(engine: Engine, scope: Scope, *, kind: str | None = None) -> pd.DataFrame:
    """Per 学年 and 学期 over every year of the scope (its year is ignored): the summed
    counts, then flagged and the rates; oldest first, 秋季学期 before 春季学期."""
    return metrics.with_derived(queries.term_counts(engine, scope, kind=kind))


def export_frame(engine: Engine, scope: Scope, mask_small: bool = False) -> pd.DataFrame:
    """The full screening table of ``scope`` as exported (spec: "Derived columns in
    exports"): the form's columns, 所在省份/办学层次/办学性质, then 筛查覆盖率,
    预警人数合计, 预警率, 高风险率, 约谈评估率; small counts masked when ``mask_small``."""
    return metrics.table(queries.screening_rows(engine, scope), metrics.EXPORT_COLUMNS, mask=mask_small)


@dataclass(frozen=True)
class ScreeningFigures:
    """The screening figures of 总览: ``screened`` and ``target`` students, ``coverage``
    (text such as '96.5%', '—' when nobody was to be screened) and ``high`` (高风险人数)."""

    screened: int
    target: int
    coverage: str
    high: int


def overview_kpis(engine: Engine, scope: Scope) -> ScreeningFigures:
    """:class:`ScreeningFigures` of ``scope``."""
    totals = queries.screening_totals(engine, scope)
    return ScreeningFigures(
        screened=totals["screened"],
        target=totals["target"],
        coverage=metrics.kpi_texts(totals)[metrics.COVERAGE.header],
        high=totals["high"],
    )


def _follow_up_points(by_institution: pd.DataFrame) -> pd.DataFrame:
    """The institutions the follow-up chart draws: those with someone flagged (at most
    MAX_POINTS, the ones that did not follow up everyone always among them, see
    core.charts.points), with only the columns the chart shows."""
    columns = ["institution_name", "province", metrics.FLAGGED, "interviewed", metrics.FOLLOW_UP.key]
    flagged = by_institution.dropna(subset=[metrics.FOLLOW_UP.key])[columns].reset_index(drop=True)
    return capped(flagged, flagged["interviewed"] < flagged[metrics.FLAGGED])


@dataclass(frozen=True)
class ScreeningPage:
    """Everything 心理筛查 shows for one scope, term, type and coverage line.

    ``tables`` are the tables on screen (exact counts, '—' for a rate without
    denominator): the roll-ups by each of ``metrics.ROLLUP_GROUPS``, "attention" (需关注名单)
    and "rows" (明细); ``sources`` the frames and columns their CSV files are made of;
    ``case_targets`` what 发起督办 offers under 需关注名单 (core.views.case_targets).
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
    case_targets: dict[str, tuple[str, str, str, str]]

    @property
    def empty(self) -> bool:
        """No stored row in scope."""
        return self.sources["rows"][0].empty

    def file(self, name: str, *, mask: bool) -> pd.DataFrame:
        """The CSV file of table ``name``, small counts masked when ``mask``."""
        frame, columns = self.sources[name]
        return metrics.table(frame, columns, mask=mask)


@offloaded
@reads(INSTITUTIONS_AREA, SCREENING_AREA)
def screening_page(
    engine: Engine,
    scope: Scope,
    *,
    term: str | None = None,
    kind: str | None = None,
    coverage_line: float = metrics.DEFAULT_COVERAGE_LINE,
) -> ScreeningPage:
    """The 心理筛查 page: one read of the scope's rows, every table and chart frame from it."""
    rows = queries.screening_rows(engine, scope, term=term, kind=kind)
    rollups = {group: metrics.rollup(rows, [group]) for group in metrics.ROLLUP_GROUPS}
    sources = {group: (frame, (group, *metrics.ROLLUP_COLUMNS)) for group, frame in rollups.items()}
    sources["attention"] = (metrics.attention_list(rows, coverage_line), metrics.ATTENTION_COLUMNS)
    sources["rows"] = (rows, metrics.EXPORT_COLUMNS)
    risk_group = "province" if len(rollups["province"]) > 1 else "kind"
    by_institution = metrics.rollup(rows, ["code", "institution_name", "province"])
    tables = {
        name: metrics.for_screen(metrics.table(frame, columns)) for name, (frame, columns) in sources.items()
    }
    return ScreeningPage(
        kpis=metrics.kpi_texts(rows[list(metrics.COUNTS)].astype("int64").sum().to_dict()),
        tables=tables,
        sources=sources,
        by_province=rollups["province"],
        risk_group=risk_group,
        risks=rollups["province"] if risk_group == "province" else metrics.rollup(rows, [risk_group]),
        trend=term_totals(engine, scope, kind=kind),
        follow_up=_follow_up_points(by_institution),
        follow_up_total=int(by_institution[metrics.FOLLOW_UP.key].notna().sum()),
        case_targets=screening_targets(tables["attention"]),
    )

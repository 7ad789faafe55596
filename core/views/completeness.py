"""What 报送情况 shows, as one cached unit: every frame the page shows for a scope, a period
and a day; and the reporting rates of 总览.

The page used to recompute the rates, the heatmap frame and the 3,000-row status table
from cached statuses on every rerun (~250 ms at national scale), and read the statuses
of the 学年 and of the chosen period in two queries. :func:`completeness_page` reads them
in one pass (:func:`core.queries.completeness.period_statuses`) and derives everything
once, so a rerun only draws.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from core.config import load_settings
from core.deadlines import Period, periods_of_year
from core.freshness import INSTITUTIONS_AREA, SCREENING_AREA, SETTINGS_AREA, STAFFING_AREA, reads
from core.metrics import completeness as metrics
from core.queries import completeness as queries
from core.queries.completeness import period_statuses
from core.scope import Scope
from core.workers import offloaded

RATE_GROUPS = ("level", "ownership")  # the rate tables beside the province one
NUMERIC_RATES = ["报送率数值", "按时报送率数值"]  # chart-only columns of the province rates


@dataclass(frozen=True)
class CompletenessPage:
    """What 报送情况 shows for one scope, period and day.

    ``matrix`` is the heatmap of every period of the 学年: per institution (状态) when
    ``per_institution`` (one province chosen), else per province (报送率).
    ``province_rates`` is the province table plus the numeric rates its chart draws;
    ``group_rates`` the tables by 办学层次 and 办学性质.
    """

    per_institution: bool
    matrix: pd.DataFrame
    kpis: dict[str, str]
    overall_rate: float | None
    province_rates: pd.DataFrame
    group_rates: dict[str, pd.DataFrame]
    missing: pd.DataFrame
    statuses: pd.DataFrame

    @property
    def province_table(self) -> pd.DataFrame:
        """The province rates as shown in the table and its CSV (without the chart's numbers)."""
        return self.province_rates.drop(columns=NUMERIC_RATES)


def _matrix(statuses: pd.DataFrame, per_institution: bool) -> pd.DataFrame:
    if per_institution:
        return metrics.institution_matrix(statuses)
    return metrics.province_matrix(statuses)


def deadline_text(deadlines: pd.Series) -> str:
    """The period's deadline: one date, or the range when provinces set their own."""
    first, last = deadlines.min(), deadlines.max()
    if first == last:
        return first.isoformat()
    return f"{first.isoformat()} 至 {last.isoformat()}（各省不同）"


def _kpis(classified: pd.DataFrame, overall: pd.Series) -> dict[str, str]:
    return {
        "截止日期": deadline_text(classified["deadline"]),
        "应报学校": f"{overall['expected']:,}",
        "报送率": overall["reporting_rate_text"],
        "按时报送率": overall["on_time_rate_text"],
        "未报学校": f"{overall['not_submitted']:,}",
        "待审核学校": f"{int(classified['status'].eq(metrics.AWAITING_REVIEW).sum()):,}",
    }


@offloaded
@reads(INSTITUTIONS_AREA, STAFFING_AREA, SCREENING_AREA, SETTINGS_AREA)
def completeness_page(engine: Engine, scope: Scope, period: Period, today: dt.date) -> CompletenessPage:
    """报送情况 of ``scope.year`` with ``period`` chosen (at least one institution in scope).

    The statuses of the 学年's periods (the heatmap) and of ``period`` come from one
    :func:`period_statuses` call (one query per form).
    """
    year_periods = periods_of_year(period.year)
    statuses = period_statuses(engine, scope, list(dict.fromkeys([*year_periods, period])), today)
    in_year = statuses[statuses["period"].isin([each.column for each in year_periods])]
    classified = statuses[statuses["period"] == period.column].reset_index(drop=True)
    overall = metrics.reporting_rates(classified, []).iloc[0]
    per_institution = len(scope.provinces) == 1
    return CompletenessPage(
        per_institution=per_institution,
        matrix=_matrix(in_year.reset_index(drop=True), per_institution),
        kpis=_kpis(classified, overall),
        overall_rate=overall["reporting_rate"],
        province_rates=metrics.chart_rates(metrics.province_rates(classified), ["province"]),
        group_rates={
            group: metrics.rate_table(metrics.reporting_rates(classified, [group]), [group])
            for group in RATE_GROUPS
        },
        missing=missing_frame(engine, scope, period.form, term=period.term),
        statuses=metrics.status_table(classified),
    )


def _summary(classified: pd.DataFrame, period: Period) -> dict[str, Any]:
    row = metrics.reporting_rates(classified, []).iloc[0]
    return {
        "label": period.label(),
        "deadline": classified["deadline"].max() if len(classified) else None,  # the last province's
        **{key: int(row[key]) for key in ("expected", "submitted", "on_time", "late", "not_submitted")},
        "reporting_rate": row["reporting_rate"],
        "on_time_rate": row["on_time_rate"],
        "reporting_rate_text": row["reporting_rate_text"],
        "on_time_rate_text": row["on_time_rate_text"],
    }


def missing_frame(engine: Engine, scope: Scope, form: str, term: str | None = None) -> pd.DataFrame:
    """未报送名单 (see :func:`core.queries.completeness.missing_rows`) under the headers 学校标识码,
    学校名称, 所在省份, 办学层次, 办学性质: on the page and in ``python -m core.cli missing``."""
    return queries.missing_rows(engine, scope, form, term).rename(columns=metrics.REGISTRY_HEADERS)


def reporting_summary(engine: Engine, scope: Scope, today: dt.date | None = None) -> dict[str, Any]:
    """Reporting rates of ``scope.year`` for the 总览 page.

    ``{"year", "staffing", "screening", "screening_terms": {学期: …}}``; each entry is
    ``{"label", "deadline"`` (the latest of the provinces') ``, "expected", "submitted", "on_time",
    "late", "not_submitted", "reporting_rate", "on_time_rate"`` (percent, one decimal, None when nothing is
    expected) ``, "reporting_rate_text", "on_time_rate_text"}`` ('92.3%' or '—').
    "screening" counts an institution that reported either 学期 of the 学年.
    ``today`` defaults to the configured today (APP_TODAY).
    """
    if scope.year is None:
        return {"year": None, "staffing": None, "screening": None, "screening_terms": {}}
    whole_year = Period("screening", scope.year)
    periods = [Period("staffing", scope.year), whole_year] + whole_year.deciding_periods()
    summaries = _summaries(engine, scope, periods, today)
    return {
        "year": scope.year,
        "staffing": summaries[periods[0]],
        "screening": summaries[whole_year],
        "screening_terms": {period.term: summaries[period] for period in periods[2:]},
    }


def staffing_reporting(engine: Engine, scope: Scope, today: dt.date | None = None) -> dict[str, Any] | None:
    """:func:`reporting_summary`'s "staffing" entry alone (总览's 未报送 tile), without reading the
    screening periods; None without a 学年."""
    if scope.year is None:
        return None
    period = Period("staffing", scope.year)
    return _summaries(engine, scope, [period], today)[period]


def _summaries(
    engine: Engine, scope: Scope, periods: list[Period], today: dt.date | None
) -> dict[Period, dict[str, Any]]:
    statuses = queries.period_statuses(engine, scope, periods, today or load_settings().today())
    return {period: _summary(statuses[statuses["period"] == period.column], period) for period in periods}

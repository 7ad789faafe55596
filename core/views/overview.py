"""What 总览 shows: the headline figures of every area for one scope, read through each area's queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from core.accounts.limits import Limits
from core.accounts.users import institution_registry
from core.deadlines import previous_year
from core.formatting import in_natural_order, on_screen
from core.forms import PROVINCES
from core.freshness import (
    INSTITUTIONS_AREA,
    PROJECTS_AREA,
    SCREENING_AREA,
    SETTINGS_AREA,
    STAFFING_AREA,
    reads,
)
from core.headers import INSTITUTION_NAME, INSTITUTION_NAME_HEADER
from core.metrics import staffing as staffing_metrics
from core.queries.overview import institutions_by_province
from core.scope import Scope
from core.settings_store import load_standards
from core.standards import Standard, Standards
from core.views import completeness, projects, screening, staffing
from core.views.screening import ScreeningFigures
from core.views.staffing import StaffingKpis
from core.views.tiles import Tile, high_risk_tile, missing_tile, staffing_tiles
from core.workers import offloaded

PROVINCE = "所在省份"
INSTITUTIONS = "高校数"
WORST = 10  # institutions shown when one province is chosen
COUNSELOR_COLUMNS = (
    "辅导员适用学校数",
    "辅导员达标学校数",
    "辅导员达标率",
    "辅导员总体师生比",
    "辅导员缺口合计",
)


@dataclass(frozen=True)
class OverviewKpis:
    """Each area's headline figures for 总览: ``institutions`` in 高校名录, ``staffing``,
    ``screening``, ``projects`` (projects, accepted, in_progress, overdue: not by 学年) and
    ``staffing_reporting`` (core.views.completeness.staffing_reporting; None without a 学年)."""

    institutions: int
    staffing: StaffingKpis
    screening: ScreeningFigures
    projects: dict[str, int]
    staffing_reporting: dict[str, Any] | None


def _province_table(engine: Engine, scope: Scope, compliance: pd.DataFrame) -> pd.DataFrame:
    """Per province in scope: institutions, and the counselor columns of ``compliance``
    (staffing.group_summary by province). Every province with an institution in scope has
    a row, also one that has not reported staffing (its compliance columns are empty)."""
    counts = institutions_by_province(engine, scope).rename(
        columns={"province": PROVINCE, "institutions": INSTITUTIONS}
    )
    columns = [PROVINCE, *COUNSELOR_COLUMNS]
    if compliance.empty:
        compliance = pd.DataFrame(columns=columns)
    table = counts.merge(compliance[columns], on=PROVINCE, how="left")
    for column in ("辅导员适用学校数", "辅导员达标学校数", "辅导员缺口合计"):
        table[column] = table[column].astype("Int64")
    return in_natural_order(table, [PROVINCE], {PROVINCE: PROVINCES})


def worst_institutions(frame: pd.DataFrame, standard: Standard, count: int = WORST) -> pd.DataFrame:
    """The ``count`` institutions furthest below ``standard`` (largest gap, then most students per
    staff member) from a staffing metrics frame: 学校名称, 缺口, 师生比, 学校标识码."""

    def metric(suffix: str) -> str:
        return staffing_metrics.column(standard, suffix)

    failing = frame[frame[metric(staffing_metrics.STATUS)].eq(staffing_metrics.NON_COMPLIANT)]
    worst = failing.sort_values(
        [metric(staffing_metrics.GAP), metric(staffing_metrics.PER_STAFF), "code"],
        ascending=[False, False, True],
    ).head(count)
    headers = {
        INSTITUTION_NAME: INSTITUTION_NAME_HEADER,
        metric(staffing_metrics.GAP): "缺口",
        metric(staffing_metrics.RATIO): "师生比",
    }
    table = worst[[*headers, "code"]].rename(columns=headers | {"code": "学校标识码"})
    table["缺口"] = table["缺口"].astype("int64")
    return table.reset_index(drop=True)


def _tiles(
    engine: Engine, scope: Scope, today: dt.date, standards: Standards, kpis: OverviewKpis
) -> list[Tile]:
    """The tiles of the three standards, 高风险人数 and 未报送学校, each against the previous 学年."""
    staffing_before = screening_before = reporting_before = None
    if scope.year:
        earlier = replace(scope, year=previous_year(scope.year))
        staffing_before = staffing.summary_kpis(staffing.metrics_frame(engine, earlier, standards), standards)
        screening_before = screening.overview_kpis(engine, earlier)
        reporting_before = completeness.staffing_reporting(engine, earlier, today)
    had_staffing = staffing_before is not None and staffing_before.institutions > 0
    return [
        *staffing_tiles(kpis.staffing, staffing_before if had_staffing else None),
        high_risk_tile(kpis.screening, screening_before),
        missing_tile(kpis.staffing_reporting, reporting_before, today),
    ]


@dataclass(frozen=True)
class OverviewPage:
    """Everything 总览 shows for one scope and day: ``kpis`` each area's headline figures,
    the province table and the counselor standard its chart is about; ``tiles`` the headline tiles with their
    change from the previous 学年; ``worst`` the institutions furthest below the counselor
    standard (drawn instead of the province chart when one province is chosen)."""

    kpis: OverviewKpis
    provinces: pd.DataFrame
    counselors: Standard
    tiles: list[Tile]
    worst: pd.DataFrame


@offloaded
@reads(INSTITUTIONS_AREA, STAFFING_AREA, SCREENING_AREA, PROJECTS_AREA, SETTINGS_AREA)
def overview_page(engine: Engine, scope: Scope, today: dt.date) -> OverviewPage:
    """The 总览 page; the staffing figures of the tiles and the table come from one metrics pass."""
    standards = load_standards(engine)
    frame = staffing.metrics_frame(engine, scope, standards)
    provinces = _province_table(engine, scope, staffing.group_summary(frame, "province", standards))
    institutions = int(provinces[INSTITUTIONS].sum())  # every institution has a province
    kpis = OverviewKpis(
        institutions=institutions,
        staffing=staffing.summary_kpis(frame, standards),
        screening=screening.overview_kpis(engine, scope),
        projects=projects.overview_kpis(engine, scope, today),
        staffing_reporting=completeness.staffing_reporting(engine, scope, today),
    )
    return OverviewPage(
        kpis=kpis,
        provinces=provinces,
        counselors=standards.counselors,
        tiles=_tiles(engine, scope, today, standards, kpis),
        worst=worst_institutions(frame, standards.counselors),
    )


@reads(INSTITUTIONS_AREA, STAFFING_AREA, SCREENING_AREA, PROJECTS_AREA, SETTINGS_AREA)
def peer_figures(engine: Engine, scope: Scope, limits: Limits, today: dt.date) -> dict[str, dict[str, str]]:
    """For a user limited to its own institution (校级填报): the headline rates of its province
    and of the country in ``scope``'s year and kinds, as aggregates only (no institution's name
    or code); nothing for any other user. Place → {tile label → value text}."""
    if not limits.codes:
        return {}
    registry = institution_registry(engine)
    provinces = tuple(sorted({registry[code] for code in limits.codes if code in registry}))
    wider = {
        f"{'、'.join(provinces)}全省": replace(scope, provinces=provinces, codes=()),
        "全国": replace(scope, provinces=(), codes=()),
    }
    figures = {}
    for place, wider_scope in wider.items():
        kpis = overview_page(engine, wider_scope, today).kpis
        reporting = kpis.staffing_reporting
        figures[place] = {
            "高校数": f"{kpis.institutions:,}",
            "辅导员配备达标率": on_screen(kpis.staffing.counselors.share_text),
            "心理筛查覆盖率": on_screen(kpis.screening.coverage),
            "队伍配备报送率": reporting["reporting_rate_text"] if reporting else "—",
        }
    return figures

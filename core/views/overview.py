"""What 总览 shows: the headline figures of every area for one scope, read through each area's queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from core.accounts.limits import Limits
from core.accounts.users import institution_registry
from core.formatting import in_natural_order, on_screen
from core.forms import PROVINCES
from core.queries.overview import institutions_by_province
from core.scope import Scope
from core.settings_store import load_standards
from core.standards import Standard
from core.views import completeness, projects, screening, staffing

PROVINCE = "所在省份"
INSTITUTIONS = "高校数"
COUNSELOR_COLUMNS = (
    "辅导员适用学校数",
    "辅导员达标学校数",
    "辅导员达标率",
    "辅导员总体师生比",
    "辅导员缺口合计",
)


def _kpis(
    engine: Engine, scope: Scope, today: dt.date, institutions: int, staffing_kpis: dict[str, Any]
) -> dict[str, Any]:
    """Every 总览 tile: institutions and staffing (given), screening, projects, reporting rates."""
    return {
        "institutions": institutions,
        "staffing": staffing_kpis,
        "screening": screening.overview_kpis(engine, scope),
        "projects": projects.overview_kpis(engine, scope, today),
        "reporting": completeness.reporting_summary(engine, scope, today),
    }


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


@dataclass(frozen=True)
class OverviewPage:
    """Everything 总览 shows for one scope and day: the tiles (keys institutions, staffing,
    screening, projects, reporting: each area's overview figures), the province table
    and the counselor standard its chart is about."""

    kpis: dict[str, Any]
    provinces: pd.DataFrame
    counselors: Standard


def overview_page(engine: Engine, scope: Scope, today: dt.date) -> OverviewPage:
    """The 总览 page; the staffing figures of the tiles and the table come from one metrics pass."""
    standards = load_standards(engine)
    frame = staffing.metrics_frame(engine, scope, standards)
    provinces = _province_table(engine, scope, staffing.group_summary(frame, "province", standards))
    institutions = int(provinces[INSTITUTIONS].sum())  # every institution has a province
    return OverviewPage(
        kpis=_kpis(engine, scope, today, institutions, staffing.summary_kpis(frame, standards)),
        provinces=provinces,
        counselors=standards.counselors,
    )


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
        reporting = kpis["reporting"]["staffing"]
        figures[place] = {
            "高校数": f"{kpis['institutions']:,}",
            "辅导员配备达标率": on_screen(kpis["staffing"]["counselors_share_text"]),
            "心理筛查覆盖率": on_screen(kpis["screening"]["coverage"]),
            "队伍配备报送率": reporting["reporting_rate_text"] if reporting else "—",
        }
    return figures

"""总览: the headline figures of every area for one scope, read through each area's queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import Engine, func, select

from core.models import Institution
from core.queries import completeness, projects, screening, staffing
from core.queries.base import apply_scope, count_institutions, read_frame
from core.scope import Scope
from core.standards import Standard, load_standards

PROVINCE = "所在省份"
INSTITUTIONS = "高校数"
COUNSELOR_COLUMNS = (
    "辅导员适用学校数",
    "辅导员达标学校数",
    "辅导员达标率",
    "辅导员总体师生比",
    "辅导员缺口合计",
)


def overview_kpis(engine: Engine, scope: Scope, today: dt.date) -> dict[str, Any]:
    """Every 总览 tile: institutions, staffing, screening, projects, reporting rates."""
    return {
        "institutions": count_institutions(engine, scope),
        "staffing": staffing.overview_kpis(engine, scope),
        "screening": screening.overview_kpis(engine, scope),
        "projects": projects.overview_kpis(engine, scope, today),
        "reporting": completeness.reporting_summary(engine, scope, today),
    }


def province_table(engine: Engine, scope: Scope) -> pd.DataFrame:
    """Per province in scope: institutions, and counselor (1:200) compliance for the year.

    Every province with an institution in scope has a row, also one that has not reported
    staffing (its compliance columns are empty).
    """
    statement = apply_scope(
        select(Institution.province.label(PROVINCE), func.count().label(INSTITUTIONS)).group_by(
            Institution.province
        ),
        scope,
    )
    counts = read_frame(engine, statement)
    compliance = staffing.compliance_by_province(engine, scope)
    columns = [PROVINCE, *COUNSELOR_COLUMNS]
    if compliance.empty:
        compliance = pd.DataFrame(columns=columns)
    table = counts.merge(compliance[columns], on=PROVINCE, how="left")
    for column in ("辅导员适用学校数", "辅导员达标学校数", "辅导员缺口合计"):
        table[column] = table[column].astype("Int64")
    order = {name: index for index, name in enumerate(staffing.GROUP_ORDER["province"])}
    return table.sort_values(PROVINCE, key=lambda names: names.map(order)).reset_index(drop=True)


def counselor_standard(engine: Engine, scope: Scope) -> Standard:
    """The 专职辅导员 standard in force (thresholds can be changed on 配备标准)."""
    return load_standards(engine).by_key("counselors")

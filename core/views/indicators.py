"""What the page of a form declared as data shows, and its CSV export (spec/forms-as-data.md,
"Export of a form declared as data"): rows from core.queries.indicators, derived figures from
core.metrics.indicators, headers put on here."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from core.formdefs.definition import Definition
from core.formdefs.registry import load_forms
from core.headers import INSTITUTION_HEADERS, INSTITUTION_NAME, INSTITUTION_NAME_HEADER
from core.metrics import indicators as metrics
from core.queries import indicators as queries
from core.scope import Scope

CODE_HEADER, YEAR_HEADER, TERM_HEADER = "学校标识码", "学年", "学期"
RATE = "达标率"
GROUP_HEADERS = {"province": "所在省份", "level": "办学层次", "ownership": "办学性质"}


def definition_of(engine: Engine, name: str) -> Definition:
    """The current definition of ``name`` (KeyError when there is none)."""
    return load_forms(engine)[name]


def _field_values(definition: Definition, frame: pd.DataFrame) -> pd.DataFrame:
    """Counts as whole numbers (nullable), the rest as stored."""
    values = pd.DataFrame(index=frame.index)
    for field in definition.fields:
        column = frame[field.key]
        values[field.header] = column.astype("Int64") if field.kind == "count" else column
    return values


def export_frame(engine: Engine, name: str, scope: Scope) -> pd.DataFrame:
    """The CSV table: key, 学校名称, declared fields, 所在省份/办学层次/办学性质, indicators (+ 达标情况)."""
    definition = definition_of(engine, name)
    frame = queries.rows_frame(engine, definition, scope)
    table = pd.DataFrame(
        {
            CODE_HEADER: frame["code"],
            INSTITUTION_NAME_HEADER: frame[INSTITUTION_NAME],
            YEAR_HEADER: frame["year"],
        }
    )
    if definition.period == "term":
        table[TERM_HEADER] = frame["term"]
    table = pd.concat([table, _field_values(definition, frame)], axis=1)
    for key, header in INSTITUTION_HEADERS.items():
        table[header] = frame[queries.REGISTRY_PREFIX + key]
    return pd.concat([table, metrics.derived(definition, frame)], axis=1)


@dataclass(frozen=True)
class IndicatorPage:
    """The page of one form declared as data, for one scope."""

    definition: Definition
    table: pd.DataFrame  # the export table
    tiles: list[tuple[str, float | None, str]]  # (indicator header, 达标率 %, standard and source)
    by_group: pd.DataFrame  # group label, indicator header, 达标率, measured, met
    group_header: str


def page(engine: Engine, name: str, scope: Scope) -> IndicatorPage:
    definition = definition_of(engine, name)
    group = "level" if len(scope.provinces) == 1 else "province"
    rates = queries.compliance_by(engine, definition, scope, group)
    headers = {indicator.key: indicator.header for indicator in definition.indicators}
    totals = rates.groupby("indicator")[["measured", "met"]].sum() if not rates.empty else None
    tiles = [
        (
            indicator.header,
            metrics.compliance_rate(
                int(totals.loc[indicator.key, "met"])
                if totals is not None and indicator.key in totals.index
                else 0,
                int(totals.loc[indicator.key, "measured"])
                if totals is not None and indicator.key in totals.index
                else 0,
            ),
            f"标准 {indicator.standard}（{indicator.source}）",
        )
        for indicator in definition.indicators
        if indicator.comparison is not None
    ]
    by_group = rates.assign(
        indicator=rates["indicator"].map(headers),
        rate=[
            metrics.compliance_rate(int(met), int(measured))
            for met, measured in zip(rates["met"], rates["measured"], strict=True)
        ],
    ).rename(columns={"group": GROUP_HEADERS[group], "indicator": "指标", "rate": RATE})
    return IndicatorPage(definition, export_frame(engine, name, scope), tiles, by_group, GROUP_HEADERS[group])

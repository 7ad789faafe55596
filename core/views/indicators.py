"""What the page of a form declared as data shows, and its CSV export (spec/forms-as-data.md,
"Export of a form declared as data"): rows from core.queries.indicators, derived figures from
core.metrics.indicators, headers put on here."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from core.formdefs.definition import Definition, IndicatorDef
from core.formdefs.registry import load_forms
from core.headers import INSTITUTION_HEADERS, INSTITUTION_NAME, INSTITUTION_NAME_HEADER
from core.metrics import indicators as metrics
from core.queries import indicators as queries
from core.scope import Scope
from core.workers import offloaded

CODE_HEADER, YEAR_HEADER, TERM_HEADER = "学校标识码", "学年", "学期"
RATE = "达标率"
FAILING = "未达标指标"
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
    return _table(definition, queries.rows_frame(engine, definition, scope))


def _table(definition: Definition, frame: pd.DataFrame) -> pd.DataFrame:
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


def institution_tables(engine: Engine, code: str) -> dict[str, pd.DataFrame]:
    """学校画像: title → the institution's rows of each form declared as data it has reported
    (every 学年), with the derived columns; forms without its rows are left out."""
    tables = {}
    for definition in load_forms(engine).values():
        frame = queries.rows_frame(engine, definition, Scope(codes=(code,)))
        if not frame.empty:
            tables[definition.title] = _table(definition, frame)
    return tables


def reporting_frame(engine: Engine, scope: Scope) -> pd.DataFrame:
    """报送情况 of the forms declared as data for ``scope.year``: per form, the institutions in
    scope, how many reported (any row of the 学年) and the 报送率."""
    from core.queries.base import count_institutions
    from core.queries.completeness import missing_rows

    expected = count_institutions(engine, scope)
    rows = []
    for name, definition in load_forms(engine).items():
        missing = len(missing_rows(engine, scope, name)) if scope.year else expected
        rate = metrics.compliance_rate(expected - missing, expected)
        rows.append(
            {
                "表单": definition.title,
                "应报学校数": expected,
                "已报学校数": expected - missing,
                "未报学校数": missing,
                "报送率": "—" if rate is None else f"{rate:.1f}%",
            }
        )
    return pd.DataFrame(rows, columns=["表单", "应报学校数", "已报学校数", "未报学校数", "报送率"])


def form_choices(engine: Engine, _scope: Scope) -> dict[str, str]:
    """name → title of every form declared as data in force (the page's choice)."""
    return {name: definition.title for name, definition in load_forms(engine).items()}


@dataclass(frozen=True)
class Tile:
    header: str  # the indicator
    rate: str  # 达标率 of the scope, '95.0%' or '—'
    detail: str  # '达标 19 / 20 所'
    standard: str  # 'standard（source）'


@dataclass(frozen=True)
class IndicatorPage:
    """The page of one form declared as data, for one scope."""

    definition: Definition
    table: pd.DataFrame  # the export table (derived columns included)
    tiles: list[Tile]
    group_header: str  # 所在省份, or 办学层次 within one province
    by_group: dict[str, pd.DataFrame]  # indicator header → group, 达标率, 报送数, 达标数
    values: dict[str, pd.DataFrame]  # indicator header → 学校名称, 值 (each row's value)
    thresholds: dict[str, float]  # indicator header → its standard's number
    shortfalls: pd.DataFrame  # the rows missing a standard (see :func:`shortfalls`)

    @property
    def percent_headers(self) -> set[str]:
        return {indicator.header for indicator in self.definition.indicators if indicator.format == "percent"}


def status_header(indicator: IndicatorDef) -> str:
    return f"{indicator.header}达标情况"


def shortfalls(definition: Definition, table: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``table`` (the page's table) missing at least one indicator's standard — a 督办
    list: 学校标识码, 学校名称, 学年, [学期], 未达标指标 (the headers, 、-separated), then each
    indicator with a standard and its 达标情况."""
    measured = [indicator for indicator in definition.indicators if indicator.comparison is not None]
    failing = table[[status_header(indicator) for indicator in measured]].eq(metrics.NOT_MET)
    keys = [CODE_HEADER, INSTITUTION_NAME_HEADER, YEAR_HEADER] + (
        [TERM_HEADER] if definition.period == "term" else []
    )
    shown = table.loc[failing.any(axis=1), keys].reset_index(drop=True)
    shown[FAILING] = [
        "、".join(indicator.header for indicator, fails in zip(measured, row, strict=True) if fails)
        for row in failing[failing.any(axis=1)].itertuples(index=False)
    ]
    columns = [name for indicator in measured for name in (indicator.header, status_header(indicator))]
    return pd.concat([shown, table.loc[failing.any(axis=1), columns].reset_index(drop=True)], axis=1)


def _tile(header: str, standard: str, met: int, measured: int) -> Tile:
    rate = metrics.compliance_rate(met, measured)
    return Tile(header, "—" if rate is None else f"{rate:.1f}%", f"达标 {met:,} / {measured:,} 行", standard)


@offloaded
def page(engine: Engine, scope: Scope, name: str) -> IndicatorPage:
    """Tiles (达标率 of the scope per indicator with a standard), 达标率 by province (by 办学层次
    within one province) from the database, each indicator's values per row, and the table."""
    definition = definition_of(engine, name)
    group = "level" if len(scope.provinces) == 1 else "province"
    rates = queries.compliance_by(engine, definition, scope, group)
    rows = queries.rows_frame(engine, definition, scope)
    tiles, by_group, values, thresholds = [], {}, {}, {}
    for indicator in definition.indicators:
        series = metrics.indicator_values(indicator, rows)
        values[indicator.header] = pd.DataFrame({"学校名称": rows[INSTITUTION_NAME], "值": series}).dropna()
        if indicator.comparison is None:
            continue
        thresholds[indicator.header] = indicator.comparison[1]
        mine = rates[rates["indicator"] == indicator.key]
        standard = f"{indicator.standard}（{indicator.source}）"
        tiles.append(_tile(indicator.header, standard, int(mine["met"].sum()), int(mine["measured"].sum())))
        by_group[indicator.header] = pd.DataFrame(
            {
                GROUP_HEADERS[group]: mine["group"],
                RATE: [
                    metrics.compliance_rate(int(met), int(measured))
                    for met, measured in zip(mine["met"], mine["measured"], strict=True)
                ],
                "报送数": mine["measured"].astype(int),
                "达标数": mine["met"].astype(int),
            }
        )
    table = _table(definition, rows)
    return IndicatorPage(
        definition,
        table,
        tiles,
        GROUP_HEADERS[group],
        by_group,
        values,
        thresholds,
        shortfalls(definition, table),
    )

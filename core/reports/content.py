"""What a 通报 holds, read once: the only module of core.reports that reads figures.

It calls the functions the dashboards call (core.views, core.metrics, core.charts) for
the same scope and day, so every headline figure is the dashboard's own text, and turns
their tables into typed frames: rates written '85.0%' become 0.85, ratios '1:185.3'
become 185.3, each column tagged with the kind that says how to write it (xlsx.py and
pdf.py work from these dataclasses only and never touch the database).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from core.accounts.limits import Limits
from core.charts import completeness as completeness_charts
from core.charts import indicators as indicator_charts
from core.charts import projects as project_charts
from core.charts import screening as screening_charts
from core.charts import staffing as staffing_charts
from core.deadlines import Period
from core.formatting import NOT_AVAILABLE, count_text, on_screen
from core.metrics import screening as screening_metrics
from core.queries.base import count_institutions
from core.queries.uploads import latest_upload_id
from core.scope import Scope
from core.views import indicators as indicator_views
from core.views import projects as project_views
from core.views import screening as screening_views
from core.views import staffing as staffing_views
from core.views.completeness import completeness_page
from core.views.uploads import upload_detail
from core.workers import offloaded

REPORT_TITLE = "高校思政工作监测通报"
# How a column or a figure is written: whole numbers, one decimal, 0.0%, 1:N; None = as is.
INT, DECIMAL, PERCENT, RATIO = "int", "decimal", "percent", "ratio"
_PATTERNS = {
    PERCENT: re.compile(r"^-?\d+(?:\.\d+)?%$"),
    RATIO: re.compile(r"^1:\d+(?:\.\d+)?$"),
    DECIMAL: re.compile(r"^-?\d+\.\d+$"),
}
_BLANKS = {"", NOT_AVAILABLE}
_STAFFING_INSTITUTION_COLUMNS = ("排名", "学校标识码", "学校名称", "办学层次", "办学性质", "学生总数")
_STAFFING_PER_STANDARD = ("师生比", "缺口", "达标情况")


@dataclass(frozen=True)
class Figure:
    """A headline figure: its value for the workbook and its text exactly as the dashboard shows it."""

    label: str
    value: float | int | None
    kind: str | None
    text: str


@dataclass(frozen=True)
class Table:
    title: str
    frame: pd.DataFrame
    kinds: dict[str, str]  # column → INT / DECIMAL / PERCENT / RATIO (others written as they are)


@dataclass(frozen=True)
class Chart:
    title: str
    spec: dict[str, Any]  # Vega-Lite, data inline


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    note: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    title: str
    scope_text: str
    season: str
    date: dt.date
    data_as_of: str
    masked: bool
    sections: list[Section]

    @property
    def file_stem(self) -> str:
        return self.title.replace(" ", "_")


def _is_blank(value: Any) -> bool:
    return (
        value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) or value in _BLANKS
    )


def parse_text(text: str) -> tuple[float | int | None, str | None]:
    """A dashboard text as (value, kind): '85.0%' → (0.85, PERCENT), '1:185.3' → (185.3, RATIO),
    '12,345' → (12345, INT); '—' or '' → (None, None)."""
    cleaned = str(text).replace(",", "")
    if _is_blank(cleaned):
        return None, None
    if _PATTERNS[PERCENT].match(cleaned):
        return round(float(cleaned[:-1]) / 100, 6), PERCENT
    if _PATTERNS[RATIO].match(cleaned):
        return float(cleaned[2:]), RATIO
    if cleaned.lstrip("-").isdigit():
        return int(cleaned), INT
    return None, None


def _column_kind(values: pd.Series) -> str | None:
    if pd.api.types.is_bool_dtype(values):
        return None
    if pd.api.types.is_integer_dtype(values):
        return INT
    if pd.api.types.is_float_dtype(values):
        whole = values.dropna()
        return INT if (whole == whole.round()).all() else DECIMAL
    present = [value for value in values if not _is_blank(value)]
    if not present:
        return None
    if all(isinstance(value, int) or value == screening_metrics.SMALL_COUNT_TEXT for value in present):
        return INT  # counts with small ones masked '<5'
    texts = pd.Series([str(value) for value in present])
    return next((kind for kind, pattern in _PATTERNS.items() if texts.str.match(pattern).all()), None)


def _typed_value(value: Any, kind: str) -> Any:
    if _is_blank(value):
        return None
    if isinstance(value, str) and kind in (PERCENT, RATIO, DECIMAL):
        return parse_text(value)[0] if kind != DECIMAL else float(value)
    return value


def typed_table(title: str, frame: pd.DataFrame) -> Table:
    """``frame`` (as a dashboard shows it) with its rate, ratio and decimal texts as numbers."""
    kinds = {name: kind for name in frame.columns if (kind := _column_kind(frame[name])) is not None}
    typed = frame.reset_index(drop=True).copy()
    for name, kind in kinds.items():
        typed[name] = typed[name].astype(object).map(lambda value, kind=kind: _typed_value(value, kind))
    return Table(title, typed, kinds)


def _figure(label: str, text: str) -> Figure:
    value, kind = parse_text(text)
    return Figure(label, value, kind, on_screen(text))


def _chart(chart: Any) -> Chart:
    spec = chart.to_dict()
    title = spec.get("title", "")
    return Chart(title if isinstance(title, str) else title.get("text", ""), spec)


def _per_institution(scope: Scope) -> bool:
    """One province: tables by institution (as 报送情况 does); otherwise by province."""
    return len(scope.provinces) == 1


def _staffing(engine: Engine, scope: Scope) -> Section:
    page = staffing_views.staffing_page(engine, scope)
    kpis, standards = page.kpis, page.standards
    title = "辅导员配备"
    if kpis.institutions == 0:
        return Section("staffing", title, "本范围暂无思政队伍配备数据。")
    figures = [
        _figure("填报学校数", count_text(kpis.institutions)),
        _figure("全日制学生总数", count_text(kpis.students)),
        _figure("专职辅导员缺口合计", count_text(kpis.counselors.gap)),
    ] + [_figure(f"{kpi.standard.label}配备达标率", kpi.share_text) for kpi in kpis.per_standard]
    if _per_institution(scope):
        per_standard = [
            f"{standard.label}{what}" for standard in standards for what in _STAFFING_PER_STANDARD
        ]
        columns = [*_STAFFING_INSTITUTION_COLUMNS, "计入辅导员数", "辅导员应配数", *per_standard]
        table = typed_table("各校配备达标情况", page.institutions[columns])
        groups, group = staffing_views.group_table(engine, scope, "level"), "办学层次"
    else:
        table = typed_table("各省配备达标情况", page.provinces)
        groups, group = page.provinces, "所在省份"
    applicable = groups.dropna(subset=[f"{standards.counselors.label}适用学校数"])
    charts = [
        _chart(staffing_charts.compliance_by_group_chart(applicable, standards.counselors, group)),
        _chart(staffing_charts.compliance_trend_chart(page.trend)),
    ]
    note = "；".join(f"{standard.describe()}（{standard.source}）" for standard in standards)
    return Section("staffing", title, note, figures, [table], charts)


def _screening(engine: Engine, scope: Scope, term: str | None, mask: bool) -> Section:
    page = screening_views.screening_page(engine, scope, term=term)
    title = "心理筛查"
    if page.empty:
        return Section("screening", title, "本范围暂无心理筛查数据。")
    figures = [_figure(label, text) for label, text in page.kpis.items()]
    if _per_institution(scope):
        keys = ("code", "institution_name")
        # one institution a row: no 学校数 column, so masking treats the rows as institutions, not groups
        per_institution_columns = [key for key in screening_metrics.ROLLUP_COLUMNS if key != "institutions"]
        rows = page.sources["rows"][0]
        frame = screening_metrics.table(
            screening_metrics.rollup(rows, keys), (*keys, *per_institution_columns), mask=mask
        )
        table = typed_table("各校筛查覆盖与风险", frame)
    else:
        table = typed_table("各省筛查覆盖与风险", page.file("province", mask=mask))
    line = screening_metrics.DEFAULT_COVERAGE_LINE
    charts = (
        [] if scope.provinces else [_chart(screening_charts.coverage_by_province(page.by_province, line))]
    )
    charts += [
        _chart(screening_charts.risk_levels(page.risks, page.risk_group)),
        _chart(screening_charts.coverage_trend(page.trend, line)),
    ]
    note = "本部分只汇总各校报送的人数，不含学生个人信息。"
    if mask:
        note += "1–4 的风险、约谈、转介、危机干预人数写作“<5”，由其算出的比率留空。"
    return Section("screening", title, note, figures, [table], charts)


def _projects(engine: Engine, scope: Scope, today: dt.date) -> Section:
    page = project_views.projects_page(engine, scope.all_years(), today)
    title = "项目进度"
    if page.count == 0:
        return Section("projects", title, "本范围暂无重点项目。")
    figures = [_figure(label, text) for label, text in page.headline.items()]
    charts = [_chart(project_charts.stage_by_category_chart(page.stage_counts))]
    if (page.by_province["overdue"] > 0).any():
        charts.append(_chart(project_charts.overdue_by_province_chart(page.by_province)))
    note = f"项目不按学年筛选；逾期 = {today.isoformat()} 晚于计划完成日期且在研。"
    table = typed_table(f"逾期项目（{len(page.overdue):,} 个，按逾期天数从多到少）", page.overdue)
    return Section("projects", title, note, figures, [table], charts)


def _completeness(engine: Engine, scope: Scope, term: str | None, today: dt.date) -> Section:
    title = "报送情况"
    if count_institutions(engine, scope) == 0:
        return Section("completeness", title, "本范围的高校名录为空。")
    figures: list[Figure] = []
    tables: list[Table] = []
    charts: list[Chart] = []
    for period in (Period("staffing", scope.year), Period("screening", scope.year, term)):
        page = completeness_page(engine, scope, period, today)
        name = period.column
        figures += [
            _figure(f"{name}{label}", page.kpis[label]) for label in ("应报学校", "报送率", "按时报送率")
        ]
        figures.append(_figure(f"{name}未报学校", page.kpis["未报学校"]))
        rates = page.statuses if page.per_institution else page.province_table
        tables.append(typed_table(f"{name}报送情况（截止 {page.kpis['截止日期']}）", rates))
        tables.append(typed_table(f"{name}未报送名单（{len(page.missing):,} 所）", page.missing))
        if not page.per_institution:
            chart = completeness_charts.reporting_rate_chart(page.province_rates, page.overall_rate)
            charts.append(_chart(chart.properties(title=f"{name}：各省报送率与按时报送率")))
    note = f"统计日期 {today.isoformat()}；报送率 = 已报学校数 / 应报学校数。"
    return Section("completeness", title, note, figures, tables, charts)


def _indicator_forms(engine: Engine, scope: Scope) -> list[Section]:
    """One section per form declared as data with rows in scope: its 达标率 tiles, its table (by
    institution when one province is chosen, else 达标率 by province) and a chart per indicator."""
    sections = []
    for name, title in indicator_views.form_choices(engine, scope).items():
        page = indicator_views.page(engine, scope, name)
        if page.table.empty:
            continue
        figures = [_figure(f"{tile.header}达标率", tile.rate) for tile in page.tiles]
        if _per_institution(scope):
            tables = [typed_table(f"{title}（各校）", page.table)]
        else:
            tables = [
                typed_table(f"{header}达标率（按{page.group_header}）", frame)
                for header, frame in page.by_group.items()
            ]
        charts = [
            _chart(indicator_charts.compliance_chart(frame, page.group_header, header))
            for header, frame in page.by_group.items()
        ]
        note = "；".join(f"{tile.header}：{tile.standard}" for tile in page.tiles) or "本表未设达标标准。"
        sections.append(Section(f"form:{name}", title, note, figures, tables, charts))
    return sections


def _data_as_of(engine: Engine, scope: Scope, term: str | None) -> str:
    """The latest upload that wrote a row in scope: '第 12 次上传（2025-06-30 10:00:00，文件名）'."""
    latest = latest_upload_id(engine, scope, term)
    detail = upload_detail(engine, scope, latest) if latest else None
    if detail is None:
        return "本范围尚无上传数据"
    # the file is named only when all it wrote is in scope (a file's name may name other schools)
    if upload_detail(engine, scope, latest, Limits(provinces=scope.provinces, codes=scope.codes)) is None:
        return f"第 {detail.id} 次上传（{detail.created_at}）"
    return f"第 {detail.id} 次上传（{detail.created_at}，{detail.file_name}）"


@offloaded
def read_report(
    engine: Engine, scope: Scope, *, term: str | None = None, mask_small: bool = False, today: dt.date
) -> Report:
    """The 通报 of ``scope`` (its 学年 required; ``term`` for screening) as of ``today``."""
    if not scope.year:
        raise ValueError("通报需要学年")
    season = f"{scope.year} 学年" + (f" {term}" if term else "")
    place = "、".join(scope.provinces) or "全国"
    return Report(
        title=f"{place} {season} {REPORT_TITLE}",
        scope_text=scope.describe(),
        season=season,
        date=today,
        data_as_of=_data_as_of(engine, scope, term),
        masked=mask_small,
        sections=[
            _staffing(engine, scope),
            _screening(engine, scope, term, mask_small),
            _projects(engine, scope, today),
            _completeness(engine, scope, term, today),
            *_indicator_forms(engine, scope),
        ],
    )

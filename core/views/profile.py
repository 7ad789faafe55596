"""学校画像: everything about one institution, each figure beside its province's.

Nothing here recomputes a ratio or a rate: the staffing, screening, project and
completeness modules compute them, once for the institution (``Scope(codes=(code,))``)
and once for its province (``Scope(provinces=(province,))``); this module puts the two
side by side. Years are never filtered: a profile shows the whole history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import pandas as pd
from sqlalchemy import Engine

from core.deadlines import periods_of_year
from core.formatting import local_time_text, on_screen
from core.forms import INSTITUTIONS, PROJECTS, SCREENING_KINDS, TERMS
from core.masking import area_written
from core.metrics import completeness as completeness_metrics
from core.metrics import screening as screening_metrics
from core.metrics import staffing as staffing_metrics
from core.queries import completeness
from core.queries import profile as queries
from core.queries.base import available_years, count_institutions, institutions_frame
from core.queries.projects import projects_frame
from core.scope import Scope
from core.settings_store import load_standards
from core.standards import Standard
from core.views import indicators, projects, screening, staffing
from core.views.uploads import UPLOAD_TIME, form_title, status_title
from core.workers import offloaded

PROVINCE_PREFIX = "全省"
SCHOOL = "本校"

SCREENING_COLUMNS = (
    "year",
    "term",
    "target",
    "screened",
    screening_metrics.COVERAGE.key,
    "high",
    screening_metrics.FLAGGED,
    screening_metrics.FLAGGED_RATE.key,
    screening_metrics.HIGH_RATE.key,
    "interviewed",
    screening_metrics.FOLLOW_UP.key,
)
CHART_RATES = (screening_metrics.COVERAGE, screening_metrics.FLAGGED_RATE)  # drawn beside the province
PROJECT_COLUMNS = (
    *(
        PROJECTS.field(key).header
        for key in (
            "project_id",
            "title",
            "category",
            "batch",
            "start",
            "due",
            "stage",
            "progress",
            "updated",
            "lead",
        )
    ),
    projects.OVERDUE_HEADER,
    projects.DAYS_OVERDUE_HEADER,
)


@dataclass(frozen=True)
class InstitutionProfile:
    """The sections of one institution's profile, each a table as shown and exported.

    ``staffing_chart`` and ``screening_chart`` are the long frames the comparison charts
    draw (学年/期次, 指标, 范围 本校/全省, 数值, 文本, 参考值).
    """

    code: str
    name: str
    province: str
    basics: pd.DataFrame
    staffing: pd.DataFrame
    staffing_chart: pd.DataFrame
    screening: pd.DataFrame
    screening_chart: pd.DataFrame
    projects: pd.DataFrame
    project_summary: pd.DataFrame
    reporting: pd.DataFrame
    uploads: pd.DataFrame
    indicator_forms: dict[str, pd.DataFrame] = field(default_factory=dict)  # title → its rows (专项指标)

    def sections(self) -> dict[str, pd.DataFrame]:
        """Section title → table, in the order the page and the workbook show them."""
        return {
            "基本信息": self.basics,
            "队伍配备": self.staffing,
            "心理筛查": self.screening,
            "重点项目": self.projects,
            "项目汇总": self.project_summary,
            **self.indicator_forms,
            "报送情况": self.reporting,
            "上传记录": self.uploads,
        }


def institution_choices(engine: Engine, scope: Scope) -> dict[str, str]:
    """The institutions a profile can be opened for (those in scope), in the order offered:
    code → 'name（code）· province', the selector's label."""
    frame = institutions_frame(engine, scope.all_years())
    labels = frame["name"] + "（" + frame["code"] + "）· " + frame["province"]
    return dict(zip(frame["code"].tolist(), labels.tolist(), strict=True))


def _basics(engine: Engine, row: pd.Series) -> pd.DataFrame:
    items = [(header, on_screen(row[key])) for key, header in INSTITUTIONS.headers.items()]
    province_count = count_institutions(engine, Scope(provinces=(row["province"],)))
    items.append((f"{row['province']}高校数", f"{province_count:,}"))
    return pd.DataFrame(items, columns=["项目", "内容"])


def _standard_text(standard: Standard) -> str:
    text = f"1:{standard.threshold:,}"
    return text + f"，每校不少于 {standard.minimum} 名" if standard.minimum else text


def _staffing(engine: Engine, code: str, province: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(table, chart frame): per 学年 and standard, the institution's figures and the province's."""
    standards = load_standards(engine)
    school = staffing.metrics_frame(engine, Scope(codes=(code,)), standards)
    region = staffing.metrics_frame(engine, Scope(provinces=(province,)), standards)
    rows, chart = [], []
    for standard in standards:
        summary = staffing_metrics.rollup(region, "year", standard).set_index("year")
        for _, own in school.iterrows():
            area = summary.loc[own["year"]]
            rows.append(_staffing_row(own, area, standard))
            ratios = {SCHOOL: (_own(own, standard, staffing_metrics.PER_STAFF), rows[-1]["师生比"])}
            ratios[PROVINCE_PREFIX] = (_per_staff(area), area["ratio"])
            chart += [
                _chart_point(own["year"], standard.post, label, value, text, standard.threshold)
                for label, (value, text) in ratios.items()
            ]
    table = pd.DataFrame(rows)
    if not table.empty:
        table = table.sort_values("学年", kind="stable").reset_index(drop=True)
    return table, _drawable(pd.DataFrame(chart))


def _own(own: pd.Series, standard: Standard, suffix: str) -> object:
    return own[staffing_metrics.column(standard, suffix)]


def _staffing_row(own: pd.Series, area: pd.Series, standard: Standard) -> dict[str, object]:
    return {
        "学年": own["year"],
        "指标": standard.post,
        "配备标准": _standard_text(standard),
        "学生总数": int(own["students"]),
        "计入人数": _own(own, standard, staffing_metrics.STAFF),
        "师生比": _own(own, standard, staffing_metrics.RATIO) or None,
        "应配数": _own(own, standard, staffing_metrics.REQUIRED),
        "缺口": _own(own, standard, staffing_metrics.GAP),
        "达标情况": _own(own, standard, staffing_metrics.STATUS),
        f"{PROVINCE_PREFIX}总体师生比": area["ratio"] or None,
        f"{PROVINCE_PREFIX}达标率": area["share_text"] or None,
    }


def _chart_point(
    period: str, indicator: str, label: str, value: object, text: object, reference: float | None
) -> dict[str, object]:
    return {
        "期次": period,
        "指标": indicator,
        "范围": label,
        "数值": value,
        "文本": on_screen(text or ""),
        "参考值": reference,
    }


def _per_staff(area: pd.Series) -> float | None:
    return area["students"] / area["staff"] if area["staff"] else None


def _drawable(chart: pd.DataFrame) -> pd.DataFrame:
    """Chart rows with a value (no staff, no students or not reported draw nothing)."""
    if chart.empty:
        return chart
    values = pd.to_numeric(chart["数值"], errors="coerce")
    return chart[values.notna() & (values != float("inf"))].reset_index(drop=True)


KIND = "筛查类型"


def _screening_of_kind(
    school: pd.DataFrame, region: pd.DataFrame, mask: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(table, chart frame) of one 筛查类型: per 学年 and 学期, the institution's counts and rates
    and the province's rates of the same 筛查类型."""
    rates = screening_metrics.RATES
    area_headers = {rate.header: f"{PROVINCE_PREFIX}{rate.header}" for rate in rates}
    own = screening_metrics.table(school, SCREENING_COLUMNS, mask=mask)
    area = screening_metrics.table(region, ("year", "term", *(rate.key for rate in rates)))
    if mask:  # a province of one or two reporting institutions would show the institution's own rates
        area.loc[~region["institutions"].map(area_written), list(area_headers)] = ""
    table = own.merge(area.rename(columns=area_headers), on=["学年", "学期"], how="left")
    order = list(own.columns)
    for header, area_header in area_headers.items():
        order.insert(order.index(header) + 1, area_header)
    table = table[order].replace({header: {"": None} for header in [*area_headers, *area_headers.values()]})
    chart = []
    for frame, label in ((school, SCHOOL), (region.merge(school[["year", "term"]]), PROVINCE_PREFIX)):
        periods = [f"{year} {term}" for year, term in zip(frame["year"], frame["term"], strict=True)]
        texts = screening_metrics.table(frame, [rate.key for rate in CHART_RATES])  # one pass, both rates
        chart += [
            _chart_point(period, rate.header, label, value * 100, text, _reference(rate))
            for rate in CHART_RATES
            for period, value, text in zip(periods, frame[rate.key], texts[rate.header], strict=True)
        ]
    return table, _drawable(pd.DataFrame(chart))


def _screening(engine: Engine, code: str, province: str, mask: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(table, chart frame) per 筛查类型 (a spring 复查 of a few hundred students at risk is not
    the autumn 普查 of everyone): per 学年 and 学期, the institution's counts and rates and the
    province's rates of the same 筛查类型; the table has 筛查类型 after 学期."""
    tables, charts = [], []
    for kind in SCREENING_KINDS:
        school = screening.term_totals(engine, Scope(codes=(code,)), kind=kind)
        if school.empty:
            continue
        region = screening.term_totals(engine, Scope(provinces=(province,)), kind=kind)
        table, chart = _screening_of_kind(school, region, mask)
        table.insert(2, KIND, kind)
        tables.append(table)
        charts.append(chart.assign(**{KIND: kind}))
    if not tables:
        return pd.DataFrame(), pd.DataFrame()
    table = pd.concat(tables, ignore_index=True).sort_values(
        ["学年", "学期"], kind="stable", key=_period_order
    )
    return table.reset_index(drop=True), pd.concat(charts, ignore_index=True)


def _period_order(values: pd.Series) -> pd.Series:
    """秋季学期 before 春季学期 (学年 sort as text)."""
    return (
        values.map({term: index for index, term in enumerate(TERMS)}).fillna(values)
        if values.name == "学期"
        else values
    )


def _reference(rate: screening_metrics.Rate) -> float | None:
    """The reference line drawn for a screening rate: the 95% coverage line, none for the others."""
    return screening_metrics.DEFAULT_COVERAGE_LINE * 100 if rate is screening_metrics.COVERAGE else None


def _projects(engine: Engine, code: str, province: str, today: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(list, summary): the institution's projects, and its project figures beside the province's."""
    own = projects_frame(engine, Scope(codes=(code,)))
    listed = projects.export_table(own, today)[list(PROJECT_COLUMNS)]
    region = projects_frame(engine, Scope(provinces=(province,)))
    summaries = [
        projects.summary_table(frame, today, "province").drop(columns="所在省份").assign(范围=label)
        for frame, label in ((own, SCHOOL), (region, f"{PROVINCE_PREFIX}（{province}）"))
        if not frame.empty
    ]
    summary = pd.concat(summaries, ignore_index=True) if summaries else pd.DataFrame()
    if not summary.empty:
        summary = summary[["范围", *summary.columns.drop("范围")]].replace("", None)
    return listed.replace({"": None}), summary


def _reporting(engine: Engine, code: str, province: str, today: dt.date) -> pd.DataFrame:
    """Per reporting period of every 学年 with data: the institution's status, the province's rates."""
    periods = [period for year in available_years(engine) for period in periods_of_year(year)]
    if not periods:
        return pd.DataFrame()
    statuses = completeness.period_statuses(engine, Scope(provinces=(province,)), periods, today)
    own = statuses[statuses["code"] == code].reset_index(drop=True)
    shown = completeness_metrics.status_table(own)
    rates = completeness_metrics.reporting_rates(statuses, ["year", "period"])
    table = pd.DataFrame(
        {
            "学年": own["year"],
            "报送期次": own["period"],
            "截止日期": shown["截止日期"],
            "本校状态": shown["状态"],
            "首次报送时间": shown["首次报送时间"].replace("", None),
            "最近更新时间": shown["最近更新时间"].replace("", None),
        }
    )
    area = rates[["year", "period", "reporting_rate_text", "on_time_rate_text"]].rename(
        columns={
            "year": "学年",
            "period": "报送期次",
            "reporting_rate_text": f"{PROVINCE_PREFIX}报送率",
            "on_time_rate_text": f"{PROVINCE_PREFIX}按时报送率",
        }
    )
    return table.merge(area, on=["学年", "报送期次"], how="left")


def _uploads(engine: Engine, code: str) -> pd.DataFrame:
    """The uploads that wrote any of the institution's rows, newest first, with how many rows."""
    frame = queries.uploads_of(engine, code)
    return pd.DataFrame(
        {
            "上传编号": frame["id"],
            UPLOAD_TIME: frame["created_at"].map(local_time_text),
            "报表": frame["form"].map(form_title),
            "文件名": frame["file_name"],
            "上传人": frame["uploader"],
            "状态": frame["status"].map(status_title),
            "涉及本校记录数": frame["records"],
        }
    )


@offloaded
def institution_profile(
    engine: Engine, scope: Scope, code: str, today: dt.date, *, mask_small: bool = False
) -> InstitutionProfile | None:
    """The profile of institution ``code``; None when it is not in ``scope`` (year ignored).

    ``mask_small`` writes the screening counts 1–4 as '<5' (for files that leave the office).
    """
    if scope.codes and code not in scope.codes:
        return None
    found = institutions_frame(engine, replace(scope.all_years(), codes=(code,)))  # its row only
    if found.empty:
        return None
    row = found.iloc[0]
    province = row["province"]
    staffing_table, staffing_chart = _staffing(engine, code, province)
    screening_table, screening_chart = _screening(engine, code, province, mask_small)
    project_list, project_summary = _projects(engine, code, province, today)
    return InstitutionProfile(
        code=code,
        name=row["name"],
        province=province,
        basics=_basics(engine, row),
        staffing=staffing_table,
        staffing_chart=staffing_chart,
        screening=screening_table,
        screening_chart=screening_chart,
        projects=project_list,
        project_summary=project_summary,
        reporting=_reporting(engine, code, province, today),
        uploads=_uploads(engine, code),
        indicator_forms=indicators.institution_tables(engine, code),
    )

"""What 项目进度 shows (重点项目): the page, the export table, KPIs and a project's history,
built from the reads of core.queries.projects.

Projects have no 学年: the scope's provinces / levels / ownerships / codes apply, its
year never does. Filters by category, batch and stage are done in SQL; overdue and the
other derived values come from :mod:`core.metrics.projects` so that the page, the
CSV files and the command line agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from core.charts.projects import TIMELINE_LIMIT
from core.config import load_settings
from core.formatting import count_text, local_time_text, on_screen, one_decimal, percent_text
from core.forms import PROJECTS, Kind
from core.freshness import INSTITUTIONS_AREA, PROJECTS_AREA, reads
from core.headers import INSTITUTION_HEADERS
from core.metrics import projects as metrics
from core.queries import projects as queries
from core.scope import Scope
from core.views.uploads import UPLOAD_TIME
from core.workers import offloaded

HEADERS: dict[str, str] = PROJECTS.headers
DATE_KEYS: tuple[str, ...] = tuple(spec.key for spec in PROJECTS.fields if spec.kind is Kind.DATE)
OVERDUE_HEADER = "是否逾期"
DAYS_OVERDUE_HEADER = "逾期天数"
DAYS_LEFT_HEADER = "剩余天数"
NO_BATCH = "（未填批次）"
INSTITUTION_NAME_HEADER = "承担单位（高校名录）"  # the 承担单位 as 高校名录 names it

# Columns of the overdue / due-soon lists: the project, who and where, when it is due; the
# days overdue / left follow 计划完成日期 so that they are visible without scrolling.
_LIST_LEAD: dict[str, str] = {
    "project_id": HEADERS["project_id"],
    "title": HEADERS["title"],
    "institution_name": INSTITUTION_NAME_HEADER,
    "province": INSTITUTION_HEADERS["province"],
    "due": HEADERS["due"],
}
_LIST_TAIL: dict[str, str] = {
    "stage": HEADERS["stage"],
    "progress": HEADERS["progress"],
    "category": HEADERS["category"],
    "batch": HEADERS["batch"],
    "lead": HEADERS["lead"],
}

_SUMMARY_LABELS: dict[str, str] = {
    "category": HEADERS["category"],
    "batch": HEADERS["batch"],
    "province": INSTITUTION_HEADERS["province"],
    "code": HEADERS["code"],
    "institution_name": INSTITUTION_NAME_HEADER,
}


def _today(today: dt.date | None) -> dt.date:
    return today if today is not None else load_settings().today()


def _iso_date(value: Any) -> str | None:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value or None  # RecordHistory keeps dates as ISO strings already


def _date_text(values: pd.Series) -> pd.Series:
    """Dates written 2025-06-30; missing dates stay missing (empty in CSV)."""
    return values.map(_iso_date)


def _whole_when_possible(values: pd.Series) -> pd.Series:
    """85.0 → 85 so screen and file agree; a fractional 62.5 keeps its decimals."""
    numbers = pd.to_numeric(values).astype("float64")
    whole = numbers.dropna().mod(1).eq(0).all()
    return numbers.astype("Int64") if whole else numbers


def export_table(projects: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """``projects`` (from :func:`projects_frame`) as the export table (spec: Derived columns).

    The form's columns with canonical headers in form order, then 所在省份, 办学层次,
    办学性质, 是否逾期 and 逾期天数.
    """
    table = projects[PROJECTS.keys].copy()
    for key in DATE_KEYS:
        table[key] = _date_text(table[key])
    table["progress"] = _whole_when_possible(table["progress"])
    table = table.rename(columns=HEADERS)
    for key, header in INSTITUTION_HEADERS.items():
        table[header] = projects[key].to_numpy()
    overdue = metrics.overdue_mask(projects, today)
    table[OVERDUE_HEADER] = overdue.map({True: "是", False: "否"}).astype(object).to_numpy()
    table[DAYS_OVERDUE_HEADER] = metrics.days_overdue(projects, today).to_numpy()
    return table


@reads(INSTITUTIONS_AREA, PROJECTS_AREA)
def batch_choices(engine: Engine, scope: Scope) -> list[str]:
    """The 批次 the page's filter offers (see :func:`core.queries.projects.available_batches`)."""
    return queries.available_batches(engine, scope)


def export_frame(engine: Engine, scope: Scope, today: dt.date | None = None) -> pd.DataFrame:
    """The projects CSV of ``scope`` (year ignored); ``today`` defaults to the configured today."""
    return export_table(queries.projects_frame(engine, scope), _today(today))


def overview_kpis(engine: Engine, scope: Scope, today: dt.date | None = None) -> dict[str, int]:
    """{projects, accepted, in_progress, overdue} in ``scope`` (year ignored), for the 总览 tiles."""
    return metrics.kpis(queries.stages_and_dues(engine, scope), _today(today))


def headline(projects: pd.DataFrame, today: dt.date) -> dict[str, str]:
    """The KPI tiles as shown: label → text (counts with separators, shares with one decimal)."""
    counts = metrics.kpis(projects, today)
    stats = metrics.progress_stats(projects)
    mean = stats["mean"]
    return {
        "项目总数": count_text(counts["projects"]),
        "已验收通过": count_text(counts["accepted"]),
        "在研项目": count_text(counts["in_progress"]),
        "逾期项目": count_text(counts["overdue"]),
        "验收完成率": on_screen(percent_text(*metrics.completion_counts(projects))),
        "平均进度": on_screen(f"{one_decimal(mean)}%" if mean is not None else ""),
    }


def _list_table(rows: pd.DataFrame, extra: dict[str, str]) -> pd.DataFrame:
    columns = _LIST_LEAD | extra | _LIST_TAIL
    table = rows[list(columns)].copy()
    table["due"] = _date_text(table["due"])
    table["progress"] = _whole_when_possible(table["progress"])
    return table.rename(columns=columns)


def overdue_table(projects: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """The overdue list as shown and downloaded, longest overdue first."""
    return _list_table(metrics.overdue_projects(projects, today), {"days_overdue": DAYS_OVERDUE_HEADER})


def due_soon_table(
    projects: pd.DataFrame, today: dt.date, within_days: int = metrics.DUE_SOON_DAYS
) -> pd.DataFrame:
    """The open projects due within ``within_days`` days, soonest first."""
    rows = metrics.due_soon_projects(projects, today, within_days)
    return _list_table(rows, {"days_left": DAYS_LEFT_HEADER})


def summary_table(projects: pd.DataFrame, today: dt.date, dimension: str) -> pd.DataFrame:
    """Per category / batch / province / institution, labelled for screen and CSV.

    Completion share is written as a percentage with one decimal (empty when every
    project is 终止); progress as one decimal.
    """
    summary = metrics.summary_by(projects, today, dimension)
    keys = list(metrics.SUMMARY_DIMENSIONS[dimension])
    table = summary[keys].rename(columns=_SUMMARY_LABELS)
    if dimension == "batch":
        table[_SUMMARY_LABELS["batch"]] = table[_SUMMARY_LABELS["batch"]].fillna(NO_BATCH)
    table["项目数"] = summary["projects"]
    table["已验收通过"] = summary["accepted"]
    table["在研"] = summary["in_progress"]
    table["终止"] = summary["terminated"]
    table["逾期"] = summary["overdue"]
    table["验收完成率"] = [
        percent_text(accepted, base)
        for accepted, base in zip(summary["accepted"], summary["completion_base"], strict=True)
    ]
    table["平均进度（%）"] = summary["mean_progress"].map(_one_decimal_or_empty)
    table["进度中位数（%）"] = summary["median_progress"].map(_one_decimal_or_empty)
    return table


def _one_decimal_or_empty(value: Any) -> str:
    return one_decimal(value) if pd.notna(value) else ""


SUMMARY_CHOICES: dict[str, str] = {
    "category": "按项目类别",
    "batch": "按批次",
    "province": "按省份",
    "institution": "按承担单位",
}


@dataclass(frozen=True)
class ProjectsPage:
    """Everything 项目进度 shows for one scope, today and filters.

    ``titles`` maps each 项目编号 to '编号 名称' for the detail selector; the chart
    frames are what the charts draw (the timeline at most TIMELINE_LIMIT projects of
    ``count``). 分类汇总 is read on its own (:func:`project_summary`): only the chosen one
    of its four tables is made.
    """

    count: int
    headline: dict[str, str]
    stage_counts: pd.DataFrame
    progress: pd.DataFrame
    timeline: pd.DataFrame
    by_province: pd.DataFrame
    overdue: pd.DataFrame
    due_soon: pd.DataFrame
    table: pd.DataFrame
    titles: dict[str, str]


@offloaded
@reads(INSTITUTIONS_AREA, PROJECTS_AREA)
def projects_page(
    engine: Engine,
    scope: Scope,
    today: dt.date,
    *,
    categories: Sequence[str] = (),
    batches: Sequence[str] = (),
    stages: Sequence[str] = (),
) -> ProjectsPage:
    """The 项目进度 page: one read of the projects in scope, every table and chart frame from it."""
    projects = queries.projects_frame(engine, scope, categories=categories, batches=batches, stages=stages)
    return ProjectsPage(
        count=len(projects),
        headline=headline(projects, today),
        stage_counts=metrics.stage_counts_by(projects, "category"),
        progress=projects[["progress", "stage"]],
        timeline=metrics.timeline_rows(projects, TIMELINE_LIMIT),
        by_province=metrics.summary_by(projects, today, "province"),
        overdue=overdue_table(projects, today),
        due_soon=due_soon_table(projects, today),
        table=export_table(projects, today),
        titles=dict(
            zip(projects["project_id"], projects["project_id"] + " " + projects["title"], strict=True)
        ),
    )


@offloaded
@reads(INSTITUTIONS_AREA, PROJECTS_AREA)
def project_summary(
    engine: Engine,
    scope: Scope,
    today: dt.date,
    dimension: str,
    *,
    categories: Sequence[str] = (),
    batches: Sequence[str] = (),
    stages: Sequence[str] = (),
) -> pd.DataFrame:
    """分类汇总 of the projects in scope matching the filters, by ``dimension`` (see :func:`summary_table`)."""
    projects = queries.projects_frame(engine, scope, categories=categories, batches=batches, stages=stages)
    return summary_table(projects, today, dimension)


_HISTORY_HEADERS: dict[str, str] = {
    "created_at": UPLOAD_TIME,
    "file_name": "上传文件",
    "uploader": "上传人",
} | {key: HEADERS[key] for key in queries.HISTORY_FIELDS}


def project_history(engine: Engine, scope: Scope, project_id: str) -> pd.DataFrame:
    """The stage and progress of one project as each upload left it, oldest first (see
    :func:`core.queries.projects.history_entries`); empty when the project is not in
    ``scope``. An upload listed twice (its values restored by a revert) is shown once, at
    its latest place."""
    return _history_table(engine, queries.history_entries(engine, scope, project_id))


def _history_table(engine: Engine, entries: pd.DataFrame) -> pd.DataFrame:
    """Entries joined to their Upload (time, file, uploader) and labelled, in entry order."""
    upload_ids = [int(value) for value in entries["upload_id"].dropna().unique()]
    uploads = queries.uploads_by_id(engine, upload_ids)
    entries = entries.astype({"upload_id": "Int64"})
    repeated = entries["upload_id"].notna() & entries.duplicated("upload_id", keep="last")
    uploads = uploads.astype({"upload_id": "Int64"})
    table = entries[~repeated].merge(uploads, on="upload_id", how="left", sort=False)
    table["created_at"] = table["created_at"].map(local_time_text)
    for key in ("due", "updated"):
        table[key] = _date_text(table[key])
    return table[list(_HISTORY_HEADERS)].rename(columns=_HISTORY_HEADERS)

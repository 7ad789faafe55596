"""Key-project charts (Altair): project frame in (see core.queries.projects.projects_frame), chart out.

Dates go to Vega-Lite as ISO text and are read as UTC, so a date never shifts by a
day in the viewer's time zone; tooltips show the same 2025-06-30 text as the tables.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from core.forms import PROJECT_STAGES
from core.metrics import projects as metrics

TIMELINE_LIMIT = 100
OVERDUE_COLOUR = "#d62728"
TODAY_COLOUR = "#d62728"
# One colour per stage, from early (blue) to accepted (green); terminated is grey.
STAGE_COLOURS = ("#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#fdae6b", "#31a354", "#969696")
_STAGE_SCALE = alt.Scale(domain=list(PROJECT_STAGES), range=list(STAGE_COLOURS))
_DATE_FORMAT = "%Y-%m-%d"
_COUNT_AXIS = alt.Axis(tickMinStep=1, format=",d")


def _stage_colour(title: str = "当前阶段") -> alt.Color:
    return alt.Color("stage:N", title=title, scale=_STAGE_SCALE, sort=list(PROJECT_STAGES))


def _date_axis(field: str, title: str) -> alt.X:
    return alt.X(f"{field}:T", title=title, scale=alt.Scale(type="utc"), axis=alt.Axis(format=_DATE_FORMAT))


def stage_by_category_chart(counts: pd.DataFrame) -> alt.Chart:
    """Stacked horizontal bars: projects per 项目类别, split by 当前阶段 in workflow order.

    ``counts``: projects per category and stage (core.metrics.projects.stage_counts_by).
    """
    counts = counts.copy()
    counts["stage_order"] = counts["stage"].map({stage: index for index, stage in enumerate(PROJECT_STAGES)})
    return (
        alt.Chart(counts, title="各类别项目阶段分布")
        .mark_bar()
        .encode(
            y=alt.Y("category:N", title="项目类别", sort="-x", axis=alt.Axis(labelLimit=260)),
            x=alt.X("sum(projects):Q", title="项目数", stack="zero", axis=_COUNT_AXIS),
            color=_stage_colour(),
            order=alt.Order("stage_order:Q"),
            tooltip=[
                alt.Tooltip("category:N", title="项目类别"),
                alt.Tooltip("stage:N", title="当前阶段"),
                alt.Tooltip("sum(projects):Q", title="项目数", format=","),
            ],
        )
    )


def progress_histogram(projects: pd.DataFrame) -> alt.Chart:
    """Projects per 10-point band of 完成进度 (0–100%), stacked by stage (``projects``
    needs only its progress and stage columns; the chart carries their counts per band,
    core.metrics.projects.progress_bands, not one row per project)."""
    bins = alt.Bin(extent=[0, 100], step=10)
    return (
        alt.Chart(metrics.progress_bands(projects), title="完成进度分布")
        .mark_bar()
        .encode(
            x=alt.X("progress:Q", bin=bins, title="完成进度（%）", scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("sum(projects):Q", title="项目数", axis=_COUNT_AXIS),
            color=_stage_colour(),
            tooltip=[
                alt.Tooltip("progress:Q", bin=bins, title="完成进度（%）"),
                alt.Tooltip("stage:N", title="当前阶段"),
                alt.Tooltip("sum(projects):Q", title="项目数", format=","),
            ],
        )
    )


def _timeline_data(projects: pd.DataFrame, today: dt.date, limit: int) -> pd.DataFrame:
    rows = metrics.with_status(metrics.timeline_rows(projects, limit), today)
    return pd.DataFrame(
        {
            "label": rows["project_id"] + " " + rows["title"],
            "project_id": rows["project_id"],
            "title": rows["title"],
            "institution": rows["institution_name"],
            "start": rows["start"].map(_iso),
            "due": rows["due"].map(_iso),
            "stage": rows["stage"],
            "progress": pd.to_numeric(rows["progress"]),
            "overdue": rows["overdue"].map({True: "是", False: "否"}),
            "days_overdue": rows["days_overdue"],
        }
    )


def _iso(value: dt.date | str) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def timeline_chart(
    projects: pd.DataFrame, today: dt.date, total: int | None = None, *, limit: int = TIMELINE_LIMIT
) -> alt.LayerChart:
    """Gantt-style bars from 立项日期 to 计划完成日期, coloured by stage.

    A dashed rule marks today; an overdue project gets a red diamond at its 计划完成日期.
    At most ``limit`` projects are drawn (open ones first, by due date); ``total`` is the
    number of projects they were chosen from (default: all of ``projects``), so a page
    can pass only metrics.timeline_rows of them.
    """
    data = _timeline_data(projects, today, limit)
    total = len(projects) if total is None else total
    shown = f"显示 {len(data):,} / {total:,} 个项目" if total > len(data) else ""
    y = alt.Y("label:N", title="项目", sort=list(data["label"]), axis=alt.Axis(labelLimit=260))
    tooltip = [
        alt.Tooltip("project_id:N", title="项目编号"),
        alt.Tooltip("title:N", title="项目名称"),
        alt.Tooltip("institution:N", title="承担单位"),
        alt.Tooltip("start:N", title="立项日期"),
        alt.Tooltip("due:N", title="计划完成日期"),
        alt.Tooltip("stage:N", title="当前阶段"),
        alt.Tooltip("progress:Q", title="完成进度（%）"),
        alt.Tooltip("overdue:N", title="是否逾期"),
        alt.Tooltip("days_overdue:Q", title="逾期天数"),
    ]
    base = alt.Chart(data)
    bars = base.mark_bar(height={"band": 0.7}).encode(
        x=_date_axis("start", "日期"), x2=alt.X2("due:T"), y=y, color=_stage_colour(), tooltip=tooltip
    )
    overdue_marks = (
        base.transform_filter(alt.datum.overdue == "是")
        .mark_point(shape="diamond", size=90, filled=True, color=OVERDUE_COLOUR, opacity=1)
        .encode(x=_date_axis("due", "日期"), y=y, tooltip=tooltip)
    )
    today_data = pd.DataFrame({"today": [today.isoformat()], "label": [f"今天 {today.isoformat()}"]})
    today_rule = (
        alt.Chart(today_data)
        .mark_rule(color=TODAY_COLOUR, strokeDash=[6, 4], size=2)
        .encode(x=_date_axis("today", "日期"), tooltip=[alt.Tooltip("label:N", title="参考线")])
    )
    today_text = (
        alt.Chart(today_data)
        .mark_text(color=TODAY_COLOUR, align="left", dx=4, dy=-6, baseline="bottom")
        .encode(x=_date_axis("today", "日期"), y=alt.YValue(0), text=alt.Text("label:N"))
    )
    height = max(160, 22 * len(data))
    title = alt.TitleParams("项目时间轴（立项日期 → 计划完成日期）", subtitle=shown or alt.Undefined)
    return alt.layer(bars, overdue_marks, today_rule, today_text, title=title).properties(height=height)


def overdue_by_province_chart(by_province: pd.DataFrame) -> alt.Chart:
    """Overdue projects per 所在省份 (provinces with none are left out), most first.

    ``by_province``: core.metrics.projects.summary_by(projects, today, "province").
    """
    summary = by_province[by_province["overdue"] > 0]
    return (
        alt.Chart(summary, title="各省份逾期项目数")
        .mark_bar(color=OVERDUE_COLOUR)
        .encode(
            y=alt.Y("province:N", title="所在省份", sort="-x"),
            x=alt.X("overdue:Q", title="逾期项目数", axis=_COUNT_AXIS),
            tooltip=[
                alt.Tooltip("province:N", title="所在省份"),
                alt.Tooltip("overdue:Q", title="逾期项目数", format=","),
                alt.Tooltip("projects:Q", title="项目总数", format=","),
                alt.Tooltip("in_progress:Q", title="在研项目数", format=","),
            ],
        )
    )

"""Staffing charts (Altair): the display frames of core.views.staffing in, a chart out.

Every chart has a Chinese title, axis labels and tooltips; the charts about a ratio
draw the standard in force as a reference line.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from core.formatting import on_screen, percent_text
from core.headers import STAFF_HEADERS, STUDENTS
from core.metrics.staffing import COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE
from core.standards import Standard

STATUS_COLORS = alt.Scale(
    domain=[COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE], range=["#4c78a8", "#e45756", "#bab0ac"]
)
REFERENCE_COLOR = "#f58518"
PICK = "pick"  # the selection a click on a bar makes (st.vega_lite_chart's on_select reports it)


def _with_share(table: pd.DataFrame, label: str) -> pd.DataFrame:
    """``table`` plus ``share`` (0–1) = ``<label>达标学校数`` / ``<label>适用学校数``."""
    applicable = table[f"{label}适用学校数"]
    return table.assign(share=table[f"{label}达标学校数"] / applicable.where(applicable > 0))


def labelled_rule(value: float, label: str, field: str = "share") -> alt.LayerChart:
    """A dashed vertical reference line at ``value`` with ``label`` written at its top."""
    data = alt.Chart(pd.DataFrame({field: [value], "name": [label]}))
    rule = data.mark_rule(color=REFERENCE_COLOR, strokeDash=[4, 4]).encode(
        x=alt.X(f"{field}:Q"), tooltip=[alt.Tooltip("name:N", title="参考线")]
    )
    text = data.mark_text(
        align="left", baseline="bottom", dx=4, color=REFERENCE_COLOR, fontWeight="bold"
    ).encode(x=alt.X(f"{field}:Q"), y=alt.YValue(-4), text=alt.Text("name:N"))
    return rule + text


def compliance_by_group_chart(
    table: pd.DataFrame, standard: Standard, group: str = "所在省份", selectable: bool = False
) -> alt.LayerChart:
    """Bars: the share of institutions meeting ``standard`` per group, highest first,
    with the scope's overall share as a labelled reference line. ``selectable``: a click on
    a bar selects its group (the selection ``PICK``, for drilling down)."""
    label = standard.label
    data = _with_share(table, label).dropna(subset=["share"])
    compliant, applicable = int(data[f"{label}达标学校数"].sum()), int(data[f"{label}适用学校数"].sum())
    overall = compliant / max(applicable, 1)
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "share:Q",
                title=f"达标率（{standard.meaning}即为达标）",
                axis=alt.Axis(format=".0%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            y=alt.Y(f"{group}:N", title=group, sort="-x", axis=alt.Axis(labelOverlap=False)),
            tooltip=[
                alt.Tooltip(f"{group}:N", title=group),
                alt.Tooltip(f"{label}达标率:N", title="达标率"),
                alt.Tooltip(f"{label}达标学校数:Q", title="达标学校数", format=","),
                alt.Tooltip(f"{label}适用学校数:Q", title="适用学校数", format=","),
                alt.Tooltip(f"{label}缺口合计:Q", title=f"{label}缺口合计", format=","),
            ],
        )
    )
    if selectable:
        bars = bars.add_params(alt.selection_point(name=PICK, fields=[group], on="click")).mark_bar(
            cursor="pointer"
        )
    reference = labelled_rule(overall, f"整体 {on_screen(percent_text(compliant, applicable))}")
    return (bars + reference).properties(
        title=f"各{group.removeprefix('所在')}{standard.post}配备达标率（{standard.ratio}）",
        height=alt.Step(22),
    )


def students_vs_staff_chart(table: pd.DataFrame, standard: Standard) -> alt.LayerChart:
    """Points: students against staff per institution, non-compliant ones highlighted,
    with the line staff = students / threshold (the standard).

    ``table`` has the columns of 学校明细 the chart shows (core.views.staffing gives at
    most core.charts.points.MAX_POINTS institutions)."""
    staff = STAFF_HEADERS[standard.key]
    status = f"{standard.label}达标情况"
    data = table.dropna(subset=[staff, status])
    most = float(data[STUDENTS].max()) if len(data) else 0.0
    points = (
        alt.Chart(data)
        .mark_circle(size=45, opacity=0.75)
        .encode(
            x=alt.X(f"{STUDENTS}:Q", title="全日制学生总数（人）", axis=alt.Axis(format=",d")),
            y=alt.Y(f"{staff}:Q", title=f"{staff}（人）", axis=alt.Axis(format=",d")),
            color=alt.Color(f"{status}:N", title="达标情况", scale=STATUS_COLORS),
            tooltip=[
                alt.Tooltip("学校名称:N"),
                alt.Tooltip("所在省份:N"),
                alt.Tooltip(f"{STUDENTS}:Q", format=","),
                alt.Tooltip(f"{staff}:Q", format=",.1~f"),
                alt.Tooltip(f"{standard.label}师生比:N", title="师生比"),
                alt.Tooltip(f"{standard.label}缺口:Q", title="缺口", format=","),
                alt.Tooltip(f"{status}:N", title="达标情况"),
            ],
        )
    )
    line = pd.DataFrame({STUDENTS: [0.0, most], staff: [0.0, most / standard.threshold]})
    reference = (
        alt.Chart(line.assign(name=f"标准 1:{standard.threshold:,}"))
        .mark_line(color=REFERENCE_COLOR, strokeDash=[6, 4])
        .encode(
            x=alt.X(f"{STUDENTS}:Q"), y=alt.Y(f"{staff}:Q"), tooltip=[alt.Tooltip("name:N", title="参考线")]
        )
    )
    return (points + reference).properties(
        title=f"学生数与{staff}（虚线为 1:{standard.threshold:,} 标准，红色为未达标）", height=380
    )


def compliance_trend_chart(trend: pd.DataFrame) -> alt.Chart:
    """Lines: the share of applicable institutions meeting each standard, per 学年."""
    data = trend.assign(share=trend["达标学校数"] / trend["适用学校数"].where(trend["适用学校数"] > 0))
    return (
        alt.Chart(data.dropna(subset=["share"]))
        .mark_line(point=True)
        .encode(
            x=alt.X("学年:O", title="学年", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("share:Q", title="达标率", axis=alt.Axis(format=".0%"), scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("指标:N", title="指标"),
            tooltip=[
                alt.Tooltip("学年:O"),
                alt.Tooltip("指标:N"),
                alt.Tooltip("达标率:N"),
                alt.Tooltip("达标学校数:Q", format=","),
                alt.Tooltip("适用学校数:Q", format=","),
            ],
        )
        .properties(title="各学年配备达标率变化", height=300)
    )


def _ratio_x(field: str, standard: Standard) -> alt.X:
    """The x channel of the ratio chart's layers: students per staff member."""
    return alt.X(
        f"{field}:Q",
        title=f"每名{standard.post}对应学生数（人）",
        axis=alt.Axis(format=",d"),
        scale=alt.Scale(zero=False),
    )


def _boxes(boxes: pd.DataFrame, y: alt.Y, standard: Standard) -> alt.LayerChart:
    """Box plots drawn from their statistics (core.metrics.boxplot: one row per group), as
    Vega-Lite's ``boxplot`` mark draws them: whiskers, a box coloured by 办学层次, a white median."""
    base = alt.Chart(boxes).encode(y=y)
    whiskers = base.mark_rule(opacity=0.6)
    box = base.mark_bar(size=22, opacity=0.6).encode(
        x=_ratio_x("q1", standard),
        x2=alt.X2("q3:Q"),
        color=alt.Color("办学层次:N", title="办学层次"),
        tooltip=[
            alt.Tooltip("group:N", title="办学层次·办学性质"),
            alt.Tooltip("q1:Q", title="下四分位数", format=",.1f"),
            alt.Tooltip("median:Q", title="中位数", format=",.1f"),
            alt.Tooltip("q3:Q", title="上四分位数", format=",.1f"),
            alt.Tooltip("count:Q", title="学校数", format=","),
        ],
    )
    median = base.mark_tick(color="white", size=22).encode(x=_ratio_x("median", standard))
    return (
        whiskers.encode(x=_ratio_x("lower", standard), x2=alt.X2("q1:Q"))
        + whiskers.encode(x=_ratio_x("q3", standard), x2=alt.X2("upper:Q"))
        + box
        + median
    )


def ratio_distribution_chart(boxes: pd.DataFrame, ticks: pd.DataFrame, standard: Standard) -> alt.LayerChart:
    """Boxes (and a tick per institution drawn): students per staff member by
    办学层次·办学性质, with the standard as a reference rule.

    ``boxes`` has each group's box statistics (core.metrics.boxplot.box_statistics of
    ``per_staff`` by ``group`` and 办学层次); ``ticks`` the institutions drawn one by one, with
    ``group``, ``per_staff``, 学校名称, 所在省份 and the ratio text for the tooltip.
    """
    y = alt.Y("group:N", title="办学层次·办学性质")
    x = _ratio_x("per_staff", standard)
    marks = (
        alt.Chart(ticks)
        .mark_tick(color="#333333", opacity=0.3, thickness=1, size=12)
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("学校名称:N"),
                alt.Tooltip("所在省份:N"),
                alt.Tooltip(f"{standard.label}师生比:N", title="师生比"),
            ],
        )
    )
    rule = (
        alt.Chart(
            pd.DataFrame({"threshold": [standard.threshold], "name": [f"标准 1:{standard.threshold:,}"]})
        )
        .mark_rule(color=REFERENCE_COLOR, strokeDash=[6, 4])
        .encode(x=alt.X("threshold:Q"), tooltip=[alt.Tooltip("name:N", title="参考线")])
    )
    return (_boxes(boxes, y, standard) + marks + rule).properties(
        title=f"{standard.post}师生比分布（虚线为 1:{standard.threshold:,} 标准）", height=300
    )


def worst_institutions_chart(table: pd.DataFrame, standard: Standard, place: str) -> alt.Chart:
    """Bars: the institutions of ``place`` furthest below ``standard`` (core.views.overview's
    ``worst``: 学校名称, 缺口, 师生比, 学校标识码), largest gap on top; a click on a bar selects
    its 学校标识码 (the selection ``PICK``, to open the institution's profile)."""
    return (
        alt.Chart(table)
        .mark_bar(color=STATUS_COLORS.range[1], cursor="pointer")
        .add_params(alt.selection_point(name=PICK, fields=["学校标识码"], on="click"))
        .encode(
            x=alt.X("缺口:Q", title=f"{standard.post}缺口（人）", axis=alt.Axis(format=",d", tickMinStep=1)),
            y=alt.Y("学校名称:N", title=None, sort="-x", axis=alt.Axis(labelLimit=180)),
            tooltip=[
                alt.Tooltip("学校名称:N"),
                alt.Tooltip("缺口:Q", title="缺口（人）", format=","),
                alt.Tooltip("师生比:N"),
            ],
        )
        .properties(title=f"{place}距{standard.ratio}最远的学校", height=alt.Step(24))
    )

"""Reporting-completeness charts (Altair): frames of core.metrics.completeness in, chart out."""

from __future__ import annotations

import altair as alt
import pandas as pd

from core.metrics.completeness import AWAITING_REVIEW, LATE, MISSING, ON_TIME, PENDING

STATUS_COLOURS = {
    ON_TIME: "#2ca02c",
    LATE: "#ff7f0e",
    MISSING: "#d62728",
    PENDING: "#bdbdbd",
    AWAITING_REVIEW: "#1f77b4",
}
REFERENCE_COLOUR = "#444444"
ROW_HEIGHT = 24  # pixels per row of a matrix or bar chart
PANEL_WIDTH, PANEL_HEIGHT = 230, 220  # one panel of a comparison chart
# The heatmap's colours diverge at this 报送率 (%): below it red, above it green — 75% is not "fine".
TARGET_RATE = 95
BOTTOM_LEGEND = alt.Legend(orient="bottom", direction="horizontal", titleOrient="left")


def _title(text: str) -> alt.TitleParams:
    """A title over the whole chart, its row labels included (not over the school names)."""
    return alt.TitleParams(text, anchor="start", frame="bounds", offset=12)


def _ordered(values: pd.Series) -> list[str]:
    """The distinct values in their order of appearance (the frames come sorted)."""
    return list(dict.fromkeys(values))


def status_heatmap(matrix: pd.DataFrame) -> alt.Chart:
    """学校 × 报送期次, each cell coloured by 按时报送 / 逾期报送 / 未报送 / 待报送."""
    return (
        alt.Chart(matrix, title=_title("各校报送情况"))
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X(
                "报送期次:N", title="报送期次", sort=_ordered(matrix["报送期次"]), axis=alt.Axis(labelAngle=0)
            ),
            y=alt.Y("学校:N", title="学校", sort=_ordered(matrix["学校"]), axis=alt.Axis(labelLimit=260)),
            color=alt.Color(
                "状态:N",
                title="状态",
                scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
                legend=BOTTOM_LEGEND,
            ),
            tooltip=[
                alt.Tooltip("学校:N", title="学校"),
                alt.Tooltip("报送期次:N", title="报送期次"),
                alt.Tooltip("状态:N", title="状态"),
                alt.Tooltip("首次报送时间:N", title="首次报送时间"),
                alt.Tooltip("截止日期:N", title="截止日期"),
            ],
        )
        .properties(height=alt.Step(ROW_HEIGHT))
    )


def rate_heatmap(matrix: pd.DataFrame) -> alt.LayerChart:
    """省份 × 报送期次, each cell coloured by its 报送率 on a scale diverging at ``TARGET_RATE``
    (red below, green above) and labelled with it in a colour readable on the cell."""
    base = alt.Chart(matrix).encode(
        x=alt.X(
            "报送期次:N", title="报送期次", sort=_ordered(matrix["报送期次"]), axis=alt.Axis(labelAngle=0)
        ),
        y=alt.Y("所在省份:N", title="省份", sort=_ordered(matrix["所在省份"])),
        tooltip=[
            alt.Tooltip("所在省份:N", title="省份"),
            alt.Tooltip("报送期次:N", title="报送期次"),
            alt.Tooltip("应报:Q", title="应报（所）", format=","),
            alt.Tooltip("已报:Q", title="已报（所）", format=","),
            alt.Tooltip("按时报送:Q", title="按时报送（所）", format=","),
            alt.Tooltip("逾期报送:Q", title="逾期报送（所）", format=","),
            alt.Tooltip("未报:Q", title="未报（所）", format=","),
            alt.Tooltip("报送率:N", title="报送率"),
            alt.Tooltip("按时报送率:N", title="按时报送率"),
        ],
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color(
            "报送率数值:Q",
            title=f"报送率（%，以 {TARGET_RATE}% 为界）",
            scale=alt.Scale(domain=[0, TARGET_RATE, 100], range=["#b2182b", "#f7f7f7", "#1a7837"]),
            legend=alt.Legend(orient="bottom", direction="horizontal", gradientLength=220),
        )
    )
    dark = f"datum['报送率数值'] < {TARGET_RATE // 3} || datum['报送率数值'] > {(TARGET_RATE + 100) / 2}"
    labels = base.mark_text(fontSize=11).encode(
        text="报送率:N", color=alt.condition(dark, alt.value("white"), alt.value("#222222"))
    )
    return alt.layer(cells, labels, title=_title("各省报送率")).properties(height=alt.Step(ROW_HEIGHT))


def reporting_rate_chart(rates: pd.DataFrame, overall_rate: float | None) -> alt.LayerChart:
    """报送率 and 按时报送率 per province (rows of ``rate_table`` with the numeric rates),
    with a reference line at the rate of the whole scope and one at 100%.
    """
    data = pd.concat(
        [
            pd.DataFrame(
                {"所在省份": rates["所在省份"], "指标": name, "比率": rates[column], "文本": rates[text]}
            )
            for name, column, text in (
                ("报送率", "报送率数值", "报送率"),
                ("按时报送率", "按时报送率数值", "按时报送率"),
            )
        ],
        ignore_index=True,
    )
    y = alt.Y("所在省份:N", title="省份", sort=_ordered(rates["所在省份"]))
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=y,
            yOffset=alt.YOffset("指标:N", sort=["报送率", "按时报送率"]),
            x=alt.X("比率:Q", title="比率（%）", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "指标:N", title="指标", scale=alt.Scale(range=["#1f77b4", "#2ca02c"]), legend=BOTTOM_LEGEND
            ),
            tooltip=[
                alt.Tooltip("所在省份:N", title="省份"),
                alt.Tooltip("指标:N", title="指标"),
                alt.Tooltip("文本:N", title="比率"),
            ],
        )
    )
    references = [{"比率": 100.0, "参考线": "全部报送 100%"}]
    if overall_rate is not None:
        references.append({"比率": overall_rate, "参考线": f"本范围报送率 {overall_rate:.1f}%"})
    rules = (
        alt.Chart(pd.DataFrame(references))
        .mark_rule(color=REFERENCE_COLOUR, strokeDash=[6, 4], size=2)
        .encode(x=alt.X("比率:Q"), tooltip=[alt.Tooltip("参考线:N", title="参考线")])
    )
    # the step is per bar: two bars (报送率, 按时报送率) per province
    return alt.layer(bars, rules, title="各省报送率与按时报送率").properties(
        height=alt.Step(ROW_HEIGHT // 2 + 2)
    )


def comparison_chart(
    points: pd.DataFrame, title: str, value_title: str, period_title: str = "学年学期"
) -> alt.FacetChart:
    """学校画像: the institution's figure beside its province's over the periods, one panel
    per 指标 (and one row per 筛查类型 when ``points`` has one), with the indicator's reference
    line (its standard) where it has one; the value axis starts at 0, the legend is below.

    ``points`` columns: 期次 (in time order), 指标, 范围 (本校 / 全省), 数值, 文本 (as shown), 参考值
    [, 筛查类型].
    """
    periods = _ordered(points["期次"])
    base = alt.Chart().encode(
        x=alt.X(
            "期次:N",
            title=period_title,
            sort=periods,
            axis=alt.Axis(labelAngle=-45, labelLimit=220, labelOverlap=False),
        )
    )
    lines = base.mark_line(point=True).encode(
        y=alt.Y("数值:Q", title=value_title, scale=alt.Scale(zero=True)),
        color=alt.Color(
            "范围:N",
            title="范围",
            sort=["本校", "全省"],
            scale=alt.Scale(range=["#d62728", "#1f77b4"]),
            legend=BOTTOM_LEGEND,
        ),
        tooltip=[
            alt.Tooltip("期次:N", title=period_title),
            alt.Tooltip("指标:N", title="指标"),
            alt.Tooltip("范围:N", title="范围"),
            alt.Tooltip("文本:N", title="数值"),
        ],
    )
    rules = (
        alt.Chart()
        .transform_filter("isValid(datum['参考值'])")
        .mark_rule(color=REFERENCE_COLOUR, strokeDash=[6, 4], size=2)
        .encode(
            y=alt.Y("max(参考值):Q"),
            tooltip=[alt.Tooltip("max(参考值):Q", title="标准 / 参考线", format=",")],
        )
    )
    facets = {"column": alt.Column("指标:N", title=None, sort=_ordered(points["指标"]))}
    if "筛查类型" in points:
        facets["row"] = alt.Row(
            "筛查类型:N",
            title=None,
            sort=_ordered(points["筛查类型"]),
            header=alt.Header(labelAngle=0, labelAlign="left", labelAnchor="start", labelFontWeight="bold"),
        )
    return (
        alt.layer(lines, rules, data=points)
        .properties(width=PANEL_WIDTH, height=PANEL_HEIGHT)
        .facet(**facets)
        .resolve_scale(x="independent", y="independent")
        .properties(title=_title(title))
    )

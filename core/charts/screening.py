"""Screening charts (心理筛查): DataFrame in (frames of core.metrics.screening), Altair chart out.

Every chart has a Chinese title, axis titles and tooltips; rates are plotted as
fractions with percent axes, and tooltips show the rate text rounded half up
(core.formatting), '—' where the rate has no denominator.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from core.formatting import on_screen
from core.metrics import screening as metrics

BELOW_LINE_COLOR = "#d62728"
ABOVE_LINE_COLOR = "#1f77b4"
RISK_COLORS = {"high": "#d62728", "medium": "#ff7f0e", "watch": "#fdd835"}
PERIOD = "period"


def _count_tooltip(key: str) -> alt.Tooltip:
    return alt.Tooltip(f"{key}:Q", title=metrics.HEADERS[key], format=",")


def _rate_tooltip(rate: metrics.Rate) -> alt.Tooltip:
    return alt.Tooltip(f"{rate.key}_text:N", title=rate.header)


def _with_rate_texts(frame: pd.DataFrame, *rates: metrics.Rate) -> pd.DataFrame:
    data = frame.copy()
    for rate in rates:
        data[f"{rate.key}_text"] = metrics.rate_text(frame, rate).map(on_screen)
    return data


def _reference_rule(value: float, label: str, channel: str) -> alt.LayerChart:
    """A dashed reference line at ``value`` on ``channel`` ('x' or 'y'), labelled at its start."""
    data = pd.DataFrame({"line": [value], "label": [label]})
    # Channel objects, never bare strings or alt.value(): Altair 6 turns those into channels through
    # SchemaBase.from_dict, which rebuilds a table of all its schema classes each time (~5 ms).
    position = alt.X("line:Q") if channel == "x" else alt.Y("line:Q")
    base = alt.Chart(data).encode(position, tooltip=[alt.Tooltip("label:N", title="参考线")])
    rule = base.mark_rule(color=BELOW_LINE_COLOR, strokeDash=[6, 4], size=2)
    across = alt.YValue(0) if channel == "x" else alt.XValue(0)  # the label at the other axis' start
    text = base.mark_text(color=BELOW_LINE_COLOR, align="left", baseline="bottom", dx=4, dy=-2).encode(
        across, text=alt.Text("label:N")
    )
    return rule + text


def coverage_by_province(by_province: pd.DataFrame, coverage_line: float) -> alt.LayerChart:
    """筛查覆盖率 per province (a roll-up by ``province``) as dots on a scale that starts
    near the lowest value, so that small gaps show; dots below ``coverage_line`` in red,
    the line itself as a reference."""
    data = _with_rate_texts(by_province.dropna(subset=[metrics.COVERAGE.key]), metrics.COVERAGE)
    data["below"] = data[metrics.COVERAGE.key] < coverage_line
    line_text = metrics.coverage_line_text(coverage_line)
    dots = (
        alt.Chart(data)
        .mark_circle(size=120, opacity=0.9)
        .encode(
            y=alt.Y("province:N", sort=None, title="省份"),
            x=alt.X(
                f"{metrics.COVERAGE.key}:Q",
                title="筛查覆盖率",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(zero=False),
            ),
            color=alt.Color(
                "below:N",
                title="覆盖率",
                scale=alt.Scale(domain=[True, False], range=[BELOW_LINE_COLOR, ABOVE_LINE_COLOR]),
                legend=alt.Legend(labelExpr=f"datum.value ? '低于{line_text}' : '达到{line_text}'"),
            ),
            tooltip=[
                alt.Tooltip("province:N", title="省份"),
                _count_tooltip("institutions"),
                _count_tooltip("target"),
                _count_tooltip("screened"),
                _rate_tooltip(metrics.COVERAGE),
            ],
        )
    )
    rule = _reference_rule(coverage_line, f"关注线 {line_text}", "x")
    return (dots + rule).properties(title="各省份筛查覆盖率")


def risk_levels(rolled_up: pd.DataFrame, group: str) -> alt.Chart:
    """Stacked bars of 高风险 / 中风险 / 一般关注 counts per value of ``group`` (a roll-up
    by ``group``: province, kind …)."""
    data = _with_rate_texts(rolled_up, metrics.FLAGGED_RATE)
    long = data.melt(
        id_vars=[group, metrics.FLAGGED, f"{metrics.FLAGGED_RATE.key}_text"],
        value_vars=list(metrics.RISK_LEVELS),
        var_name="level",
        value_name="count",
    )
    long["level_name"] = long["level"].map(metrics.HEADERS).str.removesuffix("人数")
    long["level_order"] = long["level"].map(metrics.RISK_LEVELS.index)
    level_names = [metrics.HEADERS[level].removesuffix("人数") for level in metrics.RISK_LEVELS]
    group_title = metrics.HEADERS[group]
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y(f"{group}:N", sort=None, title=group_title),
            x=alt.X("count:Q", stack="zero", title="人数", axis=alt.Axis(format=",d")),
            color=alt.Color(
                "level_name:N",
                title="风险等级",
                scale=alt.Scale(
                    domain=level_names, range=[RISK_COLORS[level] for level in metrics.RISK_LEVELS]
                ),
            ),
            order=alt.Order("level_order:Q"),
            tooltip=[
                alt.Tooltip(f"{group}:N", title=group_title),
                alt.Tooltip("level_name:N", title="风险等级"),
                alt.Tooltip("count:Q", title="人数", format=","),
                _count_tooltip(metrics.FLAGGED),
                _rate_tooltip(metrics.FLAGGED_RATE),
            ],
        )
        .properties(title=f"各{group_title.removeprefix('所在')}预警人数（按风险等级）")
    )


def _periods(term_totals: pd.DataFrame) -> pd.DataFrame:
    data = term_totals.copy()
    data[PERIOD] = data["year"] + data["term"].str.removesuffix("学期")
    return data


def _period_axis(data: pd.DataFrame) -> alt.X:
    """学年学期 in the frame's order (oldest first), labels slanted and never cut."""
    return alt.X(
        f"{PERIOD}:N",
        sort=list(data[PERIOD]),
        title="学年学期",
        axis=alt.Axis(labelAngle=-40, labelLimit=0, labelOverlap=False),
    )


def coverage_trend(term_totals: pd.DataFrame, coverage_line: float) -> alt.LayerChart:
    """筛查覆盖率 per 学年 and 学期 (core.views.screening.term_totals), with the line."""
    data = _with_rate_texts(_periods(term_totals), metrics.COVERAGE)
    line = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=_period_axis(data),
            y=alt.Y(
                f"{metrics.COVERAGE.key}:Q",
                title="筛查覆盖率",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            tooltip=[
                alt.Tooltip(f"{PERIOD}:N", title="学年学期"),
                _count_tooltip("target"),
                _count_tooltip("screened"),
                _rate_tooltip(metrics.COVERAGE),
            ],
        )
    )
    rule = _reference_rule(coverage_line, f"关注线 {metrics.coverage_line_text(coverage_line)}", "y")
    return (line + rule).properties(title="历次筛查覆盖率")


def risk_rate_trend(term_totals: pd.DataFrame) -> alt.Chart:
    """预警率 and 高风险率 per 学年 and 学期 (core.views.screening.term_totals)."""
    rates = (metrics.FLAGGED_RATE, metrics.HIGH_RATE)
    data = _with_rate_texts(_periods(term_totals), *rates)
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    PERIOD: data[PERIOD],
                    "indicator": rate.header,
                    "value": data[rate.key],
                    "text": data[f"{rate.key}_text"],
                }
            )
            for rate in rates
        ],
        ignore_index=True,
    )
    return (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=_period_axis(data),
            y=alt.Y("value:Q", title="比率", axis=alt.Axis(format=".1%")),
            color=alt.Color("indicator:N", title="指标", sort=[rate.header for rate in rates]),
            tooltip=[
                alt.Tooltip(f"{PERIOD}:N", title="学年学期"),
                alt.Tooltip("indicator:N", title="指标"),
                alt.Tooltip("text:N", title="比率"),
            ],
        )
        .properties(title="历次筛查预警率与高风险率")
    )


def follow_up_scatter(by_institution: pd.DataFrame) -> alt.LayerChart:
    """One point per institution (a roll-up by code, institution_name, province, or the
    institutions of it to draw): 预警人数合计 against 约谈评估率, points below 100% in red;
    institutions with nobody flagged are left out."""
    columns = ["institution_name", "province", metrics.FLAGGED, "interviewed", metrics.FOLLOW_UP.key]
    flagged_somewhere = by_institution.dropna(subset=[metrics.FOLLOW_UP.key])[
        columns
    ]  # one point each: keep it lean
    data = _with_rate_texts(flagged_somewhere, metrics.FOLLOW_UP)
    data["below"] = data["interviewed"] < data[metrics.FLAGGED]
    points = (
        alt.Chart(data)
        .mark_circle(size=60, opacity=0.75)
        .encode(
            x=alt.X(f"{metrics.FLAGGED}:Q", title="预警人数合计", axis=alt.Axis(format=",d")),
            y=alt.Y(f"{metrics.FOLLOW_UP.key}:Q", title="约谈评估率", axis=alt.Axis(format="%")),
            color=alt.Color(
                "below:N",
                title="约谈评估",
                scale=alt.Scale(domain=[True, False], range=[BELOW_LINE_COLOR, ABOVE_LINE_COLOR]),
                legend=alt.Legend(labelExpr="datum.value ? '未全部约谈评估' : '已全部约谈评估'"),
            ),
            tooltip=[
                alt.Tooltip("institution_name:N", title="学校名称"),
                alt.Tooltip("province:N", title="省份"),
                _count_tooltip(metrics.FLAGGED),
                _count_tooltip("interviewed"),
                _rate_tooltip(metrics.FOLLOW_UP),
            ],
        )
    )
    rule = _reference_rule(1.0, "应全部约谈评估 100%", "y")
    return (points + rule).properties(title="各校预警人数与约谈评估率")

"""Charts of a form declared as data (Altair): frames of core.views.indicators.page in, chart out."""

from __future__ import annotations

import altair as alt
import pandas as pd

STANDARD_COLOUR = "#d62728"
RATE = "达标率"


def compliance_chart(frame: pd.DataFrame, group_header: str, header: str) -> alt.LayerChart:
    """Horizontal bars: 达标率 (%) of ``header`` per province (or 办学层次), lowest first, with a
    reference line at 100 %. ``frame``: group column, 达标率, 报送数, 达标数."""
    data = frame.rename(columns={group_header: "group", RATE: "rate", "报送数": "measured", "达标数": "met"})
    bars = (
        alt.Chart(data, title=f"{header} 达标率（按{group_header}）")
        .mark_bar()
        .encode(
            y=alt.Y("group:N", title=group_header, sort="x"),
            x=alt.X("rate:Q", title="达标率（%）", scale=alt.Scale(domain=[0, 100])),
            tooltip=[
                alt.Tooltip("group:N", title=group_header),
                alt.Tooltip("rate:Q", title="达标率（%）", format=".1f"),
                alt.Tooltip("met:Q", title="达标数", format=","),
                alt.Tooltip("measured:Q", title="报送数", format=","),
            ],
        )
    )
    full = alt.Chart(pd.DataFrame({"rate": [100.0]})).mark_rule(color=STANDARD_COLOUR, strokeDash=[4, 4])
    return alt.layer(bars, full.encode(x=alt.X("rate:Q")))


def distribution_chart(
    values: pd.DataFrame, header: str, threshold: float | None, unit: str
) -> alt.LayerChart:
    """Rows per band of the indicator's value, with the standard as a red dashed line.
    ``values``: 学校名称, 值 (one row per reported row)."""
    title = f"{header}（{unit}）" if unit else header
    bars = (
        alt.Chart(values.rename(columns={"值": "value"}), title=f"{header} 分布")
        .mark_bar()
        .encode(
            x=alt.X("value:Q", bin=alt.Bin(maxbins=20), title=title),
            y=alt.Y("count():Q", title="行数", axis=alt.Axis(tickMinStep=1, format=",d")),
            tooltip=[
                alt.Tooltip("value:Q", bin=alt.Bin(maxbins=20), title=title),
                alt.Tooltip("count():Q", title="行数", format=","),
            ],
        )
    )
    layers = [bars]
    if threshold is not None:
        rule = alt.Chart(pd.DataFrame({"value": [threshold], "label": [f"标准 {threshold:g}"]}))
        layers.append(
            rule.mark_rule(color=STANDARD_COLOUR, strokeDash=[4, 4]).encode(
                x="value:Q", tooltip=[alt.Tooltip("label:N", title="标准")]
            )
        )
    return alt.layer(*layers)

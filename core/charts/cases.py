"""督办 charts (Altair): the burndown frame of core.review.casebook in, chart out."""

from __future__ import annotations

import altair as alt
import pandas as pd


def burndown_chart(frame: pd.DataFrame) -> alt.Chart:
    """未销号督办事项 at each month's end: bars, one per month."""
    return (
        alt.Chart(frame, title="未销号督办事项（按月）")
        .mark_bar(color="#d62728")
        .encode(
            x=alt.X("月份:O", title="月份", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("未销号:Q", title="未销号事项数", axis=alt.Axis(tickMinStep=1)),
            tooltip=[alt.Tooltip("月份:O", title="月份"), alt.Tooltip("未销号:Q", title="未销号事项数")],
        )
    )

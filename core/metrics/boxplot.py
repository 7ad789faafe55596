"""Box-plot statistics computed on the server, so a chart draws a few rows per box.

Vega-Lite's ``boxplot`` mark needs every value (3,000 institutions at national scale, sent
on every view) to compute its quartiles in the browser; the same figures computed here
(the quartiles with the linear interpolation Vega uses, as pandas' default, and whiskers
reaching the furthest values within ``extent`` × IQR of the box, as ``extent=1.5``) are one
row per group.
"""

from __future__ import annotations

import pandas as pd

BOX_COLUMNS = ["lower", "q1", "median", "q3", "upper", "count"]


def box_statistics(frame: pd.DataFrame, by: list[str], value: str, extent: float = 1.5) -> pd.DataFrame:
    """Per group of ``by``: ``q1``, ``median``, ``q3`` of ``value``, the whiskers ``lower`` and
    ``upper`` (the smallest / largest value within ``extent`` × (q3 − q1) beyond the box) and
    the ``count`` of values; rows without ``value`` are left out, groups in sorted order."""
    data = frame.dropna(subset=[value])
    if data.empty:
        return pd.DataFrame(columns=[*by, *BOX_COLUMNS])
    grouped = data.groupby(by)[value]
    stats = grouped.quantile([0.25, 0.5, 0.75]).unstack()
    stats.columns = ["q1", "median", "q3"]
    reach = extent * (stats["q3"] - stats["q1"])
    fences = data.join(stats[["q1", "q3"]].assign(reach=reach), on=by)
    inside = data[
        (fences[value] >= fences["q1"] - fences["reach"]) & (fences[value] <= fences["q3"] + fences["reach"])
    ].groupby(by)[value]
    stats = stats.assign(lower=inside.min(), upper=inside.max(), count=grouped.size())
    return stats[BOX_COLUMNS].reset_index()

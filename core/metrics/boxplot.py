"""Box-plot statistics computed on the server, so a chart draws a few rows per box.

Vega-Lite's ``boxplot`` mark needs every value (3,000 institutions at national scale, sent
on every view) to compute its quartiles in the browser; the same figures computed here
(the quartiles with the linear interpolation Vega uses, as pandas' default, and whiskers
reaching the furthest values within ``extent`` × IQR of the box, as ``extent=1.5``) are one
row per group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BOX_COLUMNS = ["lower", "q1", "median", "q3", "upper", "count"]


def box_statistics(frame: pd.DataFrame, by: list[str], value: str, extent: float = 1.5) -> pd.DataFrame:
    """Per group of ``by``: ``q1``, ``median``, ``q3`` of ``value``, the whiskers ``lower`` and
    ``upper`` (the smallest / largest value within ``extent`` × (q3 − q1) beyond the box) and
    the ``count`` of values; rows without ``value`` are left out, groups in sorted order.

    A loop over the groups with numpy (a handful of 办学层次·办学性质 groups): pandas' grouped
    quantile and the join of the fences cost ~8 ms per call on a province's hundred schools."""
    data = frame.dropna(subset=[value])
    boxes = []
    for key, values in data.groupby(by, sort=True)[value]:
        numbers = values.to_numpy(dtype="float64")
        q1, median, q3 = np.quantile(numbers, [0.25, 0.5, 0.75])
        reach = extent * (q3 - q1)
        inside = numbers[(numbers >= q1 - reach) & (numbers <= q3 + reach)]
        boxes.append((*key, inside.min(), q1, median, q3, inside.max(), len(numbers)))
    return pd.DataFrame(boxes, columns=[*by, *BOX_COLUMNS])

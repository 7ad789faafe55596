"""One mark per institution, at national scale: at most ``MAX_POINTS`` of them.

A scatter of 3,000 institutions is slow to send and to draw and is no easier to read
than 1,000; the tables under the charts list every institution. The rows that matter
(e.g. the non-compliant ones) are kept first, the rest are taken at even steps through
the frame's order, so the picture keeps its shape. Pages say so in a caption.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MAX_POINTS = 1000


def _evenly(frame: pd.DataFrame, count: int) -> pd.DataFrame:
    """``count`` rows of ``frame`` at even steps, the first and the last included."""
    if count >= len(frame):
        return frame
    if count <= 0:
        return frame.iloc[:0]
    return frame.iloc[np.linspace(0, len(frame) - 1, count).round().astype(int)]


def capped(frame: pd.DataFrame, first: pd.Series, limit: int = MAX_POINTS) -> pd.DataFrame:
    """At most ``limit`` rows of ``frame`` in their original order, the rows where
    ``first`` holds before any other (each part thinned evenly when it does not fit)."""
    if len(frame) <= limit:
        return frame
    first = first.fillna(False).astype(bool)
    priority = _evenly(frame[first], limit)
    rest = _evenly(frame[~first], limit - len(priority))
    return frame.loc[frame.index.isin(priority.index) | frame.index.isin(rest.index)]


def caption(total: int, first: str, limit: int = MAX_POINTS) -> str:
    """What a page says under charts drawn with :func:`capped` from ``total`` schools;
    '' when every school is drawn."""
    if total <= limit:
        return ""
    return (
        f"共 {total:,} 所学校，逐校绘点的图只显示其中 {limit:,} 所（{first}优先，其余等距抽取）；"
        "每所学校的数值见下方表格。"
    )

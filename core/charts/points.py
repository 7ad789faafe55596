"""One mark per institution, at national scale: at most ``MAX_POINTS`` of them.

A scatter of 3,000 institutions is slow to send (on every rerun of the page) and to draw
and is no easier to read than 500; the tables under the charts list every institution. The
rows that matter (e.g. the non-compliant ones) are all kept when they fill at most half of
the marks; otherwise each part gets half. Within a part rows are taken at even steps through the
frame's order (the worst first in a ranked table), so the picture keeps its shape.
Pages say so in a caption.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MAX_POINTS = 500


def _evenly(frame: pd.DataFrame, count: int) -> pd.DataFrame:
    """``count`` rows of ``frame`` at even steps, the first and the last included."""
    if count >= len(frame):
        return frame
    if count <= 0:
        return frame.iloc[:0]
    return frame.iloc[np.linspace(0, len(frame) - 1, count).round().astype(int)]


def capped(frame: pd.DataFrame, first: pd.Series, limit: int = MAX_POINTS) -> pd.DataFrame:
    """At most ``limit`` rows of ``frame`` in their original order: the rows where
    ``first`` holds get up to half of them (more when the others need less), the
    others the rest; each part thinned evenly when it does not fit."""
    if len(frame) <= limit:
        return frame
    first = first.fillna(False).astype(bool)
    rest = frame[~first]
    priority = _evenly(frame[first], max(limit // 2, limit - len(rest)))
    others = _evenly(rest, limit - len(priority))
    return frame.loc[frame.index.isin(priority.index) | frame.index.isin(others.index)]


def compact(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``frame`` with ``columns`` (texts repeated from row to row: provinces, groups, statuses)
    as categories: a chart's Arrow dataset then carries each distinct text once, not per mark."""
    return frame.astype(dict.fromkeys(columns, "category"))


def caption(total: int, first: str, limit: int = MAX_POINTS) -> str:
    """What a page says under charts drawn with :func:`capped` from ``total`` schools;
    '' when every school is drawn."""
    if total <= limit:
        return ""
    return (
        f"共 {total:,} 所学校，逐校绘点的图只显示其中 {limit:,} 所：{first}不超过一半时全部显示，"
        "否则与其他学校各占一半，均等距抽取；每所学校的数值见下方表格。"
    )

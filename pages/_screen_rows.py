"""Rows of a table as st.dataframe draws them (numbers numeric, see core.screen), made once per
table and page of rows rather than on every rerun.

A page's tables come from its cached model (pages._shared.cached keeps the very same frame
objects while the data are unchanged), so the rows on screen are remembered by the frame's
identity and the rows' bounds: converting the texts to numbers and the frame to Arrow took a
good part of a national view's server time. The cache holds the frames it remembers, so an
identity is never reused while its entry lives.
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from core.screen import Kind, numeric_for_screen

REMEMBERED = 256  # pages of rows kept (each holds its table alive; most are held by the page caches anyway)


class _Same:
    """A frame as a cache key: equal to itself only (frames are neither hashable nor comparable)."""

    __slots__ = ("frame",)

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def __hash__(self) -> int:
        return id(self.frame)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.frame is self.frame


def column_config(values: pd.Series, kind: Kind) -> Any:
    """How a numeric column of ``kind`` is drawn: a rate as a bar from 0 to 100%, a ratio as
    '1:200.3', whole numbers with thousands separators, fractions with one decimal."""
    if kind is Kind.PERCENT:
        if values.dropna().between(0, 100).all():
            return st.column_config.ProgressColumn(
                format="%.1f%%",
                min_value=0,
                max_value=100,
                color="#4c78a8",  # neutral: not the theme's red
            )
        return st.column_config.NumberColumn(format="%.1f%%")
    formats = {Kind.RATIO: "1:%.1f", Kind.WHOLE: "localized", Kind.DECIMAL: "%.1f"}
    return st.column_config.NumberColumn(format=formats[kind])


def screen_form(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
    """``frame`` with its numbers numeric, and the column config of its numeric columns."""
    shown, kinds = numeric_for_screen(frame)
    return shown, {name: column_config(shown[name], kind) for name, kind in kinds.items()}


def screen_rows(frame: pd.DataFrame, start: int, end: int) -> tuple[Any, dict[str, Any]]:
    """:func:`screen_form` of ``frame.iloc[start:end]``, remembered for this very frame; the rows
    as an Arrow table (st.dataframe then only writes it out) when Arrow takes them as they are.
    The config is the caller's to copy, not to change."""
    return _remembered(_Same(frame), start, end)


@functools.lru_cache(maxsize=REMEMBERED)
def _remembered(same: _Same, start: int, end: int) -> tuple[Any, dict[str, Any]]:
    shown, config = screen_form(same.frame.iloc[start:end])
    try:
        return pa.Table.from_pandas(shown, preserve_index=False), config
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return shown, config  # mixed types: Streamlit's own conversion copes with them

"""Altair charts on a page, drawn from a cached Vega-Lite spec.

Building an Altair chart and turning it into Vega-Lite takes tens of milliseconds per chart,
on every rerun; the finished spec is cached on the builder and its arguments instead, and
built in a read worker (core.workers) when missing. Those are fingerprinted on every rerun,
so they should be the small frames the chart shows, not whole tables.

A page's charts drawn inside :func:`charts_together` are built at once: a province's first
心理筛查 view has five charts to build, which one after another waited five times in the
workers' queue behind other users' reads.
"""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec
from streamlit.runtime.scriptrunner import add_script_run_ctx

from core.charts.staffing import PICK
from core.workers import in_worker
from pages._shared import function_name

_together = threading.local()  # .waiting: the charts of the open charts_together block, in order


def chart(build: Callable[..., alt.TopLevelMixin], *args: Any) -> None:
    """Draw the Altair chart ``build(*args)`` (a core.charts builder and its frames)."""
    _draw(build, args, {"width": "stretch"})


def _draw(build: Callable[..., alt.TopLevelMixin], args: tuple, options: dict[str, Any]) -> None:
    waiting = getattr(_together, "waiting", None)
    if waiting is None:
        st.vega_lite_chart(_chart_spec(build, function_name(build), args), **options)
    else:  # its place now, its spec with the block's others
        waiting.append((st.empty(), build, args, options))


@contextmanager
def charts_together() -> Iterator[None]:
    """The charts drawn inside the block keep their places and are built together when it
    ends: each missing spec in its own thread, so that the read workers build them side by side."""
    waiting: list[tuple[Any, Callable[..., alt.TopLevelMixin], tuple, dict[str, Any]]] = []
    _together.waiting = waiting
    try:
        yield
    finally:
        _together.waiting = None
    outcomes: list[Any] = [None] * len(waiting)  # a spec, or the exception its build raised

    def build_spec(number: int, build: Callable[..., alt.TopLevelMixin], args: tuple) -> None:
        try:
            outcomes[number] = _chart_spec(build, function_name(build), args)
        except Exception as error:  # noqa: BLE001 (raised again in the script's thread, below)
            outcomes[number] = error

    threads = [
        add_script_run_ctx(threading.Thread(target=build_spec, args=(number, build, args)))
        for number, (_, build, args, _) in enumerate(waiting)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for (place, _, _, options), outcome in zip(waiting, outcomes, strict=True):
        if isinstance(outcome, Exception):
            raise outcome
        place.vega_lite_chart(outcome, **options)


def picked_chart(build: Callable[..., alt.TopLevelMixin], *args: Any, key: str, field: str) -> str | None:
    """:func:`chart` whose click selection ``PICK`` (see core.charts.staffing) reruns the page;
    the ``field`` value of the clicked mark, or None."""
    event = st.vega_lite_chart(
        _chart_spec(build, function_name(build), args), width="stretch", on_select="rerun", key=key
    )
    picked = event.selection.get(PICK) if event else None
    return picked[0].get(field) if picked else None


def chart_at_own_width(build: Callable[..., alt.TopLevelMixin], *args: Any) -> None:
    """:func:`chart` at the width Streamlit gives the chart's kind: its own for a faceted or
    side-by-side chart (stretching squeezes the panels), the column's for the others."""
    _draw(build, args, {})


def _fingerprint(frame: pd.DataFrame) -> bytes:
    """A frame's bytes for the chart cache key: pickling is ~5× faster than Streamlit's
    default hashing of every value (equal bytes mean equal frames)."""
    return pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs={pd.DataFrame: _fingerprint})
def _chart_spec(_build: Callable[..., alt.TopLevelMixin], name: str, args: tuple) -> dict[str, Any]:
    """The spec ``st.altair_chart`` would draw (Streamlit's own conversion: theme and
    Arrow datasets alike), for ``st.vega_lite_chart``; ``name`` is ``_build``'s in the key.
    Built in a read worker (core.workers), like the page models the frames come from."""
    return in_worker(_built_spec, _build, args)


def _built_spec(build: Callable[..., alt.TopLevelMixin], args: tuple) -> dict[str, Any]:
    return _convert_altair_to_vega_lite_spec(_Unchecked(build(*args)))


class _Unchecked:
    """A chart as Streamlit's conversion uses it (it only calls ``to_dict()``), converted without
    checking the spec against the Vega-Lite schema on every build: a third of a conversion's
    time, spent on specs that only our builders make and tests/test_chart_build.py checks."""

    def __init__(self, chart: alt.TopLevelMixin) -> None:
        self.chart = chart

    def to_dict(self) -> dict[str, Any]:
        return self.chart.to_dict(validate=False)

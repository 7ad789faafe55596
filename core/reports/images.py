"""Charts of a 通报 as PNG images, rendered by the Vega project's own converter (no browser)."""

from __future__ import annotations

import copy
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any

import vl_convert

from core.reports.content import Chart, Report
from core.reports.fonts import find_cjk_font

CHART_WIDTH = 520  # px before scaling: the text width of an A4 page at the PDF's size
SCALE = 3  # 3 × 72 dpi = 216 dpi, sharp in print


@dataclass(frozen=True)
class Image:
    title: str
    png: bytes
    width: int  # pixels
    height: int


@cache
def _register_font_directory() -> str:
    """Let vl-convert see the CJK font (once a process); the family to write text in."""
    font = find_cjk_font()
    vl_convert.register_font_directory(str(font.directory))
    return font.family


def _printable(spec: dict[str, Any], family: str) -> dict[str, Any]:
    """The spec at a fixed width, on white, with every text in the CJK font."""
    printable = copy.deepcopy(spec)
    if printable.get("width") in (None, "container"):
        printable["width"] = CHART_WIDTH
    config = printable.setdefault("config", {})
    config["font"] = family
    config["background"] = "white"
    return printable


def _png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def render(chart: Chart) -> Image:
    png = vl_convert.vegalite_to_png(_printable(chart.spec, _register_font_directory()), scale=SCALE)
    return Image(chart.title, png, *_png_size(png))


def render_all(report: Report) -> dict[int, Image]:
    """Every chart of ``report`` by ``id(chart)``, rendered two at a time (the machine's cores)."""
    charts = [chart for section in report.sections for chart in section.charts]
    _register_font_directory()
    with ThreadPoolExecutor(max_workers=2) as pool:
        return {id(chart): image for chart, image in zip(charts, pool.map(render, charts), strict=True)}

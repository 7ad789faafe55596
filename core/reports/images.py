"""Charts of a 通报 as images, rendered by the Vega project's own converter (no browser).

PNG for the workbook (at about twice its size on the sheet); SVG for the PDF, drawn there
as vector graphics (a PNG ReportLab would decode, split off its alpha channel and compress
again: seconds per report, and megabytes).
"""

from __future__ import annotations

import copy
import io
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any

import vl_convert
from PIL import Image as PillowImage

from core.reports.content import Chart, Report
from core.reports.fonts import find_cjk_font

CHART_WIDTH = 520  # px before scaling: the text width of an A4 page at the PDF's size
SCALE = 2  # twice the size a sheet shows it at: sharp on high-density screens and in print (~150 dpi)
PNG, SVG = "png", "svg"
_SVG_SIZE = re.compile(r'<svg[^>]*?width="([\d.]+)"[^>]*?height="([\d.]+)"')


@dataclass(frozen=True)
class Image:
    title: str
    data: bytes  # PNG, or SVG in UTF-8
    width: float  # pixels
    height: float


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


def render(chart: Chart, kind: str = PNG) -> Image:
    spec = _printable(chart.spec, _register_font_directory())
    if kind == SVG:
        svg = vl_convert.vegalite_to_svg(spec)
        width, height = (float(size) for size in _SVG_SIZE.search(svg).groups())
        return Image(chart.title, svg.encode(), width, height)
    png = vl_convert.vegalite_to_png(spec, scale=SCALE)
    with PillowImage.open(io.BytesIO(png)) as picture:  # reads the header only
        return Image(chart.title, png, *picture.size)


def render_all(report: Report, kind: str = PNG) -> dict[int, Image]:
    """Every chart of ``report`` by ``id(chart)`` as ``kind`` (PNG or SVG), rendered two at a
    time (the machine's cores)."""
    charts = [chart for section in report.sections for chart in section.charts]
    _register_font_directory()
    with ThreadPoolExecutor(max_workers=2) as pool:
        rendered = pool.map(lambda chart: render(chart, kind), charts)
        return {id(chart): image for chart, image in zip(charts, rendered, strict=True)}

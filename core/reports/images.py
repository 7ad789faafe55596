"""Charts of a 通报 as images, rendered by the Vega project's own converter (no browser).

PNG for the workbook; for the PDF the same picture as a JPEG (4:4:4, high quality), which
ReportLab embeds as it is: a PNG it would decode, split off its alpha channel and compress
again, seconds per report.
"""

from __future__ import annotations

import copy
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any

import vl_convert
from PIL import Image as PillowImage

from core.reports.content import Chart, Report
from core.reports.fonts import find_cjk_font

CHART_WIDTH = 520  # px before scaling: the text width of an A4 page at the PDF's size
SCALE = 2  # ~200 dpi across the PDF's text width; about twice the size a sheet shows it at
JPEG_QUALITY = 92
PNG, JPEG = "png", "jpeg"


@dataclass(frozen=True)
class Image:
    title: str
    data: bytes  # PNG or JPEG
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


def _jpeg(picture: PillowImage.Image) -> bytes:
    buffer = io.BytesIO()
    picture.convert("RGB").save(buffer, "JPEG", quality=JPEG_QUALITY, subsampling=0)
    return buffer.getvalue()


def render(chart: Chart, kind: str = PNG) -> Image:
    png = vl_convert.vegalite_to_png(_printable(chart.spec, _register_font_directory()), scale=SCALE)
    with PillowImage.open(io.BytesIO(png)) as picture:
        return Image(chart.title, _jpeg(picture) if kind == JPEG else png, *picture.size)


def render_all(report: Report, kind: str = PNG) -> dict[int, Image]:
    """Every chart of ``report`` by ``id(chart)`` as ``kind`` (PNG or JPEG), rendered two at a
    time (the machine's cores)."""
    charts = [chart for section in report.sections for chart in section.charts]
    _register_font_directory()
    with ThreadPoolExecutor(max_workers=2) as pool:
        rendered = pool.map(lambda chart: render(chart, kind), charts)
        return {id(chart): image for chart, image in zip(charts, rendered, strict=True)}

"""A 通报 as a PDF: A4, the CJK font embedded (subset), page numbers, charts as ~200 dpi images.

Laid out with ReportLab's platypus: a title block, then per area its headline figures, its
charts and its tables (headers repeated on every page). Numbers are written as the
dashboards write them (thousands separators, 85.0%, 1:185.3).
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    LongTable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)

from core.formatting import NOT_AVAILABLE
from core.reports.content import DECIMAL, INT, PERCENT, RATIO, Figure, Report, Section, Table
from core.reports.fonts import find_cjk_font
from core.reports.images import JPEG, render_all
from core.reports.images import Image as ChartImage

FONT = "ReportCJK"
MARGIN = 15 * mm
TEXT_WIDTH = A4[0] - 2 * MARGIN
TABLE_FONT_SIZE = 7
MIN_TABLE_FONT_SIZE = 5
CELL_PADDING = 2.5
MAX_CHART_HEIGHT = 200 * mm
GRID_COLOUR = colors.HexColor("#A6A6A6")
HEADER_COLOUR = colors.HexColor("#DDEBF7")


@cache
def _register_font() -> str:
    font = find_cjk_font()
    pdfmetrics.registerFont(TTFont(FONT, str(font.path), subfontIndex=font.index))
    return FONT


@cache
def _styles() -> dict[str, ParagraphStyle]:
    font = _register_font()
    base = ParagraphStyle("body", fontName=font, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "title": ParagraphStyle(
            "title", base, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=8 * mm
        ),
        "heading": ParagraphStyle(
            "heading", base, fontSize=15, leading=22, spaceBefore=4 * mm, spaceAfter=3 * mm
        ),
        "caption": ParagraphStyle(
            "caption", base, fontSize=11, leading=16, spaceBefore=3 * mm, spaceAfter=2 * mm
        ),
        "body": base,
        "cell": ParagraphStyle("cell", base, fontSize=TABLE_FONT_SIZE, leading=TABLE_FONT_SIZE + 2),
    }


def cell_text(value: Any, kind: str | None) -> str:
    """One value as the dashboards write it."""
    if value is None or (isinstance(value, float) and value != value) or str(value) in ("<NA>", "nan"):
        return NOT_AVAILABLE
    if isinstance(value, str):
        return value
    if kind == PERCENT:
        return f"{value * 100:.1f}%"
    if kind == RATIO:
        return f"1:{value:.1f}"
    if kind == DECIMAL:
        return f"{value:,.1f}"
    if kind == INT:
        return f"{int(value):,}"
    return str(value)


def _grid(
    rows: list[list[Any]],
    widths: list[float],
    *,
    header: bool,
    size: float = TABLE_FONT_SIZE,
    numeric: tuple[int, ...] = (),
) -> LongTable:
    """A table in the report font; ``numeric`` columns aligned right, below the header."""
    table = LongTable(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), _register_font()),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size + 2),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID_COLOUR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_COLOUR))
    style += [("ALIGN", (column, 1 if header else 0), (column, -1), "RIGHT") for column in numeric]
    table.setStyle(TableStyle(style))
    return table


def _column_widths(header: list[str], body: list[list[str]]) -> tuple[list[float], float]:
    """(column widths, font size): each column as wide as its longest value (a header may
    wrap, down to a few characters), spread over the text width; a table too wide for the
    page is set in a smaller font to fit, never below MIN_TABLE_FONT_SIZE."""
    font, size = _register_font(), TABLE_FONT_SIZE
    sample = body[:200]
    needs = []
    for column, name in enumerate(header):
        longest = max((stringWidth(row[column], font, size) for row in sample), default=0)
        needs.append(max(longest, min(stringWidth(name, font, size), 4 * size)) + 2 * CELL_PADDING + 1)
    total = sum(needs)
    if total > TEXT_WIDTH:
        size = max(MIN_TABLE_FONT_SIZE, size * TEXT_WIDTH / total)
    return [TEXT_WIDTH * need / total for need in needs], size


def _table(table: Table) -> list[Flowable]:
    styles = _styles()
    flowables: list[Flowable] = [Paragraph(table.title, styles["caption"])]
    if table.frame.empty:
        return [*flowables, Paragraph("（无）", styles["body"])]
    kinds = [table.kinds.get(name) for name in table.frame.columns]
    body = [
        [cell_text(value, kind) for value, kind in zip(values, kinds, strict=True)]
        for values in table.frame.itertuples(index=False)
    ]
    names = [str(name) for name in table.frame.columns]
    widths, size = _column_widths(names, body)
    header_style = ParagraphStyle("header", styles["cell"], fontSize=size, leading=size + 2)
    header = [Paragraph(name, header_style) for name in names]
    numeric = tuple(column for column, kind in enumerate(kinds) if kind is not None)
    return [*flowables, _grid([header, *body], widths, header=True, size=size, numeric=numeric)]


def _figures(figures: list[Figure]) -> Flowable:
    pairs = [[figure.label, figure.text] for figure in figures]
    columns = 2
    rows = [sum(pairs[start : start + columns], []) for start in range(0, len(pairs), columns)]
    rows[-1] += [""] * (2 * columns - len(rows[-1]))
    grid = _grid(rows, [TEXT_WIDTH * share for share in (0.32, 0.18, 0.32, 0.18)], header=False)
    grid.setStyle(TableStyle([("FONTSIZE", (0, 0), (-1, -1), 9), ("LEADING", (0, 0), (-1, -1), 13)]))
    return grid


def _chart(image: ChartImage) -> Image:
    """The chart as wide as the text (or as high as allowed), its aspect kept."""
    factor = min(TEXT_WIDTH / image.width, MAX_CHART_HEIGHT / image.height)
    return Image(io.BytesIO(image.data), width=image.width * factor, height=image.height * factor)


def _section(number: int, section: Section, images: dict[int, ChartImage]) -> list[Flowable]:
    styles = _styles()
    flowables: list[Flowable] = [PageBreak(), Paragraph(f"{number}. {section.title}", styles["heading"])]
    flowables.append(Paragraph(section.note, styles["body"]))
    if section.figures:
        flowables += [Spacer(1, 3 * mm), _figures(section.figures)]
    for chart in section.charts:
        flowables += [Spacer(1, 4 * mm), _chart(images[id(chart)])]
    for table in section.tables:
        flowables += [CondPageBreak(30 * mm), *_table(table)]
    return flowables


def _cover(report: Report) -> list[Flowable]:
    styles = _styles()
    lines = [
        ("范围", report.scope_text),
        ("学年（学期）", report.season),
        ("生成日期", report.date.isoformat()),
        ("数据截至", report.data_as_of),
        ("小数字处理", "1–4 的心理筛查人数写作“<5”" if report.masked else "不隐去（内部核对用）"),
    ]
    rows = [[Paragraph(label, styles["body"]), Paragraph(text, styles["body"])] for label, text in lines]
    grid = _grid(rows, [TEXT_WIDTH * 0.22, TEXT_WIDTH * 0.78], header=False)
    grid.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    contents = [
        Paragraph(f"{n}. {section.title}", styles["body"]) for n, section in enumerate(report.sections, 1)
    ]
    return [Spacer(1, 40 * mm), Paragraph(report.title, styles["title"]), grid, Spacer(1, 10 * mm), *contents]


def _page_number(canvas: Any, document: Any) -> None:
    canvas.saveState()
    canvas.setFont(_register_font(), 9)
    canvas.drawCentredString(A4[0] / 2, 8 * mm, f"第 {document.page} 页")
    canvas.restoreState()


def write_pdf(
    report: Report, path: str | Path | BinaryIO, images: dict[int, ChartImage] | None = None
) -> None:
    """Write ``report`` to ``path`` (.pdf); ``images`` are its rendered charts when already made."""
    images = images if images is not None else render_all(report, JPEG)
    document = SimpleDocTemplate(
        path if not isinstance(path, Path) else str(path),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=report.title,
        author="高校思政工作监测平台",
        initialFontName=_register_font(),
    )
    story = _cover(report)
    for number, section in enumerate(report.sections, 1):
        story += _section(number, section, images)
    ascii85 = rl_config.useA85
    rl_config.useA85 = 0  # binary streams: ReportLab's pure-Python ASCII85 takes seconds on the charts
    try:
        document.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    finally:
        rl_config.useA85 = ascii85

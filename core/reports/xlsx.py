"""A 通报 as an Excel workbook: a cover sheet, then one sheet per area with its headline
figures, its tables (numbers as numbers, in Excel number formats) and its charts as images,
headers frozen, a print area and A4 page setup on every sheet."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.drawing.image import Image as SheetImage
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.reports.content import DECIMAL, INT, PERCENT, RATIO, Figure, Report, Section, Table
from core.reports.images import Image, render_all

NUMBER_FORMATS = {INT: "#,##0", DECIMAL: "#,##0.0", PERCENT: "0.0%", RATIO: '"1:"0.0'}
DATE_FORMAT = "yyyy-mm-dd"
IMAGE_WIDTH_PX = 560  # a chart on the sheet (the PNG itself is sharper)
ROW_HEIGHT_PX = 20  # Excel's default row: 15 pt
TITLE_FONT = Font(bold=True, size=16)
HEADING_FONT = Font(bold=True, size=12)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="A6A6A6")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")


def _cell_value(value: Any) -> Any:
    """A frame's value as openpyxl writes it: numpy numbers as Python numbers, missing as empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return None if str(value) in ("<NA>", "NaT") else value


def _text_width(value: Any) -> int:
    text = str(value if value is not None else "")
    return sum(2 if ord(character) > 0x2E80 else 1 for character in text)


def _sheet_name(title: str, taken: list[str]) -> str:
    """``title`` as Excel allows a sheet name: at most 31 characters, none of []:*?/\\, unique."""
    name = re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "表"
    number = 2
    while name in taken:
        name = f"{name[:28]}（{number}）"
        number += 1
    return name


def _setup_page(sheet: Worksheet, last_column: int, last_row: int, *, header_row: int | None) -> None:
    sheet.print_area = f"A1:{get_column_letter(last_column)}{last_row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if last_column > 8 else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    if header_row is not None:
        sheet.print_title_rows = f"{header_row}:{header_row}"


def _write_cover(sheet: Worksheet, report: Report) -> None:
    sheet["A1"] = report.title
    sheet["A1"].font = TITLE_FONT
    rows: list[tuple[str, Any]] = [
        ("范围", report.scope_text),
        ("学年（学期）", report.season),
        ("生成日期", report.date),
        ("数据截至", report.data_as_of),
        ("小数字处理", "1–4 的心理筛查人数写作“<5”" if report.masked else "不隐去（内部核对用）"),
    ]
    rows += [(f"第 {number} 部分", section.title) for number, section in enumerate(report.sections, 1)]
    for row, (label, value) in enumerate(rows, start=3):
        sheet.cell(row, 1, label).font = HEADER_FONT
        cell = sheet.cell(row, 2, value)
        if label == "生成日期":
            cell.number_format = DATE_FORMAT
            cell.alignment = Alignment(horizontal="left")
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 70
    _setup_page(sheet, 2, 2 + len(rows), header_row=None)


def _write_figures(sheet: Worksheet, figures: list[Figure], row: int) -> int:
    """The headline figures as label / value rows from ``row``; the next free row."""
    sheet.cell(row, 1, "主要指标").font = HEADING_FONT
    for offset, figure in enumerate(figures, start=1):
        sheet.cell(row + offset, 1, figure.label).font = HEADER_FONT
        cell = sheet.cell(row + offset, 2, figure.value if figure.value is not None else figure.text)
        if figure.kind in NUMBER_FORMATS:
            cell.number_format = NUMBER_FORMATS[figure.kind]
    return row + len(figures) + 2


def _write_table(sheet: Worksheet, table: Table, row: int) -> tuple[int, int]:
    """``table`` with its title at ``row``; (its header row, the next free row)."""
    sheet.cell(row, 1, table.title).font = HEADING_FONT
    header_row = row + 1
    for column, name in enumerate(table.frame.columns, start=1):
        cell = sheet.cell(header_row, column, name)
        cell.font, cell.fill, cell.border, cell.alignment = HEADER_FONT, HEADER_FILL, GRID, WRAP
    formats = [NUMBER_FORMATS.get(table.kinds.get(name, ""), None) for name in table.frame.columns]
    for offset, values in enumerate(table.frame.itertuples(index=False), start=1):
        for column, (value, number_format) in enumerate(zip(values, formats, strict=True), start=1):
            cell = sheet.cell(header_row + offset, column, _cell_value(value))
            cell.border = GRID
            if number_format:
                cell.number_format = number_format
    if table.frame.empty:
        sheet.cell(header_row + 1, 1, "（无）")
    return header_row, header_row + max(len(table.frame), 1) + 2


def _fit_columns(sheet: Worksheet, section: Section) -> int:
    """Column widths from the headers and the first rows; the number of table columns."""
    widths: dict[int, int] = {1: 18, 2: 14}
    for table in section.tables:
        sample = table.frame.head(200)
        for column, name in enumerate(table.frame.columns, start=1):
            longest = max([_text_width(name), *(_text_width(value) for value in sample[name])])
            widths[column] = max(widths.get(column, 0), min(longest + 2, 40))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    return max(widths)


def _place_images(sheet: Worksheet, images: list[Image], column: int, row: int) -> tuple[int, int]:
    """The charts stacked from (``column``, ``row``); (the last column, the last row) they cover."""
    last_row = row
    for image in images:
        picture = SheetImage(io.BytesIO(image.data))
        picture.width = IMAGE_WIDTH_PX
        picture.height = round(image.height * IMAGE_WIDTH_PX / image.width)
        sheet.add_image(picture, f"{get_column_letter(column)}{last_row}")
        last_row += math.ceil(picture.height / ROW_HEIGHT_PX) + 1
    last_column = column + math.ceil(IMAGE_WIDTH_PX / 72) if images else column - 2
    return last_column, last_row


def _write_section(sheet: Worksheet, section: Section, images: list[Image]) -> None:
    sheet["A1"] = section.title
    sheet["A1"].font = TITLE_FONT
    sheet["A2"] = section.note
    row = _write_figures(sheet, section.figures, 4) if section.figures else 4
    header_rows = []
    for table in section.tables:
        header_row, row = _write_table(sheet, table, row)
        header_rows.append(header_row)
    table_columns = _fit_columns(sheet, section)
    first_header = header_rows[0] if header_rows else None
    if first_header is not None:
        sheet.freeze_panes = sheet.cell(first_header + 1, 1)
    last_column, last_row = _place_images(sheet, images, table_columns + 2, 4)
    # Printed pages repeat the header only when the sheet has one table (else it would head
    # the next tables' pages too).
    repeated = first_header if len(header_rows) == 1 else None
    _setup_page(sheet, max(table_columns, last_column), max(row, last_row), header_row=repeated)


def write_xlsx(report: Report, path: str | Path | BinaryIO, images: dict[int, Image] | None = None) -> None:
    """Write ``report`` to ``path`` (.xlsx); ``images`` are its rendered charts when already made."""
    images = images if images is not None else render_all(report)
    workbook = Workbook()
    cover = workbook.active
    cover.title = "封面"
    _write_cover(cover, report)
    for section in report.sections:
        sheet = workbook.create_sheet(_sheet_name(section.title, workbook.sheetnames))
        _write_section(sheet, section, [images[id(chart)] for chart in section.charts])
    workbook.save(path)

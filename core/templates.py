"""Blank Excel templates, made from the form declarations (core.forms).

A template has the data sheet (named ``FormSpec.sheet``) with the canonical headers in
row 1 — no title row, so data is appended straight below (``ws.append(row)``) and the
reader finds the header at once — dropdowns for choice columns, the institution-code
columns formatted as text (leading zeros kept), and a 填表说明 sheet explaining every
column (and, for staffing, the standards with their source documents).
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from core.forms import FieldSpec, FormSpec, Kind, get_form

INSTRUCTIONS_SHEET = "填表说明"
DATA_ROWS_WITH_DROPDOWNS = 5000  # rows below the header that carry the dropdowns
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"

_KIND_LABELS = {
    Kind.TEXT: "文本",
    Kind.CODE: "10 位数字（文本）",
    Kind.PROVINCE: "省级行政区",
    Kind.ENUM: "从下拉列表选择",
    Kind.YEAR: "学年，如 2024-2025",
    Kind.COUNT: "非负整数",
    Kind.DATE: "日期，如 2024-03-01",
    Kind.PERCENT: "0–100 的数",
    Kind.NUMBER: "数字",
}
_THIN = Side(style="thin", color="FF9CA3AF")
_HEADER_STYLE = {
    "font": Font(bold=True, color="FFFFFFFF"),
    "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True),
    "border": Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN),
}
_REQUIRED_FILL = PatternFill(fill_type="solid", start_color="FFB91C1C", end_color="FFB91C1C")
_OPTIONAL_FILL = PatternFill(fill_type="solid", start_color="FF4B5563", end_color="FF4B5563")


def _width(text: str) -> float:
    """Column width for text (a CJK character is about two Latin characters wide)."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text) + 4


def _column_help(spec: FieldSpec) -> str:
    parts = ["必填" if spec.required else "选填", _KIND_LABELS[spec.kind]]
    if spec.unit:
        parts.append(f"单位：{spec.unit}")
    if spec.help:
        parts.append(spec.help)
    return "；".join(parts)


def _choice_list(spec: FieldSpec) -> str:
    return '"' + ",".join(spec.choices) + '"'


def _data_sheet(sheet: Worksheet, form: FormSpec) -> None:
    sheet.title = form.sheet
    sheet.append([spec.header for spec in form.fields])
    last_row = DATA_ROWS_WITH_DROPDOWNS + 1
    for position, spec in enumerate(form.fields, start=1):
        letter = get_column_letter(position)
        cell = sheet.cell(row=1, column=position)
        for name, value in _HEADER_STYLE.items():
            setattr(cell, name, value)
        cell.fill = _REQUIRED_FILL if spec.required else _OPTIONAL_FILL
        cell.comment = Comment(_column_help(spec), "填表说明")
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(_width(spec.header), 14 if spec.kind in (Kind.CODE, Kind.DATE) else 10)
        if spec.kind is Kind.CODE:
            dimension.number_format = TEXT_FORMAT
        elif spec.kind is Kind.DATE:
            dimension.number_format = DATE_FORMAT
        if spec.choices:
            validation = DataValidation(
                type="list",
                formula1=_choice_list(spec),
                allow_blank=not spec.required,
                showErrorMessage=spec.kind is not Kind.PROVINCE,  # short province names are accepted too
                errorTitle="请从列表中选择",
                error=f"「{spec.header}」可选：{'、'.join(spec.choices)}",
            )
            validation.add(f"{letter}2:{letter}{last_row}")
            sheet.add_data_validation(validation)
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "A2"


def _instructions(sheet: Worksheet, form: FormSpec) -> None:
    sheet.append([f"{form.title}（工作表“{form.sheet}”）填表说明"])
    sheet["A1"].font = Font(bold=True, size=14)
    definition = _definition(form)
    if definition is not None and definition.description:
        sheet.append([definition.description])
    sheet.append(
        [
            "每行填写一条记录，从第 2 行起逐行填写，不要合并单元格；"
            f"同一{'、'.join(form.field(key).header for key in form.key)}只填一行；红色表头为必填列。"
        ]
    )
    sheet.append([])
    sheet.append(["列名", "是否必填", "类型", "单位", "说明"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for spec in form.fields:
        help_text = spec.help
        if spec.choices and spec.kind is Kind.ENUM:
            help_text = "；".join(filter(None, [help_text, "可选：" + "、".join(spec.choices)]))
        sheet.append(
            [spec.header, "必填" if spec.required else "选填", _KIND_LABELS[spec.kind], spec.unit, help_text]
        )
    if form.name == "staffing":
        _staffing_standards(sheet)
    if definition is not None:
        _indicator_standards(sheet, definition)
    for letter, width in zip("ABCDE", (26, 10, 20, 8, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _definition(form: FormSpec):
    """The definition of a form declared as data (core.formdefs), None for the four built-in forms."""
    if form.table != "form_record":
        return None
    from core.formdefs.registry import DEFINITIONS

    return DEFINITIONS.get(form.name)


def _indicator_standards(sheet: Worksheet, definition) -> None:
    measured = [indicator for indicator in definition.indicators if indicator.comparison is not None]
    if not measured:
        return
    sheet.append([])
    sheet.append(["指标标准", "", "", "", "依据"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for indicator in measured:
        sheet.append([f"{indicator.header} {indicator.standard}", "", "", "", indicator.source])


def _staffing_standards(sheet: Worksheet) -> None:
    from core.standards import DEFAULT_STANDARDS, PART_TIME_FACTOR_SOURCE

    sheet.append([])
    sheet.append(["配备标准", "", "", "", "依据"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for standard in DEFAULT_STANDARDS:
        sheet.append([standard.describe(), "", "", "", standard.source])
    sheet.append(["兼职辅导员", "", "", "", PART_TIME_FACTOR_SOURCE])
    sheet.append(["师生比按全日制学生总数（本专科生 + 研究生）计算"])


def template_workbook(form_name: str) -> Workbook:
    """The blank template of ``form_name``: data sheet first (active), then 填表说明."""
    form = get_form(form_name)
    workbook = Workbook()
    _data_sheet(workbook.active, form)
    _instructions(workbook.create_sheet(INSTRUCTIONS_SHEET), form)
    workbook.active = 0
    return workbook


def template_bytes(form_name: str) -> bytes:
    buffer = io.BytesIO()
    template_workbook(form_name).save(buffer)
    return buffer.getvalue()


def write_template(form_name: str, path: str | Path) -> None:
    Path(path).write_bytes(template_bytes(form_name))

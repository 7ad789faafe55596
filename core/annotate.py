"""Telling the uploader what happened to their file.

Two views of the same intake result, so that the screen and the file agree:

- the upload report's tables (issues, header mapping, cell changes), shown on the
  数据上传 page with their CSV buttons;
- the annotated copy of a rejected file: the user's own workbook with every offending
  cell filled (errors red, warnings yellow) and the message as a cell comment, plus an
  错误清单 sheet listing every issue, including those that are not in one cell.

An .xlsx file is annotated in place (formats, formulas and other sheets kept); .xls and
.csv files cannot be written back as they came, so their raw cells are copied into a
fresh .xlsx first.
"""

from __future__ import annotations

import datetime as dt
import io
import numbers
import re
import zipfile
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from core.formatting import NOT_AVAILABLE
from core.forms import Severity
from core.ingest.read import UnreadableFile
from core.ingest.read.sniff import ZIP_MAGIC
from core.ingest.report import NORMALIZATION, Issue, ParsedFile, Plan
from core.ingest.sandbox import read_workbook

ISSUE_SHEET = "错误清单"
ISSUE_COLUMNS = ("类型", "行", "列", "单元格", "说明")
SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", NORMALIZATION: "规范化"}
# Excel's own "bad" and "neutral" cell styles, so the colours read as they do in Excel.
FILLS = {
    Severity.ERROR: PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE"),
    Severity.WARNING: PatternFill(fill_type="solid", start_color="FFFFEB9C", end_color="FFFFEB9C"),
}
COMMENT_AUTHOR = "高校思政工作监测平台"
INVALID_TITLE = re.compile(r"[\\\[\]:*?/]")


# --- the report's tables ---------------------------------------------------------------


def _severity_rank(severity: str) -> int:
    return 0 if severity == Severity.ERROR else 1


def _column_position(parsed: ParsedFile, issue: Issue) -> int:
    return parsed.column_index.get(issue.column or "", 0)


def sorted_issues(parsed: ParsedFile, issues: Iterable[Issue]) -> list[Issue]:
    """Errors before warnings (a few errors must not drown in many warnings); each group in
    the order the user reads the file: file-level first, then by row and column."""
    return sorted(
        issues,
        key=lambda issue: (
            _severity_rank(issue.severity),
            issue.row or 0,
            _column_position(parsed, issue),
        ),
    )


def issues_frame(parsed: ParsedFile, issues: Iterable[Issue]) -> pd.DataFrame:
    """One row per issue: 类型, 行 (Excel row), 列 (canonical header), 单元格 (original text), 说明."""
    records = [
        {
            "类型": SEVERITY_LABELS.get(issue.severity, issue.severity),
            "行": issue.row,
            "列": issue.column or "",
            "单元格": issue.value if issue.value is not None else "",
            "说明": issue.message,
        }
        for issue in sorted_issues(parsed, issues)
    ]
    frame = pd.DataFrame(records, columns=list(ISSUE_COLUMNS))
    frame["行"] = frame["行"].astype("Int64")
    return frame


def problems_frame(parsed: ParsedFile) -> pd.DataFrame:
    """Errors and warnings in one table (the table on screen and the 错误清单 sheet)."""
    return issues_frame(parsed, parsed.errors + parsed.warnings)


def normalizations_frame(parsed: ParsedFile) -> pd.DataFrame:
    """What the reader changed to make the file canonical (规范化), without the 类型 column."""
    return issues_frame(parsed, parsed.normalizations).drop(columns="类型")


def mapping_frame(parsed: ParsedFile) -> pd.DataFrame:
    """How the file's headers were understood: 文件中的列名 → 标准列名, with the Excel column."""
    records = [
        {
            "文件列": get_column_letter(parsed.column_index[canonical])
            if canonical in parsed.column_index
            else "",
            "文件中的列名": file_header,
            "标准列名": canonical,
        }
        for file_header, canonical in parsed.header_mapping.items()
    ]
    return pd.DataFrame(records, columns=["文件列", "文件中的列名", "标准列名"])


def display_value(value: Any) -> str:
    """A stored value as text for a preview: dates as 2025-06-30, whole floats without .0, empty as —."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return NOT_AVAILABLE
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def changes_frame(plan: Plan) -> pd.DataFrame:
    """The cells an upload would change: 记录 (its key), 列, 原值 → 新值."""
    records = [
        {
            "记录": " / ".join(display_value(part) for part in change.key),
            "列": change.column,
            "原值": display_value(change.old),
            "新值": display_value(change.new),
        }
        for change in plan.changes
    ]
    return pd.DataFrame(records, columns=["记录", "列", "原值", "新值"])


def new_rows_frame(plan: Plan) -> pd.DataFrame:
    """The rows an upload would add: 学校名称 (as the file gives it, "—" when it gives none) and 记录 (its key)."""
    records = [
        {"学校名称": row.name or "—", "记录": " / ".join(display_value(part) for part in row.key)}
        for row in plan.new_rows
    ]
    return pd.DataFrame(records, columns=["学校名称", "记录"])


# --- the annotated copy ----------------------------------------------------------------


def annotated_file_name(file_name: str) -> str:
    """思政队伍.xls → 思政队伍_错误标注.xlsx"""
    return f"{PurePath(file_name).stem}_错误标注.xlsx"


def annotated_workbook(data: bytes, file_name: str, parsed: ParsedFile) -> bytes:
    """The user's file with its errors (red) and warnings (yellow) marked, plus an 错误清单 sheet."""
    workbook, titles = _editable_copy(data, file_name)
    sheet_title = titles.get(parsed.sheet or "", parsed.sheet)
    if sheet_title in workbook.sheetnames:
        _mark_cells(workbook[sheet_title], parsed)
    _add_issue_sheet(workbook, parsed)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _editable_copy(data: bytes, file_name: str) -> tuple[Workbook, dict[str, str]]:
    """The workbook to annotate and, when its sheets had to be renamed, raw name → sheet title."""
    if data.startswith(ZIP_MAGIC):
        try:
            return load_workbook(io.BytesIO(data)), {}
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
            pass  # a zip that openpyxl cannot edit (e.g. .ods): fall back to the raw cells
    return _workbook_from_raw_cells(data, file_name)


def _workbook_from_raw_cells(data: bytes, file_name: str) -> tuple[Workbook, dict[str, str]]:
    """A fresh .xlsx holding every sheet's raw cells at the same row and column.

    A file that cannot be read at all gives an empty workbook (the 错误清单 still says why).
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    titles: dict[str, str] = {}
    try:
        raw_sheets = read_workbook(data, file_name, max(len(data), 1))
    except UnreadableFile:
        raw_sheets = []
    for raw in raw_sheets:
        sheet = workbook.create_sheet(_sheet_title(raw.name))
        titles[raw.name] = sheet.title
        for row_index, values in enumerate(raw.rows, start=1):
            for column_index, value in enumerate(values, start=1):
                if value is not None and value != "":
                    _write_cell(sheet.cell(row=row_index, column=column_index), value)
        if raw.hidden:
            sheet.sheet_state = "hidden"
    return workbook, titles


def _sheet_title(name: str) -> str:
    """A name Excel accepts as a sheet title (no []:*?/\\, at most 31 characters)."""
    return INVALID_TITLE.sub("_", name)[:31] or "Sheet"


def _write_cell(cell: Cell, value: Any) -> None:
    """Write a value as data: text is never turned into a formula and loses illegal characters."""
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
    elif isinstance(value, numbers.Real):
        cell.value = value.item() if hasattr(value, "item") else value  # numpy → Python number
    elif isinstance(value, dt.date | dt.time):
        cell.value = value
    else:
        _write_cell(cell, str(value))


COMMENTED_CELLS = 1000


def _mark_cells(sheet: Worksheet, parsed: ParsedFile) -> None:
    """Fill every cell that has an error or warning (errors win the colour) and comment the
    first COMMENTED_CELLS of them: tens of thousands of comments take a minute to write and
    longer for Excel to open, and the 错误清单 sheet lists every issue anyway."""
    by_cell: dict[tuple[int, int], list[Issue]] = {}
    for issue in sorted_issues(parsed, parsed.errors + parsed.warnings):
        column = parsed.column_index.get(issue.column or "")
        if issue.row and column and issue.sheet in (None, parsed.sheet):
            by_cell.setdefault((issue.row, column), []).append(issue)
    for number, ((row, column), issues) in enumerate(by_cell.items()):
        cell = sheet.cell(row=row, column=column)
        worst = min(issues, key=lambda issue: _severity_rank(issue.severity)).severity
        cell.fill = FILLS[Severity(worst)]
        if number >= COMMENTED_CELLS:
            continue
        text = "\n".join(f"{SEVERITY_LABELS[Severity(issue.severity)]}：{issue.message}" for issue in issues)
        comment = Comment(ILLEGAL_CHARACTERS_RE.sub("", text), COMMENT_AUTHOR)
        comment.width, comment.height = 320, 40 + 40 * len(issues)
        cell.comment = comment


def _add_issue_sheet(workbook: Workbook, parsed: ParsedFile) -> None:
    sheet = workbook.create_sheet(ISSUE_SHEET, 0)
    frame = problems_frame(parsed)
    sheet.append(list(frame.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row, record in enumerate(frame.itertuples(index=False), start=2):
        for column_index, value in enumerate(record, start=1):
            if not pd.isna(value) and value != "":
                _write_cell(sheet.cell(row=row, column=column_index), value)
        severity = Severity.ERROR if record[0] == SEVERITY_LABELS[Severity.ERROR] else Severity.WARNING
        sheet.cell(row=row, column=1).fill = FILLS[severity]
    for letter, width in zip("ABCDE", (8, 8, 22, 22, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    for worksheet in workbook.worksheets:  # open on the list, with no other tab selected too
        worksheet.sheet_view.tabSelected = worksheet is sheet
    workbook.active = 0

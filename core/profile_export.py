"""The 学校画像 as one Excel workbook: a sheet per section, as the page shows them.

The workbook leaves the office, so the screening counts between 1 and 4 are written
``<5`` (spec: small-number masking) and the rates computed from them are left empty.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine

from core.export import neutralise_formula
from core.scope import Scope
from core.views.profile import institution_profile

MAX_COLUMN_WIDTH = 40
MASK_NOTE = (
    "心理筛查中 1–4 的人数写作“<5”，为防止由合计反推，同一行另有一项人数写作“*”，由它们算出的比率留空；"
    "报送学校少于 3 所的省份不列全省比率。"
)


class InstitutionNotFound(LookupError):
    """No institution with that 学校标识码 in 高校名录."""


def _cell(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy / pandas scalars → plain Python numbers
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return neutralise_formula(value)


def _width(value: object) -> float:
    text = "" if value is None else str(value)
    return sum(2 if ord(character) > 127 else 1 for character in text) + 2


def _write_table(sheet: Worksheet, table: pd.DataFrame) -> None:
    sheet.append(list(table.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.itertuples(index=False):
        sheet.append([_cell(value) for value in row])
    if table.empty:
        sheet.append(["（无数据）"])
    for index, header in enumerate(table.columns, start=1):
        widest = max([_width(header), *(_width(value) for value in table.iloc[:, index - 1])])
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_COLUMN_WIDTH, widest)
    sheet.freeze_panes = "A2"


def profile_workbook(engine: Engine, code: str, today: dt.date, scope: Scope | None = None) -> bytes:
    """The .xlsx file of institution ``code``'s profile; InstitutionNotFound when there is none
    in ``scope`` (the signed-in user's effective scope; None: the command line's, every school)."""
    profile = institution_profile(engine, scope or Scope(codes=(code,)), code, today, mask_small=True)
    if profile is None:
        raise InstitutionNotFound(f"高校名录中（在权限范围内）没有学校标识码为 {code} 的学校")
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, table in profile.sections().items():
        if title == "基本信息":
            notes = pd.DataFrame(
                [("导出日期", today.isoformat()), ("说明", MASK_NOTE)], columns=table.columns
            )
            table = pd.concat([table, notes], ignore_index=True)
        _write_table(workbook.create_sheet(title), table)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""Small factories for tests: one valid row per form, overridable field by field.

``store_rows`` writes rows straight into the tables (with an Upload record), for
tests of the read side that should not depend on the intake pipeline.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import Engine, insert

from core.forms import get_form
from core.models import FORM_MODELS, Upload

# The 学年 of a report row made here unless overridden. APP_TODAY (2025-11-30) is in the next
# one, the sidebar's default, so a page test about these rows chooses this 学年 explicitly.
YEAR = "2024-2025"


def make_institution(**overrides: Any) -> dict[str, Any]:
    row = {
        "code": "4141010001",
        "name": "示例第一大学",
        "province": "河南省",
        "level": "本科",
        "ownership": "公办",
        "authority": "省教育厅",
        "city": "郑州市",
    }
    return row | overrides


def make_staffing_row(**overrides: Any) -> dict[str, Any]:
    row = {
        "code": "4141010001",
        "name": "示例第一大学",
        "year": YEAR,
        "undergrad": 18000,
        "postgrad": 2000,
        "counselors_ft": 100,
        "counselors_pt": 10,
        "ideo_teachers": 60,
        "psy_teachers": 6,
    }
    return row | overrides


def make_screening_row(**overrides: Any) -> dict[str, Any]:
    row = {
        "code": "4141010001",
        "name": "示例第一大学",
        "year": YEAR,
        "term": "秋季学期",
        "kind": "新生普查",
        "target": 5000,
        "screened": 4900,
        "high": 20,
        "medium": 80,
        "watch": 200,
        "interviewed": 290,
        "referred": 12,
        "crisis": 2,
    }
    return row | overrides


def make_project_row(**overrides: Any) -> dict[str, Any]:
    row = {
        "project_id": "XM-2024-001",
        "title": "示例党建标杆院系培育建设",
        "category": "党建标杆院系",
        "batch": "第三批",
        "code": "4141010001",
        "unit": "示例第一大学",
        "start": dt.date(2024, 3, 1),
        "due": dt.date(2025, 12, 31),
        "stage": "培育建设",
        "progress": 60.0,
        "updated": dt.date(2025, 6, 30),
        "lead": "示例负责人",
        "note": None,
    }
    return row | overrides


def store_rows(
    engine: Engine, form_name: str, rows: list[dict[str, Any]], *, file_name: str = "test.xlsx"
) -> int:
    """Insert ``rows`` of ``form_name`` directly (no validation); returns the Upload id."""
    form = get_form(form_name)
    model = FORM_MODELS[form_name]
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()
    with engine.begin() as connection:
        upload_id = connection.execute(
            insert(Upload).values(
                uploader="测试",
                file_name=file_name,
                sha256=digest,
                form=form_name,
                rows=len(rows),
                inserted=len(rows),
                created_at=dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.UTC),
                status="accepted",
                warnings=[],
            )
        ).inserted_primary_key[0]
        values = [{key: row.get(key) for key in form.keys} | {"upload_id": upload_id} for row in rows]
        connection.execute(insert(model), values)
    return int(upload_id)

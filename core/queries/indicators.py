"""The read side of forms declared as data: their rows pivoted from the typed values store, and
达标率 per group aggregated in SQL (core.formdefs.sql turns an indicator into a column expression).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Select, case, func, select

from core.formdefs.definition import Definition, IndicatorDef
from core.formdefs.sql import indicator_column, meets_column
from core.formdefs.values import NUMERIC
from core.forms import get_form
from core.headers import INSTITUTION_NAME
from core.models import FormRecord, FormValue, Institution, Upload
from core.queries.base import Bind, apply_scope, read_frame
from core.scope import Scope

REGISTRY_PREFIX = "registry_"
GROUPS = {"province": Institution.province, "level": Institution.level, "ownership": Institution.ownership}


def _pivot(definition: Definition) -> dict[str, ColumnElement[Any]]:
    """field key → its value per record (MAX over the record's value rows)."""
    form = get_form(definition.name)
    columns: dict[str, ColumnElement[Any]] = {}
    for field in definition.fields:
        stored = FormValue.number if form.field(field.key).kind in NUMERIC else FormValue.text
        columns[field.key] = func.max(case((FormValue.field == field.key, stored))).label(field.key)
    return columns


def _records(definition: Definition, scope: Scope, *columns: Any) -> Select:
    statement = (
        select(*columns)
        .select_from(FormRecord)
        .outerjoin(FormValue, FormValue.record_id == FormRecord.id)
        .where(FormRecord.form == definition.name)
    )
    return apply_scope(statement, scope, FormRecord)


def rows_frame(bind: Bind, definition: Definition, scope: Scope) -> pd.DataFrame:
    """One row per stored record in scope, ordered by 学校标识码, 学年, 学期: the key, the 高校名录
    name, province, level and ownership (prefixed ``REGISTRY_PREFIX``: a field may be called "level"
    too) and every field of the current definition."""
    keys = [FormRecord.code, FormRecord.year, FormRecord.term]
    kinds = [Institution.name, *GROUPS.values()]
    labelled = [
        Institution.name.label(INSTITUTION_NAME),
        *(column.label(REGISTRY_PREFIX + key) for key, column in GROUPS.items()),
    ]
    statement = (
        _records(definition, scope, *keys, *labelled, *_pivot(definition).values())
        .group_by(FormRecord.id, *keys, *kinds)
        .order_by(*keys)
    )
    return read_frame(bind, statement)


def compliance_by(bind: Bind, definition: Definition, scope: Scope, group: str) -> pd.DataFrame:
    """Per ``group`` (province, level or ownership) and indicator with a standard: rows measured
    and rows meeting the standard — computed in the database in one pass over the pivoted records."""
    pivot = _records(
        definition, scope, FormRecord.id, GROUPS[group].label("group"), *_pivot(definition).values()
    )
    records = pivot.group_by(FormRecord.id, GROUPS[group]).subquery()
    measured = [indicator for indicator in definition.indicators if indicator.comparison is not None]
    columns = []
    for position, indicator in enumerate(measured):
        value = indicator_column(indicator, records.c)
        met = func.coalesce(func.sum(case((meets_column(indicator, value), 1), else_=0)), 0)
        columns += [func.count(value).label(f"measured_{position}"), met.label(f"met_{position}")]
    if not measured:
        return pd.DataFrame(columns=["group", "indicator", "measured", "met"])
    wide = read_frame(bind, select(records.c.group, *columns).group_by(records.c.group))
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "group": wide["group"],
                    "indicator": indicator.key,
                    "measured": wide[f"measured_{position}"],
                    "met": wide[f"met_{position}"],
                }
            )
            for position, indicator in enumerate(measured)
        ],
        ignore_index=True,
    )


RECORD_COLUMNS = ("code", "year", "term", "upload_id")  # labelled with a leading "_" (no field key starts so)


def indicator_records(
    bind: Bind, definition: Definition, indicator: IndicatorDef, codes: list[str]
) -> pd.DataFrame:
    """Per stored record of ``codes``: code, year, term, upload_id, upload_file, upload_at, the
    indicator's ``value`` and whether it ``met`` its standard — computed in the database over the
    pivoted records of those institutions only (a 督办 case and its evidence read this)."""
    keys = [getattr(FormRecord, name).label(f"_{name}") for name in RECORD_COLUMNS]
    pivot = _records(definition, Scope(codes=tuple(codes)), *keys, *_pivot(definition).values())
    records = pivot.group_by(
        FormRecord.id, *(getattr(FormRecord, name) for name in RECORD_COLUMNS)
    ).subquery()
    value = indicator_column(indicator, records.c)
    statement = (
        select(
            *(records.c[f"_{name}"].label(name) for name in RECORD_COLUMNS),
            Upload.file_name.label("upload_file"),
            Upload.created_at.label("upload_at"),
            value.label("value"),
            case((meets_column(indicator, value), True), else_=False).label("met"),
        )
        .join(Upload, Upload.id == records.c["_upload_id"])
        .order_by(*(records.c[f"_{name}"] for name in ("code", "year", "term")))
    )
    return read_frame(bind, statement)

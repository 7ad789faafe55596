"""The 学校画像 reads of its own: the uploads that wrote an institution's rows (the other
figures are each area's reads, see core.views.profile)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Select, Subquery, case, func, literal, select, union

from core.models import FORM_MODELS, RecordHistory, Upload
from core.queries import completeness
from core.queries.base import Bind, read_frame


def _writes_of(code: str) -> Subquery:
    """(form, record_key, upload_id) of every write to the institution's rows: the current
    rows' uploads, and in history both the upload that wrote superseded values and the one
    that replaced them."""
    parts = []
    for form, model in FORM_MODELS.items():
        key = completeness.record_key_expression(form, model)
        parts.append(
            select(
                literal(form).label("form"), key.label("record_key"), model.upload_id.label("upload_id")
            ).where(model.code == code)
        )
        keys = select(key).where(model.code == code)
        for column in (RecordHistory.upload_id, RecordHistory.replaced_by_upload_id):
            parts.append(
                select(RecordHistory.form, RecordHistory.record_key, column).where(
                    RecordHistory.form == form, RecordHistory.record_key.in_(keys)
                )
            )
    parts.extend(_data_form_writes(code))
    return union(*parts).subquery("writes")


def _data_form_writes(code: str) -> list[Select]:
    """The same for the forms declared as data (one values store): the records' uploads and
    the history of their key ('code|year' or 'code|year|term', as core.ingest records it)."""
    from core.models import FormRecord

    key = FormRecord.code + "|" + FormRecord.year
    key = case((FormRecord.term == "", key), else_=key + "|" + FormRecord.term)
    current = select(FormRecord.form, key.label("record_key"), FormRecord.upload_id).where(
        FormRecord.code == code
    )
    keys = select(FormRecord.form, key.label("record_key")).where(FormRecord.code == code).subquery()
    earlier = [
        select(RecordHistory.form, RecordHistory.record_key, column).join(
            keys, (keys.c.form == RecordHistory.form) & (keys.c.record_key == RecordHistory.record_key)
        )
        for column in (RecordHistory.upload_id, RecordHistory.replaced_by_upload_id)
    ]
    return [current, *earlier]


def uploads_of(bind: Bind, code: str) -> pd.DataFrame:
    """The uploads that wrote any of the institution's rows, newest first: id, created_at,
    form, file_name, uploader, status and ``records`` (how many of its rows)."""
    writes = _writes_of(code)
    columns = (Upload.id, Upload.created_at, Upload.form, Upload.file_name, Upload.uploader, Upload.status)
    statement = (
        select(*columns, func.count().label("records"))
        .join(writes, writes.c.upload_id == Upload.id)
        .group_by(*columns)
        .order_by(Upload.created_at.desc(), Upload.id.desc())
    )
    return read_frame(bind, statement)

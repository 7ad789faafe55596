"""The read side of provenance: every upload and one upload.

Uploads are not tied to one institution, so the scope does not filter them here; the
institutions an upload wrote (:func:`upload_codes`) decide which users may see it
(core.views.uploads applies the user's limits).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import func, select

from core.models import FORM_MODELS, ProjectRecord, RecordHistory, ScreeningReport, StaffingReport, Upload
from core.queries.base import Bind, apply_scope, connected, read_frame
from core.scope import Scope


def upload_rows(bind: Bind, scope: Scope) -> pd.DataFrame:
    """Every upload, newest first, keyed by Upload's fields, with ``warning_count``."""
    warning_count = func.coalesce(func.json_array_length(Upload.warnings), 0)
    statement = select(
        Upload.id,
        Upload.created_at,
        Upload.uploader,
        Upload.file_name,
        Upload.sha256,
        Upload.form,
        Upload.rows,
        Upload.inserted,
        Upload.updated,
        Upload.unchanged,
        Upload.status,
        warning_count.label("warning_count"),
    ).order_by(Upload.created_at.desc(), Upload.id.desc())
    return read_frame(bind, statement)


def upload_row(bind: Bind, scope: Scope, upload_id: int) -> Mapping[str, Any] | None:
    """Every field of one upload; None when there is no such upload."""
    with connected(bind) as connection:
        return connection.execute(select(Upload).where(Upload.id == upload_id)).mappings().first()


def latest_upload_id(bind: Bind, scope: Scope, term: str | None = None) -> int:
    """The newest upload that wrote a row in ``scope`` (screening rows of ``term`` only when given);
    0 when none did."""
    latest = 0
    for model, use_year in ((StaffingReport, True), (ScreeningReport, True), (ProjectRecord, False)):
        statement = apply_scope(
            select(func.max(model.upload_id).label("latest")), scope, model, use_year=use_year
        )
        if term and model is ScreeningReport:
            statement = statement.where(ScreeningReport.term == term)
        found = read_frame(bind, statement)["latest"].iloc[0]
        latest = max(latest, int(found) if pd.notna(found) else 0)
    return latest


def upload_codes(bind: Bind, scope: Scope, upload_id: int | None = None) -> dict[int, set[str]]:
    """upload id → the institution codes it wrote: the rows that still carry it and the rows it
    replaced or that a later upload replaced (history). Of one upload when ``upload_id`` is given."""
    touched: dict[int, set[str]] = {}
    with connected(bind) as connection:
        for model in FORM_MODELS.values():
            statement = select(model.upload_id, model.code).distinct()
            if upload_id is not None:
                statement = statement.where(model.upload_id == upload_id)
            for written_by, code in connection.execute(statement):
                touched.setdefault(written_by, set()).add(code)
        history = select(RecordHistory.upload_id, RecordHistory.replaced_by_upload_id, RecordHistory.values)
        if upload_id is not None:
            history = history.where(
                (RecordHistory.upload_id == upload_id) | (RecordHistory.replaced_by_upload_id == upload_id)
            )
        for written_by, replaced_by, values in connection.execute(history):
            code = (values or {}).get("code")
            for uploaded in (written_by, replaced_by):
                if code and uploaded is not None and (upload_id is None or uploaded == upload_id):
                    touched.setdefault(uploaded, set()).add(code)
    return touched

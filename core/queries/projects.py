"""Key projects (重点项目) reads: the projects in scope, their batches and a project's history.

Projects have no 学年: the scope's provinces / levels / ownerships / codes apply, its
year never does. Filters by category, batch and stage are done in SQL; rows come back
keyed by field names (core.views.projects builds the page, the CSV and the figures).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Select, func, select

from core.forms import PROJECTS
from core.models import ProjectRecord, RecordHistory, Upload
from core.queries.base import Bind, apply_scope, form_rows, read_frame
from core.scope import Scope

HISTORY_FIELDS = ("stage", "progress", "due", "updated")


def _filtered(
    statement: Select,
    scope: Scope,
    categories: Sequence[str],
    batches: Sequence[str],
    stages: Sequence[str],
) -> Select:
    statement = apply_scope(statement, scope, ProjectRecord, use_year=False)
    if categories:
        statement = statement.where(ProjectRecord.category.in_(categories))
    if batches:
        statement = statement.where(ProjectRecord.batch.in_(batches))
    if stages:
        statement = statement.where(ProjectRecord.stage.in_(stages))
    return statement


def projects_frame(
    bind: Bind,
    scope: Scope,
    *,
    categories: Sequence[str] = (),
    batches: Sequence[str] = (),
    stages: Sequence[str] = (),
) -> pd.DataFrame:
    """The projects in scope (year ignored) matching the filters, by 项目编号.

    Columns: the form's keys, then institution_name, province, level, ownership from 高校名录.
    """
    statement = _filtered(form_rows(PROJECTS), scope, categories, batches, stages)
    statement = statement.order_by(ProjectRecord.project_id)
    return read_frame(bind, statement)


def stages_and_dues(bind: Bind, scope: Scope) -> pd.DataFrame:
    """``stage`` and ``due`` of every project in ``scope`` (year ignored)."""
    statement = select(ProjectRecord.stage, ProjectRecord.due).select_from(ProjectRecord)
    return read_frame(bind, apply_scope(statement, scope, ProjectRecord, use_year=False))


def available_batches(bind: Bind, scope: Scope) -> list[str]:
    """The 批次 present in scope, oldest first (by their earliest 立项日期), so 第一批 precedes 第二批."""
    statement = apply_scope(
        select(ProjectRecord.batch, func.min(ProjectRecord.start).label("first_start")).select_from(
            ProjectRecord
        ),
        scope,
        ProjectRecord,
        use_year=False,
    )
    statement = (
        statement.where(ProjectRecord.batch.is_not(None))
        .group_by(ProjectRecord.batch)
        .order_by(func.min(ProjectRecord.start), ProjectRecord.batch)
    )
    return read_frame(bind, statement)["batch"].tolist()


def history_entries(bind: Bind, scope: Scope, project_id: str) -> pd.DataFrame:
    """The stage, progress, due and updated of one project as each upload left it, with
    that ``upload_id``, oldest first.

    Superseded values come from RecordHistory (``upload_id`` = the upload that had
    written them, in the order they were replaced); the last row is the current one.
    Empty when the project is not in ``scope``.
    """
    current_statement = apply_scope(
        select(*(getattr(ProjectRecord, key) for key in HISTORY_FIELDS), ProjectRecord.upload_id).select_from(
            ProjectRecord
        ),
        scope,
        ProjectRecord,
        use_year=False,
    ).where(ProjectRecord.project_id == project_id)
    current = read_frame(bind, current_statement)
    columns = [*HISTORY_FIELDS, "upload_id"]
    if current.empty:
        return pd.DataFrame(columns=columns)
    history_statement = (
        select(RecordHistory.values, RecordHistory.upload_id)
        .where(RecordHistory.form == PROJECTS.name, RecordHistory.record_key == project_id)
        .order_by(RecordHistory.id)
    )
    superseded = [
        {key: values.get(key) for key in HISTORY_FIELDS} | {"upload_id": upload_id}
        for values, upload_id in read_frame(bind, history_statement).itertuples(index=False)
    ]
    return pd.DataFrame(superseded + current.to_dict("records"), columns=columns)


def uploads_by_id(bind: Bind, upload_ids: Sequence[int]) -> pd.DataFrame:
    """upload_id, created_at, file_name and uploader of these uploads."""
    statement = select(
        Upload.id.label("upload_id"), Upload.created_at, Upload.file_name, Upload.uploader
    ).where(Upload.id.in_(list(upload_ids)))
    return read_frame(bind, statement)

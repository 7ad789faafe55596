"""Database tables.

One table per form, built from the form's declaration in :mod:`core.forms` (so a
column cannot drift from its spec), plus:

- ``Upload``: provenance. Every accepted file is one row (time, uploader, file name,
  sha256, form, row counts, status, warnings); every stored form row points to the
  upload that last wrote it (``upload_id``).
- ``RecordHistory``: superseded values. When an upload changes a row that an earlier
  upload wrote, the old values (as JSON, keyed by the form's natural key) are kept
  here with the upload they came from and the upload that replaced them. So the
  current tables stay small and fast to query, and nothing an office once reported
  is lost. Reverting upload U restores, for every row U wrote, the values U replaced
  (or deletes the row when U inserted it); it is refused while a later accepted
  upload has changed the same rows (revert that one first).
- ``AppSetting``: small key → JSON values an administrator can change (standards'
  thresholds, deadlines), so they are data, not code.
- ``DataVersion``: one counter row, bumped in the same transaction as every store,
  revert and settings change, so every app process knows when its cached reads are stale.

Every change to these tables is an Alembic revision (core/migrations/versions).
"""

from __future__ import annotations

import datetime as dt
import types
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from core.forms import FORMS, FieldSpec, FormSpec, Kind


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Upload(SQLModel, table=True):
    __tablename__ = "upload"

    id: int | None = Field(default=None, primary_key=True)
    created_at: dt.datetime = Field(default_factory=utc_now, index=True)
    uploader: str = Field(max_length=100)
    file_name: str = Field(max_length=255)
    sha256: str = Field(max_length=64, index=True)
    form: str = Field(max_length=32, index=True)
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    status: str = Field(default="accepted", max_length=16)  # accepted | reverted
    reverted_at: dt.datetime | None = None
    warnings: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))


class RecordHistory(SQLModel, table=True):
    __tablename__ = "record_history"
    __table_args__ = (Index("ix_record_history_form_key", "form", "record_key"),)

    id: int | None = Field(default=None, primary_key=True)
    form: str = Field(max_length=32)
    record_key: str = Field(max_length=255)
    values: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    upload_id: int | None = Field(default=None, foreign_key="upload.id")
    replaced_by_upload_id: int = Field(foreign_key="upload.id", index=True)
    replaced_at: dt.datetime = Field(default_factory=utc_now)


class AppSetting(SQLModel, table=True):
    __tablename__ = "app_setting"

    key: str = Field(primary_key=True, max_length=100)
    value: Any = Field(sa_column=Column(JSON, nullable=True))
    updated_at: dt.datetime = Field(default_factory=utc_now)


class DataVersion(SQLModel, table=True):
    __tablename__ = "data_version"

    id: int = Field(default=1, primary_key=True)
    version: int = 0


class DataAreaVersion(SQLModel, table=True):
    """The data version at the last change of one area (a form's rows, the settings, the form
    definitions: core.freshness); an area with no row reads as the row ``*`` (the floor)."""

    __tablename__ = "data_area_version"

    area: str = Field(primary_key=True, max_length=100)
    version: int = 0


_PYTHON_TYPES: dict[Kind, type] = {
    Kind.TEXT: str,
    Kind.CODE: str,
    Kind.PROVINCE: str,
    Kind.ENUM: str,
    Kind.YEAR: str,
    Kind.COUNT: int,
    Kind.DATE: dt.date,
    Kind.PERCENT: float,
    Kind.NUMBER: float,
}


def _column(form: FormSpec, spec: FieldSpec) -> tuple[Any, Any]:
    """(annotation, Field) of one form field."""
    python_type = _PYTHON_TYPES[spec.kind]
    options: dict[str, Any] = {"index": spec.key in ("code", "year")}
    if python_type is str:
        options["max_length"] = spec.max_length
    if spec.key == "code" and form.institution_field:
        options["foreign_key"] = "institution.code"
    if spec.required or spec.default is not None:
        return python_type, Field(**options)
    return python_type | None, Field(default=None, **options)


def _form_table(form: FormSpec, class_name: str) -> type[SQLModel]:
    annotations: dict[str, Any] = {"id": int | None, "upload_id": int}
    namespace: dict[str, Any] = {
        "__tablename__": form.table,
        "__table_args__": (UniqueConstraint(*form.key, name=f"uq_{form.table}_key"),),
        "__doc__": f"Current values of form {form.name} ({form.title}).",
        "__annotations__": annotations,
        "__module__": __name__,
        "id": Field(default=None, primary_key=True),
        "upload_id": Field(foreign_key="upload.id", index=True),
    }
    for spec in form.fields:
        annotations[spec.key], namespace[spec.key] = _column(form, spec)

    def body(ns: dict[str, Any]) -> None:
        ns.update(namespace)

    return types.new_class(class_name, (SQLModel,), {"table": True}, body)


Institution = _form_table(FORMS["institutions"], "Institution")
StaffingReport = _form_table(FORMS["staffing"], "StaffingReport")
ScreeningReport = _form_table(FORMS["screening"], "ScreeningReport")
ProjectRecord = _form_table(FORMS["projects"], "ProjectRecord")

FORM_MODELS: dict[str, type[SQLModel]] = {
    "institutions": Institution,
    "staffing": StaffingReport,
    "screening": ScreeningReport,
    "projects": ProjectRecord,
}


# --- accounts (spec/accounts.md): users, sign-in attempts, sessions, audit -----------------
# Times are aware UTC (SQLModel's UTCDateTime), set by core.accounts from its injectable clock.


class User(SQLModel, table=True):
    """A person who signs in; ``role`` decides the limits (core.accounts.limits)."""

    __tablename__ = "app_user"  # "user" is reserved in PostgreSQL

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    role: str = Field(max_length=16)  # admin | province | viewer | institution
    province: str | None = Field(default=None, max_length=32)
    institution_code: str | None = Field(default=None, max_length=10)
    password_hash: str = Field(max_length=255)  # Argon2id, PHC string
    disabled: bool = False
    created_at: dt.datetime
    updated_at: dt.datetime


class SignInAttempt(SQLModel, table=True):
    """One sign-in try by name (known or not): the lockout counts these, across processes."""

    __tablename__ = "sign_in_attempt"
    __table_args__ = (Index("ix_sign_in_attempt_name_at", "name", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    at: dt.datetime
    outcome: str = Field(max_length=16)  # failure | success | locked | disabled
    client: str | None = Field(default=None, max_length=100)


class AppSession(SQLModel, table=True):
    """A signed-in browser session, keyed by the SHA-256 of its random token (never the token)."""

    __tablename__ = "app_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    client: str | None = Field(default=None, max_length=100)
    created_at: dt.datetime
    last_seen: dt.datetime
    ended_at: dt.datetime | None = None


class AuditRecord(SQLModel, table=True):
    """Who did what, when, from where. Only ever inserted (core.accounts.audit)."""

    __tablename__ = "audit_record"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(index=True)
    actor: str = Field(max_length=100)
    client: str | None = Field(default=None, max_length=100)
    kind: str = Field(max_length=32, index=True)
    detail: str = Field(sa_column=Column(Text, nullable=False))  # JSON text


def _audit_is_append_only(*_args: Any) -> None:
    raise RuntimeError("审计记录只能新增，不能修改或删除")


event.listen(AuditRecord, "before_update", _audit_is_append_only)
event.listen(AuditRecord, "before_delete", _audit_is_append_only)


# --- review and 督办 (spec/accounts.md: Review, 督办) ---------------------------------------
# A submission keeps a checked file's normalised rows (JSON) until it is approved; approval
# stores them through core.ingest.commit, so the form tables only ever hold approved values.


class Submission(SQLModel, table=True):
    """One upload waiting for review, returned, or approved (then ``upload_id`` is its Upload)."""

    __tablename__ = "submission"

    id: int | None = Field(default=None, primary_key=True)
    created_at: dt.datetime = Field(index=True)
    uploader: str = Field(max_length=100)  # the account name
    form: str = Field(max_length=32)
    file_name: str = Field(max_length=255)
    sha256: str = Field(max_length=64)
    status: str = Field(max_length=8, index=True)  # 待审核 | 已通过 | 已退回
    rows: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    row_numbers: list[int] = Field(sa_column=Column(JSON, nullable=False))
    sheet: str | None = Field(default=None, max_length=255)
    upload_id: int | None = Field(default=None, foreign_key="upload.id")
    decided_by: str | None = Field(default=None, max_length=100)
    decided_at: dt.datetime | None = None
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class SubmissionInstitution(SQLModel, table=True):
    """The institutions a submission touches (limits are checked against these, in SQL)."""

    __tablename__ = "submission_institution"

    submission_id: int = Field(foreign_key="submission.id", primary_key=True)
    code: str = Field(max_length=10, primary_key=True, index=True)


class ReopenedPeriod(SQLModel, table=True):
    """A reporting period opened again, after its deadline, for one institution's account."""

    __tablename__ = "reopened_period"
    __table_args__ = (UniqueConstraint("form", "year", "term", "code", name="uq_reopened_period"),)

    id: int | None = Field(default=None, primary_key=True)
    form: str = Field(max_length=32)
    year: str = Field(max_length=9)
    term: str | None = Field(default=None, max_length=8)
    code: str = Field(max_length=10, index=True)
    reopened_by: str = Field(max_length=100)
    reopened_at: dt.datetime
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class SupervisionCase(SQLModel, table=True):
    """A 督办 case: an institution, an indicator short of its standard, a deadline, its state."""

    __tablename__ = "supervision_case"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=10, index=True)
    indicator: str = Field(max_length=64)  # e.g. staffing:counselors, projects:overdue
    indicator_label: str = Field(max_length=100)
    subject: str = Field(max_length=255)  # the row it was opened from: 学年 or project id …
    value: str = Field(max_length=100)
    standard: str = Field(max_length=255)
    standard_source: str = Field(sa_column=Column(Text, nullable=False))
    source_upload_id: int | None = Field(default=None, foreign_key="upload.id")
    deadline: dt.date
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    status: str = Field(max_length=8, index=True)  # 督办中 | 已反馈 | 已销号
    opened_by: str = Field(max_length=100)
    opened_at: dt.datetime = Field(index=True)
    measures: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    expected_date: dt.date | None = None
    closed_at: dt.datetime | None = None


class CaseEvent(SQLModel, table=True):
    """One step of a case: opened, replied, closed — who, when, what."""

    __tablename__ = "case_event"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="supervision_case.id", index=True)
    at: dt.datetime
    actor: str = Field(max_length=100)
    action: str = Field(max_length=16)  # open | reply | close
    detail: str = Field(sa_column=Column(Text, nullable=False))  # JSON text


# --- forms declared as data (spec/forms-as-data.md, core.formdefs) -------------------------
# One typed values store for every such form (as DHIS2's data values): a record per
# (form, institution, period) with the upload that wrote it and the definition version it was
# read with, and one value per (record, field). A new form needs no table; history and revert
# go through Upload and RecordHistory like every other upload.


class FormDefinitionVersion(SQLModel, table=True):
    """One version of a form definition (the TOML text it was read from); the newest one counts."""

    __tablename__ = "form_definition"
    __table_args__ = (UniqueConstraint("name", "version", name="uq_form_definition_version"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=32, index=True)
    version: int
    title: str = Field(max_length=200)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime = Field(default_factory=utc_now)
    created_by: str = Field(default="", max_length=100)
    retired_at: dt.datetime | None = None


class FormRecord(SQLModel, table=True):
    """One reported row of a form declared as data: (form, 学校标识码, 学年, 学期 or '')."""

    __tablename__ = "form_record"
    __table_args__ = (UniqueConstraint("form", "code", "year", "term", name="uq_form_record_key"),)

    id: int | None = Field(default=None, primary_key=True)
    form: str = Field(max_length=32)
    version: int
    code: str = Field(max_length=10, foreign_key="institution.code", index=True)
    year: str = Field(max_length=9, index=True)
    term: str = Field(default="", max_length=8)
    upload_id: int = Field(foreign_key="upload.id", index=True)


class FormValue(SQLModel, table=True):
    """One field's value of a record: numbers (count, number, percent) in ``number``, the rest
    (text, choice, ISO date) in ``text``."""

    __tablename__ = "form_value"
    __table_args__ = (Index("ix_form_value_field", "field", "record_id"),)

    record_id: int = Field(foreign_key="form_record.id", primary_key=True)
    field: str = Field(max_length=32, primary_key=True)
    number: float | None = None
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))

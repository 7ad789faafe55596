"""Submissions: what an upload becomes before (and after) the province has reviewed it.

An upload by an ``institution`` account is kept as a pending submission (待审核): the checked
file's normalised rows, serialised, and the institutions it touches. The form tables do not
change. Approval (已通过) checks the rows again against the data of that moment and stores them
through :func:`core.ingest.commit`, so dashboards, exports, history and revert see only approved
values; return (已退回) keeps them out, with a comment the institution reads. Uploads by
``province`` / ``admin`` accounts are stored at once and recorded as 已通过.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine, and_, exists, insert, select, update

from core.accounts.audit import AuditKind, append_audit, record_audit, utc
from core.accounts.limits import may_revert
from core.accounts.roles import Account, AccountError, Role
from core.accounts.users import institution_registry
from core.db import bump_data_version
from core.forms import Kind, get_form
from core.freshness import form_area
from core.ingest import ImportReport, ParsedFile, Preview, commit
from core.ingest.plan import plan_changes
from core.ingest.storing import json_safe
from core.metrics.completeness import AWAITING_REVIEW
from core.models import Institution, Submission, SubmissionInstitution
from core.queries.base import Bind, apply_scope, read_frame
from core.scope import Scope

PENDING, APPROVED, RETURNED = AWAITING_REVIEW, "已通过", "已退回"
STATUSES = (PENDING, APPROVED, RETURNED)
LIST_KEYS = ["id", "form", "file", "status", "uploaded_by", "uploaded_at", "institutions"]


class ReviewRefused(AccountError):
    """An unknown submission, one not pending, a reviewer without the right, a missing comment."""


@dataclass(frozen=True)
class Submitted:
    """The outcome of :func:`submit`: the submission, its status and (when stored) the report."""

    id: int
    status: str
    report: ImportReport


def needs_review(account: Account) -> bool:
    return account.role == Role.INSTITUTION


def _serialised(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: json_safe(value) for key, value in row.items()} for row in rows]


def _deserialised(form: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    dates = [spec.key for spec in get_form(form).fields if spec.kind == Kind.DATE]
    return [row | {key: dt.date.fromisoformat(row[key]) for key in dates if row.get(key)} for row in rows]


def _codes(parsed: ParsedFile) -> list[str]:
    return sorted({str(row["code"]) for row in parsed.rows if row.get("code")})


def submit(
    engine: Engine,
    preview: Preview,
    *,
    account: Account,
    client: str | None = None,
    now: dt.datetime | None = None,
) -> Submitted:
    """Store an accepted, checked upload as ``account`` would: pending for an institution, else
    committed at once (both recorded as a submission and in the audit log)."""
    if not preview.accepted:
        raise ReviewRefused("文件未通过校验，不能提交；请按错误清单修改后重新上传")
    parsed, at = preview.parsed, utc(now)
    report = preview.report
    status = PENDING if needs_review(account) else APPROVED
    if status == APPROVED:
        report = commit(engine, preview, uploader=account.name)
    with engine.begin() as connection:
        submission_id = connection.execute(
            insert(Submission).values(
                created_at=at,
                uploader=account.name,
                form=parsed.form,
                file_name=parsed.file_name.replace("\\", "/").rsplit("/", 1)[-1][:255],
                sha256=parsed.sha256,
                status=status,
                rows=_serialised(parsed.rows),
                row_numbers=parsed.row_numbers,
                sheet=parsed.sheet,
                upload_id=report.upload_id,
                decided_by=account.name if status == APPROVED else None,
                decided_at=at if status == APPROVED else None,
            )  # fmt: skip
        ).inserted_primary_key[0]
        codes = _codes(parsed)
        if codes:
            connection.execute(
                insert(SubmissionInstitution),
                [{"submission_id": submission_id, "code": code} for code in codes],
            )
        if status == PENDING:  # 报送情况 shows it as 待审核
            bump_data_version(connection, [form_area(parsed.form)])
        detail = {"action": "submit", "submission": submission_id, "form": parsed.form, "status": status}
        detail |= {"file": parsed.file_name, "rows": len(parsed.rows), "upload": report.upload_id}
        append_audit(
            connection, kind=AuditKind.UPLOAD, actor=account.name, detail=detail, client=client, at=at
        )
    return Submitted(int(submission_id), status, report)


def _load(engine: Engine, submission_id: int) -> Submission:
    with engine.connect() as connection:
        row = connection.execute(select(Submission).where(Submission.id == submission_id)).first()
    if row is None:
        raise ReviewRefused(f"没有编号为 {submission_id} 的报送（用 review list 查看）")
    return Submission.model_validate(row._mapping)


def _codes_of(engine: Engine, submission_id: int) -> list[str]:
    with engine.connect() as connection:
        statement = select(SubmissionInstitution.code).where(
            SubmissionInstitution.submission_id == submission_id
        )
        return sorted(connection.execute(statement).scalars())


def parsed_of(submission: Submission) -> ParsedFile:
    """The submission's rows as intake checked them (no issues: they were accepted)."""
    return ParsedFile(
        form=submission.form,
        file_name=submission.file_name,
        sha256=submission.sha256,
        sheet=submission.sheet,
        rows=_deserialised(submission.form, submission.rows),
        row_numbers=list(submission.row_numbers),
    )


def preview_of(engine: Engine, submission_id: int) -> tuple[Submission, Preview]:
    """A submission and what storing it would change now (cell by cell, against the values in force)."""
    submission = _load(engine, submission_id)
    parsed = parsed_of(submission)
    return submission, Preview(parsed, plan_changes(engine, parsed))


def _check_reviewer(engine: Engine, reviewer: Account | None, submission_id: int) -> None:
    """A reviewer is a ``province`` account of every touched institution's province, or ``admin``
    (None: the operator at the command line)."""
    if reviewer is None:
        return
    allowed = reviewer.role in (Role.ADMIN, Role.PROVINCE) and may_revert(
        reviewer, _codes_of(engine, submission_id), institution_registry(engine)
    )
    if not allowed:
        raise ReviewRefused("只有本省的省级管理员或系统管理员可以审核这份报送")


def _decide(
    engine: Engine, submission_id: int, status: str, *, actor: str, comment: str | None, at: dt.datetime
) -> None:
    """Set the decision, only while the submission is pending (two reviewers cannot both decide)."""
    with engine.begin() as connection:
        done = connection.execute(
            update(Submission)
            .where(and_(Submission.id == submission_id, Submission.status == PENDING))
            .values(status=status, decided_by=actor[:100], decided_at=at, comment=comment or None)
        ).rowcount
        form = connection.execute(select(Submission.form).where(Submission.id == submission_id)).scalar_one()
        bump_data_version(connection, [form_area(form)])  # no longer 待审核 on 报送情况
    if not done:
        current = _load(engine, submission_id).status
        raise ReviewRefused(f"第 {submission_id} 号报送的状态是“{current}”，不是待审核，不能再审核")


def _audit_decision(engine: Engine, submission_id: int, action: str, **detail: Any) -> None:
    actor, client, at = detail.pop("actor"), detail.pop("client"), detail.pop("at")
    record_audit(
        engine, kind=AuditKind.REVIEW, actor=actor, client=client, now=at,
        detail={"action": action, "submission": submission_id, **detail},
    )  # fmt: skip


def approve(
    engine: Engine,
    submission_id: int,
    *,
    actor: str,
    reviewer: Account | None = None,
    comment: str | None = None,
    client: str | None = None,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Approve a pending submission: its rows are checked against the data of now and stored."""
    at = utc(now)
    submission = _load(engine, submission_id)
    _check_reviewer(engine, reviewer, submission_id)
    _decide(engine, submission_id, APPROVED, actor=actor, comment=comment, at=at)
    parsed = parsed_of(submission)
    try:
        report = commit(engine, Preview(parsed, plan_changes(engine, parsed)), uploader=submission.uploader)
    except Exception:  # nothing was stored: the submission waits again
        with engine.begin() as connection:
            connection.execute(
                update(Submission)
                .where(Submission.id == submission_id)
                .values(status=PENDING, decided_by=None, decided_at=None, comment=None)
            )
        raise
    with engine.begin() as connection:
        connection.execute(
            update(Submission).where(Submission.id == submission_id).values(upload_id=report.upload_id)
        )
    _audit_decision(
        engine, submission_id, "approve", actor=actor, client=client, at=at,
        comment=comment, upload=report.upload_id, rows=report.rows,
    )  # fmt: skip
    return report


def return_submission(
    engine: Engine,
    submission_id: int,
    *,
    actor: str,
    comment: str,
    reviewer: Account | None = None,
    client: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Return a pending submission with a comment the institution reads; nothing is stored."""
    if not (comment or "").strip():
        raise ReviewRefused("退回时请写明原因（--comment），报送单位会看到它")
    at = utc(now)
    _load(engine, submission_id)
    _check_reviewer(engine, reviewer, submission_id)
    _decide(engine, submission_id, RETURNED, actor=actor, comment=comment.strip(), at=at)
    _audit_decision(
        engine, submission_id, "return", actor=actor, client=client, at=at, comment=comment.strip()
    )


def _inside(scope: Scope) -> Any:
    """Every institution the submission touches is inside ``scope`` (in SQL)."""
    in_scope = apply_scope(select(Institution.code), scope)
    outside = select(SubmissionInstitution.code).where(
        SubmissionInstitution.submission_id == Submission.id, SubmissionInstitution.code.not_in(in_scope)
    )
    touched = select(SubmissionInstitution.code).where(SubmissionInstitution.submission_id == Submission.id)
    return and_(exists(touched), ~exists(outside))


def list_submissions(bind: Bind, scope: Scope | None = None, *, status: str | None = None) -> pd.DataFrame:
    """Submissions, newest first, whose institutions are all inside ``scope`` (None: no limit).

    Columns: id, form, file, status, uploaded_by, uploaded_at (UTC), institutions (codes, a list),
    decided_by, decided_at, comment, upload_id.
    """
    statement = select(
        Submission.id, Submission.form, Submission.file_name.label("file"), Submission.status,
        Submission.uploader.label("uploaded_by"), Submission.created_at.label("uploaded_at"),
        Submission.decided_by, Submission.decided_at, Submission.comment, Submission.upload_id,
    ).order_by(Submission.id.desc())  # fmt: skip
    if scope is not None:
        statement = statement.where(_inside(scope.all_years()))
    if status:
        statement = statement.where(Submission.status == status)
    frame = read_frame(bind, statement)
    ids = [int(each) for each in frame["id"]]
    links = read_frame(
        bind,
        select(SubmissionInstitution.submission_id, SubmissionInstitution.code).where(
            SubmissionInstitution.submission_id.in_(ids)
        ),
    )
    codes: Mapping[int, list[str]] = links.groupby("submission_id")["code"].agg(sorted).to_dict()
    return frame.assign(institutions=[codes.get(each, []) for each in ids])

"""The audit log: who did what, when, from where. Records are only ever inserted.

Sign-in, sign-out and user changes are recorded by this package itself; uploads, review
decisions, reverts, exports and settings changes by whoever performs them, through
:func:`record_audit`. ``detail`` is a small JSON object (never a password).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, insert, select
from sqlmodel import Session

from core.config import LOCAL_TIME
from core.models import AuditRecord


class AuditKind(StrEnum):
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_IN_LOCKED = "sign_in_locked"  # tried while locked out: the password was not checked
    SIGN_OUT = "sign_out"  # detail.reason: 退出 or 超时
    UPLOAD = "upload"
    REVIEW = "review"  # detail.action: submit, approve, return, reopen
    CASE = "case"  # 督办: detail.action: open, reply, close
    REVERT = "revert"
    EXPORT = "export"  # detail: what, scope, rows
    SETTINGS = "settings"  # standards, deadlines, forms
    USER = "user"  # detail.action: add, passwd, disable


AUDIT_KIND_LABELS: dict[AuditKind, str] = {
    AuditKind.SIGN_IN: "登录",
    AuditKind.SIGN_IN_FAILED: "登录失败",
    AuditKind.SIGN_IN_LOCKED: "登录被锁定",
    AuditKind.SIGN_OUT: "退出登录",
    AuditKind.UPLOAD: "上传",
    AuditKind.REVIEW: "审核",
    AuditKind.CASE: "督办",
    AuditKind.REVERT: "撤销上传",
    AuditKind.EXPORT: "导出",
    AuditKind.SETTINGS: "设置变更",
    AuditKind.USER: "用户变更",
}

AUDIT_HEADERS = {
    "at": "时间（北京时间）",
    "actor": "操作人",
    "client": "来源地址",
    "kind": "操作",
    "detail": "内容",
}


def utc(now: dt.datetime | None = None) -> dt.datetime:
    """``now`` (default: the clock) in UTC; a naive ``now`` is taken as UTC."""
    moment = now or dt.datetime.now(dt.UTC)
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def audit_values(
    *, kind: AuditKind, actor: str, detail: Mapping[str, Any], client: str | None, at: dt.datetime
) -> dict[str, Any]:
    """One audit row's column values (for inserting inside another transaction)."""
    return {
        "at": at,
        "actor": actor[:100],
        "client": (client or None) and client[:100],
        "kind": str(kind),
        "detail": json.dumps(dict(detail), ensure_ascii=False, sort_keys=True, default=str),
    }


def append_audit(target: Connection | Session, **values: Any) -> None:
    """Insert one audit row (``values`` as :func:`audit_values` takes them) in ``target``'s transaction."""
    target.execute(insert(AuditRecord).values(audit_values(**values)))


def record_audit(
    engine: Engine,
    *,
    kind: AuditKind,
    actor: str,
    detail: Mapping[str, Any],
    client: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Record one event in its own transaction."""
    with engine.begin() as connection:
        append_audit(connection, kind=kind, actor=actor, detail=detail, client=client, at=utc(now))


def read_audit(
    engine: Engine,
    *,
    since: dt.date | None = None,
    actor: str | None = None,
    kind: AuditKind | None = None,
) -> pd.DataFrame:
    """The records (oldest first) from the Beijing day ``since`` on, of one actor / kind when given.

    Columns: at (Beijing time), actor, client, kind, detail (JSON text).
    """
    query = select(
        AuditRecord.at, AuditRecord.actor, AuditRecord.client, AuditRecord.kind, AuditRecord.detail
    ).order_by(AuditRecord.at, AuditRecord.id)
    if since is not None:
        start = dt.datetime.combine(since, dt.time(), tzinfo=LOCAL_TIME)
        query = query.where(AuditRecord.at >= utc(start))
    if actor:
        query = query.where(AuditRecord.actor == actor)
    if kind:
        query = query.where(AuditRecord.kind == str(kind))
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    frame = pd.DataFrame(rows, columns=list(AUDIT_HEADERS))
    frame["at"] = [moment.astimezone(LOCAL_TIME) for moment in frame["at"]]
    return frame


def audit_table(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`read_audit`'s frame as people read it: Chinese headers and kinds, times as text."""
    shown = frame.copy()
    shown["at"] = [moment.strftime("%Y-%m-%d %H:%M:%S") for moment in shown["at"]]
    shown["kind"] = [AUDIT_KIND_LABELS.get(kind, kind) for kind in shown["kind"]]
    return shown.rename(columns=AUDIT_HEADERS)

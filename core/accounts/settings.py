"""Settings changes by a signed-in user: checked against the user's rights (may_change_settings)
in the save path itself, and recorded in the audit log. The pages call these, never
core.settings_store's save functions directly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import Engine

from core.accounts.audit import AuditKind, record_audit
from core.accounts.limits import Setting, may_change_settings
from core.accounts.roles import Account, AccountError, Role
from core.deadlines import Period
from core.settings_store import load_deadlines, save_deadline, save_standards
from core.standards import DEFAULT_STANDARDS, Standards


class NotAllowed(AccountError):
    """The signed-in user may not make this change."""


def _require(account: Account, what: Setting, label: str) -> None:
    if not may_change_settings(account, what):
        raise NotAllowed(f"{account.role_label}账号不能修改{label}；如需修改，请联系系统管理员。")


NATIONAL = "全国"  # the audit log's and the page's name for the deadlines of every province


def change_standards(
    engine: Engine, account: Account, standards: Standards | None, *, client: str | None = None
) -> None:
    """Store ``standards`` (None: the national defaults) as the ones in force; admin only."""
    _require(account, Setting.STANDARDS, "配备标准")
    chosen = standards or DEFAULT_STANDARDS
    save_standards(engine, chosen)
    detail = {
        "what": "配备标准" if standards else "配备标准（恢复默认）",
        "standards": [standard.describe() for standard in chosen],
        "part_time_factor": str(chosen.part_time_factor),
    }
    record_audit(engine, kind=AuditKind.SETTINGS, actor=account.name, detail=detail, client=client)


def change_deadlines(
    engine: Engine,
    account: Account,
    days: Mapping[Period, dt.date | None],
    *,
    province: str | None = None,
    client: str | None = None,
) -> None:
    """Store each period's deadline (None: back to the fallback) for ``province`` (None: the
    national deadlines, which every province without its own follows). An administrator sets
    any; a ``province`` user only its own province's. Each change is recorded with its old and
    new date in force."""
    if not may_change_settings(account, Setting.DEADLINES, province):
        raise NotAllowed(_deadline_refusal(account, province))
    before = load_deadlines(engine, list(days), province)
    for period, day in days.items():
        save_deadline(engine, period, day, province)
    after = load_deadlines(engine, list(days), province)
    changes = {
        period.label(): {"old": before[period].isoformat(), "new": after[period].isoformat()}
        for period in days
        if before[period] != after[period]
    }
    if changes:
        detail = {"what": "报送截止日期", "province": province or NATIONAL, "changes": changes}
        record_audit(engine, kind=AuditKind.SETTINGS, actor=account.name, detail=detail, client=client)


def _deadline_refusal(account: Account, province: str | None) -> str:
    if account.role == Role.PROVINCE and not account.disabled:
        return (
            f"省级管理员只能修改本省（{account.province}）的报送截止日期，不能修改{province or NATIONAL}的。"
        )
    return f"{account.role_label}账号不能修改报送截止日期；如需修改，请联系系统管理员。"

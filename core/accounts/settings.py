"""Settings changes by a signed-in user: checked against the user's rights (may_change_settings)
in the save path itself, and recorded in the audit log. The pages call these, never
core.settings_store's save functions directly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import Engine

from core.accounts.audit import AuditKind, record_audit
from core.accounts.limits import Setting, may_change_settings
from core.accounts.roles import Account, AccountError
from core.deadlines import Period
from core.settings_store import save_deadline, save_standards
from core.standards import DEFAULT_STANDARDS, Standards


class NotAllowed(AccountError):
    """The signed-in user may not make this change."""


def _require(account: Account, what: Setting, label: str) -> None:
    if not may_change_settings(account, what):
        raise NotAllowed(f"{account.role_label}账号不能修改{label}；如需修改，请联系系统管理员。")


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
    engine: Engine, account: Account, days: Mapping[Period, dt.date | None], *, client: str | None = None
) -> None:
    """Store each period's deadline (None: the default). Deadlines apply to every province, so
    only an administrator may change them (a province's own deadlines would need a per-province
    setting, which the store does not have)."""
    _require(account, Setting.DEADLINES, "报送截止日期")
    for period, day in days.items():
        save_deadline(engine, period, day)
    detail = {
        "what": "报送截止日期",
        "deadlines": {period.label(): day.isoformat() if day else "默认" for period, day in days.items()},
    }
    record_audit(engine, kind=AuditKind.SETTINGS, actor=account.name, detail=detail, client=client)

"""Periods close at their deadline for ``institution`` accounts; the province reopens one period
for one institution (recorded, with the audit log).

A file's periods are those of its rows: 队伍配备 by 学年, 心理筛查 by 学年 and 学期. 重点项目 and
高校名录 have no period and never close.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, and_, insert, select

from core.accounts.audit import AuditKind, append_audit, utc
from core.accounts.limits import may_revert
from core.accounts.roles import Account, Role
from core.accounts.uploads import upload_scope_issues
from core.accounts.users import institution_registry
from core.deadlines import PERIOD_FORMS, Period
from core.forms import Severity
from core.ingest.report import Issue, ParsedFile
from core.models import ReopenedPeriod
from core.review.submissions import ReviewRefused, needs_review
from core.settings_store import load_province_deadlines

PERIOD_CLOSED = "period_closed"


def file_periods(parsed: ParsedFile) -> dict[Period, list[str]]:
    """The periods a file's rows report, each with the institutions reporting it."""
    if parsed.form not in PERIOD_FORMS:
        return {}
    found: dict[Period, list[str]] = {}
    for row in parsed.rows:
        if row.get("year") and row.get("code"):
            period = Period(parsed.form, row["year"], row.get("term"))
            found.setdefault(period, []).append(str(row["code"]))
    return found


def _reopened(engine: Engine, period: Period, code: str) -> bool:
    condition = and_(
        ReopenedPeriod.form == period.form,
        ReopenedPeriod.year == period.year,
        ReopenedPeriod.code == code,
        ReopenedPeriod.term.is_(None) if period.term is None else ReopenedPeriod.term == period.term,
    )
    with engine.connect() as connection:
        return connection.execute(select(ReopenedPeriod.id).where(condition)).first() is not None


def closed_period_issues(engine: Engine, account: Account, parsed: ParsedFile, today: dt.date) -> list[Issue]:
    """One error per period of the file whose deadline (the one in force in the institution's
    province) has passed (institution accounts only), unless the province has reopened it for
    the institution."""
    if not needs_review(account):
        return []
    periods = file_periods(parsed)
    registry = institution_registry(engine)
    # a code missing from 高校名录 (intake refuses it anyway) has the national deadline
    provinces = {registry.get(code) for codes in periods.values() for code in codes}
    deadlines = load_province_deadlines(engine, list(periods), provinces)
    issues = []
    for period, codes in periods.items():
        closed = [
            deadline
            for code in set(codes)
            if (deadline := deadlines[registry.get(code)][period]) < today
            and not _reopened(engine, period, code)
        ]
        if closed:
            message = (
                f"{period.label()} 的报送已于 {max(closed).isoformat()} 截止；"
                "如需补报或修改，请联系省级管理员重新开放该期次"
            )
            issues.append(Issue(Severity.ERROR, PERIOD_CLOSED, message, parsed.sheet))
    return issues


def reopen_period(
    engine: Engine,
    period: Period,
    code: str,
    *,
    account: Account,
    note: str | None = None,
    client: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Reopen ``period`` for institution ``code`` (a ``province`` account of its province, or ``admin``)."""
    if account.role not in (Role.ADMIN, Role.PROVINCE) or not may_revert(
        account, [code], institution_registry(engine)
    ):
        raise ReviewRefused("只有本省的省级管理员或系统管理员可以重新开放报送期次")
    if _reopened(engine, period, code):
        return
    at = utc(now)
    with engine.begin() as connection:
        connection.execute(
            insert(ReopenedPeriod).values(
                form=period.form,
                year=period.year,
                term=period.term,
                code=code,
                reopened_by=account.name,
                reopened_at=at,
                note=note,
            )  # fmt: skip
        )
        detail = {"action": "reopen", "period": period.label(), "institution": code, "note": note}
        append_audit(
            connection, kind=AuditKind.REVIEW, actor=account.name, detail=detail, client=client, at=at
        )


def account_issues(engine: Engine, account: Account, parsed: ParsedFile, today: dt.date) -> list[Issue]:
    """What a signed-in account's upload is checked for beyond intake: its limits
    (core.accounts.uploads) and closed periods."""
    scope_issues = upload_scope_issues(account, parsed, institution_registry(engine))
    return scope_issues + closed_period_issues(engine, account, parsed, today)

"""督办 cases: a ``province`` account opens one on a 未达标 row (:class:`core.review.evidence.Finding`)
with a deadline and a note; the institution replies (measures, expected date: 已反馈); the
province closes it (已销号). A case not closed by its deadline reads 逾期未整改 (computed from
today, never stored). Every step is a CaseEvent and an audit record.

Reads take a Scope that already carries the account's limits
(:func:`core.accounts.limits.effective_scope`) and filter in SQL by the case's institution.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, insert, select, update

from core.accounts.audit import AuditKind, append_audit, record_audit, utc
from core.accounts.limits import may_revert
from core.accounts.roles import Account, Role
from core.accounts.users import institution_registry
from core.models import CaseEvent, Institution, SupervisionCase
from core.queries.base import Bind, apply_scope, read_frame
from core.review.evidence import Finding, evidence_for
from core.review.submissions import ReviewRefused
from core.scope import Scope

OPEN, REPLIED, CLOSED, OVERDUE = "督办中", "已反馈", "已销号", "逾期未整改"
STATUSES = (OPEN, REPLIED, CLOSED, OVERDUE)
MET = "数据已达标，可销号"


def _may_supervise(engine: Engine, account: Account, code: str) -> None:
    inside = may_revert(account, [code], institution_registry(engine))
    if account.role not in (Role.ADMIN, Role.PROVINCE) or not inside:
        raise ReviewRefused("只有本省的省级管理员或系统管理员可以督办本省的学校")


def _event(
    connection: Connection,
    case_id: int,
    action: str,
    account: Account,
    client: str | None,
    at: dt.datetime,
    **detail: Any,
) -> None:
    text = json.dumps(detail, ensure_ascii=False, default=str)
    connection.execute(
        insert(CaseEvent).values(case_id=case_id, at=at, actor=account.name, action=action, detail=text)
    )
    audit = {"action": action, "case": case_id, **detail}
    append_audit(connection, kind=AuditKind.CASE, actor=account.name, detail=audit, client=client, at=at)


def open_case(
    engine: Engine,
    finding: Finding,
    *,
    deadline: dt.date,
    note: str | None,
    account: Account,
    client: str | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Open a case on ``finding``; its id."""
    _may_supervise(engine, account, finding.code)
    at = utc(now)
    with engine.begin() as connection:
        case_id = connection.execute(
            insert(SupervisionCase).values(
                **asdict(finding),
                deadline=deadline,
                note=note or None,
                status=OPEN,
                opened_by=account.name,
                opened_at=at,
            )  # fmt: skip
        ).inserted_primary_key[0]
        _event(
            connection, case_id, "open", account, client, at,
            institution=finding.code, indicator=finding.indicator_label, value=finding.value, deadline=deadline,
        )  # fmt: skip
    return int(case_id)


def _case(engine: Engine, case_id: int) -> dict[str, Any]:
    with engine.connect() as connection:
        row = connection.execute(select(SupervisionCase).where(SupervisionCase.id == case_id)).first()
    if row is None:
        raise ReviewRefused(f"没有编号为 {case_id} 的督办事项")
    return dict(row._mapping)


def reply(
    engine: Engine,
    case_id: int,
    *,
    measures: str,
    expected_date: dt.date,
    account: Account,
    client: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """The institution's reply: its measures and the date it expects to meet the standard."""
    case = _case(engine, case_id)
    if account.role != Role.INSTITUTION or account.institution_code != case["code"]:
        raise ReviewRefused("只有被督办学校的校级填报账号可以反馈")
    if case["status"] == CLOSED:
        raise ReviewRefused("该督办事项已销号，无需再反馈")
    if not measures.strip():
        raise ReviewRefused("请填写整改措施")
    at = utc(now)
    with engine.begin() as connection:
        connection.execute(
            update(SupervisionCase)
            .where(SupervisionCase.id == case_id)
            .values(status=REPLIED, measures=measures.strip(), expected_date=expected_date)
        )
        _event(
            connection,
            case_id,
            "reply",
            account,
            client,
            at,
            measures=measures.strip(),
            expected=expected_date,
        )


def close_case(
    engine: Engine,
    case_id: int,
    *,
    account: Account,
    note: str | None = None,
    client: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """销号: the province closes the case."""
    case = _case(engine, case_id)
    _may_supervise(engine, account, case["code"])
    if case["status"] == CLOSED:
        raise ReviewRefused("该督办事项已销号")
    at = utc(now)
    with engine.begin() as connection:
        connection.execute(
            update(SupervisionCase).where(SupervisionCase.id == case_id).values(status=CLOSED, closed_at=at)
        )
        _event(connection, case_id, "close", account, client, at, note=note)


def shown_status(status: str, deadline: dt.date, today: dt.date) -> str:
    """The status a case reads on ``today``: 逾期未整改 once its deadline has passed unclosed."""
    return OVERDUE if status != CLOSED and deadline < today else status


def list_cases(
    bind: Bind,
    scope: Scope,
    *,
    today: dt.date,
    status: str | None = None,
    indicator: str | None = None,
) -> pd.DataFrame:
    """The cases of institutions in ``scope`` (its year ignored), newest first, with the 高校名录
    name/province/level/ownership, the status as of ``today`` (``shown_status``) and, for open
    ones, ``met`` (MET or '') with ``evidence`` (figures and the upload that showed them).
    ``status`` filters by the shown status, ``indicator`` by the indicator key."""
    statement = apply_scope(
        select(
            SupervisionCase,
            Institution.name.label("institution_name"),
            Institution.province,
            Institution.level,
            Institution.ownership,
        ).select_from(SupervisionCase),
        scope.all_years(),
        SupervisionCase,
    ).order_by(SupervisionCase.id.desc())
    if indicator:
        statement = statement.where(SupervisionCase.indicator == indicator)
    frame = read_frame(bind, statement)
    frame["shown_status"] = [
        shown_status(each, deadline, today)
        for each, deadline in zip(frame["status"], frame["deadline"], strict=True)
    ]
    if status:
        frame = frame[frame["shown_status"] == status].reset_index(drop=True)
    found = evidence_for(bind, frame[frame["status"] != CLOSED]) if len(frame) else {}
    frame["met"] = [MET if int(each) in found else "" for each in frame["id"]]
    frame["evidence"] = [
        f"{found[int(each)].figures}；{found[int(each)].upload}" if int(each) in found else ""
        for each in frame["id"]
    ]
    return frame


def case_events(bind: Bind, case_id: int) -> pd.DataFrame:
    """One case's steps, oldest first: at, actor, action, detail (JSON text)."""
    statement = (
        select(CaseEvent.at, CaseEvent.actor, CaseEvent.action, CaseEvent.detail)
        .where(CaseEvent.case_id == case_id)
        .order_by(CaseEvent.id)
    )
    return read_frame(bind, statement)


def record_export(
    engine: Engine, *, what: str, rows: int, scope: Scope, actor: str, client: str | None = None
) -> None:
    """An export of the case list or of a 督办单, in the audit log (what, scope, rows)."""
    detail = {"what": what, "scope": scope.describe(), "rows": rows}
    record_audit(engine, kind=AuditKind.EXPORT, actor=actor, detail=detail, client=client)

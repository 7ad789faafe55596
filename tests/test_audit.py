"""The audit log (spec/accounts.md: Audit log): every event the accounts core emits, read back."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from core.accounts.audit import AuditKind, audit_table, read_audit, record_audit
from core.accounts.roles import LockedOut, SessionExpired, WrongCredentials
from core.accounts.signin import authenticate, end_session, start_session, touch_session
from core.accounts.users import disable_user, set_password
from core.models import AuditRecord
from tests.accounts_helpers import PASSWORD, T0, fast_hashes, make_user  # noqa: F401  (fixture)

CLIENT = "192.0.2.7"


def _events(frame: pd.DataFrame) -> list[tuple[str, str, str | None, dict]]:
    return [
        (row.kind, row.actor, row.client, json.loads(row.detail)) for row in frame.itertuples(index=False)
    ]


def test_sign_in_sign_out_and_user_changes_are_recorded(any_engine: Engine) -> None:
    account = make_user(any_engine, name="li", actor="root", client=CLIENT, now=T0)
    authenticate(any_engine, name="li", password=PASSWORD, client=CLIENT, now=T0)
    token = start_session(any_engine, account=account, client=CLIENT, now=T0)
    end_session(any_engine, token=token, client=CLIENT, now=T0)
    idle = start_session(any_engine, account=account, client=CLIENT, now=T0)
    with pytest.raises(SessionExpired):
        touch_session(any_engine, token=idle, now=T0 + dt.timedelta(hours=9))
    for _ in range(5):
        with pytest.raises(WrongCredentials):
            authenticate(
                any_engine, name="li", password="wrong one", client=CLIENT, now=T0 + dt.timedelta(hours=10)
            )
    with pytest.raises(LockedOut):
        authenticate(any_engine, name="li", password=PASSWORD, client=CLIENT, now=T0 + dt.timedelta(hours=10))
    set_password(any_engine, name="li", password="new secret 2", actor="root", client=CLIENT, now=T0)
    disable_user(any_engine, name="li", actor="root", client=CLIENT, now=T0)

    events = _events(read_audit(any_engine))

    user_added = {"action": "add", "name": "li", "role": "admin", "province": None, "institution": None}
    assert events == [
        ("user", "root", CLIENT, user_added),
        ("sign_in", "li", CLIENT, {}),
        ("sign_out", "li", CLIENT, {"reason": "退出"}),
        ("user", "root", CLIENT, {"action": "passwd", "name": "li"}),
        ("user", "root", CLIENT, {"action": "disable", "name": "li"}),
        ("sign_out", "li", CLIENT, {"reason": "超时"}),
        *[("sign_in_failed", "li", CLIENT, {})] * 5,
        ("sign_in_locked", "li", CLIENT, {}),
    ]
    assert PASSWORD not in read_audit(any_engine).to_csv()


@pytest.mark.parametrize(
    ("kind", "detail"),
    [
        (AuditKind.UPLOAD, {"form": "staffing", "file": "队伍配备.xlsx", "upload_id": 7, "rows": 120}),
        (AuditKind.REVIEW, {"upload_id": 7, "decision": "已退回", "comment": "请核对第 5 行"}),
        (AuditKind.REVERT, {"upload_id": 7}),
        (AuditKind.EXPORT, {"what": "辅导员配备", "scope": "河南省_2024-2025", "rows": 120}),
        (
            AuditKind.SETTINGS,
            {"what": "deadlines", "province": "河南省", "old": "2025-06-30", "new": "2025-07-15"},
        ),
    ],
)
def test_events_recorded_by_the_rest_of_the_program_read_back(
    any_engine: Engine, kind: AuditKind, detail: dict
) -> None:
    record_audit(any_engine, kind=kind, actor="henan", detail=detail, client=CLIENT, now=T0)

    assert _events(read_audit(any_engine)) == [(kind, "henan", CLIENT, detail)]


def test_since_is_a_beijing_day_and_the_table_speaks_chinese(engine: Engine) -> None:
    beijing_midnight = dt.datetime(2025, 12, 1, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    for moment in (beijing_midnight - dt.timedelta(seconds=1), beijing_midnight):
        record_audit(engine, kind=AuditKind.REVERT, actor="admin", detail={"upload_id": 1}, now=moment)

    frame = read_audit(engine, since=dt.date(2025, 12, 1))
    table = audit_table(frame)

    assert len(frame) == 1
    assert list(table.columns) == ["时间（北京时间）", "操作人", "来源地址", "操作", "内容"]
    assert table.iloc[0].tolist()[:2] == ["2025-12-01 00:00:00", "admin"]
    assert table.iloc[0]["操作"] == "撤销上传"


def test_records_are_never_updated_or_deleted_by_the_application(engine: Engine) -> None:
    record_audit(engine, kind=AuditKind.SIGN_OUT, actor="li", detail={}, now=T0)

    with Session(engine) as session:
        record = session.execute(select(AuditRecord)).scalar_one()
        record.actor = "someone else"
        with pytest.raises(RuntimeError, match="只能新增"):
            session.flush()
        session.rollback()
        session.delete(session.execute(select(AuditRecord)).scalar_one())
        with pytest.raises(RuntimeError, match="只能新增"):
            session.flush()

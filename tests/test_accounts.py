"""Users, passwords, sign-in with lockout and sessions with idle expiry (spec/accounts.md: Signing in)."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, select, update

from core.accounts.passwords import renewed_hash
from core.accounts.roles import (
    AccountDisabled,
    DuplicateUser,
    InvalidUser,
    LockedOut,
    Role,
    SessionExpired,
    WrongCredentials,
)
from core.accounts.signin import authenticate, end_session, start_session, touch_session
from core.accounts.users import disable_user, list_users, set_password
from core.db import make_engine
from core.models import User
from tests.accounts_helpers import PASSWORD, T0, fast_hashes, make_user  # noqa: F401  (fixture)
from tests.factories import make_institution, store_rows


def _stored_hash(engine: Engine, name: str) -> str:
    with engine.connect() as connection:
        return connection.execute(select(User.password_hash).where(User.name == name)).scalar_one()


def _fail(engine: Engine, name: str, times: int, start: dt.datetime) -> None:
    for second in range(times):
        with pytest.raises(WrongCredentials):
            authenticate(
                engine, name=name, password="wrong password", now=start + dt.timedelta(seconds=second)
            )


@pytest.mark.real_hashes
def test_passwords_are_stored_as_argon2id_hashes_with_rfc_9106_parameters(engine: Engine) -> None:
    make_user(engine)

    stored = _stored_hash(engine, "zhang")

    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PASSWORD not in stored


def test_a_right_password_signs_in_and_a_wrong_one_is_refused(engine: Engine) -> None:
    make_user(engine, name="li", role="province", province="河南")

    account = authenticate(engine, name=" li ", password=PASSWORD, client="10.0.0.8", now=T0)

    assert (account.name, account.role, account.province) == ("li", Role.PROVINCE, "河南省")
    with pytest.raises(WrongCredentials, match="^用户名或密码错误$"):
        authenticate(engine, name="li", password="not it at all", now=T0)
    with pytest.raises(WrongCredentials, match="^用户名或密码错误$"):
        authenticate(engine, name="nobody", password=PASSWORD, now=T0)


def test_a_hash_made_with_older_parameters_is_renewed_at_sign_in(engine: Engine) -> None:
    make_user(engine)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    with engine.begin() as connection:
        connection.execute(update(User).values(password_hash=weak))

    authenticate(engine, name="zhang", password=PASSWORD, now=T0)

    renewed = _stored_hash(engine, "zhang")
    assert renewed != weak
    assert renewed_hash(renewed, PASSWORD) is None


def test_five_failures_in_15_minutes_lock_the_name_without_checking_the_password(any_engine: Engine) -> None:
    make_user(any_engine)
    make_user(any_engine, name="wang")
    _fail(any_engine, "zhang", 5, T0)

    with pytest.raises(LockedOut, match="^尝试次数过多，请 15 分钟后再试$"):
        authenticate(any_engine, name="zhang", password=PASSWORD, now=T0 + dt.timedelta(minutes=10))
    # another name is not locked
    assert (
        authenticate(any_engine, name="wang", password=PASSWORD, now=T0 + dt.timedelta(minutes=10)).name
        == "wang"
    )
    # 15 minutes after the failures the lock is lifted
    lifted = authenticate(
        any_engine, name="zhang", password=PASSWORD, now=T0 + dt.timedelta(minutes=15, seconds=5)
    )
    assert lifted.name == "zhang"


def test_failures_spread_over_more_than_15_minutes_or_before_a_success_do_not_lock(
    any_engine: Engine,
) -> None:
    make_user(any_engine)
    _fail(any_engine, "zhang", 4, T0)
    authenticate(any_engine, name="zhang", password=PASSWORD, now=T0 + dt.timedelta(minutes=1))
    _fail(any_engine, "zhang", 4, T0 + dt.timedelta(minutes=2))
    _fail(
        any_engine, "zhang", 1, T0 + dt.timedelta(minutes=17, seconds=1)
    )  # the first 4 of these are old now

    assert (
        authenticate(any_engine, name="zhang", password=PASSWORD, now=T0 + dt.timedelta(minutes=18)).name
        == "zhang"
    )


def test_unknown_names_are_locked_too(engine: Engine) -> None:
    _fail(engine, "ghost", 5, T0)

    with pytest.raises(LockedOut):
        authenticate(engine, name="ghost", password=PASSWORD, now=T0 + dt.timedelta(minutes=1))


def test_a_disabled_user_cannot_sign_in_and_its_sessions_end(engine: Engine) -> None:
    account = make_user(engine)
    token = start_session(engine, account=account, now=T0)

    disable_user(engine, name="zhang", actor="测试", now=T0)

    with pytest.raises(AccountDisabled, match="已停用"):
        authenticate(engine, name="zhang", password=PASSWORD, now=T0)
    with pytest.raises(SessionExpired):
        touch_session(engine, token=token, now=T0 + dt.timedelta(minutes=1))


def test_a_session_lives_while_used_and_expires_after_8_hours_idle(any_engine: Engine) -> None:
    account = make_user(any_engine)
    token = start_session(any_engine, account=account, now=T0)

    assert touch_session(any_engine, token=token, now=T0 + dt.timedelta(hours=7, minutes=59)) == account
    assert touch_session(any_engine, token=token, now=T0 + dt.timedelta(hours=15, minutes=58)) == account
    with pytest.raises(SessionExpired, match="重新登录"):
        touch_session(any_engine, token=token, now=T0 + dt.timedelta(hours=24))
    with pytest.raises(SessionExpired):  # stays ended
        touch_session(any_engine, token=token, now=T0 + dt.timedelta(hours=24, minutes=1))


def test_sign_out_ends_the_session_and_a_new_password_ends_all(engine: Engine) -> None:
    account = make_user(engine)
    first = start_session(engine, account=account, now=T0)
    second = start_session(engine, account=account, now=T0)

    end_session(engine, token=first, now=T0)
    end_session(engine, token=first, now=T0)  # twice: nothing more happens

    with pytest.raises(SessionExpired):
        touch_session(engine, token=first, now=T0)
    assert touch_session(engine, token=second, now=T0) == account
    set_password(engine, name="zhang", password="another secret", actor="测试", now=T0)
    with pytest.raises(SessionExpired):
        touch_session(engine, token=second, now=T0)
    assert authenticate(engine, name="zhang", password="another secret", now=T0) == account
    with pytest.raises(SessionExpired):
        touch_session(engine, token="made-up", now=T0)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"role": "wizard"}, "未知角色 wizard"),  # case: unknown role
        ({"role": "province"}, "需要 --province"),  # case: province without its province
        ({"role": "viewer", "province": "火星"}, "无法识别的省份"),  # case: a province that is none
        ({"role": "institution"}, "需要 --institution"),  # case: institution without its code
        ({"role": "institution", "institution": "4141019999"}, "不在高校名录中"),  # case: unknown school
        ({"role": "admin", "province": "河南"}, "去掉 --province"),  # case: admin bound to a province
        ({"role": "province", "province": "河南", "institution": "4141010001"}, "去掉 --institution"),
        ({"password": "short"}, "至少 8 个字符"),  # case: too short a password
        ({"name": "   "}, "用户名不能为空"),  # case: blank name
    ],
)
def test_bad_user_data_is_refused_in_chinese(engine: Engine, overrides: dict[str, str], message: str) -> None:
    store_rows(engine, "institutions", [make_institution()])

    with pytest.raises(InvalidUser, match=message):
        make_user(engine, **overrides)

    assert list_users(engine) == []


def test_users_are_listed_with_their_place_and_a_name_is_taken_once(engine: Engine) -> None:
    store_rows(engine, "institutions", [make_institution(code="4141010001", province="河南省")])
    make_user(engine, name="admin")
    make_user(engine, name="henan", role="viewer", province="河南")
    make_user(engine, name="school", role="institution", institution="4141010001")

    with pytest.raises(DuplicateUser, match="已存在"):
        make_user(engine, name="henan")

    listed = [(a.name, a.role, a.province, a.institution_code) for a in list_users(engine)]
    assert listed == [
        ("admin", Role.ADMIN, None, None),
        ("henan", Role.VIEWER, "河南省", None),
        ("school", Role.INSTITUTION, "河南省", "4141010001"),
    ]


def test_the_lockout_and_sessions_hold_across_app_processes(engine: Engine, db_url: str) -> None:
    other_process = make_engine(db_url)  # its own connections, as a second server process has
    account = make_user(engine)
    token = start_session(engine, account=account, now=T0)
    _fail(engine, "zhang", 5, T0)

    with pytest.raises(LockedOut):
        authenticate(other_process, name="zhang", password=PASSWORD, now=T0 + dt.timedelta(minutes=1))
    assert touch_session(other_process, token=token, now=T0 + dt.timedelta(minutes=1)) == account
    end_session(other_process, token=token, now=T0 + dt.timedelta(minutes=2))
    with pytest.raises(SessionExpired):
        touch_session(engine, token=token, now=T0 + dt.timedelta(minutes=3))
    other_process.dispose()

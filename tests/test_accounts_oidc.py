"""Signing in through an OIDC provider (spec/accounts.md: Signing in — a second way in, users
matched by name): the claims Streamlit's st.user gives, matched to our users in core."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import Engine

from core.accounts.audit import AuditKind, read_audit
from core.accounts.oidc import OidcRefused, oidc_session
from core.accounts.roles import AccountDisabled
from core.accounts.signin import end_session, touch_session
from core.accounts.users import disable_user
from tests.accounts_helpers import fast_hashes, make_user  # noqa: F401 — cheap hashes for make_user

T0 = dt.datetime(2025, 11, 3, 1, 0, tzinfo=dt.UTC)
PROVIDER = {"iss": "https://sso.example.edu.cn", "aud": "platform", "iat": 1762131600, "exp": 1762135200}


def claims(name: str = "李老师", *, nonce: str = "n-1", **more: str) -> dict:
    return PROVIDER | {"sub": f"id-{name}", "name": name, "nonce": nonce} | more


def sign_ins(engine: Engine) -> list[tuple[str, str, dict]]:
    records = read_audit(engine)
    records = records[records["kind"].isin([AuditKind.SIGN_IN, AuditKind.SIGN_IN_FAILED])]
    return [
        (kind, actor, json.loads(detail))
        for kind, actor, detail in zip(records["kind"], records["actor"], records["detail"], strict=True)
    ]


def test_a_provider_sign_in_of_a_known_name_opens_a_session_recorded_as_oidc(engine: Engine) -> None:
    make_user(engine, name="李老师", role="province", province="河南省")

    token, account = oidc_session(engine, claims(), client="10.0.0.7", now=T0)

    assert (account.name, account.province) == ("李老师", "河南省")
    assert touch_session(engine, token=token, now=T0).name == "李老师"
    assert sign_ins(engine) == [(AuditKind.SIGN_IN, "李老师", {"method": "oidc", "claim": "name"})]


def test_a_reload_finds_the_same_session_until_it_is_idle_for_8_hours(engine: Engine) -> None:
    make_user(engine, name="李老师", role="viewer", province="河南省")
    token, _ = oidc_session(engine, claims(), now=T0)

    again, _ = oidc_session(engine, claims(), now=T0 + dt.timedelta(hours=7))  # F5: a new browser session

    assert again == token
    assert len(sign_ins(engine)) == 1  # not a second sign-in
    with pytest.raises(OidcRefused, match="重新通过统一身份认证登录"):
        oidc_session(engine, claims(), now=T0 + dt.timedelta(hours=15, minutes=1))


def test_after_sign_out_the_cookie_does_not_sign_in_again_but_a_new_provider_sign_in_does(
    engine: Engine,
) -> None:
    make_user(engine, name="李老师", role="admin")
    token, _ = oidc_session(engine, claims(), now=T0)
    end_session(engine, token=token, now=T0)

    with pytest.raises(OidcRefused, match="重新通过统一身份认证登录"):
        oidc_session(engine, claims(), now=T0)
    fresh, account = oidc_session(engine, claims(nonce="n-2"), now=T0)

    assert fresh != token and account.name == "李老师"


def test_an_unknown_name_is_refused_in_chinese_and_recorded(engine: Engine) -> None:
    make_user(engine, name="李老师", role="admin")

    with pytest.raises(OidcRefused, match="“王同学”在本平台没有对应的账号"):
        oidc_session(engine, claims("王同学"), now=T0)

    assert sign_ins(engine) == [
        (AuditKind.SIGN_IN_FAILED, "王同学", {"method": "oidc", "claim": "name", "reason": "无对应用户"})
    ]


def test_a_disabled_user_is_refused(engine: Engine) -> None:
    make_user(engine, name="李老师", role="admin")
    disable_user(engine, name="李老师", actor="测试")

    with pytest.raises(AccountDisabled):
        oidc_session(engine, claims(), now=T0)


def test_the_matching_claim_is_configurable_and_must_be_present(engine: Engine) -> None:
    make_user(engine, name="li.laoshi", role="admin")
    person = claims(preferred_username="li.laoshi")

    _, account = oidc_session(engine, person, claim="preferred_username", now=T0)

    assert account.name == "li.laoshi"
    with pytest.raises(OidcRefused, match="没有提供“email”"):
        oidc_session(engine, claims(nonce="n-3"), claim="email", now=T0)

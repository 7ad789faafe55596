"""Signing in through the organisation's OIDC provider (Streamlit's ``st.login``), the second way
in of spec/accounts.md: the person proves who they are to the provider, and is matched **by
name** to an enabled user of ours, who then has a session like one signed in with a password.

The provider's answer reaches the app as the claims of its ID token (``st.user``), which
Streamlit keeps in a signed, HttpOnly cookie. Each provider sign-in (one ID token: issuer,
subject, issued-at, nonce) gets exactly one session of ours, keyed by a hash of those claims:

- a reload of the page (F5) finds that same session, so the sign-in survives it;
- the session's 8-hour idle expiry and 退出登录 end it, and an ended session is never revived
  by the cookie: the person signs in at the provider again, which issues a new ID token.

Pure of Streamlit: the page passes ``st.user``'s claims as a mapping.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine, select
from sqlmodel import Session

from core.accounts.audit import AuditKind, append_audit, utc
from core.accounts.roles import Account, AccountDisabled, AccountError, SessionExpired
from core.accounts.signin import session_known, start_session, touch_session
from core.accounts.users import to_account
from core.models import User

DEFAULT_CLAIM = "name"  # the claim matched to our user names (secrets: [accounts] oidc_claim)
METHOD = "oidc"
LOGIN_CLAIMS = ("iss", "sub", "iat", "nonce")  # what makes one provider sign-in unique


class OidcRefused(AccountError):
    """The provider's person has no usable session here; the message says what to do."""


def login_token(claims: Mapping[str, Any]) -> str:
    """Our session token for one provider sign-in (never sent to the browser: the signed cookie
    is the proof, this only finds the session it started)."""
    if not claims.get("sub"):
        raise OidcRefused(
            "统一身份认证没有返回用户标识，无法登录；请改用用户名和密码登录，或联系系统管理员。"
        )
    material = json.dumps([str(claims.get(key, "")) for key in LOGIN_CLAIMS], ensure_ascii=False)
    return f"{METHOD}-" + hashlib.sha256(material.encode("utf-8")).hexdigest()


def matched_name(claims: Mapping[str, Any], claim: str = DEFAULT_CLAIM) -> str:
    """The user name the provider's ``claim`` names (trimmed)."""
    name = str(claims.get(claim) or "").strip()
    if not name:
        raise OidcRefused(
            f"统一身份认证没有提供“{claim}”信息，无法对应本平台用户；请联系系统管理员，或改用用户名和密码登录。"
        )
    return name


def _matched_account(engine: Engine, name: str, claim: str, client: str | None, at: dt.datetime) -> Account:
    """The enabled user called ``name``; the sign-in (or its refusal) is in the audit log."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        user = session.execute(select(User).where(User.name == name)).scalar_one_or_none()
        reason = "无对应用户" if user is None else "账号已停用" if user.disabled else None
        kind = AuditKind.SIGN_IN_FAILED if reason else AuditKind.SIGN_IN
        detail = {"method": METHOD, "claim": claim} | ({"reason": reason} if reason else {})
        append_audit(session, kind=kind, actor=name, detail=detail, client=client, at=at)
    if user is None:
        raise OidcRefused(
            f"统一身份认证的用户“{name}”在本平台没有对应的账号；请联系系统管理员开通同名账号，或改用用户名和密码登录。"
        )
    if user.disabled:
        raise AccountDisabled()
    return to_account(user)


def oidc_session(
    engine: Engine,
    claims: Mapping[str, Any],
    *,
    claim: str = DEFAULT_CLAIM,
    client: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[str, Account]:
    """(token, account) of the session for the provider sign-in ``claims`` describe: the live one
    it started, or a new one (matched by ``claim``, recorded as a sign-in with method oidc).
    OidcRefused when that sign-in's session has ended (sign-out, idle) or nobody matches."""
    token = login_token(claims)
    try:
        return token, touch_session(engine, token=token, now=now)
    except SessionExpired:
        if session_known(engine, token):
            raise OidcRefused("登录已超时或已退出，请重新通过统一身份认证登录。") from None
    at = utc(now)
    account = _matched_account(engine, matched_name(claims, claim), claim, client, at)
    return start_session(engine, account=account, client=client, now=at, token=token), account

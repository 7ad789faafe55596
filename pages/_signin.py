"""The sign-in form (spec/accounts.md: Signing in) and 退出登录. Not a page: app.py shows the
form instead of any page until the visitor has signed in.

With an ``[auth]`` section in ``.streamlit/secrets.toml`` the form also offers the
organisation's OIDC provider (st.login); the matching is core.accounts.oidc's."""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from core.accounts.oidc import DEFAULT_CLAIM, oidc_session
from core.accounts.roles import Account, AccountError
from core.accounts.signin import authenticate, end_session, start_session
from core.accounts.users import any_user
from pages._shared import ACCOUNT_KEY, TOKEN_KEY, client_address, get_engine

NO_USER_HINT = (
    "还没有任何用户。请在服务器上新建管理员：python -m core.cli user add 用户名 --role admin "
    "--password-stdin（示例数据可用 make run 创建示例账号，见 README）。"
)


OIDC_REFUSED_KEY = "oidc_refused"  # this browser session's provider sign-in was refused: why


def _signed_in(token: str, account: Account) -> None:
    st.session_state[TOKEN_KEY] = token
    st.session_state[ACCOUNT_KEY] = account
    st.rerun()


def _sign_in(name: str, password: str) -> None:
    engine, client = get_engine(), client_address()
    try:
        account = authenticate(engine, name=name, password=password, client=client)
    except AccountError as refused:
        st.error(refused.message)
        return
    _signed_in(start_session(engine, account=account, client=client), account)


def _secrets_section(name: str) -> Any:
    try:
        return st.secrets.get(name)
    except StreamlitSecretNotFoundError:  # no secrets.toml at all
        return None


def oidc_claim() -> str | None:
    """The claim users are matched by when an OIDC provider is configured (secrets [auth]; the
    claim: [accounts] oidc_claim, by default name); None without one."""
    if not _secrets_section("auth"):
        return None
    return (_secrets_section("accounts") or {}).get("oidc_claim", DEFAULT_CLAIM)


def _oidc_sign_in(claim: str) -> None:
    """The provider has signed the person in (st.user): our session for that sign-in, once per
    browser session (a refusal is shown, not retried and recorded on every rerun)."""
    if not st.user.is_logged_in or OIDC_REFUSED_KEY in st.session_state:
        return
    try:
        token, account = oidc_session(get_engine(), st.user.to_dict(), claim=claim, client=client_address())
    except AccountError as refused:
        st.session_state[OIDC_REFUSED_KEY] = refused.message
        return
    _signed_in(token, account)


def sign_in_form() -> None:
    """The form, and nothing else of the app."""
    st.title("高校思政工作监测平台")
    claim = oidc_claim()
    if claim:
        _oidc_sign_in(claim)
    with st.form("sign_in_form"):
        name = st.text_input("用户名", key="sign_in_name")
        password = st.text_input("密码", type="password", key="sign_in_password")
        submitted = st.form_submit_button("登录", type="primary")
    if submitted:
        _sign_in(name, password)
    elif not any_user(get_engine()):
        st.info(NO_USER_HINT)
    if claim:
        if refused := st.session_state.get(OIDC_REFUSED_KEY):
            st.error(refused)
        if st.button("使用单位统一身份认证登录", key="sign_in_oidc", icon=":material/badge:"):
            st.login()  # to the provider; it comes back as a new browser session


def sign_out_button() -> None:
    """退出登录 in the sidebar: the session ends (recorded), nothing of it stays in the browser
    session (filters, an upload being checked …) and the form shows again."""
    if st.sidebar.button("退出登录", key="sign_out", icon=":material/logout:"):
        token = st.session_state.get(TOKEN_KEY)
        if token:
            end_session(get_engine(), token=token, client=client_address())
        st.session_state.clear()
        st.session_state[ACCOUNT_KEY] = None
        if oidc_claim() and st.user.is_logged_in:
            st.logout()  # the provider's cookie goes too (its session here has ended anyway)
        st.rerun()

"""The sign-in form (spec/accounts.md: Signing in) and 退出登录. Not a page: app.py shows the
form instead of any page until the visitor has signed in."""

from __future__ import annotations

import streamlit as st

from core.accounts.roles import AccountError
from core.accounts.signin import authenticate, end_session, start_session
from core.accounts.users import any_user
from pages._shared import ACCOUNT_KEY, TOKEN_KEY, client_address, get_engine

NO_USER_HINT = (
    "还没有任何用户。请在服务器上新建管理员：python -m core.cli user add 用户名 --role admin "
    "--password-stdin（示例数据可用 make run 创建示例账号，见 README）。"
)


def _sign_in(name: str, password: str) -> None:
    engine, client = get_engine(), client_address()
    try:
        account = authenticate(engine, name=name, password=password, client=client)
    except AccountError as refused:
        st.error(refused.message)
        return
    st.session_state[TOKEN_KEY] = start_session(engine, account=account, client=client)
    st.session_state[ACCOUNT_KEY] = account
    st.rerun()


def sign_in_form() -> None:
    """The form, and nothing else of the app."""
    st.title("高校思政工作监测平台")
    with st.form("sign_in_form"):
        name = st.text_input("用户名", key="sign_in_name")
        password = st.text_input("密码", type="password", key="sign_in_password")
        submitted = st.form_submit_button("登录", type="primary")
    if submitted:
        _sign_in(name, password)
    elif not any_user(get_engine()):
        st.info(NO_USER_HINT)


def sign_out_button() -> None:
    """退出登录 in the sidebar: the session ends (recorded), nothing of it stays in the browser
    session (filters, an upload being checked …) and the form shows again."""
    if st.sidebar.button("退出登录", key="sign_out", icon=":material/logout:"):
        token = st.session_state.get(TOKEN_KEY)
        if token:
            end_session(get_engine(), token=token, client=client_address())
        st.session_state.clear()
        st.session_state[ACCOUNT_KEY] = None
        st.rerun()

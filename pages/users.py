"""用户管理 (系统管理员): list users, add one, reset a password, disable one. Every change goes
through core.accounts.users (checked there, recorded in the audit log)."""

from __future__ import annotations

import streamlit as st

from core.accounts.roles import ROLE_LABELS, AccountError, Role
from core.accounts.users import add_user, disable_user, list_users, set_password, users_table
from core.forms import PROVINCES
from pages._shared import client_address, get_engine, require_page

FLASH_KEY = "users_flash"

account = require_page("pages/users.py")  # 系统管理员 only
engine = get_engine()
actor = {"actor": account.name, "client": client_address()}
st.title("用户管理")
st.caption("密码至少 8 个字符，只以 Argon2id 哈希保存。修改密码或停用后，该用户已登录的会话随即退出。")
if flash := st.session_state.pop(FLASH_KEY, None):
    st.success(flash, icon=":material/check_circle:")


def done(message: str) -> None:
    st.session_state[FLASH_KEY] = message
    st.rerun()


accounts = list_users(engine)
st.dataframe(users_table(accounts), hide_index=True, width="stretch")
names = [user.name for user in accounts]

add, passwd, disable = st.tabs(["新建用户", "重置密码", "停用用户"])
with add, st.form("user_add_form", clear_on_submit=True):
    name = st.text_input("用户名", key="user_add_name")
    role = st.selectbox("角色", list(Role), format_func=ROLE_LABELS.get, key="user_add_role")
    province = st.selectbox(
        "省份（省级管理员、省级查看必填）",
        [None, *PROVINCES],
        format_func=lambda p: p or "—",
        key="user_add_province",
    )
    institution = st.text_input("学校标识码（校级填报必填）", key="user_add_institution")
    password = st.text_input("初始密码", type="password", key="user_add_password")
    if st.form_submit_button("新建", type="primary"):
        try:
            created = add_user(
                engine, name=name, role=role, password=password, province=province,
                institution=institution.strip() or None, **actor,
            )  # fmt: skip
        except AccountError as refused:
            st.error(refused.message)
        else:
            done(f"已新建用户 {created.name}（{created.role_label}）")
with passwd, st.form("user_passwd_form", clear_on_submit=True):
    chosen = st.selectbox("用户", names, key="user_passwd_name")
    new_password = st.text_input("新密码", type="password", key="user_passwd_password")
    if st.form_submit_button("重置密码", type="primary"):
        try:
            set_password(engine, name=chosen or "", password=new_password, **actor)
        except AccountError as refused:
            st.error(refused.message)
        else:
            done(f"已重置用户 {chosen} 的密码，其已登录的会话已退出")
with disable, st.form("user_disable_form"):
    active = [user.name for user in accounts if not user.disabled and user.name != account.name]
    target = st.selectbox("用户（不能停用自己）", active, key="user_disable_name")
    confirmed = st.checkbox("确认停用：该用户将不能再登录", key="user_disable_confirm")
    if st.form_submit_button("停用", type="primary", disabled=not active):
        if not confirmed or target is None:
            st.error("请先勾选确认，再停用。")
        else:
            disable_user(engine, name=target, **actor)
            done(f"已停用用户 {target}")

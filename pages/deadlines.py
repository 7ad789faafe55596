"""报送截止日期: the deadline of each reporting period (defaults from core.deadlines, editable)."""

from __future__ import annotations

import streamlit as st

from core.accounts.limits import Setting, may_change_settings
from core.accounts.roles import Role
from core.accounts.settings import NATIONAL, change_deadlines
from core.deadlines import Period, deadline_table, default_deadline, periods_of_year
from core.queries.base import filter_choices
from core.scope import Scope
from core.seasons import season_choices
from core.settings_store import load_deadlines
from core.text import md_escape
from pages._shared import (
    app_settings,
    cached,
    clear_cached_reads,
    client_address,
    current_scope,
    get_engine,
    require_page,
    table,
)

account = require_page("pages/deadlines.py")
engine = get_engine()
scope = current_scope()
today = app_settings().today()

st.title("报送截止日期")
st.caption(
    "各期报表的截止日期决定“报送情况”页的按时 / 逾期判断。默认：队伍配备为学年第一年的 11 月 30 日，"
    "心理筛查秋季学期为 12 月 31 日，春季学期为次年 6 月 30 日；重点项目随进展报送，不设截止日期。"
    "系统管理员设置全国截止日期，也可为某省单独设置；省级管理员可为本省单独设置。"
    "某省未单独设置的期次按全国截止日期。"
)

MESSAGE_KEY = "deadlines_message"


def widget_key(period: Period, province: str | None) -> str:
    return f"deadline_{period.setting_key(province)}"


def save(periods: list[Period], province: str | None) -> None:
    days = {period: st.session_state[widget_key(period, province)] for period in periods}
    change_deadlines(engine, account, days, province=province, client=client_address())
    clear_cached_reads()
    st.session_state[MESSAGE_KEY] = (
        f"{province or NATIONAL} {periods[0].year} 学年的截止日期已保存，报送情况页将按新日期判断。"
    )


def reset(periods: list[Period], province: str | None) -> None:
    change_deadlines(engine, account, dict.fromkeys(periods), province=province, client=client_address())
    for period in periods:
        st.session_state.pop(widget_key(period, province), None)  # the date field shows the fallback again
    clear_cached_reads()
    fallback = "全国截止日期" if province else "默认"
    st.session_state[MESSAGE_KEY] = (
        f"{province or NATIONAL} {periods[0].year} 学年的截止日期已恢复为{fallback}。"
    )


def area_choice() -> str | None:
    """Whose deadlines the page shows: an administrator chooses 全国 or a province; a province's
    users see their province's (read-only for a viewer)."""
    if account.role != Role.ADMIN:
        return account.province
    provinces = cached(filter_choices, Scope())[1]
    chosen = st.selectbox("适用范围", [NATIONAL, *provinces], key="deadlines_area")
    return None if chosen == NATIONAL else chosen


seasons = cached(season_choices, Scope(), today)  # the sidebar's read: cached, not ~18 ms a rerun
years = seasons.years
default_year = scope.year if scope.year in years else seasons.default
year = st.selectbox("学年", years, index=years.index(default_year), key="deadlines_year")
province = area_choice()
may_change = may_change_settings(account, Setting.DEADLINES, province)
periods = periods_of_year(year)
in_force = load_deadlines(engine, periods, province)
national = load_deadlines(engine, periods)

with st.form("deadlines_form"):
    for period in periods:
        fallback = (
            f"全国 {national[period].isoformat()}"
            if province
            else f"默认 {default_deadline(period).isoformat()}"
        )
        st.date_input(
            period.label(),
            value=in_force[period],
            format="YYYY-MM-DD",
            key=widget_key(period, province),
            help=f"未单独设置时：{fallback}",
            disabled=not may_change,
        )
    save_column, reset_column = st.columns(2)
    save_column.form_submit_button(
        "保存", type="primary", on_click=save, args=(periods, province), disabled=not may_change
    )
    reset_label = "恢复为全国截止日期" if province else "恢复默认"
    reset_column.form_submit_button(
        reset_label, on_click=reset, args=(periods, province), disabled=not may_change
    )
if message := st.session_state.pop(MESSAGE_KEY, None):
    st.success(md_escape(message))  # names a province from the 高校名录

st.subheader(f"各学年截止日期（{md_escape(province or NATIONAL)}）")
deadlines = load_deadlines(engine, [period for year in years for period in periods_of_year(year)], province)
table(deadline_table(deadlines), "报送截止日期", scope.all_years(), key="deadlines_csv")

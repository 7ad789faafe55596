"""报送截止日期: the deadline of each reporting period (defaults from core.deadlines, editable)."""

from __future__ import annotations

import streamlit as st

from core.accounts.limits import Setting, may_change_settings
from core.accounts.settings import change_deadlines
from core.deadlines import Period, deadline_table, default_deadline, periods_of_year
from core.scope import Scope
from core.seasons import season_choices
from core.settings_store import load_deadlines
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
may_change = may_change_settings(account, Setting.DEADLINES)
engine = get_engine()
scope = current_scope()
today = app_settings().today()

st.title("报送截止日期")
st.caption(
    "各期报表的截止日期决定“报送情况”页的按时 / 逾期判断。默认：队伍配备为学年第一年的 11 月 30 日，"
    "心理筛查秋季学期为 12 月 31 日，春季学期为次年 6 月 30 日；重点项目随进展报送，不设截止日期。"
    "截止日期对所有省份相同，仅系统管理员可修改。"
)

MESSAGE_KEY = "deadlines_message"


def widget_key(period: Period) -> str:
    return f"deadline_{period.setting_key()}"


def save(periods: list[Period]) -> None:
    days = {period: st.session_state[widget_key(period)] for period in periods}
    change_deadlines(engine, account, days, client=client_address())
    clear_cached_reads()
    st.session_state[MESSAGE_KEY] = f"{periods[0].year} 学年的截止日期已保存，报送情况页将按新日期判断。"


def reset(periods: list[Period]) -> None:
    change_deadlines(engine, account, dict.fromkeys(periods), client=client_address())
    for period in periods:
        st.session_state.pop(widget_key(period), None)  # the date field shows the default again
    clear_cached_reads()
    st.session_state[MESSAGE_KEY] = f"{periods[0].year} 学年的截止日期已恢复默认。"


seasons = cached(season_choices, Scope(), today)  # the sidebar's read: cached, not ~18 ms a rerun
years = seasons.years
default_year = scope.year if scope.year in years else seasons.default
year = st.selectbox("学年", years, index=years.index(default_year), key="deadlines_year")
periods = periods_of_year(year)
in_force = load_deadlines(engine, periods)

with st.form("deadlines_form"):
    for period in periods:
        st.date_input(
            period.label(),
            value=in_force[period],
            format="YYYY-MM-DD",
            key=widget_key(period),
            help=f"默认 {default_deadline(period).isoformat()}",
            disabled=not may_change,
        )
    save_column, reset_column = st.columns(2)
    save_column.form_submit_button(
        "保存", type="primary", on_click=save, args=(periods,), disabled=not may_change
    )
    reset_column.form_submit_button("恢复默认", on_click=reset, args=(periods,), disabled=not may_change)
if message := st.session_state.pop(MESSAGE_KEY, None):
    st.success(message)

st.subheader("各学年截止日期")
deadlines = load_deadlines(engine, [period for year in years for period in periods_of_year(year)])
table(deadline_table(deadlines), "报送截止日期", scope.all_years(), key="deadlines_csv")

"""发起督办 under a 督办名单: a ``province`` (or ``admin``) account opens a case for one 未达标 row.
Not a page itself; the staffing page draws it (core.review.cases.open_case does the work)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from core.accounts.roles import Role
from core.review.cases import open_case
from core.review.evidence import NotFound, staffing_finding
from core.review.submissions import ReviewRefused
from core.standards import Standards
from pages._shared import app_settings, current_account, get_engine

DEFAULT_WEEKS = 12  # 限期整改: the deadline offered by default


def open_staffing_case(supervision: pd.DataFrame, standards: Standards, year: str | None) -> None:
    """A form under 督办名单 (its rows: 学校标识码, 学校名称, 未达标指标) to open a case on one row."""
    account = current_account()
    if account is None or account.role not in (Role.ADMIN, Role.PROVINCE) or supervision.empty:
        return
    with st.expander("发起督办", icon=":material/assignment_late:"):
        if not year:
            st.caption("请先在侧栏选择学年，再对该学年未达标的学校发起督办。")
            return
        names = dict(zip(supervision["学校标识码"], supervision["学校名称"], strict=True))
        failing = dict(zip(supervision["学校标识码"], supervision["未达标指标"], strict=True))
        code = st.selectbox(
            "学校", list(names), format_func=lambda each: f"{names[each]}（{each}）", key="case_code"
        )
        keys = [standard.key for standard in standards if standard.label in failing[code].split("、")]
        key = st.selectbox(
            "督办指标", keys, format_func=lambda each: standards.by_key(each).label, key="case_key"
        )
        today = app_settings().today()
        deadline = st.date_input(
            "整改期限", value=today + dt.timedelta(weeks=DEFAULT_WEEKS), key="case_deadline"
        )
        note = st.text_area(
            "督办说明", key="case_note", placeholder="如：请于期限内补齐专职辅导员并报送整改情况"
        )
        if st.button("发起督办", type="primary", key="case_open"):
            try:
                finding = staffing_finding(get_engine(), code, year, key)
                case_id = open_case(get_engine(), finding, deadline=deadline, note=note, account=account)
            except (NotFound, ReviewRefused) as problem:
                st.error(getattr(problem, "message", str(problem)))
                return
            st.success(f"已发起督办（第 {case_id} 号）：{names[code]} · {finding.indicator_label}")
            st.page_link("pages/cases.py", label="查看督办", icon=":material/assignment_late:")

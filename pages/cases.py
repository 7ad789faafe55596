"""督办: the province's case list (filters, 存量/增量, burndown, CSV, one case's 督办单 and 销号);
an institution's own cases and its reply (measures, expected date)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from core.accounts.roles import Account, Role
from core.charts.cases import burndown_chart
from core.review.casebook import notice_file_name, notice_workbook
from core.review.cases import CLOSED, STATUSES, case_events, close_case, record_export, reply
from core.review.submissions import ReviewRefused
from core.text import md_escape
from core.views import cases as views
from pages._charts import chart
from pages._shared import app_settings, current_scope, get_engine, require_page, table

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALL = "全部"
T = TypeVar("T")


def exported(content: T, what: str, rows: int) -> T:
    """``content`` (a file being downloaded), after its export is in the audit log."""
    record_export(get_engine(), what=what, rows=rows, scope=scope, actor=account.name)
    return content


def act(action: Callable[..., None], done: str, **options: Any) -> None:
    """Run a step of core.review.cases; its refusal as an error, its success after a rerun."""
    try:
        action(get_engine(), **options)
    except ReviewRefused as refused:
        st.error(refused.message)
        return
    st.session_state["cases_done"] = done
    st.rerun()


def reply_form(case: pd.Series, account: Account) -> None:
    with st.form("case_reply"):
        measures = st.text_area(
            "整改措施",
            value=case["measures"] or "",
            placeholder="已采取和将采取的整改措施",
            key="case_measures",
        )
        expected = st.date_input(
            "预计完成日期", value=case["expected_date"] or case["deadline"], key="case_expected"
        )
        if st.form_submit_button("提交反馈", type="primary", key="case_reply_submit"):
            act(
                reply, "已提交反馈", case_id=int(case["id"]), measures=measures,
                expected_date=expected, account=account,
            )  # fmt: skip


def one_case(case: pd.Series, account: Account, today: dt.date) -> None:
    """One case: names, values, the standard's source, the evidence (a file name) and the reply come
    from files, definitions and users, so they are shown as text."""
    shown = {name: md_escape(case[name]) for name in ("institution_name", "indicator_label", "subject")}
    st.markdown(
        f"**{shown['institution_name']}** · {shown['indicator_label']}（{shown['subject']}） · "
        f"**{case['shown_status']}** · 整改期限 {case['deadline'].isoformat()}"
    )
    st.markdown(
        f"督办时数值：{md_escape(case['value'])}　标准：{md_escape(case['standard'])}"
        f"（依据：{md_escape(case['standard_source'])}）"
    )
    if case["met"]:
        st.success(f"{case['met']}：{md_escape(case['evidence'])}", icon=":material/verified:")
    if case["measures"]:
        st.info(f"学校反馈：{md_escape(case['measures'])}（预计完成 {case['expected_date']}）")
    st.download_button(
        "下载督办单（.xlsx）",
        data=lambda: exported(notice_workbook(case, today), f"督办单 第 {int(case['id'])} 号", 1),
        file_name=notice_file_name(case),
        mime=XLSX_MIME,
        key="case_notice",
        on_click="ignore",
        icon=":material/download:",
    )
    if account.role == Role.INSTITUTION and case["status"] != CLOSED:
        reply_form(case, account)
    if account.role in (Role.ADMIN, Role.PROVINCE) and case["status"] != CLOSED:
        if st.button("销号", type="primary", key="case_close", icon=":material/task_alt:"):
            act(close_case, "已销号", case_id=int(case["id"]), account=account)
    with st.expander("办理记录"):
        st.dataframe(case_events(get_engine(), int(case["id"])), hide_index=True, width="stretch")


st.title("督办")
account = require_page()  # signed in (the sign-in form otherwise)
scope = current_scope()  # the sidebar's choice within the account's limits
today = app_settings().today()
if done := st.session_state.pop("cases_done", None):
    st.success(done)
st.caption(
    f"范围：{scope.describe()}（学年不限）；在“辅导员配备”“心理筛查”“项目进度”“专项指标”页的未达标名单下可发起督办。"
)
labels = views.indicator_labels(get_engine())
left, right = st.columns(2)
status = left.selectbox("状态", [ALL, *STATUSES], key="cases_status")
indicator = right.selectbox(
    "督办指标", [ALL, *labels], format_func=lambda key: labels.get(key, key), key="cases_indicator"
)
page = views.cases_page(
    get_engine(),
    scope,
    today,
    status=None if status == ALL else status,
    indicator=None if indicator == ALL else indicator,
)
for tile, (label, value) in zip(st.columns(len(page.counts)), page.counts.items(), strict=True):
    tile.metric(label, f"{value:,}", border=True)
if not page.burndown.empty:
    chart(burndown_chart, page.burndown)
table(
    page.table,
    "督办事项",
    scope,
    key="cases_csv",
    build=lambda: exported(page.table, "督办事项", len(page.table)),
)
if page.cases.empty:
    st.stop()
chosen = st.selectbox(
    "查看督办事项", list(page.cases["id"]), format_func=lambda each: f"第 {each} 号", key="case_chosen"
)
one_case(page.cases.set_index("id", drop=False).loc[chosen], account, today)

"""报送审核: uploads by institutions wait here for the province — what each would change (cell by
cell, 原值 is the value in force), approve or return with a comment. An institution sees its own
uploads with their status and the reviewer's comment. The province may reopen a closed period."""

from __future__ import annotations

import streamlit as st

from core.accounts.roles import Account, Role
from core.deadlines import FORM_LABELS, Period
from core.formatting import count_text
from core.forms import TERMS
from core.review.periods import reopen_period
from core.review.submissions import PENDING, STATUSES, ReviewRefused, approve, return_submission
from core.scope import Scope
from core.text import md_escape
from core.views import review as views
from pages._shared import clear_cached_reads, current_scope, get_engine, message_table, require_page, table

ALL = "全部"


def decide(submission_id: int, account: Account) -> None:
    comment = st.text_area("审核意见", key="review_comment", placeholder="退回时必填：请写明需要修改的地方")
    approve_column, return_column = st.columns(2)
    try:
        if approve_column.button("通过并入库", type="primary", key="review_approve", icon=":material/done:"):
            report = approve(
                get_engine(), submission_id, actor=account.name, reviewer=account, comment=comment
            )
            st.session_state["review_done"] = (
                f"已通过第 {submission_id} 号报送：新增 {report.inserted}，更新 {report.updated}"
            )
        elif return_column.button("退回", key="review_return", icon=":material/undo:"):
            return_submission(
                get_engine(), submission_id, actor=account.name, reviewer=account, comment=comment
            )
            st.session_state["review_done"] = f"已退回第 {submission_id} 号报送"
        else:
            return
    except ReviewRefused as refused:
        st.error(refused.message)
        return
    clear_cached_reads()
    st.rerun()


def show_submission(submission_id: int, account: Account, scope: Scope) -> None:
    try:
        shown = views.submission_preview(get_engine(), scope, submission_id)
    except ReviewRefused as refused:
        st.error(refused.message)
        return
    st.subheader(f"第 {submission_id} 号报送：{shown.status}")
    if shown.comment:
        st.info(f"审核意见：{md_escape(shown.comment)}")
    inserted, updated, unchanged = st.columns(3)
    inserted.metric("新增", count_text(shown.plan.inserted))
    updated.metric("更新", count_text(shown.plan.updated))
    unchanged.metric("未变", count_text(shown.plan.unchanged))
    if not shown.changes.empty:
        st.caption("通过后将被修改的单元格（原值为现行数据 → 新值）")
        message_table(shown.changes, f"报送{submission_id}_变更明细", scope, key="csv_review_changes")
    if shown.status == PENDING and account.role in (Role.ADMIN, Role.PROVINCE):
        decide(submission_id, account)


def reopen_form(account: Account, scope: Scope) -> None:
    with st.expander("重新开放报送期次（截止后允许某校补报）", icon=":material/lock_open:"):
        code = st.text_input("学校标识码", key="reopen_code")
        form = st.selectbox("报表", list(FORM_LABELS), format_func=FORM_LABELS.get, key="reopen_form")
        year = st.text_input("学年", value=scope.year or "", key="reopen_year", placeholder="如 2025-2026")
        term = st.selectbox(
            "学期", [None, *TERMS], format_func=lambda t: t or "全学年/不分学期", key="reopen_term"
        )
        note = st.text_input("说明", key="reopen_note")
        if st.button("重新开放", key="reopen_button"):
            try:
                period = Period(form, year.strip(), term if form == "screening" else None)
                reopen_period(get_engine(), period, code.strip(), account=account, note=note or None)
            except ValueError as problem:
                st.error(str(problem))
            except ReviewRefused as refused:
                st.error(refused.message)
            else:
                st.success(f"已为学校 {md_escape(code.strip())} 重新开放 {period.label()}")


st.title("报送审核")
account = require_page()  # signed in (the sign-in form otherwise)
scope = current_scope()  # the sidebar's choice within the account's limits
if done := st.session_state.pop("review_done", None):
    st.success(done)
st.caption("学校账号上传的数据须经省级管理员审核通过后才计入各页统计和导出；退回的报送附有审核意见。")
status = st.segmented_control(
    "状态",
    [*STATUSES, ALL],
    default=PENDING,
    key="review_status",
)
listed = views.submissions_table(get_engine(), scope, None if status in (None, ALL) else status)
table(listed, "报送审核", scope, key="review_list_csv")
if listed.empty:
    st.stop()
chosen = st.selectbox(
    "查看报送", list(listed["编号"]), format_func=lambda each: f"第 {each} 号", key="review_chosen"
)
show_submission(int(chosen), account, scope)
if account.role in (Role.ADMIN, Role.PROVINCE):
    reopen_form(account, scope)

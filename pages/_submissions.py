"""Uploads not counted yet — waiting for review or returned — beside the values in force: drawn
on 上传记录 and 学校画像 for the signed-in account (its limits). Not a page itself."""

from __future__ import annotations

import streamlit as st

from core.accounts.limits import effective_scope, limits_for
from core.review.submissions import APPROVED
from core.scope import Scope
from core.views.review import submissions_table
from pages._shared import current_account, get_engine, link_to, table


def unapproved_submissions(scope: Scope, *, key: str) -> None:
    """The account's submissions inside ``scope`` that are 待审核 or 已退回, with the reviewer's comment."""
    account = current_account()
    if account is None:
        return
    frame = submissions_table(get_engine(), effective_scope(scope, limits_for(account)))
    frame = frame[frame["状态"] != APPROVED].reset_index(drop=True)
    if frame.empty:
        return
    st.subheader("待审核与已退回的报送")
    st.caption("这些上传尚未计入统计和导出；已退回的请按审核意见修改后重新上传。")
    table(frame, "待审核与已退回的报送", scope, key=key)
    link_to("pages/review.py")

"""审计日志 (系统管理员): who did what, when, from where; filters and CSV. Read only: the
application never changes or deletes a record."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from core.accounts.audit import AUDIT_KIND_LABELS, AuditKind, audit_table, read_audit
from core.config import LOCAL_TIME
from core.scope import Scope
from pages._shared import csv_button, get_engine, require_page

require_page("pages/audit.py")  # 系统管理员 only
st.title("审计日志")
st.caption(
    "登录、退出、上传、撤销、导出、设置变更和用户变更，每条记录操作人、时间（北京时间）、来源地址和内容。"
)

since_column, actor_column, kind_column = st.columns(3)
today = dt.datetime.now(LOCAL_TIME).date()
since = since_column.date_input(
    "起始日期", value=today - dt.timedelta(days=30), format="YYYY-MM-DD", key="audit_since"
)
actor = actor_column.text_input("操作人", key="audit_actor", placeholder="全部")
kind = kind_column.selectbox(
    "操作", [None, *AuditKind], format_func=lambda k: AUDIT_KIND_LABELS[k] if k else "全部", key="audit_kind"
)

frame = audit_table(read_audit(get_engine(), since=since, actor=actor.strip() or None, kind=kind))
st.caption(f"共 {len(frame):,} 条，按时间先后排列。")
st.dataframe(frame, hide_index=True, width="stretch")
csv_button(frame, "审计日志", Scope(), key="audit_csv")

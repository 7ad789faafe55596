"""上传记录: every upload with its provenance; one upload's warnings; revert after confirmation."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.accounts.limits import may_upload
from core.formatting import count_text, rows_on_screen
from core.ingest import RevertRefused, revert_upload
from core.text import md_escape
from core.views.uploads import FILE_HASH, UploadDetail, upload_detail, uploads_frame
from pages._shared import (
    cached,
    clear_cached_reads,
    client_address,
    csv_button,
    current_account,
    current_limits,
    current_scope,
    get_engine,
    message_table,
)
from pages._submissions import unapproved_submissions

FLASH_KEY = "uploads_flash"  # the outcome of a revert, shown after the rerun that follows it
# Counts with thousands separators (zh-CN locale), the upload number as it is.
COLUMN_FORMATS = {
    "编号": st.column_config.NumberColumn(format="plain"),
    **{
        column: st.column_config.NumberColumn(format="localized")
        for column in ("行数", "新增", "更新", "未变", "警告数")
    },
}


def upload_choice_labels(frame: pd.DataFrame) -> dict[int, str]:
    return {
        int(row["编号"]): f"#{row['编号']}　{row['上传时间（北京时间）']}　{row['文件名']}　"
        f"{row['报表']}　{row['状态']}"
        for _, row in frame.iterrows()
    }


def show_detail(detail: UploadDetail) -> None:
    st.markdown(
        f"**{md_escape(detail.file_name)}**　{detail.form_title}　上传人：{md_escape(detail.uploader)}　"
        f"上传时间：{detail.created_at}　状态：**{detail.status_label}**"
    )
    rows, inserted, updated, unchanged = st.columns(4)
    rows.metric("行数", count_text(detail.rows))
    inserted.metric("新增", count_text(detail.inserted))
    updated.metric("更新", count_text(detail.updated))
    unchanged.metric("未变", count_text(detail.unchanged))
    with st.expander("技术信息（供管理员核对文件）"):
        st.caption(f"文件校验码（SHA-256）：{detail.sha256}")
    if detail.warnings.empty:
        st.caption("这次上传没有警告。")
        return
    st.markdown(f"**警告（{count_text(len(detail.warnings))}）**")
    message_table(
        rows_on_screen(detail.warnings), f"上传{detail.id}_警告", current_scope(), key="csv_upload_warnings"
    )


def revert_section(detail: UploadDetail) -> None:
    if not may_upload(current_account()):
        return  # a 省级查看 account only looks
    if not detail.revertible:
        st.info(f"这次上传已于 {detail.reverted_at or '此前'} 撤销。")
        return
    st.markdown("**撤销这次上传**")
    st.caption(
        "撤销后，这次上传新增的记录会被删除，被它修改的记录恢复为修改前的值。"
        "若之后的上传又修改了同一批记录，需先撤销那次上传。"
    )
    confirmed = st.checkbox(
        f"我已了解后果，确认撤销第 {detail.id} 号上传（{md_escape(detail.file_name)}）",
        key=f"revert_confirm_{detail.id}",
    )
    if st.button(
        "撤销上传", type="primary", disabled=not confirmed, key="revert_upload", icon=":material/undo:"
    ):
        try:
            reverted = revert_upload(
                get_engine(), detail.id, account=current_account(), client=client_address()
            )
        except RevertRefused as refused:
            st.error(md_escape(refused))
            return
        clear_cached_reads()
        st.session_state[FLASH_KEY] = (
            f"已撤销第 {detail.id} 号上传（{md_escape(detail.file_name)}）：恢复 {count_text(reverted.restored)} 行，"
            f"删除 {count_text(reverted.deleted)} 行，数据已回到这次上传之前。"
        )
        st.rerun()


scope = current_scope()
st.title("上传记录")
if flash := st.session_state.pop(FLASH_KEY, None):
    st.success(flash, icon=":material/check_circle:")
unapproved_submissions(scope, key="csv_uploads_unapproved")

limits = current_limits()  # only the uploads that wrote institutions inside them
uploads = cached(uploads_frame, scope, limits)
if uploads.empty:
    st.info("还没有上传记录。在“数据上传”页导入报表后，每次导入都会记录在这里。")
    st.stop()

st.dataframe(
    uploads,
    hide_index=True,
    width="stretch",
    column_config=COLUMN_FORMATS,
    column_order=[name for name in uploads.columns if name != FILE_HASH],  # in the CSV and the details only
)
csv_button(uploads, "上传记录", scope, key="csv_uploads")

st.subheader("查看与撤销")
labels = upload_choice_labels(uploads)
selected = st.selectbox("选择一次上传", list(labels), format_func=labels.get, key="uploads_selected")
detail = cached(upload_detail, scope, selected, limits)
if detail is None:
    st.warning("这次上传已不存在，请刷新页面。")
    st.stop()
show_detail(detail)
revert_section(detail)

"""通报: the season's report of the sidebar's scope as a workbook or a PDF, ready to send."""

from __future__ import annotations

import streamlit as st

from core.forms import TERMS
from core.reports import report_bytes
from core.reports.content import read_report
from core.reports.fonts import FontMissing, find_cjk_font
from core.text import md_escape
from pages._season import earlier_season_hint
from pages._shared import app_settings, audited, cached, current_scope

TILES_A_ROW = 4

scope = current_scope()
today = app_settings().today()
st.title("通报")
if scope.year is None:
    st.info("暂无队伍配备或心理筛查数据。请先在“数据上传”页上传报表，再在左侧选择学年。")
    st.stop()
st.caption(
    f"范围：{scope.describe()}；统计日期：{today.isoformat()}。通报按左侧的学年、省份等筛选生成："
    "只选一个省份时各表按学校列出，否则按省份列出。"
)
earlier_season_hint(scope, key="report_earlier_season")

term_column, mask_column = st.columns(2)
term = term_column.selectbox(
    "心理筛查学期", [None, *TERMS], format_func=lambda value: value or "全学年", key="report_term"
)
mask = mask_column.checkbox("隐去小数字", value=True, key="report_mask_small")
mask_column.caption(
    "勾选后，通报中 1–4 的心理筛查风险、约谈、转介、危机干预人数写作“<5”，由其算出的比率留空。"
)

try:
    find_cjk_font()
except FontMissing as problem:
    st.error(str(problem))
    st.stop()

report = cached(read_report, scope, term=term, mask_small=mask, today=today)
st.subheader(report.title)
st.caption(f"数据截至：{md_escape(report.data_as_of)}")
buttons = st.columns(2)
for column, (suffix, label, mime) in zip(
    buttons,
    [
        (".xlsx", "下载 Excel 工作簿", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (".pdf", "下载 PDF", "application/pdf"),
    ],
    strict=True,
):
    column.download_button(
        label,
        data=audited(lambda suffix=suffix: (0, report_bytes(report, suffix)), f"通报{suffix}", scope),
        file_name=f"{report.file_stem}{suffix}",
        mime=mime,
        key=f"report_download{suffix}",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )

for section in report.sections:
    st.markdown(f"**{md_escape(section.title)}**")
    if not section.figures:
        st.caption(section.note)
        continue
    for start in range(0, len(section.figures), TILES_A_ROW):
        for tile, figure in zip(
            st.columns(TILES_A_ROW), section.figures[start : start + TILES_A_ROW], strict=False
        ):
            tile.metric(figure.label, figure.text, border=True)

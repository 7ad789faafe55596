"""学校画像: one institution's facts, staffing, screening, projects and submissions beside its province."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from core.charts.completeness import comparison_chart
from core.scope import Scope
from core.text import md_escape
from core.urlstate import CODE, read_code
from core.views.profile import institution_choices, institution_profile
from pages._charts import chart_at_own_width
from pages._shared import (
    PROFILE_KEY,
    app_settings,
    audited,
    cached,
    current_scope,
    get_engine,
)
from pages._shared import table as show_table_with_csv
from pages._submissions import unapproved_submissions

EMPTY_NOTES = {
    "队伍配备": "暂无该校的思政队伍配备数据。",
    "心理筛查": "暂无该校的心理筛查数据。",
    "重点项目": "该校暂无重点项目。",
    "项目汇总": "该校及所在省份暂无重点项目。",
    "报送情况": "暂无报送期次。",
    "上传记录": "暂无写入该校数据的上传记录。",
}


def show_table(table: pd.DataFrame, title: str, scope: Scope, code: str) -> None:
    """A section's table as shown (empty cells as "—") and its CSV button (the same table)."""
    if table.empty:
        st.info(EMPTY_NOTES.get(title, "暂无数据。"))
        return
    show_table_with_csv(table, f"学校画像_{code}_{title}", scope, key=f"profile_csv_{title}")


ADDRESS_CODE_KEY = "profile_code_in_address"  # the ?code= this session has last seen or written


def school_from_address(offered: list[str]) -> None:
    """A ?code= the session has not seen yet (a shared link, the browser's back button) chooses
    the school, when it is one this user may see (``offered``); otherwise it is dropped with a
    note. The address then follows the 学校 choice."""
    asked = st.query_params.get(CODE)
    if asked is None or asked == st.session_state.get(ADDRESS_CODE_KEY):
        return
    st.session_state[ADDRESS_CODE_KEY] = asked
    code, note = read_code(st.query_params.get_all, offered)
    if code is not None:
        st.session_state[PROFILE_KEY] = code
    if note:
        st.warning(md_escape(note))


scope = current_scope().all_years()
today = app_settings().today()
st.title("学校画像")
st.caption(f"范围：{md_escape(scope.describe())}。各项数据旁列出所在省份同期的数值，供对照。")

labels = cached(institution_choices, scope)
if not labels:
    st.info("当前筛选范围内没有学校。请先在“数据上传”页上传高校名录，或在左侧调整筛选条件。")
    st.stop()
school_from_address(list(labels))
code = st.selectbox(
    "学校",
    list(labels),
    index=None,
    format_func=labels.get,
    placeholder="输入学校名称或学校标识码搜索",
    key=PROFILE_KEY,
)
if code is None:
    st.query_params.pop(CODE, None)
    st.info("请选择一所学校。")
    st.stop()
if st.query_params.get(CODE) != code:
    st.query_params[CODE] = code  # the address is a link to this school's profile
st.session_state[ADDRESS_CODE_KEY] = code

profile = cached(institution_profile, scope, code, today)
if profile is None:
    st.warning("所选学校不在当前筛选范围内，请重新选择。")
    st.stop()
st.header(f"{md_escape(profile.name)}（{md_escape(profile.code)}）")
unapproved_submissions(replace(scope, codes=(profile.code,)), key="csv_profile_unapproved")


def workbook() -> bytes:
    """The profile as an Excel file, made when the button is clicked (openpyxl, ~0.2 s to
    import, is loaded only then)."""
    from core.profile_export import profile_workbook

    return profile_workbook(get_engine(), code, today, scope)


st.download_button(
    "导出学校画像（Excel）",
    data=audited(lambda: (1, workbook()), f"学校画像_{profile.code}", scope),
    file_name=f"学校画像_{profile.name}_{profile.code}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="profile_workbook",
    on_click="ignore",
    icon=":material/download:",
)

sections = profile.sections()
charts = {
    "队伍配备": (
        profile.staffing_chart,
        "师生比：本校与全省（每名专职人员对应的学生数，虚线为配备标准）",
        "学生数 / 人",
        "学年",
    ),
    "心理筛查": (
        profile.screening_chart,
        "筛查覆盖率与预警率：本校与全省（虚线为 95% 覆盖率关注线）",
        "比率（%）",
        "学年学期",
    ),
}
for title, table in sections.items():
    st.subheader(title)
    if title in charts and not charts[title][0].empty:
        chart_at_own_width(comparison_chart, *charts[title])
    show_table(table, title, scope, profile.code)

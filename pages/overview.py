"""总览: one tile per area for the sidebar scope, each linking to its page."""

from __future__ import annotations

import streamlit as st

from core.charts.staffing import compliance_by_group_chart
from core.formatting import count_text, on_screen
from core.queries.overview import overview_page
from pages._shared import app_settings, cached, chart, current_scope, link_to, table

scope = current_scope()
today = app_settings().today()
st.title("总览")
st.caption(f"范围：{scope.describe()}　·　统计日期：{today:%Y-%m-%d}")

page = cached(overview_page, scope, today)
kpis = page.kpis
staffing, screening, projects, reporting = (
    kpis["staffing"],
    kpis["screening"],
    kpis["projects"],
    kpis["reporting"],
)

tiles = st.columns(5)
with tiles[0]:
    st.metric("高校数", count_text(kpis["institutions"]), border=True)
    link_to("pages/profile.py")
with tiles[1]:
    st.metric(
        "辅导员 1:200 达标率",
        on_screen(staffing["counselors_share_text"]),
        help=f"{staffing['counselors_compliant']:,} / {staffing['counselors_applicable']:,} 所学校达标",
        border=True,
    )
    link_to("pages/staffing.py")
with tiles[2]:
    st.metric(
        "心理筛查覆盖率",
        on_screen(screening["coverage"]),
        help=f"实测 {screening['screened']:,} / 应测 {screening['target']:,} 人",
        border=True,
    )
    link_to("pages/screening.py")
with tiles[3]:
    st.metric(
        "逾期项目",
        count_text(projects["overdue"]),
        help=f"共 {projects['projects']:,} 个项目（不分学年）",
        border=True,
    )
    link_to("pages/projects.py")
with tiles[4]:
    staffing_reporting = reporting["staffing"]
    st.metric(
        "队伍配备报送率",
        staffing_reporting["reporting_rate_text"] if staffing_reporting else "—",
        help=(
            f"{staffing_reporting['submitted']:,} / {staffing_reporting['expected']:,} 所学校已报送"
            if staffing_reporting
            else "请先在侧栏选择学年"
        ),
        border=True,
    )
    link_to("pages/completeness.py")

provinces = page.provinces
st.subheader("各省专职辅导员配备达标情况")
if provinces["辅导员适用学校数"].notna().any():
    chart(compliance_by_group_chart, provinces.dropna(subset=["辅导员适用学校数"]), page.counselors)
else:
    st.info("所选范围暂无队伍配备数据。可在“数据上传”页上传思政队伍配备情况表。")
table(provinces, "各省辅导员配备", scope, key="overview_csv")

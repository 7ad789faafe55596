"""总览: one tile per area for the sidebar scope, each linking to its page."""

from __future__ import annotations

import streamlit as st

from core.charts.staffing import compliance_by_group_chart
from core.formatting import NOT_AVAILABLE, count_text, on_screen
from core.views.overview import overview_page, peer_figures
from pages._shared import app_settings, cached, chart, current_limits, current_scope, link_to, table

scope = current_scope()
today = app_settings().today()
st.title("总览")
st.caption(f"范围：{scope.describe()}　·　统计日期：{today:%Y-%m-%d}")

page = cached(overview_page, scope, today)
kpis = page.kpis
staffing, screening, projects = kpis["staffing"], kpis["screening"], kpis["projects"]
reporting = kpis["reporting"]["staffing"]

# (label, value, help, the page it links to), one a tile.
tiles = [
    ("高校数", count_text(kpis["institutions"]), None, "pages/profile.py"),
    (
        f"辅导员 1:{page.counselors.threshold:,} 达标率",
        on_screen(staffing["counselors_share_text"]),
        f"{staffing['counselors_compliant']:,} / {staffing['counselors_applicable']:,} 所学校达标",
        "pages/staffing.py",
    ),
    (
        "心理筛查覆盖率",
        on_screen(screening["coverage"]),
        f"实测 {screening['screened']:,} / 应测 {screening['target']:,} 人",
        "pages/screening.py",
    ),
    (
        "逾期项目",
        count_text(projects["overdue"]),
        f"共 {projects['projects']:,} 个项目（不分学年）",
        "pages/projects.py",
    ),
    (
        "队伍配备报送率",
        reporting["reporting_rate_text"] if reporting else NOT_AVAILABLE,
        f"{reporting['submitted']:,} / {reporting['expected']:,} 所学校已报送"
        if reporting
        else "请先在侧栏选择学年",
        "pages/completeness.py",
    ),
]
for column, (label, value, help_text, target) in zip(st.columns(len(tiles)), tiles, strict=True):
    with column:
        st.metric(label, value, help=help_text, border=True)
        link_to(target)

# a 校级填报 user: its province and the country as aggregates beside its own figures
for place, figures in cached(peer_figures, scope, current_limits(), today).items():
    st.markdown(f"**{place}（汇总）**")
    for column, (label, value) in zip(st.columns(len(figures)), figures.items(), strict=True):
        column.metric(label, value, border=True)

provinces = page.provinces
st.subheader("各省专职辅导员配备达标情况")
if provinces["辅导员适用学校数"].notna().any():
    chart(compliance_by_group_chart, provinces.dropna(subset=["辅导员适用学校数"]), page.counselors)
else:
    st.info("所选范围暂无队伍配备数据。可在“数据上传”页上传思政队伍配备情况表。")
table(provinces, "各省辅导员配备", scope, key="overview_csv")

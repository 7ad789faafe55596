"""辅导员配备: staffing compliance with the three standards, in the sidebar's scope."""

from __future__ import annotations

import streamlit as st

from core.charts import staffing as charts
from core.charts.points import caption
from core.formatting import count_text, on_screen
from core.standards import PART_TIME_FACTOR_SOURCE, Standards
from core.text import md_escape
from core.views import staffing as views
from core.views.supervision import ALL, screen_order
from pages._charts import chart, charts_together
from pages._open_case import open_staffing_case
from pages._season import earlier_season_hint
from pages._shared import cached, csv_button, current_scope, get_engine, table

WHAT = "辅导员配备"


def standards_note(standards: Standards) -> None:
    with st.expander("现行配备标准及依据", icon=":material/rule:"):
        for standard in standards:
            st.markdown(f"- **{md_escape(standard.describe())}**　依据：{md_escape(standard.source)}")
        factor = standards.part_time_factor
        st.markdown(f"- **兼职辅导员折算系数：{factor}**　{PART_TIME_FACTOR_SOURCE}")
        st.caption("标准数值可在“配备标准”页调整。")


def kpi_tiles(kpis: views.StaffingKpis) -> None:
    first_row = st.columns(3)
    first_row[0].metric("填报学校数", count_text(kpis.institutions), border=True)
    first_row[1].metric("全日制学生总数", count_text(kpis.students), border=True)
    first_row[2].metric(
        "专职辅导员缺口合计",
        count_text(kpis.counselors.gap),
        help="各校 max(0, 应配数 − 计入辅导员数) 之和",
        border=True,
    )
    for tile, kpi in zip(st.columns(3), kpis.per_standard, strict=True):
        tile.metric(
            f"{kpi.standard.label}配备达标率",
            on_screen(kpi.share_text),
            help=f"{kpi.standard.describe()}；达标 {kpi.compliant:,} 所 / 适用 "
            f"{kpi.applicable:,} 所（不含学生数为 0 或未报送该项人数的学校）",
            border=True,
        )


st.title("辅导员配备")
scope = current_scope()
page = cached(views.staffing_page, scope)
standards = page.standards
st.caption(f"范围：{md_escape(scope.describe())}")
standards_note(standards)

if page.kpis.institutions == 0:
    if not earlier_season_hint(scope, key="staffing_earlier_season"):
        st.info(
            "当前筛选范围内没有思政队伍配备数据：请调整左侧筛选条件，或在“数据上传”页上传思政队伍配备情况表。"
        )
    st.stop()
kpi_tiles(page.kpis)

st.subheader("图表")
chosen_key = st.segmented_control(
    "图表指标",
    [standard.key for standard in standards],
    format_func=lambda key: standards.by_key(key).post,
    default=standards.counselors.key,
    key="staffing_chart_standard",
)
chosen = standards.by_key(chosen_key or standards.counselors.key)
with charts_together():
    left, right = st.columns(2)
    with left:
        chart(charts.compliance_by_group_chart, page.provinces, chosen)
    with right:
        chart(charts.students_vs_staff_chart, page.points[chosen.key], chosen)
    left, right = st.columns(2)
    with left:
        chart(charts.compliance_trend_chart, page.trend)
    with right:
        chart(charts.ratio_distribution_chart, page.ratios[chosen.key], page.ticks[chosen.key], chosen)
if note := caption(len(page.institutions), "未达标的学校"):
    st.caption(note)

st.subheader("明细")
details, supervision, summary = st.tabs(["学校明细", "督办名单", "分组汇总"])
with details:
    search = st.text_input("搜索学校", key="staffing_search", placeholder="输入学校名称或标识码的一部分")
    shown = views.search_institutions(page.institutions, search)
    st.caption(f"共 {len(shown):,} 所；按每名专职辅导员对应学生数从多到少排名，学生数为 0 的学校排在最后。")
    table(shown, WHAT, scope, key="staffing_details_csv")
    csv_button(
        page.institutions,
        f"{WHAT}全表",
        scope,
        key="staffing_export_csv",
        label="下载全表 CSV（报送数据及达标计算结果）",
        build=lambda: views.export_frame(get_engine(), scope),
    )
with supervision:
    watch = st.segmented_control(
        "督办标准",
        [ALL, *(standard.key for standard in standards)],
        format_func=lambda key: "任一标准" if key == ALL else standards.by_key(key).short(),
        default=ALL,
        required=True,
        key="staffing_watch_standard",
    )
    watched = page.supervision[watch]
    if watch == ALL:
        st.caption(f"未达到任一配备标准的学校 {len(watched):,} 所，按专职辅导员缺口从大到小排列。")
        what, label = f"{WHAT}督办名单", "下载督办名单 CSV"
    else:
        chosen_standard = standards.by_key(watch)
        st.caption(
            f"未达到“{md_escape(chosen_standard.describe())}”的学校 {len(watched):,} 所，按缺口从大到小排列。"
        )
        what, label = (
            f"{WHAT}督办名单_{chosen_standard.label}",
            f"下载督办名单 CSV（{chosen_standard.label}）",
        )
    table(
        watched,
        what,
        scope,
        key=f"staffing_watchlist_csv_{watch}",
        label=label,
        column_order=screen_order(watched),
        empty="当前范围内的学校均已达到该标准，无需督办。",
    )
    open_staffing_case(page.case_targets, scope.year)
with summary:
    by = st.radio(
        "汇总方式",
        list(views.GROUPINGS),
        format_func=lambda name: f"按{views.GROUPINGS[name]}",
        horizontal=True,
        key="staffing_group_by",
    )
    grouped = page.provinces if by == "province" else cached(views.group_table, scope, by)
    table(grouped, f"{WHAT}_按{views.GROUPINGS[by]}汇总", scope, key="staffing_groups_csv")

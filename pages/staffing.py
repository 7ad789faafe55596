"""辅导员配备: staffing compliance with the three standards, in the sidebar's scope."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.charts import staffing as charts
from core.formatting import count_text, on_screen
from core.queries import staffing as queries
from core.standards import PART_TIME_FACTOR_SOURCE, Standards, load_standards
from pages._shared import cached, csv_button, current_scope, get_engine

WHAT = "辅导员配备"


def show_table(frame: pd.DataFrame, *, key: str) -> None:
    """The frame as it will be downloaded; whole numbers with thousands separators, "—" for empty."""
    config = {
        name: st.column_config.NumberColumn(
            format="%.1f" if pd.api.types.is_float_dtype(frame[name]) else "localized"
        )
        for name in frame.columns
        if pd.api.types.is_numeric_dtype(frame[name])
    }
    st.dataframe(frame, hide_index=True, column_config=config, placeholder="—", key=key)


def standards_note(standards: Standards) -> None:
    with st.expander("现行配备标准及依据", icon=":material/rule:"):
        for standard in standards:
            st.markdown(f"- **{standard.describe()}**　依据：{standard.source}")
        factor = standards.part_time_factor
        st.markdown(f"- **兼职辅导员折算系数：{factor}**　{PART_TIME_FACTOR_SOURCE}")
        st.caption("标准数值可在“配备标准”页调整。")


def kpi_tiles(kpis: dict, standards: Standards) -> None:
    first_row = st.columns(3)
    first_row[0].metric("填报学校数", count_text(kpis["institutions"]), border=True)
    first_row[1].metric("全日制学生总数", count_text(kpis["students"]), border=True)
    first_row[2].metric(
        "专职辅导员缺口合计",
        count_text(kpis["counselors_gap"]),
        help="各校 max(0, 应配数 − 计入辅导员数) 之和",
        border=True,
    )
    for tile, standard in zip(st.columns(3), standards, strict=True):
        key = standard.key
        tile.metric(
            f"{standard.label}配备达标率",
            on_screen(kpis[f"{key}_share_text"]),
            help=f"{standard.describe()}；达标 {kpis[f'{key}_compliant']:,} 所 / 适用 "
            f"{kpis[f'{key}_applicable']:,} 所（不含学生数为 0 或未报送该项人数的学校）",
            border=True,
        )


st.title("辅导员配备")
scope = current_scope()
standards = load_standards(get_engine())
st.caption(f"范围：{scope.label()}")
standards_note(standards)

kpis = cached(queries.overview_kpis, scope)
if kpis["institutions"] == 0:
    st.info(
        "当前筛选范围内没有思政队伍配备数据：请调整左侧筛选条件，或在“数据上传”页上传思政队伍配备情况表。"
    )
    st.stop()
kpi_tiles(kpis, standards)

table = cached(queries.institution_table, scope)
groups = cached(queries.group_table, scope, "province")

st.subheader("图表")
chosen_key = st.segmented_control(
    "图表指标",
    [standard.key for standard in standards],
    format_func=lambda key: standards.by_key(key).post,
    default=standards.counselors.key,
    key="staffing_chart_standard",
)
chosen = standards.by_key(chosen_key or standards.counselors.key)
left, right = st.columns(2)
with left:
    st.altair_chart(charts.compliance_by_group_chart(groups, chosen), width="stretch")
with right:
    st.altair_chart(charts.students_vs_staff_chart(table, chosen), width="stretch")
left, right = st.columns(2)
with left:
    st.altair_chart(charts.compliance_trend_chart(cached(queries.compliance_trend, scope)), width="stretch")
with right:
    st.altair_chart(charts.ratio_distribution_chart(table, chosen), width="stretch")

st.subheader("明细")
details, supervision, summary = st.tabs(["学校明细", "督办名单", "分组汇总"])
with details:
    search = st.text_input("搜索学校", key="staffing_search", placeholder="输入学校名称或标识码的一部分")
    shown = cached(queries.institution_table, scope, search) if search.strip() else table
    st.caption(f"共 {len(shown):,} 所；按每名专职辅导员对应学生数从多到少排名，学生数为 0 的学校排在最后。")
    show_table(shown, key="staffing_details")
    csv_button(shown, WHAT, scope, key="staffing_details_csv")
with supervision:
    watchlist = cached(queries.supervision_list, scope)
    st.caption(f"未达到任一配备标准的学校 {len(watchlist):,} 所，按专职辅导员缺口从大到小排列。")
    show_table(watchlist, key="staffing_watchlist")
    csv_button(watchlist, f"{WHAT}督办名单", scope, key="staffing_watchlist_csv", label="下载督办名单 CSV")
with summary:
    by = st.radio(
        "汇总方式",
        list(queries.GROUPINGS),
        format_func=lambda name: f"按{queries.GROUPINGS[name]}",
        horizontal=True,
        key="staffing_group_by",
    )
    grouped = groups if by == "province" else cached(queries.group_table, scope, by)
    show_table(grouped, key="staffing_groups")
    csv_button(grouped, f"{WHAT}_按{queries.GROUPINGS[by]}汇总", scope, key="staffing_groups_csv")

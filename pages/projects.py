"""项目进度: key projects in scope — stages, progress, overdue and due-soon lists, one project's history."""

from __future__ import annotations

import streamlit as st

from core.charts import projects as charts
from core.forms import PROJECT_CATEGORIES, PROJECT_STAGES
from core.metrics.projects import DUE_SOON_DAYS
from core.text import md_escape
from core.views import projects as views
from pages._charts import chart, charts_together
from pages._choices import offered
from pages._open_case import open_project_case
from pages._shared import app_settings, cached, current_scope, table

# Projects have no 学年: read, cache and name files without the sidebar's year.
scope = current_scope().all_years()
today = app_settings().today()
st.title("项目进度")
st.caption(
    f"范围：{scope.describe()}（项目不按学年筛选）；今天：{today.isoformat()}。"
    "在研 = 未“已验收通过”且未“终止”；逾期 = 今天晚于计划完成日期且在研；"
    "验收完成率 = 已验收通过 / （全部项目 − 终止）。"
)

category_column, batch_column, stage_column = st.columns(3)
categories = category_column.multiselect(
    "项目类别", PROJECT_CATEGORIES, key="projects_categories", placeholder="全部类别"
)
batches = batch_column.multiselect(
    "批次", cached(views.batch_choices, scope), key="projects_batches", placeholder="全部批次"
)
stages = stage_column.multiselect("当前阶段", PROJECT_STAGES, key="projects_stages", placeholder="全部阶段")
filters = {"categories": tuple(categories), "batches": tuple(batches), "stages": tuple(stages)}

page = cached(views.projects_page, scope, today, **filters)
if page.count == 0:
    st.info("当前范围内没有符合条件的项目。请在“数据上传”页上传重点项目进度表，或放宽左侧和上方的筛选条件。")
    st.stop()

for column, (label, value) in zip(st.columns(6), page.headline.items(), strict=True):
    column.metric(label, value, border=True)

stage_tab, progress_tab, timeline_tab, province_tab = st.tabs(
    ["阶段分布", "进度分布", "时间轴", "逾期项目（按省份）"]
)
with charts_together():
    with stage_tab:
        chart(charts.stage_by_category_chart, page.stage_counts)
    with progress_tab:
        chart(charts.progress_histogram, page.progress)
    with timeline_tab:
        st.caption("红色虚线为今天；红色菱形标出逾期项目的计划完成日期。在研项目按计划完成日期排在前面。")
        chart(charts.timeline_chart, page.timeline, today, page.count)
    with province_tab:
        chart(charts.overdue_by_province_chart, page.by_province)

st.subheader(f"逾期项目（{len(page.overdue):,} 个）")
st.caption("按逾期天数从多到少排列。")
table(page.overdue, "逾期项目", scope, key="projects_overdue_csv")
open_project_case(page.overdue, today)

st.subheader(f"{DUE_SOON_DAYS} 天内到期（{len(page.due_soon):,} 个）")
st.caption(f"在研、计划完成日期在今天至 {DUE_SOON_DAYS} 天后之间的项目，按剩余天数从少到多排列。")
table(page.due_soon, f"{DUE_SOON_DAYS}天内到期项目", scope, key="projects_due_soon_csv")

st.subheader("分类汇总")
dimension = st.radio(
    "汇总方式",
    list(views.SUMMARY_CHOICES),
    format_func=views.SUMMARY_CHOICES.get,
    horizontal=True,
    key="projects_summary_dimension",
)
table(
    cached(views.project_summary, scope, today, dimension, **filters),
    f"项目汇总_{views.SUMMARY_CHOICES[dimension]}",
    scope,
    key="projects_summary_csv",
)

st.subheader(f"全部项目（{page.count:,} 个）")
table(page.table, "重点项目进度", scope, key="projects_table_csv")

st.subheader("项目详情")
project_id = st.selectbox(
    "项目",
    offered(list(page.titles), page.titles.get, key="projects_detail", what="项目"),
    index=None,
    format_func=page.titles.get,
    placeholder="选择一个项目，查看它在历次上传中的阶段与进度",
    key="projects_detail",
)
if project_id is not None:
    history = cached(views.project_history, scope, project_id)
    st.caption(f"{md_escape(page.titles[project_id])}：共 {len(history):,} 次上传，最后一行为当前值。")
    table(history, f"项目历史_{project_id}", scope, key="projects_history_csv")

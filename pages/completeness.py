"""报送情况: who has reported which period, on time or late, and the 未报送名单 to chase."""

from __future__ import annotations

import streamlit as st

from core.charts import completeness as charts
from core.deadlines import FORM_LABELS, PERIOD_FORMS, WHOLE_YEAR, Period
from core.forms import TERMS
from core.metrics import completeness as metrics
from core.queries.base import count_institutions
from core.views import indicators as indicator_views
from core.views.completeness import completeness_page
from pages._charts import chart, charts_together
from pages._shared import app_settings, cached, current_scope, table

scope = current_scope()
st.title("报送情况")
if scope.year is None:
    st.info("暂无队伍配备或心理筛查数据。请先在“数据上传”页上传报表，再在左侧选择学年。")
    st.stop()
today = app_settings().today()
st.caption(
    f"范围：{scope.describe()}；今天：{today.isoformat()}。"
    "按时报送 = 首次报送不晚于截止日期（北京时间）；逾期报送 = 首次报送晚于截止日期；"
    "未报送 = 截止日期已过仍无数据；待报送 = 尚无数据、截止日期未到。"
    "报送率 = 已报学校数 / 应报学校数，按时报送率 = 按时报送学校数 / 应报学校数。"
)

if cached(count_institutions, scope) == 0:
    st.info(
        "当前筛选范围内的高校名录为空。请在左侧调整省份、办学层次或办学性质；"
        "名录中还没有学校时，请先在“数据上传”页上传高校名录。"
    )
    st.stop()

st.subheader(f"{scope.year} 学年报送矩阵")
matrix_area = st.container()  # drawn once the chosen period's page is read (the same cached call)

st.subheader("按报表查看")
form_column, term_column = st.columns(2)
form = form_column.segmented_control(
    "报表",
    PERIOD_FORMS,
    format_func=FORM_LABELS.get,
    default="staffing",
    required=True,
    key="completeness_form",
)
term = None
if form == "screening":
    term = term_column.selectbox(
        "学期",
        [*TERMS, None],
        format_func=lambda value: value or f"{WHOLE_YEAR}（任一学期有数据即算已报）",
        key="completeness_term",
    )
period = Period(form, scope.year, term)
what = period.column.replace("·", "")

page = cached(completeness_page, scope, period, today)
with charts_together():
    with matrix_area:
        if page.per_institution:
            chart(charts.status_heatmap, page.matrix)
        else:
            st.caption("在左侧只选一个省份，可看到该省各校的报送状态。")
            chart(charts.rate_heatmap, page.matrix)

    for tile, (label, value) in zip(st.columns(len(page.kpis)), page.kpis.items(), strict=True):
        tile.metric(label, value)

    chart(charts.reporting_rate_chart, page.province_rates, page.overall_rate)
table(page.province_table, f"报送率_{what}_按省份", scope, key="rates_province")
left, right = st.columns(2)
for column, (group, rates) in zip((left, right), page.group_rates.items(), strict=True):
    header = metrics.GROUP_HEADERS[group]
    with column:
        st.markdown(f"**按{header}**")
        table(rates, f"报送率_{what}_按{header}", scope, key=f"rates_{group}")

st.subheader(f"未报送名单（{period.label()}）")
if page.missing.empty:
    st.success("当前范围内的学校均已报送。")
else:
    st.caption(f"共 {len(page.missing):,} 所学校尚无该期数据。下载名单后可直接用于催报。")
table(page.missing, f"未报送名单_{what}", scope, key="missing_csv")

with st.expander("各校报送明细（首次报送与最近更新时间）"):
    table(page.statuses, f"报送明细_{what}", scope, key="status_csv")

st.subheader(f"专项指标报送情况（{scope.year or '未选学年'}）")
st.caption(
    "按学年统计：学校在该学年有任一条数据即为已报送。未报送名单可用命令 python -m core.cli missing 表单名 导出。"
)
table(
    cached(indicator_views.reporting_frame, scope), "专项指标报送情况", scope, key="indicator_reporting_csv"
)

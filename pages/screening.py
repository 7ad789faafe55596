"""心理筛查: coverage, risk levels and follow-up of the screenings in scope (aggregate counts only)."""

from __future__ import annotations

import streamlit as st

from core.charts import screening as charts
from core.charts.points import caption
from core.forms import SCREENING_KINDS, TERMS
from core.metrics import screening as metrics
from core.text import md_escape
from core.views import screening as views
from pages._charts import chart, charts_together
from pages._open_case import open_screening_case
from pages._season import earlier_season_hint
from pages._shared import cached, current_scope, table

scope = current_scope()
st.title("心理筛查")
st.caption(f"范围：{md_escape(scope.describe())}。本页只汇总各校报送的人数，不含也不显示任何学生个人信息。")

term_column, kind_column, line_column = st.columns(3)
term = term_column.selectbox(
    "学期", [None, *TERMS], format_func=lambda value: value or "全部学期", key="screening_term"
)
kind = kind_column.selectbox(
    "筛查类型", [None, *SCREENING_KINDS], format_func=lambda value: value or "全部类型", key="screening_kind"
)
line_percent = line_column.number_input(
    "覆盖率关注线（%）",
    min_value=0.0,
    max_value=100.0,
    value=metrics.DEFAULT_COVERAGE_LINE * 100,
    step=0.5,
    key="screening_coverage_line",
    help="筛查覆盖率低于此值的记录列入需关注名单，并在图中以参考线标出",
)
coverage_line = line_percent / 100


def file_what(*parts: str) -> str:
    """What a CSV holds, with the page's term and type choice: 心理筛查明细_秋季学期 …"""
    return "_".join(part for part in (*parts, term, kind) if part)


page = cached(views.screening_page, scope, term=term, kind=kind, coverage_line=coverage_line)
if page.empty:
    if not earlier_season_hint(scope, key="screening_earlier_season"):
        st.info(
            "当前筛选范围内没有心理筛查数据。请在左侧调整学年、省份等筛选条件，或先在“数据上传”页上传心理健康测评筛查情况表。"
        )
    st.stop()

for tile, (label, value) in zip(st.columns(5), page.kpis.items(), strict=True):
    tile.metric(label, value)

mask = st.checkbox("导出时隐去小数字", value=True, key="screening_mask_small")
st.caption(
    "勾选后，下载的 CSV 中 1–4 的风险、约谈、转介、危机干预人数写作“<5”，由其算出的比率留空；"
    "页面上的数字保持精确，供内部核对。"
)


def show_table(name: str, what: str, *, key: str) -> None:
    """Table ``name`` of the page as shown, and its CSV file (masked when asked) when clicked."""
    table(page.tables[name], what, scope, key=key, build=lambda: page.file(name, mask=mask))


with charts_together():
    left, right = st.columns(2)
    with left:
        chart(charts.coverage_by_province, page.by_province, coverage_line)
    with right:
        chart(charts.risk_levels, page.risks, page.risk_group)
    left, right = st.columns(2)
    with left:
        chart(charts.coverage_trend, page.trend, coverage_line)
    with right:
        chart(charts.risk_rate_trend, page.trend)
    chart(charts.follow_up_scatter, page.follow_up)
if note := caption(page.follow_up_total, "未全部约谈评估的学校"):
    st.caption(note)

st.subheader("汇总")
group = st.segmented_control(
    "汇总维度",
    metrics.ROLLUP_GROUPS,
    format_func=metrics.HEADERS.get,
    default="province",
    required=True,
    key="screening_rollup_group",
)
show_table(group, file_what("心理筛查汇总", f"按{metrics.HEADERS[group]}"), key="screening_csv_rollup")

st.subheader("需关注名单")
attention = page.tables["attention"]
st.caption(
    f"共 {len(attention):,} 条：筛查覆盖率低于{metrics.coverage_line_text(coverage_line)}、"
    "约谈评估率低于 100% 或有预警学生但均未约谈评估的筛查记录。"
)
if attention.empty:
    st.success("当前范围内没有需关注的筛查记录。")
show_table("attention", file_what("心理筛查需关注名单"), key="screening_csv_attention")
open_screening_case(page.case_targets)

st.subheader("明细")
show_table("rows", file_what("心理筛查明细"), key="screening_csv_rows")

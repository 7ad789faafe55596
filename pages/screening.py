"""心理筛查: coverage, risk levels and follow-up of the screenings in scope (aggregate counts only)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.charts import screening as charts
from core.forms import SCREENING_KINDS, TERMS
from core.metrics import screening as metrics
from core.queries import screening as queries
from core.scope import Scope
from pages._shared import cached, csv_button, current_scope


def show_table(
    frame: pd.DataFrame, columns: tuple[str, ...], what: str, scope: Scope, *, key: str, mask: bool
) -> None:
    """The table on screen (exact counts, '—' for a rate without denominator) and its CSV
    button (the same table, small counts masked when ``mask``)."""
    shown = metrics.for_screen(metrics.table(frame, columns))
    counts = shown.select_dtypes("number").columns
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={name: st.column_config.NumberColumn(format="localized") for name in counts},
    )
    csv_button(metrics.table(frame, columns, mask=mask), what, scope, key=key)


scope = current_scope()
st.title("心理筛查")
st.caption(f"范围：{scope.label()}。本页只汇总各校报送的人数，不含也不显示任何学生个人信息。")

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


rows = cached(queries.screening_rows, scope, term=term, kind=kind)
if rows.empty:
    st.info(
        "当前筛选范围内没有心理筛查数据。请在左侧调整学年、省份等筛选条件，或先在“数据上传”页上传心理健康测评筛查情况表。"
    )
    st.stop()

totals = cached(queries.screening_totals, scope, term=term, kind=kind)
for tile, (label, value) in zip(st.columns(5), metrics.kpi_texts(totals).items(), strict=True):
    tile.metric(label, value)

mask = st.checkbox("导出时隐去小数字", value=True, key="screening_mask_small")
st.caption(
    "勾选后，下载的 CSV 中 1–4 的风险、约谈、转介、危机干预人数写作“<5”，由其算出的比率留空；"
    "页面上的数字保持精确，供内部核对。"
)

by_province = metrics.rollup(rows, ["province"])
left, right = st.columns(2)
left.altair_chart(charts.coverage_by_province(by_province, coverage_line), width="stretch")
risk_group = "province" if len(by_province) > 1 else "kind"
right.altair_chart(charts.risk_levels(metrics.rollup(rows, [risk_group]), risk_group), width="stretch")

trend = cached(queries.term_totals, scope, kind=kind)
left, right = st.columns(2)
left.altair_chart(charts.coverage_trend(trend, coverage_line), width="stretch")
right.altair_chart(charts.risk_rate_trend(trend), width="stretch")
st.altair_chart(
    charts.follow_up_scatter(metrics.rollup(rows, ["code", "registered_name", "province"])), width="stretch"
)

st.subheader("汇总")
group = st.segmented_control(
    "汇总维度",
    metrics.ROLLUP_GROUPS,
    format_func=metrics.HEADERS.get,
    default="province",
    required=True,
    key="screening_rollup_group",
)
show_table(
    metrics.rollup(rows, [group]),
    (group, *metrics.ROLLUP_COLUMNS),
    file_what("心理筛查汇总", f"按{metrics.HEADERS[group]}"),
    scope,
    key="screening_csv_rollup",
    mask=mask,
)

st.subheader("需关注名单")
attention = metrics.attention_list(rows, coverage_line)
st.caption(
    f"共 {len(attention):,} 条：筛查覆盖率低于{metrics.coverage_line_text(coverage_line)}、"
    "约谈评估率低于 100% 或有预警学生但均未约谈评估的筛查记录。"
)
if attention.empty:
    st.success("当前范围内没有需关注的筛查记录。")
show_table(
    attention,
    metrics.ATTENTION_COLUMNS,
    file_what("心理筛查需关注名单"),
    scope,
    key="screening_csv_attention",
    mask=mask,
)

st.subheader("明细")
show_table(
    rows, metrics.EXPORT_COLUMNS, file_what("心理筛查明细"), scope, key="screening_csv_rows", mask=mask
)

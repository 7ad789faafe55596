"""专项指标: one form declared as data (责任制落实、党员队伍、an official's own forms) in scope — 达标率
tiles, 达标率 by province, each indicator's distribution, the table with its derived columns, and the
rows missing a standard (未达标名单), from which the province opens a 督办 case."""

from __future__ import annotations

import streamlit as st

from core.charts import indicators as charts
from core.text import md_escape
from core.views import indicators as views
from pages._charts import chart
from pages._open_case import open_indicator_case
from pages._season import earlier_season_hint
from pages._shared import cached, current_scope, table

scope = current_scope()
st.title("专项指标")
choices = cached(views.form_choices, scope.all_years())
if not choices:
    st.info("还没有在用的专项指标表单。请在“表单管理”页添加表单定义。")
    st.stop()
name = st.selectbox("表单", list(choices), format_func=choices.get, key="indicator_form")
page = cached(views.page, scope, name)
definition = page.definition
st.caption(
    f"范围：{scope.describe()}。" + (f"依据：{md_escape(definition.source)}。" if definition.source else "")
)
if page.table.empty:
    st.info(
        f"当前范围内还没有「{md_escape(definition.title)}」的数据。请在“数据上传”页上传，或放宽左侧筛选条件。"
    )
    earlier_season_hint(scope, key="indicator_earlier_season")
    st.stop()

for start in range(0, len(page.tiles), 4):
    for column, tile in zip(st.columns(4), page.tiles[start : start + 4], strict=False):
        column.metric(
            f"{tile.header} 达标率", tile.rate, border=True, help=f"{tile.detail}；标准 {tile.standard}"
        )

if page.by_group:
    chosen = st.selectbox("按指标查看达标率", list(page.by_group), key="indicator_form_rate")
    chart(charts.compliance_chart, page.by_group[chosen], page.group_header, chosen)

st.subheader("各指标分布")
for header, values in page.values.items():
    unit = "%" if header in page.percent_headers else ""
    chart(charts.distribution_chart, values, header, page.thresholds.get(header), unit)

st.subheader(f"明细（{len(page.table):,} 行）")
table(page.table, definition.title, scope, key="indicator_form_csv")

if page.thresholds:
    st.subheader(f"未达标名单（{len(page.shortfalls):,} 行）")
    table(
        page.shortfalls,
        f"{definition.title}_未达标名单",
        scope,
        key="indicator_form_shortfalls_csv",
        empty="当前范围内各指标均已达标，无需督办。",
    )
    open_indicator_case(page.shortfalls, definition)

"""总览: how the scope is doing — the three standards, 高风险人数 and 未报送学校 against the
previous 学年 — then the provinces (a click opens one) or, for one province, the
institutions furthest below the counselor standard."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core.accounts.limits import effective_scope
from core.charts.staffing import compliance_by_group_chart, worst_institutions_chart
from core.formatting import count_text, on_screen
from core.text import md_escape
from core.views.overview import overview_page, peer_figures
from core.views.staffing import institution_table
from core.views.tiles import State, Tile
from pages._charts import picked_chart
from pages._season import earlier_season_hint
from pages._shared import (
    app_settings,
    cached,
    current_limits,
    current_scope,
    link_to,
    open_profile,
    table,
)

# A tile's mark against the standard (its help says what the colours mean).
MARKS = {
    State.GOOD: ":green[:material/check_circle:] ",
    State.NEAR: ":orange[:material/error:] ",
    State.POOR: ":red[:material/cancel:] ",
    State.NONE: "",
}
TILE_HEIGHT = 170  # every tile as high as one with a change, so the links below line up
PROVINCE = "所在省份"
CODE = "学校标识码"

scope = current_scope()
today = app_settings().today()
st.title("总览")
st.caption(f"范围：{md_escape(scope.describe())}　·　统计日期：{today:%Y-%m-%d}　·　箭头为较上学年的变化")
earlier_season_hint(scope, key="overview_earlier_season")

page = cached(overview_page, scope, today)
kpis = page.kpis


def draw(tile: Tile) -> None:
    st.metric(
        MARKS[tile.state] + tile.label,
        tile.value,
        delta=tile.delta,
        delta_color="inverse" if tile.lower_is_better else "normal",
        help=tile.help,
        border=True,
        height=TILE_HEIGHT,
    )
    if tile.link:
        link_to(tile.link)


for column, tile in zip(st.columns(3), page.tiles[:3], strict=True):
    with column:
        draw(tile)
screening, projects = kpis.screening, kpis.projects
others = [
    *page.tiles[3:],
    Tile(
        "高校数",
        count_text(kpis.institutions),
        None,
        State.NONE,
        "高校名录中的学校数",
        "pages/profile.py",
    ),
    Tile(
        "心理筛查覆盖率",
        on_screen(screening.coverage),
        None,
        State.NONE,
        f"实测 {screening.screened:,} / 应测 {screening.target:,} 人",
        "pages/screening.py",
    ),
    Tile(
        "逾期项目",
        count_text(projects["overdue"]),
        None,
        State.NONE,
        f"共 {projects['projects']:,} 个项目（不分学年）",
        "pages/projects.py",
    ),
]
for column, tile in zip(st.columns(len(others)), others, strict=True):
    with column:
        draw(tile)

# a 校级填报 user: its province and the country as aggregates beside its own figures
for place, figures in cached(peer_figures, scope, current_limits(), today).items():
    st.markdown(f"**{md_escape(place)}（汇总）**")
    for column, (label, value) in zip(st.columns(len(figures)), figures.items(), strict=True):
        column.metric(label, value, border=True)

provinces = page.provinces
reported = provinces.dropna(subset=["辅导员适用学校数"])
if len(scope.provinces) == 1:
    place = scope.provinces[0]
    st.subheader(f"{md_escape(place)}距标准最远的学校")
    if page.worst.empty:
        st.success(f"{md_escape(place)}的学校均已达到{md_escape(page.counselors.describe())}。")
    else:
        st.caption("点击某校的条形，可打开该校的学校画像。")
        code = picked_chart(
            worst_institutions_chart,
            page.worst,
            page.counselors,
            place,
            key="overview_worst_pick",
            field=CODE,
        )
        if code:
            open_profile(code)
        table(page.worst, f"{place}辅导员缺口最大的学校", scope, key="overview_worst_csv")
    st.stop()

st.subheader("各省专职辅导员配备达标情况")
if reported.empty:
    st.info("所选范围暂无队伍配备数据。可在“数据上传”页上传思政队伍配备情况表。")
    picked = None
else:
    st.caption("点击某省的条形，可在下方查看该省各校。")
    picked = picked_chart(
        compliance_by_group_chart,
        reported,
        page.counselors,
        PROVINCE,
        True,
        key="overview_pick",
        field=PROVINCE,
    )
table(provinces, "各省辅导员配备", scope, key="overview_csv")
if picked:
    st.subheader(f"{md_escape(picked)}各校")
    narrowed = effective_scope(replace(scope, provinces=(picked,)), current_limits())  # never wider
    table(
        cached(institution_table, narrowed), f"{picked}各校辅导员配备", narrowed, key="overview_province_csv"
    )

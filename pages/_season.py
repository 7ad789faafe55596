"""What a page says when the chosen 学年 has no data yet (the season in progress before anyone
reports): which season it is, where its reporting progress is, and a button that chooses the
newest earlier 学年 with data in the sidebar. Not a page itself."""

from __future__ import annotations

import streamlit as st

from core.scope import Scope
from core.seasons import season_choices
from core.text import md_escape
from pages._shared import app_settings, cached

YEAR_KEY = "filter_year"  # the sidebar's 学年 (app.py)


def _choose_year(year: str) -> None:
    st.session_state[YEAR_KEY] = year  # a callback: runs before the sidebar is drawn again


def earlier_season_hint(scope: Scope, *, key: str) -> bool:
    """When ``scope``'s 学年 has no data anywhere (no form reported for it): say so (the season in
    progress: still being reported, see 报送情况) and offer the newest earlier 学年 with data.
    True when it said so (the page then need not say its own "no data")."""
    seasons = cached(season_choices, Scope(), app_settings().today())
    earlier = seasons.earlier_with_data(scope.year)
    if earlier is None:
        return False
    year, earlier_text = md_escape(scope.year), md_escape(earlier)  # years read from stored data
    if scope.year == seasons.default:
        st.info(
            f"{year} 学年正在报送中，还没有学校报送数据：各校的报送进度见“报送情况”页。"
            f"最近有数据的是 {earlier_text} 学年，可点击下方按钮或在左侧选择学年查看。"
        )
    else:
        st.info(f"{year} 学年没有报送数据。最近有数据的是 {earlier_text} 学年，可点击下方按钮查看。")
    st.button(
        f"查看 {earlier_text} 学年",
        on_click=_choose_year,
        args=(earlier,),
        key=key,
        icon=":material/history:",
    )
    return True

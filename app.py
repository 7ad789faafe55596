"""Entry point: navigation over pages/ and the global sidebar filters (→ Scope)."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from core.forms import LEVELS, OWNERSHIPS
from core.incidents import record_unexpected, unexpected_message
from core.queries.base import filter_choices
from core.scope import Scope
from pages._shared import ICON, PAGES, SCOPE_KEY, cached, note_data_version, page_shell

HERE = Path(__file__).parent


def navigation() -> dict[str, list]:
    sections: dict[str, list] = {}
    for section, path, title, icon in PAGES:
        if (HERE / path).exists():
            page = st.Page(path, title=title, icon=icon, default=path.endswith("overview.py"))
            sections.setdefault(section, []).append(page)
    return sections


def sidebar_scope() -> Scope:
    """Draw the global filters; widget keys keep the choice across pages."""
    years, provinces_present = cached(filter_choices, Scope())
    with st.sidebar:
        st.markdown("### 筛选")
        year = st.selectbox(
            "学年", years, index=0 if years else None, key="filter_year", placeholder="暂无数据"
        )
        provinces = st.multiselect("省份", provinces_present, key="filter_provinces", placeholder="全部省份")
        levels = st.multiselect("办学层次", LEVELS, key="filter_levels", placeholder="全部")
        ownerships = st.multiselect("办学性质", OWNERSHIPS, key="filter_ownerships", placeholder="全部")
    return Scope(
        year=year,
        provinces=tuple(provinces),
        levels=tuple(levels),
        ownerships=tuple(ownerships),
    )


st.set_page_config(page_title="高校思政工作监测平台", page_icon=str(ICON), layout="wide")
page_shell()
page = st.navigation(navigation())
note_data_version()  # once per run: what every cached read below is keyed on
st.session_state[SCOPE_KEY] = sidebar_scope()
try:
    page.run()
except Exception as error:  # noqa: BLE001 (every page: the visitor sees an id, the log the traceback)
    st.error(unexpected_message(record_unexpected(error), error))
    if os.environ.get("APP_RAISE_ERRORS"):  # tests: a page that raises still fails its test
        raise

"""Entry point: the sign-in gate, navigation over pages/ and the global sidebar filters (→ Scope)."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from core.accounts.roles import Account, Role
from core.forms import LEVELS, OWNERSHIPS
from core.incidents import record_unexpected, unexpected_message
from core.queries.base import filter_choices
from core.scope import Scope
from core.seasons import season_choices
from core.text import md_escape
from core.urlstate import PAGE_PARAMS, filter_params, read_filters
from pages._season import YEAR_KEY
from pages._shared import (
    ICON,
    PAGES,
    SCOPE_KEY,
    app_settings,
    cached,
    check_session,
    may_open,
    note_data_version,
    page_shell,
)
from pages._signin import sign_in_form, sign_out_button

HERE = Path(__file__).parent


def navigation(account: Account | None) -> dict[str, list]:
    """The pages ``account``'s role may use (the others are not reachable, not even by address);
    signed out, every page, so that a bookmarked address opens after signing in (none runs)."""
    sections: dict[str, list] = {}
    for section, path, title, icon in PAGES:
        if (HERE / path).exists() and (account is None or may_open(account, path)):
            page = st.Page(path, title=title, icon=icon, default=path.endswith("overview.py"))
            sections.setdefault(section, []).append(page)
    return sections


def province_choice(account: Account, provinces_present: list[str]) -> list[str]:
    """The 省份 filter: a choice for an administrator; a province or school user has its own only."""
    if account.role == Role.ADMIN:
        return st.multiselect(
            "省份", provinces_present, key="filter_provinces", placeholder="全部省份", select_all=False
        )
    if account.role == Role.INSTITUTION:
        st.markdown(f"学校：{md_escape(account.institution_code)}（本校数据；本省与全国只看汇总）")
    else:
        st.markdown(f"省份：{md_escape(account.province)}")
    return []


FILTER_KEYS = {"year": YEAR_KEY, "provinces": "filter_provinces", "levels": "filter_levels"}
FILTER_KEYS["ownerships"] = "filter_ownerships"
FROM_ADDRESS_KEY = "filters_from_address"  # set once a session has read the address's filters


def filters_from_address(account: Account, years: list[str], provinces_present: list[str]) -> None:
    """On a session's first run, the filters the address names (?year=…&province=…) become the
    sidebar's choices; a value this user may not choose is dropped with a note."""
    if st.session_state.get(FROM_ADDRESS_KEY):
        return
    st.session_state[FROM_ADDRESS_KEY] = True
    asked = read_filters(
        st.query_params.get_all,
        years=years,
        provinces=provinces_present if account.role == Role.ADMIN else [],
        levels=LEVELS,
        ownerships=OWNERSHIPS,
    )
    for name, key in FILTER_KEYS.items():
        if value := getattr(asked, name):
            st.session_state[key] = list(value) if isinstance(value, tuple) else value
    if note := asked.note():
        st.toast(md_escape(note), icon=":material/info:")


def keep_filters_in_address(scope: Scope) -> None:
    """The address says what the sidebar shows, so that F5 or a shared link opens this view; a
    page's own parameter (学校画像's ?code=) stays for the page (navigating away drops it)."""
    own = {key: st.query_params.get_all(key) for key in PAGE_PARAMS if key in st.query_params}
    wanted = {**filter_params(scope.year, scope.provinces, scope.levels, scope.ownerships), **own}
    if {key: st.query_params.get_all(key) for key in st.query_params} != wanted:
        st.query_params.from_dict(wanted)


def sidebar_scope(account: Account) -> Scope:
    """Draw the global filters (only what ``account`` may choose); widget keys keep the choice
    across pages, and the address carries it (core.urlstate). The 学年 list holds the season in
    progress, chosen by default, even before anything is reported for it (core.seasons). The
    pages intersect the choice with the user's limits (pages._shared.current_scope)."""
    _, provinces_present = cached(filter_choices, Scope())
    seasons = cached(season_choices, Scope(), app_settings().today())
    filters_from_address(account, seasons.years, provinces_present)
    with st.sidebar:
        st.markdown(f"**{md_escape(account.name)}** · {account.role_label}")
        sign_out_button()
        st.markdown("### 筛选")
        year = st.selectbox("学年", seasons.years, index=seasons.default_index, key=YEAR_KEY)
        provinces = province_choice(account, provinces_present)
        levels = st.multiselect("办学层次", LEVELS, key="filter_levels", placeholder="全部", select_all=False)
        ownerships = st.multiselect(
            "办学性质", OWNERSHIPS, key="filter_ownerships", placeholder="全部", select_all=False
        )
    scope = Scope(year=year, provinces=tuple(provinces), levels=tuple(levels), ownerships=tuple(ownerships))
    keep_filters_in_address(scope)
    return scope


def run() -> None:
    """One run of the app for one session: the shell, the sign-in gate, the chosen page."""
    st.set_page_config(page_title="高校思政工作监测平台", page_icon=str(ICON), layout="wide")
    page_shell()
    signed_in = check_session()  # once per run: the session token → the account, or None
    page = st.navigation(  # expanded: every page listed, no English "View more" button
        navigation(signed_in), position="sidebar" if signed_in else "hidden", expanded=True
    )
    if signed_in is None:  # only the sign-in form: no page runs, no navigation, no data
        sign_in_form()
        st.stop()
    note_data_version()  # once per run: what every cached read below is keyed on
    st.session_state[SCOPE_KEY] = sidebar_scope(signed_in)
    try:
        page.run()
    except Exception as error:  # noqa: BLE001 (every page: the visitor sees an id, the log the traceback)
        st.error(unexpected_message(record_unexpected(error), error))
        if os.environ.get("APP_RAISE_ERRORS"):  # tests: a page that raises still fails its test
            raise


# Streamlit runs this file as __main__; a read worker (core.workers) imports it as __mp_main__,
# and must not draw anything (Python's idiom for a main module that starts processes).
if __name__ == "__main__":
    run()

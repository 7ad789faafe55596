"""What every page shares: the engine, the sidebar scope, cached reads, tables with their
CSV button, cached charts.

Not a page itself (app.py lists the pages). Kept thin: formatting and logic live in core.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from core.accounts.audit import AuditKind, record_audit
from core.accounts.limits import Limits, effective_scope, limits_for
from core.accounts.roles import Account, Role, SessionExpired
from core.accounts.signin import touch_session
from core.config import Settings, load_settings
from core.db import data_version, engine_for, init_db
from core.export import csv_bytes
from core.formatting import NOT_AVAILABLE
from core.scope import Scope

SCOPE_KEY = "scope"  # the sidebar's choice (app.py); reads use current_scope(), never this alone
DATA_VERSION_KEY = "data_version"
TOKEN_KEY = "auth_token"  # the session token from start_session (its hash is in the database)
ACCOUNT_KEY = "account"  # the Account that token was checked to belong to, this run

# (section, file, title, icon); a page whose file does not exist yet is left out.
PAGES = [
    ("监测", "pages/overview.py", "总览", ":material/dashboard:"),
    ("监测", "pages/staffing.py", "辅导员配备", ":material/groups:"),
    ("监测", "pages/screening.py", "心理筛查", ":material/psychology:"),
    ("监测", "pages/projects.py", "项目进度", ":material/flag:"),
    ("监测", "pages/indicator_form.py", "专项指标", ":material/checklist:"),
    ("报送", "pages/completeness.py", "报送情况", ":material/fact_check:"),
    ("报送", "pages/report.py", "通报", ":material/summarize:"),
    ("报送", "pages/profile.py", "学校画像", ":material/school:"),
    ("报送", "pages/upload.py", "数据上传", ":material/upload_file:"),
    ("报送", "pages/uploads.py", "上传记录", ":material/history:"),
    ("报送", "pages/review.py", "报送审核", ":material/approval:"),
    ("报送", "pages/cases.py", "督办", ":material/assignment_late:"),
    ("设置", "pages/standards_settings.py", "配备标准", ":material/rule:"),
    ("设置", "pages/deadlines.py", "报送截止日期", ":material/event:"),
    ("设置", "pages/forms_admin.py", "表单管理", ":material/edit_document:"),
    ("设置", "pages/users.py", "用户管理", ":material/manage_accounts:"),
    ("设置", "pages/audit.py", "审计日志", ":material/policy:"),
]
# The roles a page is for (a page not listed: every role). Not in the others' navigation, and
# refused when one of them opens it by its address (require_page).
PAGE_ROLES: dict[str, tuple[Role, ...]] = {
    "pages/upload.py": (Role.ADMIN, Role.PROVINCE, Role.INSTITUTION),
    "pages/standards_settings.py": (Role.ADMIN,),
    "pages/deadlines.py": (Role.ADMIN, Role.PROVINCE),
    "pages/users.py": (Role.ADMIN,),
    "pages/audit.py": (Role.ADMIN,),
    "pages/forms_admin.py": (Role.ADMIN,),
}


def may_open(account: Account, path: str) -> bool:
    return account.role in PAGE_ROLES.get(path, tuple(Role))


@st.cache_resource
def app_settings() -> Settings:
    return load_settings()


@st.cache_resource
def get_engine() -> Engine:
    engine = engine_for(app_settings().database_url)
    init_db(engine)
    return engine


def client_address() -> str | None:
    """The visitor's address as Streamlit gives it (None on localhost, and under AppTest, whose
    context is a stand-in): for the audit log."""
    address = st.context.ip_address
    return address if isinstance(address, str) else None


def check_session() -> Account | None:
    """The account of this browser session's token, checked with touch_session (app.py, once
    per run): None when not signed in, or the session expired, ended or its user was disabled."""
    token, account = st.session_state.get(TOKEN_KEY), None
    if token:
        try:
            account = touch_session(get_engine(), token=token)
        except SessionExpired:
            st.session_state.pop(TOKEN_KEY, None)
    st.session_state[ACCOUNT_KEY] = account
    return account


def current_account() -> Account | None:
    """The signed-in account (checked this run by app.py), or None."""
    if ACCOUNT_KEY not in st.session_state:
        return check_session()
    return st.session_state[ACCOUNT_KEY]


def require_page(path: str | None = None) -> Account:
    """The signed-in account, allowed on the page at ``path``; otherwise the page stops here,
    showing only the sign-in form (signed out) or a refusal (a page not for the role). Every
    page calls it first (directly or through :func:`current_scope`)."""
    run_through_app()
    account = current_account()
    if account is None:
        from pages._signin import sign_in_form

        sign_in_form()
        st.stop()
    if path is not None and not may_open(account, path):
        st.error(f"{account.role_label}账号无权使用本页。如需使用，请联系系统管理员。")
        st.stop()
    return account


def current_limits() -> Limits:
    return limits_for(require_page())


def current_scope() -> Scope:
    """The sidebar's choice intersected with the signed-in user's limits: the only scope pages
    read with (a choice outside the limits reads nothing, never more)."""
    return effective_scope(st.session_state.get(SCOPE_KEY, Scope()), current_limits())


def run_through_app() -> None:
    """Rerun through app.py when a page was started without it. Every page calls this first
    (directly, or through :func:`current_scope`).

    Because the screens live in a folder called ``pages/``, Streamlit starts each server
    in its legacy folder mode and only leaves it when ``st.navigation`` is first called.
    If the very first request of a fresh server is a page's own address (a bookmark),
    that page runs alone — Streamlit's file-name navigation (app, shared, upload …), no
    sidebar filters, no scope. Leaving the legacy mode and rerunning sends the same
    request through app.py, as every later one goes.
    """
    if ACCOUNT_KEY in st.session_state:
        return
    from streamlit.runtime.pages_manager import PagesManager

    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


def _name(function: Callable[..., Any]) -> str:
    """'module.qualname': the part of a cache key that says which function a cached call
    runs (Streamlit does not hash the function itself, passed as an underscore argument)."""
    return f"{function.__module__}.{function.__qualname__}"


@st.cache_data(show_spinner="正在读取数据…", max_entries=512)
def _cached_call(
    _function: Callable[..., Any],
    name: str,
    database_url: str,
    version: int,
    scope: Scope,
    args: tuple,
    kwargs: tuple,
) -> Any:
    return _function(get_engine(), scope, *args, **dict(kwargs))


def note_data_version() -> None:
    """Read the database's data version for this run (app.py, once per run, before any read).

    Every store, revert or settings change — by this process, another app process or the
    command line — raises it, so the next run of every session reads afresh; while it is
    unchanged every read comes from the cache.
    """
    st.session_state[DATA_VERSION_KEY] = data_version(get_engine())


def cached(function: Callable[..., Any], scope: Scope, *args: Any, **kwargs: Any) -> Any:
    """``function(engine, scope, *args, **kwargs)``, cached on the function's name, the data
    version, the scope and the arguments.

    The cache is shared by every user, so everything that limits what is read is part of
    the key: the scope, which :func:`current_scope` has already intersected with the user's limits.
    """
    if DATA_VERSION_KEY not in st.session_state:
        note_data_version()
    return _cached_call(
        function,
        _name(function),
        app_settings().database_url,
        st.session_state[DATA_VERSION_KEY],
        scope,
        args,
        tuple(sorted(kwargs.items())),
    )


def clear_cached_reads() -> None:
    """After a store, revert or settings change in this session: the rest of this run reads
    the new data version (the change raised it), so it shows fresh figures too."""
    note_data_version()


def csv_button(
    frame: pd.DataFrame,
    what: str,
    scope: Scope,
    *,
    key: str,
    label: str = "下载 CSV",
    build: Callable[[], pd.DataFrame] | None = None,
) -> None:
    """A download button for ``frame`` named ``<what>_<scope>.csv``; built only when clicked.

    ``build``, when given, makes the file's table at that moment instead (a file that
    differs from the screen, e.g. with small counts masked); ``frame`` then only says
    whether there is anything to download.
    """

    def make() -> tuple[pd.DataFrame, bytes]:
        made = build() if build else frame
        return made, csv_bytes(made)

    st.download_button(
        label,
        data=audited(make, what, scope),
        file_name=f"{what}_{scope.label()}.csv",
        mime="text/csv",
        key=key,
        on_click="ignore",
        disabled=frame.empty,
        icon=":material/download:",
    )


def audited(make: Callable[[], tuple[Any, bytes]], what: str, scope: Scope) -> Callable[[], bytes]:
    """A download button's ``data``: ``make()`` gives (the table or the row count, the file's
    bytes) when the button is clicked; the export is recorded in the audit log then (what,
    scope, rows). Who and from where are taken now: the click is served outside this run."""
    account, client = current_account(), client_address()
    actor = account.name if account else "未登录"

    def data() -> bytes:
        made, content = make()
        rows = made if isinstance(made, int) else len(made)
        detail = {"what": what, "scope": scope.describe(), "rows": rows}
        record_audit(get_engine(), kind=AuditKind.EXPORT, actor=actor, detail=detail, client=client)
        return content

    return data


def message_table(frame: pd.DataFrame, what: str, scope: Scope, *, key: str) -> None:
    """A table of messages (errors, notes, header mappings) with its 说明 column wide enough to
    read, and its CSV button under it."""
    wide = {"说明": st.column_config.TextColumn(width="large")}
    st.dataframe(frame, hide_index=True, width="stretch", column_config=wide)
    csv_button(frame, what, scope, key=key)


def table(
    frame: pd.DataFrame,
    what: str,
    scope: Scope,
    *,
    key: str,
    label: str = "下载 CSV",
    build: Callable[[], pd.DataFrame] | None = None,
) -> None:
    """``frame`` on screen — whole numbers with thousands separators, fractions with one
    decimal, "—" for an empty cell — and its CSV button under it (see :func:`csv_button`)."""
    formats = {
        name: st.column_config.NumberColumn(
            format="%.1f" if pd.api.types.is_float_dtype(frame[name]) else "localized"
        )
        for name in frame.columns
        if pd.api.types.is_numeric_dtype(frame[name])
    }
    st.dataframe(frame, hide_index=True, width="stretch", column_config=formats, placeholder=NOT_AVAILABLE)
    csv_button(frame, what, scope, key=key, label=label, build=build)


def chart(build: Callable[..., alt.TopLevelMixin], *args: Any) -> None:
    """Draw the Altair chart ``build(*args)`` (a core.charts builder and its frames).

    Building an Altair chart and turning it into Vega-Lite (validated against the
    schema) takes tens of milliseconds per chart, on every rerun; the finished spec is
    cached on the builder and its arguments instead. Those are fingerprinted on every
    rerun, so they should be the small frames the chart shows, not whole tables.
    """
    st.vega_lite_chart(_chart_spec(build, _name(build), args), width="stretch")


def chart_at_own_width(build: Callable[..., alt.TopLevelMixin], *args: Any) -> None:
    """:func:`chart` at the width Streamlit gives the chart's kind: its own for a faceted or
    side-by-side chart (stretching squeezes the panels), the column's for the others."""
    st.vega_lite_chart(_chart_spec(build, _name(build), args))


def _fingerprint(frame: pd.DataFrame) -> bytes:
    """A frame's bytes for the chart cache key: pickling is ~5× faster than Streamlit's
    default hashing of every value (equal bytes mean equal frames)."""
    return pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs={pd.DataFrame: _fingerprint})
def _chart_spec(_build: Callable[..., alt.TopLevelMixin], name: str, args: tuple) -> dict[str, Any]:
    """The spec ``st.altair_chart`` would draw (Streamlit's own conversion: theme and
    Arrow datasets alike), for ``st.vega_lite_chart``; ``name`` is ``_build``'s in the key."""
    return _convert_altair_to_vega_lite_spec(_build(*args))


def link_to(path: str) -> None:
    """A link to the page at ``path`` with its navigation title; nothing if it is not built."""
    for _, page_path, title, icon in PAGES:
        if page_path == path and (Path(__file__).resolve().parent.parent / path).exists():
            st.page_link(path, label=f"查看{title}", icon=icon)

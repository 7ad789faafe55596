"""What every page shares: the engine, the sidebar scope, cached reads, tables with their
CSV button, cached charts.

Not a page itself (app.py lists the pages). Kept thin: formatting and logic live in core.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from core.accounts.audit import AuditKind, record_audit
from core.accounts.limits import Limits, effective_scope, limits_for
from core.accounts.roles import Account, Role, SessionExpired
from core.accounts.signin import touch_session
from core.config import Settings, load_settings
from core.db import data_versions, engine_for, init_db
from core.export import csv_bytes
from core.formatting import NOT_AVAILABLE
from core.freshness import areas_read
from core.scope import Scope
from core.workers import compute, start_workers
from pages._downloads import hold_downloads_of_this_server
from pages._screen_rows import screen_form, screen_rows

ICON = Path(__file__).resolve().parent.parent / "static" / "favicon.png"  # served by the app itself
# Streamlit's page shell says <html lang="en"> and "Skip to main content": the document is marked
# Chinese (screen readers, fonts) and the link reworded, watching as Streamlit may redraw it.
LOCALIZE_DOCUMENT = """<script>
(() => {
  const localize = () => {
    document.documentElement.lang = "zh-CN";
    const skip = document.querySelector('[data-testid="stSkipToContent"]');
    if (skip && skip.textContent !== "跳到主要内容") skip.textContent = "跳到主要内容";
  };
  localize();
  if (!window.__localized) {
    window.__localized = true;
    new MutationObserver(localize).observe(document.body, {childList: true, subtree: true});
  }
})();
</script>"""
# Tiles' labels and values wrap instead of ending in "…" on a narrow column (1366 px with five
# tiles a row, or a 390 px phone).
TILE_STYLE = """<style>
[data-testid="stMetric"] [data-testid="stMarkdownContainer"],
[data-testid="stMetric"] [data-testid="stMarkdownContainer"] p {
  white-space: normal; overflow: visible; text-overflow: clip;
}
[data-testid="stMetricLabel"] p { line-height: 1.35; }
</style>"""
SCOPE_KEY = "scope"  # the sidebar's choice (app.py); reads use current_scope(), never this alone
PROFILE_KEY = "profile_code"  # 学校画像's 学校 choice
CODE_COLUMN = "学校标识码"
PAGE_ROWS = 100  # a table's rows on screen at a time (page_of); its CSV has them all
MESSAGE_ROW_HEIGHT = 64  # px: a long 说明 wraps onto three lines instead of being cut off
OPEN_HINT = "勾选行首的选择框，可打开该校的学校画像"
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
    "pages/deadlines.py": (Role.ADMIN, Role.PROVINCE, Role.VIEWER),
    "pages/users.py": (Role.ADMIN,),
    "pages/audit.py": (Role.ADMIN,),
    "pages/forms_admin.py": (Role.ADMIN,),
}


def may_open(account: Account, path: str) -> bool:
    return account.role in PAGE_ROLES.get(path, tuple(Role))


def page_shell() -> None:
    """What every page's shell needs (app.py, every run): the page marked Chinese, Streamlit's
    skip link worded in Chinese, tiles that wrap instead of truncating, CSV files kept until
    the browser has fetched them (pages._downloads)."""
    hold_downloads_of_this_server()
    st.html(TILE_STYLE)
    with st.sidebar:
        st.html(LOCALIZE_DOCUMENT, unsafe_allow_javascript=True, width="content")


@st.cache_resource
def app_settings() -> Settings:
    return load_settings()


@st.cache_resource
def get_engine() -> Engine:
    engine = engine_for(app_settings().database_url)
    init_db(engine)
    start_workers()
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


def function_name(function: Callable[..., Any]) -> str:
    """'module.qualname': the part of a cache key that says which function a cached call
    runs (Streamlit does not hash the function itself, passed as an underscore argument)."""
    return f"{function.__module__}.{function.__qualname__}"


@st.cache_resource(show_spinner="正在读取数据…", max_entries=512)
def _cached_call(
    _function: Callable[..., Any],
    name: str,
    database_url: str,
    version: int | tuple[int, ...],
    scope: Scope,
    args: tuple,
    kwargs: tuple,
) -> Any:
    """One shared result, not a copy unpickled per hit (st.cache_data): nothing changes it.
    Computed in a worker process (core.workers), leaving this one to serve the pages."""
    return compute(_function, database_url, scope, *args, **dict(kwargs))


def note_data_version() -> None:
    """Read the database's data versions for this run (app.py, once per run, before any read).

    Every store, revert or settings change — by this process, another app process or the
    command line — raises them, so the next run of every session reads afresh what changed
    (core.freshness); while they are unchanged every read comes from the cache.
    """
    st.session_state[DATA_VERSION_KEY] = data_versions(get_engine())


def cached(function: Callable[..., Any], scope: Scope, *args: Any, **kwargs: Any) -> Any:
    """``function(engine, scope, *args, **kwargs)``, cached on the function's name, the data
    version of what it reads (core.freshness), the scope and the arguments.

    The cache is shared by every user, so everything that limits what is read is part of
    the key: the scope, which :func:`current_scope` has already intersected with the user's limits.
    """
    if DATA_VERSION_KEY not in st.session_state:
        note_data_version()
    return _cached_call(
        function,
        function_name(function),
        app_settings().database_url,
        st.session_state[DATA_VERSION_KEY].of(areas_read(function)),
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
    ``build``, when given, makes the file's table then instead (a file that differs from the
    screen, e.g. with small counts masked); ``frame`` then only says whether there is any."""

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
    show_numeric(
        frame,
        column_config={"说明": st.column_config.TextColumn(width="large")},
        row_height=MESSAGE_ROW_HEIGHT if "说明" in frame.columns else None,
    )
    csv_button(frame, what, scope, key=key)


def show_numeric(frame: pd.DataFrame, *, empty: str = "暂无数据。", **options: Any) -> Any:
    """``frame`` in st.dataframe with its numbers numeric (rates and ratios too, see
    core.screen) and "—" for an empty cell; ``options`` go to st.dataframe. A table without
    rows is the sentence ``empty`` instead (Streamlit would draw a grid saying "empty")."""
    if frame.empty:
        st.caption(empty)
        return None
    return _draw(*screen_form(frame), options)


def _draw(shown: Any, config: dict[str, Any], options: dict[str, Any]) -> Any:
    """st.dataframe of rows made by pages._screen_rows, with their column config and ``options``
    (its selection event when ``options`` ask for one)."""
    config = config | options.pop("column_config", {})
    return st.dataframe(
        shown, hide_index=True, width="stretch", column_config=config, placeholder=NOT_AVAILABLE, **options
    )


def table(
    frame: pd.DataFrame,
    what: str,
    scope: Scope,
    *,
    key: str,
    label: str = "下载 CSV",
    build: Callable[[], pd.DataFrame] | None = None,
    column_order: list[str] | None = None,
    empty: str = "暂无数据。",
) -> None:
    """``frame`` on screen (see :func:`show_numeric`; ``column_order`` when the screen shows the
    columns in another order than the CSV), a page of it at a time (:func:`page_of`), and its
    CSV button under it with every row (see :func:`csv_button`).

    A table of institutions (with 学校标识码) opens 学校画像 of the row chosen."""
    if frame.empty:
        st.caption(empty)
    elif CODE_COLUMN in frame.columns:
        start, end = page_of(frame, key)
        event = _draw(
            *screen_rows(frame, start, end),
            {
                "column_order": column_order,
                "column_config": {CODE_COLUMN: st.column_config.TextColumn(help=OPEN_HINT)},
                "on_select": "rerun",
                "selection_mode": "single-row",
                "key": f"{key}_rows",
            },
        )
        if event is not None and event.selection.rows:
            open_profile(str(frame[CODE_COLUMN].iloc[start + event.selection.rows[0]]))
    else:
        _draw(*screen_rows(frame, *page_of(frame, key)), {"column_order": column_order})
    csv_button(frame, what, scope, key=key, label=label, build=build)


def page_of(frame: pd.DataFrame, key: str) -> tuple[int, int]:
    """(start, end) of the ``PAGE_ROWS`` rows of ``frame`` on the page chosen above it (st.pagination, kept in
    the session as ``<key>_page``). A national table of 3,000 schools would send megabytes on
    every rerun and is read a screen at a time anyway; its CSV file holds every row."""
    if len(frame) <= PAGE_ROWS:
        return 0, len(frame)
    pages, page_key = -(-len(frame) // PAGE_ROWS), f"{key}_page"
    if st.session_state.get(page_key, 1) > pages:  # fewer rows than when that page was chosen
        st.session_state[page_key] = pages
    start = (st.pagination(pages, key=page_key) - 1) * PAGE_ROWS
    end = min(start + PAGE_ROWS, len(frame))
    st.caption(
        f"共 {len(frame):,} 行，每页 {PAGE_ROWS} 行，本页为第 {start + 1:,}–{end:,} 行；下载的 CSV 含全部行。"
    )
    return start, end


def open_profile(code: str) -> None:
    """Open 学校画像 on the institution ``code`` (the page's 学校 choice keeps it)."""
    st.session_state[PROFILE_KEY] = code
    st.switch_page("pages/profile.py")


def link_to(path: str) -> None:
    """A link to the page at ``path`` with its navigation title; nothing if it is not built."""
    for _, page_path, title, icon in PAGES:
        if page_path == path and (Path(__file__).resolve().parent.parent / path).exists():
            st.page_link(path, label=f"查看{title}", icon=icon)

"""AppTest as the server runs the app (shared by the test fixtures and the page bench)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest import mock

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

if TYPE_CHECKING:
    import pandas as pd

APP_PATH = Path(__file__).resolve().parents[1] / "app.py"
TEST_PASSWORD = "test-password-1"
# The user open_app_page signs in as, by role (province users of 河南省, the sample data's largest).
TEST_USERS: dict[str, dict[str, Any]] = {
    "admin": {"name": "测试管理员", "role": "admin"},
    "province": {"name": "测试省级", "role": "province", "province": "河南省"},
    "viewer": {"name": "测试查看", "role": "viewer", "province": "河南省"},
}


class NavigationPagesManager(PagesManager):
    """A PagesManager that leaves Streamlit's legacy ``pages/`` folder mode at once.

    The project keeps its screens in ``pages/`` (the layout is fixed) and navigates with
    ``st.navigation``. The server treats a ``pages/`` folder as the legacy multipage mode
    only until ``st.navigation`` is first called; AppTest resets that flag before every
    run, so from its second run on it would run the page file alone, without app.py's
    sidebar. Installed as ``streamlit.testing.v1.app_test.PagesManager``, this clears the
    flag right after AppTest resets it.
    """

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


def use_navigation_pages_manager() -> None:
    """Make every later AppTest run go through app.py (for scripts; tests use the fixture)."""
    from streamlit.testing.v1 import app_test

    app_test.PagesManager = NavigationPagesManager


def app_user(name: str, role: str, *, database_url: str | None = None, **place: str | None) -> Any:
    """The account ``name`` in the app's database (``database_url``, by default DATABASE_URL),
    created (with the schema) when missing; password TEST_PASSWORD, hashed with cheap Argon2id
    parameters, as the accounts tests do."""
    from argon2 import PasswordHasher
    from sqlalchemy import select

    from core.accounts.users import add_user, to_account
    from core.db import init_db, make_engine
    from core.models import User

    engine = make_engine(database_url or os.environ["DATABASE_URL"])
    try:
        init_db(engine)
        with engine.connect() as connection:
            existing = connection.execute(select(User).where(User.name == name)).first()
        if existing is not None:
            return to_account(User.model_validate(existing._mapping))
        cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        with mock.patch("core.accounts.passwords._HASHER", cheap):
            return add_user(engine, name=name, role=role, password=TEST_PASSWORD, actor="测试", **place)
    finally:
        engine.dispose()


def sign_in(app: AppTest, role: str = "admin", **user: str | None) -> Any:
    """Sign ``app``'s session in as a user of ``role`` (TEST_USERS, or ``user``'s name / province /
    institution): a session token in its session state, as the sign-in form leaves it."""
    from core.accounts.signin import start_session
    from core.db import make_engine

    options = TEST_USERS.get(role, {"name": f"测试{role}", "role": role}) | user
    account = app_user(**options)
    engine = make_engine(os.environ["DATABASE_URL"])
    app.session_state["auth_token"] = start_session(engine, account=account)
    engine.dispose()
    return account


def open_app_page(
    page_path: str,
    *,
    year: str | None = None,
    provinces: list[str] | None = None,
    address: dict[str, str] | None = None,
    role: str | None = "admin",
    **user: str | None,
) -> AppTest:
    """Run app.py as a fresh visitor would, then open ``page_path`` (e.g. "pages/staffing.py").

    The app caches its settings and engine per process, so they are dropped first and the
    run reads the DATABASE_URL / APP_TODAY the test has set (the ``app_engine`` fixture).
    ``year`` chooses the sidebar's 学年 (by default the season in progress at APP_TODAY, which
    a test's data may not have), ``provinces`` pre-selects its 省份 filter; ``address`` the
    query parameters of the address opened (?year=…&code=…). The session is signed in as a user of
    ``role`` (see :func:`sign_in`; None: signed out). A page that raises fails the test here,
    with the exceptions' messages.
    """
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(str(APP_PATH), default_timeout=60)
    if role is not None:
        sign_in(app, role, **user)
    for name, value in (address or {}).items():
        app.query_params[name] = value
    if year:
        app.session_state["filter_year"] = year
    if provinces:
        app.session_state["filter_provinces"] = provinces
    app.run()
    app.switch_page(page_path).run()
    assert not app.exception, [exception.value for exception in app.exception]
    return app


def metrics_shown(app: AppTest) -> dict[str, str]:
    """The page's KPI tiles: label → the value as displayed."""
    return {metric.label: metric.value for metric in app.metric}


def table_with(app: AppTest, column: str, *, without: str = "") -> pd.DataFrame:
    """The one table on the page that has ``column`` (and not ``without``); fails unless exactly one."""
    frames = [
        element.value
        for element in app.dataframe
        if column in element.value.columns and without not in element.value.columns
    ]
    assert len(frames) == 1, f"{len(frames)} tables with column {column}"
    return frames[0]

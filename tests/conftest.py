"""Shared fixtures: a real SQLite file per test, and PostgreSQL when TEST_POSTGRES_URL is set."""

from __future__ import annotations

import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from core.db import init_db, make_engine
from tests.databases import postgres_schema_url

TEST_POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
# app.py shows visitors an error id instead of a page's exception; under tests it re-raises it,
# so that a page that fails still fails its test (AppTest's app.exception)
os.environ.setdefault("APP_RAISE_ERRORS", "1")
# Page models in this process (core.workers): AppTests swap functions and count statements here.
# The apps the browser tests serve (tests/servers.py) run with the workers, as deployed.
os.environ.setdefault("READ_WORKERS", "0")


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'app.db'}"


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database upgraded to the newest revision once per test run."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    engine = make_engine(f"sqlite:///{path}")
    init_db(engine)
    engine.dispose()
    return path


@pytest.fixture
def engine(db_url: str, migrated_sqlite: Path) -> Iterator[Engine]:
    """A fresh SQLite database file with the schema created: a copy of ``migrated_sqlite``
    (SQLite's backup API, ~1 ms) rather than running the migrations for every test."""
    with (
        sqlite3.connect(migrated_sqlite) as source,
        sqlite3.connect(db_url.removeprefix("sqlite:///")) as copy,
    ):
        source.backup(copy)
    engine = make_engine(db_url)
    init_db(engine)  # already at the newest revision: one cheap check
    yield engine
    engine.dispose()


@pytest.fixture
def app_today() -> str:
    """APP_TODAY for the app under AppTest: the sample data's day. A module overrides it for another."""
    return "2025-11-30"


@pytest.fixture
def app_db_url(db_url: str, app_today: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The app's DATABASE_URL (a SQLite file not created yet) and APP_TODAY, set for AppTest runs."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("APP_TODAY", app_today)
    return db_url


@pytest.fixture
def app_engine(app_db_url: str, engine: Engine) -> Engine:
    """The app's database under AppTest: the fresh ``engine`` file, as DATABASE_URL, with APP_TODAY set.

    Fill it with tests.factories.store_rows, then open a page with tests.apptest.open_app_page.
    """
    return engine


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    """A fresh PostgreSQL schema (dropped afterwards); skipped without TEST_POSTGRES_URL."""
    if not TEST_POSTGRES_URL:
        pytest.skip("未设置 TEST_POSTGRES_URL：跳过 PostgreSQL 测试（.ci/run 在 PostgreSQL 可用时会设置它）")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(TEST_POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(postgres_schema_url(TEST_POSTGRES_URL, schema))
    init_db(engine)
    yield engine
    engine.dispose()
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_engine(request: pytest.FixtureRequest) -> Engine:
    """The same test on SQLite and (when available) PostgreSQL."""
    name = "engine" if request.param == "sqlite" else "pg_engine"
    return request.getfixturevalue(name)


@pytest.fixture(autouse=True)
def _apptest_like_the_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """AppTest runs app.py on every run, as the server does (see tests/apptest.py).

    Cached resources (engine, settings) and data are dropped around each test so that
    each test's DATABASE_URL counts.
    """
    import streamlit as st
    from streamlit.testing.v1 import app_test

    from tests.apptest import NavigationPagesManager

    monkeypatch.setattr(app_test, "PagesManager", NavigationPagesManager)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def host_in_new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The server's own clock in a time zone other than UTC (and Beijing): stored times are UTC."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()

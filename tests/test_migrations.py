"""Alembic migrations: the schema the models declare is the one the migrations build, and a
database of the release before migrations (7173b83) upgrades with every row and figure kept."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlmodel import SQLModel

import core.models  # noqa: F401  (the tables on SQLModel.metadata)
from core import cli
from core.db import data_version, head_revision, init_db, make_engine, write_transaction
from tests.conftest import TEST_POSTGRES_URL
from tests.databases import postgres_database

FIXTURES = Path(__file__).parent / "fixtures"
FORMS = ["institutions", "staffing", "screening", "projects"]


def _differences(engine: Engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def test_the_migrations_build_exactly_what_the_models_declare(any_engine: Engine) -> None:
    """Fails when a model changes without a revision (write one: see docs/deploy.md)."""
    assert _differences(any_engine) == []


def test_an_empty_database_is_upgraded_to_the_newest_revision(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")

    init_db(engine)
    init_db(engine)  # a second time: nothing to do

    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
    assert data_version(engine) == 0
    assert _differences(engine) == []


def _row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        names = [name for name in inspect(connection).get_table_names() if name != "alembic_version"]
        return {name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar() for name in names}


def _exports(url: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The four forms' CLI exports (run in this process: four interpreters would take seconds)."""
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("APP_TODAY", "2025-11-30")
    folder.mkdir()
    for form in FORMS:
        assert cli.main(["export", form, str(folder / f"{form}.csv")]) == 0
    return {form: (folder / f"{form}.csv").read_text(encoding="utf-8-sig") for form in FORMS}


def _assert_upgraded_intact(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(url)
    before = _row_counts(engine)

    init_db(engine)

    after = _row_counts(engine)
    assert before["staffing"] > 0 and before["record_history"] > 0 and before["app_setting"] > 0
    assert {name: after[name] for name in before} == before
    assert _differences(engine) == []
    engine.dispose()
    expected = {
        form: (FIXTURES / "exports_7173b83" / f"{form}.csv").read_text(encoding="utf-8-sig") for form in FORMS
    }
    assert _exports(url, tmp_path / "exports", monkeypatch) == expected


def test_a_sqlite_database_of_release_7173b83_upgrades_keeping_every_row_and_figure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as connection:
        connection.executescript((FIXTURES / "release_7173b83.sqlite.sql").read_text(encoding="utf-8"))
    _assert_upgraded_intact(f"sqlite:///{path}", tmp_path, monkeypatch)


def test_a_postgresql_database_of_release_7173b83_upgrades_keeping_every_row_and_figure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not TEST_POSTGRES_URL:
        pytest.skip("未设置 TEST_POSTGRES_URL：跳过 PostgreSQL 测试")
    with postgres_database(TEST_POSTGRES_URL) as url:
        loaded = subprocess.run(
            [
                "psql",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-f",
                str(FIXTURES / "release_7173b83.postgresql.sql"),
                url.replace("+psycopg", ""),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert loaded.returncode == 0, loaded.stderr
        _assert_upgraded_intact(url, tmp_path, monkeypatch)


def test_checking_the_schema_does_not_wait_for_an_upload_in_progress(engine: Engine, db_url: str) -> None:
    """The CLI's read commands and a starting app process call init_db: at the newest revision
    it must not queue behind the write lock a long upload holds."""
    other = make_engine(db_url)
    with write_transaction(engine):
        started = time.monotonic()
        init_db(other)
        waited = time.monotonic() - started
    other.dispose()
    assert waited < 5

"""``python -m core.cli backup`` / ``restore``: a round trip gives back the same exports, a
database with data is not overwritten without --force, and a failed restore changes nothing."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from core import cli
from core.db import make_engine
from core.standards import DEFAULT_STANDARDS
from sample_data.generate import seed_database
from tests.cli import run_cli
from tests.conftest import TEST_POSTGRES_URL
from tests.databases import postgres_database

FORMS = ["institutions", "staffing", "screening", "projects"]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """DATABASE_URL of a new database with a small generated dataset (PostgreSQL: a database of
    its own, since pg_dump copies a whole database)."""
    monkeypatch.setenv("APP_TODAY", "2025-11-30")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'app.db'}"
        monkeypatch.setenv("DATABASE_URL", url)
        seed_database(cli._engine(), institutions=8, years=2)
        yield url
        return
    if not TEST_POSTGRES_URL:
        pytest.skip("未设置 TEST_POSTGRES_URL：跳过 PostgreSQL 测试")
    with postgres_database(TEST_POSTGRES_URL) as url:
        monkeypatch.setenv("DATABASE_URL", url)
        seed_database(cli._engine(), institutions=8, years=2)
        yield url


def _exports(folder: Path) -> dict[str, str]:
    folder.mkdir()
    for form in FORMS:
        assert cli.main(["export", form, str(folder / f"{form}.csv")]) == 0
    return {form: (folder / f"{form}.csv").read_text(encoding="utf-8-sig") for form in FORMS}


def _change_everything() -> None:
    """Stored figures and settings both change (a revision of standards, schools deleted)."""
    from sqlalchemy import text

    from core.db import write_transaction
    from core.settings_store import save_standards

    engine = cli._engine()
    with write_transaction(engine) as connection:
        connection.execute(text("DELETE FROM staffing"))
        connection.execute(text("UPDATE screening SET screened = 0"))
    save_standards(engine, DEFAULT_STANDARDS)


def test_restore_gives_back_the_exports_of_the_backup(database_url: str, tmp_path: Path) -> None:
    before = _exports(tmp_path / "before")
    archive = tmp_path / "备份.dump"
    assert cli.main(["backup", str(archive)]) == 0
    _change_everything()
    changed = _exports(tmp_path / "changed")

    assert cli.main(["restore", str(archive), "--force"]) == 0

    assert changed != before
    assert _exports(tmp_path / "after") == before


def test_restore_refuses_a_database_with_data_without_force(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "备份.dump"
    assert cli.main(["backup", str(archive)]) == 0
    _change_everything()
    changed = _exports(tmp_path / "changed")

    refused = cli.main(["restore", str(archive)])

    assert refused == cli.EXIT_USAGE
    message = capsys.readouterr().err
    assert "已有数据" in message and "--force" in message
    assert _exports(tmp_path / "after") == changed


def test_an_interrupted_restore_leaves_the_database_as_it_was(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "备份.dump"
    assert cli.main(["backup", str(archive)]) == 0
    _change_everything()
    changed = _exports(tmp_path / "changed")
    cut = tmp_path / "只写了一半.dump"
    cut.write_bytes(archive.read_bytes()[: os.path.getsize(archive) * 2 // 3])

    failed = cli.main(["restore", str(cut), "--force"])

    assert failed == cli.EXIT_USAGE
    assert "保持原样" in capsys.readouterr().err
    assert _exports(tmp_path / "after") == changed


@contextmanager
def _empty_database(database_url: str, tmp_path: Path) -> Iterator[str]:
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'new' / 'app.db'}"
        return
    with postgres_database(TEST_POSTGRES_URL) as url:
        yield url


def test_a_restore_into_an_empty_database_needs_no_force(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _exports(tmp_path / "before")
    archive = tmp_path / "备份"
    assert cli.main(["backup", str(archive)]) == 0
    with _empty_database(database_url, tmp_path) as fresh:
        monkeypatch.setenv("DATABASE_URL", fresh)

        assert cli.main(["restore", str(archive)]) == 0

        assert _exports(tmp_path / "after") == before


def _staffing_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT COUNT(*) FROM staffing")).scalar_one()


def test_a_running_app_reads_the_restored_data_and_keeps_what_it_writes_afterwards(
    database_url: str, tmp_path: Path
) -> None:
    """A restore from the command line while an app process keeps its pooled connections open:
    they must reach the restored database, not a file the restore put aside (SQLite)."""
    app_engine = make_engine(database_url)  # the running app's engine, its connections kept in its pool
    rows = _staffing_rows(app_engine)
    archive = tmp_path / "备份.dump"
    assert cli.main(["backup", str(archive)]) == 0
    _change_everything()
    assert _staffing_rows(app_engine) == 0

    restored = run_cli(database_url, "restore", str(archive), "--force")

    assert restored.returncode == 0, restored.stderr
    assert _staffing_rows(app_engine) == rows
    with app_engine.begin() as connection:  # the app stores something after the restore
        connection.execute(text("DELETE FROM staffing WHERE code = (SELECT MIN(code) FROM staffing)"))
    kept = _staffing_rows(app_engine)
    assert kept < rows
    fresh_engine = make_engine(database_url)
    assert _staffing_rows(fresh_engine) == kept  # in the database, not lost with a replaced file
    fresh_engine.dispose()
    app_engine.dispose()

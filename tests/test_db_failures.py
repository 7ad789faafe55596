"""The database says what is wrong: a full disk and a read-only database, on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, event

import core.db
from core.cli import EXIT_USAGE, main
from tests.factories import make_institution, store_rows
from tests.hostile import staffing_xlsx


def engine_that(db_url: str, *pragmas: str) -> Engine:
    """An engine on ``db_url`` whose connections run ``pragmas`` first (a full disk, a read-only file)."""
    engine = create_engine(db_url)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001
        for pragma in pragmas:
            dbapi_connection.execute(pragma)

    return engine


@pytest.fixture
def registry(engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    store_rows(engine, "institutions", [make_institution()])
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", db_url)
    return db_url


def test_a_full_disk_during_an_import_is_exit_2_with_one_json_object_saying_so(
    registry: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    codes = [f"41420{index:05d}" for index in range(500)]
    store_rows(
        create_engine(registry), "institutions", [make_institution(code=code, name=code) for code in codes]
    )
    path = tmp_path / "队伍配备.xlsx"
    path.write_bytes(staffing_xlsx([[code, code, "2024-2025", 100, 0, 1] for code in codes]))
    full = engine_that(registry, "PRAGMA max_page_count = 1")  # the file cannot grow by one page
    monkeypatch.setattr(core.db, "engine_for", lambda _url: full)

    code = main(["import", "staffing", str(path), "--json"])

    out, err = capsys.readouterr()
    assert code == EXIT_USAGE
    (error,) = json.loads(out)["errors"]
    assert error["code"] == "database_error" and "磁盘已满" in error["message"]
    assert "DATABASE_URL" not in err and "INSERT" not in out + err


def test_export_reads_a_database_that_cannot_be_written(
    registry: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_only = engine_that(registry, "PRAGMA query_only = ON", "CREATE TABLE probe (a)")
    monkeypatch.setattr(core.db, "engine_for", lambda _url: read_only)
    out = tmp_path / "高校名录.csv"

    assert main(["export", "institutions", str(out)]) == 0

    assert "示例第一大学" in out.read_text(encoding="utf-8-sig")
    database = Path(registry.removeprefix("sqlite:///"))
    assert not Path(f"{database}-wal").exists() and not Path(f"{database}-shm").exists()


def test_read_only_engine_creates_no_side_files(registry: str) -> None:
    database = Path(registry.removeprefix("sqlite:///"))

    with core.db.read_only_engine(registry).connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM institution").scalar_one() == 1

    assert sorted(path.name for path in database.parent.iterdir()) == [database.name]

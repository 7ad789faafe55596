"""Backup and restore of the whole database (``python -m core.cli backup OUT`` / ``restore IN``).

SQLite: SQLite's online backup API, a consistent copy while the app keeps reading and
writing. PostgreSQL: ``pg_dump`` in its custom format and ``pg_restore`` in one
transaction (the PostgreSQL client programs, version at least the server's).

Neither leaves a half-written file or database behind: a backup is written next to its
target and renamed into place; a SQLite restore is checked on the side, then copied into the
database file in one transaction (so running app processes read it at once), a PostgreSQL
restore runs in one transaction. A restore refuses a database that holds data unless
``force``; afterwards the database is upgraded to the newest schema and its data version
raised above any the app processes have seen.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url

from core.db import bump_data_version, data_version, engine_for, init_db, is_sqlite

_BOOKKEEPING = {"alembic_version", "data_version", "data_area_version"}
_SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do, in Chinese."""


def holds_data(engine: Engine) -> bool:
    """Whether any table (other than the schema's bookkeeping) has a row."""
    with engine.connect() as connection:
        names = set(inspect(connection).get_table_names()) - _BOOKKEEPING
        return any(connection.execute(text(f'SELECT 1 FROM "{name}" LIMIT 1')).first() for name in names)


@contextmanager
def _written_in_place(target: Path) -> Iterator[Path]:
    """A temporary path next to ``target``, renamed onto it when the block succeeds (removed otherwise)."""
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        yield partial
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _sqlite_path(url: str) -> Path:
    return Path(make_url(url).database)


def _sqlite_copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as reading, sqlite3.connect(target) as writing:
        reading.backup(writing)
    with sqlite3.connect(target) as written:  # one self-contained file, no -wal beside it
        written.execute("PRAGMA journal_mode=DELETE")


def _pg_command(program: str, url: str) -> tuple[list[str], dict[str, str]]:
    """``program`` with the libpq address of ``url`` (its password in the environment, not argv)."""
    if shutil.which(program) is None:
        raise BackupError(
            f"未找到 PostgreSQL 客户端程序 {program}：请安装与服务器版本相同或更新的客户端"
            "（Debian/Ubuntu：apt-get install postgresql-client），再重试"
        )
    parsed = make_url(url)
    environment = os.environ | ({"PGPASSWORD": parsed.password} if parsed.password else {})
    address = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return [program, "--dbname", address], environment


def _run_pg(command: list[str], environment: dict[str, str], failure: str) -> None:
    finished = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise BackupError(f"{failure}：{finished.stderr.strip()}")


def backup(url: str, out: Path) -> None:
    """Write a consistent copy of the database at ``url`` to ``out``."""
    engine = engine_for(url)
    with _written_in_place(out) as partial:
        if is_sqlite(engine):
            _sqlite_copy(_sqlite_path(url), partial)
        else:
            command, environment = _pg_command("pg_dump", url)
            _run_pg(
                [*command, "--format=custom", "--no-owner", "--file", str(partial)],
                environment,
                "pg_dump 失败",
            )


def _check_backup_file(engine: Engine, source: Path) -> None:
    if not source.is_file():
        raise BackupError(f"备份文件 {source} 不存在，请检查路径")
    sqlite_file = source.read_bytes()[: len(_SQLITE_HEADER)] == _SQLITE_HEADER
    if is_sqlite(engine) != sqlite_file:
        kind = "SQLite 数据库文件" if is_sqlite(engine) else "pg_dump 自定义格式（-Fc）的备份"
        raise BackupError(f"{source} 不是{kind}；请用 python -m core.cli backup 对同类数据库做的备份")


def restore(url: str, source: Path, *, force: bool = False) -> None:
    """Replace the database at ``url`` with the backup ``source``; BackupError when it holds data
    and not ``force``, or when the file is not a backup of this kind of database."""
    engine = engine_for(url)
    _check_backup_file(engine, source)
    exists = not is_sqlite(engine) or _sqlite_path(url).exists()
    seen = data_version(engine) if exists and _has_version(engine) else 0
    if exists and not force and holds_data(engine):
        raise BackupError(
            "当前数据库已有数据，恢复会覆盖它们。确认要覆盖请加 --force（建议先 backup 一份当前数据）"
        )
    if is_sqlite(engine):
        _restore_sqlite(engine, _sqlite_path(url), source)
    else:
        command, environment = _pg_command("pg_restore", url)
        _run_pg(
            [*command, "--single-transaction", "--clean", "--if-exists", "--no-owner", str(source)],
            environment,
            "恢复失败，数据库保持原样",
        )
    init_db(engine)
    with engine.begin() as connection:  # above every version a running process has cached under
        connection.execute(
            text("UPDATE data_version SET version = :v"), {"v": max(seen, data_version(engine))}
        )
        bump_data_version(connection)  # and every area's version too


def _has_version(engine: Engine) -> bool:
    with engine.connect() as connection:
        return "data_version" in inspect(connection).get_table_names()


def _restore_sqlite(engine: Engine, target: Path, source: Path) -> None:
    """Copy the backup into the database file itself with SQLite's backup API, in one step.

    One step is one write transaction under the database's own lock: every app process's open
    connections read the restored data afterwards (a file renamed over the database would leave
    them reading, and writing into, the old one), and a restore cut short is rolled back by
    SQLite, leaving the old database. The backup is first copied and checked on the side, so a
    damaged file is refused before the database is touched.
    """
    engine.dispose()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{target.name}.restore-") as folder:
        checked = Path(folder) / "checked.db"
        try:
            _sqlite_copy(source, checked)
            with sqlite3.connect(checked) as reading:
                problems = reading.execute("PRAGMA quick_check").fetchall()
            if problems != [("ok",)]:
                raise sqlite3.DatabaseError(problems[0][0])
        except sqlite3.DatabaseError as problem:
            raise BackupError(
                f"备份文件 {source} 已损坏（{problem}），数据库保持原样；请换一份备份"
            ) from None
        try:
            with sqlite3.connect(checked) as reading, sqlite3.connect(target, timeout=60) as writing:
                reading.backup(writing)
        except sqlite3.Error as problem:
            raise BackupError(
                f"恢复失败（{problem}），数据库保持原样；请稍后重试，或先停掉应用进程再恢复"
            ) from None

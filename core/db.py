"""Engines, schema creation and transactions: the only dialect-aware code.

SQLite is the embedded mode (one file, WAL so readers never wait for a writer,
foreign keys on, a busy timeout so a second writer waits instead of failing).
PostgreSQL (``postgresql+psycopg://…``) is the multi-user mode; the same URLs and
functions work unchanged there.

Writers serialise through :func:`write_transaction`: on SQLite it opens the
transaction with ``BEGIN IMMEDIATE`` (the database write lock, taken before the
upload reads what it will diff against); on PostgreSQL it takes a transaction-level
advisory lock. Either way two uploads at the same time run one after the other and
neither sees the other half-done.

The schema is Alembic's (core/migrations): :func:`init_db` upgrades any database to
the newest revision. Every writer (:func:`write_transaction`, :func:`session_scope`)
raises the data version in its own transaction (:func:`bump_data_version`); :func:`data_version` is the cheap read every
process uses to key its cached reads on.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlmodel import Session

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The schema of the release before migrations (7173b83): a database that has its tables
# but no alembic_version table is at this revision.
FIRST_REVISION = "0001"

SQLITE_BUSY_TIMEOUT_MS = 30_000
_WRITE_LOCK_OPTION = "write_lock"


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001
        # Let SQLAlchemy's "begin" event decide how a transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(_WRITE_LOCK_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get their folder created and the pragmas set."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def missing_sqlite_file(url: str) -> Path | None:
    """The SQLite file ``url`` names when it does not exist yet; None otherwise (other databases too)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    path = Path(parsed.database)
    return None if path.exists() else path


@functools.cache
def engine_for(url: str) -> Engine:
    """One shared engine per URL for the process (the app and the CLI use this)."""
    return make_engine(url)


def alembic_config(connection: Connection | None = None):  # noqa: ANN201  (alembic loads lazily)
    """Alembic's configuration, without an alembic.ini: the scripts in core/migrations, and
    ``connection`` (when given) as the database to work on; otherwise env.py uses DATABASE_URL."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@functools.cache
def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _stored_revision(connection: Connection) -> str | None:
    """The revision in alembic_version; FIRST_REVISION for a database of the release before
    migrations (its tables but no alembic_version); None for an empty database."""
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" in tables:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return FIRST_REVISION if "upload" in tables else None


def init_db(engine: Engine) -> None:
    """Upgrade the database to the newest schema (an empty one too); cheap when it is there.

    Looks without a lock first (a reader never waits for an upload's write lock); an upgrade
    runs under the write lock "migrations", so app processes starting together do not
    upgrade the same database twice.
    """
    with engine.connect() as connection:
        if _stored_revision(connection) == head_revision():
            return
    with _locked_transaction(engine, "migrations") as connection:
        revision = _stored_revision(connection)
        if revision == head_revision():
            return
        from alembic import command

        config = alembic_config(connection)
        if revision == FIRST_REVISION:
            command.stamp(config, FIRST_REVISION)
        command.upgrade(config, "head")


FLOOR_AREA = "*"  # the version of every area that has no row of its own (core.freshness)


@dataclass(frozen=True)
class DataVersions:
    """The data version and each area's (core.freshness), read once per page run: what cached
    reads are keyed on."""

    version: int
    areas: Mapping[str, int]

    def of(self, areas: tuple[str, ...] | None) -> int | tuple[int, ...]:
        """The key part for a read of ``areas`` (None: of everything, the data version)."""
        if areas is None:
            return self.version
        floor = self.areas.get(FLOOR_AREA, 0)
        return tuple(self.areas.get(area, floor) for area in areas)


def data_version(engine: Engine) -> int:
    """The counter :func:`bump_data_version` raises: equal values mean nothing stored changed."""
    with engine.connect() as connection:
        return connection.execute(text("SELECT version FROM data_version WHERE id = 1")).scalar_one()


def data_versions(engine: Engine) -> DataVersions:
    """The data version and the areas' versions, in one query."""
    statement = text(
        "SELECT '' AS area, version FROM data_version WHERE id = 1 "
        "UNION ALL SELECT area, version FROM data_area_version"
    )
    with engine.connect() as connection:
        rows = dict(connection.execute(statement).all())
    return DataVersions(version=rows.pop(""), areas=rows)


def bump_data_version(connection: Connection, areas: Iterable[str] | None = None) -> None:
    """Inside a writer's transaction: raise the data version and record it as each of ``areas``'
    version (None: every area's, the floor's); every process's cached reads of those areas
    are stale once it commits."""
    connection.execute(text("UPDATE data_version SET version = version + 1 WHERE id = 1"))
    version = connection.execute(text("SELECT version FROM data_version WHERE id = 1")).scalar_one()
    if areas is None:
        connection.execute(text("DELETE FROM data_area_version"))
        areas = [FLOOR_AREA]
    for area in dict.fromkeys(areas):
        connection.execute(
            text(
                "INSERT INTO data_area_version (area, version) VALUES (:area, :version) "
                "ON CONFLICT (area) DO UPDATE SET version = excluded.version"
            ),
            {"area": area, "version": version},
        )


@contextmanager
def session_scope(engine: Engine, areas: Iterable[str] | None = None) -> Iterator[Session]:
    """A session for writing: commits on success (raising the data version with it, as the
    version of ``areas``, None: of every area) and rolls back on any exception."""
    with Session(engine) as session:
        try:
            yield session
            bump_data_version(session.connection(), areas)
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def _locked_transaction(engine: Engine, lock_name: str) -> Iterator[Connection]:
    with engine.connect() as connection:
        connection = connection.execution_options(**{_WRITE_LOCK_OPTION: True})
        with connection.begin():
            if not is_sqlite(connection):
                lock_key = zlib.crc32(lock_name.encode("utf-8"))
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key})
            yield connection


@contextmanager
def write_transaction(
    engine: Engine,
    lock_name: str = "uploads",
    *,
    data_changed: bool = True,
    areas: Iterable[str] | None = None,
) -> Iterator[Connection]:
    """One transaction that holds the write lock ``lock_name`` until it ends.

    Commits when the block ends normally, raising the data version in the same
    transaction, as the version of ``areas`` (core.freshness; None: of every area), unless
    ``data_changed`` is False: a write no page's cached read depends on, such as a sign-in
    attempt — raising it would make cached reads of every session cold; rolls everything
    back on any exception.
    """
    with _locked_transaction(engine, lock_name) as connection:
        yield connection
        if data_changed:
            bump_data_version(connection, areas)


def database_problem(error: Exception) -> str:
    """What a database error means for the user, in Chinese: disk full, read-only, cannot be
    opened or reached, or a value it refused (never the SQL or its parameters)."""
    text = str(getattr(error, "orig", error)).lower()
    code = getattr(getattr(error, "orig", None), "sqlstate", None) or ""
    if "disk is full" in text or "no space left" in text or code == "53100":
        return "数据库所在的磁盘已满，数据未写入（没有保存任何部分）。请清理磁盘空间或联系系统管理员后重试。"
    if "readonly" in text or "read-only" in text or code == "25006":
        return "数据库是只读的（文件或目录没有写权限，或数据库处于只读状态），数据未写入。请联系系统管理员开放写权限后重试。"
    if "unable to open" in text or "could not connect" in text or "connection" in text:
        return "无法打开或连接数据库。请检查 DATABASE_URL 是否正确、数据库是否已启动、文件是否存在且可读。"
    return "数据库拒绝了这次操作，数据未写入（没有保存任何部分）。请检查文件内容后重试；如问题持续，请联系系统管理员。"


def read_only_engine(url: str) -> Engine:
    """An engine that only reads ``url``: for SQLite the file opened read-only and immutable
    (no WAL or journal side files are created, so a read-only folder or file works); other
    databases as :func:`engine_for`."""
    import sqlite3

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return engine_for(url)
    location = Path(parsed.database).resolve().as_uri()
    return create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(f"{location}?mode=ro&immutable=1", uri=True, check_same_thread=False),
    )

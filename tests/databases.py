"""Test databases beyond the per-test fixtures: PostgreSQL schemas and databases of their own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import make_url

from core.db import engine_for, make_engine


def postgres_schema_url(url: str, schema: str) -> str:
    """``url`` with every connection working in ``schema`` (its search_path): the app, the CLI
    and Alembic all see only that schema's tables."""
    return (
        make_url(url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )


@contextmanager
def postgres_database(url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on ``url``'s server (dropped afterwards); yields its URL."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    database_url = make_url(url).set(database=name).render_as_string(hide_password=False)
    try:
        yield database_url
    finally:
        engine_for(database_url).dispose()  # the process's shared engine (CLI in-process) lets go first
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

"""Alembic's environment: the target schema is SQLModel's metadata (core.models).

core.db.init_db passes the connection to upgrade in ``config.attributes["connection"]``;
run by hand (``alembic`` with core.db.alembic_config) it uses DATABASE_URL.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import core.models  # noqa: F401  (registers the tables on SQLModel.metadata)


def _run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,  # SQLite alters a table by copying it
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from core.config import load_settings
    from core.db import engine_for

    with engine_for(load_settings().database_url).begin() as connection:
        _run(connection)


_main()

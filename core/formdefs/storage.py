"""The intake's write and revert steps for forms declared as data (called by core.ingest.storing and
core.ingest.revert for a FormSpec whose table is the values store)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Connection

from core.formdefs import values
from core.formdefs.registry import DEFINITIONS
from core.forms import FormSpec
from core.ingest.plan import Diff, record_key


def write_rows(connection: Connection, diff: Diff, upload_id: int) -> None:
    """Insert the new rows and update the changed ones, read with the current definition's version."""
    version = DEFINITIONS[diff.form.name].version
    if diff.inserts:
        values.insert_rows(connection, diff.form, diff.inserts, upload_id, version)
    if diff.updates:
        pairs = [(old["id"], new) for old, new in diff.updates]
        values.update_rows(connection, diff.form, pairs, [upload_id] * len(pairs), version)


def revert_rows(
    connection: Connection,
    form: FormSpec,
    upload_id: int,
    replaced: Mapping[str, tuple[Mapping[str, Any], int]],
    from_json: Callable[[FormSpec, Mapping[str, Any]], dict[str, Any]],
) -> tuple[int, int]:
    """Put back the values upload ``upload_id`` replaced, remove the rows it added: (restored, deleted)."""
    written = values.rows_of_upload(connection, form, upload_id)
    restore = [row for row in written if record_key(form, row) in replaced]
    remove = [row["id"] for row in written if record_key(form, row) not in replaced]
    if restore:
        old = [replaced[record_key(form, row)] for row in restore]
        pairs = [
            (row["id"], from_json(form, stored))
            for row, (stored, _previous) in zip(restore, old, strict=True)
        ]
        values.update_rows(connection, form, pairs, [previous for _stored, previous in old])
    values.delete_rows(connection, remove)
    return len(restore), len(remove)

"""Storing a validated file: one transaction, all rows or none.

Inside :func:`core.db.write_transaction` (the write lock, so two uploads never
interleave) the file is planned again against what is stored at that moment, then:
an ``Upload`` row; new rows inserted and changed rows updated with SQLAlchemy Core
executemany (fast; no ORM object per row); for every changed row the values it had
before go to ``RecordHistory`` with the upload that wrote them. Unchanged rows are
not rewritten, so they keep pointing to the upload that wrote them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, insert, update

from core.db import write_transaction
from core.forms import FormSpec, get_form
from core.freshness import form_area
from core.ingest.plan import Diff, diff_rows, duplicate_upload, form_table, record_key
from core.ingest.report import ImportReport, Issue, ParsedFile, Plan, clip, report_for, stored_file_name


def json_safe(value: Any) -> Any:
    """Dates as ISO strings; everything else as it is."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _insert_upload(
    connection: Connection, parsed: ParsedFile, plan: Plan, warnings: list[Issue], uploader: str
) -> int:
    from core.models import Upload, utc_now

    statement = insert(Upload).values(
        created_at=utc_now(),
        uploader=clip(uploader, 99),
        file_name=stored_file_name(parsed.form, parsed.file_name),
        sha256=parsed.sha256,
        form=parsed.form,
        rows=len(parsed.rows),
        inserted=plan.inserted,
        updated=plan.updated,
        unchanged=plan.unchanged,
        status="accepted",
        warnings=[issue.to_dict() for issue in warnings],
    )
    return int(connection.execute(statement).inserted_primary_key[0])


def _write_rows(connection: Connection, diff: Diff, upload_id: int) -> None:
    form = diff.form
    if form.table == "form_record":  # a form declared as data: the typed values store
        from core.formdefs.storage import write_rows

        write_rows(connection, diff, upload_id)
        if diff.updates:
            _keep_history(connection, form, diff.updates, upload_id)
        return
    table = form_table(form)
    if diff.inserts:
        connection.execute(insert(table), [values | {"upload_id": upload_id} for values in diff.inserts])
    if not diff.updates:
        return
    written = [key for key in form.keys if key not in form.key]
    statement = (
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values({key: bindparam(f"new_{key}") for key in [*written, "upload_id"]})
    )
    connection.execute(
        statement,
        [
            {"row_id": old["id"], "new_upload_id": upload_id} | {f"new_{key}": values[key] for key in written}
            for old, values in diff.updates
        ],
    )
    _keep_history(connection, form, diff.updates, upload_id)


def _keep_history(
    connection: Connection, form: FormSpec, updates: list[tuple[Mapping[str, Any], Any]], upload_id: int
) -> None:
    from core.models import RecordHistory, utc_now

    now = utc_now()
    connection.execute(
        insert(RecordHistory),
        [
            {
                "form": form.name,
                "record_key": record_key(form, old),
                "values": {key: json_safe(old[key]) for key in form.keys},
                "upload_id": old["upload_id"],
                "replaced_by_upload_id": upload_id,
                "replaced_at": now,
            }
            for old, _values in updates
        ],
    )


def store(
    engine: Engine, parsed: ParsedFile, *, uploader: str, actor: str | None = None, client: str | None = None
) -> ImportReport:
    """Store an accepted ``parsed`` file in one transaction, with its audit record (``actor``:
    the signed-in user, default ``uploader``); a file with errors is refused (nothing stored)."""
    from core.accounts.audit import AuditKind, append_audit, utc

    if parsed.unreadable or parsed.errors or parsed.form is None:
        return report_for(parsed, None)
    form = get_form(parsed.form)
    with write_transaction(engine, areas=[form_area(form.name)]) as connection:
        diff = diff_rows(connection, form, parsed.rows)
        plan = diff.plan(duplicate_upload(connection, parsed))
        report = report_for(parsed, plan, stored=True)
        report.upload_id = _insert_upload(connection, parsed, plan, report.warnings, uploader)
        _write_rows(connection, diff, report.upload_id)
        detail = {
            "upload_id": report.upload_id,
            "form": form.name,
            "file": parsed.file_name,
            "rows": len(parsed.rows),
            "inserted": plan.inserted,
            "updated": plan.updated,
        }
        append_audit(
            connection, kind=AuditKind.UPLOAD, actor=actor or uploader, detail=detail, client=client, at=utc()
        )
    return report

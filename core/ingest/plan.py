"""The diff of a parsed file against what is stored: new, changed and unchanged rows.

Stored rows are fetched by the form's key, only those the file can touch: the key
column with the most distinct values in the file is queried in chunks, narrowed by
the other key columns when they have few values (a staffing file: its codes, within
its years).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, Table, and_, select

from core.forms import FormSpec, Kind, get_form
from core.ingest.report import CellChange, NewRow, ParsedFile, Plan

CHUNK = 500


@dataclass
class Diff:
    """What storing a file would do; ``updates`` pairs the stored row with the file's values."""

    form: FormSpec
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[tuple[Mapping[str, Any], dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0
    changes: list[CellChange] = field(default_factory=list)

    def plan(self, duplicate_of: int | None = None) -> Plan:
        return Plan(
            inserted=len(self.inserts),
            updated=len(self.updates),
            unchanged=self.unchanged,
            changes=self.changes,
            duplicate_of=duplicate_of,
            new_rows=[
                NewRow(
                    tuple(values[part] for part in self.form.key),
                    values.get(self.form.reported_name_field) if self.form.reported_name_field else None,
                )
                for values in self.inserts
            ],
        )


def form_table(form: FormSpec) -> Table:
    from core.models import FORM_MODELS

    return FORM_MODELS[form.name].__table__


def record_key(form: FormSpec, values: Mapping[str, Any]) -> str:
    """'4141010001|2024-2025': the form's key values joined with '|'."""
    return "|".join(str(values[key]) for key in form.key)


def _chunks(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def stored_rows(connection: Connection, form: FormSpec, rows: list[dict[str, Any]]) -> dict[tuple, Mapping]:
    """The stored rows whose key appears in ``rows``, by key tuple."""
    if form.table == "form_record":  # a form declared as data: the typed values store
        from core.formdefs import values

        return values.stored_rows(connection, form, rows)
    table = form_table(form)
    distinct = {key: sorted({row[key] for row in rows}) for key in form.key}
    chunked = max(form.key, key=lambda key: len(distinct[key]))
    narrowing = [
        table.c[key].in_(distinct[key]) for key in form.key if key != chunked and len(distinct[key]) <= CHUNK
    ]
    found: dict[tuple, Mapping] = {}
    for chunk in _chunks(distinct[chunked]):
        statement = select(table).where(and_(table.c[chunked].in_(chunk), *narrowing))
        for row in connection.execute(statement).mappings():
            found[tuple(row[key] for key in form.key)] = row
    return found


def _same(kind: Kind, old: Any, new: Any) -> bool:
    if kind is Kind.PERCENT and old is not None and new is not None:
        return math.isclose(old, new, abs_tol=1e-9)
    return old == new


def diff_rows(connection: Connection, form: FormSpec, rows: list[dict[str, Any]]) -> Diff:
    diff = Diff(form)
    rows = [row for row in rows if all(row.get(part) is not None for part in form.key)]
    if not rows:
        return diff
    stored = stored_rows(connection, form, rows)
    kinds = [(spec.key, spec.header, spec.kind) for spec in form.fields]
    for values in rows:
        key = tuple(values[part] for part in form.key)
        old = stored.get(key)
        if old is None:
            diff.inserts.append(values)
            continue
        changed = [
            CellChange(key, header, old[name], values[name])
            for name, header, kind in kinds
            if not _same(kind, old[name], values[name])
        ]
        if changed:
            diff.updates.append((old, values))
            diff.changes.extend(changed)
        else:
            diff.unchanged += 1
    return diff


def duplicate_upload(connection: Connection, parsed: ParsedFile) -> int | None:
    """The first accepted upload of exactly this file as this form, if any."""
    from core.models import Upload

    statement = (
        select(Upload.id)
        .where(Upload.sha256 == parsed.sha256, Upload.form == parsed.form, Upload.status == "accepted")
        .order_by(Upload.id)
        .limit(1)
    )
    return connection.execute(statement).scalar()


def plan_changes(engine: Engine, parsed: ParsedFile) -> Plan:
    """What storing ``parsed`` would do now (nothing is written)."""
    if parsed.form is None or parsed.unreadable:
        return Plan()
    with engine.connect() as connection:
        diff = diff_rows(connection, get_form(parsed.form), parsed.rows)
        return diff.plan(duplicate_upload(connection, parsed))

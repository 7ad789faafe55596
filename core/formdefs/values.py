"""Storing the rows of a form declared as data in the typed values store (core.models.FormRecord,
FormValue): the same operations core.ingest does on a form's own table — fetch the stored rows a
file can touch, insert and update rows, list the rows an upload wrote, put back or remove them.

A stored row is handed out as the intake's other forms hand out theirs: a mapping with ``id``,
``upload_id`` and every field key of the current definition (None when it has no value). Values
of fields the current definition no longer has stay in the store, untouched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, insert, select, update

from core.forms import FormSpec, Kind
from core.models import FormRecord, FormValue

CHUNK = 500
NUMERIC = (Kind.COUNT, Kind.PERCENT, Kind.NUMBER)


def _chunks(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def value_fields(form: FormSpec) -> list[str]:
    """The fields stored as values (all but the record's key columns)."""
    return [key for key in form.keys if key not in form.key]


def encode(kind: Kind, value: Any) -> tuple[float | None, str | None]:
    if kind in NUMERIC:
        return float(value), None
    return None, value.isoformat() if isinstance(value, dt.date) else str(value)


def decode(kind: Kind, number: float | None, text: str | None) -> Any:
    if kind is Kind.COUNT:
        return None if number is None else int(number)
    if kind in NUMERIC:
        return number
    if kind is Kind.DATE and text:
        return dt.date.fromisoformat(text)
    return text


def _with_values(
    connection: Connection, form: FormSpec, records: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    kinds = {key: form.field(key).kind for key in value_fields(form)}
    by_id = {record["id"]: record | dict.fromkeys(kinds) for record in records}
    for chunk in _chunks(list(by_id)):
        statement = select(FormValue.record_id, FormValue.field, FormValue.number, FormValue.text).where(
            FormValue.record_id.in_(chunk), FormValue.field.in_(list(kinds))
        )
        for record_id, key, number, text in connection.execute(statement).all():
            kind = kinds[key]
            by_id[record_id][key] = (
                number if kind is Kind.NUMBER or kind is Kind.PERCENT else decode(kind, number, text)
            )
    return list(by_id.values())


def _record_columns(form: FormSpec) -> list[Any]:
    return [FormRecord.id, FormRecord.upload_id, *(getattr(FormRecord, key) for key in form.key)]


def stored_rows(connection: Connection, form: FormSpec, rows: list[dict[str, Any]]) -> dict[tuple, Mapping]:
    """The stored rows whose key appears in ``rows``, by key tuple."""
    codes = sorted({row["code"] for row in rows})
    years = sorted({row["year"] for row in rows})
    narrowing = [FormRecord.year.in_(years)] if len(years) <= CHUNK else []
    records: list[dict[str, Any]] = []
    for chunk in _chunks(codes):
        statement = select(*_record_columns(form)).where(
            and_(FormRecord.form == form.name, FormRecord.code.in_(chunk), *narrowing)
        )
        records.extend(dict(row) for row in connection.execute(statement).mappings())
    return {tuple(row[key] for key in form.key): row for row in _with_values(connection, form, records)}


def rows_of_upload(connection: Connection, form: FormSpec, upload_id: int) -> list[dict[str, Any]]:
    statement = select(*_record_columns(form)).where(
        FormRecord.form == form.name, FormRecord.upload_id == upload_id
    )
    return _with_values(connection, form, [dict(row) for row in connection.execute(statement).mappings()])


def _value_rows(form: FormSpec, record_id: int, values: Mapping[str, Any]) -> Iterable[dict[str, Any]]:
    for key in value_fields(form):
        if values.get(key) is not None:
            number, text = encode(form.field(key).kind, values[key])
            yield {"record_id": record_id, "field": key, "number": number, "text": text}


def _replace_values(
    connection: Connection, form: FormSpec, pairs: list[tuple[int, Mapping[str, Any]]]
) -> None:
    """Each record's values of the current fields become ``values`` (other fields' values stay)."""
    ids = [record_id for record_id, _values in pairs]
    for chunk in _chunks(ids):
        connection.execute(
            delete(FormValue).where(FormValue.record_id.in_(chunk), FormValue.field.in_(value_fields(form)))
        )
    rows = [row for record_id, values in pairs for row in _value_rows(form, record_id, values)]
    if rows:
        connection.execute(insert(FormValue), rows)


def insert_rows(
    connection: Connection, form: FormSpec, rows: list[dict[str, Any]], upload_id: int, version: int
) -> None:
    records = [
        {"form": form.name, "version": version, "code": row["code"], "year": row["year"]}
        | {"term": row.get("term") or "", "upload_id": upload_id}
        for row in rows
    ]
    statement = insert(FormRecord).returning(FormRecord.id, sort_by_parameter_order=True)
    ids = list(connection.execute(statement, records).scalars())
    values = [
        row
        for record_id, values in zip(ids, rows, strict=True)
        for row in _value_rows(form, record_id, values)
    ]
    if values:
        connection.execute(insert(FormValue), values)


def update_rows(
    connection: Connection,
    form: FormSpec,
    pairs: list[tuple[int, Mapping[str, Any]]],
    upload_ids: list[int],
    version: int | None = None,
) -> None:
    """Record ``pairs[i][0]`` gets the values ``pairs[i][1]``, written by ``upload_ids[i]``."""
    changes: dict[str, Any] = {"upload_id": bindparam("new_upload_id")}
    if version is not None:
        changes["version"] = version
    connection.execute(
        update(FormRecord).where(FormRecord.id == bindparam("row_id")).values(changes),
        [
            {"row_id": record_id, "new_upload_id": upload_id}
            for (record_id, _values), upload_id in zip(pairs, upload_ids, strict=True)
        ],
    )
    _replace_values(connection, form, pairs)


def delete_rows(connection: Connection, ids: list[int]) -> None:
    for chunk in _chunks(ids):
        connection.execute(delete(FormValue).where(FormValue.record_id.in_(chunk)))
        connection.execute(delete(FormRecord).where(FormRecord.id.in_(chunk)))

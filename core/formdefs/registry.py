"""Where form definitions live: built-in TOML files (core/formdefs/builtin/) and the database
(core.models.FormDefinitionVersion, one row per version). The newest stored version of a name
wins over the built-in file; a retired name is not offered any more (its stored values stay).

:func:`load_forms` reads the current definitions and registers their FormSpecs in
``core.forms.DATA_FORMS``, so every intake step, the template and the export find them by name.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import Engine, func, insert, select

from core.formdefs.definition import Definition, DefinitionRefused, parse_definition
from core.formdefs.spec import form_spec
from core.forms import DATA_FORMS, FORMS
from core.freshness import DEFINITIONS_AREA
from core.models import FormDefinitionVersion, FormRecord, utc_now

BUILTIN_DIR = Path(__file__).parent / "builtin"
DEFINITIONS: dict[str, Definition] = {}  # the current definitions by name, filled by load_forms


@dataclass(frozen=True)
class FormSummary:
    """One line of ``form list`` and of the 表单管理 page."""

    name: str
    title: str
    period: str
    version: int
    rows: int
    builtin: bool


@functools.cache
def builtin_definitions() -> dict[str, Definition]:
    """The definitions shipped in the repository, by name (version 0 until one is stored)."""
    found = (
        parse_definition(path.read_text(encoding="utf-8")) for path in sorted(BUILTIN_DIR.glob("*.toml"))
    )
    return {definition.name: definition for definition in found}


@functools.lru_cache(maxsize=256)
def _stored_definition(text: str) -> Definition:
    """A stored definition's text read again (it was checked when stored); cached, as the pages
    load the definitions in force on every run."""
    return parse_definition(text)


def _latest(engine: Engine) -> list[FormDefinitionVersion]:
    newest = (
        select(FormDefinitionVersion.name, func.max(FormDefinitionVersion.version).label("version"))
        .group_by(FormDefinitionVersion.name)
        .subquery()
    )
    statement = select(FormDefinitionVersion).join(
        newest,
        (newest.c.name == FormDefinitionVersion.name) & (newest.c.version == FormDefinitionVersion.version),
    )
    with engine.connect() as connection:
        return [FormDefinitionVersion(**row) for row in connection.execute(statement).mappings()]


def current_definitions(engine: Engine) -> dict[str, Definition]:
    """Built-in and stored definitions in force (not retired), by name."""
    current = dict(builtin_definitions())
    for stored in _latest(engine):
        if stored.retired_at is not None:
            current.pop(stored.name, None)
        else:
            current[stored.name] = replace(_stored_definition(stored.text), version=stored.version)
    return dict(sorted(current.items()))


def load_forms(engine: Engine) -> dict[str, Definition]:
    """Register the current definitions (``DATA_FORMS``, ``DEFINITIONS``); returns them."""
    current = current_definitions(engine)
    register(current)
    return current


def register(definitions: dict[str, Definition]) -> None:
    if definitions == DEFINITIONS:
        return
    from core.ingest import header_match

    header_match.forget_headers()  # a replaced definition's headers are matched afresh
    DATA_FORMS.clear()
    DATA_FORMS.update({name: form_spec(definition) for name, definition in definitions.items()})
    DEFINITIONS.clear()
    DEFINITIONS.update(definitions)


def register_builtins() -> None:
    """Without a database (``--help``, tests of the reader): the built-in definitions only."""
    register(builtin_definitions())


def ensure_builtin(name: str) -> None:
    """Register the built-in definition ``name`` when nothing of that name is registered yet."""
    if name not in DATA_FORMS:
        from core.ingest import header_match

        header_match.forget_headers()
        definition = builtin_definitions()[name]
        DATA_FORMS[name] = form_spec(definition)
        DEFINITIONS[name] = definition


def _next_version(engine: Engine, name: str) -> int:
    with engine.connect() as connection:
        statement = select(func.max(FormDefinitionVersion.version)).where(FormDefinitionVersion.name == name)
        return (connection.execute(statement).scalar() or 0) + 1


def _store(engine: Engine, definition: Definition, *, by: str, retired: bool = False) -> int:
    """Store a version of ``definition`` (retired when ``retired``), with its audit record in the
    same transaction."""
    from core.accounts.audit import AuditKind, append_audit, utc
    from core.db import write_transaction

    version = _next_version(engine, definition.name)
    now = utc_now()
    with write_transaction(engine, areas=[DEFINITIONS_AREA]) as connection:
        connection.execute(
            insert(FormDefinitionVersion).values(
                name=definition.name,
                version=version,
                title=definition.title[:200],
                text=definition.text,
                created_at=now,
                created_by=by[:100],
                retired_at=now if retired else None,
            )
        )
        detail = {"what": "表单定义", "action": "停用" if retired else "保存", "form": definition.name}
        detail["version"] = version
        append_audit(connection, kind=AuditKind.SETTINGS, actor=by, detail=detail, client=None, at=utc())
    load_forms(engine)
    return version


def add_definition(engine: Engine, text: str, *, by: str = "命令行") -> Definition:
    """Check and store ``text`` as a new definition or a new version of one (DefinitionRefused:
    nothing stored). Stored values are kept; they are read with the new version from now on."""
    definition = parse_definition(text)
    if definition.name in FORMS:
        raise DefinitionRefused([f"第 1 行：name “{definition.name}”是内置报表的名称，请换一个"])
    return replace(definition, version=_store(engine, definition, by=by))


def retire_form(engine: Engine, name: str, *, by: str = "命令行") -> int:
    """Retire ``name``: no longer offered for upload; its stored values stay. Returns the version."""
    current = current_definitions(engine)
    if name not in current:
        raise KeyError(f"没有在用的表单 {name}")
    return _store(engine, current[name], by=by, retired=True)


def versions(engine: Engine, name: str) -> list[FormDefinitionVersion]:
    """Every stored version of ``name``, newest first."""
    statement = (
        select(FormDefinitionVersion)
        .where(FormDefinitionVersion.name == name)
        .order_by(FormDefinitionVersion.version.desc())
    )
    with engine.connect() as connection:
        return [FormDefinitionVersion(**row) for row in connection.execute(statement).mappings()]


def summaries(engine: Engine) -> list[FormSummary]:
    current = load_forms(engine)
    statement = select(FormRecord.form, func.count()).group_by(FormRecord.form)
    with engine.connect() as connection:
        counts = dict(connection.execute(statement).all())
    builtins = builtin_definitions()
    return [
        FormSummary(
            name,
            definition.title,
            definition.period,
            definition.version,
            counts.get(name, 0),
            name in builtins,
        )
        for name, definition in current.items()
    ]

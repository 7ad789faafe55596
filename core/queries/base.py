"""Scope filters and the reads every page shares."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, Select, func, select
from sqlmodel import SQLModel

from core.formatting import in_natural_order
from core.forms import INSTITUTIONS, PROVINCES, FormSpec
from core.freshness import INSTITUTIONS_AREA, SCREENING_AREA, STAFFING_AREA, reads
from core.headers import INSTITUTION_NAME
from core.models import FORM_MODELS, Institution, ScreeningReport, StaffingReport
from core.scope import Scope

# What every read takes first: an engine, or a connection already open (several reads in
# one transaction see the same data).
Bind = Engine | Connection


@contextmanager
def connected(bind: Bind) -> Iterator[Connection]:
    """``bind`` itself when it is a connection, else one of the engine's for the block."""
    if isinstance(bind, Connection):
        yield bind
    else:
        with bind.connect() as connection:
            yield connection


def apply_scope(
    statement: Select, scope: Scope, model: type[SQLModel] | None = None, *, use_year: bool = True
) -> Select:
    """Restrict ``statement`` to ``scope``.

    ``model`` is a form table with a ``code`` column; the statement is joined to
    Institution on it (leave it None when the statement already selects from
    Institution). ``use_year`` False ignores the scope's year (projects, trends).
    """
    if model is not None and model is not Institution:
        statement = statement.join(Institution, Institution.code == model.code)
    if scope.provinces:
        statement = statement.where(Institution.province.in_(scope.provinces))
    if scope.levels:
        statement = statement.where(Institution.level.in_(scope.levels))
    if scope.ownerships:
        statement = statement.where(Institution.ownership.in_(scope.ownerships))
    if scope.codes:
        statement = statement.where(Institution.code.in_(scope.codes))
    if use_year and scope.year and model is not None and hasattr(model, "year"):
        statement = statement.where(model.year == scope.year)
    return statement


def form_rows(form: FormSpec) -> Select:
    """SELECT every field of ``form``'s table, then the institution's 高校名录 name (labelled
    ``INSTITUTION_NAME``), province, level and ownership. :func:`apply_scope` with the form's model
    joins Institution to it."""
    model = FORM_MODELS[form.name]
    return select(
        *(getattr(model, key) for key in form.keys),
        Institution.name.label(INSTITUTION_NAME),
        Institution.province,
        Institution.level,
        Institution.ownership,
    ).select_from(model)


def read_frame(bind: Bind, statement: Select, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Run ``statement`` and return its rows as a DataFrame with the selected labels."""
    with connected(bind) as connection:
        result = connection.execute(statement, params or {})
        # Plain tuples: pandas inspects Row objects one by one, ~10× slower at 30k rows.
        return pd.DataFrame([tuple(row) for row in result.fetchall()], columns=list(result.keys()))


def institutions_frame(bind: Bind, scope: Scope) -> pd.DataFrame:
    """The institutions of 高校名录 in scope (year ignored), in the national province order, then by code."""
    statement = apply_scope(
        select(
            Institution.code,
            Institution.name,
            Institution.province,
            Institution.level,
            Institution.ownership,
            Institution.authority,
            Institution.city,
        ),
        scope,
    )
    return in_natural_order(read_frame(bind, statement), ["province", "code"])


@reads(INSTITUTIONS_AREA)
def count_institutions(bind: Bind, scope: Scope) -> int:
    statement = apply_scope(select(func.count()).select_from(Institution), scope)
    with connected(bind) as connection:
        return int(connection.execute(statement).scalar_one())


def available_years(bind: Bind) -> list[str]:
    """Every 学年 with staffing or screening data, newest first."""
    statement = select(StaffingReport.year).distinct().union(select(ScreeningReport.year).distinct())
    with connected(bind) as connection:
        years = [row[0] for row in connection.execute(statement)]
    return sorted(years, reverse=True)


def available_provinces(bind: Bind) -> list[str]:
    """Provinces that have at least one institution in 高校名录, in the national order."""
    with connected(bind) as connection:
        present = {row[0] for row in connection.execute(select(Institution.province).distinct())}
    return [province for province in PROVINCES if province in present]


def institutions_export(bind: Bind, scope: Scope) -> pd.DataFrame:
    """高校名录 in scope with canonical Chinese headers (the institutions CSV)."""
    frame = institutions_frame(bind, scope)
    return frame[INSTITUTIONS.keys].rename(columns=INSTITUTIONS.headers)


@reads(INSTITUTIONS_AREA, STAFFING_AREA, SCREENING_AREA)
def filter_choices(bind: Bind, scope: Scope) -> tuple[list[str], list[str]]:
    """(学年 newest first, provinces present) offered by the sidebar; the scope is not applied."""
    return available_years(bind), available_provinces(bind)

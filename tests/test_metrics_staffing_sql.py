"""The compliance rule twice — pandas (core.metrics.staffing.staffing_metrics) and SQL
(core.metrics.staffing.sql_rule) — gives the same 应配数 / 缺口 / 达标情况 for any row."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Engine, Integer, MetaData, Table, delete, insert, select

from core.metrics.staffing import GAP, REQUIRED, STATUS, column, sql_rule, staffing_metrics
from core.standards import DEFAULT_STANDARDS, Standard, Standards

STAFF_FIELDS = ("counselors_ft", "counselors_pt", "ideo_teachers", "psy_teachers")
ROWS = Table(
    "rule_rows",
    MetaData(),
    Column("id", Integer, primary_key=True),
    *(
        Column(name, Integer, nullable=name not in ("undergrad", "postgrad"))
        for name in ("undergrad", "postgrad")
    ),
    *(Column(name, Integer, nullable=True) for name in STAFF_FIELDS),
)

# Mostly small numbers, so that a row sits near its standard's edge; now and then a large one.
counts = st.one_of(st.just(0), st.integers(0, 1_200), st.integers(0, 60_000))
staff = st.one_of(st.none(), st.integers(0, 12), st.integers(0, 400))
rows = st.lists(
    st.fixed_dictionaries(
        {"undergrad": counts, "postgrad": st.one_of(st.just(0), st.integers(0, 300))}
        | dict.fromkeys(STAFF_FIELDS, staff)
    ),
    min_size=1,
    max_size=12,
)


@st.composite
def standards(draw: st.DrawFn) -> Standards:
    def one(standard: Standard) -> Standard:
        return replace(
            standard,
            threshold=draw(st.one_of(st.integers(1, 300), st.integers(1, 5_000))),
            minimum=draw(st.integers(0, 5)),
        )

    denominator = draw(st.one_of(st.integers(1, 4), st.integers(1, 1_000)))
    factor = Fraction(draw(st.integers(0, denominator)), denominator)
    return Standards(
        counselors=one(DEFAULT_STANDARDS.counselors),
        ideo=one(DEFAULT_STANDARDS.ideo),
        psy=one(DEFAULT_STANDARDS.psy),
        part_time_factor=factor,
    )


def _value(value: Any) -> Any:
    return None if value is None or pd.isna(value) else (value if isinstance(value, str) else int(value))


def _pandas(frame: pd.DataFrame, chosen: Standards) -> list[tuple]:
    result = staffing_metrics(frame, chosen)
    return [
        tuple(
            _value(row[column(standard, suffix)]) for standard in chosen for suffix in (REQUIRED, GAP, STATUS)
        )
        for _, row in result.iterrows()
    ]


def _sql(engine: Engine, chosen: Standards) -> list[tuple]:
    rules = [
        sql_rule(
            standard,
            chosen.part_time_factor,
            students=ROWS.c.undergrad + ROWS.c.postgrad,
            staff=ROWS.c[standard.staff_field],
            part_time=ROWS.c.counselors_pt,
        )
        for standard in chosen
    ]
    columns = [expression for rule in rules for expression in (rule.required, rule.gap, rule.status)]
    with engine.connect() as connection:
        return [
            tuple(_value(value) for value in row)
            for row in connection.execute(select(*columns).order_by(ROWS.c.id))
        ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chosen=standards(), drawn=rows)
def test_sql_and_pandas_give_the_same_required_gap_and_status(
    any_engine: Engine, chosen: Standards, drawn: list[dict[str, int | None]]
) -> None:
    ROWS.create(any_engine, checkfirst=True)
    with any_engine.begin() as connection:
        connection.execute(delete(ROWS))
        connection.execute(insert(ROWS), [{"id": index, **row} for index, row in enumerate(drawn)])
    frame = pd.DataFrame(drawn, columns=["undergrad", "postgrad", *STAFF_FIELDS]).astype("Int64")

    assert _sql(any_engine, chosen) == _pandas(frame, chosen)

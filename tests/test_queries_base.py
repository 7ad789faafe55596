"""Scope filtering and the shared reads, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from core.queries.base import (
    available_provinces,
    available_years,
    count_institutions,
    institutions_export,
    institutions_frame,
)
from core.scope import Scope, canonical_province
from tests.factories import make_institution, make_screening_row, make_staffing_row, store_rows

SCHOOLS = [
    make_institution(code="4141010001", province="河南省", level="本科", ownership="公办"),
    make_institution(
        code="4141010002",
        name="示例河南乙职业学院",
        province="河南省",
        level="高职（专科）",
        ownership="民办",
    ),
    make_institution(
        code="4132010003", name="示例江苏甲大学", province="江苏省", level="本科", ownership="公办"
    ),
]


@pytest.fixture
def filled(any_engine: Engine) -> Engine:
    store_rows(any_engine, "institutions", SCHOOLS)
    store_rows(any_engine, "staffing", [make_staffing_row(year="2023-2024")])
    store_rows(any_engine, "screening", [make_screening_row(code="4132010003", year="2024-2025")])
    return any_engine


@pytest.mark.parametrize(
    ("scope", "codes"),
    [
        (Scope(), ["4132010003", "4141010001", "4141010002"]),  # case: no limits
        (Scope(provinces=("河南省",)), ["4141010001", "4141010002"]),  # case: one province
        (Scope(levels=("本科",)), ["4132010003", "4141010001"]),  # case: level
        (Scope(ownerships=("民办",)), ["4141010002"]),  # case: ownership
        (Scope(provinces=("江苏省",), levels=("高职（专科）",)), []),  # case: limits combine
        (Scope(codes=("4141010002",)), ["4141010002"]),  # case: one institution
    ],
)
def test_scope_limits_institutions(filled: Engine, scope: Scope, codes: list[str]) -> None:
    assert sorted(institutions_frame(filled, scope)["code"]) == codes
    assert count_institutions(filled, scope) == len(codes)


def test_years_and_provinces_offered_in_the_sidebar(filled: Engine) -> None:
    assert available_years(filled) == ["2024-2025", "2023-2024"]
    assert available_provinces(filled) == ["江苏省", "河南省"]


def test_institutions_export_uses_chinese_headers(filled: Engine) -> None:
    frame = institutions_export(filled, Scope(provinces=("江苏省",)))
    assert list(frame.columns) == [
        "学校标识码",
        "学校名称",
        "所在省份",
        "办学层次",
        "办学性质",
        "主管部门",
        "所在城市",
    ]
    assert frame.iloc[0]["学校名称"] == "示例江苏甲大学"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("河南", "河南省"),  # case: short form
        ("河南省", "河南省"),  # case: full form
        (" 广西 ", "广西壮族自治区"),  # case: spaces, autonomous region
        ("火星", None),  # case: not a province
    ],
)
def test_canonical_province(text: str, expected: str | None) -> None:
    assert canonical_province(text) == expected


def test_scope_label_names_the_selection() -> None:
    assert Scope(year="2024-2025", provinces=("河南省",)).label() == "河南省_2024-2025"
    assert Scope().label() == "全部省份_全部学年"
    assert Scope(year="2024-2025", provinces=("河南省", "江苏省"), levels=("本科",)).describe() == (
        "河南省、江苏省 · 2024-2025 学年 · 本科"
    )


def test_reads_take_an_open_connection_as_well_as_an_engine(filled: Engine) -> None:
    scope = Scope(provinces=("河南省",))

    with filled.connect() as connection:
        through_connection = (count_institutions(connection, scope), institutions_frame(connection, scope))

    assert through_connection[0] == count_institutions(filled, scope) == 2
    assert through_connection[1].equals(institutions_frame(filled, scope))

"""Shareable views: the sidebar's filters travel in the address (?year=…&province=…)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from core.urlstate import filter_params, read_code, read_filters
from tests.apptest import APP_PATH, sign_in, table_with
from tests.factories import make_institution, make_staffing_row, store_rows

YEARS = ["2025-2026", "2024-2025", "2023-2024"]
PROVINCES = ["河南省", "江苏省"]
LEVELS = ["本科", "高职（专科）"]
OWNERSHIPS = ["公办", "民办", "中外合作办学"]


def _read(params: dict[str, list[str]], provinces: list[str] = PROVINCES):  # noqa: ANN202
    return read_filters(
        lambda name: params.get(name, []),
        years=YEARS,
        provinces=provinces,
        levels=LEVELS,
        ownerships=OWNERSHIPS,
    )


@pytest.mark.parametrize(
    ("params", "expected", "dropped"),
    [
        # case: every filter, several provinces as repeated parameters
        (
            {
                "year": ["2024-2025"],
                "province": ["河南省", "江苏省"],
                "level": ["本科"],
                "ownership": ["民办"],
            },
            ("2024-2025", ("河南省", "江苏省"), ("本科",), ("民办",)),
            (),
        ),
        # case: nothing asked: nothing chosen
        ({}, (None, (), (), ()), ()),
        # case: a year nobody offers and an unknown province are dropped and named
        (
            {"year": ["1999-2000"], "province": ["河南省", "火星"]},
            (None, ("河南省",), (), ()),
            ("学年“1999-2000”", "省份“火星”"),
        ),
        # case: a repeated value counts once
        ({"level": ["本科", "本科"]}, (None, (), ("本科",), ()), ()),
    ],
)
def test_the_address_becomes_the_choices_a_user_may_make(
    params: dict[str, list[str]], expected: tuple, dropped: tuple[str, ...]
) -> None:
    filters = _read(params)

    assert (filters.year, filters.provinces, filters.levels, filters.ownerships) == expected
    assert filters.dropped == dropped


def test_a_province_in_the_address_of_a_user_without_a_province_choice_is_dropped_with_a_note() -> None:
    filters = _read({"province": ["江苏省"]}, provinces=[])

    assert filters.provinces == ()
    assert filters.note() == "链接中的省份“江苏省”不在您可选的范围内，已忽略。"


@pytest.mark.parametrize(
    ("params", "code", "note"),
    [
        ({"code": ["4141010001"]}, "4141010001", None),  # case: a school the user may see
        ({"code": ["4132010001"]}, None, "链接中的学校标识码“4132010001”不在您可选的范围内，已忽略。"),
        ({}, None, None),  # case: no school asked for
    ],
)
def test_a_school_code_in_the_address_is_kept_only_inside_the_limits(
    params: dict[str, list[str]], code: str | None, note: str | None
) -> None:
    assert read_code(lambda name: params.get(name, []), ["4141010001"]) == (code, note)


def test_the_choices_become_the_address_and_back() -> None:
    params = filter_params("2024-2025", ["河南省", "江苏省"], [], ["公办"])

    assert params == {"year": ["2024-2025"], "province": ["河南省", "江苏省"], "ownership": ["公办"]}
    filters = _read(params)
    assert (filters.year, filters.provinces, filters.levels, filters.ownerships) == (
        "2024-2025",
        ("河南省", "江苏省"),
        (),
        ("公办",),
    )


def _two_provinces(engine: Engine) -> None:
    store_rows(
        engine,
        "institutions",
        [
            make_institution(code="4141010001", name="河南一校", province="河南省"),
            make_institution(code="4132010001", name="江苏一校", province="江苏省"),
        ],
    )
    store_rows(
        engine,
        "staffing",
        [
            make_staffing_row(code="4141010001", name="河南一校"),
            make_staffing_row(code="4132010001", name="江苏一校"),
        ],
    )


def _staffing_schools(app: AppTest) -> list[str]:
    return sorted(table_with(app, "学校标识码")["学校标识码"].tolist())


def test_a_shared_address_opens_the_page_in_its_scope_and_a_filter_change_updates_it(
    app_engine: Engine,
) -> None:
    import streamlit as st

    _two_provinces(app_engine)
    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(str(APP_PATH), default_timeout=60)
    sign_in(app, "admin")
    app.query_params["province"] = "江苏省"
    app.query_params["year"] = "2024-2025"
    app.run()
    app.switch_page("pages/staffing.py").run()

    assert not app.exception
    assert app.multiselect(key="filter_provinces").value == ["江苏省"]
    assert app.selectbox(key="filter_year").value == "2024-2025"
    assert _staffing_schools(app) == ["4132010001"]

    app.multiselect(key="filter_provinces").set_value(["河南省"]).run()

    assert _staffing_schools(app) == ["4141010001"]
    assert app.query_params["province"] in ("河南省", ["河南省"])
    assert app.query_params["year"] in ("2024-2025", ["2024-2025"])

"""总览 read side on SQLite and PostgreSQL: the province table and the tiles of one scope."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Engine

from core.scope import Scope
from core.settings_store import save_standards
from core.standards import make_standards
from core.views import staffing
from core.views.overview import overview_page
from tests.apptest import open_app_page, table_with
from tests.factories import make_institution, make_staffing_row, store_rows

YEAR = "2024-2025"
TODAY = dt.date(2025, 11, 30)


@pytest.fixture
def filled(any_engine: Engine) -> Engine:
    store_rows(
        any_engine,
        "institutions",
        [
            make_institution(code="4141010001", name="甲大学"),
            make_institution(code="4141010002", name="乙学院"),
            make_institution(code="4111010003", name="丙大学", province="北京市"),
            make_institution(code="4132010004", name="丁学院", province="江苏省"),
        ],
    )
    store_rows(
        any_engine,
        "staffing",
        [
            make_staffing_row(code="4141010001", undergrad=20000, postgrad=0, counselors_ft=100),  # 1:200
            make_staffing_row(code="4141010002", undergrad=5000, postgrad=0, counselors_ft=20),  # needs 25
            make_staffing_row(code="4111010003", undergrad=4000, postgrad=0, counselors_ft=20),  # 1:200
        ],
    )
    return any_engine


def test_province_table_lists_every_province_in_national_order(filled: Engine) -> None:
    page = overview_page(filled, Scope(year=YEAR), TODAY)

    table = page.provinces
    # 北京 before 江苏 before 河南; 江苏 has an institution but no staffing row
    assert table["所在省份"].tolist() == ["北京市", "江苏省", "河南省"]
    assert table["高校数"].tolist() == [1, 1, 2]
    assert table["辅导员适用学校数"].tolist() == [1, pd.NA, 2]
    assert table["辅导员达标率"].tolist()[::2] == ["100.0%", "50.0%"]
    assert table["辅导员缺口合计"].tolist()[::2] == [0, 5]


def test_tiles_agree_with_each_area(filled: Engine) -> None:
    scope = Scope(year=YEAR, provinces=("河南省",))

    page = overview_page(filled, scope, TODAY)

    assert page.kpis.institutions == 2
    assert page.kpis.staffing == staffing.overview_kpis(filled, scope)
    assert page.kpis.staffing.counselors.share_text == "50.0%"


def test_chart_standard_is_the_one_in_force(filled: Engine) -> None:
    save_standards(
        filled,
        make_standards(
            counselor_threshold=250,
            ideo_threshold=350,
            psy_threshold=4000,
            psy_minimum=2,
            part_time_factor="0",
        ),
    )

    page = overview_page(filled, Scope(year=YEAR), TODAY)

    assert page.counselors.threshold == 250
    assert page.provinces.set_index("所在省份").loc["河南省", "辅导员达标率"] == "100.0%"  # 5000/20 = 250


def test_tiles_compare_each_standard_with_the_previous_year(filled: Engine) -> None:
    store_rows(
        filled,
        "staffing",
        [  # 2023-2024: only 甲, compliant — 100% then, 50% now in 河南
            make_staffing_row(
                code="4141010001", year="2023-2024", undergrad=20000, postgrad=0, counselors_ft=100
            )
        ],
    )

    page = overview_page(filled, Scope(year=YEAR, provinces=("河南省",)), TODAY)

    counselors = page.tiles[0]
    assert counselors.label == "辅导员达标率（1:200）"
    assert (counselors.value, counselors.delta, counselors.state) == ("50.0%", "-50.0 个百分点", "poor")
    assert [tile.label for tile in page.tiles[3:]] == ["高风险人数", "未报送学校"]
    missing = page.tiles[4]
    assert (missing.value, missing.state) == ("0", "good")  # both 河南 institutions reported


def test_one_province_lists_its_institutions_furthest_below_the_standard(filled: Engine) -> None:
    page = overview_page(filled, Scope(year=YEAR, provinces=("河南省",)), TODAY)

    assert page.worst.to_dict("records") == [
        {"学校名称": "乙学院", "缺口": 5, "师生比": "1:250.0", "学校标识码": "4141010002"}
    ]


@pytest.fixture
def app_engine(app_engine: Engine, filled: Engine) -> Engine:
    return app_engine


@pytest.mark.parametrize("any_engine", ["sqlite"], indirect=True)
def test_one_province_page_shows_its_institutions_furthest_below(app_engine: Engine) -> None:
    app = open_app_page("pages/overview.py", year=YEAR, provinces=["河南省"])

    assert [header.value for header in app.subheader] == ["河南省距标准最远的学校"]
    assert table_with(app, "缺口")["学校名称"].tolist() == ["乙学院"]
    assert len(app.get("vega_lite_chart")) == 1

"""The 学年 choices: the season in progress is offered (and chosen) before anyone reports for it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from core.deadlines import Period
from core.metrics.completeness import MISSING, PENDING
from core.scope import Scope
from core.seasons import season_choices
from core.settings_store import save_deadline
from core.views.completeness import completeness_page
from core.views.overview import overview_page
from tests.apptest import metrics_shown, open_app_page, table_with
from tests.test_completeness import hand_built

NEW_SEASON = "2025-2026"  # nothing stored for it in the hand-built data (2023-2024, 2024-2025)


@pytest.mark.parametrize(
    ("today", "years", "default"),
    [
        # case: autumn of a new 学年 with no data yet: offered first and chosen
        (dt.date(2025, 10, 8), ["2025-2026", "2024-2025", "2023-2024"], "2025-2026"),
        # case: summer before 1 September: still the 学年 that had data
        (dt.date(2025, 8, 31), ["2024-2025", "2023-2024"], "2024-2025"),
    ],
)
def test_season_in_progress_is_offered_and_chosen(
    engine: Engine, today: dt.date, years: list[str], default: str
) -> None:
    hand_built(engine)

    seasons = season_choices(engine, Scope(), today)

    assert seasons.years == years
    assert seasons.default == default
    assert seasons.years[seasons.default_index] == default


def test_a_season_with_a_deadline_set_is_offered(engine: Engine) -> None:
    save_deadline(engine, Period("staffing", "2026-2027"), dt.date(2026, 11, 20))

    seasons = season_choices(engine, Scope(), dt.date(2025, 10, 8))

    assert seasons.years == ["2026-2027", "2025-2026"]
    assert seasons.default == "2025-2026"


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (dt.date(2025, 10, 8), PENDING),  # case: before the 11-30 deadline
        (dt.date(2025, 12, 8), MISSING),  # case: after it
    ],
)
def test_every_institution_is_chased_for_a_season_without_data(
    engine: Engine, today: dt.date, status: str
) -> None:
    hand_built(engine)

    page = completeness_page(engine, Scope(year=NEW_SEASON), Period("staffing", NEW_SEASON), today)

    assert set(page.statuses["状态"]) == {status}
    assert len(page.statuses) == 5
    assert page.kpis["应报学校"] == "5"
    assert len(page.missing) == 5


@pytest.fixture
def app_today() -> str:
    return "2025-10-08"  # the 2025-2026 学年 has begun; nothing is reported for it yet


def test_deadlines_page_lists_the_season_in_progress_without_none(app_engine: Engine) -> None:
    hand_built(app_engine)

    app = open_app_page("pages/deadlines.py")

    assert app.selectbox(key="deadlines_year").options[0] == NEW_SEASON
    table = app.dataframe[0]
    assert NEW_SEASON in set(table.value["学年"])
    assert table.proto.placeholder == "—"  # a staffing row's empty 学期 is a dash, not "None"


def test_the_sidebar_chooses_the_season_in_progress_and_points_to_the_last_one_with_data(
    app_engine: Engine,
) -> None:
    hand_built(app_engine)

    app = open_app_page("pages/overview.py")

    year = app.selectbox(key="filter_year")
    assert (year.options[0], year.value) == (NEW_SEASON, NEW_SEASON)
    assert any(f"{NEW_SEASON} 学年正在报送中" in info.value for info in app.info)
    missing = [value for label, value in metrics_shown(app).items() if label.endswith("未报送学校")]
    assert missing == ["5"]  # every institution is still to report

    app.button(key="overview_earlier_season").click().run()

    assert app.selectbox(key="filter_year").value == "2024-2025"
    assert app.query_params["year"] in ("2024-2025", ["2024-2025"])
    assert not any("正在报送中" in info.value for info in app.info)


def test_completeness_lists_every_institution_as_pending_for_the_season_in_progress(
    app_engine: Engine,
) -> None:
    hand_built(app_engine)

    app = open_app_page("pages/completeness.py")  # the default 学年: the season in progress

    assert app.selectbox(key="filter_year").value == NEW_SEASON
    statuses = table_with(app, "状态")
    assert len(statuses) == 5
    assert set(statuses["状态"]) == {PENDING}  # the 11-30 deadline is ahead on 10-08


def test_a_year_in_the_address_still_chooses_the_season(app_engine: Engine) -> None:
    hand_built(app_engine)

    app = open_app_page("pages/staffing.py", address={"year": "2023-2024"})

    assert app.selectbox(key="filter_year").value == "2023-2024"
    assert table_with(app, "学校标识码")["学校标识码"].tolist() == ["4132010003"]


def test_overview_tiles_of_the_season_in_progress_count_the_schools_to_chase_and_no_zeros(
    engine: Engine,
) -> None:
    hand_built(engine)

    tiles = overview_page(engine, Scope(year=NEW_SEASON), dt.date(2025, 10, 8)).tiles

    shown = {tile.label.split("（")[0]: (tile.value, tile.delta) for tile in tiles}
    assert shown["高风险人数"] == ("—", None)  # nothing screened yet: no figure, not 0 (−23)
    assert shown["未报送学校"] == ("5", "+4")  # every institution, against 1 in 2024-2025
    assert {shown[label] for label in shown if label.endswith("达标率")} == {("—", None)}

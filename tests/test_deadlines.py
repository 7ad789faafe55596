"""报送截止日期: defaults per form and period, administrator overrides stored as data."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, func, select
from streamlit.testing.v1 import AppTest

from core.deadlines import Period, academic_year_of, deadline_table, default_deadline, periods_of_year
from core.models import AppSetting
from core.settings_store import load_deadline, load_deadlines, save_deadline
from tests.apptest import open_app_page


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        # case: staffing is due at the end of November of the first year
        (Period("staffing", "2024-2025"), dt.date(2024, 11, 30)),
        # case: autumn screening by the end of the calendar year
        (Period("screening", "2024-2025", "秋季学期"), dt.date(2024, 12, 31)),
        # case: spring screening at the end of June of the second year
        (Period("screening", "2024-2025", "春季学期"), dt.date(2025, 6, 30)),
        # case: the whole year of screening is due with its last term
        (Period("screening", "2024-2025"), dt.date(2025, 6, 30)),
        # case: another year moves with it
        (Period("staffing", "2019-2020"), dt.date(2019, 11, 30)),
    ],
)
def test_default_deadlines(period: Period, expected: dt.date) -> None:
    assert default_deadline(period) == expected


def test_no_override_means_the_default(engine: Engine) -> None:
    assert load_deadline(engine, Period("staffing", "2024-2025")) == dt.date(2024, 11, 30)


def test_an_override_is_used_for_its_period_only(engine: Engine) -> None:
    save_deadline(engine, Period("staffing", "2024-2025"), dt.date(2024, 12, 15))

    assert load_deadline(engine, Period("staffing", "2024-2025")) == dt.date(2024, 12, 15)
    assert load_deadline(engine, Period("staffing", "2023-2024")) == dt.date(2023, 11, 30)


def test_removing_an_override_restores_the_default(engine: Engine) -> None:
    period = Period("screening", "2024-2025", "秋季学期")
    save_deadline(engine, period, dt.date(2025, 1, 15))

    save_deadline(engine, period, None)

    assert load_deadline(engine, period) == dt.date(2024, 12, 31)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(AppSetting)).scalar_one() == 0


def test_setting_the_default_date_stores_nothing(engine: Engine) -> None:
    save_deadline(engine, Period("staffing", "2024-2025"), dt.date(2024, 11, 30))

    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(AppSetting)).scalar_one() == 0


def test_whole_year_screening_follows_the_latest_term_override(engine: Engine) -> None:
    save_deadline(engine, Period("screening", "2024-2025", "春季学期"), dt.date(2025, 7, 15))

    assert load_deadline(engine, Period("screening", "2024-2025")) == dt.date(2025, 7, 15)


def test_whole_year_screening_cannot_be_set_directly(engine: Engine) -> None:
    with pytest.raises(ValueError, match="分别设置"):
        save_deadline(engine, Period("screening", "2024-2025"), dt.date(2025, 7, 1))


@pytest.mark.parametrize(
    ("form", "term"),
    [
        ("projects", None),  # case: projects have no period
        ("staffing", "秋季学期"),  # case: staffing has no term
        ("screening", "夏季学期"),  # case: no such term
    ],
)
def test_invalid_periods_are_refused(form: str, term: str | None) -> None:
    with pytest.raises(ValueError):
        Period(form, "2024-2025", term)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2025, 11, 30), "2025-2026"),  # case: autumn belongs to the year that starts
        (dt.date(2025, 8, 31), "2024-2025"),  # case: summer still ends the previous year
        (dt.date(2025, 9, 1), "2025-2026"),  # case: 1 September starts a year
    ],
)
def test_academic_year_of(day: dt.date, expected: str) -> None:
    assert academic_year_of(day) == expected


def test_deadline_table_marks_overrides(engine: Engine) -> None:
    save_deadline(engine, Period("screening", "2024-2025", "春季学期"), dt.date(2025, 7, 10))

    table = deadline_table(load_deadlines(engine, periods_of_year("2024-2025")))

    assert table.astype(object).where(table.notna(), None).to_dict("records") == [
        {
            "学年": "2024-2025",
            "报表": "队伍配备",
            "学期": None,  # staffing has no term: empty in the CSV, "—" on screen
            "截止日期": "2024-11-30",
            "默认截止日期": "2024-11-30",
            "已调整": "否",
        },
        {
            "学年": "2024-2025",
            "报表": "心理筛查",
            "学期": "秋季学期",
            "截止日期": "2024-12-31",
            "默认截止日期": "2024-12-31",
            "已调整": "否",
        },
        {
            "学年": "2024-2025",
            "报表": "心理筛查",
            "学期": "春季学期",
            "截止日期": "2025-07-10",
            "默认截止日期": "2025-06-30",
            "已调整": "是",
        },
    ]


def test_periods_of_year_are_the_settable_ones() -> None:
    assert [period.label() for period in periods_of_year("2024-2025")] == [
        "队伍配备 2024-2025",
        "心理筛查 2024-2025 秋季学期",
        "心理筛查 2024-2025 春季学期",
    ]


@pytest.fixture
def app_today() -> str:
    return "2025-03-01"  # in the 2024-2025 学年


def click(app: AppTest, label: str) -> None:
    next(button for button in app.button if button.label == label).click().run()
    assert not app.exception, [exception.value for exception in app.exception]


def test_page_saves_and_resets_a_deadline(app_engine: Engine) -> None:
    app = open_app_page("pages/deadlines.py")
    staffing = Period("staffing", "2024-2025")
    field = app.date_input(key=f"deadline_{staffing.setting_key()}")
    assert app.selectbox(key="deadlines_year").value == "2024-2025"  # the 学年 of APP_TODAY
    assert field.value == dt.date(2024, 11, 30)

    field.set_value(dt.date(2024, 12, 15))
    click(app, "保存")

    assert load_deadline(app_engine, staffing) == dt.date(2024, 12, 15)
    assert "已保存" in app.success[0].value
    assert app.dataframe[0].value.loc[0, "已调整"] == "是"

    click(app, "恢复默认")

    assert load_deadline(app_engine, staffing) == dt.date(2024, 11, 30)
    assert app.date_input(key=f"deadline_{staffing.setting_key()}").value == dt.date(2024, 11, 30)

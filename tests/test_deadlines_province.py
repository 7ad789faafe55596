"""A province's own deadlines (spec/accounts.md: Roles — a `province` user may change its
province's deadlines): stored beside the national ones, in force for that province's
institutions in 报送情况 and in closing a period, changed only by its own administrators or
the system administrator, every change in the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from core.accounts.audit import AuditKind
from core.accounts.settings import NotAllowed, change_deadlines
from core.deadlines import Period
from core.queries.completeness import period_status
from core.review.periods import account_issues
from core.scope import Scope
from core.settings_store import load_deadline
from core.views.completeness import deadline_text
from tests.accounts_helpers import audit_details, fast_hashes, make_user  # noqa: F401 — cheap hashes for make_user
from tests.apptest import open_app_page
from tests.factories import make_institution, store_rows
from tests.review_helpers import OTHER, SCHOOL, YEAR, seed_schools, staffing_preview, users

STAFFING = Period("staffing", YEAR)  # national default: 2025-11-30
AUTUMN = Period("screening", YEAR, "秋季学期")  # national default: 2025-12-31


@pytest.fixture
def accounts(engine: Engine) -> dict:
    seed_schools(engine)  # SCHOOL in 河南省, OTHER in 江苏省
    return users(engine)


def settings_changes(engine: Engine) -> list[dict]:
    return audit_details(engine, AuditKind.SETTINGS)


def test_a_province_override_wins_over_the_national_one_for_that_province_only(
    engine: Engine, accounts: dict
) -> None:
    change_deadlines(engine, accounts["admin"], {STAFFING: dt.date(2025, 12, 5)})
    change_deadlines(engine, accounts["province"], {STAFFING: dt.date(2025, 12, 20)}, province="河南省")

    assert load_deadline(engine, STAFFING, "河南省") == dt.date(2025, 12, 20)
    assert load_deadline(engine, STAFFING, "江苏省") == dt.date(2025, 12, 5)  # the national override
    assert load_deadline(engine, STAFFING) == dt.date(2025, 12, 5)
    assert load_deadline(engine, AUTUMN, "河南省") == dt.date(2025, 12, 31)  # the default

    change_deadlines(engine, accounts["province"], {STAFFING: None}, province="河南省")

    assert load_deadline(engine, STAFFING, "河南省") == dt.date(2025, 12, 5)  # follows the national again


def test_every_change_is_recorded_with_the_province_and_old_and_new_dates(
    engine: Engine, accounts: dict
) -> None:
    change_deadlines(
        engine, accounts["province"], {STAFFING: dt.date(2025, 12, 20), AUTUMN: None}, province="河南省"
    )
    change_deadlines(engine, accounts["admin"], {STAFFING: dt.date(2025, 12, 1)})

    assert settings_changes(engine) == [
        {
            "actor": "province",
            "what": "报送截止日期",
            "province": "河南省",
            "changes": {"队伍配备 2025-2026": {"old": "2025-11-30", "new": "2025-12-20"}},
        },
        {
            "actor": "admin",
            "what": "报送截止日期",
            "province": "全国",
            "changes": {"队伍配备 2025-2026": {"old": "2025-11-30", "new": "2025-12-01"}},
        },
    ]


@pytest.mark.parametrize(
    ("who", "province", "message"),
    [
        ("province", "江苏省", "省级管理员只能修改本省（河南省）的报送截止日期"),  # case: another province
        ("province", None, "省级管理员只能修改本省（河南省）的报送截止日期"),  # case: the national ones
        ("school", "河南省", "校级填报账号不能修改报送截止日期"),  # case: an institution
    ],
)
def test_a_change_outside_the_users_rights_is_refused_and_stores_nothing(
    engine: Engine, accounts: dict, who: str, province: str | None, message: str
) -> None:
    with pytest.raises(NotAllowed, match=message):
        change_deadlines(engine, accounts[who], {STAFFING: dt.date(2026, 1, 15)}, province=province)

    assert load_deadline(engine, STAFFING, "江苏省") == dt.date(2025, 11, 30)
    assert load_deadline(engine, STAFFING, "河南省") == dt.date(2025, 11, 30)
    assert settings_changes(engine) == []


def test_reporting_status_uses_each_institutions_own_province_deadline(
    engine: Engine, accounts: dict
) -> None:
    change_deadlines(engine, accounts["jiangsu"], {STAFFING: dt.date(2025, 12, 20)}, province="江苏省")

    statuses = period_status(engine, Scope(), STAFFING, dt.date(2025, 12, 5)).set_index("code")

    assert statuses.loc[OTHER, "deadline"] == dt.date(2025, 12, 20)
    assert statuses.loc[OTHER, "status"] == "待报送"  # would be 未报送 under the national 11-30
    assert statuses.loc[SCHOOL, "deadline"] == dt.date(2025, 11, 30)
    assert deadline_text(statuses["deadline"]) == "2025-11-30 至 2025-12-20（各省不同）"


def test_an_institution_may_upload_until_its_provinces_deadline(engine: Engine, accounts: dict) -> None:
    parsed = staffing_preview(engine, 19_000).parsed  # SCHOOL, of 河南省
    after_national = dt.date(2025, 12, 5)
    assert [issue.code for issue in account_issues(engine, accounts["school"], parsed, after_national)] == [
        "period_closed"
    ]

    change_deadlines(engine, accounts["jiangsu"], {STAFFING: dt.date(2025, 12, 20)}, province="江苏省")
    assert [issue.code for issue in account_issues(engine, accounts["school"], parsed, after_national)] == [
        "period_closed"
    ]  # another province's extension is not 河南's

    change_deadlines(engine, accounts["province"], {STAFFING: dt.date(2025, 12, 20)}, province="河南省")
    assert account_issues(engine, accounts["school"], parsed, after_national) == []
    closed = account_issues(engine, accounts["school"], parsed, dt.date(2025, 12, 21))
    assert "已于 2025-12-20 截止" in closed[0].message


# --- the page ---------------------------------------------------------------------------------

PAGE_PERIOD = Period("staffing", "2025-2026")


def field_key(province: str | None) -> str:
    return f"deadline_{PAGE_PERIOD.setting_key(province)}"


def click(app: AppTest, label: str) -> None:
    next(button for button in app.button if button.label == label).click().run()
    assert not app.exception, [exception.value for exception in app.exception]


def test_a_province_administrator_sets_its_own_provinces_deadlines_on_the_page(app_engine: Engine) -> None:
    app = open_app_page("pages/deadlines.py", role="province")  # 测试省级, 河南省
    assert not [box for box in app.selectbox if box.key == "deadlines_area"]  # no other province offered
    field = app.date_input(key=field_key("河南省"))
    assert not field.disabled
    assert field.value == dt.date(2025, 11, 30)

    field.set_value(dt.date(2025, 12, 15))
    click(app, "保存")

    assert load_deadline(app_engine, PAGE_PERIOD, "河南省") == dt.date(2025, 12, 15)
    assert load_deadline(app_engine, PAGE_PERIOD) == dt.date(2025, 11, 30)
    assert "河南省" in app.success[0].value
    assert settings_changes(app_engine)[-1]["province"] == "河南省"

    click(app, "恢复为全国截止日期")

    assert load_deadline(app_engine, PAGE_PERIOD, "河南省") == dt.date(2025, 11, 30)


def test_a_viewer_sees_its_provinces_deadlines_without_changing_them(app_engine: Engine) -> None:
    app = open_app_page("pages/deadlines.py", role="viewer")

    assert app.date_input(key=field_key("河南省")).disabled
    assert all(button.disabled for button in app.button if button.label in ("保存", "恢复为全国截止日期"))


def test_an_administrator_chooses_whose_deadlines_to_set(app_engine: Engine) -> None:
    store_rows(
        app_engine,
        "institutions",
        [
            make_institution(),
            make_institution(code=OTHER, name="示例江苏大学", province="江苏省", city="南京市"),
        ],
    )
    app = open_app_page("pages/deadlines.py")
    app.selectbox(key="deadlines_area").set_value("江苏省").run()

    app.date_input(key=field_key("江苏省")).set_value(dt.date(2025, 12, 10))
    click(app, "保存")

    assert load_deadline(app_engine, PAGE_PERIOD, "江苏省") == dt.date(2025, 12, 10)
    assert load_deadline(app_engine, PAGE_PERIOD, "河南省") == dt.date(2025, 11, 30)
    assert app.dataframe[0].value.iloc[0]["截止日期"] == "2025-12-10"

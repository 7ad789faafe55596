"""The 项目进度 page (AppTest, no browser): KPIs, lists and the project detail follow the selectors."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from core.scope import Scope
from pages._shared import SCOPE_KEY
from tests.apptest import metrics_shown, open_app_page, table_with
from tests.factories import make_institution, make_project_row, store_rows


@pytest.fixture
def app(app_engine: Engine) -> AppTest:
    """The app with four projects, opened on 项目进度 (today is 2025-11-30, the app_today fixture)."""
    store_rows(
        app_engine,
        "institutions",
        [make_institution(), make_institution(code="4111010002", name="北京示例学院", province="北京市")],
    )
    store_rows(
        app_engine,
        "projects",
        [
            make_project_row(
                project_id="XM-001", category="网络思政", batch="第一批", due=dt.date(2025, 6, 30)
            ),
            make_project_row(
                project_id="XM-002", category="网络思政", batch="第二批", due=dt.date(2025, 12, 20)
            ),
            make_project_row(
                project_id="XM-003",
                category="心理健康教育",
                batch="第二批",
                code="4111010002",
                due=dt.date(2025, 11, 1),
                stage="验收",
                progress=100.0,
            ),
            make_project_row(
                project_id="XM-004",
                category="心理健康教育",
                batch="第二批",
                due=dt.date(2025, 3, 1),
                stage="已验收通过",
                progress=100.0,
            ),
        ],
    )
    return open_app_page("pages/projects.py")


def test_page_shows_kpis_and_overdue_list(app: AppTest) -> None:
    assert not app.exception
    assert app.title[0].value == "项目进度"
    shown = metrics_shown(app)
    assert (shown["项目总数"], shown["已验收通过"], shown["在研项目"], shown["逾期项目"]) == (
        "4",
        "1",
        "3",
        "2",
    )
    assert shown["验收完成率"] == "25.0%"
    overdue = table_with(app, "逾期天数", without="是否逾期")
    assert overdue[["项目编号", "逾期天数"]].values.tolist() == [["XM-001", 153], ["XM-003", 29]]
    assert table_with(app, "剩余天数")["项目编号"].tolist() == ["XM-002"]
    assert {button.label for button in app.get("download_button")} == {"下载 CSV"}


def test_category_and_stage_selectors_narrow_everything(app: AppTest) -> None:
    app.multiselect(key="projects_categories").set_value(["心理健康教育"]).run()

    assert metrics_shown(app)["项目总数"] == "2"
    assert metrics_shown(app)["逾期项目"] == "1"
    assert table_with(app, "是否逾期")["项目编号"].tolist() == ["XM-003", "XM-004"]

    app.multiselect(key="projects_stages").set_value(["已验收通过"]).run()

    assert metrics_shown(app)["项目总数"] == "1"
    assert metrics_shown(app)["验收完成率"] == "100.0%"


def test_batch_selector_offers_batches_oldest_first(app: AppTest) -> None:
    batches = app.multiselect(key="projects_batches")
    assert batches.options == ["第一批", "第二批"]

    batches.set_value(["第一批"]).run()

    assert table_with(app, "是否逾期")["项目编号"].tolist() == ["XM-001"]


def test_sidebar_province_applies(app: AppTest) -> None:
    # In AppTest (streamlit 1.67) a rerun after switch_page executes only the page, not app.py's
    # sidebar; set both the widget state and the scope app.py would derive from it.
    app.session_state["filter_provinces"] = ["北京市"]
    app.session_state[SCOPE_KEY] = Scope(provinces=("北京市",))
    app.run()

    assert metrics_shown(app)["项目总数"] == "1"
    assert table_with(app, "是否逾期")["所在省份"].tolist() == ["北京市"]


def test_no_project_matches_shows_a_hint(app: AppTest) -> None:
    app.multiselect(key="projects_categories").set_value(["党建示范高校"]).run()

    assert not app.exception
    assert "没有符合条件的项目" in app.info[0].value
    assert not app.metric


def test_selecting_a_project_shows_its_history(app: AppTest) -> None:
    app.selectbox(key="projects_detail").select("XM-002").run()

    history = table_with(app, "上传文件")
    assert history[["上传文件", "当前阶段", "完成进度"]].values.tolist() == [["test.xlsx", "培育建设", 60.0]]

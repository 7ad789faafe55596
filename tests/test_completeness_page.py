"""The 报送情况 page (AppTest): matrix, rates, 未报送名单 per form and term, status colours."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from core.deadlines import Period
from core.metrics import completeness as metrics
from core.queries.completeness import period_status, year_status
from core.scope import Scope
from core.views.completeness import completeness_page, missing_frame
from tests.apptest import metrics_shown, open_app_page
from tests.contract import MISSING_HEADERS
from tests.test_completeness import TODAY, YEAR, hand_built


@pytest.fixture
def app_today() -> str:
    return TODAY.isoformat()  # the day the hand-built data's statuses are worked out for


@pytest.fixture
def app_engine(app_engine: Engine) -> Engine:
    """The app's database with the hand-built institutions and reports of tests/test_completeness.py."""
    hand_built(app_engine)
    return app_engine


def open_page(provinces: list[str] | None = None) -> AppTest:
    return open_app_page("pages/completeness.py", provinces=provinces)


def missing_shown(app: AppTest) -> pd.DataFrame:
    tables = [table.value for table in app.dataframe if list(table.value.columns) == MISSING_HEADERS]
    assert len(tables) == 1
    return tables[0]


def test_page_shows_the_staffing_rates_and_missing_list(app_engine: Engine) -> None:
    app = open_page()

    assert app.title[0].value == "报送情况"
    assert app.caption[0].value.startswith(f"范围：全部省份 · {YEAR} 学年；")  # words, not a file-name label
    metrics = metrics_shown(app)
    assert metrics["截止日期"] == "2024-11-30"
    assert metrics["报送率"] == "80.0%"
    assert metrics["按时报送率"] == "40.0%"
    assert missing_shown(app)["学校标识码"].tolist() == ["4132010003"]


def test_missing_list_follows_form_and_term_and_matches_the_query(app_engine: Engine) -> None:
    app = open_page()

    app.segmented_control(key="completeness_form").set_value("screening").run()
    app.selectbox(key="completeness_term").set_value("秋季学期").run()

    shown = missing_shown(app)
    expected = missing_frame(app_engine, Scope(year=YEAR), "screening", term="秋季学期")
    pd.testing.assert_frame_equal(shown.reset_index(drop=True), expected)
    assert shown["学校标识码"].tolist() == ["4132010003", "4132010004", "4141010002", "4141010005"]
    assert "下载 CSV" in [button.label for button in app.get("download_button")]


def chart_data(app: AppTest) -> pd.DataFrame:
    """The data of the first chart on the page (Streamlit sends it beside the spec, as Arrow)."""
    chart = app.get("vega_lite_chart")[0].proto
    return convert_arrow_bytes_to_pandas_df(chart.datasets[0].data.data)


def test_one_province_shows_each_institution_status(app_engine: Engine) -> None:
    app = open_page(provinces=["河南省"])

    rows = chart_data(app)
    cells = dict(zip(zip(rows["学校"], rows["报送期次"], strict=True), rows["状态"], strict=True))
    assert cells[("豫二职院（4141010002）", "队伍配备")] == "逾期报送"
    assert cells[("豫一大学（4141010001）", "心理筛查·秋季学期")] == "按时报送"
    assert cells[("豫五大学（4141010005）", "心理筛查·春季学期")] == "待报送"


def test_provinces_matrix_shows_rates(app_engine: Engine) -> None:
    app = open_page()

    rows = chart_data(app)
    cells = dict(zip(zip(rows["所在省份"], rows["报送期次"], strict=True), rows["报送率"], strict=True))
    assert cells[("江苏省", "队伍配备")] == "50.0%"
    assert cells[("河南省", "心理筛查·秋季学期")] == "33.3%"


def test_empty_database_says_what_to_do(app_db_url: str) -> None:
    app = open_page()

    assert "数据上传" in app.info[0].value


@pytest.mark.parametrize(
    ("provinces", "term"),
    [
        ((), None),  # case: national, 队伍配备 / 全学年 — the heatmap per province
        (("河南省",), "秋季学期"),  # case: one province, one 学期 — the heatmap per institution
        (("江苏省",), None),  # case: one province, 全学年 (a period outside the heatmap's)
    ],
)
@pytest.mark.parametrize("form", ["staffing", "screening"])
def test_page_frames_agree_with_the_period_and_year_queries(
    any_engine: Engine, provinces: tuple[str, ...], form: str, term: str | None
) -> None:
    hand_built(any_engine)
    scope = Scope(year=YEAR, provinces=provinces)
    period = Period(form, YEAR, term if form == "screening" else None)

    page = completeness_page(any_engine, scope, period, TODAY)

    classified = period_status(any_engine, scope, period, TODAY)
    year = year_status(any_engine, scope, TODAY)
    matrix = metrics.institution_matrix(year) if len(provinces) == 1 else metrics.province_matrix(year)
    pd.testing.assert_frame_equal(page.matrix, matrix)
    # values alike; a form with no rows in scope leaves object columns where one period's read has str
    pd.testing.assert_frame_equal(page.statuses, metrics.status_table(classified), check_dtype=False)
    pd.testing.assert_frame_equal(page.missing, missing_frame(any_engine, scope, form, term=period.term))
    overall = metrics.reporting_rates(classified, []).iloc[0]
    assert page.kpis["报送率"] == overall["reporting_rate_text"]
    assert page.kpis["未报学校"] == f"{overall['not_submitted']:,}"

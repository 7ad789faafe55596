"""The 心理筛查 page (AppTest): KPI tiles follow the term selector and the sidebar scope."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from tests.apptest import metrics_shown, open_app_page
from tests.factories import YEAR, make_institution, make_screening_row, store_rows

HENAN, JIANGSU = "4141010001", "4132010002"
ROWS = [
    make_screening_row(code=HENAN, term="秋季学期", target=5000, screened=4900, high=20),
    make_screening_row(code=HENAN, term="春季学期", target=3200, screened=3000, high=9),
    make_screening_row(code=JIANGSU, term="秋季学期", target=1200, screened=1000, high=5),
    make_screening_row(code=JIANGSU, term="春季学期", target=1000, screened=800, high=3),
]


@pytest.fixture
def app(app_engine: Engine) -> AppTest:
    store_rows(
        app_engine,
        "institutions",
        [
            make_institution(code=HENAN),
            make_institution(code=JIANGSU, name="示例江苏学院", province="江苏省", level="高职（专科）"),
        ],
    )
    store_rows(app_engine, "screening", ROWS)
    return open_app_page("pages/screening.py", year=YEAR)


def _screened_and_coverage(app: AppTest) -> tuple[str, str]:
    tiles = metrics_shown(app)
    return tiles["实测人数"], tiles["筛查覆盖率"]


def test_kpis_follow_the_term_and_the_sidebar_provinces(app: AppTest) -> None:
    assert not app.exception, [exception.value for exception in app.exception]
    assert app.title[0].value == "心理筛查"
    # all four rows: 4900+3000+1000+800 = 9700 of 5000+3200+1200+1000 = 10400 → 93.27%
    assert _screened_and_coverage(app) == ("9,700", "93.3%")

    app.selectbox(key="screening_term").set_value("春季学期").run()
    # spring rows: 3000+800 = 3800 of 3200+1000 = 4200 → 90.48%
    assert _screened_and_coverage(app) == ("3,800", "90.5%")

    app.multiselect(key="filter_provinces").set_value(["河南省"]).run()
    assert not app.exception, [exception.value for exception in app.exception]
    # Henan in spring: 3000 of 3200 → 93.75% rounded half up
    assert _screened_and_coverage(app) == ("3,000", "93.8%")
    assert metrics_shown(app)["高风险人数"] == "9"


def test_tables_have_csv_buttons_and_the_masking_option_is_on(app: AppTest) -> None:
    assert app.checkbox(key="screening_mask_small").value is True
    assert [frame.value.columns[0] for frame in app.dataframe] == ["所在省份", "学校标识码", "学校标识码"]
    assert len(app.get("download_button")) == 3


def _chart_texts(app: AppTest) -> dict[str, str]:
    """Chart title → its whole Vega-Lite spec as text (labels, legends, tooltips)."""
    specs = [json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart")]
    return {spec["title"]: json.dumps(spec, ensure_ascii=False) for spec in specs}


def test_charts_and_attention_list_follow_the_coverage_line(app: AppTest) -> None:
    charts = _chart_texts(app)
    assert list(charts) == [
        "各省份筛查覆盖率",
        "各省份预警人数（按风险等级）",
        "历次筛查覆盖率",
        "历次筛查预警率与高风险率",
        "各校预警人数与约谈评估率",
    ]
    assert "低于95%" in charts["各省份筛查覆盖率"]
    # coverage 98%, 93.75%, 83.3%, 80%: three rows below 95%; the first one has 300 flagged,
    # 290 followed up
    assert "共 4 条" in app.caption[-1].value

    app.number_input(key="screening_coverage_line").set_value(80.0).run()

    assert "低于80%" in _chart_texts(app)["各省份筛查覆盖率"]
    assert "共 1 条" in app.caption[-1].value  # 80% is not below 80%
    assert app.dataframe[1].value["关注原因"].tolist() == ["约谈评估率低于100%"]

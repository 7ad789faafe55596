"""The 辅导员配备 and 配备标准 pages, driven through AppTest on a small SQLite database."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from tests.apptest import metrics_shown, open_app_page, table_with
from tests.factories import YEAR, make_institution, make_staffing_row, store_rows

# 河南省: 甲 meets 1:200 (20,000 students, 100 counselors), 乙 misses it by 5 (5,000 / 20).
# 北京市: 丙 misses it by 10 (4,000 students, 10 counselors; 20 required).
INSTITUTIONS = [
    make_institution(code="4141010001", name="甲大学", province="河南省"),
    make_institution(code="4141010002", name="乙学院", province="河南省", level="高职（专科）"),
    make_institution(code="4111010003", name="丙大学", province="北京市"),
]
STAFFING = [
    make_staffing_row(code="4141010001", undergrad=18000, postgrad=2000, counselors_ft=100),
    make_staffing_row(code="4141010002", undergrad=5000, postgrad=0, counselors_ft=20, ideo_teachers=20),
    make_staffing_row(code="4111010003", undergrad=4000, postgrad=0, counselors_ft=10, ideo_teachers=20),
]


@pytest.fixture
def app_engine(app_engine: Engine) -> Engine:
    """The app's database with the three institutions and their staffing rows."""
    store_rows(app_engine, "institutions", INSTITUTIONS)
    store_rows(app_engine, "staffing", STAFFING)
    return app_engine


def _watchlist_codes(app: AppTest) -> list[str]:
    return table_with(app, "未达标指标")["学校标识码"].tolist()


@pytest.mark.parametrize(
    ("provinces", "share", "gap", "watchlist"),
    [
        ([], "33.3%", "15", ["4111010003", "4141010002"]),  # case: all provinces, 1 of 3 compliant
        (["河南省"], "50.0%", "5", ["4141010002"]),  # case: 河南 only, 甲 compliant, 乙 short by 5
        (["北京市"], "0.0%", "10", ["4111010003"]),  # case: 北京 only, 丙 short by 10
    ],
)
def test_province_filter_changes_the_figures(
    app_engine: Engine, provinces: list[str], share: str, gap: str, watchlist: list[str]
) -> None:
    app = open_app_page("pages/staffing.py", year=YEAR)

    app.multiselect(key="filter_provinces").set_value(provinces).run()

    assert not app.exception, [exception.value for exception in app.exception]
    assert app.title[0].value == "辅导员配备"
    assert metrics_shown(app)["辅导员配备达标率"] == share
    assert metrics_shown(app)["专职辅导员缺口合计"] == gap
    assert _watchlist_codes(app) == watchlist


def test_search_narrows_the_institution_table(app_engine: Engine) -> None:
    app = open_app_page("pages/staffing.py", year=YEAR)

    app.text_input(key="staffing_search").set_value("丙").run()

    details = table_with(app, "排名")
    assert details["学校名称"].tolist() == ["丙大学"]
    assert details["排名"].tolist() == [1]  # 400 students per counselor: the worst ratio of all


def test_saved_threshold_recomputes_the_staffing_page(app_engine: Engine) -> None:
    settings = open_app_page("pages/standards_settings.py", year=YEAR)  # the staffing page's 学年
    settings.number_input[0].set_value(250)

    settings.button[0].click().run()

    assert not settings.exception, [exception.value for exception in settings.exception]
    assert "已保存" in settings.success[0].value
    staffing = settings.switch_page("pages/staffing.py").run()
    # At 1:250: 甲 and 乙 comply; 丙 needs 16 and has 10.
    assert metrics_shown(staffing)["辅导员配备达标率"] == "66.7%"
    assert metrics_shown(staffing)["专职辅导员缺口合计"] == "6"


def test_invalid_factor_is_refused_in_chinese(app_engine: Engine) -> None:
    settings = open_app_page("pages/standards_settings.py")
    settings.text_input[0].set_value("一半")

    settings.button[0].click().run()

    assert "不是数字" in settings.error[0].value
    assert not settings.success


@pytest.mark.parametrize(
    ("by", "groups", "compliant"),
    [
        ("province", ["北京市", "河南省"], [0, 1]),  # case: the default, national province order
        ("level", ["本科", "高职（专科）"], [1, 0]),  # case: 甲 and 丙 are 本科, 乙 is 高职
    ],
)
def test_group_summary_follows_the_chosen_grouping(
    app_engine: Engine, by: str, groups: list[str], compliant: list[int]
) -> None:
    app = open_app_page("pages/staffing.py", year=YEAR)

    app.radio(key="staffing_group_by").set_value(by).run()

    header = {"province": "所在省份", "level": "办学层次"}[by]
    summary = next(frame.value for frame in app.dataframe if header in frame.value.columns[:1])
    assert summary[header].tolist() == groups
    assert summary["辅导员达标学校数"].tolist() == compliant


@pytest.mark.parametrize(
    ("standard", "names", "gaps", "download"),
    [
        ("counselors", ["丙大学", "乙学院"], [10, 5], "下载督办名单 CSV（辅导员）"),  # case: 1:200
        ("ideo", [], [], "下载督办名单 CSV（思政课教师）"),  # case: 1:350, every school meets it
    ],
)
def test_watchlist_per_standard_has_its_own_export(
    app_engine: Engine, standard: str, names: list[str], gaps: list[int], download: str
) -> None:
    app = open_app_page("pages/staffing.py", year=YEAR)

    app.segmented_control(key="staffing_watch_standard").set_value(standard).run()

    if names:
        shown = table_with(app, "未达标指标")
        assert shown["学校名称"].tolist() == names
        assert shown["缺口"].tolist() == gaps
    else:
        assert "均已达到该标准" in " ".join(caption.value for caption in app.caption)
    assert download in [button.label for button in app.get("download_button")]

"""The 学校画像 page (AppTest): pick an institution within the sidebar scope and see every section."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from tests.apptest import open_app_page
from tests.test_profile import TODAY, A, C, profile_data

SECTIONS = ["基本信息", "队伍配备", "心理筛查", "重点项目", "项目汇总", "报送情况", "上传记录"]


@pytest.fixture
def app_today() -> str:
    return TODAY.isoformat()


@pytest.fixture
def app_engine(app_engine: Engine) -> Engine:
    """The app's database with the institutions and reports of tests/test_profile.py."""
    profile_data(app_engine)
    return app_engine


def open_page(provinces: list[str] | None = None) -> AppTest:
    return open_app_page("pages/profile.py", provinces=provinces)


def test_picking_an_institution_shows_every_section(app_engine: Engine) -> None:
    app = open_page()

    app.selectbox(key="profile_code").set_value(A).run()

    assert not app.exception, [exception.value for exception in app.exception]
    assert app.header[0].value == f"豫甲大学（{A}）"
    assert [subheader.value for subheader in app.subheader] == SECTIONS
    assert len(app.get("vega_lite_chart")) == 2  # staffing ratios and screening rates beside the province
    labels = [button.label for button in app.get("download_button")]
    assert labels[0] == "导出学校画像（Excel）"
    assert labels.count("下载 CSV") == len(SECTIONS)


def test_choices_follow_the_sidebar_scope(app_engine: Engine) -> None:
    app = open_page(provinces=["江苏省"])

    assert app.selectbox(key="profile_code").options == [f"苏丙大学（{C}）· 江苏省"]
    assert "请选择一所学校" in app.info[0].value


def test_institution_without_reports_says_so_per_section(app_engine: Engine) -> None:
    app = open_page()

    app.selectbox(key="profile_code").set_value(C).run()

    notes = [info.value for info in app.info]
    assert "暂无该校的心理筛查数据。" in notes
    assert "该校暂无重点项目。" in notes


def test_a_link_with_a_school_code_opens_its_profile_and_the_address_follows_the_choice(
    app_engine: Engine,
) -> None:
    app = open_app_page("pages/profile.py", address={"code": A})

    assert app.header[0].value == f"豫甲大学（{A}）"
    assert app.selectbox(key="profile_code").value == A

    app.selectbox(key="profile_code").set_value(C).run()

    assert app.header[0].value.endswith(f"（{C}）")
    assert app.query_params["code"] in (C, [C])


def test_a_code_outside_an_institution_users_limits_is_dropped_with_a_note(app_engine: Engine) -> None:
    app = open_app_page(
        "pages/profile.py", address={"code": C}, role="institution", name="测试校级", institution=A
    )

    assert f"链接中的学校标识码“{C}”不在您可选的范围内，已忽略。" in [w.value for w in app.warning]
    assert not app.header  # no profile of C (nor of anyone) until the user chooses
    assert app.selectbox(key="profile_code").options == [f"豫甲大学（{A}）· 河南省"]
    assert "code" not in app.query_params

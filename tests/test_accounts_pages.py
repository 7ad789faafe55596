"""Every role × every page (AppTest): signed out, only the sign-in form; signed in, every table,
metric, chart and CSV holds only rows inside the user's limits (checked on the data: codes,
names and provinces), and a page a role may not use refuses it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from core.accounts.roles import Role
from pages._shared import PAGE_ROLES, PAGES
from tests.apptest import open_app_page, sign_in
from tests.factories import (
    YEAR,
    make_institution,
    make_project_row,
    make_screening_row,
    make_staffing_row,
    store_rows,
)

ROOT = Path(__file__).resolve().parents[1]
EXISTING_PAGES = [path for _, path, _, _ in PAGES if (ROOT / path).exists()]

OWN = ("4141010001", "示例第一大学")  # 河南省
NEIGHBOUR = ("4141010002", "示例河南丙学院")  # 河南省
ELSEWHERE = ("4132010002", "示例江苏乙职业学院")  # 江苏省
ROLES = {
    "admin": {},
    "province": {},
    "viewer": {},
    "institution": {"name": "测试校级", "role": "institution", "institution": OWN[0]},
}
# What each role must never find in a page's data (codes, names, provinces)
HIDDEN = {
    "admin": set(),
    "province": {*ELSEWHERE, "江苏省", "全部学校.xlsx"},
    "viewer": {*ELSEWHERE, "江苏省", "全部学校.xlsx"},
    "institution": {*ELSEWHERE, *NEIGHBOUR, "江苏省", "全部学校.xlsx"},
}
INSTITUTIONS_SEEN = {"admin": "3", "province": "2", "viewer": "2", "institution": "1"}


def _school(code: str, name: str, province: str) -> dict[str, Any]:
    city = "郑州市" if province == "河南省" else "南京市"
    return make_institution(code=code, name=name, province=province, city=city)


def three_schools(engine: Engine) -> None:
    """Two schools of 河南省 and one of 江苏省, each with its own upload of every form, plus one
    upload of all three."""
    schools = [(*OWN, "河南省"), (*NEIGHBOUR, "河南省"), (*ELSEWHERE, "江苏省")]
    store_rows(engine, "institutions", [_school(*school) for school in schools])
    for number, (code, name, _) in enumerate(schools):
        store_rows(engine, "staffing", [make_staffing_row(code=code, name=name, counselors_ft=50 + number)])
        store_rows(engine, "screening", [make_screening_row(code=code, name=name, screened=4000 + number)])
        project = make_project_row(code=code, unit=name, project_id=f"XM-{code}")
        store_rows(engine, "projects", [project], file_name=f"{name}.xlsx")
    store_rows(
        engine,
        "screening",
        [make_screening_row(code=code, name=name, term="春季学期") for code, name, _ in schools],
        file_name="全部学校.xlsx",
    )


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Callable[[], bytes]]]:
    """The files behind the page's download buttons, by file name (made when called)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    files: dict[str, Callable[[], bytes]] = {}
    register = MediaFileManager.add_deferred

    def record(self: MediaFileManager, data: Callable[[], bytes], *args: Any, **kwargs: Any) -> str:
        files[kwargs["file_name"]] = data
        return register(self, data, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    yield files


def data_elements(app: AppTest) -> list[Any]:
    return [*app.dataframe, *app.metric, *app.get("vega_lite_chart"), *app.get("download_button")]


def shown_text(app: AppTest, files: dict[str, Callable[[], bytes]]) -> str:
    """Everything the page shows as data: tables, tiles, chart data, choices, texts and CSV files."""
    parts = [element.value.to_csv() for element in app.dataframe]
    parts += [f"{metric.label} {metric.value}" for metric in app.metric]
    for chart in app.get("vega_lite_chart"):
        parts.append(json.dumps(json.loads(chart.proto.spec), ensure_ascii=False))
        parts += [convert_arrow_bytes_to_pandas_df(data.data.data).to_csv() for data in chart.proto.datasets]
    for widget in (*app.selectbox, *app.multiselect, *app.radio):
        parts += [str(option) for option in widget.options]
    parts += [element.value for element in (*app.markdown, *app.caption, *app.info, *app.title)]
    parts += [make().decode("utf-8-sig") for name, make in files.items() if name.endswith(".csv")]
    return "\n".join(parts)


def role_options(role: str) -> dict[str, Any]:
    return {"role": role, **ROLES[role]} if ROLES[role] else {"role": role}


@pytest.mark.parametrize("page_path", EXISTING_PAGES)
def test_signed_out_every_page_shows_only_the_sign_in_form(app_engine: Engine, page_path: str) -> None:
    three_schools(app_engine)

    app = open_app_page(page_path, role=None)

    assert [field.label for field in app.text_input] == ["用户名", "密码"]
    assert [button.label for button in app.button] == ["登录"]
    assert data_elements(app) == []
    assert not app.sidebar.selectbox and not app.sidebar.multiselect


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("page_path", EXISTING_PAGES)
def test_every_role_sees_only_rows_inside_its_limits(
    app_engine: Engine, downloads: dict[str, Callable[[], bytes]], role: str, page_path: str
) -> None:
    three_schools(app_engine)

    if Role(role) not in PAGE_ROLES.get(page_path, tuple(Role)):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            open_app_page(page_path, **role_options(role))  # not in the role's navigation
        alone = AppTest.from_file(str(ROOT / page_path), default_timeout=60)  # opened by its address
        sign_in(alone, **role_options(role))
        alone.run()
        assert "无权使用本页" in alone.error[0].value
        assert data_elements(alone) == []
        return
    app = open_app_page(page_path, year=YEAR, **role_options(role))  # the 学年 of the rows
    assert app.title, f"{page_path} shows no title"
    text = shown_text(app, downloads)
    leaked = sorted(value for value in HIDDEN[role] if value in text)
    assert not leaked, f"{role} on {page_path} sees {leaked}"


@pytest.mark.parametrize("role", list(ROLES))
def test_the_institution_count_is_the_users_own(app_engine: Engine, role: str) -> None:
    three_schools(app_engine)

    app = open_app_page("pages/overview.py", **role_options(role))

    first = next(metric.value for metric in app.metric if metric.label == "高校数")
    assert first == INSTITUTIONS_SEEN[role]


def test_a_province_user_choosing_nothing_sees_its_province_and_no_province_filter(
    app_engine: Engine,
) -> None:
    three_schools(app_engine)

    app = open_app_page("pages/staffing.py", role="province")

    assert "省份" not in [widget.label for widget in app.sidebar.multiselect]
    assert any("省份：河南省" in markdown.value for markdown in app.sidebar.markdown)


def test_navigation_lists_only_the_pages_of_the_role(app_engine: Engine) -> None:
    from pages._shared import may_open

    three_schools(app_engine)
    for role in ROLES:
        allowed = {
            path
            for path in EXISTING_PAGES
            if may_open(sign_in(AppTest.from_string(""), **role_options(role)), path)
        }
        assert ("pages/users.py" in allowed) == (role == "admin")
        assert ("pages/upload.py" in allowed) == (role != "viewer")


@pytest.mark.parametrize(
    "page_path", ["pages/staffing.py", "pages/screening.py", "pages/projects.py", "pages/uploads.py"]
)
def test_an_administrator_sees_every_school_so_the_check_above_can_find_them(
    app_engine: Engine, downloads: dict[str, Callable[[], bytes]], page_path: str
) -> None:
    three_schools(app_engine)

    text = shown_text(open_app_page(page_path, year=YEAR), downloads)

    expected = ["全部学校.xlsx"] if page_path == "pages/uploads.py" else [*OWN, *NEIGHBOUR, *ELSEWHERE]
    assert all(value in text for value in expected)


def test_an_institution_user_sees_its_province_and_the_country_as_aggregates(app_engine: Engine) -> None:
    three_schools(app_engine)

    app = open_app_page("pages/overview.py", **role_options("institution"))

    tiles = [(metric.label, metric.value) for metric in app.metric]
    assert tiles.count(("高校数", "1")) == 1  # its own
    assert ("高校数", "2") in tiles  # 河南省, as a total
    assert ("高校数", "3") in tiles  # the country, as a total
    assert any("河南省全省" in markdown.value for markdown in app.markdown)

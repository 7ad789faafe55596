"""Every page in the navigation renders without an exception, on data and on an empty database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from pages._shared import PAGES
from tests.apptest import open_app_page
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


def _small_dataset(engine: Engine) -> None:
    store_rows(
        engine,
        "institutions",
        [
            make_institution(),
            make_institution(
                code="4132010002",
                name="示例江苏乙职业学院",
                province="江苏省",
                level="高职（专科）",
                ownership="民办",
            ),
        ],
    )
    store_rows(
        engine, "staffing", [make_staffing_row(), make_staffing_row(code="4132010002", psy_teachers=0)]
    )
    store_rows(
        engine,
        "screening",
        [
            make_screening_row(),
            make_screening_row(term="春季学期", high=0, medium=0, watch=0, interviewed=0, referred=0),
        ],
    )
    store_rows(engine, "projects", [make_project_row()])


@pytest.fixture(params=["data", "empty"])
def app_database(request: pytest.FixtureRequest, app_db_url: str) -> str | None:
    """The app's database: a small dataset, or no file at all yet (the app creates it). The 学年
    to choose in the sidebar: the dataset's, or None (the default, the season in progress)."""
    if request.param == "data":
        _small_dataset(request.getfixturevalue("app_engine"))
        return YEAR
    return None


@pytest.mark.parametrize("page_path", EXISTING_PAGES)
def test_page_renders_without_exception(app_database: str | None, page_path: str) -> None:
    app = open_app_page(page_path, year=app_database)  # fails on an exception in the page

    assert app.title, f"{page_path} shows no title"

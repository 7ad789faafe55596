"""Every page in the navigation renders without an exception, on data and on an empty database."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.db import init_db, make_engine
from pages._shared import PAGES
from tests.factories import (
    make_institution,
    make_project_row,
    make_screening_row,
    make_staffing_row,
    store_rows,
)

ROOT = Path(__file__).resolve().parents[1]
EXISTING_PAGES = [path for _, path, _, _ in PAGES if (ROOT / path).exists()]


def _small_dataset(url: str) -> None:
    engine = make_engine(url)
    init_db(engine)
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
    engine.dispose()


@pytest.fixture(params=["data", "empty"])
def app_database(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    if request.param == "data":
        _small_dataset(url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("APP_TODAY", "2025-11-30")
    return url


@pytest.mark.parametrize("page_path", EXISTING_PAGES)
def test_page_renders_without_exception(app_database: str, page_path: str) -> None:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.run()
    app.switch_page(page_path).run()
    assert not app.exception, [exception.value for exception in app.exception]
    assert app.title, f"{page_path} shows no title"

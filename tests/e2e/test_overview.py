"""总览 in a real browser: title, a KPI that matches the database, the CSV download."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page, expect

from core.db import make_engine
from core.queries.base import available_provinces, count_institutions
from core.scope import Scope
from tests.cli import PROJECT_ROOT
from tests.e2e.conftest import IDLE_APP, SAMPLE_YEAR, download_csv, expect_chart_drawn, sign_in

SCREENSHOT = PROJECT_ROOT / "docs" / "overview.png"
SCREENSHOT_WIDTH = 1366


def test_overview_shows_kpis_and_downloads_its_table(
    page: Page, app_url: str, seeded_database_url: str, tmp_path: Path
) -> None:
    engine = make_engine(seeded_database_url)
    institutions = count_institutions(engine, Scope())
    provinces = available_provinces(engine)
    engine.dispose()

    sign_in(page, app_url, year=SAMPLE_YEAR)
    expect(page.locator("h1")).to_contain_text("总览", timeout=30_000)
    tile = page.get_by_test_id("stMetric").filter(has_text="高校数")
    expect(tile).to_contain_text(f"{institutions:,}")
    expect_chart_drawn(page)
    expect(page.get_by_test_id("stDataFrame").first).to_contain_text(provinces[0], timeout=30_000)

    if os.environ.get("UPDATE_SCREENSHOT"):  # the README's picture: signed in, on a 1366 px laptop
        page.set_viewport_size({"width": SCREENSHOT_WIDTH, "height": 1000})
        page.wait_for_timeout(1_000)  # the tiles and charts lay out again at this width
        expect_chart_drawn(page)
        page.locator(IDLE_APP).wait_for(timeout=30_000)
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)

    _, rows = download_csv(page, page.get_by_test_id("stDownloadButton").first, tmp_path)
    assert rows[0][0] == "所在省份"
    assert sorted(row[0] for row in rows[1:]) == sorted(provinces)

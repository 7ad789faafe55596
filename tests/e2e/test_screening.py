"""心理筛查 in a real browser: title, a KPI that matches the database, the detail CSV download."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from core.db import make_engine
from core.queries.base import available_years
from core.queries.screening import screening_totals
from core.scope import Scope
from tests.contract import EXPORT_HEADERS
from tests.e2e.conftest import download_csv, expect_chart_drawn, open_page


def test_screening_page_shows_kpis_and_downloads_the_detail_table(
    page: Page, app_url: str, seeded_database_url: str, tmp_path: Path
) -> None:
    engine = make_engine(seeded_database_url)
    newest_year = available_years(engine)[0]  # chosen in the sidebar below
    screened = screening_totals(engine, Scope(year=newest_year))["screened"]
    engine.dispose()

    open_page(page, app_url, "心理筛查", year=newest_year)
    tile = page.get_by_test_id("stMetric").filter(has_text="实测人数")
    expect(tile).to_contain_text(f"{screened:,}", timeout=30_000)
    expect_chart_drawn(page)

    saved, rows = download_csv(page, page.get_by_test_id("stDownloadButton").last, tmp_path)
    assert saved.name.startswith("心理筛查明细_")
    assert rows[0] == EXPORT_HEADERS["screening"]  # the 明细 table is the full export
    assert {row[2] for row in rows[1:]} == {newest_year}

"""报送情况 in a real browser: title, the matrix, the 未报送名单 CSV exactly as the database says."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from core.db import make_engine
from core.queries.base import available_years
from core.scope import Scope
from core.views.completeness import missing_frame
from tests.contract import MISSING_HEADERS
from tests.e2e.conftest import IDLE_APP, download_csv, expect_chart_drawn, open_page


def test_missing_list_downloads_as_shown(
    page: Page, app_url: str, seeded_database_url: str, tmp_path: Path
) -> None:
    engine = make_engine(seeded_database_url)
    newest_year = available_years(engine)[0]  # chosen in the sidebar below
    missing = missing_frame(engine, Scope(year=newest_year), "staffing")
    engine.dispose()
    assert not missing.empty, "示例数据应有未报送的学校，本测试才有意义"

    open_page(page, app_url, "报送情况", year=newest_year)
    expect(page.get_by_text(f"{newest_year} 学年报送矩阵")).to_be_visible(timeout=30_000)
    expect_chart_drawn(page)
    expect(page.get_by_text(f"未报送名单（队伍配备 {newest_year}）")).to_be_visible()

    saved, rows = download_csv(
        page, page.locator(".st-key-missing_csv").get_by_test_id("stDownloadButton"), tmp_path
    )

    assert saved.name == f"未报送名单_队伍配备_全部省份_{newest_year}.csv"
    assert rows[0] == MISSING_HEADERS
    assert rows[1:] == missing.astype(str).values.tolist()


def test_screening_term_switches_the_missing_list(page: Page, app_url: str, seeded_database_url: str) -> None:
    engine = make_engine(seeded_database_url)
    newest_year = available_years(engine)[0]
    missing = missing_frame(engine, Scope(year=newest_year), "screening", term="春季学期")
    engine.dispose()
    assert not missing.empty, "示例数据应有春季学期未报送的学校，本测试才有意义"

    open_page(page, app_url, "报送情况", year=newest_year)
    page.get_by_test_id("stButtonGroup").get_by_text("心理筛查", exact=True).click()
    expect(page.get_by_text(f"未报送名单（心理筛查 {newest_year} 秋季学期）")).to_be_visible(timeout=30_000)
    page.locator(IDLE_APP).wait_for(timeout=30_000)
    page.get_by_test_id("stSelectbox").filter(has_text="学期").click()
    page.get_by_role("option", name="春季学期", exact=True).click()

    expect(page.get_by_text(f"未报送名单（心理筛查 {newest_year} 春季学期）")).to_be_visible(timeout=30_000)
    if not missing.empty:
        table = page.locator(".st-key-missing_csv").locator(
            "xpath=preceding::*[@data-testid='stDataFrame'][1]"
        )
        expect(table).to_contain_text(missing["学校标识码"].iloc[0])

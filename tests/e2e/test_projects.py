"""项目进度 in a real browser: title, the overdue KPI as in the database, the overdue CSV download."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from playwright.sync_api import Page, expect

from core.db import make_engine
from core.scope import Scope
from core.views.projects import DAYS_OVERDUE_HEADER, overview_kpis
from tests.e2e.conftest import SAMPLE_TODAY, download_csv, open_page


def test_projects_page_shows_overdue_kpi_and_downloads_the_overdue_list(
    page: Page, app_url: str, seeded_database_url: str, tmp_path: Path
) -> None:
    engine = make_engine(seeded_database_url)
    overdue = overview_kpis(engine, Scope(), dt.date.fromisoformat(SAMPLE_TODAY))["overdue"]
    engine.dispose()
    assert overdue > 0, "示例数据在 2025-11-30 应有逾期项目"

    open_page(page, app_url, "项目进度")
    tile = page.get_by_test_id("stMetric").filter(has_text="逾期项目")
    expect(tile).to_contain_text(f"{overdue:,}", timeout=30_000)
    expect(page.get_by_text(f"逾期项目（{overdue:,} 个）")).to_be_visible()

    saved, rows = download_csv(
        page, page.locator(".st-key-projects_overdue_csv").get_by_role("button"), tmp_path
    )
    assert saved.name == "逾期项目_全部省份_全部学年.csv"
    assert rows[0][:2] == ["项目编号", "项目名称"]
    days_column = rows[0].index(DAYS_OVERDUE_HEADER)
    days = [int(row[days_column]) for row in rows[1:]]
    assert len(days) == overdue
    assert days == sorted(days, reverse=True) and min(days) >= 1

"""辅导员配备 in a real browser: title, a KPI matching the database, the 督办名单 CSV download."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from core.db import make_engine
from core.export import csv_bytes
from core.queries.base import available_years
from core.scope import Scope
from core.views.staffing import overview_kpis, supervision_list
from tests.e2e.conftest import download_csv, expect_chart_drawn, open_page


def test_staffing_page_shows_kpis_and_downloads_the_watchlist(
    page: Page, app_url: str, seeded_database_url: str, tmp_path: Path
) -> None:
    engine = make_engine(seeded_database_url)
    scope = Scope(year=available_years(engine)[0])  # chosen in the sidebar below
    share = overview_kpis(engine, scope).counselors.share_text
    expected_csv = csv_bytes(supervision_list(engine, scope))
    engine.dispose()

    open_page(page, app_url, "辅导员配备", year=scope.year)
    tile = page.get_by_test_id("stMetric").filter(has_text="辅导员配备达标率")
    expect(tile).to_contain_text(share, timeout=30_000)
    expect_chart_drawn(page)

    page.get_by_role("tab", name="督办名单").click()
    button = page.get_by_test_id("stDownloadButton").filter(has_text="下载督办名单 CSV")
    saved, rows = download_csv(page, button, tmp_path)

    assert saved.name == f"辅导员配备督办名单_{scope.label()}.csv"
    assert rows[0][:4] == ["序号", "学校标识码", "学校名称", "所在省份"]
    assert rows[0][-1] == "未达标指标"
    assert saved.read_bytes() == expected_csv
    assert len(rows) > 1, "示例数据中应有未达标学校"

"""A bookmarked page opened first on a fresh server still has the sidebar filters."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import IDLE_APP, serve_app


def test_first_request_to_a_page_address_goes_through_the_app(
    page: Page, seeded_database_url: str, tmp_path: Path
) -> None:
    with serve_app(seeded_database_url, tmp_path / "streamlit.log") as url:
        page.goto(f"{url}/staffing")
        page.locator(IDLE_APP).wait_for(timeout=30_000)
        expect(page.locator("h1")).to_contain_text("辅导员配备", timeout=30_000)
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar).to_contain_text("学年")
        expect(page.get_by_test_id("stMain")).to_contain_text("2024-2025")
        expect(page.get_by_test_id("stSidebarNav")).to_contain_text("总览")

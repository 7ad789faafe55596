"""A bookmarked page opened first on a fresh server still has the app's navigation and filters."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import IDLE_APP, fill_sign_in, serve_app


@pytest.mark.parametrize(
    ("address", "title"),
    [
        ("staffing", "辅导员配备"),  # case: a page that reads the sidebar scope first
        ("upload", "数据上传"),  # case: a page that reads no scope before drawing
        ("standards_settings", "配备标准"),  # case: a page that never reads the scope
    ],
)
def test_first_request_to_a_page_address_goes_through_the_app(
    page: Page, seeded_database_url: str, tmp_path: Path, address: str, title: str
) -> None:
    with serve_app(seeded_database_url, tmp_path / "streamlit.log") as url:
        page.goto(f"{url}/{address}")
        fill_sign_in(page)
        page.locator(IDLE_APP).wait_for(timeout=30_000)
        expect(page.locator("h1")).to_contain_text(title, timeout=30_000)
        expect(page.get_by_test_id("stSidebar")).to_contain_text("学年")
        navigation = page.get_by_test_id("stSidebarNav")
        expect(navigation).to_contain_text("总览")
        expect(navigation).not_to_contain_text("shared")  # Streamlit's file-name listing of pages/

"""A view sent as a link opens as it was sent: the filters travel in the address."""

from __future__ import annotations

import re
from urllib.parse import quote

from playwright.sync_api import Page, expect

from core.db import make_engine
from core.queries.base import available_provinces, institutions_frame
from core.scope import Scope
from tests.e2e.conftest import IDLE_APP, fill_sign_in


def test_a_shared_address_reproduces_the_view_and_follows_the_filters(
    page: Page, app_url: str, seeded_database_url: str
) -> None:
    engine = make_engine(seeded_database_url)
    province = available_provinces(engine)[-1]
    engine.dispose()

    page.goto(f"{app_url}/staffing?year=2023-2024&province={quote(province)}")
    fill_sign_in(page)
    page.locator(IDLE_APP).wait_for(timeout=30_000)

    expect(page.locator("h1")).to_contain_text("辅导员配备", timeout=30_000)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_test_id("stSelectbox").locator("input")).to_have_value("2023-2024")
    expect(sidebar.get_by_test_id("stMultiSelect").first).to_contain_text(province)
    expect(page).to_have_url(f"{app_url}/staffing?year=2023-2024&province={quote(province)}")

    sidebar.get_by_test_id("stMultiSelect").first.get_by_role("button").first.click()  # remove the province
    page.locator(IDLE_APP).wait_for(timeout=30_000)
    expect(page).to_have_url(f"{app_url}/staffing?year=2023-2024", timeout=30_000)


def test_a_link_to_a_schools_profile_opens_it_after_signing_in(
    page: Page, app_url: str, seeded_database_url: str
) -> None:
    engine = make_engine(seeded_database_url)
    school = institutions_frame(engine, Scope()).iloc[-1]
    engine.dispose()

    page.goto(f"{app_url}/profile?code={school['code']}")
    fill_sign_in(page)
    page.locator(IDLE_APP).wait_for(timeout=30_000)

    expect(page.locator("h2")).to_contain_text(f"{school['name']}（{school['code']}）", timeout=30_000)
    expect(page).to_have_url(re.compile(rf"/profile\?.*code={school['code']}"))

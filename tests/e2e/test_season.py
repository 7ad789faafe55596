"""总览 in a real browser as an official uses it: a click on a province's bar opens its
institutions; tiles are readable at 1366 px and on a 390 px phone; the page is Chinese and
fetches nothing from outside the app."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, Request, Route, expect

from core.deadlines import academic_year_of
from pages._shared import PAGES
from tests.cli import PROJECT_ROOT
from tests.e2e.conftest import IDLE_APP, SAMPLE_TODAY, SAMPLE_YEAR, expect_chart_drawn, sign_in

SHOTS = PROJECT_ROOT / "test-results"
# Every element of a tile whose text would end in "…" (or be cut) if it did not fit.
CUT_TILES = """() => Array.from(document.querySelectorAll(
    '[data-testid="stMetric"] [data-testid="stMarkdownContainer"], [data-testid="stMetricValue"]'))
  .filter(e => e.scrollWidth > e.clientWidth + 1 || getComputedStyle(e).textOverflow === 'ellipsis')
  .map(e => e.textContent)"""


def open_overview(page: Page, app_url: str) -> None:
    sign_in(page, app_url, year=SAMPLE_YEAR)  # as the demo administrator
    page.locator(IDLE_APP).wait_for(timeout=30_000)
    expect(page.locator("h1")).to_contain_text("总览", timeout=30_000)
    expect_chart_drawn(page)


def test_a_click_on_a_province_bar_lists_its_institutions(page: Page, app_url: str) -> None:
    open_overview(page, app_url)

    bar = page.get_by_test_id("stVegaLiteChart").first.locator("g.mark-rect path").first
    bar.click()

    heading = page.locator("h3").filter(has_text="各校")
    expect(heading).to_be_visible(timeout=30_000)
    province = heading.inner_text().strip().removesuffix("各校")
    assert province.endswith(("省", "市", "自治区")), province
    expect(page.get_by_test_id("stDataFrame").last).to_contain_text(province, timeout=30_000)


@pytest.mark.parametrize("width", [1366, 390])
def test_tiles_are_not_cut_off(page: Page, app_url: str, width: int) -> None:
    open_overview(page, app_url)  # signed in at the default width (a phone hides the sidebar)
    page.set_viewport_size({"width": width, "height": 900})
    expect_chart_drawn(page)  # laid out again at this width (CSS; the session and its sign-in kept)
    expect(page.get_by_test_id("stMetric")).to_have_count(8, timeout=30_000)

    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"overview_{width}px.png"))

    assert page.evaluate(CUT_TILES) == []
    chart = page.get_by_test_id("stVegaLiteChart").first.bounding_box()
    assert chart is not None and chart["x"] >= 0 and chart["x"] + chart["width"] <= width


def test_pages_are_chinese_and_fetch_nothing_from_outside(page: Page, app_url: str) -> None:
    outside: list[str] = []

    def route(route: Route, request: Request) -> None:
        if request.url.startswith(app_url):
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    page.route("**/*", route)
    open_overview(page, app_url)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    expect(page.get_by_test_id("stSkipToContent")).to_have_text("跳到主要内容")
    for title in [title for _, path, title, _ in PAGES if (PROJECT_ROOT / path).exists()]:
        page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
        expect(page.locator("h1")).to_contain_text(title, timeout=30_000)
        page.locator(IDLE_APP).wait_for(timeout=30_000)

    assert outside == []


def test_one_province_shows_its_worst_institutions_and_a_click_opens_the_profile(
    page: Page, app_url: str
) -> None:
    open_overview(page, app_url)
    provinces = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first
    provinces.click()
    page.keyboard.type("河南省")
    page.keyboard.press("Enter")
    expect(page.locator("h3").filter(has_text="河南省距标准最远的学校")).to_be_visible(timeout=30_000)
    expect_chart_drawn(page)

    page.get_by_test_id("stVegaLiteChart").first.locator("g.mark-rect path").first.click()

    expect(page.locator("h1")).to_contain_text("学校画像", timeout=30_000)
    expect(page.locator("h2")).to_contain_text("（41", timeout=30_000)  # a 河南 institution's code


def test_the_season_in_progress_is_chosen_by_default_and_points_to_the_last_one_with_data(
    page: Page, app_url: str
) -> None:
    in_progress = academic_year_of(dt.date.fromisoformat(SAMPLE_TODAY))  # no sample data for it yet

    sign_in(page, app_url)  # no 学年 in the address: the sidebar's default

    year = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").locator("input")
    expect(year).to_have_value(in_progress, timeout=30_000)
    expect(page.get_by_text(f"{in_progress} 学年正在报送中")).to_be_visible()
    expect(page.get_by_test_id("stMetric").filter(has_text="未报送学校")).to_be_visible()

    page.get_by_role("button", name=f"查看 {SAMPLE_YEAR} 学年").click()

    expect(year).to_have_value(SAMPLE_YEAR, timeout=30_000)
    expect(page).to_have_url(f"{app_url}/?year={SAMPLE_YEAR}", timeout=30_000)
    expect_chart_drawn(page)

"""Real-browser fixtures: a seeded app served by `streamlit run`, driven by Debian's Chromium.

Never downloads a browser: Playwright launches /usr/bin/chromium. Without Chromium or a
CJK font the browser tests are skipped with a message saying how to enable them, except
under CI=true, where that is a failure (CI must exercise the browser).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.cli import PROJECT_ROOT, run_cli
from tests.servers import SAMPLE_TODAY, serve_app

__all__ = ["PROJECT_ROOT", "SAMPLE_TODAY", "serve_app"]  # re-exported for the test modules

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _missing_browser_needs() -> list[str]:
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append("chromium")
    fonts = (
        subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
        if shutil.which("fc-list")
        else None
    )
    if fonts is None or not fonts.stdout.strip():
        missing.append("fonts-wqy-microhei")
    return missing


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = _missing_browser_needs()
    for item in items:
        if "tests/e2e/" not in item.nodeid.replace("\\", "/"):
            continue
        item.add_marker(pytest.mark.e2e)
        if missing and os.environ.get("CI") != "true":
            item.add_marker(
                pytest.mark.skip(
                    reason=f"浏览器测试需要 {' '.join(missing)}：以 root 运行 `make test` 会自动安装"
                    f"（或 apt-get install -y {' '.join(missing)}）"
                )
            )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    missing = _missing_browser_needs()
    if missing:
        pytest.fail(f"CI=true 但缺少浏览器测试所需的 {' '.join(missing)}")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {
        **browser_context_args,
        "locale": "zh-CN",
        "viewport": {"width": 1440, "height": 1000},
        "accept_downloads": True,
    }


@pytest.fixture(scope="session")
def seeded_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database loaded with the committed sample data through the CLI."""
    database = tmp_path_factory.mktemp("e2e-db") / "app.db"
    url = f"sqlite:///{database}"
    seeded = run_cli(url, "seed", env={"APP_TODAY": SAMPLE_TODAY})
    assert seeded.returncode == 0, seeded.stderr
    demo = run_cli(url, "user", "demo")  # as `make run` does: admin / demo-admin-2025 …
    assert demo.returncode == 0, demo.stderr
    return url


@pytest.fixture(scope="session")
def app_url(seeded_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of one app server over the seeded database, shared by the browser tests."""
    with serve_app(seeded_database_url, tmp_path_factory.mktemp("e2e-log") / "streamlit.log") as url:
        yield url


IDLE_APP = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# The sample data's newest 学年: the server's today (SAMPLE_TODAY) is in the next one, which the
# sidebar chooses by default and which has no data yet, so a test about data chooses this one.
SAMPLE_YEAR = "2024-2025"
DEMO_PASSWORDS = {name: f"demo-{name}-2025" for name in ("admin", "province", "viewer", "school")}


def sign_in(page: Page, app_url: str, name: str = "admin", *, year: str | None = None) -> None:
    """Open the app (with ?year=``year``: that 学年 chosen in the sidebar) and sign in with the
    sign-in form as demo user ``name``."""
    from playwright.sync_api import expect

    page.goto(f"{app_url}/?year={year}" if year else app_url)
    fill_sign_in(page, name)
    if year:  # the run after signing in has read the address (a click before it would drop it)
        year_box = page.get_by_test_id("stSidebar").get_by_role("combobox", name="学年")
        expect(year_box).to_have_value(year, timeout=30_000)


def fill_sign_in(page: Page, name: str = "admin") -> None:
    """Sign in with the sign-in form the page shows, as demo user ``name``."""
    from playwright.sync_api import expect

    page.locator(IDLE_APP).wait_for(timeout=30_000)
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(DEMO_PASSWORDS[name])
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible(timeout=30_000)
    page.locator(IDLE_APP).wait_for(timeout=30_000)


def open_page(page, app_url: str, title: str, *, year: str | None = None) -> None:
    """Open the app signed in as the demo administrator (``year`` chosen, see :func:`sign_in`),
    go to the page called ``title`` in the sidebar and wait for it."""
    from playwright.sync_api import expect

    sign_in(page, app_url, year=year)
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    expect(page.locator("h1")).to_contain_text(title, timeout=30_000)
    page.locator(IDLE_APP).wait_for(timeout=30_000)


def choose_option(page: Page, box: Locator, typed: str, option: Locator, *, tries: int = 4) -> None:
    """Open the select box ``box``, type ``typed`` to filter it and click ``option`` (a Locator of
    role ``option``). Retried: a click that lands while the page is still rerunning closes the list
    or drops the typed text, which under a loaded machine happens now and then."""
    for attempt in range(tries):
        page.locator(IDLE_APP).wait_for(timeout=30_000)
        box.click()
        page.keyboard.type(typed)
        try:
            option.first.wait_for(timeout=8_000)
            option.first.click()
            return
        except Exception:  # playwright's TimeoutError, or the option detached while clicking
            if attempt == tries - 1:
                raise
            page.keyboard.press("Escape")


def expect_chart_drawn(page: Page) -> None:
    """Wait until the page's first chart has drawn its marks (Vega-Lite renders SVG or a canvas)."""
    from playwright.sync_api import expect

    chart = page.get_by_test_id("stVegaLiteChart").first
    expect(chart.locator("svg.marks, canvas").first).to_be_visible(timeout=30_000)


def download(page: Page, button: Locator, folder: Path) -> Path:
    """Click ``button`` (a Locator) and save the file the browser receives under its suggested name."""
    with page.expect_download() as download_info:
        button.click()
    received = download_info.value
    saved = folder / received.suggested_filename
    received.save_as(saved)
    return saved


def download_csv(page: Page, button: Locator, folder: Path) -> tuple[Path, list[list[str]]]:
    """Download the CSV behind ``button``: the saved file (named as the browser offered it) and its rows.

    Fails unless the file starts with the UTF-8 BOM that Excel needs to read Chinese.
    """
    saved = download(page, button, folder)
    data = saved.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "CSV 缺少 BOM，Excel 会乱码"
    return saved, list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))

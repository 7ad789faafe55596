"""Text from data is text in a real browser: Markdown in an institution name, an uploader, a
file name or a sheet name draws no image and no link, and the browser fetches nothing but the app."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, Request, Route, expect

from core.accounts.users import add_user
from core.db import init_db, make_engine
from core.forms import STAFFING
from core.ingest import import_bytes
from tests.e2e.conftest import DEMO_PASSWORDS, IDLE_APP, choose_option, open_page, serve_app
from tests.factories import make_institution, make_staffing_row, store_rows

CODE = "4141010001"
HOSTILE = "![x](http://127.0.0.1:9/t.png)[a](javascript:alert(1))<img src=http://127.0.0.1:9/i.png>"
SHEET = "![s](http://127.0.0.1:9/s.png)"
FILE = "[a](javascript:alert(1))![f](t.png)<img src=t.png>.xlsx"  # a file name holds no /


def hostile_workbook() -> bytes:
    """A 队伍配备 file whose sheet is named with Markdown (Excel forbids it; the XML does not)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = STAFFING.sheet
    sheet.append(list(STAFFING.headers.values()))
    row = make_staffing_row(code=CODE, name=HOSTILE)
    sheet.append([row[key] for key in STAFFING.keys])
    output = io.BytesIO()
    workbook.save(output)
    renamed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(output.getvalue())) as source, zipfile.ZipFile(renamed, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/workbook.xml":
                escaped = SHEET.replace("<", "&lt;").replace(">", "&gt;")
                content = content.replace(f'name="{STAFFING.sheet}"'.encode(), f'name="{escaped}"'.encode())
            target.writestr(item, content)
    return renamed.getvalue()


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("markup")
    url = f"sqlite:///{folder / 'app.db'}"
    engine = make_engine(url)
    init_db(engine)
    store_rows(engine, "institutions", [make_institution(code=CODE, name=HOSTILE)])
    report = import_bytes(engine, "staffing", hostile_workbook(), FILE, uploader=HOSTILE)
    assert report.stored, report.to_text()
    add_user(
        engine, name="admin", role="admin", password=DEMO_PASSWORDS["admin"], actor="测试"
    )  # open_page's
    engine.dispose()
    with serve_app(url, folder / "streamlit.log") as app_url:
        yield app_url


@pytest.fixture
def outside_requests(page: Page, hostile_app: str) -> list[str]:
    """Every request the page makes to anywhere but the app server (each one refused)."""
    left: list[str] = []

    def route(route: Route, request: Request) -> None:
        if request.url.startswith(hostile_app):
            route.continue_()
        else:
            left.append(request.url)
            route.abort()

    page.route("**/*", route)
    return left


def assert_no_markup(page: Page) -> None:
    main = page.get_by_test_id("stMain")
    expect(main.locator("img[src*='127.0.0.1:9']")).to_have_count(0)
    expect(main.locator("a[href*='127.0.0.1:9'], a[href^='javascript']")).to_have_count(0)
    expect(page.locator("[data-testid='stMarkdownContainer'] img")).to_have_count(0)


def test_markdown_in_data_renders_as_text_and_fetches_nothing(
    page: Page, hostile_app: str, outside_requests: list[str], tmp_path: Path
) -> None:
    open_page(page, hostile_app, "学校画像")
    choose_option(
        page, page.get_by_test_id("stMain").get_by_test_id("stSelectbox"), CODE, page.get_by_role("option")
    )
    expect(page.locator("h2")).to_contain_text("![x](http://127.0.0.1:9/t.png)", timeout=30_000)
    assert_no_markup(page)

    open_page(page, hostile_app, "上传记录")
    expect(page.get_by_test_id("stMain")).to_contain_text("上传人：![x]", timeout=30_000)
    expect(page.get_by_test_id("stCheckbox")).to_contain_text(FILE)
    assert_no_markup(page)

    open_page(page, hostile_app, "数据上传")
    page.get_by_label("上传人", exact=True).and_(page.get_by_test_id("stTextInputField")).fill(HOSTILE)
    page.keyboard.press("Enter")
    workbook = tmp_path / "队伍配备.xlsx"
    workbook.write_bytes(hostile_workbook())
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(workbook))
    expect(page.get_by_test_id("stMain")).to_contain_text(f"工作表：{SHEET}", timeout=30_000)
    page.locator(IDLE_APP).wait_for(timeout=30_000)
    assert_no_markup(page)

    assert outside_requests == []

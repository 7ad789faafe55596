"""The reporting loop in a real browser, two parties in two browser windows: an institution
uploads its staffing, the province returns it with a comment, the institution fixes it, the
province approves it — and only then 辅导员配备 counts it; a 督办 case opened on the school's
未达标 row is answered and then reads 数据已达标，可销号 after an approved upload at 1:192.

Its own server over a copy of the seeded database (the loop changes stored figures). The
server's today is 2024-11-20, before the 2024-2025 staffing deadline, so the school may report
that 学年 without the province reopening it. With UPDATE_SCREENSHOT=1 each step's screenshot is
written to docs/review-loop/ (listed in docs/review-loop.md).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from core.db import make_engine
from core.forms import STAFFING
from core.models import StaffingReport
from tests.cli import PROJECT_ROOT
from tests.e2e.conftest import IDLE_APP, choose_option, fill_sign_in, serve_app

SCREENSHOTS = PROJECT_ROOT / "docs" / "review-loop"
SCHOOL = "4141900001"  # the demo `school` account's institution (the first 河南省 code)
YEAR = "2024-2025"
TODAY = "2024-11-20"
WAIT = 30_000


@pytest.fixture(scope="module")
def loop_app(seeded_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("review-loop")
    copy = folder / "app.db"
    with (
        closing(sqlite3.connect(seeded_database_url.removeprefix("sqlite:///"))) as source,
        closing(sqlite3.connect(copy)) as target,
    ):
        source.backup(target)  # the backup API: what the shared server wrote to its WAL too
    with serve_app(f"sqlite:///{copy}", folder / "streamlit.log", today=TODAY) as url:
        yield url


def stored_row(database_url: str) -> dict:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        row = connection.execute(
            select(StaffingReport).where(StaffingReport.code == SCHOOL, StaffingReport.year == YEAR)
        ).mappings()
        stored = dict(row.one())
    engine.dispose()
    return stored


def workbook(folder: Path, name: str, row: dict) -> Path:
    """A real .xlsx of the staffing form holding ``row``."""
    book = Workbook()
    sheet = book.active
    sheet.title = STAFFING.sheet
    sheet.append(list(STAFFING.headers.values()))
    sheet.append([row[key] for key in STAFFING.keys])
    path = folder / name
    book.save(path)
    return path


class Steps:
    """Numbered screenshots, written only when UPDATE_SCREENSHOT is set."""

    def __init__(self) -> None:
        self.number = 0

    def shot(self, page: Page, name: str) -> None:
        self.number += 1
        page.locator(IDLE_APP).wait_for(timeout=WAIT)
        if os.environ.get("UPDATE_SCREENSHOT"):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{self.number:02d}-{name}.png"), full_page=True)


@pytest.fixture
def windows(browser: Browser, browser_context_args: dict, loop_app: str) -> Iterator[dict[str, Page]]:
    """A browser window of its own (its own session) per party, signed in as demo users ``school``
    and ``province``; closed after the test."""
    contexts = {name: browser.new_context(**browser_context_args) for name in ("school", "province")}
    pages = {}
    for name, context in contexts.items():
        pages[name] = context.new_page()
        pages[name].goto(loop_app)
        fill_sign_in(pages[name], name)
    yield pages
    for context in contexts.values():
        context.close()


def go(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    expect(page.locator("h1")).to_contain_text(title, timeout=WAIT)
    page.locator(IDLE_APP).wait_for(timeout=WAIT)


def alert(page: Page, text: str) -> None:
    expect(page.get_by_test_id("stAlert").filter(has_text=text).first).to_be_visible(timeout=WAIT)


def upload(page: Page, path: Path) -> None:
    """The school uploads ``path`` on 数据上传 and confirms: it waits for review."""
    go(page, "数据上传")
    uploader = page.get_by_label("上传人", exact=True).and_(page.get_by_test_id("stTextInputField"))
    uploader.fill("学生工作处 王老师")
    uploader.press("Enter")
    page.locator(IDLE_APP).wait_for(timeout=WAIT)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    expect(page.get_by_test_id("stMetric").filter(has_text="更新")).to_contain_text("1", timeout=WAIT)
    page.get_by_role("button").filter(has_text="确认导入").click()
    alert(page, "待省级管理员审核")


def fill_text_area(page: Page, label: str, text: str) -> None:
    area = page.get_by_label(label, exact=True)
    area.fill(text)
    area.press("Control+Enter")  # commits the value (a rerun) before the next click
    page.locator(IDLE_APP).wait_for(timeout=WAIT)


def review(page: Page, file_name: str, value: str) -> None:
    """On 报送审核: the pending upload of ``file_name`` and its cell-by-cell preview showing ``value``."""
    go(page, "报送审核")
    expect(page.get_by_test_id("stDataFrame").filter(has_text="文件").first).to_contain_text(
        file_name, timeout=WAIT
    )
    expect(page.get_by_test_id("stDataFrame").filter(has_text="原值").first).to_contain_text(
        value, timeout=WAIT
    )


def press(page: Page, button: str, done: str) -> None:
    page.get_by_test_id("stButton").filter(has_text=button).click()
    alert(page, done)


def students_total(page: Page) -> str:
    go(page, "辅导员配备")
    tile = page.get_by_test_id("stMetric").filter(has_text="全日制学生总数")
    expect(tile).to_be_visible(timeout=WAIT)
    return tile.get_by_test_id("stMetricValue").inner_text()


def test_the_review_and_supervision_loop(
    windows: dict[str, Page], seeded_database_url: str, tmp_path: Path
) -> None:
    stored = stored_row(seeded_database_url)
    counted = stored | {"undergrad": 9_600, "postgrad": 0, "counselors_ft": 40, "counselors_pt": 0}  # 1:240
    mistyped = workbook(tmp_path, "队伍配备_本校.xlsx", counted | {"undergrad": 96_000})
    fixed = workbook(tmp_path, "队伍配备_本校_修改.xlsx", counted)
    compliant = workbook(tmp_path, "队伍配备_本校_整改后.xlsx", counted | {"counselors_ft": 50})  # 1:192
    steps = Steps()
    school, province = windows["school"], windows["province"]
    before = students_total(province)

    upload(school, mistyped)
    steps.shot(school, "school-submits")
    go(school, "上传记录")
    pending = school.get_by_test_id("stDataFrame").filter(has_text=mistyped.name)
    expect(pending).to_contain_text("待审核", timeout=WAIT)
    steps.shot(school, "school-upload-pending")

    review(province, mistyped.name, "96000")
    fill_text_area(province, "审核意见", "全日制本专科生数多写了一个 0，请核对后重新报送")
    steps.shot(province, "province-reviews")
    press(province, "退回", "已退回")

    go(school, "上传记录")
    returned = school.get_by_test_id("stDataFrame").filter(has_text=mistyped.name)
    expect(returned).to_contain_text("已退回", timeout=WAIT)
    expect(returned).to_contain_text("多写了一个 0")
    steps.shot(school, "school-sees-returned")
    go(school, "报送审核")
    school.get_by_test_id("stButtonGroup").get_by_text("已退回", exact=True).click()
    alert(school, "审核意见：全日制本专科生数多写了一个 0")
    steps.shot(school, "school-reads-the-comment")

    upload(school, fixed)
    assert students_total(province) == before  # neither the returned nor the pending upload counts
    review(province, fixed.name, "9600")
    press(province, "通过并入库", "已通过")
    steps.shot(province, "province-approves")
    grown = int(before.replace(",", "")) + counted["undergrad"] - stored["undergrad"] - stored["postgrad"]
    assert students_total(province) == f"{grown:,}"
    steps.shot(province, "staffing-counts-it")

    province.get_by_role("tab", name="督办名单").click()
    province.get_by_test_id("stExpander").filter(has_text="发起督办").locator("summary").click()
    choose_option(
        province,
        province.get_by_test_id("stSelectbox").filter(has_text="督办对象"),
        SCHOOL,
        province.get_by_role("option").filter(has_text=f"{SCHOOL}）· 辅导员"),
    )
    fill_text_area(province, "督办说明", "请于期限内配齐专职辅导员并报送整改情况")
    press(province, "发起督办", "已发起督办")
    steps.shot(province, "province-opens-case")

    go(school, "督办")
    case = school.get_by_test_id("stMarkdown").filter(has_text="整改期限").first
    expect(case).to_contain_text("督办中", timeout=WAIT)
    school.get_by_label("整改措施", exact=True).fill("已面向社会公开招聘 10 名专职辅导员，12 月底前到岗")
    school.get_by_test_id("stFormSubmitButton").filter(has_text="提交反馈").click()
    alert(school, "已提交反馈")
    expect(case).to_contain_text("已反馈")
    steps.shot(school, "school-replies")

    upload(school, compliant)
    review(province, compliant.name, "50")
    press(province, "通过并入库", "已通过")
    go(province, "督办")
    met = province.get_by_test_id("stAlert").filter(has_text="数据已达标，可销号")
    expect(met).to_contain_text("1:192", timeout=WAIT)
    steps.shot(province, "case-met")
    press(province, "销号", "已销号")
    expect(province.get_by_test_id("stMarkdown").filter(has_text="整改期限").first).to_contain_text("已销号")
    steps.shot(province, "province-closes-case")

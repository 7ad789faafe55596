"""学校画像 in a real browser: search an institution, see every section, download the workbook."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from core.db import make_engine
from core.queries.base import institutions_frame
from core.queries.projects import projects_frame
from core.scope import Scope
from core.views.indicators import institution_tables
from tests.e2e.conftest import IDLE_APP, choose_option, download, expect_chart_drawn, open_page

SECTIONS = ["基本信息", "队伍配备", "心理筛查", "重点项目", "项目汇总", "报送情况", "上传记录"]


def test_profile_shows_every_section_and_exports_it(
    page: Page, app_url: str, seeded_database_url: str, tmp_path: Path
) -> None:
    engine = make_engine(seeded_database_url)
    code = projects_frame(engine, Scope())["code"].iloc[0]  # an institution with a project
    institutions = institutions_frame(engine, Scope())
    name = institutions.loc[institutions["code"] == code, "name"].iloc[0]
    reported = list(institution_tables(engine, code))  # 专项指标 forms it reported (seed loads them)
    engine.dispose()
    sections = [*SECTIONS[:5], *reported, *SECTIONS[5:]]

    open_page(page, app_url, "学校画像")
    choose_option(
        page,
        page.get_by_test_id("stMain").get_by_test_id("stSelectbox"),
        code,
        page.get_by_role("option", name=f"{name}（{code}）", exact=False),
    )

    expect(page.locator("h2")).to_contain_text(f"{name}（{code}）", timeout=30_000)
    page.locator(IDLE_APP).wait_for(timeout=30_000)
    for title in sections:
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(2)
    expect_chart_drawn(page)
    basics = page.get_by_test_id("stDataFrame").first
    expect(basics).to_contain_text(code)

    saved = download(page, page.get_by_test_id("stDownloadButton").filter(has_text="导出学校画像"), tmp_path)

    assert saved.name == f"学校画像_{name}_{code}.xlsx"
    workbook = load_workbook(saved)
    assert workbook.sheetnames == sections
    assert reported  # the sample data of the built-in forms declared as data is seeded too
    assert code in {cell for row in workbook["基本信息"].values for cell in row}
    assert workbook["重点项目"].max_row >= 2  # header + the institution's project

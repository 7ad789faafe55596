"""数据上传 in a real browser: upload a workbook, read the preview, confirm, then revert it.

The seeded database is shared by every browser test, so the flow changes one stored
value and reverts its own upload at the end, leaving the data as it found it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect
from sqlalchemy import select

from core.db import make_engine
from core.forms import STAFFING
from core.models import StaffingReport
from tests.e2e.conftest import IDLE_APP, open_page


def stored_staffing_row(database_url: str) -> dict:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        row = connection.execute(select(StaffingReport).order_by(StaffingReport.id).limit(1)).mappings().one()
    engine.dispose()
    return dict(row)


def counselors_of(database_url: str, code: str, year: str) -> int:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        value = connection.execute(
            select(StaffingReport.counselors_ft).where(
                StaffingReport.code == code, StaffingReport.year == year
            )
        ).scalar_one()
    engine.dispose()
    return value


def staffing_workbook(path: Path, row: dict) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = STAFFING.sheet
    sheet.append(list(STAFFING.headers.values()))
    sheet.append([row[key] for key in STAFFING.keys])
    workbook.save(path)
    return path


def test_upload_preview_confirm_and_revert(
    page: Page, app_url: str, seeded_database_url: str, tmp_path: Path
) -> None:
    stored = stored_staffing_row(seeded_database_url)
    changed = stored | {"counselors_ft": stored["counselors_ft"] + 7}
    workbook = staffing_workbook(tmp_path / "队伍配备_浏览器测试.xlsx", changed)

    open_page(page, app_url, "数据上传")
    uploader = page.get_by_label("上传人", exact=True).and_(page.get_by_test_id("stTextInputField"))
    uploader.fill("浏览器测试")
    uploader.press("Enter")
    page.locator(IDLE_APP).wait_for()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(workbook))

    expect(page.get_by_text("自动识别为「思政队伍配备情况表」")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stMetric").filter(has_text="更新")).to_contain_text("1")
    expect(page.get_by_test_id("stMetric").filter(has_text="新增")).to_contain_text("0")
    expect(page.get_by_test_id("stDataFrame").last).to_contain_text(str(changed["counselors_ft"]))
    page.get_by_role("button").filter(has_text="确认导入").click()

    expect(page.get_by_test_id("stAlert").filter(has_text="已导入")).to_contain_text("更新 1", timeout=30_000)
    assert counselors_of(seeded_database_url, stored["code"], stored["year"]) == changed["counselors_ft"]

    page.get_by_test_id("stSidebarNav").get_by_text("上传记录", exact=True).click()
    expect(page.locator("h1")).to_contain_text("上传记录", timeout=30_000)
    expect(page.get_by_test_id("stDataFrame").first).to_contain_text("队伍配备_浏览器测试.xlsx")
    page.get_by_text("我已了解后果").click()
    page.get_by_role("button").filter(has_text="撤销上传").click()

    expect(page.get_by_test_id("stAlert").filter(has_text="已撤销")).to_be_visible(timeout=30_000)
    assert counselors_of(seeded_database_url, stored["code"], stored["year"]) == stored["counselors_ft"]


# What a user reads inside the drop zone: visible text nodes (not the icon's ligature name) and
# the generated ::after text the page's style rule puts in place of Streamlit's English.
_SHOWN_TEXT = """zone => {
  const parts = [];
  for (const element of zone.querySelectorAll('*')) {
    if (!element.checkVisibility() || element.closest('[data-testid="stIconMaterial"]')) continue;
    if (getComputedStyle(element).fontSize !== '0px') {
      for (const node of element.childNodes) {
        if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) parts.push(node.textContent.trim());
      }
    }
    const generated = getComputedStyle(element, '::after').content;
    if (generated && generated !== 'none' && generated !== 'normal') parts.push(JSON.parse(generated));
  }
  return parts.join(' | ');
}"""


def test_drop_zone_reads_in_chinese(page: Page, app_url: str) -> None:
    open_page(page, app_url, "数据上传")

    shown = page.get_by_test_id("stFileUploader").evaluate(_SHOWN_TEXT)

    assert "选择文件" in shown and "不超过 20 MB" in shown, shown
    assert "Upload" not in shown and "per file" not in shown, shown


@pytest.mark.parametrize(
    ("file_name", "size"),
    [
        ("报送_过大.xlsx", 21 * 1024 * 1024),  # case: over the 20 MB limit the widget enforces
        ("工作总结.pdf", 1024),  # case: a type the widget does not accept
    ],
)
def test_browser_refusal_reads_in_chinese(
    page: Page, app_url: str, tmp_path: Path, file_name: str, size: int
) -> None:
    refused = tmp_path / file_name
    refused.write_bytes(b"\0" * size)
    open_page(page, app_url, "数据上传")

    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(refused))
    expect(page.get_by_test_id("stFileChip")).to_have_attribute("aria-invalid", "true")
    shown = page.get_by_test_id("stFileUploader").evaluate(_SHOWN_TEXT)

    assert "无法上传：只接受不超过 20 MB 的 Excel/WPS 表格或 CSV 文件" in shown, shown
    assert "Error" not in shown, shown
    refusal = page.get_by_test_id("stFileChip").locator('[role="alert"]').bounding_box()
    assert refusal is not None and refusal["width"] > 100, refusal  # on screen, not a 1×1 screen-reader span

"""A real browser signs in with the form, sees its pages, and signs out (spec/accounts.md: Signing in)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import IDLE_APP, sign_in


def test_signing_in_and_out(page: Page, app_url: str) -> None:
    page.goto(app_url)
    page.locator(IDLE_APP).wait_for(timeout=30_000)
    expect(page.get_by_label("用户名")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)

    sign_in(page, app_url, "school")
    expect(page.locator("h1")).to_contain_text("总览", timeout=30_000)
    navigation = page.get_by_test_id("stSidebarNav")
    expect(navigation).to_contain_text("数据上传")
    expect(navigation).not_to_contain_text("用户管理")

    page.get_by_test_id("stSidebar").get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("button", name="登录")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)


def test_a_wrong_password_is_refused(page: Page, app_url: str) -> None:
    page.goto(app_url)
    page.locator(IDLE_APP).wait_for(timeout=30_000)
    page.get_by_label("用户名").fill("viewer")
    page.get_by_label("密码").fill("not the password")
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_text("用户名或密码错误")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)

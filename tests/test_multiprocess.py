"""Two `streamlit run` processes on one PostgreSQL database, as docs/deploy.md deploys them: a
file uploaded through one is on the page of a session kept open in the other."""

from __future__ import annotations

import datetime as dt
from contextlib import ExitStack
from pathlib import Path

import pytest

from core.db import init_db, make_engine
from core.deadlines import academic_year_of
from tests.apptest import TEST_PASSWORD, app_user
from tests.bench.client import Session, run_async, string_state, trigger_state
from tests.conftest import TEST_POSTGRES_URL
from tests.databases import postgres_database
from tests.factories import make_institution, store_rows
from tests.servers import SAMPLE_TODAY, serve_app

NO_XSRF = ["--server.enableXsrfProtection", "false"]  # the websocket client sends no cookie
EMPTY_STAFFING = "当前筛选范围内没有思政队伍配备数据"
ADMIN = "测试管理员"
SEASON = academic_year_of(dt.date.fromisoformat(SAMPLE_TODAY))  # in progress: the sidebar's default
STAFFING_CSV = (
    f"学校标识码,学年,全日制本专科生数,全日制研究生数,专职辅导员数\n4141010001,{SEASON},18000,2000,100\n"
).encode()


async def _upload_here_and_look_there(uploading_url: str, watching_url: str) -> tuple[list[str], list[str]]:
    async with Session(uploading_url) as uploading, Session(watching_url) as watching:
        for tab in (uploading, watching):
            await tab.sign_in(ADMIN, TEST_PASSWORD)
        before = (await watching.view("staffing")).texts()
        form = await uploading.view("upload")
        uploading.set_widget(string_state(form.widget("text_input", "上传人"), "测试 张三"))
        await uploading.upload(form.widget("file_uploader", "选择文件"), "配备.csv", STAFFING_CSV)
        checked = await uploading.view()
        stored = await uploading.view(trigger=trigger_state(checked.widget("button", "确认导入")))
        assert not checked.exceptions and not stored.exceptions, checked.exceptions + stored.exceptions
        after = (await watching.view()).texts()
    return before, after


def test_an_upload_through_one_process_shows_in_the_other(tmp_path: Path) -> None:
    if not TEST_POSTGRES_URL:
        pytest.skip("未设置 TEST_POSTGRES_URL：跳过 PostgreSQL 测试")
    with postgres_database(TEST_POSTGRES_URL) as url, ExitStack() as servers:
        engine = make_engine(url)
        init_db(engine)
        store_rows(engine, "institutions", [make_institution(code="4141010001", province="河南省")])
        engine.dispose()
        app_user(ADMIN, "admin", database_url=url)
        first, second = (
            servers.enter_context(serve_app(url, tmp_path / f"{name}.log", extra=NO_XSRF)) for name in "ab"
        )

        before, after = run_async(_upload_here_and_look_there(first, second))

    assert any(EMPTY_STAFFING in text for text in before)
    assert "辅导员配备达标率=100.0%" in after

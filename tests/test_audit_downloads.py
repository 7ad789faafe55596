"""Every export is in the audit log (spec/accounts.md: Audit log — what, scope, rows): also the
blank templates and the annotated copy of a rejected file on 数据上传."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import Engine

from core.accounts.audit import AuditKind
from core.annotate import annotated_file_name
from core.deadlines import academic_year_of
from tests.accounts_helpers import audit_details
from tests.apptest import open_app_page
from tests.factories import make_institution, store_rows
from tests.test_accounts_pages import downloads  # noqa: F401 — the fixture
from tests.test_upload_page import FIRST, staffing_xlsx, upload


def exports(engine: Engine) -> list[dict]:
    return audit_details(engine, AuditKind.EXPORT)


def test_a_template_download_is_recorded(
    app_engine: Engine,
    app_today: str,
    downloads: dict[str, Callable[[], bytes]],  # noqa: F811
) -> None:  # noqa: F811
    open_app_page("pages/upload.py", role="province")
    assert exports(app_engine) == []  # drawing the button records nothing

    content = downloads["思政队伍配备情况表_模板.xlsx"]()

    assert content.startswith(b"PK")  # an Excel workbook
    season = academic_year_of(dt.date.fromisoformat(app_today))  # the sidebar's default 学年
    assert exports(app_engine) == [
        {
            "what": "思政队伍配备情况表_模板",
            "scope": f"河南省 · {season} 学年",
            "rows": 0,
            "actor": "测试省级",
        }
    ]


def test_an_annotated_copy_download_is_recorded_with_the_files_rows(
    app_engine: Engine,
    downloads: dict[str, Callable[[], bytes]],  # noqa: F811
) -> None:
    store_rows(app_engine, "institutions", [make_institution()])
    bad_count = ["4141010001", "示例第一大学", "2024-2025", "九千", 0, 50]
    app = open_app_page("pages/upload.py")
    upload(app, staffing_xlsx(FIRST, bad_count), name="河南.xlsx")
    downloads[annotated_file_name("河南.xlsx")]()

    recorded = exports(app_engine)[-1]
    assert (recorded["what"], recorded["rows"], recorded["actor"]) == ("河南_标注错误的副本", 2, "测试管理员")

"""The data version: every store, revert and settings change raises it, in its own transaction,
so a running app (any process) shows a change made by the command line or another process."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine

from core.db import data_version
from core.deadlines import Period
from core.ingest import import_bytes, revert_upload
from core.settings_store import save_deadline, save_standards
from core.standards import DEFAULT_STANDARDS
from tests.apptest import metrics_shown, open_app_page
from tests.cli import run_cli
from tests.factories import make_institution, store_rows

INSTITUTION = make_institution(code="4141010001", name="甲大学", province="河南省")
EMPTY_STAFFING = "当前筛选范围内没有思政队伍配备数据"


@pytest.fixture
def app_today() -> str:
    return "2025-03-01"  # in 2024-2025, the 学年 of staffing_csv: the sidebar's default


def staffing_csv(counselors: int) -> str:
    header = "学校标识码,学年,全日制本专科生数,全日制研究生数,专职辅导员数"
    return f"{header}\n4141010001,2024-2025,18000,2000,{counselors}\n"


def test_every_write_raises_the_version_and_a_refused_one_does_not(any_engine: Engine) -> None:
    store_rows(any_engine, "institutions", [INSTITUTION])
    versions = [data_version(any_engine)]
    stored = import_bytes(any_engine, "staffing", staffing_csv(100).encode(), "配备.csv")
    versions.append(data_version(any_engine))
    import_bytes(any_engine, "staffing", staffing_csv(90).encode(), "预检.csv", dry_run=True)
    import_bytes(any_engine, "staffing", b"\xff\xfe not a table", "坏文件.csv")
    versions.append(data_version(any_engine))
    revert_upload(any_engine, stored.upload_id)
    versions.append(data_version(any_engine))
    save_standards(any_engine, DEFAULT_STANDARDS)
    versions.append(data_version(any_engine))
    save_deadline(any_engine, Period("staffing", "2024-2025"), dt.date(2024, 12, 1))
    versions.append(data_version(any_engine))

    assert versions == [0, 1, 1, 2, 3, 4]


def test_a_running_session_shows_what_the_command_line_imported(
    any_engine: Engine, app_today: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = any_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("APP_TODAY", app_today)
    store_rows(any_engine, "institutions", [INSTITUTION])
    app = open_app_page("pages/staffing.py")
    shown_before = [info.value for info in app.info]
    workbook = tmp_path / "配备.csv"
    workbook.write_text(staffing_csv(100), encoding="utf-8")

    imported = run_cli(url, "import", "staffing", str(workbook))
    app.run()

    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert any(EMPTY_STAFFING in text for text in shown_before)
    assert not app.exception, [exception.value for exception in app.exception]
    assert metrics_shown(app)["辅导员配备达标率"] == "100.0%"

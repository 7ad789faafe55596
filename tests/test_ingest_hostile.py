"""Hostile uploads: each is refused in Chinese, quickly, by a worker process; the caller survives, nothing is stored."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func, select

from core.ingest import sandbox
from core.ingest.limits import check_bounds
from core.ingest.read import UnreadableFile
from core.models import Upload
from tests import hostile
from tests.apptest import open_app_page
from tests.cli import run_cli
from tests.factories import make_institution, store_rows

HOSTILE: list[tuple[str, Callable[[], bytes], str]] = [
    ("超大范围.xls", hostile.huge_dimensions_xls, "corrupt"),  # case: DIMENSIONS claims 2^31 rows (abort)
    ("重复行.ods", hostile.repeated_row_ods, "sheet_too_large"),  # case: 1 KB, a row repeated 830,000 times
    ("多工作表.xlsx", hostile.many_sheets_xlsx, "sheet_too_large"),  # case: 60 sheets, 1.2 M cells together
]


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= character <= "\u9fff" for character in text)


def uploads(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(Upload)).scalar_one()


@pytest.mark.parametrize(("name", "make", "code"), HOSTILE)
def test_the_command_line_refuses_a_hostile_file_with_one_json_object(
    engine: Engine, db_url: str, tmp_path, name: str, make: Callable[[], bytes], code: str
) -> None:
    path = tmp_path / name
    path.write_bytes(make())
    started = time.monotonic()

    result = run_cli(db_url, "import", "staffing", str(path), "--json", timeout=60)

    assert result.returncode == 2, result.stderr
    report = json.loads(result.stdout)
    (error,) = report["errors"]
    assert error["code"] == code and is_chinese(error["message"])
    assert time.monotonic() - started < 20
    assert uploads(engine) == 0


@pytest.mark.parametrize(("name", "make", "code"), HOSTILE)
def test_bounds_refuse_before_any_reader_runs(name: str, make: Callable[[], bytes], code: str) -> None:
    with pytest.raises(UnreadableFile) as refusal:
        check_bounds(make())
    assert refusal.value.code == code


def test_a_reader_over_its_memory_limit_is_a_refusal_not_a_crash() -> None:
    data = hostile.staffing_xlsx([["4141010001", "某大学", "2024-2025", 100, 0, 1]] * 30_000)

    with pytest.raises(UnreadableFile) as refusal:
        sandbox.read_workbook(data, "a.xlsx", 10**8, sandbox.Limits(memory=32 * 1024 * 1024))

    assert refusal.value.code in {"read_limit", "read_aborted"} and is_chinese(refusal.value.message)


def test_a_reader_that_does_not_finish_in_time_is_stopped() -> None:
    data = hostile.staffing_xlsx([["4141010001", "某大学", "2024-2025", 100, 0, 1]])

    with pytest.raises(UnreadableFile) as refusal:
        sandbox.read_workbook(data, "a.xlsx", 10**8, sandbox.Limits(wall=0.001))

    assert refusal.value.code == "read_timeout" and "秒" in refusal.value.message


def test_a_long_sheet_name_is_clipped_and_findings_are_capped(db_url: str, engine: Engine, tmp_path) -> None:
    path = tmp_path / "长名.xlsx"
    path.write_bytes(hostile.long_sheet_name_xlsx(length=10_000, rows=3_000))

    result = run_cli(db_url, "import", "staffing", str(path), "--json", timeout=120)

    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert len(report["errors"]) == 1_001
    assert "还有 2,000 处错误未列出" in report["errors"][-1]["message"]
    assert all(len(issue["sheet"] or "") <= 61 for issue in report["errors"] + report["normalizations"])
    assert len(result.stdout) < 1_000_000
    assert uploads(engine) == 0


@pytest.fixture
def app_engine(app_engine: Engine) -> Engine:
    store_rows(app_engine, "institutions", [make_institution()])
    return app_engine


@pytest.mark.parametrize(("name", "make", "code"), HOSTILE)
def test_the_upload_page_refuses_a_hostile_file_and_keeps_working(
    app_engine: Engine, name: str, make: Callable[[], bytes], code: str
) -> None:
    from tests.test_upload_page import FIRST, staffing_xlsx, upload

    app = open_app_page("pages/upload.py")

    upload(app, make(), name)

    assert app.error and all(is_chinese(error.value) for error in app.error)
    assert uploads(app_engine) == 1  # only the institutions seeded by the fixture
    upload(app, staffing_xlsx(FIRST), "队伍配备.xlsx")
    assert not app.error

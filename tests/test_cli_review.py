"""``python -m core.cli import … --as NAME`` and ``review list|approve|return`` in a real process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.accounts_helpers import fast_hashes  # noqa: F401 — cheap hashes for make_user
from tests.cli import run_cli
from tests.review_helpers import seed_schools, staffing_row, stored_students, users
from tests.test_ingest_corpus import filled_template

TODAY = {"APP_TODAY": "2025-11-30"}


@pytest.fixture
def staffing_file(engine: Engine, tmp_path: Path) -> Path:
    seed_schools(engine)
    users(engine)
    path = tmp_path / "队伍配备.xlsx"
    path.write_bytes(filled_template("staffing", [staffing_row(19_000)]))
    return path


def _listed(db_url: str, *options: str) -> list[dict]:
    completed = run_cli(db_url, "review", "list", "--json", *options)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_import_as_an_institution_waits_for_approval(
    db_url: str, engine: Engine, staffing_file: Path
) -> None:
    imported = run_cli(db_url, "import", "staffing", str(staffing_file), "--as", "school", env=TODAY)
    assert imported.returncode == 0, imported.stderr
    assert "待审核" in imported.stdout
    assert stored_students(engine) == 23_000

    (pending,) = _listed(db_url, "--status", "待审核")
    assert list(pending) == ["id", "form", "file", "status", "uploaded_by", "uploaded_at", "institutions"]
    assert pending | {"uploaded_at": None} == {
        "id": pending["id"],
        "form": "staffing",
        "file": "队伍配备.xlsx",
        "status": "待审核",
        "uploaded_by": "school",
        "uploaded_at": None,
        "institutions": ["4141010001"],
    }

    approved = run_cli(db_url, "review", "approve", str(pending["id"]), "--comment", "已核")
    assert approved.returncode == 0, approved.stderr
    assert stored_students(engine) == 19_000
    assert _listed(db_url, "--status", "待审核") == []

    again = run_cli(db_url, "review", "return", str(pending["id"]), "--comment", "重报")
    assert again.returncode == 2
    assert "不是待审核" in again.stderr


def test_return_and_unknown_ids(db_url: str, engine: Engine, staffing_file: Path) -> None:
    run_cli(db_url, "import", "staffing", str(staffing_file), "--as", "school", env=TODAY)
    (pending,) = _listed(db_url)

    returned = run_cli(db_url, "review", "return", str(pending["id"]), "--comment", "学生数请核对")
    assert returned.returncode == 0, returned.stderr
    assert _listed(db_url)[0]["status"] == "已退回"
    assert stored_students(engine) == 23_000

    unknown = run_cli(db_url, "review", "approve", "99")
    assert unknown.returncode == 2
    assert "没有编号为 99 的报送" in unknown.stderr


def test_import_as_respects_limits_deadlines_and_known_users(db_url: str, staffing_file: Path) -> None:
    outside = run_cli(
        db_url, "import", "staffing", str(staffing_file), "--as", "jiangsu", "--json", env=TODAY
    )
    assert outside.returncode == 1
    assert [error["code"] for error in json.loads(outside.stdout)["errors"]] == ["outside_scope"]

    late = run_cli(
        db_url, "import", "staffing", str(staffing_file), "--as", "school", env={"APP_TODAY": "2025-12-01"}
    )
    assert late.returncode == 1
    assert "已于 2025-11-30 截止" in late.stdout

    stranger = run_cli(db_url, "import", "staffing", str(staffing_file), "--as", "nobody")
    assert stranger.returncode == 2
    assert "没有用户 nobody" in stranger.stderr

    by_province = run_cli(db_url, "import", "staffing", str(staffing_file), "--as", "province", env=TODAY)
    assert by_province.returncode == 0
    assert _listed(db_url, "--status", "已通过")[0]["uploaded_by"] == "province"

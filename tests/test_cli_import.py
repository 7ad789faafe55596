"""`python -m core.cli import`: the JSON report and exit codes of the spec, in a real process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli import run_cli
from tests.contract import ISSUE_KEYS, REPORT_KEYS
from tests.factories import make_institution, make_staffing_row
from tests.test_ingest_corpus import filled_template


def _import_json(db_url: str, form: str, path: Path, *options: str) -> tuple[int, dict[str, Any]]:
    completed = run_cli(db_url, "import", form, str(path), "--json", *options)
    return completed.returncode, json.loads(completed.stdout)  # exactly one JSON object on stdout


@pytest.fixture
def schools_file(tmp_path: Path) -> Path:
    path = tmp_path / "高校名录.xlsx"
    path.write_bytes(filled_template("institutions", [make_institution(province="河南")]))
    return path


def test_accepted_file_gives_exit_0_and_the_exact_report(db_url: str, schools_file: Path) -> None:
    code, report = _import_json(db_url, "institutions", schools_file)

    assert code == 0
    assert list(report) == REPORT_KEYS
    assert report == {
        "form": "institutions",
        "file": str(schools_file),
        "accepted": True,
        "rows": 1,
        "inserted": 1,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
        "warnings": [],
        "normalizations": [
            {
                "sheet": "高校名录",
                "row": 2,
                "column": "所在省份",
                "code": "province_full_name",
                "message": "C2：“河南”按 河南省 读取",
            }
        ],
    }


def test_rejected_file_gives_exit_1_with_located_errors(
    db_url: str, schools_file: Path, tmp_path: Path
) -> None:
    run_cli(db_url, "import", "institutions", str(schools_file))
    path = tmp_path / "队伍配备.xlsx"
    path.write_bytes(
        filled_template("staffing", [make_staffing_row(), make_staffing_row(year="2023-2024", postgrad=2.5)])
    )

    code, report = _import_json(db_url, "staffing", path)

    assert code == 1
    assert (report["accepted"], report["rows"], report["inserted"]) == (False, 2, 0)
    assert [list(issue) for issue in report["errors"]] == [ISSUE_KEYS]
    assert {key: report["errors"][0][key] for key in ("sheet", "row", "column", "code")} == {
        "sheet": "队伍配备",
        "row": 3,
        "column": "全日制研究生数",
        "code": "not_whole",
    }


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"", "empty.xlsx", "empty_file"),  # case: zero bytes
        (b"<html>not a workbook</html>", "report.xlsx", "not_a_spreadsheet"),  # case: HTML named .xlsx
    ],
)
def test_unreadable_file_gives_exit_2(
    db_url: str, tmp_path: Path, content: bytes, name: str, code: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    exit_code, report = _import_json(db_url, "staffing", path)

    assert exit_code == 2
    assert report["accepted"] is False
    assert [(issue["row"], issue["column"], issue["code"]) for issue in report["errors"]] == [
        (None, None, code)
    ]


def test_dry_run_validates_without_storing(db_url: str, schools_file: Path) -> None:
    first_code, first = _import_json(db_url, "institutions", schools_file, "--dry-run")
    second_code, second = _import_json(db_url, "institutions", schools_file)

    assert (first_code, first["accepted"], first["inserted"]) == (0, True, 1)
    assert (second_code, second["inserted"]) == (0, 1)  # the dry run stored nothing


def test_bad_usage_gives_exit_2(db_url: str, schools_file: Path) -> None:
    completed = run_cli(db_url, "import", "teachers", str(schools_file))

    assert completed.returncode == 2


def test_text_report_is_chinese(db_url: str, schools_file: Path) -> None:
    completed = run_cli(db_url, "import", "institutions", str(schools_file))

    assert completed.returncode == 0
    assert "已接受；1 行，新增 1" in completed.stdout

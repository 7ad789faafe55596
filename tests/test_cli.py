"""Command-line usage errors: a Chinese message and exit code 2, never a traceback."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import Engine

from core.cli import EXIT_OK, EXIT_USAGE, main
from tests.cli import run_cli
from tests.contract import REPORT_KEYS
from tests.factories import make_institution, make_project_row, store_rows


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["seed", "--institutions", "0"], "应为正整数"),  # case: zero institutions
        (["seed", "--years", "-1"], "应为正整数"),  # case: negative years
        (["export", "staffing", "x.csv", "--province", "火星"], "无法识别的省份"),  # case: unknown province
        ([], "缺少必需的参数：子命令"),  # case: no sub-command at all
        (["bogus"], "无效的取值 'bogus'"),  # case: unknown sub-command
        (["import", "staffing"], "缺少必需的参数：FILE"),  # case: the file is missing
        (["import", "persons", "f.xlsx"], "无效的取值 'persons'"),  # case: unknown form
        (
            ["missing", "projects", "x.csv", "--year", "2024-2025"],
            "无效的取值 'projects'",
        ),  # case: no missing list
        (["export", "staffing", "x.csv", "--year"], "--year：后面需要一个取值"),  # case: option without value
        (["import", "staffing", "f.xlsx", "--frob"], "无法识别的参数：--frob"),  # case: unknown option
    ],
)
def test_bad_arguments_exit_2(
    arguments: list[str], message: str, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    with pytest.raises(SystemExit) as stopped:
        raise SystemExit(main(arguments))
    assert stopped.value.code == EXIT_USAGE
    shown = capsys.readouterr().err
    assert message in shown
    assert not re.search(r"\b(usage|error|invalid|required|argument)\b", shown), shown  # all in Chinese


def test_unreachable_database_is_a_chinese_usage_error(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/nothing")
    assert main(["init-db"]) == EXIT_USAGE
    assert "请检查 DATABASE_URL" in capsys.readouterr().err


@pytest.mark.parametrize(
    "command",
    [
        ["export", "staffing", "OUT"],  # case: an export
        [
            "missing",
            "staffing",
            "OUT",
            "--year",
            "2024-2025",
        ],  # case: a missing list ("0 missing" would mislead)
    ],
)
def test_reading_a_database_file_that_is_not_there_is_refused_without_creating_it(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    database = tmp_path / "mistyped" / "app.db"
    out = tmp_path / "out.csv"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")

    assert main([str(out) if part == "OUT" else part for part in command]) == EXIT_USAGE

    assert f"数据库文件 {database} 不存在" in capsys.readouterr().err
    assert not database.exists() and not out.exists()


@pytest.mark.parametrize(
    "url",
    [
        "not a url",  # case: not an SQLAlchemy URL
        "postgresql+nodriver://u@127.0.0.1/db",  # case: a driver that does not exist
        "mysql+pymysql://u@127.0.0.1/db",  # case: a driver that is not installed
    ],
)
def test_unusable_database_url_is_a_chinese_usage_error(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["init-db"]) == EXIT_USAGE
    assert "DATABASE_URL 无法使用" in capsys.readouterr().err


def test_year_is_ignored_for_projects_as_the_spec_says(
    engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_rows(engine, "institutions", [make_institution()])
    store_rows(engine, "projects", [make_project_row(project_id="XM-2019-01", start=dt.date(2019, 3, 1))])
    monkeypatch.setenv("DATABASE_URL", db_url)
    out = tmp_path / "项目进度.csv"

    assert main(["export", "projects", str(out), "--year", "2024"]) == EXIT_OK

    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["XM-2019-01"]


@pytest.mark.parametrize(
    ("arguments", "url"),
    [
        (["import", "staffing", "--json"], None),  # case: the file is missing
        (["import", "staffing", "f.xlsx", "--json", "--frob"], None),  # case: an unknown option
        (["import", "staffing", "f.xlsx", "--json"], "not a url"),  # case: an unusable DATABASE_URL
    ],
)
def test_import_json_refusal_is_still_exactly_one_json_object(
    arguments: list[str], url: str | None, db_url: str
) -> None:
    completed = run_cli(url or db_url, *arguments)

    report = json.loads(completed.stdout)
    assert completed.returncode == EXIT_USAGE
    assert list(report) == REPORT_KEYS
    assert (report["accepted"], [error["code"] for error in report["errors"]]) == (False, ["usage"])


def test_chinese_argparse_messages_stay_inside_the_command_line(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["bogus"])

    assert "无效的取值" in capsys.readouterr().err
    assert argparse._("usage: ") == "usage: "  # other parsers in the process (pytest's) keep theirs


def test_institutions_export_follows_the_national_province_order(
    engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_rows(
        engine,
        "institutions",
        [
            make_institution(code="4165010001", name="示例新疆甲学院", province="新疆维吾尔自治区"),
            make_institution(code="4111010001", name="示例北京甲大学", province="北京市"),
            make_institution(code="4141010002", name="示例河南乙学院", province="河南省"),
            make_institution(code="4141010001", name="示例河南甲大学", province="河南省"),
        ],
    )
    monkeypatch.setenv("DATABASE_URL", db_url)
    out = tmp_path / "高校名录.csv"

    assert main(["export", "institutions", str(out)]) == EXIT_OK

    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["4111010001", "4141010001", "4141010002", "4165010001"]

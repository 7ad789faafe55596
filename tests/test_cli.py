"""Command-line usage errors: a Chinese message and exit code 2, never a traceback."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import Engine

from core.cli import EXIT_OK, EXIT_USAGE, main
from tests.factories import make_institution, store_rows


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["seed", "--institutions", "0"], "应为正整数"),  # case: zero institutions
        (["seed", "--years", "-1"], "应为正整数"),  # case: negative years
        (["export", "staffing", "x.csv", "--province", "火星"], "无法识别的省份"),  # case: unknown province
    ],
)
def test_bad_arguments_exit_2(
    arguments: list[str], message: str, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    with pytest.raises(SystemExit) as stopped:
        raise SystemExit(main(arguments))
    assert stopped.value.code == EXIT_USAGE
    assert message in capsys.readouterr().err


def test_unreachable_database_is_a_chinese_usage_error(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/nothing")
    assert main(["init-db"]) == EXIT_USAGE
    assert "请检查 DATABASE_URL" in capsys.readouterr().err


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

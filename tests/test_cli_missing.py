"""`python -m core.cli missing`: the same 未报送名单 file as the 报送情况 page's CSV button."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from core.export import csv_bytes
from core.scope import Scope
from core.views.completeness import missing_frame
from tests.cli import run_cli
from tests.contract import MISSING_HEADERS
from tests.test_completeness import YEAR, hand_built


@pytest.mark.parametrize(
    ("arguments", "scope", "form", "term"),
    [
        # case: staffing, everywhere
        (["staffing", "--year", YEAR], Scope(year=YEAR), "staffing", None),
        # case: screening of one term, the term and the year written the way offices write them
        (
            ["screening", "--year", "2024—2025学年", "--term", "秋季"],
            Scope(year=YEAR),
            "screening",
            "秋季学期",
        ),
        # case: screening without a term, in one province given by its short name
        (
            ["screening", "--year", YEAR, "--province", "江苏"],
            Scope(year=YEAR, provinces=("江苏省",)),
            "screening",
            None,
        ),
    ],
)
def test_cli_writes_the_pages_missing_list(
    engine: Engine,
    db_url: str,
    tmp_path: Path,
    arguments: list[str],
    scope: Scope,
    form: str,
    term: str | None,
) -> None:
    hand_built(engine)
    out = tmp_path / "未报送名单.csv"

    result = run_cli(db_url, "missing", arguments[0], str(out), *arguments[1:])

    assert result.returncode == 0, result.stderr
    written = out.read_bytes()
    assert written == csv_bytes(missing_frame(engine, scope, form, term=term))
    assert written.startswith(b"\xef\xbb\xbf")
    assert written.decode("utf-8-sig").splitlines()[0] == ",".join(MISSING_HEADERS)
    assert f"未报送 {len(written.decode('utf-8-sig').splitlines()) - 1} 所" in result.stdout


def test_cli_lists_the_missing_institutions(engine: Engine, db_url: str, tmp_path: Path) -> None:
    hand_built(engine)
    out = tmp_path / "missing.csv"

    run_cli(db_url, "missing", "screening", str(out), "--year", YEAR, "--term", "春季学期")

    rows = out.read_text(encoding="utf-8-sig").splitlines()[1:]
    assert rows == [
        "4132010003,苏三大学,江苏省,本科,公办",
        "4132010004,苏四学院,江苏省,本科,中外合作办学",
        "4141010001,豫一大学,河南省,本科,公办",
        "4141010005,豫五大学,河南省,本科,公办",
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["staffing", "--year", YEAR, "--province", "火星"], "无法识别的省份"),  # case: unknown province
        (["screening", "--year", YEAR, "--term", "夏季"], "--term"),  # case: unknown term
        (
            ["staffing", "--year", YEAR, "--term", "秋季学期"],
            "只适用于 screening",
        ),  # case: staffing has no term
    ],
)
def test_cli_refuses_bad_arguments(
    engine: Engine, db_url: str, tmp_path: Path, arguments: list[str], message: str
) -> None:
    result = run_cli(db_url, "missing", arguments[0], str(tmp_path / "x.csv"), *arguments[1:])

    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "x.csv").exists()

"""A form an official adds as data, through the command line, end to end (issue 15, "Tests that show
it"): a brand-new definition is added, its template downloaded and filled with good and bad rows,
imported, and every exported indicator and 达标情况 checked against values computed by hand."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, func, select

from core.models import FormDefinitionVersion, FormRecord
from tests.cli import run_cli
from tests.factories import make_institution, store_rows

RISK_CHECK = """\
name = "risk_check"
title = "意识形态领域风险隐患排查情况表"
sheet = "风险排查"
period = "term"
description = "每学期报送一次。"

[[field]]
key = "checks"
header = "风险排查次数"
kind = "count"
aliases = ["排查次数"]
unit = "次"

[[field]]
key = "found"
header = "发现隐患数"
kind = "count"

[[field]]
key = "fixed"
header = "已整改隐患数"
kind = "count"

[[field]]
key = "hours"
header = "培训学时"
kind = "number"
required = false
min = 0
max = 100

[[field]]
key = "level"
header = "风险等级"
kind = "enum"
choices = ["低", "中", "高"]
synonyms = { "较低" = "低" }

[[rule]]
code = "fixed_gt_found"
severity = "error"
check = "fixed <= found"
column = "fixed"
message = "已整改隐患数不能大于发现隐患数"

[[indicator]]
key = "fix_rate"
header = "隐患整改率"
expr = "fixed / found"
format = "percent"
standard = ">= 90"
source = "某某文件 第十七条"

[[indicator]]
key = "checks"
header = "排查次数"
expr = "checks"
format = "count"
standard = ">= 2"
source = "某某文件 第二十二条"

[[indicator]]
key = "per_check"
header = "每次排查发现隐患"
expr = "found / checks"
format = "number"
"""

TEMPLATE_HEADERS = ["学校标识码", "学校名称", "学年", "学期", "风险排查次数", "发现隐患数", "已整改隐患数"]
TEMPLATE_HEADERS += ["培训学时", "风险等级"]

CODES = ("4141010001", "4141010002", "4141010003", "4132010004")


def _registry(engine: Engine) -> None:
    store_rows(
        engine,
        "institutions",
        [
            make_institution(code=CODES[0], name="豫一大学"),
            make_institution(code=CODES[1], name="豫二学院", level="高职（专科）"),
            make_institution(code=CODES[2], name="豫三大学", ownership="民办"),
            make_institution(code=CODES[3], name="苏四大学", province="江苏省"),
        ],
    )


def _add(db_url: str, tmp_path: Path, text: str = RISK_CHECK) -> tuple[int, str]:
    path = tmp_path / "risk.toml"
    path.write_text(text, encoding="utf-8")
    result = run_cli(db_url, "form", "add", str(path), "--json")
    return result.returncode, result.stdout


def _filled(db_url: str, tmp_path: Path, rows: list[list[object]]) -> Path:
    template = tmp_path / "template.xlsx"
    assert run_cli(db_url, "template", "risk_check", str(template)).returncode == 0
    workbook = load_workbook(template)
    sheet = workbook["风险排查"]
    assert [cell.value for cell in sheet[1]] == TEMPLATE_HEADERS
    for row in rows:
        sheet.append(row)
    filled = tmp_path / "filled.xlsx"
    workbook.save(filled)
    return filled


GOOD = [
    [CODES[0], "豫一大学", "2024-2025", "秋季学期", 3, 20, 19, 12.5, "低"],  # 95% 达标, 3 次 达标, 6.7
    [CODES[1], "", "2024-2025", "秋", 1, 8, 7, None, "较低"],  # 87.5% 未达标, 1 次 未达标, 8
    [CODES[2], "豫三大学", "2024-2025", "秋季学期", 2, 0, 0, 3, "中"],  # 0/0 → empty, 2 次 达标, 0
    [CODES[3], "苏四大学", "2024-2025", "春季学期", 4, 3, 2, 0, "高"],  # 66.7% 未达标, 4 次 达标, 0.8
]


def test_an_added_form_goes_from_definition_to_export(engine: Engine, db_url: str, tmp_path: Path) -> None:
    _registry(engine)
    code, output = _add(db_url, tmp_path)
    assert code == 0, output
    assert json.loads(output) == {
        "accepted": True,
        "name": "risk_check",
        "title": "意识形态领域风险隐患排查情况表",
        "version": 1,
    }

    bad = _filled(db_url, tmp_path, [*GOOD, [CODES[0], "", "2024-2025", "春季学期", 1, 2, 3, 101, "极高"]])
    rejected = run_cli(db_url, "import", "risk_check", str(bad), "--json")
    assert rejected.returncode == 1
    report = json.loads(rejected.stdout)
    assert {issue["code"] for issue in report["errors"]} >= {"fixed_gt_found", "out_of_range"}
    assert any(issue["column"] == "风险等级" for issue in report["errors"])

    good = _filled(db_url, tmp_path, GOOD)
    accepted = run_cli(db_url, "import", "risk_check", str(good))
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr

    out = tmp_path / "risk.csv"
    assert run_cli(db_url, "export", "risk_check", str(out)).returncode == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [
        *TEMPLATE_HEADERS,
        "所在省份",
        "办学层次",
        "办学性质",
        "隐患整改率",
        "隐患整改率达标情况",
        "排查次数",
        "排查次数达标情况",
        "每次排查发现隐患",
    ]
    derived = [(row[0], row[3], row[7], row[8], *row[12:]) for row in rows[1:]]
    assert derived == [
        (CODES[3], "春季学期", "0", "高", "66.7%", "未达标", "4", "达标", "0.8"),
        (CODES[0], "秋季学期", "12.5", "低", "95.0%", "达标", "3", "达标", "6.7"),
        (CODES[1], "秋季学期", "", "低", "87.5%", "未达标", "1", "未达标", "8.0"),
        (CODES[2], "秋季学期", "3", "中", "", "", "2", "达标", "0.0"),
    ]

    missing = tmp_path / "missing.csv"
    result = run_cli(
        db_url, "missing", "risk_check", str(missing), "--year", "2024-2025", "--term", "春季学期"
    )
    assert result.returncode == 0, result.stderr
    assert [line.split(",")[0] for line in missing.read_text(encoding="utf-8-sig").splitlines()[1:]] == list(
        CODES[:3]
    )

    listed = run_cli(db_url, "form", "list").stdout
    assert "risk_check\t意识形态领域风险隐患排查情况表\t学期\t1\t4" in listed


def _replaced(old: str, new: str) -> tuple[str, str]:
    """RISK_CHECK with ``old`` written as ``new``, and ``new``'s first line (the line to be named)."""
    assert old in RISK_CHECK
    return RISK_CHECK.replace(old, new, 1), new.splitlines()[0]


BAD_DEFINITIONS = [
    # case: unknown kind, named on its line
    (*_replaced('kind = "number"', 'kind = "decimal"'), "未知的字段类型"),
    # case: duplicate field key
    (*_replaced('key = "found"', 'key = "checks"'), "重复"),
    # case: duplicate header
    (*_replaced('header = "发现隐患数"', 'header = "风险排查次数"'), "重复"),
    # case: an expression naming an unknown field
    (*_replaced('expr = "fixed / found"', 'expr = "fixed / total"'), "“total”不是本表的字段"),
    # case: an expression using something not listed
    (*_replaced('check = "fixed <= found"', 'check = "fixed.real <= found"'), "不能使用"),
    # case: a call of another name
    (*_replaced('expr = "checks"', 'expr = "abs(checks)"'), "只能调用 min"),
    # case: a standard without source (named on the standard's indicator)
    (RISK_CHECK.replace('source = "某某文件 第十七条"\n', "", 1), "[[indicator]]", "source"),
    # case: an indicator headed like a field (two export columns of one name)
    (*_replaced('header = "排查次数"', 'header = "风险排查次数"'), "重名"),
    # case: a period that does not exist
    (*_replaced('period = "term"', 'period = "month"'), "period"),
    # case: an implied key declared
    (*_replaced('key = "fixed"', 'key = "year"'), "系统自带"),
    # case: min/max on a text field
    (*_replaced('choices = ["低", "中", "高"]', 'min = 1\nchoices = ["低", "中", "高"]'), "min/max"),
    # case: not TOML at all (no line to name but the parser's)
    ("name = risk", "", "TOML 格式有误"),
]


def _lines(text: str, snippet: str) -> tuple[str, ...]:
    """'第 N 行：' of every line that is ``snippet`` ('' for no snippet)."""
    if not snippet:
        return ("",)
    return tuple(f"第 {number} 行：" for number, line in enumerate(text.splitlines(), 1) if line == snippet)


@pytest.mark.parametrize(("text", "snippet", "message"), BAD_DEFINITIONS)
def test_bad_definitions_are_refused_with_their_line_and_nothing_is_stored(
    engine: Engine, db_url: str, tmp_path: Path, text: str, snippet: str, message: str
) -> None:
    code, output = _add(db_url, tmp_path, text)

    assert code == 2
    problems = json.loads(output)["problems"]
    lines = _lines(text, snippet)
    assert any(problem.startswith(lines) and message in problem for problem in problems), problems
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(FormDefinitionVersion)).scalar() == 0


def test_replacing_a_definition_keeps_stored_values(engine: Engine, db_url: str, tmp_path: Path) -> None:
    _registry(engine)
    assert _add(db_url, tmp_path)[0] == 0
    assert run_cli(db_url, "import", "risk_check", str(_filled(db_url, tmp_path, GOOD))).returncode == 0
    without_hours = RISK_CHECK.replace(
        '[[field]]\nkey = "hours"\nheader = "培训学时"\nkind = "number"\nrequired = false\nmin = 0\nmax = 100\n\n',
        "",
    )
    replaced = without_hours.replace(
        "[[rule]]", '[[field]]\nkey = "notes"\nheader = "备注"\nkind = "text"\nrequired = false\n\n[[rule]]'
    )
    code, output = _add(db_url, tmp_path, replaced)
    assert (code, json.loads(output)["version"]) == (0, 2)

    out = tmp_path / "after.csv"
    assert run_cli(db_url, "export", "risk_check", str(out)).returncode == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert "培训学时" not in rows[0] and rows[0][8] == "备注"
    assert [(row[0], row[4:9]) for row in rows[1:3]] == [
        (CODES[3], ["4", "3", "2", "高", ""]),
        (CODES[0], ["3", "20", "19", "低", ""]),
    ]
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(FormRecord)).scalar() == 4
    assert _add(db_url, tmp_path)[0] == 0  # the field comes back: its values were kept
    assert run_cli(db_url, "export", "risk_check", str(out)).returncode == 0
    assert ",12.5," in out.read_text(encoding="utf-8-sig")

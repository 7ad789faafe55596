"""``python -m core.cli user …`` and ``audit``, as the contract writes them (spec/accounts.md)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import Engine

from core.accounts.demo import ensure_demo_users
from core.accounts.signin import authenticate
from core.accounts.users import list_users
from core.cli import EXIT_OK, EXIT_USAGE, main
from tests.accounts_helpers import fast_hashes  # noqa: F401  (fixture)
from tests.cli import run_cli
from tests.factories import make_institution, store_rows

SCHOOL = "4141010001"


@pytest.fixture
def cli_db(db_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """DATABASE_URL for in-process ``main``, with one institution of 河南省 in 高校名录."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    store_rows(
        engine, "institutions", [make_institution(code=SCHOOL, province="河南省", name="示例河南甲一大学")]
    )
    return engine


def _cli(monkeypatch: pytest.MonkeyPatch, *arguments: str, password: str = "secret-pass-1") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(list(arguments))


@pytest.mark.parametrize(
    ("arguments", "shown"),
    [
        (["user", "add", "root", "--role", "admin"], "已新建用户 root：系统管理员（全部省份）"),
        (["user", "add", "henan", "--role", "province", "--province", "河南"], "省级管理员（河南省）"),
        (["user", "add", "look", "--role", "viewer", "--province", "河南省"], "省级查看（河南省）"),
        (["user", "add", "school", "--role", "institution", "--institution", SCHOOL], f"学校 {SCHOOL}"),
    ],
)
def test_user_add_creates_each_role(
    cli_db: Engine, monkeypatch: pytest.MonkeyPatch, capsys, arguments: list[str], shown: str
) -> None:
    assert _cli(monkeypatch, *arguments, "--password-stdin") == EXIT_OK

    assert shown in capsys.readouterr().out
    assert authenticate(cli_db, name=arguments[2], password="secret-pass-1").name == arguments[2]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--role", "wizard"], "未知角色 wizard，可选：admin（系统管理员）"),  # case: unknown role
        (["--role", "province"], "省级管理员账号需要 --province"),  # case: province without --province
        (["--role", "viewer"], "省级查看账号需要 --province"),  # case: viewer without --province
        (["--role", "viewer", "--province", "火星"], "无法识别的省份：火星"),  # case: no such province
        (["--role", "institution"], "校级填报账号需要 --institution"),  # case: institution without code
        (["--role", "institution", "--institution", "4141019999"], "不在高校名录中"),  # case: unknown code
    ],
)
def test_user_add_bad_usage_exits_2_in_chinese(
    cli_db: Engine, monkeypatch: pytest.MonkeyPatch, capsys, arguments: list[str], message: str
) -> None:
    assert _cli(monkeypatch, "user", "add", "x", *arguments, "--password-stdin") == EXIT_USAGE

    shown = capsys.readouterr().err
    assert shown.startswith("错误：") and message in shown
    assert list_users(cli_db) == []


def test_short_password_duplicate_name_and_missing_option_exit_2(
    cli_db: Engine, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    assert (
        _cli(monkeypatch, "user", "add", "root", "--role", "admin", "--password-stdin", password="short") == 2
    )
    assert "至少 8 个字符" in capsys.readouterr().err
    assert _cli(monkeypatch, "user", "add", "root", "--role", "admin", "--password-stdin") == EXIT_OK
    assert _cli(monkeypatch, "user", "add", "root", "--role", "admin", "--password-stdin") == EXIT_USAGE
    assert "用户 root 已存在" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:
        _cli(monkeypatch, "user", "add", "other", "--role", "admin")
    assert stopped.value.code == EXIT_USAGE
    assert "缺少必需的参数：--password-stdin" in capsys.readouterr().err


def test_passwd_disable_and_list(cli_db: Engine, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    _cli(monkeypatch, "user", "add", "henan", "--role", "province", "--province", "河南", "--password-stdin")

    assert (
        _cli(monkeypatch, "user", "passwd", "henan", "--password-stdin", password="brand new 22") == EXIT_OK
    )
    assert authenticate(cli_db, name="henan", password="brand new 22").name == "henan"
    assert _cli(monkeypatch, "user", "passwd", "nobody", "--password-stdin") == EXIT_USAGE
    assert "没有用户 nobody" in capsys.readouterr().err
    assert _cli(monkeypatch, "user", "disable", "henan") == EXIT_OK
    capsys.readouterr()
    assert _cli(monkeypatch, "user", "list") == EXIT_OK

    assert capsys.readouterr().out.split() == ["henan", "province（省级管理员）", "河南省", "—", "已停用"]


def test_audit_writes_an_excel_safe_csv_and_records_its_own_export(
    cli_db: Engine, monkeypatch: pytest.MonkeyPatch, capsys, tmp_path: Path
) -> None:
    _cli(monkeypatch, "user", "add", "=cmd|' /C calc'!A0", "--role", "admin", "--password-stdin")
    out = tmp_path / "审计.csv"

    assert _cli(monkeypatch, "audit", str(out), "--since", "2020-01-01") == EXIT_OK

    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(row["操作人"], row["来源地址"], row["操作"]) for row in rows] == [
        ("命令行", "命令行", "用户变更")
    ]
    assert (
        '"name": "=cmd' in rows[0]["内容"]
    )  # the name is inside JSON text: never a formula at the cell start
    assert "已导出审计记录 1 条" in capsys.readouterr().out
    _cli(monkeypatch, "audit", str(out))
    assert [row["操作"] for row in csv.DictReader(io.StringIO(out.read_text("utf-8-sig")))] == [
        "用户变更",
        "导出",
    ]


def test_audit_with_a_bad_date_exits_2(cli_db: Engine, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        _cli(monkeypatch, "audit", "out.csv", "--since", "2025-13-01")

    assert stopped.value.code == EXIT_USAGE
    assert "应为 YYYY-MM-DD 格式的日期" in capsys.readouterr().err


def test_demo_users_sign_in_with_the_printed_passwords_and_are_made_once(cli_db: Engine) -> None:
    lines = ensure_demo_users(cli_db)

    signed_in = []
    for line in lines[1:]:
        name, password = re.search(r"用户名 (\S+)  密码 (\S+)", line).groups()
        signed_in.append(authenticate(cli_db, name=name, password=password))
    assert [(a.role, a.province, a.institution_code) for a in signed_in] == [
        ("admin", None, None),
        ("province", "河南省", None),
        ("viewer", "河南省", None),
        ("institution", "河南省", SCHOOL),
    ]
    assert ensure_demo_users(cli_db) == []


def test_no_demo_users_beside_real_data(engine: Engine) -> None:
    store_rows(engine, "institutions", [make_institution(name="郑州大学")])

    lines = ensure_demo_users(engine)

    assert len(lines) == 1 and "user add" in lines[0]
    assert list_users(engine) == []


def test_a_real_process_answers_bad_usage_with_exit_2(db_url: str, engine: Engine) -> None:
    result = run_cli(db_url, "user", "disable", "nobody")

    assert result.returncode == EXIT_USAGE
    assert "错误：没有用户 nobody" in result.stderr
    assert "Traceback" not in result.stderr

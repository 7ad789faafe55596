"""``python -m core.cli user …`` and ``audit …`` (spec/accounts.md). Run by whoever operates the
server: no sign-in; the audit log names the actor as UPLOADER_NAME (default 命令行).

  user add NAME --role ROLE [--province P] [--institution CODE] --password-stdin
  user passwd NAME --password-stdin        user disable NAME        user list
  user demo                                demo users for the sample data when there is no user
  audit OUT.csv [--since YYYY-MM-DD]

Heavy modules are imported inside the commands, so that building the parser stays cheap.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import getpass
import sys
from collections.abc import Callable

CLI_CLIENT = "命令行"

Command = Callable[[argparse.Namespace], int]


def _usage_errors(command: Command) -> Command:
    """An AccountError (bad role, unknown user …) becomes the CLI's usage error: exit 2, its message."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        from core.accounts.roles import AccountError
        from core.cli import UsageError

        try:
            return command(args)
        except AccountError as problem:
            raise UsageError(problem.message) from None

    return run


def _actor() -> dict[str, str]:
    from core.config import load_settings

    return {"actor": load_settings().uploader_name, "client": CLI_CLIENT}


def _password() -> str:
    """One line of standard input (a password may hold spaces, not a line break); typed at a
    terminal, it is not echoed."""
    if sys.stdin.isatty():
        return getpass.getpass("密码：")
    return sys.stdin.readline().rstrip("\r\n")


@_usage_errors
def cmd_user_add(args: argparse.Namespace) -> int:
    from core.accounts.users import add_user
    from core.cli import _engine

    account = add_user(
        _engine(),
        name=args.name,
        role=args.role,
        password=_password(),
        province=args.province,
        institution=args.institution,
        **_actor(),
    )
    where = account.province or "全部省份"
    if account.institution_code:
        where += f" · 学校 {account.institution_code}"
    print(f"已新建用户 {account.name}：{account.role_label}（{where}）")
    return 0


@_usage_errors
def cmd_user_passwd(args: argparse.Namespace) -> int:
    from core.accounts.users import set_password
    from core.cli import _engine

    set_password(_engine(existing=True), name=args.name, password=_password(), **_actor())
    print(f"已修改用户 {args.name.strip()} 的密码（其已登录的会话已退出）")
    return 0


@_usage_errors
def cmd_user_disable(args: argparse.Namespace) -> int:
    from core.accounts.users import disable_user
    from core.cli import _engine

    disable_user(_engine(existing=True), name=args.name, **_actor())
    print(f"已停用用户 {args.name.strip()}")
    return 0


def cmd_user_list(_args: argparse.Namespace) -> int:
    from core.accounts.users import list_users
    from core.cli import _engine

    accounts = list_users(_engine(existing=True))
    if not accounts:
        print("还没有用户（用 python -m core.cli user add 新建）")
    for account in accounts:
        state = "已停用" if account.disabled else "正常"
        print(
            f"{account.name}\t{account.role}（{account.role_label}）\t{account.province or '—'}"
            f"\t{account.institution_code or '—'}\t{state}"
        )
    return 0


def cmd_user_demo(_args: argparse.Namespace) -> int:
    from core.accounts.demo import ensure_demo_users
    from core.cli import _engine

    for line in ensure_demo_users(_engine()):
        print(line)
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为 YYYY-MM-DD 格式的日期，如 2025-09-01：{text}") from None


def cmd_audit(args: argparse.Namespace) -> int:
    from core.accounts.audit import AuditKind, audit_table, read_audit, record_audit
    from core.cli import _engine, _output
    from core.export import write_csv

    out = _output(args.out)
    engine = _engine(existing=True)
    frame = read_audit(engine, since=args.since)
    write_csv(audit_table(frame), out)
    since = args.since.isoformat() if args.since else None
    detail = {"what": "审计日志", "since": since, "rows": len(frame), "file": out}
    record_audit(engine, kind=AuditKind.EXPORT, detail=detail, **_actor())
    print(f"已导出审计记录 {len(frame)} 条：{out}")
    return 0


def _password_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        required=True,
        help="从标准输入读取密码（一行，至少 8 个字符）",
    )


def add_account_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``user`` and ``audit`` on the sub-command parsers of ``python -m core.cli``."""
    user = commands.add_parser("user", help="用户管理：add / passwd / disable / list / demo")
    actions = user.add_subparsers(dest="user_command", required=True, metavar="操作", title="操作")

    add = actions.add_parser("add", help="新建用户")
    add.add_argument("name", metavar="NAME", help="用户名")
    add.add_argument("--role", required=True, metavar="ROLE", help="admin、province、viewer 或 institution")
    add.add_argument("--province", metavar="P", help="province / viewer 必填，如 河南省")
    add.add_argument("--institution", metavar="CODE", help="institution 必填：高校名录中的学校标识码")
    _password_option(add)
    add.set_defaults(run=cmd_user_add)

    passwd = actions.add_parser("passwd", help="修改密码")
    passwd.add_argument("name", metavar="NAME", help="用户名")
    _password_option(passwd)
    passwd.set_defaults(run=cmd_user_passwd)

    disable = actions.add_parser("disable", help="停用用户（不能再登录）")
    disable.add_argument("name", metavar="NAME", help="用户名")
    disable.set_defaults(run=cmd_user_disable)

    actions.add_parser("list", help="列出用户").set_defaults(run=cmd_user_list)
    actions.add_parser("demo", help="还没有任何用户时创建示例账号并打印登录方式").set_defaults(
        run=cmd_user_demo
    )

    audit = commands.add_parser("audit", help="导出审计日志 CSV")
    audit.add_argument("out", metavar="OUT.csv", help="要写入的 CSV 文件")
    audit.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="只导出这一天（北京时间）起的记录")
    audit.set_defaults(run=cmd_audit)

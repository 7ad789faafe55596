"""``python -m core.cli import FORM FILE --as NAME`` and ``review list|approve|return``
(spec/accounts.md: Review). Run by the operator: no sign-in; decisions are recorded as made by
UPLOADER_NAME (default 命令行).

Heavy modules are imported inside the commands, so that building the parser stays cheap.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from core.accounts.cli import CLI_CLIENT, _usage_errors

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from core.accounts.roles import Account

STATUS_CHOICES = ("待审核", "已通过", "已退回")


def _account(engine: Engine, name: str) -> Account:
    from core.accounts.roles import UnknownUser
    from core.accounts.users import list_users

    for account in list_users(engine):
        if account.name == name.strip():
            if account.disabled:
                raise UnknownUser(f"用户 {account.name} 已停用，不能以其身份导入")
            return account
    raise UnknownUser(f"没有用户 {name.strip()}（用 user list 查看已有用户）")


@_usage_errors
def import_as(args: argparse.Namespace) -> int:
    """``import FORM FILE --as NAME``: NAME's limits and review status, the same path as the page."""
    from core.cli import _engine
    from core.config import load_settings
    from core.ingest import Preview, import_path
    from core.ingest.report import report_for
    from core.review.periods import account_issues
    from core.review.submissions import submit

    settings = load_settings()
    engine = _engine()
    account = _account(engine, args.as_name)
    report = import_path(
        engine, args.form, args.file, dry_run=True, uploader=account.name, max_bytes=settings.max_upload_bytes
    )
    extra: dict[str, object] = {}
    if report.accepted and report.parsed is not None:
        report.parsed.issues.extend(account_issues(engine, account, report.parsed, settings.today()))
        report = report_for(report.parsed, report.plan if report.parsed.accepted else None)
    if report.accepted and not args.dry_run:
        done = submit(engine, Preview(report.parsed, report.plan), account=account, client=CLI_CLIENT)
        report, extra = done.report, {"submission": done.id, "review_status": done.status}
    if args.json:
        print(json.dumps(json.loads(report.to_json()) | extra, ensure_ascii=False))
    else:
        print(report.to_text())
        if extra:
            print(f"报送编号 {extra['submission']}：{extra['review_status']}")
    return report.exit_code


def _actor() -> dict[str, str]:
    from core.config import load_settings

    return {"actor": load_settings().uploader_name, "client": CLI_CLIENT}


def cmd_review_list(args: argparse.Namespace) -> int:
    from core.cli import _engine
    from core.review.submissions import LIST_KEYS, list_submissions

    frame = list_submissions(_engine(existing=True), status=args.status)
    records = [
        {key: row[key] for key in LIST_KEYS}
        | {"id": int(row["id"]), "uploaded_at": row["uploaded_at"].isoformat()}
        for row in frame.to_dict("records")
    ]
    if args.json:
        print(json.dumps(records, ensure_ascii=False))
        return 0
    if not records:
        print("没有符合条件的报送")
    for record in records:
        print(
            f"{record['id']}\t{record['status']}\t{record['form']}\t{record['file']}\t{record['uploaded_by']}"
            f"\t{record['uploaded_at']}\t{'、'.join(record['institutions'])}"
        )
    return 0


@_usage_errors
def cmd_review_approve(args: argparse.Namespace) -> int:
    from core.cli import _engine
    from core.review.submissions import approve

    report = approve(_engine(existing=True), args.id, comment=args.comment, **_actor())
    print(
        f"已通过第 {args.id} 号报送并入库：新增 {report.inserted}，更新 {report.updated}，未变 {report.unchanged}"
    )
    return 0


@_usage_errors
def cmd_review_return(args: argparse.Namespace) -> int:
    from core.cli import _engine
    from core.review.submissions import return_submission

    return_submission(_engine(existing=True), args.id, comment=args.comment, **_actor())
    print(f"已退回第 {args.id} 号报送：{args.comment.strip()}")
    return 0


def _submission_id(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"报送编号应为正整数（见 review list）：{text}")
    return int(text)


def add_review_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``review`` on the sub-command parsers of ``python -m core.cli``."""
    review = commands.add_parser("review", help="报送审核：list / approve / return")
    actions = review.add_subparsers(dest="review_command", required=True, metavar="操作", title="操作")

    listing = actions.add_parser("list", help="列出报送")
    listing.add_argument("--status", choices=STATUS_CHOICES, metavar="状态", help="待审核、已通过 或 已退回")
    listing.add_argument("--json", action="store_true", help="输出一个 JSON 数组")
    listing.set_defaults(run=cmd_review_list)

    approving = actions.add_parser("approve", help="通过一份待审核的报送（数据随即入库）")
    approving.add_argument("id", type=_submission_id, metavar="ID", help="报送编号")
    approving.add_argument("--comment", metavar="C", help="审核意见（可选）")
    approving.set_defaults(run=cmd_review_approve)

    returning = actions.add_parser("return", help="退回一份待审核的报送（须写明原因）")
    returning.add_argument("id", type=_submission_id, metavar="ID", help="报送编号")
    returning.add_argument("--comment", required=True, metavar="C", help="退回原因，报送单位会看到")
    returning.set_defaults(run=cmd_review_return)

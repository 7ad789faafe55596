"""Command line: ``python -m core.cli …`` — the same functions the pages call.

Sub-commands (contract: shared/spec/forms.md, "The command line"):
  init-db                      create the schema in DATABASE_URL
  seed [--institutions N --years Y]
                               load sample_data/ (or generate a dataset of that size), the
                               built-in forms declared as data included
  template FORM OUT.xlsx       write the blank template of a form
  import FORM FILE [--dry-run] [--json]
                               validate and store; exit 0 accepted, 1 rejected, 2 unreadable/usage
  export FORM OUT.csv [--year Y] [--province P] [--mask-small]
  missing FORM OUT.csv --year Y [--term T] [--province P]
  form add FILE.toml [--json] | form list | form retire NAME
                               forms declared as data (core/formdefs/cli.py)
  user …, audit OUT.csv        accounts and the audit log (core/accounts/cli.py)
  backup OUT                   a consistent copy of the database (while the app runs)
  restore IN [--force]         replace the database with a backup (refuses one with data unless --force)
  report OUT.(xlsx|pdf) --year Y [--term T] [--province P] [--mask-small]
                               write the season's 通报 (workbook or PDF; core/reports/cli.py)
  import … --as NAME, review … review of uploads (core/review/cli.py)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from core.argparse_zh import argparse_in_chinese
from core.config import ConfigError, load_settings
from core.forms import FORMS, get_form
from core.scope import Scope, canonical_province

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad arguments that argparse itself cannot see (exit code 2)."""


def _engine(*, existing: bool = False, read_only: bool = False):
    """The engine of DATABASE_URL with its schema in place. ``existing``: for commands that only
    read, a SQLite file that is not there is a mistyped path, not an empty database. Those and
    ``read_only`` ones (a dry run) read a file that cannot be written (read-only file or folder) as it is."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

    from core.db import engine_for, init_db, missing_sqlite_file, read_only_engine

    url = load_settings().database_url
    try:
        if existing and (missing := missing_sqlite_file(url)) is not None:
            raise UsageError(
                f"数据库文件 {missing} 不存在。请检查 DATABASE_URL 是否写错，"
                "或先运行 python -m core.cli init-db 并导入数据"
            )
        engine = engine_for(url)
    except (ArgumentError, NoSuchModuleError, ImportError) as problem:
        raise UsageError(
            f"DATABASE_URL 无法使用（{problem}）。请写成 SQLAlchemy 地址，"
            "如 sqlite:////绝对路径/app.db 或 postgresql+psycopg://用户@主机:5432/库名"
        ) from None
    try:
        init_db(engine)
    except OperationalError:
        if not (existing or read_only):
            raise
        engine = read_only_engine(url)
        init_db(engine)  # only looks: every table is there in a database that was ever used
    return engine


def _province_scope(province: str | None, year: str | None = None) -> Scope:
    if not province:
        return Scope(year=year)
    canonical = canonical_province(province)
    if canonical is None:
        raise UsageError(f"无法识别的省份：{province}（请写省级行政区名称，如 河南 或 河南省）")
    return Scope(year=year, provinces=(canonical,))


def _output(path: str) -> str:
    """``path`` when a file can be written there; UsageError (exit 2) before any work otherwise."""
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{path} 是一个文件夹，请给出要写入的文件名（如 {target / '导出.csv'}）")
    if not target.parent.is_dir():
        raise UsageError(f"文件夹 {target.parent} 不存在，请先创建它或换一个保存位置")
    return path


def _normalised_year(raw: str | None) -> str | None:
    if raw is None:
        return None
    from core.ingest.normalize import NormalizeError, parse_academic_year

    try:
        return parse_academic_year(raw).value
    except NormalizeError as problem:
        raise UsageError(f"--year：{problem.message}") from None


def cmd_init_db(_args: argparse.Namespace) -> int:
    _engine()
    print(f"数据库已就绪：{load_settings().database_url}")
    return EXIT_OK


def cmd_seed(args: argparse.Namespace) -> int:
    from core.queries.base import count_institutions
    from sample_data.generate import seed_database

    engine = _engine()
    if args.if_empty and count_institutions(engine, Scope()) > 0:
        print("数据库已有数据，跳过示例数据载入")
        return EXIT_OK
    summary = seed_database(
        engine, institutions=args.institutions, years=args.years, with_indicator_forms=True
    )
    print(summary)
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from core.templates import write_template

    write_template(args.form, _output(args.out))
    print(f"已生成模板：{args.out}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from core.ingest.sandbox import read_ahead

    if args.as_name:
        from core.review.cli import import_as

        return import_as(args)

    settings = load_settings()
    read_ahead(args.file, settings.max_upload_bytes)  # read in a worker while SQLAlchemy loads
    from core.ingest import import_path

    report = import_path(
        _engine(read_only=args.dry_run),
        args.form,
        args.file,
        dry_run=args.dry_run,
        uploader=settings.uploader_name,
        max_bytes=settings.max_upload_bytes,
    )
    if args.json:
        print(report.to_json())
    else:
        print(report.to_text())
    return report.exit_code


def cmd_export(args: argparse.Namespace) -> int:
    from core.export import export_csv

    by_year = args.form not in ("institutions", "projects")  # the spec: --year is ignored for these
    scope = _province_scope(args.province, _normalised_year(args.year) if by_year else None)
    options = {"mask_small": True} if args.mask_small else {}
    if args.mask_small and args.form != "screening":
        raise UsageError("--mask-small 只适用于 screening（心理筛查）")
    rows = export_csv(_engine(existing=True), args.form, scope, _output(args.out), **options)
    print(f"已导出 {rows} 行：{args.out}")
    return EXIT_OK


def _term(raw: str | None) -> str | None:
    """--term as the form writes it (秋季 → 秋季学期); None when not given."""
    if not raw:
        return None
    from core.ingest.normalize import NormalizeError, parse_enum

    try:
        return parse_enum(FORMS["screening"].field("term"), raw).value
    except NormalizeError as problem:
        raise UsageError(f"--term：{problem.message}") from None


def cmd_missing(args: argparse.Namespace) -> int:
    from core.export import write_csv
    from core.views.completeness import missing_frame

    if args.form in ("institutions", "projects"):
        raise UsageError("missing 不适用于 institutions 和 projects（它们不按学年报送）")
    if args.term and "term" not in get_form(args.form).key:
        raise UsageError(
            f"--term 只适用于 screening（心理筛查按学期报送）和按学期报送的表单，{args.form} 按学年报送"
        )
    term = _term(args.term)
    scope = _province_scope(args.province, _normalised_year(args.year))
    out = _output(args.out)
    frame = missing_frame(_engine(existing=True), scope, args.form, term=term)
    write_csv(frame, out)
    print(f"未报送 {len(frame)} 所：{args.out}")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from core.backup import BackupError, backup

    _engine(existing=True)
    try:
        backup(load_settings().database_url, Path(_output(args.out)))
    except BackupError as problem:
        raise UsageError(str(problem)) from None
    print(f"已备份到 {args.out}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from core.backup import BackupError, restore

    url = load_settings().database_url
    try:
        restore(url, Path(args.source), force=args.force)
    except BackupError as problem:
        raise UsageError(str(problem)) from None
    print(f"已从 {args.source} 恢复：{url}")
    return EXIT_OK


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数：{text}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"应为正整数：{text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core.cli", description="高校思政工作监测平台 命令行")
    commands = parser.add_subparsers(dest="command", required=True, metavar="子命令", title="子命令")
    from core.formdefs.cli import add_form_commands, form_titles

    titles = {name: form.title for name, form in FORMS.items()} | form_titles()  # + forms declared as data
    form_choices = list(titles)
    form_help = f"报表：{'、'.join(f'{name}（{title}）' for name, title in titles.items())}"

    commands.add_parser("init-db", help="在 DATABASE_URL 中建表").set_defaults(run=cmd_init_db)

    seed = commands.add_parser("seed", help="载入示例数据（或按规模生成）")
    seed.add_argument("--institutions", type=_positive_int, default=None, help="生成的学校数，如 3000")
    seed.add_argument("--years", type=_positive_int, default=None, help="生成的学年数，如 10")
    seed.add_argument("--if-empty", action="store_true", help="数据库已有学校时什么也不做")
    seed.set_defaults(run=cmd_seed)

    template = commands.add_parser("template", help="生成空白模板")
    template.add_argument("form", choices=form_choices, metavar="FORM", help=form_help)
    template.add_argument("out", metavar="OUT.xlsx", help="要写入的模板文件")
    template.set_defaults(run=cmd_template)

    importer = commands.add_parser("import", help="校验并入库")
    importer.add_argument("form", choices=form_choices, metavar="FORM", help=form_help)
    importer.add_argument("file", metavar="FILE", help="要导入的 .xlsx / .xls / .csv 文件")
    importer.add_argument("--dry-run", action="store_true", help="只校验，不入库")
    importer.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    importer.add_argument(
        "--as", dest="as_name", metavar="NAME", help="以该用户的身份导入（其权限范围与审核规则）"
    )
    importer.set_defaults(run=cmd_import)

    export = commands.add_parser("export", help="导出 CSV")
    export.add_argument("form", choices=form_choices, metavar="FORM", help=form_help)
    export.add_argument("out", metavar="OUT.csv", help="要写入的 CSV 文件")
    export.add_argument("--year", metavar="学年", help="如 2024-2025（项目进度不按学年筛选）")
    export.add_argument("--province", metavar="省份", help="如 河南 或 河南省")
    export.add_argument("--mask-small", action="store_true", help="1–4 的人数写作 <5")
    export.set_defaults(run=cmd_export)

    missing = commands.add_parser("missing", help="未报送名单")
    periodic = [name for name in form_choices if name not in ("institutions", "projects")]
    missing.add_argument("form", choices=periodic, metavar="FORM", help="、".join(periodic))
    missing.add_argument("out", metavar="OUT.csv", help="要写入的 CSV 文件")
    missing.add_argument("--year", required=True, metavar="学年", help="如 2024-2025")
    missing.add_argument("--term", metavar="学期", help="秋季学期 或 春季学期（仅 screening）")
    missing.add_argument("--province", metavar="省份", help="如 河南 或 河南省")
    missing.set_defaults(run=cmd_missing)

    backup = commands.add_parser("backup", help="备份数据库（应用运行时也可以）")
    backup.add_argument("out", metavar="OUT", help="要写入的备份文件")
    backup.set_defaults(run=cmd_backup)

    restore = commands.add_parser("restore", help="用备份替换数据库")
    restore.add_argument("source", metavar="IN", help="backup 写出的备份文件")
    restore.add_argument("--force", action="store_true", help="数据库已有数据时也覆盖")
    restore.set_defaults(run=cmd_restore)

    from core.accounts.cli import add_account_commands

    add_account_commands(commands)

    from core.reports.cli import add_report_commands

    add_report_commands(commands)
    from core.review.cli import add_review_commands

    add_review_commands(commands)

    add_form_commands(commands)
    return parser


def _json_refusal(argv: Sequence[str], message: str, code: str = "usage") -> None:
    """``import … --json`` promises exactly one JSON object on stdout, a refusal included."""
    from core.forms import Severity
    from core.ingest.report import ImportReport, Issue

    words = [word for word in argv if not word.startswith("-")]
    form, file = (words[1:3] + [None, None])[:2] if words[:1] == ["import"] else (None, None)
    report = ImportReport(form=form, file=file or "", accepted=False, unreadable=True)
    report.errors.append(Issue(Severity.ERROR, code, message))
    print(report.to_json())


def _refuse(argv: Sequence[str], message: str, code: str = "usage") -> int:
    print(f"错误：{message}", file=sys.stderr)
    if "import" in argv and "--json" in argv:
        _json_refusal(argv, message, code)
    return EXIT_USAGE


def _run(args: argparse.Namespace, argv: Sequence[str]) -> int:
    try:
        return args.run(args)
    except (UsageError, ConfigError) as problem:
        return _refuse(argv, str(problem))
    except OSError as problem:  # the output file (no permission, a read-only place …)
        if problem.filename is None:
            raise
        return _refuse(argv, f"无法写入 {problem.filename}（{problem.strerror}），请换一个保存位置")
    except Exception as problem:
        from sqlalchemy.exc import DBAPIError  # imported by now when the database raised it

        if not isinstance(problem, DBAPIError):  # unreachable, full, read-only, or a value refused
            raise
        from core.db import database_problem

        return _refuse(argv, database_problem(problem), "database_error")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    with argparse_in_chinese():
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as stopped:  # argparse has printed its message (or the help, exit 0)
            if stopped.code and "import" in argv and "--json" in argv:
                _json_refusal(argv, "命令行参数有误，见标准错误输出")
            raise
    return _run(args, argv)


if __name__ == "__main__":
    # Run as the module core.cli, not as __main__, so that modules adding sub-commands
    # (core.accounts.cli) import the same UsageError and helpers that this main catches.
    from core.cli import main as cli_main

    sys.exit(cli_main())

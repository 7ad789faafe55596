"""``python -m core.cli form add FILE.toml [--json] | form list | form retire NAME`` and the names of
the forms declared as data, read from the database when the command line is parsed (so that
``template``, ``import``, ``export`` and ``missing`` accept them)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def form_titles() -> dict[str, str]:
    """name → title of every form declared as data in force: the database's when it can be read,
    else the built-in definitions (a database not created yet, ``--help``)."""
    from sqlalchemy.exc import SQLAlchemyError

    from core.config import ConfigError, load_settings
    from core.db import engine_for, missing_sqlite_file
    from core.formdefs.registry import DEFINITIONS, load_forms, register_builtins

    try:
        url = load_settings().database_url
        if missing_sqlite_file(url) is not None:
            register_builtins()
        else:
            load_forms(engine_for(url))
    except (SQLAlchemyError, ConfigError, ImportError, ValueError):
        register_builtins()
    return {name: definition.title for name, definition in DEFINITIONS.items()}


def cmd_form_add(args: argparse.Namespace) -> int:
    from core.cli import EXIT_OK, EXIT_USAGE, UsageError, _engine
    from core.config import load_settings
    from core.formdefs.definition import DefinitionRefused
    from core.formdefs.registry import add_definition

    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        raise UsageError(
            f"无法读取定义文件 {args.file}（{problem}），请确认路径正确且为 UTF-8 编码"
        ) from None
    try:
        definition = add_definition(_engine(), text, by=load_settings().uploader_name)
    except DefinitionRefused as refused:
        if args.json:
            print(json.dumps({"accepted": False, "problems": refused.problems}, ensure_ascii=False))
        else:
            print(f"表单定义 {args.file} 未保存，请修改后重新提交：")
            print("\n".join(f"  {problem}" for problem in refused.problems))
        return EXIT_USAGE
    summary = {
        "accepted": True,
        "name": definition.name,
        "title": definition.title,
        "version": definition.version,
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(f"已保存表单「{definition.title}」（{definition.name}），第 {definition.version} 版")
    return EXIT_OK


def cmd_form_list(_args: argparse.Namespace) -> int:
    from core.cli import EXIT_OK, _engine
    from core.formdefs.registry import summaries

    print("名称\t标题\t周期\t版本\t已存行数")
    for summary in summaries(_engine()):
        period = "学期" if summary.period == "term" else "学年"
        print(f"{summary.name}\t{summary.title}\t{period}\t{summary.version}\t{summary.rows}")
    return EXIT_OK


def cmd_form_retire(args: argparse.Namespace) -> int:
    from core.cli import EXIT_OK, UsageError, _engine
    from core.config import load_settings
    from core.formdefs.registry import retire_form

    try:
        version = retire_form(_engine(), args.name, by=load_settings().uploader_name)
    except KeyError:
        raise UsageError(f"没有在用的表单 {args.name}，用 python -m core.cli form list 查看") from None
    print(f"已停用表单 {args.name}（第 {version} 版）；已存数据保留")
    return EXIT_OK


def add_form_commands(commands: argparse._SubParsersAction) -> None:
    form = commands.add_parser("form", help="表单定义：添加、列出、停用")
    actions = form.add_subparsers(dest="form_command", required=True, metavar="操作", title="操作")
    add = actions.add_parser("add", help="校验并保存一个表单定义（TOML）；同名则替换为新版本")
    add.add_argument("file", metavar="FILE.toml", help="表单定义文件（UTF-8）")
    add.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    add.set_defaults(run=cmd_form_add)
    actions.add_parser("list", help="列出在用的表单").set_defaults(run=cmd_form_list)
    retire = actions.add_parser("retire", help="停用一个表单（已存数据保留）")
    retire.add_argument("name", metavar="NAME", help="表单名称")
    retire.set_defaults(run=cmd_form_retire)

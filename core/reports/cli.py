"""``python -m core.cli report OUT.(xlsx|pdf) --year Y [--term T] [--province P] [--mask-small]``:
the season's 通报 as a workbook or a PDF (the same content the 通报 page writes).

Heavy modules are imported inside the command, so that building the parser stays cheap.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def cmd_report(args: argparse.Namespace) -> int:
    from core.cli import EXIT_OK, UsageError, _engine, _normalised_year, _output, _province_scope, _term
    from core.config import load_settings
    from core.reports import FORMATS, write_report
    from core.reports.content import read_report
    from core.reports.fonts import FontMissing, find_cjk_font

    out = _output(args.out)
    if Path(out).suffix.lower() not in FORMATS:
        raise UsageError(f"通报文件名应以 .xlsx 或 .pdf 结尾：{out}")
    scope = _province_scope(args.province, _normalised_year(args.year))
    try:
        find_cjk_font()
    except FontMissing as problem:
        raise UsageError(str(problem)) from None
    today = load_settings().today()
    report = read_report(
        _engine(existing=True), scope, term=_term(args.term), mask_small=args.mask_small, today=today
    )
    write_report(report, out)
    print(f"已生成通报：{out}")
    return EXIT_OK


def add_report_commands(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser("report", help="生成通报（Excel 工作簿或 PDF）")
    report.add_argument("out", metavar="OUT.xlsx|OUT.pdf", help="要写入的 .xlsx 或 .pdf 文件")
    report.add_argument("--year", required=True, metavar="学年", help="如 2024-2025")
    report.add_argument("--term", metavar="学期", help="秋季学期 或 春季学期（心理筛查与其报送情况）")
    report.add_argument("--province", metavar="省份", help="如 河南 或 河南省；不写为全国")
    report.add_argument("--mask-small", action="store_true", help="1–4 的心理筛查人数写作 <5")
    report.set_defaults(run=cmd_report)

"""The data contract (shared/spec/forms.md) checked as an outside examiner would.

Fresh workbooks (openpyxl, xlwt, GBK and UTF-8 CSV) are fed to ``python -m core.cli``
in real processes against one SQLite database per module; every expected value is
worked out by hand from the contract, in the tables below. The CLI calls that do not
depend on each other run a few at a time to keep the module under a minute.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msoffcrypto
import pytest
import xlwt
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine, create_engine, select, text

from core.db import make_engine
from core.models import RecordHistory, Upload
from core.scope import Scope
from core.settings_store import save_standards
from core.standards import make_standards
from tests.cli import run_cli
from tests.contract import EXPORT_HEADERS, FORM_HEADERS, ISSUE_KEYS, MISSING_HEADERS, REPORT_KEYS
from tests.factories import make_institution, make_staffing_row, store_rows
from tests.test_ingest_corpus import with_cached_formula_values, workbook_bytes

TODAY = "2025-06-30"  # APP_TODAY of every projects export
PARALLEL = 3
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

# --- the institutions every file refers to ---------------------------------------------------

# Row 1 is a title, row 2 the header, data from row 3. Short provinces and level variants.
INSTITUTION_ROWS: list[list[Any]] = [
    ["4141010001", "甲大学", "河南", "本科", "公办", "省教育厅", "郑州市"],
    [4141010002.0, "乙学院", "北京", "专科", "民办", None, None],
    ["4145010003", "丙学院", "广西", "高职", "公办", None, None],
    ["4115010004", "丁学院", "内蒙古", "高职高专", "公办", None, None],
    ["4164010005", "戊学院", "宁夏", "高职(专科)", "中外合作办学", None, None],
    ["4165010006", "己学院", "新疆", "高职（专科）", "公办", None, None],
    ["4154010007", "庚学院", "西藏", "本科", "公办", None, None],
    ["0041010011", "零学院", "河南省", "本科", "公办", None, None],
    ["4131010009", "壬学院", "上海", "本科", "公办", None, None],
    ["4150010010", "癸学院", "重庆", "本科", "公办", None, None],
]

# --- workbook builders ---------------------------------------------------------------------


def xlsx(rows: Sequence[Sequence[Any]], sheet: str, dress: Callable[[Workbook], None] | None = None) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(list(row))
    if dress is not None:
        dress(workbook)
    return workbook_bytes(workbook)


def xls(rows: Sequence[Sequence[Any]], sheet: str, styles: Mapping[tuple[int, int], str] = {}) -> bytes:
    """An .xls workbook; ``styles`` gives a cell (0-based row, column) a number format."""
    workbook = xlwt.Workbook(encoding="utf-8")
    worksheet = workbook.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            number_format = styles.get((r, c))
            if number_format:
                worksheet.write(r, c, value, xlwt.easyxf(num_format_str=number_format))
            else:
                worksheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def institutions_file(renamed: Mapping[str, str] = {}) -> bytes:
    rows = [[code, renamed.get(str(code), name), *rest] for code, name, *rest in INSTITUTION_ROWS]
    return xlsx([["高校名录（2024年）"], FORM_HEADERS["institutions"], *rows], "高校名录")


STAFFING_ALIASES = [
    "学校标识码",
    "学校名称",
    "学年",
    "全日制本专科在校生数",
    "研究生数",
    "专职辅导员(人)",
    "兼职辅导员数",
    "思政课专职教师数",
    "心理健康教育专职教师数",
]


def staffing_main_file() -> bytes:
    """2024-2025 under alias headers: every 学年 variant, numbers as text, an empty row, a 合计 row."""
    return xlsx(
        [
            STAFFING_ALIASES,
            ["4141010001", "甲大学", "2024-2025学年", 701, 100, 4, 2, 3, 1],  # row 2
            ["4141010002", "乙学院（北京）", "2024—2025", 0, 0, 3, 0, None, None],  # row 3
            ["4145010003", "丙学院", "2024–2025", "1,000", " 0 ", "５", None, None, 0],  # row 4
            ["4115010004", "丁学院", "2024/2025", 3500, 0, 18, 0, 10, 2],  # row 5
            [None] * 9,  # row 6
            ["4164010005", "戊学院", "2024至2025学年", 400, 0, 2.0, 0, 1, 2],  # row 7
            ["4165010006", "己学院", "2024～2025", 8001, 0, 41, 0, 23, 3],  # row 8
            ["4154010007", "庚学院", "2024-2025", 5, 0, 0, 0, 0, 0],  # row 9
            ["合计", None, None, 14607, 100, 68, 2, 37, 8],  # row 10
        ],
        "队伍配备",
    )


def _dress_tolerant(workbook: Workbook) -> None:
    """An instructions sheet with header-like text first, a hidden 队伍配备 sheet, merged titles."""
    instructions = workbook.create_sheet("填表说明", 0)
    instructions.append(["学校标识码", "学年", "全日制本专科生数", "全日制研究生数", "专职辅导员数"])
    instructions.append(["4131010009", "2021-2022", 1, 0, 0])
    hidden = workbook.create_sheet("队伍配备")
    hidden.sheet_state = "hidden"
    hidden.append(["学校标识码", "学校名称", "学年", "全日制本专科生数", "全日制研究生数", "专职辅导员数"])
    hidden.append(["4131010009", "壬学院", "2021-2022", 1, 0, 0])
    data = workbook["Sheet1"]
    for cells in ("A1:I1", "A3:A4", "B3:B4", "C3:C4", "D3:E3", "F3:I3"):
        data.merge_cells(cells)


def staffing_tolerant_file() -> bytes:
    """2021-2022 on a sheet not named 队伍配备, found by its header: title, 填报单位 line,
    a two-row header with merged group cells, decorated header text, a formula, 总计 and 填表人 rows."""
    data = xlsx(
        [
            ["2021-2022学年思政队伍配备情况"],
            ["填报单位：", "某省教育厅", None, None, None, None, "填报日期：2022年1月1日"],
            ["学校\n标识码", " 学校 名称 ", "学年", "学生数（人）", None, "思政队伍（人）", None, None, None],
            [
                None,
                None,
                None,
                "全日制本专科生数",
                "全日制研究生数",
                "专职辅导员数（人）",
                "兼职辅导员数\n（人）",
                "专职思政课 教师数",
                "专职心理健康教育教师数（单位：人）",
            ],
            ["4141010001", "甲大学", "2021-2022", "=1000+1", "1,000", "１０", "3", None, None],  # row 5
            [None] * 9,  # row 6
            ["4141010002", "乙学院", "2021-2022", " 2 000 ", 0, "  10 ", 0, None, None],  # row 7
            ["总计", None, None, "=D5+D7", 1000, 20, 3, None, None],  # row 8
            ["填表人：李四", None, None, None, None, "联系电话：12345678"],  # row 9
        ],
        "Sheet1",
        _dress_tolerant,
    )
    return with_cached_formula_values(data, {"1000+1": 1001, "D5+D7": 3001})


def staffing_xls_file() -> bytes:
    """2020-2021 as .xls with the other alias headers, a number-typed code and a 小计 row."""
    return xls(
        [
            ["学校标识码", "学校名称", "学年", "本专科生数", "全日制研究生数", "专职辅导员人数"],
            [4141010001.0, "甲大学", "2020-2021", 800, 0, 4],
            ["4141010002", "乙学院", "2020/2021学年", 400.0, 0, 2],
            ["小计", None, None, 1200, 0, 6],
        ],
        "队伍配备",
    )


# 队伍配备 files without the optional staff columns: the first six canonical headers.
STAFFING_HEADERS = ["学校标识码", "学校名称", "学年", "全日制本专科生数", "全日制研究生数", "专职辅导员数"]


def staffing_gbk_file() -> bytes:
    """2019-2020 as a GBK CSV: a leading-zero code, thousands separators, full-width digits."""
    rows = [
        STAFFING_HEADERS,
        ["0041010011", "零学院", "2019-2020", "1,200", "0", "６"],
        ["4145010003", "丙学院", "2019-2020", "12.0", "0", "0"],
    ]
    return csv_text(rows).encode("gbk")


def staffing_bom_file() -> bytes:
    return csv_text([STAFFING_HEADERS, ["4115010004", "丁学院", "2018-2019", "200", "0", "1"]]).encode(
        "utf-8-sig"
    )


def staffing_dry_run_file() -> bytes:
    return xlsx([STAFFING_HEADERS, ["4141010001", "甲大学", "2017-2018", 800, 0, 4]], "队伍配备")


def staffing_bad_file() -> bytes:
    """2023-2024: one problem per row (row numbers in the comments); the valid rows must not be stored."""
    return xlsx(
        [
            FORM_HEADERS["staffing"],
            ["4141010001", "甲大学", "2023-2024", 10, 5, 16, 0, 0, 0],  # 2: 专职 > students
            ["4141010002", "乙学院", "2023-2024", 10, 0, 1, 11, 0, 0],  # 3: 兼职 > students
            ["4145010003", "丙学院", "2023-2024", 10, 0, 1, 0, 11, 0],  # 4: 思政课 > students
            ["4115010004", "丁学院", "2023-2024", 10, 0, 1, 0, 0, 11],  # 5: 心理 > students
            ["4164010005", "戊学院", "2023-2024", 0, 0, 3, 3, 3, 3],  # 6: no students: fine
            ["4164010005", "戊学院", "2023—2024", 0, 0, 3, 3, 3, 3],  # 7: same key as row 6
            ["9999999999", "无名学院", "2023-2024", 10, 0, 1, 0, 0, 0],  # 8: not in 高校名录
            ["4165010006", "己学院", "2024-2026", 10, 0, 1, 0, 0, 0],  # 9: years not consecutive
            ["4165010006", "己学院", "2023-2024", 12.5, 0, 1, 0, 0, 0],  # 10: not whole
            ["4154010007", "庚学院", "2023-2024", -1, 0, 1, 0, 0, 0],  # 11: negative
            ["0041010011", "零学院", "2023-2024", 10, None, 1, 0, 0, 0],  # 12: required blank
            ["414101000", "甲大学", "2023-2024", 10, 0, 1, 0, 0, 0],  # 13: 9 digits
            ["4131010009", "壬学院", "二〇二三", 10, 0, 1, 0, 0, 0],  # 14: not a 学年
        ],
        "队伍配备",
    )


SCREENING_ROWS: list[list[Any]] = [  # in template order; rows 2–8 of the file
    ["4141010001", "甲大学", "2024-2025", "第一学期", "新生普查", 1000, 965, 3, 10, 20, 30, 2, 1],
    ["4141010001", "甲大学", "2024-2025", "上学期", "全体学生普查", 0, 0, 0, 0, 0, 0, 0, 0],
    ["4141010002", "乙学院", "2024-2025", "秋季", "新生普查", 200, 200, 0, 0, 0, 0, 0, None],
    ["4145010003", "丙学院", "2024-2025", "第二学期", "新生普查", 300, 298, 5, 4, None, 12, 1, 0],
    ["4115010004", "丁学院", "2024-2025", "下学期", "重点人群复查", 50, 50, 1, 1, 1, 4, 0, 0],
    ["4164010005", "戊学院", "2024-2025", "春季", "其他", 3, 3, 0, 0, 0, 0, 0, 0],
    ["4165010006", "己学院", "2024-2025", "秋季学期", "新生普查", 20, 16, 1, 0, 7, 8, 0, 0],
]


def filled_cli_template(template: Path, rows: Sequence[Sequence[Any]]) -> bytes:
    """The template the CLI wrote, filled in below its header as a user would."""
    workbook = load_workbook(template)
    for row in rows:
        workbook.active.append(list(row))
    return workbook_bytes(workbook)


def screening_csv_file() -> bytes:
    """2023-2024 春季 as UTF-8 CSV without BOM, under the screening-level alias headers."""
    header = ["学校标识码", "学校名称", "学年", "学期", "筛查类型", "应测人数", "参测人数", "一级预警人数"]
    header += ["二级关注人数", "三级预警人数", "已约谈评估人数", "转介就医人数", "危机干预人数"]
    row = ["4154010007", "庚学院", "2023-2024", "春季", "全体学生普查", 100, 90, 2, 3, 5, 10, 1, 0]
    return csv_text([header, row]).encode("utf-8")


SCREENING_HEADERS = ["学校标识码", "学校名称", "学年", "学期", "筛查类型", "应测人数", "实测人数"]


def screening_bad_file() -> bytes:
    header = [*SCREENING_HEADERS, "一级关注人数", "二级预警人数", "三级关注人数"]
    header += ["已约谈评估人数", "转介就医人数", "危机干预人数"]
    return xlsx(
        [
            header,
            ["4141010001", "甲大学", "2022-2023", "秋季学期", "新生普查", 100, 101, 0, 0, 0, 0, 0, 0],  # 2
            ["4141010002", "乙学院", "2022-2023", "秋季学期", "新生普查", 100, 10, 5, 5, 1, 0, 0, 0],  # 3
            ["4145010003", "丙学院", "2022-2023", "秋季学期", "新生普查", 100, 100, 1, 1, 1, 0, 4, 0],  # 4
            ["4145010003", "丙学院", "2022-2023", "第一学期", "新生普查", 100, 100, 1, 1, 1, 0, 0, 0],  # 5
            ["4115010004", "丁学院", "2022-2023", "冬季学期", "新生普查", 100, 100, 1, 1, 1, 0, 0, 0],  # 6
            ["4164010005", "戊学院", "2022-2023", "秋季学期", "抽样调查", 100, 100, 1, 1, 1, 0, 0, 0],  # 7
            ["4164010005", "戊学院X", "2022-2023", "秋季学期", "其他", 100, 100, 1, 1, 1, 0, 0, 0],  # 8
        ],
        "心理筛查",
    )


def _percent_formatted_progress(workbook: Workbook) -> None:
    workbook.active["J4"].number_format = "0%"


def projects_file() -> bytes:
    """Every quote style of a category, every date writing, every percent writing."""
    rows = [
        FORM_HEADERS["projects"],
        ["P-1", "一", "“双带头人”教师党支部书记工作室", "第一批", "4141010001", "甲大学"]
        + [dt.datetime(2024, 3, 1), "2025-06-30", "培育建设", 85, "2025/6/1", "张三", None],  # 2
        ["P-2", "二", '"三全育人"综合改革', None, "4141010001", "甲大学"]
        + ["2024-03-01", "2024/3/1", "立项", "85%", None, None, None],  # 3
        ["P-3", "三", "「一站式」学生社区", None, "4141010002", "乙学院"]
        + ["2024.03.01", "2025.06.29", "中期检查", 0.85, None, None, None],  # 4: J4 formatted 0%
        ["P-4", "四", "一站式学生社区", None, "4141010002", "乙学院X"]
        + ["2024年3月1日", "2025年6月1日", "已验收通过", 62.5, None, None, None],  # 5
        ["P-5", "五", "网络思政", None, "4145010003", None]
        + ["2024-03-01", "2025-01-01", "终止", 10, None, None, None],  # 6
        ["P-6", "六", "其他", None, "4145010003", None]
        + ["2024-03-01", "2025-06-30", "验收", "１００", None, None, None],  # 7
        ["P-7", "七", "党建示范高校", None, "4164010005", "戊学院"]
        + ["2024-03-01", "2025-07-01", "申报", 0, None, None, None],  # 8
    ]
    return xlsx(rows, "项目进度", _percent_formatted_progress)


def projects_xls_file() -> bytes:
    """Percent-formatted progress cells and real dates in an .xls workbook."""
    headers = [
        "项目编号",
        "项目名称",
        "项目类别",
        "承担单位标识码",
        "立项日期",
        "计划完成日期",
        "当前阶段",
        "完成进度",
    ]
    rows = [
        headers,
        [
            "X-1",
            "甲",
            "思政工作精品项目",
            "4141010002",
            dt.date(2024, 3, 1),
            dt.date(2025, 6, 1),
            "立项",
            0.85,
        ],
        ["X-2", "乙", "心理健康教育", "4141010002", dt.date(2024, 3, 1), dt.date(2025, 6, 1), "立项", 0.625],
    ]
    styles = {(r, c): "yyyy-mm-dd" for r in (1, 2) for c in (4, 5)} | {(1, 7): "0%", (2, 7): "0.0%"}
    return xls(rows, "项目进度", styles)


def projects_bad_file() -> bytes:
    def row(project_id: str, **changes: Any) -> list[Any]:
        values = {"category": "网络思政", "code": "4141010001", "start": "2024-03-01", "due": "2024-12-31"}
        values |= {"stage": "立项", "progress": 10} | changes
        return [project_id, "名称", values["category"], None, values["code"], None, values["start"]] + [
            values["due"],
            values["stage"],
            values["progress"],
            None,
            None,
            None,
        ]

    return xlsx(
        [
            FORM_HEADERS["projects"],
            row("Q-1", due="2024-02-29"),  # 2: due before start
            row("Q-1"),  # 3: same 项目编号
            row("Q-3", category="思政精品"),  # 4
            row("Q-4", stage="进行中"),  # 5
            row("Q-5", progress=101),  # 6
            row("Q-6", start="2024-02-30"),  # 7
            row("Q-7", code="1234567890"),  # 8
            row("Q-8", progress="过半"),  # 9
            row("Q-9", stage="已验收通过", progress=100),  # 10: fine
            row("Q-10", start=None),  # 11
        ],
        "项目进度",
    )


def institutions_bad_file() -> bytes:
    return xlsx(
        [
            FORM_HEADERS["institutions"],
            ["4141010020", "新学院", "火星", "本科", "公办"],  # 2
            ["4141010021", "新学院二", "河南", "研究生院", "公办"],  # 3
            ["4141010022", "新学院三", "河南", "本科", "公立"],  # 4
            ["4141010023", None, "河南", "本科", "公办"],  # 5
            [4141010020, "重复", "河南", "本科", "公办"],  # 6: same code as row 2
        ],
        "高校名录",
    )


def encrypted_file() -> bytes:
    plain = io.BytesIO(xlsx([STAFFING_HEADERS, ["4141010001", "甲大学", "2016-2017", 800, 0, 4]], "队伍配备"))
    encrypted = io.BytesIO()
    msoffcrypto.OfficeFile(plain).encrypt("secret", encrypted)
    return encrypted.getvalue()


# --- running the command line ----------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    args: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    in_process: bool = False  # run main() here: the same code, without ~1 s of process start-up


def run_here(db_url: str, call: Call) -> subprocess.CompletedProcess[str]:
    """``python -m core.cli`` is ``sys.exit(main())``: the same call in this process."""
    from core.cli import main

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, redirect_stdout(out), redirect_stderr(err):
        for name, value in {"DATABASE_URL": db_url, **call.env}.items():
            patch.setenv(name, value)
        try:
            exit_code = main(list(call.args))
        except SystemExit as stop:  # argparse's own usage errors
            exit_code = int(stop.code or 0)
    return subprocess.CompletedProcess(
        [sys.executable, "-m", "core.cli", *call.args], exit_code, out.getvalue(), err.getvalue()
    )


def run_all(db_url: str, calls: Mapping[str, Call]) -> dict[str, subprocess.CompletedProcess[str]]:
    """Every call: the processes a few at a time, then the in-process ones one by one."""
    with ThreadPoolExecutor(PARALLEL) as pool:
        started = {
            name: pool.submit(run_cli, db_url, *call.args, env=call.env)
            for name, call in calls.items()
            if not call.in_process
        }
        done = {name: future.result() for name, future in started.items()}
    return done | {name: run_here(db_url, call) for name, call in calls.items() if call.in_process}


@dataclass
class World:
    """The module's database and every CLI run made against it, by name."""

    db_url: str
    folder: Path
    runs: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)

    def path(self, name: str) -> Path:
        return self.folder / name

    def report(self, name: str) -> dict[str, Any]:
        return json.loads(self.runs[name].stdout)  # exactly one JSON object on stdout

    def issues(self, name: str, kind: str) -> set[tuple[Any, Any, str]]:
        return {(issue["row"], issue["column"], issue["code"]) for issue in self.report(name)[kind]}

    def csv_bytes(self, name: str) -> bytes:
        assert self.runs[name].returncode == 0, self.runs[name].stderr
        return self.path(f"{name}.csv").read_bytes()

    def table(self, name: str) -> tuple[list[str], list[dict[str, str]]]:
        """(header, rows) of the CSV file the run ``name`` wrote."""
        reader = csv.reader(io.StringIO(self.csv_bytes(name).decode("utf-8-sig"), newline=""))
        header, *rows = list(reader)
        return header, [dict(zip(header, row, strict=True)) for row in rows]

    def rows_by(self, name: str, *columns: str) -> dict[tuple[str, ...], dict[str, str]]:
        return {tuple(row[column] for column in columns): row for row in self.table(name)[1]}


IMPORTS: dict[str, tuple[str, str, Callable[[World], bytes]]] = {
    # name: (form, file name, builder)
    "staffing_main": ("staffing", "队伍配备_2024-2025.xlsx", lambda _: staffing_main_file()),
    "staffing_tolerant": ("staffing", "队伍配备_2021.xlsx", lambda _: staffing_tolerant_file()),
    "staffing_xls": ("staffing", "队伍配备_2020.xls", lambda _: staffing_xls_file()),
    "staffing_gbk": ("staffing", "队伍配备_2019.csv", lambda _: staffing_gbk_file()),
    "staffing_bom": ("staffing", "队伍配备_2018.csv", lambda _: staffing_bom_file()),
    "screening_template": (
        "screening",
        "心理筛查_2024-2025.xlsx",
        lambda world: filled_cli_template(world.path("template_screening.xlsx"), SCREENING_ROWS),
    ),
    "screening_csv": ("screening", "心理筛查_2023.csv", lambda _: screening_csv_file()),
    "projects_xlsx": ("projects", "项目进度.xlsx", lambda _: projects_file()),
    "projects_xls": ("projects", "项目进度.xls", lambda _: projects_xls_file()),
    "staffing_bad": ("staffing", "队伍配备_错误.xlsx", lambda _: staffing_bad_file()),
    "screening_bad": ("screening", "心理筛查_错误.xlsx", lambda _: screening_bad_file()),
    "projects_bad": ("projects", "项目进度_错误.xlsx", lambda _: projects_bad_file()),
    "institutions_bad": ("institutions", "高校名录_错误.xlsx", lambda _: institutions_bad_file()),
    "refuse_encrypted": ("staffing", "加密.xlsx", lambda _: encrypted_file()),
    "refuse_corrupt": ("staffing", "损坏.xlsx", lambda _: staffing_dry_run_file()[:900]),
    "refuse_pdf": ("staffing", "扫描件.xlsx", lambda _: b"%PDF-1.4\n" + b"0" * 500),
    "refuse_too_large": ("staffing", "大文件.csv", lambda _: b"a," * 600_000),
    "refuse_no_header": (
        "staffing",
        "无表头.xlsx",
        lambda _: xlsx([["甲", "乙", "丙"], [1, 2, 3]], "队伍配备"),
    ),
    "refuse_no_data": (
        "screening",
        "空模板.xlsx",
        lambda world: world.path("template_screening.xlsx").read_bytes(),
    ),
}
IMPORT_ENV = {"refuse_too_large": {"MAX_UPLOAD_MB": "1"}}
# Refusals that stop before any storing run in this process (the encrypted one runs as a process).
IN_PROCESS = {"refuse_corrupt", "refuse_pdf", "refuse_too_large", "refuse_no_header", "refuse_no_data"}
IN_PROCESS |= {"refuse_not_found"}


EXPORTS: dict[str, tuple[str, ...]] = {
    "staffing": ("export", "staffing"),
    "staffing_guangxi": ("export", "staffing", "--year", "2024—2025学年", "--province", "广西"),
    "screening": ("export", "screening"),
    "screening_masked": ("export", "screening", "--year", "2024-2025", "--mask-small"),
    "projects": ("export", "projects"),
    "projects_beijing": ("export", "projects", "--province", "北京", "--year", "2024-2025"),
    "institutions": ("export", "institutions"),
    "missing_staffing": ("missing", "staffing", "--year", "2024-2025"),
    "missing_autumn": ("missing", "screening", "--year", "2024-2025", "--term", "秋季"),
    "missing_spring_xinjiang": ("missing", "screening", "--year", "2024—2025", "--term", "第二学期")
    + ("--province", "新疆"),
}


def _import_call(world: World, name: str, form: str, file_name: str, *options: str) -> Call:
    arguments = ("import", form, str(world.path(file_name)), "--json", *options)
    return Call(arguments, IMPORT_ENV.get(name, {}), in_process=name in IN_PROCESS)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    folder = tmp_path_factory.mktemp("conformance")
    world = World(db_url=f"sqlite:///{folder / 'app.db'}", folder=folder)
    world.runs["init-db"] = run_cli(world.db_url, "init-db")
    world.path("高校名录.xlsx").write_bytes(institutions_file())
    world.runs |= run_all(
        world.db_url,
        {
            "institutions_import": _import_call(world, "institutions", "institutions", "高校名录.xlsx"),
            "template_screening": Call(("template", "screening", str(world.path("template_screening.xlsx")))),
        },
    )
    for _form, file_name, build in IMPORTS.values():
        world.path(file_name).write_bytes(build(world))
    world.path("试算.xlsx").write_bytes(staffing_dry_run_file())
    calls = {
        name: _import_call(world, name, form, file_name) for name, (form, file_name, _) in IMPORTS.items()
    }
    calls["refuse_not_found"] = _import_call(world, "refuse_not_found", "staffing", "不存在.xlsx")
    calls["dry_run"] = _import_call(world, "dry_run", "staffing", "试算.xlsx", "--dry-run")
    # 癸学院 appears in no other file, so renaming it runs beside the other imports.
    world.path("高校名录_更名.xlsx").write_bytes(institutions_file(renamed={"4150010010": "癸大学"}))
    calls["institutions_renamed"] = _import_call(world, "", "institutions", "高校名录_更名.xlsx")
    world.runs |= run_all(world.db_url, calls)
    exports = {
        name: Call((command, form, str(world.path(f"{name}.csv")), *options), {"APP_TODAY": TODAY})
        for name, (command, form, *options) in EXPORTS.items()
    }
    world.runs |= run_all(world.db_url, exports)
    return world


# --- the command line: init-db, template, import report, exit codes ------------------------------


def test_init_db_creates_every_table(world: World) -> None:
    engine = create_engine(world.db_url)
    with engine.connect() as connection:
        tables = {
            row[0] for row in connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
        }
    engine.dispose()

    assert world.runs["init-db"].returncode == 0
    assert {"institution", "staffing", "screening", "project", "upload", "record_history"} <= tables


def test_template_has_the_form_sheet_with_canonical_headers(world: World) -> None:
    workbook = load_workbook(world.path("template_screening.xlsx"))

    assert world.runs["template_screening"].returncode == 0
    assert [cell.value for cell in workbook["心理筛查"][1]] == FORM_HEADERS["screening"]


@pytest.mark.parametrize(
    ("name", "exit_code", "accepted", "rows", "inserted", "updated", "unchanged"),
    [
        ("institutions_import", 0, True, 10, 10, 0, 0),  # case: 高校名录 below a title row
        ("institutions_renamed", 0, True, 10, 0, 1, 9),  # case: re-upload with one school renamed
        ("staffing_main", 0, True, 7, 7, 0, 0),  # case: alias headers; 合计 row and empty row skipped
        (
            "staffing_tolerant",
            0,
            True,
            2,
            2,
            0,
            0,
        ),  # case: messy workbook (title, 2-row header, hidden sheet)
        ("staffing_xls", 0, True, 2, 2, 0, 0),  # case: .xls with a 小计 row
        ("staffing_gbk", 0, True, 2, 2, 0, 0),  # case: GBK CSV
        ("staffing_bom", 0, True, 1, 1, 0, 0),  # case: UTF-8 CSV with BOM
        ("screening_template", 0, True, 7, 7, 0, 0),  # case: the CLI's own template, filled in
        ("screening_csv", 0, True, 1, 1, 0, 0),  # case: UTF-8 CSV without BOM
        ("projects_xlsx", 0, True, 7, 7, 0, 0),  # case: projects .xlsx
        ("projects_xls", 0, True, 2, 2, 0, 0),  # case: projects .xls
        ("dry_run", 0, True, 1, 1, 0, 0),  # case: --dry-run says what it would insert
        ("staffing_bad", 1, False, 13, 0, 0, 0),  # case: rejected by validation
        ("screening_bad", 1, False, 7, 0, 0, 0),  # case: rejected by validation
        ("projects_bad", 1, False, 10, 0, 0, 0),  # case: rejected by validation
        ("institutions_bad", 1, False, 5, 0, 0, 0),  # case: rejected by validation
        ("refuse_no_header", 1, False, 0, 0, 0, 0),  # case: no recognisable header
        ("refuse_no_data", 1, False, 0, 0, 0, 0),  # case: blank template
        ("refuse_encrypted", 2, False, 0, 0, 0, 0),  # case: encrypted workbook
        ("refuse_corrupt", 2, False, 0, 0, 0, 0),  # case: truncated workbook
        ("refuse_pdf", 2, False, 0, 0, 0, 0),  # case: a PDF named .xlsx
        ("refuse_too_large", 2, False, 0, 0, 0, 0),  # case: above MAX_UPLOAD_MB
        ("refuse_not_found", 2, False, 0, 0, 0, 0),  # case: no such file
    ],
)
def test_import_prints_one_json_report_and_exits_by_outcome(
    world: World,
    name: str,
    exit_code: int,
    accepted: bool,
    rows: int,
    inserted: int,
    updated: int,
    unchanged: int,
) -> None:
    report = world.report(name)
    issues = report["errors"] + report["warnings"] + report["normalizations"]

    assert world.runs[name].returncode == exit_code
    assert list(report) == REPORT_KEYS
    assert all(list(issue) == ISSUE_KEYS for issue in issues)
    assert report["form"] == world.runs[name].args[4]
    assert report["file"] == world.runs[name].args[5]
    assert (
        report["accepted"],
        report["rows"],
        report["inserted"],
        report["updated"],
        report["unchanged"],
    ) == (
        accepted,
        rows,
        inserted,
        updated,
        unchanged,
    )
    assert bool(report["errors"]) is not accepted


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("refuse_encrypted", "encrypted"),  # case: password-protected .xlsx
        ("refuse_corrupt", "corrupt"),  # case: cut in half
        ("refuse_pdf", "not_a_spreadsheet"),  # case: PDF bytes
        ("refuse_too_large", "too_large"),  # case: 1.1 MB against a 1 MB limit
        ("refuse_not_found", "file_not_found"),  # case: missing path
        ("refuse_no_header", "no_header"),  # case: headers of nothing we know
        ("refuse_no_data", "no_data"),  # case: header only
    ],
)
def test_refused_file_gets_one_chinese_error_not_tied_to_a_cell(world: World, name: str, code: str) -> None:
    (error,) = world.report(name)["errors"]

    assert (error["row"], error["column"], error["code"]) == (None, None, code)
    assert re.search(r"[\u4e00-\u9fff]", error["message"])


@pytest.mark.parametrize(
    "args",
    [
        ("export", "staffing", "out.csv", "--province", "火星"),  # case: --province names no provincial unit
        ("export", "staffing", "out.csv", "--year", "2024-2026"),  # case: --year with years not consecutive
        ("export", "projects", "out.csv", "--mask-small"),  # case: --mask-small outside screening
        ("export", "staffing", "/nonexistent-folder/out.csv"),  # case: output folder does not exist
        ("template", "staffing", "/nonexistent-folder/模板.xlsx"),  # case: template into a missing folder
        ("missing", "staffing", "out.csv"),  # case: missing needs --year
        (
            "missing",
            "staffing",
            "out.csv",
            "--year",
            "2024-2025",
            "--term",
            "秋季",
        ),  # case: staffing has no 学期
        (
            "missing",
            "institutions",
            "out.csv",
            "--year",
            "2024-2025",
        ),  # case: missing is for staffing / screening
        ("import", "teachers", "x.xlsx", "--json"),  # case: FORM not one of the four
    ],
)
def test_bad_usage_exits_2_with_a_message(world: World, args: tuple[str, ...]) -> None:
    completed = run_here(world.db_url, Call(args))

    assert completed.returncode == 2
    assert completed.stderr.strip()


def test_nothing_of_a_rejected_refused_or_dry_run_file_is_stored(world: World) -> None:
    years = {year for _code, year in world.rows_by("staffing", "学校标识码", "学年")}
    screening_years = {year for (year,) in world.rows_by("screening", "学年")}
    projects = {project_id for (project_id,) in world.rows_by("projects", "项目编号")}
    codes = {code for (code,) in world.rows_by("institutions", "学校标识码")}

    assert years == {"2024-2025", "2021-2022", "2020-2021", "2019-2020", "2018-2019"}
    assert screening_years == {"2024-2025", "2023-2024"}
    assert projects == {"P-1", "P-2", "P-3", "P-4", "P-5", "P-6", "P-7", "X-1", "X-2"}
    assert codes == {str(row[0]).removesuffix(".0") for row in INSTITUTION_ROWS}


def test_warnings_are_stored_with_the_upload_and_blocked_files_leave_no_upload(world: World) -> None:
    engine = make_engine(world.db_url)
    with engine.connect() as connection:
        uploads = dict(connection.execute(select(Upload.file_name, Upload.warnings)).all())
    engine.dispose()
    stored = {
        name: {(issue["row"], issue["column"], issue["code"]) for issue in uploads[file_name]}
        for name, file_name in (
            ("staffing_main", "队伍配备_2024-2025.xlsx"),
            ("projects_xlsx", "项目进度.xlsx"),
        )
    }

    assert stored == {name: world.issues(name, "warnings") for name in stored}
    assert not {
        "队伍配备_错误.xlsx",
        "心理筛查_错误.xlsx",
        "项目进度_错误.xlsx",
        "试算.xlsx",
        "加密.xlsx",
    } & set(uploads)


def test_hidden_and_instruction_sheets_are_not_read(world: World) -> None:
    staffing = world.rows_by("staffing", "学校标识码", "学年")

    assert ("4131010009", "2021-2022") not in staffing
    assert {code for code, year in staffing if year == "2021-2022"} == {"4141010001", "4141010002"}


# --- what each import reported ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "row", "column", "code"),
    [
        ("institutions_import", 3, "所在省份", "province_full_name"),  # case: 河南 → 河南省
        ("institutions_import", 4, "办学层次", "synonym"),  # case: 专科 → 高职（专科）
        ("institutions_import", 6, "办学层次", "synonym"),  # case: 高职高专
        ("institutions_import", 7, "办学层次", "synonym"),  # case: 高职(专科) half-width brackets
        ("institutions_import", 9, "所在省份", "province_full_name"),  # case: 西藏 → 西藏自治区
        ("staffing_main", 1, "全日制本专科生数", "header_matched"),  # case: alias 全日制本专科在校生数
        ("staffing_main", 1, "全日制研究生数", "header_matched"),  # case: alias 研究生数
        ("staffing_main", 1, "专职辅导员数", "header_matched"),  # case: alias 专职辅导员(人)
        ("staffing_main", 1, "专职思政课教师数", "header_matched"),  # case: alias 思政课专职教师数
        (
            "staffing_main",
            1,
            "专职心理健康教育教师数",
            "header_matched",
        ),  # case: alias 心理健康教育专职教师数
        ("staffing_main", 2, "学年", "year_format"),  # case: 2024-2025学年
        ("staffing_main", 3, "学年", "year_format"),  # case: em dash
        ("staffing_main", 4, "学年", "year_format"),  # case: en dash
        ("staffing_main", 5, "学年", "year_format"),  # case: slash
        ("staffing_main", 7, "学年", "year_format"),  # case: 至…学年
        ("staffing_main", 8, "学年", "year_format"),  # case: full-width tilde
        ("staffing_main", 4, "全日制本专科生数", "number_cleaned"),  # case: thousands separator
        ("staffing_main", 4, "全日制研究生数", "text_number"),  # case: number stored as text with spaces
        ("staffing_main", 4, "专职辅导员数", "number_cleaned"),  # case: full-width digit
        ("staffing_main", 10, None, "total_row_skipped"),  # case: 合计
        ("staffing_main", None, None, "empty_rows_skipped"),  # case: empty row 6 between data
        (
            "staffing_tolerant",
            None,
            None,
            "sheet_chosen",
        ),  # case: sheet found by its header; hidden one named
        (
            "staffing_tolerant",
            3,
            "学校标识码",
            "header_matched",
        ),  # case: line break, merged over both header rows
        ("staffing_tolerant", 3, "学校名称", "header_matched"),  # case: spaces, merged over both header rows
        ("staffing_tolerant", 4, "兼职辅导员数", "header_matched"),  # case: unit （人） on a new line
        ("staffing_tolerant", 4, "专职心理健康教育教师数", "header_matched"),  # case: （单位：人）
        ("staffing_tolerant", 7, "全日制本专科生数", "number_cleaned"),  # case: spaces inside a number
        ("staffing_tolerant", 8, None, "total_row_skipped"),  # case: 总计 row with a formula
        ("staffing_tolerant", 9, None, "total_row_skipped"),  # case: 填表人 footer line
        ("staffing_xls", 1, "全日制本专科生数", "header_matched"),  # case: alias 本专科生数
        ("staffing_xls", 1, "专职辅导员数", "header_matched"),  # case: alias 专职辅导员人数
        ("staffing_xls", 3, "学年", "year_format"),  # case: 2020/2021学年
        ("staffing_xls", 4, None, "total_row_skipped"),  # case: 小计
        ("staffing_gbk", 2, "全日制本专科生数", "number_cleaned"),  # case: "1,200" in a GBK CSV
        ("staffing_gbk", 2, "专职辅导员数", "number_cleaned"),  # case: full-width ６
        ("screening_template", 2, "学期", "synonym"),  # case: 第一学期 → 秋季学期
        ("screening_template", 3, "学期", "synonym"),  # case: 上学期
        ("screening_template", 4, "学期", "synonym"),  # case: 秋季
        ("screening_template", 5, "学期", "synonym"),  # case: 第二学期 → 春季学期
        ("screening_template", 6, "学期", "synonym"),  # case: 下学期
        ("screening_template", 7, "学期", "synonym"),  # case: 春季
        ("screening_csv", 1, "实测人数", "header_matched"),  # case: alias 参测人数
        ("screening_csv", 1, "高风险人数", "header_matched"),  # case: alias 一级预警人数
        ("screening_csv", 1, "中风险人数", "header_matched"),  # case: alias 二级关注人数
        ("screening_csv", 1, "一般关注人数", "header_matched"),  # case: alias 三级预警人数
        ("screening_bad", 1, "高风险人数", "header_matched"),  # case: alias 一级关注人数
        ("screening_bad", 1, "中风险人数", "header_matched"),  # case: alias 二级预警人数
        ("screening_bad", 1, "一般关注人数", "header_matched"),  # case: alias 三级关注人数
        ("projects_xlsx", 3, "项目类别", "quote_style"),  # case: straight double quotes
        ("projects_xlsx", 4, "项目类别", "quote_style"),  # case: 「」 corner brackets
        ("projects_xlsx", 5, "项目类别", "quote_style"),  # case: no quotes
        ("projects_xlsx", 2, "最近更新日期", "date_text"),  # case: 2025/6/1
        ("projects_xlsx", 4, "立项日期", "date_text"),  # case: 2024.03.01
        ("projects_xlsx", 5, "立项日期", "date_text"),  # case: 2024年3月1日
        ("projects_xlsx", 3, "完成进度", "percent_format"),  # case: 85%
        ("projects_xlsx", 7, "完成进度", "percent_format"),  # case: full-width １００
    ],
)
def test_each_normalisation_is_reported_where_it_was_applied(
    world: World, name: str, row: int | None, column: str | None, code: str
) -> None:
    assert (row, column, code) in world.issues(name, "normalizations")


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("staffing_main", "warnings", {(3, "学校名称", "name_mismatch")}),  # case: 乙学院（北京）
        (  # case: 已约谈评估 > 高+中+一般 is a warning
            "screening_template",
            "warnings",
            {
                (5, "已约谈评估人数", "interviewed_exceeds_flagged"),
                (6, "已约谈评估人数", "interviewed_exceeds_flagged"),
            },
        ),
        (  # case: 承担单位 mismatch, and 已验收通过 below 100 %
            "projects_xlsx",
            "warnings",
            {(5, "承担单位", "name_mismatch"), (5, "完成进度", "accepted_not_complete")},
        ),
        (  # case: one staffing problem per row
            "staffing_bad",
            "errors",
            {
                (2, "专职辅导员数", "staff_exceeds_students"),
                (3, "兼职辅导员数", "staff_exceeds_students"),
                (4, "专职思政课教师数", "staff_exceeds_students"),
                (5, "专职心理健康教育教师数", "staff_exceeds_students"),
                (7, "学校标识码", "duplicate_key"),
                (8, "学校标识码", "unknown_institution"),
                (9, "学年", "year_not_consecutive"),
                (10, "全日制本专科生数", "not_whole"),
                (11, "全日制本专科生数", "negative"),
                (12, "全日制研究生数", "required"),
                (13, "学校标识码", "bad_code"),
                (14, "学年", "bad_year"),
            },
        ),
        ("staffing_bad", "warnings", set()),  # case: an unknown code gets no name warning
        (  # case: one screening problem per row
            "screening_bad",
            "errors",
            {
                (2, "实测人数", "screened_exceeds_target"),
                (3, "高风险人数", "flagged_exceeds_screened"),
                (4, "转介就医人数", "referred_exceeds_flagged"),
                (5, "学校标识码", "duplicate_key"),
                (6, "学期", "not_a_choice"),
                (7, "筛查类型", "not_a_choice"),
            },
        ),
        ("screening_bad", "warnings", {(8, "学校名称", "name_mismatch")}),  # case: mismatch still warned
        (  # case: one project problem per row
            "projects_bad",
            "errors",
            {
                (2, "计划完成日期", "due_before_start"),
                (3, "项目编号", "duplicate_key"),
                (4, "项目类别", "not_a_choice"),
                (5, "当前阶段", "not_a_choice"),
                (6, "完成进度", "percent_out_of_range"),
                (7, "立项日期", "bad_date"),
                (8, "承担单位标识码", "unknown_institution"),
                (9, "完成进度", "not_a_number"),
                (11, "立项日期", "required"),
            },
        ),
        (  # case: one 高校名录 problem per row
            "institutions_bad",
            "errors",
            {
                (2, "所在省份", "bad_province"),
                (3, "办学层次", "not_a_choice"),
                (4, "办学性质", "not_a_choice"),
                (5, "学校名称", "required"),
                (6, "学校标识码", "duplicate_key"),
            },
        ),
    ],
)
def test_errors_and_warnings_name_the_excel_row_and_canonical_column(
    world: World, name: str, kind: str, expected: set[tuple[Any, Any, str]]
) -> None:
    assert world.issues(name, kind) == expected


def test_reupload_updates_the_registry_and_keeps_the_old_values(world: World) -> None:
    engine = make_engine(world.db_url)
    with engine.connect() as connection:
        history = connection.execute(
            select(RecordHistory.values).where(
                RecordHistory.form == "institutions", RecordHistory.record_key == "4150010010"
            )
        ).all()
    engine.dispose()

    assert world.rows_by("institutions", "学校标识码")[("4150010010",)]["学校名称"] == "癸大学"
    assert [values["name"] for (values,) in history] == ["癸学院"]


# --- exports: files, headers, stored values ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("institutions", EXPORT_HEADERS["institutions"]),  # case: 高校名录, no derived columns
        ("staffing", EXPORT_HEADERS["staffing"]),  # case: staffing with its derived columns
        ("screening", EXPORT_HEADERS["screening"]),  # case: screening with rates
        ("screening_masked", EXPORT_HEADERS["screening"]),  # case: masking keeps the columns
        ("projects", EXPORT_HEADERS["projects"]),  # case: projects with 是否逾期 / 逾期天数
        ("missing_staffing", MISSING_HEADERS),  # case: 未报送名单
        ("missing_autumn", MISSING_HEADERS),  # case: 未报送名单 of a 学期
    ],
)
def test_csv_is_utf8_with_bom_under_canonical_headers(world: World, name: str, header: list[str]) -> None:
    content = world.csv_bytes(name)

    assert content.startswith(b"\xef\xbb\xbf")
    assert world.table(name)[0] == header


@pytest.mark.parametrize(
    "name",
    [
        "institutions",
        "staffing",
        "screening",
        "screening_masked",
        "projects",
        "missing_staffing",
    ],  # case: each file
)
def test_whole_numbers_are_written_without_decimals(world: World, name: str) -> None:
    _header, rows = world.table(name)

    assert [value for row in rows for value in row.values() if re.fullmatch(r"-?\d+\.0+", value)] == []


@pytest.mark.parametrize(
    ("name", "key", "column", "value"),
    [
        ("institutions", ("4141010002",), "所在省份", "北京市"),  # case: 北京 → 北京市
        ("institutions", ("4145010003",), "所在省份", "广西壮族自治区"),  # case: 广西
        ("institutions", ("4115010004",), "所在省份", "内蒙古自治区"),  # case: 内蒙古
        ("institutions", ("4164010005",), "所在省份", "宁夏回族自治区"),  # case: 宁夏
        ("institutions", ("4165010006",), "所在省份", "新疆维吾尔自治区"),  # case: 新疆
        ("institutions", ("4154010007",), "所在省份", "西藏自治区"),  # case: 西藏
        ("institutions", ("4141010002",), "办学层次", "高职（专科）"),  # case: 专科
        ("institutions", ("4115010004",), "办学层次", "高职（专科）"),  # case: 高职高专
        ("institutions", ("4164010005",), "办学性质", "中外合作办学"),  # case: third ownership
        ("institutions", ("0041010011",), "学校名称", "零学院"),  # case: leading zeros of a code kept
        ("staffing", ("4141010002", "2024-2025"), "学校名称", "乙学院（北京）"),  # case: name as reported
        ("staffing", ("4145010003", "2024-2025"), "全日制本专科生数", "1000"),  # case: "1,000"
        ("staffing", ("4145010003", "2024-2025"), "专职辅导员数", "5"),  # case: "５"
        ("staffing", ("4145010003", "2024-2025"), "兼职辅导员数", "0"),  # case: blank optional → 0
        ("staffing", ("4145010003", "2024-2025"), "专职思政课教师数", ""),  # case: not reported stays empty
        ("staffing", ("4164010005", "2024-2025"), "专职辅导员数", "2"),  # case: 2.0 is 2
        ("staffing", ("4141010001", "2021-2022"), "全日制本专科生数", "1001"),  # case: formula's cached value
        ("staffing", ("4141010001", "2021-2022"), "兼职辅导员数", "3"),  # case: under a two-row header
        ("staffing", ("4141010002", "2021-2022"), "全日制本专科生数", "2000"),  # case: " 2 000 "
        ("staffing", ("4141010001", "2020-2021"), "全日制本专科生数", "800"),  # case: .xls, number-typed code
        ("staffing", ("4141010002", "2020-2021"), "专职辅导员数", "2"),  # case: .xls
        ("staffing", ("0041010011", "2019-2020"), "全日制本专科生数", "1200"),  # case: GBK CSV
        ("staffing", ("4145010003", "2019-2020"), "全日制本专科生数", "12"),  # case: "12.0" in a CSV
        ("staffing", ("4115010004", "2018-2019"), "专职辅导员数", "1"),  # case: UTF-8 CSV with BOM
        ("screening", ("4141010002", "秋季学期", "新生普查"), "危机干预人数", "0"),  # case: blank → 0
        ("screening", ("4145010003", "春季学期", "新生普查"), "一般关注人数", "0"),  # case: blank → 0
        ("screening", ("4154010007", "春季学期", "全体学生普查"), "实测人数", "90"),  # case: 参测人数
        ("screening", ("4154010007", "春季学期", "全体学生普查"), "高风险人数", "2"),  # case: 一级预警人数
        ("screening", ("4154010007", "春季学期", "全体学生普查"), "中风险人数", "3"),  # case: 二级关注人数
        ("screening", ("4154010007", "春季学期", "全体学生普查"), "一般关注人数", "5"),  # case: 三级预警人数
        ("projects", ("P-1",), "项目类别", "“双带头人”教师党支部书记工作室"),  # case: curly quotes
        ("projects", ("P-2",), "项目类别", "“三全育人”综合改革"),  # case: straight quotes
        ("projects", ("P-3",), "项目类别", "“一站式”学生社区"),  # case: 「」
        ("projects", ("P-4",), "项目类别", "“一站式”学生社区"),  # case: no quotes
        ("projects", ("P-1",), "立项日期", "2024-03-01"),  # case: real Excel date
        ("projects", ("P-2",), "计划完成日期", "2024-03-01"),  # case: 2024/3/1
        ("projects", ("P-3",), "立项日期", "2024-03-01"),  # case: 2024.03.01
        ("projects", ("P-4",), "计划完成日期", "2025-06-01"),  # case: 2025年6月1日
        ("projects", ("P-1",), "最近更新日期", "2025-06-01"),  # case: optional date
        ("projects", ("P-2",), "最近更新日期", ""),  # case: optional date left blank
        ("projects", ("P-1",), "完成进度", "85"),  # case: 85
        ("projects", ("P-2",), "完成进度", "85"),  # case: "85%"
        ("projects", ("P-3",), "完成进度", "85"),  # case: 0.85 in a percent-formatted cell
        ("projects", ("P-4",), "完成进度", "62.5"),  # case: a fraction keeps its decimals
        ("projects", ("P-6",), "完成进度", "100"),  # case: full-width digits
        ("projects", ("X-1",), "完成进度", "85"),  # case: 0.85 in a percent-formatted .xls cell
        ("projects", ("X-2",), "完成进度", "62.5"),  # case: 0.625 formatted 0.0% in .xls
        ("projects", ("X-1",), "计划完成日期", "2025-06-01"),  # case: real .xls date
        ("projects", ("P-4",), "承担单位", "乙学院X"),  # case: 承担单位 as reported
        ("projects", ("P-3",), "所在省份", "北京市"),  # case: province from 高校名录
    ],
)
def test_exported_values_are_the_values_stored_after_normalisation(
    world: World, name: str, key: tuple[str, ...], column: str, value: str
) -> None:
    key_columns = {
        "institutions": ("学校标识码",),
        "staffing": ("学校标识码", "学年"),
        "screening": ("学校标识码", "学期", "筛查类型"),
        "projects": ("项目编号",),
    }[name]

    assert world.rows_by(name, *key_columns)[key][column] == value


@pytest.mark.parametrize(
    ("name", "key_columns", "keys"),
    [
        (
            "staffing_guangxi",
            ("学校标识码", "学年"),
            {("4145010003", "2024-2025")},
        ),  # case: 学年 variant, short province
        ("screening_masked", ("学年",), {("2024-2025",)}),  # case: --year leaves out 2023-2024
        ("projects_beijing", ("项目编号",), {("P-3",), ("P-4",), ("X-1",), ("X-2",)}),  # case: --year ignored
        (  # case: no 2024-2025 staffing row
            "missing_staffing",
            ("学校标识码",),
            {("0041010011",), ("4131010009",), ("4150010010",)},
        ),
        (  # case: no 秋季学期 row (秋季 / 第一学期 / 上学期 all count)
            "missing_autumn",
            ("学校标识码",),
            {(code,) for code in ("4145010003", "4115010004", "4164010005", "4154010007")}
            | {("0041010011",), ("4131010009",), ("4150010010",)},
        ),
        ("missing_spring_xinjiang", ("学校标识码",), {("4165010006",)}),  # case: 第二学期, 新疆
    ],
)
def test_filters_and_missing_lists_select_by_year_term_and_province(
    world: World, name: str, key_columns: tuple[str, ...], keys: set[tuple[str, ...]]
) -> None:
    assert set(world.rows_by(name, *key_columns)) == keys


# --- staffing: derived values -----------------------------------------------------------------


def _derived(row: Mapping[str, str], post: str) -> tuple[str, str, str, str]:
    return tuple(row[f"{post}{what}"] for what in ("师生比", "应配数", "缺口", "达标情况"))  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("code", "year", "students", "counselors", "ideo", "psy"),
    [
        (  # case: 801/4 = 200.25 → 1:200.3 (half up); ceil(801/200) = 5; psychology at least 2
            "4141010001",
            "2024-2025",
            "801",
            ("1:200.3", "5", "1", "未达标"),
            ("1:267.0", "3", "0", "达标"),
            ("1:801.0", "2", "1", "未达标"),
        ),
        (  # case: 0 students: 不适用, ratio empty, 0 required and gap; unreported staff: all empty
            "4141010002",
            "2024-2025",
            "0",
            ("", "0", "0", "不适用"),
            ("", "", "", ""),
            ("", "", "", ""),
        ),
        (  # case: 0 psychology teachers reported: no ratio, 2 required; 思政课 not reported: empty
            "4145010003",
            "2024-2025",
            "1000",
            ("1:200.0", "5", "0", "达标"),
            ("", "", "", ""),
            ("", "2", "2", "未达标"),
        ),
        (  # case: 3500 students: 194.44 → 194.4, exactly 1:350, psychology minimum 2 met
            "4115010004",
            "2024-2025",
            "3500",
            ("1:194.4", "18", "0", "达标"),
            ("1:350.0", "10", "0", "达标"),
            ("1:1750.0", "2", "0", "达标"),
        ),
        (  # case: 400/350 needs 2 思政课 teachers
            "4164010005",
            "2024-2025",
            "400",
            ("1:200.0", "2", "0", "达标"),
            ("1:400.0", "2", "1", "未达标"),
            ("1:200.0", "2", "0", "达标"),
        ),
        (  # case: ceil(8001/200) = 41, ceil(8001/350) = 23, ceil(8001/4000) = 3
            "4165010006",
            "2024-2025",
            "8001",
            ("1:195.1", "41", "0", "达标"),
            ("1:347.9", "23", "0", "达标"),
            ("1:2667.0", "3", "0", "达标"),
        ),
        (  # case: 5 students and no staff at all
            "4154010007",
            "2024-2025",
            "5",
            ("", "1", "1", "未达标"),
            ("", "1", "1", "未达标"),
            ("", "2", "2", "未达标"),
        ),
        (  # case: formula 1001 + 1000 postgraduates over 10 counselors; part-time not counted
            "4141010001",
            "2021-2022",
            "2001",
            ("1:200.1", "11", "1", "未达标"),
            ("", "", "", ""),
            ("", "", "", ""),
        ),
    ],
)
def test_staffing_derived_columns_follow_the_standards(
    world: World,
    code: str,
    year: str,
    students: str,
    counselors: tuple[str, ...],
    ideo: tuple[str, ...],
    psy: tuple[str, ...],
) -> None:
    row = world.rows_by("staffing", "学校标识码", "学年")[(code, year)]

    assert row["学生总数"] == students
    assert (_derived(row, "辅导员"), _derived(row, "思政课教师"), _derived(row, "心理健康教育教师")) == (
        counselors,
        ideo,
        psy,
    )


@pytest.fixture
def factor_world(engine: Engine, db_url: str) -> str:
    """A database whose province counts a part-time counselor as one third (教育部令第43号)."""
    schools = [make_institution(code=f"414101000{n}", name=f"校{n}") for n in (1, 2, 3)]
    store_rows(engine, "institutions", schools)
    rows = [
        make_staffing_row(
            code="4141010001", name="校1", undergrad=1000, postgrad=0, counselors_ft=4, counselors_pt=3
        ),
        make_staffing_row(
            code="4141010002", name="校2", undergrad=1000, postgrad=0, counselors_ft=4, counselors_pt=2
        ),
        make_staffing_row(
            code="4141010003", name="校3", undergrad=1000, postgrad=0, counselors_ft=5, counselors_pt=0
        ),
    ]
    store_rows(engine, "staffing", rows)
    standards = make_standards(
        counselor_threshold=200, ideo_threshold=350, psy_threshold=4000, psy_minimum=2, part_time_factor="1/3"
    )
    save_standards(engine, standards)
    return db_url


def test_part_time_counselors_count_with_the_configured_factor(factor_world: str, tmp_path: Path) -> None:
    out = tmp_path / "staffing.csv"
    completed = run_cli(factor_world, "export", "staffing", str(out))
    reader = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))
    counselors = {row["学校标识码"]: _derived(row, "辅导员") for row in reader}

    assert completed.returncode == 0, completed.stderr
    assert counselors == {
        "4141010001": ("1:200.0", "5", "0", "达标"),  # 4 + 3/3 = 5 counted
        "4141010002": ("1:214.3", "5", "1", "未达标"),  # 4 + 2/3 counted: gap ceil(1/3) = 1
        "4141010003": ("1:200.0", "5", "0", "达标"),  # no part-time counselors
    }


# --- screening: rates and masking -----------------------------------------------------------------

RATE_COLUMNS = ("筛查覆盖率", "预警人数合计", "预警率", "高风险率", "约谈评估率")
MASKED_COLUMNS = ("应测人数", "实测人数", "高风险人数", "中风险人数", "一般关注人数")
MASKED_COLUMNS += ("已约谈评估人数", "转介就医人数", "危机干预人数")


@pytest.mark.parametrize(
    ("key", "rates"),
    [
        (("4141010001", "秋季学期", "新生普查"), ("96.5%", "33", "3.4%", "0.3%", "90.9%")),  # case: 965/1000
        (("4141010001", "秋季学期", "全体学生普查"), ("", "0", "", "", "")),  # case: every denominator 0
        (("4141010002", "秋季学期", "新生普查"), ("100.0%", "0", "0.0%", "0.0%", "")),  # case: nobody flagged
        (
            ("4145010003", "春季学期", "新生普查"),
            ("99.3%", "9", "3.0%", "1.7%", "133.3%"),
        ),  # case: 约谈 > flagged
        (
            ("4165010006", "秋季学期", "新生普查"),
            ("80.0%", "8", "50.0%", "6.3%", "100.0%"),
        ),  # case: 1/16 = 6.25 → 6.3
    ],
)
def test_screening_rates_are_percentages_with_one_decimal_empty_without_denominator(
    world: World, key: tuple[str, ...], rates: tuple[str, ...]
) -> None:
    row = world.rows_by("screening", "学校标识码", "学期", "筛查类型")[key]

    assert tuple(row[column] for column in RATE_COLUMNS) == rates


@pytest.mark.parametrize(
    ("key", "counts", "rates"),
    [
        (  # case: 3 high and 2 referred and 1 crisis masked; 高风险率 loses its numerator; the smaller
            # other risk level (中风险 10) is suppressed as '*' (complementary suppression)
            ("4141010001", "秋季学期", "新生普查"),
            ("1000", "965", "<5", "*", "20", "30", "<5", "<5"),
            ("96.5%", "33", "3.4%", "", "90.9%"),
        ),
        (  # case: 4 is masked; 高风险 5, the only other level above 0, is suppressed as '*' and its rate emptied
            ("4145010003", "春季学期", "新生普查"),
            ("300", "298", "*", "<5", "0", "12", "<5", "0"),
            ("99.3%", "9", "3.0%", "", "133.3%"),
        ),
        (  # case: everything small: 预警人数合计 3 masked with every rate built on it
            ("4115010004", "春季学期", "重点人群复查"),
            ("50", "50", "<5", "<5", "<5", "<5", "0", "0"),
            ("100.0%", "<5", "", "", ""),
        ),
        (  # case: 应测 / 实测 of 3 are never masked
            ("4164010005", "春季学期", "其他"),
            ("3", "3", "0", "0", "0", "0", "0", "0"),
            ("100.0%", "0", "0.0%", "0.0%", ""),
        ),
    ],
)
def test_mask_small_writes_small_counts_as_lt5_and_empties_rates_built_on_them(
    world: World, key: tuple[str, ...], counts: tuple[str, ...], rates: tuple[str, ...]
) -> None:
    row = world.rows_by("screening_masked", "学校标识码", "学期", "筛查类型")[key]
    unmasked = world.rows_by("screening", "学校标识码", "学期", "筛查类型")[key]

    assert tuple(row[column] for column in MASKED_COLUMNS) == counts
    assert tuple(row[column] for column in RATE_COLUMNS) == rates
    assert "<5" not in unmasked.values()  # masking is off unless asked for


def test_a_rate_without_denominator_is_a_dash_on_screen(world: World) -> None:
    from core.views.screening import screening_page

    engine = make_engine(world.db_url)
    rows = screening_page(engine, Scope(year="2024-2025")).tables["rows"]
    engine.dispose()
    empty = rows[(rows["学校标识码"] == "4141010001") & (rows["筛查类型"] == "全体学生普查")].iloc[0]

    assert [empty[column] for column in ("筛查覆盖率", "预警率", "高风险率", "约谈评估率")] == ["—"] * 4


# --- projects: overdue ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("project_id", "overdue", "days"),
    [
        ("P-1", "否", "0"),  # case: due today is not overdue
        ("P-2", "是", "486"),  # case: due 2024-03-01, open
        ("P-3", "是", "1"),  # case: due yesterday
        ("P-4", "否", "0"),  # case: 已验收通过 is never overdue
        ("P-5", "否", "0"),  # case: 终止 is never overdue
        ("P-6", "否", "0"),  # case: due today, 验收
        ("P-7", "否", "0"),  # case: due tomorrow
        ("X-1", "是", "29"),  # case: .xls project due 2025-06-01
    ],
)
def test_overdue_is_counted_from_app_today(world: World, project_id: str, overdue: str, days: str) -> None:
    row = world.rows_by("projects", "项目编号")[(project_id,)]

    assert (row["是否逾期"], row["逾期天数"]) == (overdue, days)


# --- the page's full-table CSV is the CLI's export ----------------------------------------------


@pytest.mark.parametrize(
    ("page_path", "provinces", "export"),
    [
        (
            "pages/staffing.py",
            ["广西壮族自治区"],
            "staffing_guangxi",
        ),  # case: 辅导员配备 全表 (广西, 2024-2025)
        ("pages/screening.py", None, "screening_masked"),  # case: 明细 (masked by default on the page)
        ("pages/projects.py", None, "projects"),  # case: 项目进度 table
    ],
)
def test_a_download_button_of_the_page_gives_the_cli_export(
    world: World, monkeypatch: pytest.MonkeyPatch, page_path: str, provinces: list[str] | None, export: str
) -> None:
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.testing.v1 import AppTest

    from tests.apptest import APP_PATH, sign_in

    files: dict[str, Callable[[], bytes]] = {}
    register = MediaFileManager.add_deferred

    def record(self: MediaFileManager, data: Callable[[], bytes], *args: Any, **kwargs: Any) -> str:
        files[kwargs["file_name"]] = data  # the download button's file, made when clicked
        return register(self, data, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    monkeypatch.setenv("DATABASE_URL", world.db_url)
    monkeypatch.setenv("APP_TODAY", TODAY)
    app = AppTest.from_file(str(APP_PATH), default_timeout=60)
    sign_in(app)
    if provinces:
        app.session_state["filter_provinces"] = provinces
    app.run()
    files.clear()  # the start page's buttons

    app.switch_page(page_path).run()

    assert not app.exception
    assert world.csv_bytes(export) in [build() for build in files.values()]


# --- PostgreSQL --------------------------------------------------------------------------------


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema in the test database, as the CLI's default schema (dropped afterwards)."""
    schema = f"conf_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as problem:  # noqa: BLE001
        admin.dispose()
        pytest.skip(f"PostgreSQL 不可用：{problem}")
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_postgresql_gives_the_same_export_as_sqlite(world: World, postgres_url: str, tmp_path: Path) -> None:
    out = tmp_path / "staffing.csv"
    steps = [
        ("init-db",),
        ("import", "institutions", str(world.path("高校名录.xlsx")), "--json"),
        ("import", "staffing", str(world.path("队伍配备_2024-2025.xlsx")), "--json"),
        ("export", "staffing", str(out), *EXPORTS["staffing_guangxi"][2:]),
    ]

    codes = [run_cli(postgres_url, *step).returncode for step in steps]

    assert codes == [0, 0, 0, 0]
    assert out.read_bytes() == world.csv_bytes("staffing_guangxi")

"""Tolerant reading: messy workbooks as offices send them are accepted, and say what was normalised.

The workbook builders at the top are shared by the other intake tests.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from typing import Any

import pytest
import xlwt
from openpyxl import Workbook
from sqlalchemy import Engine, select

from core.forms import get_form
from core.ingest import ImportReport, import_bytes
from core.ingest.codes import Reason
from core.models import FORM_MODELS
from core.templates import template_workbook
from tests.factories import (
    make_institution,
    make_project_row,
    make_screening_row,
    make_staffing_row,
    store_rows,
)

# --- builders shared by the intake tests ---------------------------------------------------

SECOND_SCHOOL = make_institution(code="4141010002", name="示例第二大学", province="河南省")


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def in_form_order(form_name: str, values: Mapping[str, Any]) -> list[Any]:
    """A row dict (as the factories make) as a list of cells in the template's column order."""
    return [values.get(key) for key in get_form(form_name).keys]


def filled_template(form_name: str, rows: Iterable[Mapping[str, Any]]) -> bytes:
    """The form's own template with ``rows`` (dicts by field key) appended below the header."""
    workbook = template_workbook(form_name)
    for row in rows:
        workbook.active.append(in_form_order(form_name, row))
    return workbook_bytes(workbook)


def with_cached_formula_values(data: bytes, values: Mapping[str, Any]) -> bytes:
    """Give formula cells a cached value, as Excel does when it saves (openpyxl leaves it empty).

    ``values`` maps a formula text (without '=') to the value Excel would have cached.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                for formula, value in values.items():
                    # openpyxl writes the empty value as <v /> (ElementTree) or <v></v> (with lxml installed)
                    for empty in ("<v />", "<v></v>"):
                        content = content.replace(
                            f"<f>{formula}</f>{empty}".encode(), f"<f>{formula}</f><v>{value}</v>".encode()
                        )
            target.writestr(item, content)
    return buffer.getvalue()


def xls_bytes(sheets: Mapping[str, list[list[Any]]], hidden: Iterable[str] = ()) -> bytes:
    """An .xls (BIFF8) workbook written by xlwt."""
    workbook = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        sheet = workbook.add_sheet(name)
        sheet.visibility = 1 if name in hidden else 0
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_schools(engine: Engine, *schools: Mapping[str, Any]) -> None:
    """高校名录 holding the factories' first school (and ``schools``)."""
    store_rows(engine, "institutions", [make_institution(), *schools])


def stored(engine: Engine, form_name: str) -> list[dict[str, Any]]:
    """The stored rows of a form, by field key, in key order."""
    table = FORM_MODELS[form_name].__table__
    form = get_form(form_name)
    with engine.connect() as connection:
        rows = connection.execute(select(table).order_by(*[table.c[key] for key in form.key])).mappings()
        return [{key: row[key] for key in form.keys} for row in rows]


def located(report: ImportReport, kind: str = "errors") -> list[tuple[int | None, str | None, str]]:
    """(row, column, code) of every issue of one kind."""
    return [(issue.row, issue.column, issue.code) for issue in getattr(report, kind)]


# --- the messy staffing workbook -----------------------------------------------------------


def messy_staffing_workbook() -> Workbook:
    """Instruction sheet first, a hidden sheet, a merged title, a 填报单位 line, a two-row header with
    merged group cells, header variants and aliases, text numbers, an empty row, a formula, a 合计 row
    and a 填表人 footer."""
    workbook = Workbook()
    notes = workbook.active
    notes.title = "填表说明"
    notes.append(["学校标识码", "10 位"])
    notes.append(["学年", "如 2024-2025"])
    hidden = workbook.create_sheet("旧数据")
    hidden.append(["学校标识码", "学年", "全日制本专科生数", "全日制研究生数", "专职辅导员数"])
    hidden.append(["bad", "bad", "bad", "bad", "bad"])
    hidden.sheet_state = "hidden"
    sheet = workbook.create_sheet("Sheet3")
    sheet.append(["2024-2025学年高校思政队伍配备情况统计表"])
    sheet.merge_cells("A1:J1")
    sheet.append(
        ["填报单位：河南省教育厅", None, None, None, None, None, None, None, "填报日期：2025年3月1日"]
    )
    sheet.append(["序号", "学校标识码", "学校名称", "学  年", "学生数（人）", None, "思政队伍（人）"])
    sheet.append(
        [
            None,
            None,
            None,
            None,
            "全日制本专科\n在校生数",
            "研究生数",
            "专职辅导员（人）",
            " 兼职辅导员数 ",
            "思政课专职教师数",
            "心理健康教育专职教师数",
        ]
    )
    for cells in ("A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:F3", "G3:J3"):
        sheet.merge_cells(cells)
    sheet.append([1, "4141010001", "示例第一大学", "2024-2025学年", "18,000", 2000, 100, 10, 60, 6])
    sheet.append([])
    sheet.append(
        [2, 4141010002, "示例第二大学", "2024—2025", "１２０００", " 1 500 ", "=E7/200", None, "45", 3]
    )
    sheet.append(["合计", None, None, None, 30000, 3500, 160, 10, 105, 9])
    sheet.append([None, "填表人：张三", "联系电话：0371-12345678"])
    return workbook


def messy_staffing_bytes() -> bytes:
    return with_cached_formula_values(workbook_bytes(messy_staffing_workbook()), {"E7/200": 60})


def test_messy_staffing_workbook_is_accepted_with_the_intended_values(engine: Engine) -> None:
    with_schools(engine, SECOND_SCHOOL)

    report = import_bytes(engine, "staffing", messy_staffing_bytes(), "河南省思政队伍.xlsx")

    assert report.accepted, report.to_text()
    assert (report.rows, report.inserted) == (2, 2)
    assert report.parsed.sheet == "Sheet3"
    assert report.parsed.header_row == 4
    assert report.parsed.row_numbers == [5, 7]
    assert stored(engine, "staffing") == [
        make_staffing_row(),
        make_staffing_row(
            code="4141010002",
            name="示例第二大学",
            undergrad=12000,
            postgrad=1500,
            counselors_ft=60,
            counselors_pt=0,
            ideo_teachers=45,
            psy_teachers=3,
        ),
    ]


def test_messy_staffing_workbook_reports_every_normalisation(engine: Engine) -> None:
    with_schools(engine, SECOND_SCHOOL)

    report = import_bytes(engine, "staffing", messy_staffing_bytes(), "河南省思政队伍.xlsx")

    notes = set(located(report, "normalizations"))
    assert {
        (None, None, Reason.SHEET_CHOSEN),
        (4, "全日制本专科生数", Reason.HEADER_MATCHED),
        (4, "全日制研究生数", Reason.HEADER_MATCHED),
        (4, "专职辅导员数", Reason.HEADER_MATCHED),
        (4, "专职思政课教师数", Reason.HEADER_MATCHED),
        (4, "专职心理健康教育教师数", Reason.HEADER_MATCHED),
        (5, "学年", Reason.YEAR_FORMAT),
        (5, "全日制本专科生数", Reason.NUMBER_CLEANED),
        (7, "学年", Reason.YEAR_FORMAT),
        (7, "全日制本专科生数", Reason.NUMBER_CLEANED),
        (7, "全日制研究生数", Reason.NUMBER_CLEANED),
        (7, "专职思政课教师数", Reason.TEXT_NUMBER),
        (8, None, Reason.TOTAL_ROW),
        (9, None, Reason.TOTAL_ROW),
        (None, None, Reason.EMPTY_ROWS),
    } <= notes
    messages = {issue.message for issue in report.normalizations}
    assert "E5：文本“18,000”按数字 18000 读取" in messages
    assert "第 8 行为合计行，已跳过，未导入" in messages
    assert report.errors == []


def test_form_is_recognised_from_the_headers_when_not_given(engine: Engine) -> None:
    with_schools(engine, SECOND_SCHOOL)

    report = import_bytes(engine, None, messy_staffing_bytes(), "不知道是哪张表.xlsx")

    assert report.accepted, report.to_text()
    assert (report.form, report.parsed.form_detected, report.inserted) == ("staffing", True, 2)
    assert Reason.FORM_DETECTED in {issue.code for issue in report.normalizations}


@pytest.mark.parametrize(
    ("form_name", "row"),
    [
        ("institutions", make_institution()),  # case: 高校名录
        ("staffing", make_staffing_row()),  # case: 队伍配备
        ("screening", make_screening_row()),  # case: 心理筛查
        ("projects", make_project_row()),  # case: 项目进度
    ],
)
def test_each_form_is_recognised_from_its_template_headers(engine: Engine, form_name: str, row: dict) -> None:
    with_schools(engine)

    report = import_bytes(engine, None, filled_template(form_name, [row]), "file.xlsx", dry_run=True)

    assert report.form == form_name
    assert report.parsed.form_detected


def test_screening_aliases_and_term_synonyms(engine: Engine) -> None:
    with_schools(engine)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "心理筛查"
    headers = [
        "学校标识码",
        "学年",
        "学期",
        "筛查类型",
        "应测人数",
        "参测人数",
        "一级预警人数",
        "二级关注人数",
    ]
    sheet.append(headers + ["三级预警人数", "已约谈评估人数", "转介就医人数"])
    sheet.append(["4141010001", "2024/2025", "第一学期", "新生普查", 5000, 4900, 20, 80, 200, 290, 12])
    sheet.append(["4141010001", "2024至2025学年", "下学期", "全体学生普查", 5000, 4900, 20, 80, None, 90, 12])

    report = import_bytes(engine, "screening", workbook_bytes(workbook), "筛查.xlsx")

    assert report.accepted, report.to_text()
    rows = stored(engine, "screening")
    assert [(row["term"], row["kind"], row["screened"], row["high"], row["watch"]) for row in rows] == [
        ("春季学期", "全体学生普查", 4900, 20, 0),
        ("秋季学期", "新生普查", 4900, 20, 200),
    ]


def test_project_percent_date_and_quote_variants(engine: Engine) -> None:
    with_schools(engine)
    workbook = template_workbook("projects")
    sheet = workbook.active
    variants = [
        ("XM-1", "“双带头人”教师党支部书记工作室", dt.date(2024, 3, 1), 85),
        ("XM-2", '"双带头人"教师党支部书记工作室', "2024/3/1", "85%"),
        ("XM-3", "「双带头人」教师党支部书记工作室", "2024.03.01", 0.85),
        ("XM-4", "双带头人教师党支部书记工作室", "2024年3月1日", "８５"),
    ]
    for project_id, category, start, progress in variants:
        sheet.append(
            in_form_order(
                "projects",
                make_project_row(project_id=project_id, category=category, start=start, progress=progress),
            )
        )
    sheet["J4"].number_format = "0%"  # XM-3's 0.85 shows as 85%

    report = import_bytes(engine, "projects", workbook_bytes(workbook), "项目.xlsx")

    assert report.accepted, report.to_text()
    assert {(row["category"], row["start"], row["progress"]) for row in stored(engine, "projects")} == {
        ("“双带头人”教师党支部书记工作室", dt.date(2024, 3, 1), 85.0)
    }


def test_xls_workbook_with_hidden_sheet_is_read(engine: Engine) -> None:
    with_schools(engine)
    header = list(get_form("staffing").headers.values())
    data = xls_bytes(
        {
            "隐藏": [header, ["junk"] * len(header)],
            "队伍配备": [header, in_form_order("staffing", make_staffing_row())],
        },
        hidden=["隐藏"],
    )

    report = import_bytes(engine, "staffing", data, "队伍配备.xls")

    assert report.accepted, report.to_text()
    assert stored(engine, "staffing") == [make_staffing_row()]


@pytest.mark.parametrize(
    ("encoding", "file_name"),
    [
        ("gbk", "队伍配备.csv"),  # case: WPS/Excel on Chinese Windows
        ("gb18030", "队伍配备.csv"),  # case: GB18030 proper
        ("utf-8-sig", "队伍配备.csv"),  # case: UTF-8 with BOM (what this system exports)
        ("utf-8", "队伍配备.CSV"),  # case: UTF-8 without BOM, upper-case extension
        ("utf-16", "队伍配备.txt"),  # case: Excel's "Unicode text" export (UTF-16 with BOM, tabs)
    ],
)
def test_csv_in_chinese_encodings_is_read(engine: Engine, encoding: str, file_name: str) -> None:
    with_schools(engine)
    separator = "\t" if file_name.endswith(".txt") else ","
    header = separator.join(get_form("staffing").headers.values())
    cells = in_form_order("staffing", make_staffing_row())
    line = separator.join("" if value is None else str(value) for value in cells)
    data = f"{header}\r\n{line}\r\n".encode(encoding)

    report = import_bytes(engine, "staffing", data, file_name)

    assert report.accepted, report.to_text()
    assert stored(engine, "staffing") == [make_staffing_row()]
    assert report.normalizations == []  # plain text digits are how CSV holds numbers: nothing to report


def test_title_rows_above_a_single_header_row(engine: Engine) -> None:
    with_schools(engine)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "高校名录"
    sheet.append(["高校名录（2025年）"])
    sheet.append([])
    sheet.append(["学校标识码（10位）", "学校名称", "所在省份", "办学层次", "办学性质"])
    sheet.append(["４１４１０１０００９", "新学校", "广西", "高职高专", "民办"])

    report = import_bytes(engine, "institutions", workbook_bytes(workbook), "名录.xlsx")

    assert report.accepted, report.to_text()
    new = [row for row in stored(engine, "institutions") if row["code"] == "4141010009"]
    assert new == [
        {
            "code": "4141010009",
            "name": "新学校",
            "province": "广西壮族自治区",
            "level": "高职（专科）",
            "ownership": "民办",
            "authority": None,
            "city": None,
        }
    ]
    assert {(4, "学校标识码", Reason.FULL_WIDTH), (4, "所在省份", Reason.PROVINCE_FULL_NAME)} <= set(
        located(report, "normalizations")
    )


# --- refusals with exact locations ----------------------------------------------------------


def _staffing_report(engine: Engine, *rows: Mapping[str, Any]) -> ImportReport:
    with_schools(engine)
    return import_bytes(engine, "staffing", filled_template("staffing", rows), "队伍配备.xlsx")


@pytest.mark.parametrize(
    ("overrides", "column", "code"),
    [
        ({"code": None}, "学校标识码", Reason.REQUIRED),  # case: required cell empty
        ({"code": "414101000"}, "学校标识码", Reason.BAD_CODE),  # case: 9 digits
        ({"code": "4141019999"}, "学校标识码", Reason.UNKNOWN_INSTITUTION),  # case: not in 高校名录
        ({"year": "2024"}, "学年", Reason.BAD_YEAR),  # case: one year only
        ({"year": "2024-2026"}, "学年", Reason.YEAR_NOT_CONSECUTIVE),  # case: second year not first + 1
        ({"undergrad": 12.5}, "全日制本专科生数", Reason.NOT_WHOLE),  # case: fractional count
        ({"postgrad": -1}, "全日制研究生数", Reason.NEGATIVE),  # case: negative count
        ({"counselors_ft": "一百"}, "专职辅导员数", Reason.NOT_A_NUMBER),  # case: words, not digits
        ({"undergrad": 90, "postgrad": 0}, "专职辅导员数", "staff_exceeds_students"),  # case: row rule
    ],
)
def test_each_bad_cell_is_reported_at_its_row_and_column(
    engine: Engine, overrides: dict[str, Any], column: str, code: str
) -> None:
    report = _staffing_report(engine, make_staffing_row(year="2023-2024"), make_staffing_row(**overrides))

    assert located(report) == [(3, column, code)]
    assert not report.accepted and report.exit_code == 1
    assert stored(engine, "staffing") == []


def test_every_problem_of_the_file_is_reported_at_once(engine: Engine) -> None:
    report = _staffing_report(
        engine,
        make_staffing_row(undergrad="abc"),
        make_staffing_row(year="2023-2024", counselors_ft=None),
        make_staffing_row(year="2023-2024"),
    )

    assert located(report) == [
        (2, "全日制本专科生数", Reason.NOT_A_NUMBER),
        (3, "专职辅导员数", Reason.REQUIRED),
        (4, "学校标识码", Reason.DUPLICATE_KEY),
    ]
    assert "与第 3 行重复" in report.errors[2].message


def test_choice_error_lists_the_allowed_values(engine: Engine) -> None:
    with_schools(engine)

    report = import_bytes(
        engine, "screening", filled_template("screening", [make_screening_row(kind="普查")]), "筛查.xlsx"
    )

    assert located(report) == [(2, "筛查类型", Reason.NOT_A_CHOICE)]
    assert "新生普查、全体学生普查、重点人群复查、其他" in report.errors[0].message


def test_missing_required_header_is_one_error_naming_it(engine: Engine) -> None:
    with_schools(engine)
    workbook = template_workbook("staffing")
    workbook.active.delete_cols(6)  # 专职辅导员数
    workbook.active.append(["4141010001", "示例第一大学", "2024-2025", 18000, 2000, 10, 60, 6])

    report = import_bytes(engine, "staffing", workbook_bytes(workbook), "队伍配备.xlsx")

    assert [(issue.column, issue.code) for issue in report.errors] == [
        ("专职辅导员数", Reason.MISSING_HEADER)
    ]
    assert "专职辅导员数" in report.errors[0].message


def test_name_differing_from_the_register_is_a_warning_only(engine: Engine) -> None:
    report = _staffing_report(engine, make_staffing_row(name="示例一大"))

    assert report.accepted
    assert located(report, "warnings") == [(2, "学校名称", Reason.NAME_MISMATCH)]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"due": dt.date(2024, 1, 1)},
            ("errors", [(2, "计划完成日期", "due_before_start")]),
        ),  # case: due before start
        (
            {"stage": "已验收通过", "progress": 90},
            ("warnings", [(2, "完成进度", "accepted_not_complete")]),
        ),  # case: accepted but not complete → warning
        ({"progress": 120}, ("errors", [(2, "完成进度", Reason.PERCENT_RANGE)])),  # case: above 100
        ({"start": "2024-02-30"}, ("errors", [(2, "立项日期", Reason.BAD_DATE)])),  # case: no such day
        (
            {"code": "4141019999"},
            ("errors", [(2, "承担单位标识码", Reason.UNKNOWN_INSTITUTION)]),
        ),  # case: unit unknown
    ],
)
def test_project_rules(engine: Engine, overrides: dict[str, Any], expected: tuple[str, list]) -> None:
    with_schools(engine)

    report = import_bytes(
        engine, "projects", filled_template("projects", [make_project_row(**overrides)]), "p.xlsx"
    )

    kind, issues = expected
    assert located(report, kind) == issues


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"screened": 5001}, [(2, "实测人数", "screened_exceeds_target")]),  # case: screened > target
        (
            {"high": 3000, "medium": 2000},
            [(2, "高风险人数", "flagged_exceeds_screened")],
        ),  # case: flagged > screened
        ({"referred": 301}, [(2, "转介就医人数", "referred_exceeds_flagged")]),  # case: referred > flagged
    ],
)
def test_screening_rules(engine: Engine, overrides: dict[str, Any], expected: list) -> None:
    with_schools(engine)

    report = import_bytes(
        engine, "screening", filled_template("screening", [make_screening_row(**overrides)]), "s.xlsx"
    )

    assert located(report) == expected


def test_sheet_without_a_recognisable_header_is_refused(engine: Engine) -> None:
    workbook = Workbook()
    workbook.active.append(["姓名", "电话"])
    workbook.active.append(["张三", "123"])

    report = import_bytes(engine, "staffing", workbook_bytes(workbook), "x.xlsx")

    assert located(report) == [(None, None, Reason.NO_HEADER)]
    assert report.exit_code == 1


@pytest.mark.parametrize(
    ("chosen", "sent", "row", "title"),
    [
        (
            "staffing",
            "screening",
            make_screening_row(),
            "心理健康测评筛查情况表",
        ),  # case: some headers shared
        (
            "institutions",
            "staffing",
            make_staffing_row(),
            "思政队伍配备情况表",
        ),  # case: too few shared to match
    ],
)
def test_another_forms_file_is_refused_naming_that_form(
    engine: Engine, chosen: str, sent: str, row: dict, title: str
) -> None:
    with_schools(engine)

    report = import_bytes(engine, chosen, filled_template(sent, [row]), "文件.xlsx")

    assert [issue.code for issue in report.errors] == [Reason.WRONG_FORM]
    assert title in report.errors[0].message


def test_template_without_data_rows_is_refused(engine: Engine) -> None:
    report = import_bytes(engine, "staffing", filled_template("staffing", []), "空表.xlsx")

    assert [issue.code for issue in report.errors] == [Reason.NO_DATA]
    assert not report.accepted


def test_many_normalisations_of_one_kind_are_summarised(engine: Engine) -> None:
    with_schools(engine, *[make_institution(code=f"41410{n:05d}", name=f"学校{n}") for n in range(2, 40)])
    rows = [make_staffing_row(code=f"41410{n:05d}", name=f"学校{n}", year="2024—2025") for n in range(2, 40)]

    report = import_bytes(engine, "staffing", filled_template("staffing", rows), "s.xlsx")

    year_notes = [issue for issue in report.normalizations if issue.code == Reason.YEAR_FORMAT]
    summary = [issue for issue in report.normalizations if issue.code == Reason.MORE_OF_THE_SAME]
    assert len(year_notes) == 20
    assert [issue.message for issue in summary] == ["「学年」列另有 18 处同类规范化，不再逐一列出"]
    assert re.match(r"C\d+：", year_notes[0].message)

"""Cells nobody can store or should: NUL and control characters, a student's identity in a
screening file, a screening file's name; and a column given twice."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, select

from core.forms import SCREENING
from core.ingest import import_bytes
from core.models import FORM_MODELS, Upload
from tests.factories import make_institution, make_screening_row, store_rows

HEADERS = list(SCREENING.headers.values())


def screening_xlsx(rows: list[list[Any]], *, extra: list[str] = (), footer: list[list[Any]] = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SCREENING.sheet
    sheet.append([*HEADERS, *extra])
    for row in [*rows, *footer]:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def row_of(**overrides: Any) -> list[Any]:
    values = make_screening_row(**overrides)
    return [values[key] for key in SCREENING.keys]


@pytest.fixture
def registry(any_engine: Engine) -> Engine:
    store_rows(any_engine, "institutions", [make_institution()])
    return any_engine


def stored(engine: Engine, model: Any) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.execute(select(model)).mappings())


def with_control_character(data: bytes, escape: str) -> bytes:
    """The workbook with its CONTROL placeholder written as OOXML writes a control character (_x0000_)."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item).replace(b"CONTROL", escape.encode()))
    return output.getvalue()


@pytest.mark.parametrize("escape", ["_x0000_", "_x001B_"])
def test_a_nul_in_a_cell_is_a_cell_error_on_every_database(registry: Engine, escape: str) -> None:
    data = with_control_character(screening_xlsx([row_of(name="示例CONTROL第一大学")]), escape)

    report = import_bytes(registry, "screening", data, "筛查.xlsx")

    (error,) = report.errors
    assert (error.code, error.row, error.column) == ("control_character", 2, "学校名称")
    assert "控制字符" in error.message and report.exit_code == 1
    assert stored(registry, FORM_MODELS["screening"]) == []


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("11010519491231002X", "身份证号"),  # case: 18 digits with a valid check digit
        ("110105491231002", "身份证号"),  # case: 15 digits
        ("138 1234 5678", "手机号码"),  # case: a mobile number with spaces
        ("张三 11010519491231002X", "身份证号"),  # case: a name and an ID in one cell
    ],
)
def test_personal_data_in_any_cell_of_a_screening_file_is_refused(
    registry: Engine, cell: str, kind: str
) -> None:
    data = screening_xlsx([[*row_of(), cell]], extra=["备注（未读取的列）"])

    report = import_bytes(registry, "screening", data, "筛查.xlsx")

    (error,) = report.errors
    assert error.code == "personal_data" and error.column is None  # a column the form does not read
    assert error.message.startswith(f"N2 单元格疑似个人信息（{kind}），请删除后重新上传")
    assert cell not in error.message
    assert stored(registry, Upload) and len(stored(registry, Upload)) == 1  # only the registry


def test_a_student_id_in_the_school_name_is_refused_and_a_signature_line_is_not(registry: Engine) -> None:
    footer = [["填表人：李老师", None, "联系电话：13812345678"]]
    data = screening_xlsx([row_of(name="张三 11010519491231002X")], footer=footer)

    report = import_bytes(registry, "screening", data, "筛查.xlsx")

    assert [(error.code, error.row, error.column) for error in report.errors] == [
        ("personal_data", 2, "学校名称")
    ]


def test_the_reported_school_name_and_the_file_name_of_a_screening_upload_are_not_stored(
    registry: Engine,
) -> None:
    data = screening_xlsx([row_of(name="张三")])

    report = import_bytes(registry, "screening", data, "张三_李四_心理筛查名单.xlsx")

    assert report.stored
    (row,) = stored(registry, FORM_MODELS["screening"])
    assert row["name"] == make_institution()["name"]  # 高校名录's name, not what was typed
    upload = stored(registry, Upload)[-1]
    assert "张三" not in upload["file_name"] and upload["file_name"].startswith(SCREENING.title)
    assert "张三" not in str(upload["warnings"])


def test_a_column_given_twice_is_an_error_naming_both(engine: Engine) -> None:
    store_rows(engine, "institutions", [make_institution()])
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "队伍配备"
    sheet.append(
        [
            "学校标识码",
            "学校名称",
            "学年",
            "全日制本专科生数",
            "全日制研究生数",
            "专职辅导员数",
            "专职辅导员人数",
        ]
    )
    sheet.append(["4141010001", "示例第一大学", "2024-2025", 100, 0, 1, 2])
    output = io.BytesIO()
    workbook.save(output)

    report = import_bytes(engine, "staffing", output.getvalue(), "队伍配备.xlsx")

    (error,) = report.errors
    assert error.code == "duplicate_header"
    assert "G 列“专职辅导员人数”" in error.message and "F 列“专职辅导员数”" in error.message

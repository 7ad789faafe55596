"""Reading files (core/ingest/read/__init__.py, sniff.py): what is read, and every file that must be
refused with nothing stored."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook
from sqlalchemy import Engine, func, select

from core.ingest import import_bytes, import_path
from core.ingest.codes import Reason
from core.ingest.read import UnreadableFile, read_workbook
from core.models import StaffingReport, Upload
from core.templates import template_bytes
from tests.cli import PROJECT_ROOT
from tests.factories import make_staffing_row
from tests.test_ingest_corpus import filled_template, with_schools, workbook_bytes
from tests.test_read_xlsx import import_staffing

LIMIT = 5 * 1024 * 1024


def _encrypted(data: bytes) -> bytes:
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt("密码1234", out)
    return out.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    """A workbook-looking zip whose sheet expands about a thousandfold (4 MB of spaces)."""
    return _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b" " * (4 * 1024 * 1024),
        }
    )


def _far_cell_workbook() -> bytes:
    """Two cells, one at A1 and one at XFD1048576: a tiny file whose grid is 17 billion cells."""
    workbook = Workbook()
    workbook.active["A1"] = "学校标识码"
    workbook.active["XFD1048576"] = "x"
    return workbook_bytes(workbook)


@pytest.mark.parametrize(
    ("data", "file_name", "code"),
    [
        (b"", "队伍配备.xlsx", Reason.EMPTY_FILE),  # case: zero bytes
        (b"x" * (LIMIT + 1), "队伍配备.csv", Reason.TOO_LARGE),  # case: above the size limit
        ("学校标识码，学年".encode(), "队伍配备.xlsx", Reason.NOT_A_SPREADSHEET),  # case: text named .xlsx
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "队伍配备.csv",
            Reason.NOT_A_SPREADSHEET,
        ),  # case: image named .csv
        (b"%PDF-1.7\n", "队伍配备.pdf", Reason.NOT_A_SPREADSHEET),  # case: PDF
        (_zip({"word/document.xml": b"<w/>"}), "队伍配备.xlsx", Reason.NOT_A_SPREADSHEET),  # case: Word file
        (template_bytes("staffing")[:3000], "队伍配备.xlsx", Reason.CORRUPT),  # case: truncated workbook
        (
            _zip({"xl/workbook.xml": b"<not xml", "[Content_Types].xml": b"<"}),
            "a.xlsx",
            Reason.CORRUPT,
        ),  # case: bad XML
        (
            _encrypted(template_bytes("staffing")),
            "队伍配备.xlsx",
            Reason.ENCRYPTED,
        ),  # case: password-protected
        (_zip_bomb(), "队伍配备.xlsx", Reason.ZIP_BOMB),  # case: zip bomb
        (_far_cell_workbook(), "队伍配备.xlsx", Reason.SHEET_TOO_LARGE),  # case: huge used area
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "队伍配备.xls",
            Reason.CORRUPT,
        ),  # case: broken OLE
    ],
)
def test_unreadable_files_are_refused_and_nothing_is_stored(
    engine: Engine, data: bytes, file_name: str, code: str
) -> None:
    report = import_bytes(engine, "staffing", data, file_name, max_bytes=LIMIT)

    assert [issue.code for issue in report.errors] == [code]
    assert report.errors[0].message  # a Chinese sentence saying what to do
    assert (report.unreadable, report.accepted, report.stored, report.exit_code) == (True, False, False, 2)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(Upload)).scalar_one() == 0


def test_read_refusal_is_a_typed_exception() -> None:
    with pytest.raises(UnreadableFile) as problem:
        read_workbook(b"", "a.xlsx", LIMIT)

    assert (problem.value.code, problem.value.message) == (Reason.EMPTY_FILE, str(problem.value))


def test_missing_file_is_reported_not_raised(engine: Engine, tmp_path) -> None:
    report = import_path(engine, "staffing", tmp_path / "没有这个文件.xlsx")

    assert [issue.code for issue in report.errors] == [Reason.FILE_NOT_FOUND]
    assert report.exit_code == 2


def test_oversized_path_is_refused_before_it_is_read(engine: Engine, tmp_path) -> None:
    path = tmp_path / "大文件.xlsx"
    path.write_bytes(filled_template("staffing", [make_staffing_row()]))

    report = import_path(engine, "staffing", path, max_bytes=100)

    assert [issue.code for issue in report.errors] == [Reason.TOO_LARGE]


def test_leading_empty_rows_keep_excel_row_numbers() -> None:
    workbook = Workbook()
    workbook.active["B3"] = "学校标识码"
    workbook.active["B4"] = "4141010001"

    (sheet,) = read_workbook(workbook_bytes(workbook), "a.xlsx", LIMIT)

    assert sheet.rows[2][1] == "学校标识码"
    assert sheet.rows[3][1] == "4141010001"


def test_hidden_sheets_are_listed_but_not_read() -> None:
    workbook = Workbook()
    workbook.active.title = "队伍配备"
    workbook.active["A1"] = "学校标识码"
    secret = workbook.create_sheet("隐藏")
    secret["A1"] = "x"
    secret.sheet_state = "hidden"

    sheets = read_workbook(workbook_bytes(workbook), "a.xlsx", LIMIT)

    assert [(sheet.name, sheet.hidden, sheet.rows) for sheet in sheets] == [
        ("队伍配备", False, [["学校标识码"]]),
        ("隐藏", True, []),
    ]


def test_percent_formatted_cells_are_found_only_when_asked() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["完成进度", "其他"])
    sheet.append([0.85, 0.5])
    sheet.append([85, 0.25])
    sheet["A2"].number_format = "0%"
    sheet["B3"].number_format = "0.0%"

    (raw,) = read_workbook(workbook_bytes(workbook), "a.xlsx", LIMIT)

    assert raw.rows[1] == [0.85, 0.5]
    assert raw.percent_rows(0) == {1}
    assert raw.percent_rows(1) == {2}


def test_a_file_with_errors_stores_nothing(engine: Engine) -> None:
    with_schools(engine)
    data = filled_template(
        "staffing", [make_staffing_row(), make_staffing_row(year="2023-2024", undergrad=-1)]
    )

    report = import_bytes(engine, "staffing", data, "队伍配备.xlsx")

    assert not report.accepted and not report.stored
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(StaffingReport)).scalar_one() == 0
        assert (
            connection.execute(select(func.count()).select_from(Upload)).scalar_one() == 1
        )  # with_schools' own


def test_reading_a_workbook_does_not_import_the_database_layer() -> None:
    """The reader stays light: a process that only reads a file does not pay for the database layer."""
    code = "import sys, core.ingest.read; print('sqlalchemy' in sys.modules)"
    completed = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True)

    assert completed.stdout.strip() == "False", completed.stderr


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (
            b"<html><body><table><tr><td>\xe5\xad\xa6\xe6\xa0\xa1</td></tr></table></body></html>",
            "网页",
        ),  # case: web export
        (
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
            "Excel 2003 XML",
        ),  # case: Excel 2003 XML
        ("学校标识码\t学年\n4141010001\t2024-2025\n".encode(), "纯文本"),  # case: tab-separated text
    ],
)
def test_text_named_xls_says_what_it_really_is(engine: Engine, content: bytes, said: str) -> None:
    report = import_staffing(engine, content, "队伍配备.xls")

    assert report.exit_code == 2 and [issue.code for issue in report.errors] == [Reason.NOT_A_SPREADSHEET]
    assert said in report.errors[0].message and "另存为” .xlsx" in report.errors[0].message

""".xls workbooks (core/ingest/read/xls.py): error values, and files xlrd cannot parse."""

from __future__ import annotations

import io

import xlwt
from sqlalchemy import Engine

from core.forms import STAFFING
from core.ingest.codes import Reason
from core.ingest.read import xls
from tests.factories import make_staffing_row
from tests.test_ingest_corpus import (
    in_form_order,
    located,
)
from tests.test_read_xlsx import import_staffing


def test_an_error_value_in_an_xls_is_an_error(engine: Engine) -> None:
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet(STAFFING.sheet)
    for column, header in enumerate(STAFFING.headers.values()):
        sheet.write(0, column, header)
    errored = STAFFING.keys.index("counselors_pt")
    for column, value in enumerate(in_form_order("staffing", make_staffing_row())):
        if column != errored:
            sheet.write(1, column, value)
    sheet.row(1).set_cell_error(errored, "#DIV/0!")
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = import_staffing(engine, buffer.getvalue(), "队伍配备.xls")

    assert located(report) == [(2, "兼职辅导员数", Reason.CELL_ERROR_VALUE)]


def test_only_an_xls_that_may_hold_error_values_is_parsed_a_second_time() -> None:
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet(STAFFING.sheet)
    sheet.write(0, 0, "学校标识码")
    sheet.write(1, 0, 4141010001)
    clean = io.BytesIO()
    workbook.save(clean)
    sheet.row(1).set_cell_error(1, "#DIV/0!")
    with_error = io.BytesIO()
    workbook.save(with_error)

    assert not xls.may_hold_errors(clean.getvalue())
    assert xls.may_hold_errors(with_error.getvalue())


def test_an_xls_that_xlrd_cannot_parse_leaves_its_cells_as_read() -> None:
    book = xls.book_of(b"\xd0\xcf\x11\xe0 not really an xls")

    assert xls.unseen_loader(book, lambda: True)("队伍配备") == {}
    assert xls.percent_loader(book)("队伍配备", 3) == frozenset()

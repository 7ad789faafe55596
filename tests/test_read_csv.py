"""CSV files (core/ingest/read/csvfile.py): codes as other systems export them."""

from __future__ import annotations

from sqlalchemy import Engine

from core.forms import STAFFING
from tests.factories import make_staffing_row
from tests.test_ingest_corpus import (
    in_form_order,
    stored,
)
from tests.test_read_xlsx import import_staffing


def test_codes_exported_by_other_systems_are_read_from_a_csv(engine: Engine) -> None:
    header = ",".join(STAFFING.headers.values())
    lines = [header]
    for code in ("4141010001.0", '"=""4141010002"""', "'4141010003"):
        cells = in_form_order("staffing", make_staffing_row(code="X", name=None))[1:]
        lines.append(",".join([code, *("" if cell is None else str(cell) for cell in cells)]))
    data = ("\n".join(lines) + "\n").encode("utf-8-sig")

    report = import_staffing(engine, data, "队伍配备.csv")

    assert report.accepted, report.to_text()
    assert [row["code"] for row in stored(engine, "staffing")] == ["4141010001", "4141010002", "4141010003"]

"""CSV files that open correctly in Excel/WPS and cannot run formulas."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from core.export import csv_bytes, neutralise_formula


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),  # case: formula
        ("+86 123", "'+86 123"),  # case: plus sign
        ("-cmd", "'-cmd"),  # case: minus sign
        ("@SUM(A1)", "'@SUM(A1)"),  # case: at sign
        ("＝1+1", "'＝1+1"),  # case: fullwidth equals sign (Excel/WPS read it as =)
        ("＋1+1", "'＋1+1"),  # case: fullwidth plus
        ("－cmd", "'－cmd"),  # case: fullwidth minus
        ("＠SUM(A1)", "'＠SUM(A1)"),  # case: fullwidth at sign
        ("示例大学", "示例大学"),  # case: plain text unchanged
        (12, 12),  # case: numbers unchanged
    ],
)
def test_neutralise_formula(value, expected) -> None:
    assert neutralise_formula(value) == expected


def test_csv_has_bom_chinese_headers_whole_numbers_and_safe_cells() -> None:
    frame = pd.DataFrame(
        {"学校名称": ["示例大学", '=HYPERLINK("x")'], "人数": [50.0, None], "比例": ["1:200.3", ""]}
    )
    data = csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["学校名称", "人数", "比例"]
    assert rows[1] == ["示例大学", "50", "1:200.3"]
    assert rows[2][0].startswith("'=")
    assert rows[2][1] == ""

"""Staffing metrics by hand: ratio, required staff, gap and status per standard."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.formatting import ratio_text
from core.metrics.staffing import (
    GAP,
    RATIO,
    REQUIRED,
    STATUS,
    column,
    rollup,
    staffing_metrics,
    year_over_year,
)
from core.standards import DEFAULT_STANDARDS, Standards, make_standards
from tests.factories import make_staffing_row


def _standards(counselors: int = 200, psy_minimum: int = 2, factor: str = "0") -> Standards:
    return make_standards(
        counselor_threshold=counselors,
        ideo_threshold=350,
        psy_threshold=4000,
        psy_minimum=psy_minimum,
        part_time_factor=factor,
    )


def _derived(row: dict[str, Any], standards: Standards, key: str) -> tuple:
    result = staffing_metrics(pd.DataFrame([row]), standards).iloc[0]
    standard = standards.by_key(key)
    required, gap = result[column(standard, REQUIRED)], result[column(standard, GAP)]
    return (
        result[column(standard, RATIO)],
        None if pd.isna(required) else int(required),
        None if pd.isna(gap) else int(gap),
        result[column(standard, STATUS)],
    )


@pytest.mark.parametrize(
    ("row", "standards", "key", "expected"),
    [
        # case: exactly 200 students per counselor meets 1:200
        (
            {"undergrad": 18000, "postgrad": 2000, "counselors_ft": 100},
            _standards(),
            "counselors",
            ("1:200.0", 100, 0, "达标"),
        ),
        # case: 201 students with 1 counselor: 2 required, 1 missing
        (
            {"undergrad": 201, "postgrad": 0, "counselors_ft": 1},
            _standards(),
            "counselors",
            ("1:201.0", 2, 1, "未达标"),
        ),
        # case: 801 / 4 = 200.25 is written 1:200.3 (half up), 5 required
        (
            {"undergrad": 801, "postgrad": 0, "counselors_ft": 4},
            _standards(),
            "counselors",
            ("1:200.3", 5, 1, "未达标"),
        ),
        # case: 0 students is not applicable: no ratio, nothing required
        (
            {"undergrad": 0, "postgrad": 0, "counselors_ft": 0},
            _standards(),
            "counselors",
            ("", 0, 0, "不适用"),
        ),
        # case: 0 counselors for 500 students: no ratio, the whole requirement is the gap
        (
            {"undergrad": 500, "postgrad": 0, "counselors_ft": 0},
            _standards(),
            "counselors",
            ("", 3, 3, "未达标"),
        ),
        # case: psychology needs at least 2 even where 3,000 / 4,000 rounds up to 1
        (
            {"undergrad": 3000, "postgrad": 0, "psy_teachers": 1},
            _standards(),
            "psy",
            ("1:3000.0", 2, 1, "未达标"),
        ),
        # case: psychology above the minimum: 8,001 students need 3, 3 reported
        (
            {"undergrad": 8001, "postgrad": 0, "psy_teachers": 3},
            _standards(),
            "psy",
            ("1:2667.0", 3, 0, "达标"),
        ),
        # case: a minimum set to 0 leaves ceil(students / 4,000)
        (
            {"undergrad": 3000, "postgrad": 0, "psy_teachers": 1},
            _standards(psy_minimum=0),
            "psy",
            ("1:3000.0", 1, 0, "达标"),
        ),
        # case: threshold changed to 1:250: 20,000 students need 80, 90 reported
        (
            {"undergrad": 20000, "postgrad": 0, "counselors_ft": 90},
            _standards(counselors=250),
            "counselors",
            ("1:222.2", 80, 0, "达标"),
        ),
        # case: 思政课 1:350: 20,000 students need 58, 57 reported
        (
            {"undergrad": 20000, "postgrad": 0, "ideo_teachers": 57},
            _standards(),
            "ideo",
            ("1:350.9", 58, 1, "未达标"),
        ),
        # case: default factor 0: part-time counselors do not count
        (
            {"undergrad": 20000, "postgrad": 0, "counselors_ft": 98, "counselors_pt": 6},
            _standards(),
            "counselors",
            ("1:204.1", 100, 2, "未达标"),
        ),
        # case: factor 1/3: 98 + 6/3 = exactly 100 counted
        (
            {"undergrad": 20000, "postgrad": 0, "counselors_ft": 98, "counselors_pt": 6},
            _standards(factor="1/3"),
            "counselors",
            ("1:200.0", 100, 0, "达标"),
        ),
        # case: factor 1/3: 98 + 5/3 = 99.67 counted; gap ceil(0.33) = 1; 20,000 / 99.67 = 200.67
        (
            {"undergrad": 20000, "postgrad": 0, "counselors_ft": 98, "counselors_pt": 5},
            _standards(factor="1/3"),
            "counselors",
            ("1:200.7", 100, 1, "未达标"),
        ),
        # case: psychology teachers not reported: all four values empty
        (
            {"undergrad": 20000, "postgrad": 0, "psy_teachers": None},
            _standards(),
            "psy",
            ("", None, None, None),
        ),
        # case: not reported wins over not applicable (0 students)
        (
            {"undergrad": 0, "postgrad": 0, "counselors_ft": 0, "ideo_teachers": None},
            _standards(),
            "ideo",
            ("", None, None, None),
        ),
    ],
)
def test_standard_values_per_institution(
    row: dict[str, Any], standards: Standards, key: str, expected: tuple
) -> None:
    assert _derived(make_staffing_row(**row), standards, key) == expected


def _frame(*rows: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame([make_staffing_row(**row) for row in rows])


def test_rollup_sums_by_group() -> None:
    frame = _frame(
        {
            "code": "1",
            "province": "河南省",
            "undergrad": 20000,
            "postgrad": 0,
            "counselors_ft": 100,
        },  # 1:200, gap 0
        {
            "code": "2",
            "province": "河南省",
            "undergrad": 5000,
            "postgrad": 0,
            "counselors_ft": 20,
        },  # 1:250, gap 5
        {
            "code": "3",
            "province": "河南省",
            "undergrad": 0,
            "postgrad": 0,
            "counselors_ft": 0,
        },  # not applicable
        {"code": "4", "province": "北京市", "undergrad": 4001, "postgrad": 0, "counselors_ft": 10},  # gap 11
    )

    summary = rollup(staffing_metrics(frame, DEFAULT_STANDARDS), "province", DEFAULT_STANDARDS.counselors)

    henan = summary.set_index("province").loc["河南省"]
    assert (henan["institutions"], henan["applicable"], henan["compliant"]) == (3, 2, 1)
    assert (henan["share_text"], henan["ratio"], henan["gap"]) == ("50.0%", "1:208.3", 5)  # 25,000 / 120
    beijing = summary.set_index("province").loc["北京市"]
    assert (beijing["applicable"], beijing["compliant"], beijing["share_text"], beijing["gap"]) == (
        1,
        0,
        "0.0%",
        11,
    )


def test_rollup_ratio_with_fractional_counselors_is_exact() -> None:
    # 3 × (199 + 3 × 1/3) = 600 counted for 120,000 students: exactly 1:200.0
    frame = _frame(
        *(
            {"code": str(n), "undergrad": 40000, "postgrad": 0, "counselors_ft": 199, "counselors_pt": 3}
            for n in range(3)
        )
    ).assign(province="河南省")
    standards = _standards(factor="1/3")

    summary = rollup(staffing_metrics(frame, standards), "province", standards.counselors)

    assert summary["ratio"].tolist() == ["1:200.0"]
    assert summary["compliant"].tolist() == [3]


def test_rollup_leaves_unreported_staff_out_of_the_applicable() -> None:
    frame = _frame(
        {"code": "1", "undergrad": 3000, "postgrad": 0, "psy_teachers": None},
        {"code": "2", "undergrad": 3000, "postgrad": 0, "psy_teachers": 2},
    ).assign(province="河南省")

    summary = rollup(staffing_metrics(frame, DEFAULT_STANDARDS), "province", DEFAULT_STANDARDS.psy)

    assert summary[["institutions", "applicable", "compliant", "students"]].iloc[0].tolist() == [
        2,
        1,
        1,
        3000,
    ]


def test_year_over_year_compares_with_the_previous_year_of_the_same_institution() -> None:
    frame = _frame(
        {"code": "1", "year": "2023-2024", "undergrad": 20000, "postgrad": 0, "counselors_ft": 90},  # gap 10
        {"code": "1", "year": "2024-2025", "undergrad": 21000, "postgrad": 0, "counselors_ft": 100},  # gap 5
        {"code": "2", "year": "2024-2025", "undergrad": 1000, "postgrad": 0, "counselors_ft": 5},
    )

    change = year_over_year(staffing_metrics(frame, DEFAULT_STANDARDS), DEFAULT_STANDARDS.counselors)

    latest = change[(change["code"] == "1") & (change["year"] == "2024-2025")].iloc[0]
    assert (latest["previous_year"], latest["students_change"], latest["staff_change"]) == (
        "2023-2024",
        1000,
        10,
    )
    assert (latest["gap_change"], latest["previous_status"]) == (-5, "未达标")
    assert change[change["code"] == "2"]["previous_year"].isna().all()


@settings(max_examples=300, deadline=None)
@given(
    students=st.integers(min_value=0, max_value=200_000),
    full_time=st.integers(min_value=0, max_value=2_000),
    part_time=st.integers(min_value=0, max_value=2_000),
    factor=st.fractions(min_value=0, max_value=1, max_denominator=1000),
)
def test_ratio_matches_the_shared_formatting_rule(
    students: int, full_time: int, part_time: int, factor: Fraction
) -> None:
    row = make_staffing_row(undergrad=students, postgrad=0, counselors_ft=full_time, counselors_pt=part_time)
    standards = _standards(factor=str(factor))

    ratio = _derived(row, standards, "counselors")[0]

    assert ratio == ratio_text(students, full_time + factor * part_time)

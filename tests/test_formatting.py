"""Numbers as the system writes them: half-up one decimal, ratios, percentages."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.formatting import (
    count_text,
    local_time_text,
    local_time_texts,
    on_screen,
    one_decimal,
    percent_text,
    ratio_text,
)


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (801, 4, "200.3"),  # case: spec example 200.25 → 200.3 (half up, not banker's)
        (401, 2, "200.5"),  # case: exact half stays
        (1, 3, "0.3"),  # case: repeating decimal
        (2005, 10, "200.5"),  # case: 200.5 exactly
        (4005, 20, "200.3"),  # case: 200.25 from another fraction
        (5, 0, ""),  # case: denominator 0 → empty
    ],
)
def test_one_decimal_rounds_half_up(numerator: int, denominator: int, expected: str) -> None:
    assert one_decimal(numerator, denominator) == expected


@pytest.mark.parametrize(
    ("students", "staff", "expected"),
    [
        (801, 4, "1:200.3"),  # case: spec example
        (200, 1, "1:200.0"),  # case: exactly the standard
        (100, 0, ""),  # case: no staff → empty
        (0, 3, ""),  # case: no students → not applicable, empty
    ],
)
def test_ratio_text(students: int, staff: int, expected: str) -> None:
    assert ratio_text(students, staff) == expected


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (965, 1000, "96.5%"),  # case: spec example
        (1, 8, "12.5%"),  # case: exact half
        (2, 3, "66.7%"),  # case: rounding up
        (0, 0, ""),  # case: 0 denominator → empty in files
    ],
)
def test_percent_text(numerator: int, denominator: int, expected: str) -> None:
    assert percent_text(numerator, denominator) == expected


def test_screen_forms() -> None:
    assert on_screen("") == "—"
    assert on_screen("96.5%") == "96.5%"
    assert count_text(1234567) == "1,234,567"
    assert count_text(None) == "—"


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2025, 3, 1, 16, 30),  # case: naive, as stored: UTC, not the host's time
        dt.datetime(2025, 3, 1, 16, 30, tzinfo=dt.UTC),  # case: aware UTC
        dt.datetime(2025, 3, 1, 11, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))),  # case: another zone
        pd.Timestamp("2025-03-01 16:30"),  # case: a pandas timestamp from a frame
    ],
)
def test_upload_times_are_beijing_time_whatever_the_host_time_zone(
    moment: dt.datetime, host_in_new_york: None
) -> None:
    assert local_time_text(moment) == "2025-03-02 00:30:00"


@pytest.mark.parametrize("missing", [None, pd.NaT])
def test_a_missing_time_is_empty_text(missing: dt.datetime | None, host_in_new_york: None) -> None:
    assert local_time_text(missing) == ""


def test_a_column_of_times_is_beijing_time_with_missing_ones_empty(host_in_new_york: None) -> None:
    column = pd.Series([dt.datetime(2025, 3, 1, 16, 30), None, dt.datetime(2024, 12, 31, 16, 0)])

    assert local_time_texts(column).tolist() == ["2025-03-02 00:30:00", "", "2025-01-01 00:00:00"]

"""Numbers as the system writes them: half-up one decimal, ratios, percentages."""

from __future__ import annotations

import pytest

from core.formatting import count_text, on_screen, one_decimal, percent_text, ratio_text


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

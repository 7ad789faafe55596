"""Complementary suppression: no masked screening count can be worked back from its row."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.masking import area_written, complementary
from core.metrics import screening

PARTS = ("高风险人数", "中风险人数", "一般关注人数")
TOTAL = "预警人数合计"


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ((2, 0, 5), 2),  # case: the row <5,0,5 with total 7: the 5 is suppressed
        ((2, 9, 5), 2),  # case: the smaller of the two others
        ((2, 0, 0), None),  # case: nothing else above 0: the total equals the masked count (masked itself)
        ((2, 3, 8), None),  # case: two masked: nothing more
        ((0, 7, 9), None),  # case: none masked
        ((5, 1, 5), 0),  # case: a tie takes the first
        (
            (0, 4, 4),
            None,
        ),  # case: two masked, even when they can only be 4 + 4: the spec suppresses nothing more
        ((1, 1, 5), None),  # case: two masked summing to 2: nothing more (the spec's rule)
        ((1, 1, 0), None),  # case: the total (2) is itself '<5'
    ],
)
def test_complementary_picks_the_smallest_other_part_above_zero(
    parts: tuple[int, ...], expected: int | None
) -> None:
    assert complementary(parts) == expected


def _candidates(cell: object) -> range:
    """What an attacker who knows the rule can say about one published cell."""
    if cell == "<5":
        return range(1, 5)
    if cell == "*":
        return range(0, 200)  # suppressed: any count
    return range(int(cell), int(cell) + 1)


def _derivable(row: pd.Series) -> bool:
    """True when some masked part has only one value consistent with the row's cells and its total."""
    totals = _candidates(row[TOTAL])
    options = [_candidates(row[part]) for part in PARTS]
    consistent = [values for values in itertools.product(*options) if sum(values) in totals]
    return any(
        row[part] in ("<5", "*") and len({values[index] for values in consistent}) == 1
        for index, part in enumerate(PARTS)
    )


def _pinned_pair(row: pd.Series) -> bool:
    """Two or three parts written '<5' that can only all be 1 or all be 4: the one case the spec's
    rule ("with two or three of them masked, nothing more is suppressed") leaves open."""
    masked = [part for part in PARTS if row[part] == "<5"]
    shown = sum(int(row[part]) for part in PARTS if row[part] not in ("<5", "*"))
    total = row[TOTAL]
    return (
        len(masked) > 1 and total not in ("<5", "*") and int(total) - shown in (len(masked), 4 * len(masked))
    )


counts = st.integers(min_value=0, max_value=60)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.tuples(counts, counts, counts), min_size=1, max_size=5))
def test_no_masked_count_can_be_worked_back_from_its_row_and_total(rows: list[tuple[int, int, int]]) -> None:
    frame = pd.DataFrame(
        [
            {"target": 1000, "screened": 900, "high": high, "medium": medium, "watch": watch}
            | {"interviewed": 0, "referred": 0, "crisis": 0}
            for high, medium, watch in rows
        ]
    )

    masked = screening.table(
        frame, ("high", "medium", "watch", screening.FLAGGED, screening.HIGH_RATE.key), mask=True
    )

    for _, row in masked.iterrows():
        assert _pinned_pair(row) or not _derivable(row), row.to_dict()
        if row["高风险人数"] in ("<5", "*"):
            assert row["高风险率"] == ""  # the rate would give the count back


@pytest.mark.parametrize(("institutions", "written"), [(1, False), (2, False), (3, True), (40, True)])
def test_a_province_figure_needs_three_reporting_institutions(institutions: int, written: bool) -> None:
    assert area_written(institutions) is written


def test_the_profile_workbook_writes_no_province_rate_of_fewer_than_three_institutions(any_engine) -> None:  # noqa: ANN001
    import datetime as dt
    from io import BytesIO

    from openpyxl import load_workbook

    from core.profile_export import profile_workbook
    from tests.factories import make_institution, make_screening_row, store_rows

    store_rows(any_engine, "institutions", [make_institution(code="4141010001", name="唯一大学")])
    store_rows(
        any_engine, "screening", [make_screening_row(code="4141010001", screened=1000, high=2, medium=7)]
    )

    workbook = load_workbook(BytesIO(profile_workbook(any_engine, "4141010001", dt.date(2025, 11, 30))))

    header, row = list(workbook["心理筛查"].values)[:2]
    written = dict(zip(header, row, strict=True))
    assert written["高风险人数"] == "<5"
    assert all(written[name] is None for name in header if str(name).startswith("全省"))


def test_a_masked_rollup_writes_nothing_for_a_province_of_fewer_than_three_institutions() -> None:
    counts = {"target": 1000, "screened": 900, "high": 7, "medium": 9, "watch": 20}
    counts |= {"interviewed": 30, "referred": 5, "crisis": 5}
    rows = pd.DataFrame(
        [{"code": f"41410100{index:02d}", "province": "河南省"} | counts for index in range(3)]
        + [{"code": f"41320100{index:02d}", "province": "江苏省"} | counts for index in range(2)]
    )

    masked = screening.table(
        screening.rollup(rows, ["province"]), ("province", *screening.ROLLUP_COLUMNS), mask=True
    )

    henan, jiangsu = (masked.set_index("所在省份").loc[province] for province in ("河南省", "江苏省"))
    assert (henan["学校数"], henan["高风险人数"], henan["高风险率"]) == (3, 21, "0.8%")
    assert jiangsu["学校数"] == 2
    assert all(
        jiangsu[header] == ""
        for header in ("实测人数", "高风险人数", "预警人数合计", "高风险率", "筛查覆盖率")
    )

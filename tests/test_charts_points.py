"""Point charts at national scale: at most MAX_POINTS marks, the ones that matter always visible."""

from __future__ import annotations

import pandas as pd
import pytest

from core.charts.points import MAX_POINTS, capped, caption


def schools(count: int, failing_every: int) -> pd.DataFrame:
    """``count`` schools in rank order; every ``failing_every``-th one fails."""
    return pd.DataFrame({"rank": range(count), "failing": [i % failing_every == 0 for i in range(count)]})


@pytest.mark.parametrize(
    ("count", "failing_every", "limit", "kept_failing", "kept"),
    [
        (50, 5, 100, 10, 50),  # case: fewer schools than the limit: all of them
        (1000, 10, 400, 100, 400),  # case: failing schools fill less than half: all of them, then others
        (1000, 4, 100, 50, 100),  # case: 250 failing schools for 100 marks: half and half
        (1000, 1, 400, 400, 400),  # case: every school fails: all marks for them
    ],
)
def test_capped_keeps_the_failing_schools_visible(
    count: int, failing_every: int, limit: int, kept_failing: int, kept: int
) -> None:
    frame = schools(count, failing_every)

    drawn = capped(frame, frame["failing"], limit)

    assert (int(drawn["failing"].sum()), len(drawn)) == (kept_failing, kept)
    assert drawn["rank"].is_monotonic_increasing
    assert not drawn["rank"].duplicated().any()


def test_capped_spreads_the_others_over_the_whole_range() -> None:
    frame = schools(3000, 10**6)  # only school 0 fails

    drawn = capped(frame, frame["failing"], 101)

    others = drawn.loc[~drawn["failing"], "rank"]
    assert (others.iloc[0], others.iloc[-1], len(others)) == (1, 2999, 100)
    assert others.diff().dropna().between(29, 31).all()


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (MAX_POINTS, ""),  # case: every school drawn: nothing to say
        (
            2910,
            f"共 2,910 所学校，逐校绘点的图只显示其中 {MAX_POINTS:,} 所：未达标的学校不超过一半时",
        ),  # case: capped
    ],
)
def test_caption_says_how_many_schools_are_drawn(total: int, expected: str) -> None:
    text = caption(total, "未达标的学校")

    assert text.startswith(expected) and bool(text) == bool(expected)

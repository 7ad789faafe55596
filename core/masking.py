"""Small-number masking with complementary suppression (spec forms.md, "Small-number masking").

Pure rules on counts; :mod:`core.metrics.screening` applies them to its tables and the
profile applies :func:`area_written` to the province's figures.

A count between 1 and 4 is written ``<5``. 高风险 + 中风险 + 一般关注 = 预警人数合计 is
published, so when exactly one of those three parts is written ``<5`` it could be worked
back as the total minus the other two; then the smallest of the other two that is above 0
(and not masked) is written ``*`` as well. When neither is above 0 the total equals the
masked part and is masked itself. With two or three parts masked nothing more is needed,
except when the masked parts are pinned: all 1 or all 4, the only values that add up to
what the total leaves them (0, <5, <5, 8 can only be 4 and 4; <5, <5, 5, 7 only 1 and 1).
Then the same is done, and when no other part is above 0 the total is written ``*`` (a
case the spec's wording leaves open).
"""

from __future__ import annotations

from collections.abc import Sequence

SMALL_COUNT_MAX = 4
SMALL_COUNT_TEXT = "<5"
SUPPRESSED_TEXT = "*"
MIN_REPORTING_INSTITUTIONS = 3  # a province's figure is written only when at least this many reported


def is_small(count: int) -> bool:
    """A count written '<5'."""
    return 1 <= count <= SMALL_COUNT_MAX


def complementary(parts: Sequence[int]) -> int | None:
    """The index of the part of a published sum to write '*' (``len(parts)``: the total), or None.

    ``parts`` are the counts that add up to a published total (高风险, 中风险, 一般关注).
    """
    small = [index for index, count in enumerate(parts) if is_small(count)]
    masked_sum = sum(parts[index] for index in small)
    pinned = len(small) > 1 and masked_sum in (len(small), SMALL_COUNT_MAX * len(small))
    if len(small) != 1 and not pinned:
        return None
    others = [(count, index) for index, count in enumerate(parts) if index not in small and count > 0]
    if others:
        return min(others)[1]
    return len(parts) if pinned and not is_small(sum(parts)) else None


def area_written(institutions: int) -> bool:
    """Whether a province-level rate or count may be written in a masked output."""
    return institutions >= MIN_REPORTING_INSTITUTIONS

"""Small-number masking with complementary suppression (spec forms.md, "Small-number masking").

Pure rules on counts; :mod:`core.metrics.screening` applies them to its tables and the
profile applies :func:`area_written` to the province's figures.

A count between 1 and 4 is written ``<5``. 高风险 + 中风险 + 一般关注 = 预警人数合计 is
published, so when exactly one of those three parts is written ``<5`` it could be worked
back as the total minus the other two; then the smallest of the other two that is above 0
(and not masked) is written ``*`` as well. When neither is above 0 the total equals the
masked part and is masked itself. With two or three parts masked nothing more is
suppressed, as the spec says — though two masked parts whose sum is 2 or 8 can only be
1 + 1 or 4 + 4 (a gap in the rule, reported to the spec's owner, not closed here so that
every masked output stays what the contract prints).
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
    """The index of the part of a published sum to write '*', or None.

    ``parts`` are the counts that add up to a published total (高风险, 中风险, 一般关注).
    """
    small = [index for index, count in enumerate(parts) if is_small(count)]
    if len(small) != 1:
        return None
    others = [(count, index) for index, count in enumerate(parts) if index not in small and count > 0]
    return min(others)[1] if others else None


def area_written(institutions: int) -> bool:
    """Whether a province-level rate or count may be written in a masked output."""
    return institutions >= MIN_REPORTING_INSTITUTIONS

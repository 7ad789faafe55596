"""What every part of the sample data shares: the seed, the sample's "today", its default
size, and the :class:`Dataset` of rows the generator fills (see :mod:`sample_data.generate`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from core.deadlines import PERIOD_FORMS

SEED = 20251130
SAMPLE_TODAY = dt.date(2025, 11, 30)  # the sample data's "today" (demos run with APP_TODAY=2025-11-30)
DEFAULT_INSTITUTIONS = 120
DEFAULT_YEARS = 3
NEWEST_YEAR_START = 2024  # the newest 学年 is 2024-2025

Row = dict[str, Any]


@dataclass
class Dataset:
    """Rows of each form, keyed by the form's field keys, in the order they are filed."""

    institutions: list[Row] = field(default_factory=list)
    staffing: list[Row] = field(default_factory=list)
    screening: list[Row] = field(default_factory=list)
    projects: list[Row] = field(default_factory=list)
    indicators: dict[str, list[Row]] = field(default_factory=dict)  # forms declared as data → rows

    def rows(self, form_name: str) -> list[Row]:
        return getattr(self, form_name)

    def years(self) -> list[str]:
        """The 学年 reported in, oldest first."""
        return sorted({row["year"] for form_name in PERIOD_FORMS for row in self.rows(form_name)})


def academic_years(count: int, newest_start: int = NEWEST_YEAR_START) -> list[str]:
    """The ``count`` academic years ending with the newest one, oldest first."""
    return [f"{start}-{start + 1}" for start in range(newest_start - count + 1, newest_start + 1)]

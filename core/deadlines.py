"""报送截止日期: the deadline of each reporting period, as data.

A reporting period (DHIS2's "period") is a form and the time its rows are about:
队伍配备 reports once per 学年, 心理筛查 once per 学期 of a 学年; 重点项目 rows have no
period (a project is reported when it changes), so projects have no deadline.

Default deadlines, for the 学年 Y1-Y2 (an administrator may set another date for any
period, for every province or for one; a province's administrator for its own province.
core.settings_store keeps each override under :meth:`Period.setting_key`; the deadline in
force for an institution is its province's override, else the national one, else the
default, and removing an override falls back to the next):

- 队伍配备: Y1-11-30 — staffing is counted at the autumn enrolment, and the
  national education statistics (教育事业统计) are due in the same weeks;
- 心理筛查 秋季学期: Y1-12-31 — the 新生普查 is done in the first weeks of the
  autumn term, its follow-up interviews by the end of the calendar year;
- 心理筛查 春季学期: Y2-06-30 — the end of the spring term.

A screening report "for the whole 学年" (any term) is due at the latest of its terms'
deadlines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from core.forms import TERMS

SETTING_PREFIX = "deadline"
PERIOD_FORMS = ("staffing", "screening")  # forms that are reported per period
FORM_LABELS = {"staffing": "队伍配备", "screening": "心理筛查"}
WHOLE_YEAR = "全学年"

# (month, day, year offset from Y1) of the default deadline, by (form, term).
_DEFAULTS: dict[tuple[str, str | None], tuple[int, int, int]] = {
    ("staffing", None): (11, 30, 0),
    ("screening", "秋季学期"): (12, 31, 0),
    ("screening", "春季学期"): (6, 30, 1),
}


@dataclass(frozen=True)
class Period:
    """One reporting period: a form, a 学年 and (screening only) a 学期 or None for the whole year."""

    form: str
    year: str
    term: str | None = None

    def __post_init__(self) -> None:
        if self.form not in PERIOD_FORMS:
            raise ValueError(f"报表 {self.form} 没有报送期次，可选：{'、'.join(PERIOD_FORMS)}")
        if self.term is not None and (self.form != "screening" or self.term not in TERMS):
            raise ValueError(f"学期应为 {'、'.join(TERMS)} 之一，且只适用于心理筛查")

    @property
    def term_label(self) -> str:
        """秋季学期 / 春季学期 / 全学年 for screening, '' for staffing."""
        return (self.term or WHOLE_YEAR) if self.form == "screening" else ""

    @property
    def column(self) -> str:
        """Short name of the period inside one 学年: 队伍配备, 心理筛查·秋季学期 …"""
        return "·".join(filter(None, (FORM_LABELS[self.form], self.term_label)))

    def label(self) -> str:
        """队伍配备 2024-2025 / 心理筛查 2024-2025 秋季学期."""
        return " ".join(filter(None, (FORM_LABELS[self.form], self.year, self.term_label)))

    def setting_key(self, province: str | None = None) -> str:
        """deadline:<form>:<year>[:<term>] (national) or …:<province> (one province's override)."""
        return ":".join(filter(None, (SETTING_PREFIX, self.form, self.year, self.term, province)))

    @property
    def whole_year(self) -> bool:
        """A screening period of a whole 学年 (any 学期 counts; its deadline is the latest term's)."""
        return self.form == "screening" and self.term is None

    def deciding_periods(self) -> list[Period]:
        """The periods whose deadlines make this one's: itself, or each 学期 for a whole 学年."""
        if self.whole_year:
            return [Period("screening", self.year, term) for term in TERMS]
        return [self]


def periods_of_year(year: str) -> list[Period]:
    """The periods whose deadlines an administrator sets: 队伍配备 and each 学期 of 心理筛查."""
    return [Period("staffing", year)] + Period("screening", year).deciding_periods()


def first_year(year: str) -> int:
    """2024 for '2024-2025'."""
    return int(year.split("-")[0])


def previous_year(year: str) -> str:
    """'2023-2024' for '2024-2025'."""
    return f"{first_year(year) - 1}-{first_year(year)}"


def academic_year_of(day: dt.date) -> str:
    """The 学年 a date falls in; it starts on 1 September: 2025-11-30 → 2025-2026."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


def default_deadline(period: Period) -> dt.date:
    """The built-in deadline of ``period`` (see the module docstring)."""
    dates = []
    for deciding in period.deciding_periods():
        month, day, offset = _DEFAULTS[(deciding.form, deciding.term)]
        dates.append(dt.date(first_year(deciding.year) + offset, month, day))
    return max(dates)


def _part_in_force(part: Period, stored: Mapping[str, dt.date], province: str | None) -> dt.date:
    national = stored.get(part.setting_key(), default_deadline(part))
    return stored.get(part.setting_key(province), national) if province else national


def in_force(
    periods: list[Period], stored: Mapping[str, dt.date], province: str | None = None
) -> dict[Period, dt.date]:
    """The deadline in force for each period in ``province`` (None: the national one), given the
    stored overrides by setting key: the province's override, else the national override, else
    the default (a whole 学年 of screening: the latest of its terms')."""
    return {
        period: max(_part_in_force(part, stored, province) for part in period.deciding_periods())
        for period in periods
    }


def deadline_table(deadlines: Mapping[Period, dt.date]) -> pd.DataFrame:
    """The deadlines in force (see :func:`in_force`; their periods in order) as shown on
    the 报送截止日期 page."""
    periods = list(deadlines)
    return pd.DataFrame(
        {
            "学年": [period.year for period in periods],
            "报表": [FORM_LABELS[period.form] for period in periods],
            "学期": [period.term_label or None for period in periods],  # empty in the CSV, "—" on screen
            "截止日期": [deadlines[period].isoformat() for period in periods],
            "默认截止日期": [default_deadline(period).isoformat() for period in periods],
            "已调整": ["是" if deadlines[period] != default_deadline(period) else "否" for period in periods],
        },
        columns=["学年", "报表", "学期", "截止日期", "默认截止日期", "已调整"],
    )

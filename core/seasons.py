"""The 学年 a user may choose: from today's date (Beijing), the deadlines set and the data.

Before the first school uploads for a new 学年, that 学年 must still be selectable — it is
the one being chased: every institution in scope counts as 待报送 (deadline ahead) or
未报送 (deadline past) for it (core.queries.completeness reads the 高校名录, not the data).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from core.deadlines import SETTING_PREFIX, academic_year_of
from core.models import AppSetting, FormRecord
from core.queries.base import Bind, available_years, connected
from core.scope import Scope


@dataclass(frozen=True)
class Seasons:
    """The 学年 choices, newest first, and the one chosen by default: the season in progress;
    ``with_data`` the 学年 with rows reported (:func:`years_with_data`), newest first."""

    years: list[str]
    default: str
    with_data: tuple[str, ...] = ()

    @property
    def default_index(self) -> int:
        return self.years.index(self.default)

    def earlier_with_data(self, year: str | None) -> str | None:
        """The newest 学年 before ``year`` with data (where a page empty for ``year`` points to),
        or None: ``year`` has data itself, or nothing before it has."""
        if year is None or year in self.with_data:
            return None
        return next((earlier for earlier in self.with_data if earlier < year), None)


def years_with_deadlines(bind: Bind) -> list[str]:
    """Every 学年 an administrator has set a deadline for (setting keys ``deadline:<form>:<学年>…``)."""
    statement = select(AppSetting.key).where(AppSetting.key.like(f"{SETTING_PREFIX}:%"))
    with connected(bind) as connection:
        keys = [row[0] for row in connection.execute(statement)]
    return [parts[2] for parts in (key.split(":") for key in keys) if len(parts) > 2]


def years_with_data(bind: Bind) -> list[str]:
    """Every 学年 with rows reported: staffing, screening or a form declared as data; newest first."""
    with connected(bind) as connection:
        form_years = {row[0] for row in connection.execute(select(FormRecord.year).distinct())}
    return sorted({*available_years(bind), *form_years}, reverse=True)


def season_choices(bind: Bind, scope: Scope, today: dt.date) -> Seasons:
    """The 学年 offered in the sidebar: the season in progress at ``today`` (Settings.today(), the
    date in Beijing), every 学年 with data and every 学年 with a deadline set; newest first.

    ``scope`` is not applied (the choice is the same for every filter), it is only there so
    that pages can cache the call with ``cached(season_choices, Scope(), today)``.
    """
    current = academic_year_of(today)
    with_data = years_with_data(bind)
    years = sorted({current, *with_data, *years_with_deadlines(bind)}, reverse=True)
    return Seasons(years=years, default=current, with_data=tuple(with_data))

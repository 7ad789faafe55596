"""The settings an administrator changes, stored in ``AppSetting`` (key → JSON value).

The only module that reads or writes them: the staffing standards (under
``STANDARDS_KEY``) and the deadline overrides (under ``deadline:<form>:<year>[:<term>]``
for every province and ``…:<province>`` for one, see :meth:`core.deadlines.Period.setting_key`). What the values mean lives in
:mod:`core.standards` and :mod:`core.deadlines`, plain data without a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Engine, delete
from sqlmodel import Session, select

from core.db import session_scope
from core.deadlines import SETTING_PREFIX, Period, default_deadline, in_force
from core.freshness import SETTINGS_AREA
from core.models import AppSetting, utc_now
from core.standards import (
    COUNSELORS,
    DEFAULT_STANDARDS,
    IDEO_TEACHERS,
    PSY_TEACHERS,
    Standards,
    make_standards,
)

STANDARDS_KEY = "standards"


def _stored_value(standards: Standards) -> dict[str, Any]:
    return {
        "thresholds": {standard.key: standard.threshold for standard in standards},
        "psy_minimum": standards.psy.minimum,
        "part_time_factor": str(standards.part_time_factor),
    }


def _from_stored(value: dict[str, Any]) -> Standards:
    thresholds = value.get("thresholds", {})
    return make_standards(
        counselor_threshold=thresholds.get("counselors", COUNSELORS.threshold),
        ideo_threshold=thresholds.get("ideo", IDEO_TEACHERS.threshold),
        psy_threshold=thresholds.get("psy", PSY_TEACHERS.threshold),
        psy_minimum=value.get("psy_minimum", PSY_TEACHERS.minimum),
        part_time_factor=value.get("part_time_factor", "0"),
    )


def load_standards(engine: Engine | Connection) -> Standards:
    """The standards in force: the stored overrides over the defaults."""
    with Session(engine) as session:
        setting = session.get(AppSetting, STANDARDS_KEY)
        stored = setting.value if setting is not None else None
    return _from_stored(stored) if stored else DEFAULT_STANDARDS


def save_standards(engine: Engine, standards: Standards) -> None:
    """Store ``standards`` as the ones in force (validated again, so bad data never lands)."""
    checked = _from_stored(_stored_value(standards))
    with session_scope(engine, areas=[SETTINGS_AREA]) as session:
        session.merge(AppSetting(key=STANDARDS_KEY, value=_stored_value(checked), updated_at=utc_now()))


def reset_standards(engine: Engine) -> None:
    """Go back to the national defaults."""
    save_standards(engine, DEFAULT_STANDARDS)


def stored_deadlines(engine: Engine | Connection) -> dict[str, dt.date]:
    """Every stored deadline override (national and per province), by setting key: a handful of
    rows, read at once so that a read over many provinces stays one query."""
    prefix = f"{SETTING_PREFIX}:"
    with Session(engine) as session:
        settings = session.exec(
            select(AppSetting).where(AppSetting.key.startswith(prefix, autoescape=True))
        ).all()
    return {setting.key: dt.date.fromisoformat(setting.value) for setting in settings if setting.value}


def load_deadlines(
    engine: Engine | Connection, periods: list[Period], province: str | None = None
) -> dict[Period, dt.date]:
    """The deadline in force for each period in ``province`` (None: the national one): the
    province's override, else the national override, else the default."""
    return in_force(periods, stored_deadlines(engine), province)


def load_province_deadlines(
    engine: Engine | Connection, periods: list[Period], provinces: Iterable[str | None]
) -> dict[str | None, dict[Period, dt.date]]:
    """:func:`load_deadlines` for each of ``provinces`` (None: the national ones), in one read."""
    stored = stored_deadlines(engine)
    return {province: in_force(periods, stored, province) for province in dict.fromkeys(provinces)}


def load_deadline(engine: Engine, period: Period, province: str | None = None) -> dt.date:
    """The deadline in force for one period (in ``province``)."""
    return load_deadlines(engine, [period], province)[period]


def save_deadline(engine: Engine, period: Period, day: dt.date | None, province: str | None = None) -> None:
    """Store ``day`` as the deadline of ``period``, for every province (``province`` None) or for
    one. None, or the date the override would fall back to (the default; for a province, the
    national deadline in force), removes the override."""
    if period.whole_year:
        raise ValueError("全学年的截止日期取各学期中最晚的一个，请分别设置秋季学期和春季学期")
    key = period.setting_key(province)
    fallback = load_deadline(engine, period) if province else default_deadline(period)
    with session_scope(engine, areas=[SETTINGS_AREA]) as session:
        session.execute(delete(AppSetting).where(AppSetting.key == key))
        if day is not None and day != fallback:
            session.add(AppSetting(key=key, value=day.isoformat(), updated_at=utc_now()))

"""The settings an administrator changes, stored in ``AppSetting`` (key → JSON value).

The only module that reads or writes them: the staffing standards (under
``STANDARDS_KEY``) and the deadline overrides (under ``deadline:<form>:<year>[:<term>]``,
see :meth:`core.deadlines.Period.setting_key`). What the values mean lives in
:mod:`core.standards` and :mod:`core.deadlines`, plain data without a database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Engine, delete
from sqlmodel import Session, select

from core.db import session_scope
from core.deadlines import Period, default_deadline, in_force
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
    with session_scope(engine) as session:
        session.merge(AppSetting(key=STANDARDS_KEY, value=_stored_value(checked), updated_at=utc_now()))


def reset_standards(engine: Engine) -> None:
    """Go back to the national defaults."""
    save_standards(engine, DEFAULT_STANDARDS)


def load_deadlines(engine: Engine | Connection, periods: list[Period]) -> dict[Period, dt.date]:
    """The deadline in force for each period: the stored override, else the default."""
    keys = sorted({part.setting_key() for period in periods for part in period.deciding_periods()})
    with Session(engine) as session:
        settings = session.exec(select(AppSetting).where(AppSetting.key.in_(keys))).all()
    stored = {setting.key: dt.date.fromisoformat(setting.value) for setting in settings if setting.value}
    return in_force(periods, stored)


def load_deadline(engine: Engine, period: Period) -> dt.date:
    """The deadline in force for one period."""
    return load_deadlines(engine, [period])[period]


def save_deadline(engine: Engine, period: Period, day: dt.date | None) -> None:
    """Store ``day`` as the deadline of ``period``; None (or the default date) removes the override."""
    if period.whole_year:
        raise ValueError("全学年的截止日期取各学期中最晚的一个，请分别设置秋季学期和春季学期")
    with session_scope(engine) as session:
        session.execute(delete(AppSetting).where(AppSetting.key == period.setting_key()))
        if day is not None and day != default_deadline(period):
            session.add(AppSetting(key=period.setting_key(), value=day.isoformat(), updated_at=utc_now()))

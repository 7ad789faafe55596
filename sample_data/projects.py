"""The sample data's 重点项目: every category, stage and scenario (done, overdue, due soon …)
as it stands on :data:`~sample_data.dataset.SAMPLE_TODAY`."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from typing import Any

from core.forms import PROJECT_CATEGORIES
from sample_data.dataset import SAMPLE_TODAY, Row
from sample_data.schools import School, chinese_number

_DEPARTMENTS = (
    "马克思主义学院", "机械工程学院", "信息工程学院", "经济管理学院", "文学院", "护理学院",
    "化学化工学院", "外国语学院", "建筑工程学院", "教育学院", "艺术设计学院", "数学与统计学院",
)  # fmt: skip
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"

# --- projects ------------------------------------------------------------------------

# scenario → its weight; a scenario fixes how the project stands at SAMPLE_TODAY.
_SCENARIOS = {"done": 24, "overdue": 14, "due_soon": 9, "on_track": 38, "terminated": 7, "applied": 8}
# due date relative to SAMPLE_TODAY, in days, for the scenarios that are fixed by it
_DUE_OFFSETS = {"done": (-900, 0), "overdue": (-400, -1), "due_soon": (1, 60), "terminated": (-400, 400)}
_ON_TRACK_STAGES = {
    "立项": (0.02, 0.12),
    "培育建设": (0.15, 0.5),
    "中期检查": (0.45, 0.75),
    "验收": (0.8, 0.93),
}
_BATCH_BY_YEAR = {2021: "第一批", 2022: "第二批", 2023: "第三批"}  # 2024 and later: 第四批
# Together these cover every stage and every scenario, so even a small dataset shows them all.
_REQUIRED_PLANS = (
    ("applied", "申报"),
    ("on_track", "立项"),
    ("on_track", "培育建设"),
    ("on_track", "中期检查"),
    ("on_track", "验收"),
    ("done", "已验收通过"),
    ("terminated", "终止"),
    ("overdue", "中期检查"),
    ("due_soon", "验收"),
)


def make_projects(rng: random.Random, schools: Sequence[School], count: int) -> list[Row]:
    weights = [_project_weight(school.row) for school in schools]
    categories = _covering(
        rng, PROJECT_CATEGORIES, count, lambda: rng.choices(PROJECT_CATEGORIES, weights=[10] * 9 + [3])[0]
    )
    plans = _covering(rng, _REQUIRED_PLANS, count, lambda: _draw_plan(rng))
    projects = []
    for serial, (category, (scenario, stage)) in enumerate(zip(categories, plans, strict=True), start=1):
        school = rng.choices(schools, weights=weights)[0]
        projects.append(_project_row(rng, serial, school, category, scenario, stage))
    return projects


def _covering(rng: random.Random, required: Sequence[Any], count: int, draw: Callable[[], Any]) -> list[Any]:
    """Each of ``required`` once (as far as ``count`` allows), then ``draw()`` for the rest; shuffled."""
    picks = list(required[:count]) + [draw() for _ in range(count - len(required))]
    rng.shuffle(picks)
    return picks


def _draw_plan(rng: random.Random) -> tuple[str, str]:
    """A random (scenario, stage), by scenario weight."""
    scenario = rng.choices(list(_SCENARIOS), weights=list(_SCENARIOS.values()))[0]
    stage = {
        "done": "已验收通过",
        "terminated": "终止",
        "applied": "申报",
        "overdue": rng.choice(("培育建设", "中期检查", "中期检查", "验收", "验收")),
        "due_soon": rng.choice(("培育建设", "中期检查", "验收", "验收")),
        "on_track": rng.choices(list(_ON_TRACK_STAGES), weights=(15, 40, 30, 15))[0],
    }[scenario]
    return scenario, stage


def _project_weight(row: Row) -> float:
    if row["level"] == "本科":
        return 4 if row["ownership"] == "公办" else 1
    return 2 if row["ownership"] == "公办" else 0.5


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + year, month + 1, 1)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _month_end(start: dt.date, months: int) -> dt.date:
    """The last day of the ``months``-th month from ``start``'s month."""
    return _add_months(start, months) - dt.timedelta(days=1)


def _project_dates(rng: random.Random, scenario: str, stage: str) -> tuple[dt.date, dt.date]:
    """(立项日期, 计划完成日期) that put the project in ``scenario`` at SAMPLE_TODAY."""
    months = rng.choice((24, 24, 30, 36))
    if scenario == "applied":  # planned to start after review
        start = _month_start(SAMPLE_TODAY + dt.timedelta(days=rng.randint(20, 120)))
        return start, _month_end(start, months)
    if scenario == "on_track":  # started long enough ago to be at ``stage``; due after the 60-day window
        elapsed = rng.uniform(*_ON_TRACK_STAGES[stage]) * months * 365.25 / 12
        start = _month_start(SAMPLE_TODAY - dt.timedelta(days=round(elapsed)))
        return start, max(_month_end(start, months), SAMPLE_TODAY + dt.timedelta(days=61))
    low, high = _DUE_OFFSETS[scenario]
    due = SAMPLE_TODAY + dt.timedelta(days=rng.randint(low, high))
    return _month_start(_add_months(due, -months)), due


def _progress(rng: random.Random, scenario: str, stage: str, start: dt.date, due: dt.date) -> int:
    if stage == "已验收通过":
        return 100
    if stage == "申报":
        return 0
    if stage == "终止":
        return rng.randint(10, 60)
    elapsed = (SAMPLE_TODAY - start).days / max(1, (due - start).days)
    floor, ceiling = {"立项": (0, 15), "培育建设": (10, 65), "中期检查": (40, 75), "验收": (85, 98)}[stage]
    lag = rng.uniform(0.6, 1.0) if scenario == "overdue" else rng.uniform(0.85, 1.1)
    return max(floor, min(ceiling, round(elapsed * 100 * lag)))


def _project_title(rng: random.Random, unit: str, category: str) -> str:
    department = rng.choice(_DEPARTMENTS)
    return {
        "党建示范高校": f"{unit}党建工作示范高校创建",
        "党建标杆院系": f"{unit}{department}党建工作标杆院系培育创建",
        "党建样板支部": f"{unit}{department}教工第{chinese_number(rng.randint(1, 4))}党支部样板支部建设",
        "“双带头人”教师党支部书记工作室": f"{unit}{department}“双带头人”教师党支部书记工作室",
        "思政工作精品项目": f"{unit}{rng.choice(('实践育人', '文化育人', '资助育人', '课程思政'))}精品项目",
        "“三全育人”综合改革": f"{unit}“三全育人”综合改革试点建设",
        "“一站式”学生社区": f"{unit}“一站式”学生社区综合管理模式建设",
        "网络思政": f"{unit}网络思政工作室建设",
        "心理健康教育": f"{unit}{rng.choice(('心理健康教育示范中心', '朋辈心理辅导体系'))}建设",
        "其他": f"{unit}辅导员工作精品项目",
    }[category]


def _project_row(
    rng: random.Random, serial: int, school: School, category: str, scenario: str, stage: str
) -> Row:
    start, due = _project_dates(rng, scenario, stage)
    batch = _BATCH_BY_YEAR.get(start.year, "第一批" if start.year < 2021 else "第四批")
    notes = {"overdue": "进度滞后，已督办", "terminated": "承担单位申请终止，已批准", "applied": "待评审"}
    note = notes.get(scenario) if scenario != "overdue" or rng.random() < 0.5 else None
    return {
        "project_id": f"XM-{start.year}-{serial:04d}",
        "title": _project_title(rng, school.name, category),
        "category": category,
        "batch": batch,
        "code": school.code,
        "unit": school.name,
        "start": start,
        "due": due,
        "stage": stage,
        "progress": _progress(rng, scenario, stage, start, due),
        "updated": _last_update(rng, start, due),
        "lead": f"{rng.choice(_SURNAMES)}老师",
        "note": note,
    }


def _last_update(rng: random.Random, start: dt.date, due: dt.date) -> dt.date:
    latest = min(SAMPLE_TODAY, due + dt.timedelta(days=45))
    earliest = min(start, latest)
    return max(earliest, latest - dt.timedelta(days=rng.randint(0, 150)))

"""The tiles of 总览: each figure with its change from the previous 学年 and its state
against the standard (the page marks it: green meets it, orange is close, red is far;
the change is coloured by whether it is for the better).

States:
- a staffing standard's 达标率: every applicable institution meets it → GOOD; at least
  ``NEAR_SHARE`` of them → NEAR; fewer → POOR;
- 未报送学校 (队伍配备): none → GOOD; some before the deadline → NEAR (待报送); some after it → POOR;
- 高风险人数 has no standard: no state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core.formatting import NOT_AVAILABLE, count_text, on_screen
from core.views.screening import ScreeningFigures
from core.views.staffing import StaffingKpis

NEAR_SHARE = 0.8


class State(StrEnum):
    GOOD = "good"
    NEAR = "near"
    POOR = "poor"
    NONE = "none"  # no standard to hold the figure against


@dataclass(frozen=True)
class Tile:
    """One tile: ``delta`` is the change from the previous 学年 ('+3.2 个百分点', '-12'; None
    without a previous 学年), ``lower_is_better`` says which way it improves; ``link`` the
    page it opens (None: the tile beside it links there already)."""

    label: str
    value: str
    delta: str | None
    state: State
    help: str
    link: str | None
    lower_is_better: bool = False


def _points(now: float | None, before: float | None) -> str | None:
    """The change between two shares (0–1) in percentage points: '+3.2 个百分点'."""
    if now is None or before is None:
        return None
    return f"{100 * (now - before):+.1f} 个百分点"


def _count_change(now: int | None, before: int | None) -> str | None:
    if now is None or before is None:
        return None
    return f"{now - before:+,}"


def _share_state(share: float | None) -> State:
    if share is None:
        return State.NONE
    if share >= 1:
        return State.GOOD
    return State.NEAR if share >= NEAR_SHARE else State.POOR


def staffing_tiles(now: StaffingKpis, before: StaffingKpis | None) -> list[Tile]:
    """One tile per standard: the share of applicable institutions meeting it."""
    tiles = []
    for kpi in now.per_standard:
        standard = kpi.standard
        tiles.append(
            Tile(
                label=f"{standard.label}达标率（1:{standard.threshold:,}）",
                value=on_screen(kpi.share_text),
                delta=_points(kpi.share, before.by_key(standard.key).share if before else None),
                state=_share_state(kpi.share),
                help=f"{standard.describe()}。达标 {kpi.compliant:,} / 适用 "
                f"{kpi.applicable:,} 所。标记：绿色为全部达标，橙色为达标率不低于 "
                f"{NEAR_SHARE:.0%}，红色为低于 {NEAR_SHARE:.0%}。",
                link=None if tiles else "pages/staffing.py",
            )
        )
    return tiles


def _high_risk(figures: ScreeningFigures | None) -> int | None:
    """高风险人数 of a 学年 with screenings reported, None without any (a 学年 not reported yet
    has no figure, not 0)."""
    return figures.high if figures and figures.screened else None


def high_risk_tile(now: ScreeningFigures, before: ScreeningFigures | None) -> Tile:
    high = _high_risk(now)
    return Tile(
        label="高风险人数",
        value=count_text(high),
        delta=_count_change(high, _high_risk(before)),
        state=State.NONE,
        help=f"心理筛查中评定为高风险的学生人数合计（实测 {now.screened:,} 人）；不含任何学生个人信息。",
        link="pages/screening.py",
        lower_is_better=True,
    )


def missing_tile(now: dict[str, Any] | None, before: dict[str, Any] | None, today: dt.date) -> Tile:
    """未报送学校 of 队伍配备 in the 学年 (``now`` is core.views.completeness's summary, None
    without a 学年)."""
    if now is None:
        return Tile(
            "未报送学校", NOT_AVAILABLE, None, State.NONE, "请先在侧栏选择学年", "pages/completeness.py"
        )
    missing = now["not_submitted"]
    overdue = now["deadline"] is not None and today > now["deadline"]
    state = State.GOOD if missing == 0 else State.POOR if overdue else State.NEAR
    deadline = now["deadline"].isoformat() if now["deadline"] else NOT_AVAILABLE
    return Tile(
        label="未报送学校",
        value=count_text(missing),
        delta=_count_change(missing, before["not_submitted"] if before else None),
        state=state,
        help=f"队伍配备：应报 {now['expected']:,} 所，已报 {now['submitted']:,} 所；截止日期 {deadline}"
        f"（{'已过' if overdue else '未到'}）。",
        link="pages/completeness.py",
        lower_is_better=True,
    )

"""督办名单: the institutions to chase, for all standards at once or for one standard.

Built from a staffing metrics frame (core.metrics.staffing). Per standard, the name comes
first, then what is not met and the gap, so that the columns an official acts on are on
screen without scrolling; one CSV per standard.
"""

from __future__ import annotations

import pandas as pd

from core.formatting import ratio_text
from core.headers import INSTITUTION_HEADERS, INSTITUTION_NAME, INSTITUTION_NAME_HEADER, STUDENTS
from core.metrics.staffing import GAP, NON_COMPLIANT, RATIO, REQUIRED, STAFF, STATUS, column
from core.standards import Standard, Standards

ALL = "all"  # the list of institutions failing any standard
FAILING = "未达标指标"
GAP_HEADER = "缺口"
NAME_FIRST = ["序号", INSTITUTION_NAME_HEADER, FAILING]  # the columns an official reads first


def blank_as_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Empty texts (no ratio, no share) as missing values: empty in CSV, "—" on screen."""
    return frame.replace("", None)


def _numbered(table: pd.DataFrame) -> pd.DataFrame:
    table = table.reset_index(drop=True)
    table.insert(0, "序号", range(1, len(table) + 1))
    return blank_as_missing(table)


def any_standard(frame: pd.DataFrame, standards: Standards) -> pd.DataFrame:
    """Institutions not meeting at least one standard, largest counselor gap first; 未达标指标
    names the standards not met."""
    statuses = frame[[column(standard, STATUS) for standard in standards]]
    failing = statuses.eq(NON_COMPLIANT)
    frame = frame[failing.any(axis=1)].assign(
        failing=[
            "、".join(standard.label for standard, fails in zip(standards, row, strict=True) if fails)
            for row in failing[failing.any(axis=1)].itertuples(index=False)
        ]
    )
    frame = frame.sort_values(
        [column(standards.counselors, GAP), "students", "code"], ascending=[False, False, True], kind="stable"
    )
    headers = {
        "code": "学校标识码",
        INSTITUTION_NAME: INSTITUTION_NAME_HEADER,
        **INSTITUTION_HEADERS,
        "students": STUDENTS,
        "counselors_ft": "专职辅导员数",
        column(standards.counselors, RATIO): "辅导员师生比",
        column(standards.counselors, GAP): "辅导员缺口",
        column(standards.ideo, GAP): "思政课教师缺口",
        column(standards.psy, GAP): "心理健康教育教师缺口",
        "failing": FAILING,
    }
    return _numbered(frame[list(headers)].rename(columns=headers))


def screen_order(table: pd.DataFrame) -> list[str]:
    """The columns of a 督办名单 in the order shown: name, what is not met and the gaps first
    (the CSV keeps its own order)."""
    first = NAME_FIRST + [name for name in table.columns if name.endswith(GAP_HEADER)]
    return first + [name for name in table.columns if name not in first]


def shortfall(standard: Standard, students: int, staff: float) -> str:
    """What ``standard`` asks that an institution does not meet, in words: '师生比 1:400.1，
    未达 1:200' or '现有 1 名，每校不少于 2 名'."""
    if standard.minimum and staff < standard.minimum:
        return f"现有 {staff:g} 名，每校不少于 {standard.minimum} 名"
    ratio = ratio_text(students, staff) if staff else "无专职人员"
    return f"师生比 {ratio}，未达 1:{standard.threshold:,}"


def one_standard(frame: pd.DataFrame, standard: Standard) -> pd.DataFrame:
    """Institutions not meeting ``standard``, largest gap first: 学校名称, 未达标指标, 缺口, then
    应配数, 计入人数, 师生比 and where the institution is."""
    frame = frame[frame[column(standard, STATUS)].eq(NON_COMPLIANT)]
    frame = frame.sort_values(
        [column(standard, GAP), "students", "code"], ascending=[False, False, True], kind="stable"
    )
    staff, required = column(standard, STAFF), column(standard, REQUIRED)
    failing = [
        shortfall(standard, int(students), float(counted))
        for students, counted in zip(frame["students"], frame[staff], strict=True)
    ]
    headers = {
        INSTITUTION_NAME: INSTITUTION_NAME_HEADER,
        "failing": FAILING,
        column(standard, GAP): GAP_HEADER,
        required: "应配数",
        staff: f"计入{standard.post}数",
        column(standard, RATIO): "师生比",
        "students": STUDENTS,
        "code": "学校标识码",
        **INSTITUTION_HEADERS,
    }
    return _numbered(frame.assign(failing=failing)[list(headers)].rename(columns=headers))


def supervision_lists(frame: pd.DataFrame, standards: Standards) -> dict[str, pd.DataFrame]:
    """The 督办名单 by choice: ``ALL`` (any standard) and each standard's key."""
    return {ALL: any_standard(frame, standards)} | {
        standard.key: one_standard(frame, standard) for standard in standards
    }

"""The staffing standards (配备标准): thresholds with their source documents.

The thresholds are data, not code: the defaults below come from the national
documents (spec: "Standards the staffing page measures against"); an administrator
may override them (core.settings_store keeps the overrides). Every figure of the
staffing page is computed from the standards in force, so a saved change shows
everywhere once the cached reads are cleared.

The part-time counselor conversion factor is kept as an exact fraction (``1/3`` is
the reading of 教育部令第43号, which counts a part-time counselor's workload as one
third of a full-time one's), so that 3 part-time counselors at 1/3 count exactly as 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

# Counted counselors are computed in units of 1/denominator of a person (core.metrics.staffing).
MAX_FACTOR_DENOMINATOR = 1000


@dataclass(frozen=True)
class Standard:
    """One staffing standard: at most ``threshold`` full-time students per staff member.

    ``staff_field`` is the staffing form field holding the staff count; ``minimum`` is a
    floor on the required staff of any institution with students (2 for psychology).
    """

    key: str
    label: str  # the short name used in export headers: 辅导员师生比 …
    post: str  # the post the standard is about: 专职辅导员 …
    staff_field: str
    threshold: int
    minimum: int
    source: str

    @property
    def ratio(self) -> str:
        """'师生比不低于 1:200' — as 教育部令第43号 / 第46号 word it (a ratio 1:N is the higher,
        the fewer students N each staff member has)."""
        return f"师生比不低于 1:{self.threshold:,}"

    @property
    def meaning(self) -> str:
        """'每名专职辅导员对应学生不超过 200 人': the ratio in plain words."""
        return f"每名{self.post}对应学生不超过 {self.threshold:,} 人"

    def describe(self) -> str:
        """'专职辅导员：师生比不低于 1:200（每名专职辅导员对应学生不超过 200 人）'
        (+ '，且每校不少于 2 名')."""
        text = f"{self.post}：{self.ratio}（{self.meaning}）"
        if self.minimum:
            text += f"，且每校不少于 {self.minimum} 名"
        return text

    def short(self) -> str:
        """'辅导员 1:200', '心理健康教育教师 1:4,000 且不少于 2 名': a choice's label."""
        text = f"{self.label} 1:{self.threshold:,}"
        return f"{text} 且不少于 {self.minimum} 名" if self.minimum else text


COUNSELORS = Standard(
    key="counselors",
    label="辅导员",
    post="专职辅导员",
    staff_field="counselors_ft",
    threshold=200,
    minimum=0,
    source="《普通高等学校辅导员队伍建设规定》（教育部令第43号，2017）",
)
IDEO_TEACHERS = Standard(
    key="ideo",
    label="思政课教师",
    post="专职思政课教师",
    staff_field="ideo_teachers",
    threshold=350,
    minimum=0,
    source="《新时代高等学校思想政治理论课教师队伍建设规定》（教育部令第46号，2020）",
)
PSY_TEACHERS = Standard(
    key="psy",
    label="心理健康教育教师",
    post="专职心理健康教育教师",
    staff_field="psy_teachers",
    threshold=4000,
    minimum=2,
    source="《全面加强和改进新时代学生心理健康工作专项行动计划（2023—2025年）》；"
    "每校不少于 2 名亦见《高等学校学生心理健康教育指导纲要》（2018）",
)

PART_TIME_FACTOR_SOURCE = (
    "默认 0：兼职辅导员不计入 1:200 专职辅导员配备标准；"
    "教育部令第43号按兼职辅导员工作量为专职的三分之一折算，需要此口径的地区可设为 1/3"
)


class InvalidStandards(ValueError):
    """New standard values that cannot be used; ``messages`` says what to fix, in Chinese."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("；".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Standards:
    """The standards in force and the part-time counselor conversion factor."""

    counselors: Standard = COUNSELORS
    ideo: Standard = IDEO_TEACHERS
    psy: Standard = PSY_TEACHERS
    part_time_factor: Fraction = Fraction(0)

    def __iter__(self) -> Iterator[Standard]:
        return iter((self.counselors, self.ideo, self.psy))

    def by_key(self, key: str) -> Standard:
        return {standard.key: standard for standard in self}[key]


DEFAULT_STANDARDS = Standards()


def parse_factor(text: str | int | float | Fraction) -> Fraction:
    """'1/3', '0.5', '0', 0.25 → an exact fraction; InvalidStandards when it is not a number."""
    try:
        return Fraction(str(text).strip().replace("／", "/"))
    except (ValueError, ZeroDivisionError):
        raise InvalidStandards(
            [f"兼职辅导员折算系数“{text}”不是数字，请填写 0 到 1 之间的数，如 0、1/3 或 0.5"]
        ) from None


def _threshold_problem(standard: Standard, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return f"{standard.post}的配备标准须为正整数（每名{standard.post}对应的学生数，如 {standard.threshold}），当前为 {value}"
    return None


def make_standards(
    *,
    counselor_threshold: int,
    ideo_threshold: int,
    psy_threshold: int,
    psy_minimum: int,
    part_time_factor: str | int | float | Fraction,
) -> Standards:
    """Standards with these values; InvalidStandards lists every value that cannot be used."""
    problems: list[str] = []
    for standard, value in (
        (COUNSELORS, counselor_threshold),
        (IDEO_TEACHERS, ideo_threshold),
        (PSY_TEACHERS, psy_threshold),
    ):
        if problem := _threshold_problem(standard, value):
            problems.append(problem)
    if isinstance(psy_minimum, bool) or not isinstance(psy_minimum, int) or psy_minimum < 0:
        problems.append(f"专职心理健康教育教师每校最少人数须为 0 或正整数，当前为 {psy_minimum}")
    try:
        factor = parse_factor(part_time_factor)
    except InvalidStandards as problem:
        problems.extend(problem.messages)
    else:
        if not 0 <= factor <= 1:
            problems.append(f"兼职辅导员折算系数须在 0 到 1 之间（如 0 或 1/3），当前为 {part_time_factor}")
        elif factor.denominator > MAX_FACTOR_DENOMINATOR:
            problems.append(
                f"兼职辅导员折算系数“{part_time_factor}”过于精细：请写成分母不超过 "
                f"{MAX_FACTOR_DENOMINATOR} 的分数或最多三位小数，如 1/3 或 0.333"
            )
    if problems:
        raise InvalidStandards(problems)
    return Standards(
        counselors=replace(COUNSELORS, threshold=counselor_threshold),
        ideo=replace(IDEO_TEACHERS, threshold=ideo_threshold),
        psy=replace(PSY_TEACHERS, threshold=psy_threshold, minimum=psy_minimum),
        part_time_factor=factor,
    )

"""Staffing metrics: ratios, required staff, gaps and compliance (pure pandas, no I/O).

Rules (spec: form ``staffing``, "Derived per institution and year"):
- students = 全日制本专科生数 + 全日制研究生数;
- required = ceil(students / threshold), at least the standard's minimum (2 for
  psychology teachers); gap = max(0, ceil(required − counted)); compliant ⇔ gap == 0;
- 0 students → 不适用: ratio empty, required and gap 0;
- a staff count that was not reported (NULL) leaves ratio, required, gap and status
  empty — that rule wins over 不适用;
- counselors counted = 专职 + f × 兼职 with the configured factor f (default 0).

All arithmetic is exact (integers and fractions), so 1/3 × 3 part-time counselors
is exactly one counselor and a ratio is rounded half up from the exact value.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd

from core.formatting import percent_text, ratio_text
from core.standards import Standard, Standards

COMPLIANT = "达标"
NON_COMPLIANT = "未达标"
NOT_APPLICABLE = "不适用"

# Metric columns added per standard: f"{standard.key}_{suffix}".
STAFF = "staff"  # staff counted (counselors: 专职 + f × 兼职), may be fractional
RATIO = "ratio"  # text '1:200.3'
PER_STAFF = "per_staff"  # students per staff member, a float for charts and sorting
REQUIRED = "required"
GAP = "gap"
STATUS = "status"


def column(standard: Standard, suffix: str) -> str:
    """The metric column name for ``standard``: column(COUNSELORS, GAP) == 'counselors_gap'."""
    return f"{standard.key}_{suffix}"


def students_total(frame: pd.DataFrame) -> pd.Series:
    """全日制本专科生数 + 全日制研究生数 per row."""
    return frame["undergrad"].astype("int64") + frame["postgrad"].astype("int64")


def _counted_staff(frame: pd.DataFrame, standard: Standard, factor: Fraction) -> pd.Series:
    """Staff counted toward ``standard`` as exact numbers (object dtype; None = not reported)."""
    staff = frame[standard.staff_field]
    if standard.key != "counselors" or factor == 0:
        return staff.astype(object).where(staff.notna(), None)
    part_time = frame["counselors_pt"].fillna(0)
    return pd.Series(
        [
            None if pd.isna(full) else Fraction(int(full)) + factor * int(part)
            for full, part in zip(staff, part_time, strict=True)
        ],
        index=frame.index,
        dtype=object,
    )


def _required(students: int, standard: Standard) -> int:
    if students == 0:
        return 0
    return max(standard.minimum, -(-students // standard.threshold))


def _standard_values(students: int, staff: Fraction | int | None, standard: Standard) -> tuple:
    """(ratio, per_staff, required, gap, status) of one institution for one standard."""
    if staff is None:
        return "", math.nan, None, None, None
    if students == 0:
        return "", math.nan, 0, 0, NOT_APPLICABLE
    required = _required(students, standard)
    gap = max(0, math.ceil(required - staff))
    per_staff = students / staff if staff else math.inf
    status = COMPLIANT if gap == 0 else NON_COMPLIANT
    return ratio_text(students, Fraction(staff)), float(per_staff), required, gap, status


def staffing_metrics(frame: pd.DataFrame, standards: Standards) -> pd.DataFrame:
    """``frame`` (rows of the staffing form) with ``students`` and, per standard, the
    columns staff, ratio, per_staff, required, gap and status (see :func:`column`)."""
    result = frame.copy()
    result["students"] = students_total(frame) if len(frame) else pd.Series(dtype="int64")
    for standard in standards:
        staff = _counted_staff(frame, standard, standards.part_time_factor)
        values = pd.DataFrame(
            [
                _standard_values(int(students), counted, standard)
                for students, counted in zip(result["students"], staff, strict=True)
            ],
            index=frame.index,
            columns=[RATIO, PER_STAFF, REQUIRED, GAP, STATUS],
        )
        result[column(standard, STAFF)] = pd.Series(
            [None if value is None else float(value) for value in staff], index=frame.index, dtype="Float64"
        )
        result[column(standard, RATIO)] = values[RATIO].astype(object)
        result[column(standard, PER_STAFF)] = values[PER_STAFF].astype("float64")
        result[column(standard, REQUIRED)] = values[REQUIRED].astype("Int64")
        result[column(standard, GAP)] = values[GAP].astype("Int64")
        result[column(standard, STATUS)] = values[STATUS].astype(object).where(values[STATUS].notna(), None)
    return result


def _exact(staff_sum: float) -> Fraction:
    """A sum of counted staff back as an exact fraction.

    Counted staff are whole numbers plus multiples of the conversion factor (a
    fraction with a small denominator such as 1/3); their float sum is within
    rounding error of that fraction, which ``limit_denominator`` recovers, so a
    group's ratio is rounded half up from the exact value like an institution's.
    """
    return Fraction(staff_sum).limit_denominator(10**6)


def rollup(metrics: pd.DataFrame, by: str, standard: Standard) -> pd.DataFrame:
    """Per value of ``by`` (province, level, ownership, year): how ``standard`` is met.

    Columns: ``by``, institutions (rows of the group), applicable (rows with students
    and a reported staff count), compliant, share (compliant / applicable, NaN when
    none applies), students and staff (sums over the applicable rows), ratio (the
    group's overall 1:N) and gap (sum of gaps).
    """
    status = metrics[column(standard, STATUS)]
    applicable = status.isin([COMPLIANT, NON_COMPLIANT])
    work = pd.DataFrame(
        {
            by: metrics[by],
            "institutions": 1,
            "applicable": applicable.astype("int64"),
            "compliant": status.eq(COMPLIANT).astype("int64"),
            "students": metrics["students"].where(applicable, 0).astype("int64"),
            "staff": metrics[column(standard, STAFF)].where(applicable, 0).astype("float64"),
            "gap": metrics[column(standard, GAP)].fillna(0).astype("int64"),
        }
    )
    groups = work.groupby(by, sort=True, dropna=False).sum().reset_index()
    groups["share"] = groups["compliant"] / groups["applicable"].where(groups["applicable"] > 0)
    groups["ratio"] = [
        ratio_text(students, _exact(staff))
        for students, staff in zip(groups["students"], groups["staff"], strict=True)
    ]
    groups["share_text"] = [
        percent_text(compliant, applicable)
        for compliant, applicable in zip(groups["compliant"], groups["applicable"], strict=True)
    ]
    return groups[
        [
            by,
            "institutions",
            "applicable",
            "compliant",
            "share",
            "share_text",
            "students",
            "staff",
            "ratio",
            "gap",
        ]
    ]


def year_over_year(metrics: pd.DataFrame, standard: Standard) -> pd.DataFrame:
    """Per institution and year: the change since the same institution's previous 学年.

    Columns: code, year, previous_year, students_change, staff_change, gap_change and
    previous_status; empty where the institution has no earlier year in ``metrics``.
    """
    ordered = metrics.sort_values(["code", "year"])
    earlier = ordered.groupby("code", sort=False)
    staff = ordered[column(standard, STAFF)]
    gap = ordered[column(standard, GAP)]
    return pd.DataFrame(
        {
            "code": ordered["code"],
            "year": ordered["year"],
            "previous_year": earlier["year"].shift(1),
            "students_change": ordered["students"] - earlier["students"].shift(1),
            "staff_change": staff - staff.groupby(ordered["code"]).shift(1),
            "gap_change": gap - gap.groupby(ordered["code"]).shift(1),
            "previous_status": earlier[column(standard, STATUS)].shift(1),
        }
    ).reset_index(drop=True)

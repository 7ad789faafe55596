"""Staffing metrics: ratios, required staff, gaps and compliance (no I/O).

The compliance rule lives here once, in two forms built from the same Standard: the
pandas columns of :func:`staffing_metrics` and the SQL expressions of :func:`sql_rule`
(for counts the database makes, e.g. the trend over every year; the expressions are
built over columns handed in, so this module imports no tables nor engines).

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

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, and_, case, func, null

from core.formatting import one_decimal_texts, percent_text, ratio_text
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
# Counts of institutions per standard (core.queries.staffing.compliance_counts): column(standard, APPLICABLE) …
APPLICABLE = "applicable"  # students and a reported staff count
MET = "compliant"


def column(standard: Standard, suffix: str) -> str:
    """The metric column name for ``standard``: column(COUNSELORS, GAP) == 'counselors_gap'."""
    return f"{standard.key}_{suffix}"


def students_total(frame: pd.DataFrame) -> pd.Series:
    """全日制本专科生数 + 全日制研究生数 per row."""
    return frame["undergrad"].astype("int64") + frame["postgrad"].astype("int64")


def _ceil_div(numerator: np.ndarray, denominator: int | np.ndarray) -> np.ndarray:
    """Exact integer ceil(numerator / denominator), element-wise (also for negatives)."""
    return -(-numerator // denominator)


def _units(standard: Standard, factor: Fraction) -> tuple[int, int]:
    """(q, p): staff are counted in units of 1/q of a person, 专职 + (p/q) × 兼职 being
    q·专职 + p·兼职 units; only the counselor standard counts part-timers (p/q = factor)."""
    if standard.staff_field == "counselors_ft":
        return factor.denominator, factor.numerator
    return 1, 0


def _standard_columns(
    frame: pd.DataFrame, students: np.ndarray, standard: Standard, factor: Fraction
) -> dict[str, pd.Series]:
    """The staff, ratio, per_staff, required, gap and status columns of one standard.

    Staff are counted in units of 1/q of a person (q = the factor's denominator), so
    专职 + (p/q) × 兼职 is the whole number q·专职 + p·兼职 of units and every
    comparison stays exact.
    """
    full = frame[standard.staff_field]
    reported = full.notna().to_numpy()
    q, p = _units(standard, factor)
    part_time = frame["counselors_pt"].fillna(0).to_numpy(dtype="int64") if p else 0
    units = full.fillna(0).to_numpy(dtype="int64") * q + p * part_time

    has_students = students > 0
    staffed = has_students & (units > 0)
    required = np.where(
        has_students, np.maximum(standard.minimum, _ceil_div(students, standard.threshold)), 0
    )
    gap = np.where(has_students, np.maximum(0, _ceil_div(required * q - units, q)), 0)
    status = np.where(has_students, np.where(gap == 0, COMPLIANT, NON_COMPLIANT), NOT_APPLICABLE)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_staff = np.where(
            staffed, students * q / np.where(staffed, units, 1), np.where(has_students, np.inf, np.nan)
        )

    # '1:N' with N = students / (units / q), as core.formatting.ratio_text writes it.
    ratios = np.array(one_decimal_texts(students * q, units, prefix="1:"), dtype=object)
    index = frame.index
    missing = ~reported
    return {
        STAFF: pd.Series(units / q, index=index, dtype="Float64").mask(missing),
        RATIO: pd.Series(np.where(staffed & reported, ratios, ""), index=index, dtype=object),
        PER_STAFF: pd.Series(np.where(reported, per_staff, np.nan), index=index, dtype="float64"),
        REQUIRED: pd.Series(required, index=index, dtype="Int64").mask(missing),
        GAP: pd.Series(gap, index=index, dtype="Int64").mask(missing),
        STATUS: pd.Series(status, index=index, dtype=object).where(reported, None),
    }


def staffing_metrics(frame: pd.DataFrame, standards: Standards) -> pd.DataFrame:
    """``frame`` (rows of the staffing form) with ``students`` and, per standard, the
    columns staff, ratio, per_staff, required, gap and status (see :func:`column`)."""
    result = frame.copy()
    students = students_total(frame).to_numpy(dtype="int64") if len(frame) else np.zeros(0, dtype="int64")
    result["students"] = pd.Series(students, index=frame.index, dtype="int64")
    for standard in standards:
        for suffix, values in _standard_columns(
            frame, students, standard, standards.part_time_factor
        ).items():
            result[column(standard, suffix)] = values
    return result


@dataclass(frozen=True)
class SqlRule:
    """The rule of :func:`staffing_metrics` for one standard as SQL over a staffing row:
    required, gap and status (NULL where the staff count was not reported), and whether
    the standard applies (students and a reported count) and is met."""

    required: ColumnElement[int]
    gap: ColumnElement[int]
    status: ColumnElement[str]
    applicable: ColumnElement[bool]
    compliant: ColumnElement[bool]


def sql_rule(
    standard: Standard,
    factor: Fraction,
    *,
    students: ColumnElement[int],
    staff: ColumnElement[int],
    part_time: ColumnElement[int],
) -> SqlRule:
    """:class:`SqlRule` over these columns, in exact integers as :func:`_standard_columns`:
    met ⇔ q·专职 + p·兼职 ≥ q·max(minimum, ⌈students / threshold⌉) for a factor p/q."""
    q, p = _units(standard, factor)
    units = staff * q + p * func.coalesce(part_time, 0) if p else staff * q
    needed = (students + (standard.threshold - 1)) // standard.threshold
    required = case((needed < standard.minimum, standard.minimum), else_=needed)
    shortfall = required * q - units
    missing, has_students = staff.is_(None), students > 0
    applicable = and_(has_students, staff.is_not(None))
    return SqlRule(
        required=case((missing, null()), (has_students, required), else_=0),
        gap=case((missing, null()), (and_(has_students, shortfall > 0), (shortfall + (q - 1)) // q), else_=0),
        status=case(
            (missing, null()),
            (~has_students, NOT_APPLICABLE),
            (shortfall <= 0, COMPLIANT),
            else_=NON_COMPLIANT,
        ),
        applicable=applicable,
        compliant=and_(applicable, shortfall <= 0),
    )


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

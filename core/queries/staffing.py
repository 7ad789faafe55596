"""The staffing reads: the scope's rows of 队伍配备 and the compliance counts per 学年.

SQL selects only the scope's rows (through :func:`core.queries.base.apply_scope`) and
returns them keyed by field names; :mod:`core.views.staffing` builds what a page shows.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Select, case, func, select

from core.formatting import in_natural_order
from core.forms import STAFFING, Kind
from core.metrics.staffing import APPLICABLE, MET, SqlRule, column, sql_rule
from core.models import StaffingReport
from core.queries.base import Bind, apply_scope, form_rows, read_frame
from core.scope import Scope
from core.standards import Standard, Standards


def _staffing_statement(scope: Scope) -> Select:
    statement = apply_scope(form_rows(STAFFING), scope, StaffingReport)
    return statement.order_by(StaffingReport.code, StaffingReport.year)


def _read_rows(bind: Bind, statement: Select) -> pd.DataFrame:
    frame = read_frame(bind, statement)
    for spec in STAFFING.fields:
        if spec.kind == Kind.COUNT:
            frame[spec.key] = frame[spec.key].astype("Int64")
    frame["counselors_pt"] = frame["counselors_pt"].fillna(0)
    # The national order of provinces, then by code and year (the same on every database).
    return in_natural_order(frame, ["province", "code", "year"])


def staffing_rows(bind: Bind, scope: Scope) -> pd.DataFrame:
    """The stored staffing rows in ``scope`` with the institution's 高校名录 name and kind."""
    return _read_rows(bind, _staffing_statement(scope))


def staffing_rows_of_years(bind: Bind, scope: Scope, years: Sequence[str]) -> pd.DataFrame:
    """:func:`staffing_rows` of these 学年 (the scope's year ignored), in one read."""
    statement = _staffing_statement(scope.all_years()).where(StaffingReport.year.in_(list(years)))
    return _read_rows(bind, statement)


def _rule(standard: Standard, standards: Standards) -> SqlRule:
    """The compliance rule of ``standard`` over the columns of StaffingReport."""
    return sql_rule(
        standard,
        standards.part_time_factor,
        students=StaffingReport.undergrad + StaffingReport.postgrad,
        staff=getattr(StaffingReport, standard.staff_field),
        part_time=StaffingReport.counselors_pt,
    )


def compliance_counts(bind: Bind, scope: Scope, standards: Standards) -> pd.DataFrame:
    """Per 学年 of the scope (its year ignored): ``year`` and, per standard, its
    ``column(standard, APPLICABLE)`` and ``column(standard, MET)`` institutions, counted by the database (ten years
    are ten rows, not 30,000)."""
    counts = []
    for standard in standards:
        rule = _rule(standard, standards)
        counts += [
            func.sum(case((rule.applicable, 1), else_=0)).label(column(standard, APPLICABLE)),
            func.sum(case((rule.compliant, 1), else_=0)).label(column(standard, MET)),
        ]
    statement = apply_scope(
        select(StaffingReport.year, *counts).select_from(StaffingReport), scope.all_years(), StaffingReport
    )
    return read_frame(bind, statement.group_by(StaffingReport.year).order_by(StaffingReport.year))

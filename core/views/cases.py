"""What 督办 shows: the cases of the scope (filters by status and indicator), 存量/增量 counts,
the burndown of open cases, the list's table, and the findings a case is opened from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from core.formdefs.registry import load_forms
from core.review.casebook import burndown, case_table, stock_and_flow
from core.review.cases import list_cases
from core.review.evidence import PROJECT_OVERDUE, SCREENING_FOLLOW_UP, STAFFING_PREFIX, form_indicator_key
from core.scope import Scope
from core.settings_store import load_standards


def indicator_labels(engine: Engine) -> dict[str, str]:
    """Indicator key → label, for the filter: the staffing standards, overdue projects, screening
    follow-up and every indicator with a standard of the forms declared as data in force."""
    labels = {
        f"{STAFFING_PREFIX}{standard.key}": f"{standard.label}配备" for standard in load_standards(engine)
    }
    forms = {
        form_indicator_key(name, indicator.key): indicator.header
        for name, definition in load_forms(engine).items()
        for indicator in definition.indicators
        if indicator.comparison is not None
    }
    return labels | {PROJECT_OVERDUE: "重点项目逾期", SCREENING_FOLLOW_UP: "心理筛查约谈评估"} | forms


@dataclass(frozen=True)
class CasesPage:
    cases: pd.DataFrame  # list_cases rows (the 督办单 is built from one of them)
    table: pd.DataFrame  # the same rows under Chinese headers (screen and CSV)
    counts: dict[str, int]
    burndown: pd.DataFrame


def cases_page(
    engine: Engine, scope: Scope, today: dt.date, *, status: str | None = None, indicator: str | None = None
) -> CasesPage:
    """The cases of ``scope`` of ``indicator``: counts and burndown over all of them; the list of
    those with ``status`` (as of ``today``)."""
    cases = list_cases(engine, scope, today=today, indicator=indicator)
    shown = cases[cases["shown_status"] == status].reset_index(drop=True) if status else cases
    return CasesPage(shown, case_table(shown), stock_and_flow(cases, today), burndown(cases, today))

"""发起督办 under a list of 未达标 rows: a ``province`` (or ``admin``) account opens a case for one
row (core.review.cases.open_case). Not a page itself; the staffing, projects, screening and 专项指标
pages draw it under their 督办名单 / 逾期项目 / 需关注名单 / 未达标名单."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import streamlit as st

from core.accounts.roles import Role
from core.formdefs.definition import Definition
from core.headers import INSTITUTION_NAME_HEADER
from core.metrics.indicators import NOT_MET
from core.review.cases import open_case
from core.review.evidence import (
    Finding,
    NotFound,
    form_finding,
    project_finding,
    screening_finding,
    staffing_finding,
)
from core.review.submissions import ReviewRefused
from core.text import md_escape
from core.views import indicators as indicator_views
from pages._choices import offered
from pages._shared import app_settings, current_account, get_engine

DEFAULT_WEEKS = 12  # 限期整改: the deadline offered by default
T = TypeVar("T")


def _case_form(key: str, targets: dict[str, T], finding: Callable[[T], Finding]) -> None:
    """Choose a target (label → what ``finding`` makes the case's finding of), a deadline and a
    note; 发起督办 opens the case on the chosen target's finding."""
    account = current_account()
    if account is None or account.role not in (Role.ADMIN, Role.PROVINCE) or not targets:
        return
    with st.expander("发起督办", icon=":material/assignment_late:"):
        chosen = st.selectbox(
            "督办对象", offered(list(targets), str, key=key, what="督办对象"), key=f"{key}_target"
        )
        today = app_settings().today()
        deadline = st.date_input(
            "整改期限", value=today + dt.timedelta(weeks=DEFAULT_WEEKS), key=f"{key}_deadline"
        )
        note = st.text_area("督办说明", key=f"{key}_note", placeholder="如：请于期限内完成整改并报送整改情况")
        if st.button("发起督办", type="primary", key=f"{key}_open", disabled=chosen is None):
            try:
                case_id = open_case(
                    get_engine(), finding(targets[chosen]), deadline=deadline, note=note, account=account
                )
            except (NotFound, ReviewRefused) as problem:
                st.error(getattr(problem, "message", str(problem)))
                return
            st.success(f"已发起督办（第 {case_id} 号）：{md_escape(str(chosen))}")
            st.page_link("pages/cases.py", label="查看督办", icon=":material/assignment_late:")


def _made(make: Callable[[], Finding]) -> Finding:
    return make()


def open_staffing_case(targets: dict[str, tuple[str, str]], year: str | None) -> None:
    """Under 督办名单: one choice per school and failing standard (core.views.case_targets)."""
    if year:
        engine = get_engine()
        _case_form("case", targets, lambda target: staffing_finding(engine, target[0], year, target[1]))


def open_project_case(overdue: pd.DataFrame, today: dt.date) -> None:
    """Under 逾期项目 (项目编号, 项目名称, 学校名称): one choice per project."""
    engine = get_engine()
    choices = {
        f"{name} · {project_id} {title}": functools.partial(project_finding, engine, project_id, today)
        for project_id, title, name in overdue.iloc[:, :3].itertuples(index=False)
    }
    _case_form("project_case", choices, _made)


def open_screening_case(targets: dict[str, tuple[str, str, str, str]]) -> None:
    """Under 需关注名单: one choice per row whose flagged students were not all followed up
    (core.views.case_targets)."""
    engine = get_engine()
    _case_form("screening_case", targets, lambda target: screening_finding(engine, *target))


def open_indicator_case(shortfalls: pd.DataFrame, definition: Definition) -> None:
    """Under 未达标名单 of a form declared as data (core.views.indicators.shortfalls): one choice
    per row and indicator whose standard it misses."""
    engine = get_engine()
    choices = {}
    for row in shortfalls.to_dict("records"):
        code, name = row[indicator_views.CODE_HEADER], row[INSTITUTION_NAME_HEADER]
        term = row.get(indicator_views.TERM_HEADER)
        period = " ".join(filter(None, (row[indicator_views.YEAR_HEADER], term)))
        for indicator in definition.indicators:
            if row.get(indicator_views.status_header(indicator)) != NOT_MET:
                continue
            label = f"{name}（{code}）· {period} · {indicator.header}"
            choices[label] = functools.partial(
                form_finding, engine, definition.name, indicator.key, code,
                row[indicator_views.YEAR_HEADER], term,
            )  # fmt: skip
    _case_form("indicator_case", choices, _made)

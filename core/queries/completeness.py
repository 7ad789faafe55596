"""Reporting completeness: who has reported which period, when, and who has not.

An institution has reported a period when at least one current row of that form is
stored for it in that period (screening: any 筛查类型 of that 学年 and 学期). It was
first submitted at the earliest accepted upload that wrote one of those rows — the
upload of the current row or one whose values a later upload replaced (kept in
``RecordHistory`` under the row's natural key, the key values joined with "|") — and
last updated at the latest upload of a current row.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import DateTime, Select, Subquery, and_, cast, exists, func, null, select, union_all
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import SQLModel

from core.deadlines import PERIOD_FORMS, Period, periods_of_year
from core.formatting import in_natural_order
from core.forms import get_form
from core.metrics.completeness import AWAITING_REVIEW, REGISTRY_HEADERS, classify
from core.models import FORM_MODELS, Institution, RecordHistory, Submission, Upload
from core.queries.base import Bind, apply_scope, connected, read_frame
from core.scope import Scope
from core.settings_store import load_province_deadlines

SUBMITTED = ["code", "year", "period", "first_submitted", "last_updated"]


def _model(form: str) -> type[SQLModel]:
    if form not in PERIOD_FORMS:
        raise ValueError(f"报送情况只统计按期报送的报表：{'、'.join(PERIOD_FORMS)}，不含 {form}")
    return FORM_MODELS[form]


def _in_period(statement: Select, model: type[SQLModel], year: str, term: str | None) -> Select:
    statement = statement.where(model.year == year)
    if term is not None and hasattr(model, "term"):
        statement = statement.where(model.term == term)
    return statement


def record_key_expression(form: str, model: type[SQLModel]) -> ColumnElement[str]:
    """The row's natural key as RecordHistory stores it: key values joined with '|'."""
    parts = [getattr(model, key) for key in get_form(form).key]
    key = parts[0]
    for part in parts[1:]:
        key = key + "|" + part
    return key


def _period_keys(form: str) -> list[str]:
    """The columns that name a period of ``form``: year, and term for screening."""
    return [key for key in ("year", "term") if hasattr(FORM_MODELS[form], key)]


def _writes(scope: Scope, form: str, years: list[str]) -> Subquery:
    """Subquery (code, year[, term], written_at, current_at): every accepted upload that wrote a
    current row of ``form`` in ``years`` (current_at only for the upload of the current row)."""
    model = _model(form)
    period_columns = [getattr(model, key) for key in _period_keys(form)]
    current = select(
        model.code.label("code"),
        *period_columns,
        Upload.created_at.label("written_at"),
        Upload.created_at.label("current_at"),
    ).join(Upload, Upload.id == model.upload_id)
    earlier = (
        select(model.code, *period_columns, Upload.created_at, cast(null(), DateTime))
        .join(
            RecordHistory,
            and_(RecordHistory.form == form, RecordHistory.record_key == record_key_expression(form, model)),
        )
        .join(Upload, Upload.id == RecordHistory.upload_id)
        .where(Upload.status == "accepted")
    )
    parts = [
        apply_scope(part, scope, model, use_year=False).where(model.year.in_(years))
        for part in (current, earlier)
    ]
    return union_all(*parts).subquery("writes")


def _submissions(bind: Bind, scope: Scope, form: str, years: list[str]) -> pd.DataFrame:
    """Per institution and period of ``form`` in ``years`` that has rows: first submitted, last updated."""
    writes = _writes(scope, form, years)
    keys = [writes.c.code, *(writes.c[key] for key in _period_keys(form))]
    statement = select(
        *keys,
        func.min(writes.c.written_at).label("first_submitted"),
        func.max(writes.c.current_at).label("last_updated"),
    ).group_by(*keys)
    return read_frame(bind, statement)


def _by_period(submissions: pd.DataFrame, form: str, whole_year: bool) -> pd.DataFrame:
    """``_submissions`` keyed by (code, year, period column); with ``whole_year`` also the
    screening 全学年 periods (the earliest and latest submission over its 学期)."""
    frame = submissions if "term" in submissions else submissions.assign(term=None)
    if whole_year:
        aggregated = frame.groupby(["code", "year"], as_index=False).agg(
            first_submitted=("first_submitted", "min"), last_updated=("last_updated", "max")
        )
        frame = pd.concat([frame, aggregated.assign(term=None)], ignore_index=True)
    columns = {
        (year, term): Period(form, year, term).column
        for year, term in frame[["year", "term"]].drop_duplicates().itertuples(index=False)
    }
    periods = [columns[key] for key in zip(frame["year"], frame["term"], strict=True)]
    return frame.assign(period=periods)[SUBMITTED]


def period_statuses(bind: Bind, scope: Scope, periods: list[Period], today: dt.date) -> pd.DataFrame:
    """For every institution in scope (year ignored) and every period: when it first submitted and
    last updated (UTC, empty when nothing is stored), classified against the period's deadline in force in
    the institution's province (core.metrics.completeness); stacked in the order of ``periods``, with ``period`` (its column
    name) and ``year``. One query per form, whatever the number of periods."""
    institutions = read_frame(
        bind,
        apply_scope(select(*(getattr(Institution, key) for key in REGISTRY_HEADERS)), scope).order_by(
            Institution.code
        ),
    )
    wanted = pd.DataFrame(
        {
            "year": [period.year for period in periods],
            "period": [period.column for period in periods],
            "position": range(len(periods)),
        }
    )
    submitted = [
        _by_period(
            _submissions(
                bind, scope, form, sorted({period.year for period in periods if period.form == form})
            ),
            form,
            whole_year=any(period.form == form and period.whole_year for period in periods),
        )
        for form in dict.fromkeys(period.form for period in periods)
    ]
    grid = wanted.merge(in_natural_order(institutions, ["province"]), how="cross")
    grid.insert(2, "deadline", _deadlines(bind, periods, grid.pop("position"), grid["province"]))
    keys = ["code", "year", "period"]
    # nothing submitted in scope (e.g. a scope outside the user's limits): empty float columns
    submissions = pd.concat(submitted, ignore_index=True).astype(dict.fromkeys(keys, object))
    grid = grid.merge(submissions, on=keys, how="left")
    return _awaiting_review(bind, classify(grid, today))


def _deadlines(
    bind: Bind, periods: list[Period], positions: pd.Series, provinces: pd.Series
) -> list[dt.date]:
    """The deadline in force for each row (``positions`` into ``periods``) in its institution's
    province: the province's own, else the national one (core.settings_store)."""
    in_force = load_province_deadlines(bind, periods, provinces)
    return [
        in_force[province][periods[position]] for position, province in zip(positions, provinces, strict=True)
    ]


def _awaiting_review(bind: Bind, classified: pd.DataFrame) -> pd.DataFrame:
    """Statuses 待审核 where nothing is stored for the period but an upload of the institution
    for it waits for review (core.review.submissions keeps its rows, not the form tables)."""
    statement = select(Submission.form, Submission.rows).where(
        Submission.status == AWAITING_REVIEW, Submission.form.in_(PERIOD_FORMS)
    )
    waiting = set()
    with connected(bind) as connection:
        for form, rows in connection.execute(statement):
            for row in rows:
                for term in dict.fromkeys([row.get("term"), None]):
                    waiting.add((row["code"], row["year"], Period(form, row["year"], term).column))
    keys = zip(classified["code"], classified["year"], classified["period"], strict=True)
    marked = pd.Series([key in waiting for key in keys], index=classified.index, dtype=bool)
    marked &= ~classified["submitted"].astype(bool)
    return classified.assign(status=classified["status"].where(~marked, AWAITING_REVIEW))


def period_status(bind: Bind, scope: Scope, period: Period, today: dt.date) -> pd.DataFrame:
    """:func:`period_statuses` of one period."""
    return period_statuses(bind, scope, [period], today)


def year_status(bind: Bind, scope: Scope, today: dt.date) -> pd.DataFrame:
    """The statuses of every period of ``scope.year`` (队伍配备, 心理筛查 each 学期), stacked."""
    if scope.year is None:
        raise ValueError("请先在侧栏选择学年")
    return period_statuses(bind, scope, periods_of_year(scope.year), today)


def missing_rows(bind: Bind, scope: Scope, form: str, term: str | None = None) -> pd.DataFrame:
    """The institutions in scope with no stored row of ``form`` for ``scope.year`` (and ``term``).

    Screening without a term: no row in that 学年 at all. ``term`` is ignored for a form
    without 学期 (staffing). Columns: code, name, province, level, ownership.
    """
    if scope.year is None:
        raise ValueError("未报送名单需要指定学年")
    spec = get_form(form)
    if spec.table == "form_record":  # a form declared as data (core.formdefs): its records
        from core.models import FormRecord

        model, term = FormRecord, term if "term" in spec.key else None
        reported = select(model.id).where(model.code == Institution.code, model.form == form)
    else:
        model = _model(form)
        reported = select(model.id).where(model.code == Institution.code)
    reported = _in_period(reported, model, scope.year, term)
    statement = apply_scope(
        select(*(getattr(Institution, key) for key in REGISTRY_HEADERS)).where(~exists(reported)), scope
    ).order_by(Institution.code)
    return in_natural_order(read_frame(bind, statement), ["province"])

"""Shared by the review and 督办 tests: two provinces' schools, one user of each role, a
staffing file checked as an account would upload it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from core.accounts.roles import Account
from core.ingest import Preview, check, institution_names
from core.models import StaffingReport
from core.review.submissions import submit
from tests.accounts_helpers import make_user
from tests.factories import make_institution, make_staffing_row, store_rows
from tests.test_ingest_corpus import filled_template

SCHOOL = "4141010001"  # 河南省
OTHER = "4132010001"  # 江苏省
YEAR = "2025-2026"


def seed_schools(engine: Engine, *, students: int = 23_000) -> int:
    """Two schools; the 河南 one has staffing for YEAR at ``students`` per 100 counselors. Its upload id."""
    store_rows(
        engine,
        "institutions",
        [
            make_institution(),
            make_institution(code=OTHER, name="示例江苏大学", province="江苏省", city="南京市"),
        ],
    )
    return store_rows(engine, "staffing", [staffing_row(students)])


def staffing_row(students: int, **overrides: Any) -> dict[str, Any]:
    return make_staffing_row(
        year=YEAR, undergrad=students, postgrad=0, counselors_ft=100, counselors_pt=0, **overrides
    )


def users(engine: Engine) -> dict[str, Account]:
    return {
        "school": make_user(engine, name="school", role="institution", institution=SCHOOL),
        "province": make_user(engine, name="province", role="province", province="河南省"),
        "jiangsu": make_user(engine, name="jiangsu", role="province", province="江苏省"),
        "admin": make_user(engine, name="admin", role="admin"),
    }


def staffing_preview(engine: Engine, students: int, **overrides: Any) -> Preview:
    data = filled_template("staffing", [staffing_row(students, **overrides)])
    return check(engine, "staffing", data, "队伍配备.xlsx", institutions=institution_names(engine))


def upload_staffing(engine: Engine, account: Account, students: int) -> int:
    """``account`` uploads the 河南 school's staffing with ``students``; the submission id."""
    return submit(engine, staffing_preview(engine, students), account=account).id


def stored_students(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(
            select(StaffingReport.undergrad).where(StaffingReport.code == SCHOOL, StaffingReport.year == YEAR)
        ).scalar_one()

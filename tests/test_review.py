"""报送审核 (spec/accounts.md: Review): an institution's upload waits for the province."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from core.accounts.audit import read_audit
from core.accounts.limits import effective_scope, limits_for
from core.deadlines import Period
from core.ingest import check, institution_names
from core.queries.completeness import period_status
from core.review.periods import account_issues, reopen_period
from core.review.submissions import (
    APPROVED,
    PENDING,
    RETURNED,
    ReviewRefused,
    approve,
    list_submissions,
    return_submission,
    submit,
)
from core.scope import Scope
from tests.accounts_helpers import fast_hashes, make_user  # noqa: F401 — cheap hashes for make_user
from tests.review_helpers import (
    OTHER,
    SCHOOL,
    YEAR,
    seed_schools,
    staffing_preview,
    staffing_row,
    stored_students,
    upload_staffing,
    users,
)
from tests.test_ingest_corpus import filled_template


@pytest.fixture
def accounts(engine: Engine) -> dict:
    seed_schools(engine)
    return users(engine)


def _status(engine: Engine, submission_id: int) -> dict:
    frame = list_submissions(engine)
    return frame.set_index("id").loc[submission_id].to_dict()


def test_the_loop_changes_the_figures_only_when_approved(engine: Engine, accounts: dict) -> None:
    first = upload_staffing(engine, accounts["school"], 19_000)
    assert _status(engine, first)["status"] == PENDING
    assert stored_students(engine) == 23_000

    return_submission(engine, first, actor="province", reviewer=accounts["province"], comment="学生数请核对")
    returned = _status(engine, first)
    assert (returned["status"], returned["comment"], returned["decided_by"]) == (
        RETURNED,
        "学生数请核对",
        "province",
    )
    assert stored_students(engine) == 23_000

    second = upload_staffing(engine, accounts["school"], 19_000)
    assert stored_students(engine) == 23_000
    report = approve(engine, second, actor="province", reviewer=accounts["province"])

    assert report.stored and report.updated == 1
    assert _status(engine, second)["status"] == APPROVED
    assert stored_students(engine) == 19_000
    actions = [detail for detail in read_audit(engine)["detail"] if '"action"' in detail]
    assert sum('"return"' in detail for detail in actions) == 1
    assert sum('"approve"' in detail for detail in actions) == 1


def test_a_province_upload_is_approved_when_stored(engine: Engine, accounts: dict) -> None:
    submission = upload_staffing(engine, accounts["province"], 19_000)

    assert _status(engine, submission)["status"] == APPROVED
    assert stored_students(engine) == 19_000


@pytest.mark.parametrize(
    ("reviewer", "comment"),
    [
        ("jiangsu", "x"),  # case: another province's administrator
        ("school", "x"),  # case: the institution itself
        ("province", " "),  # case: a return without a reason
    ],
)
def test_refused_decisions(engine: Engine, accounts: dict, reviewer: str, comment: str) -> None:
    submission = upload_staffing(engine, accounts["school"], 19_000)

    with pytest.raises(ReviewRefused):
        return_submission(engine, submission, actor=reviewer, reviewer=accounts[reviewer], comment=comment)
    assert _status(engine, submission)["status"] == PENDING


def test_a_decided_submission_cannot_be_decided_again(engine: Engine, accounts: dict) -> None:
    submission = upload_staffing(engine, accounts["school"], 19_000)
    approve(engine, submission, actor="province")

    with pytest.raises(ReviewRefused, match="不是待审核"):
        approve(engine, submission, actor="province")
    with pytest.raises(ReviewRefused, match="没有编号为 99"):
        approve(engine, 99, actor="province")


def test_reviews_are_invisible_outside_the_limits(engine: Engine, accounts: dict) -> None:
    submission = upload_staffing(engine, accounts["school"], 19_000)

    def seen(name: str) -> list[int]:
        scope = effective_scope(Scope(), limits_for(accounts[name]))
        return list(list_submissions(engine, scope)["id"])

    assert seen("province") == [submission]
    assert seen("school") == [submission]
    assert seen("jiangsu") == []


def test_a_period_closes_at_its_deadline_until_the_province_reopens_it(
    engine: Engine, accounts: dict
) -> None:
    parsed = staffing_preview(engine, 19_000).parsed
    after_deadline = dt.date(2025, 12, 1)  # 队伍配备 2025-2026 closes on 2025-11-30

    assert account_issues(engine, accounts["school"], parsed, dt.date(2025, 11, 30)) == []
    closed = account_issues(engine, accounts["school"], parsed, after_deadline)
    assert [issue.code for issue in closed] == ["period_closed"]
    assert "联系省级管理员重新开放" in closed[0].message
    assert account_issues(engine, accounts["province"], parsed, after_deadline) == []

    with pytest.raises(ReviewRefused):
        reopen_period(engine, Period("staffing", "2025-2026"), SCHOOL, account=accounts["jiangsu"])
    reopen_period(engine, Period("staffing", "2025-2026"), SCHOOL, account=accounts["province"], note="补报")

    assert account_issues(engine, accounts["school"], parsed, after_deadline) == []
    assert any('"reopen"' in detail for detail in read_audit(engine)["detail"])


def test_completeness_counts_an_institution_whose_only_upload_is_pending_as_awaiting_review(
    engine: Engine, accounts: dict
) -> None:
    jiangsu_school = make_user(engine, name="js-school", role="institution", institution=OTHER)
    data = filled_template("staffing", [staffing_row(19_000, code=OTHER, name="示例江苏大学")])
    preview = check(engine, "staffing", data, "江苏.xlsx", institutions=institution_names(engine))
    submit(engine, preview, account=jiangsu_school)

    statuses = period_status(engine, Scope(), Period("staffing", YEAR), dt.date(2025, 11, 1))

    assert dict(zip(statuses["code"], statuses["status"], strict=True)) == {
        SCHOOL: "按时报送",
        OTHER: "待审核",
    }
    assert not statuses.set_index("code").loc[OTHER, "submitted"]

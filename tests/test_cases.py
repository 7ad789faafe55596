"""督办 cases (spec/accounts.md: 督办): opened on a 未达标 row, answered, closed, checked against newer figures."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from core.accounts.audit import AuditKind, read_audit
from core.accounts.limits import effective_scope, limits_for
from core.ingest import check, institution_names
from core.review.casebook import burndown, case_table, notice_workbook, stock_and_flow
from core.review.cases import (
    CLOSED,
    MET,
    OPEN,
    OVERDUE,
    REPLIED,
    close_case,
    list_cases,
    open_case,
    record_export,
    reply,
)
from core.review.evidence import project_finding, screening_finding, staffing_finding
from core.review.submissions import ReviewRefused, approve, submit
from core.scope import Scope
from tests.accounts_helpers import fast_hashes  # noqa: F401 — cheap hashes for make_user
from tests.factories import make_project_row, make_screening_row, store_rows
from tests.review_helpers import SCHOOL, YEAR, seed_schools, upload_staffing, users
from tests.test_ingest_corpus import filled_template

TODAY = dt.date(2025, 11, 30)
OPENED = dt.datetime(2025, 11, 1, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def accounts(engine: Engine) -> dict:
    seed_schools(engine)  # 23,000 students, 100 counselors: 1:230
    return users(engine)


def _open_staffing_case(engine: Engine, accounts: dict, deadline: dt.date = dt.date(2026, 3, 31)) -> int:
    finding = staffing_finding(engine, SCHOOL, YEAR, "counselors")
    return open_case(
        engine, finding, deadline=deadline, note="请限期整改", account=accounts["province"], now=OPENED
    )


def _case(engine: Engine, account, today: dt.date = TODAY) -> dict:  # noqa: ANN001
    (case,) = list_cases(engine, effective_scope(Scope(), limits_for(account)), today=today).to_dict(
        "records"
    )
    return case


def test_a_case_is_flagged_met_after_an_approved_upload_and_not_before(
    engine: Engine, accounts: dict
) -> None:
    _open_staffing_case(engine, accounts)
    case = _case(engine, accounts["province"])
    assert (case["value"], case["standard"]) == (
        "师生比 1:230.0，缺口 15 人",
        "专职辅导员：师生比不低于 1:200（每名专职辅导员对应学生不超过 200 人）",
    )
    assert "教育部令第43号" in case["standard_source"]
    assert (case["shown_status"], case["met"]) == (OPEN, "")

    submission = upload_staffing(engine, accounts["school"], 19_000)  # 1:190, pending
    assert _case(engine, accounts["province"])["met"] == ""

    report = approve(engine, submission, actor="province", reviewer=accounts["province"])
    case = _case(engine, accounts["province"])
    assert case["met"] == MET
    assert "1:190" in case["evidence"]
    assert f"第 {report.upload_id} 号上传" in case["evidence"]


def test_a_case_past_its_deadline_reads_overdue_until_closed(engine: Engine, accounts: dict) -> None:
    case_id = _open_staffing_case(engine, accounts, deadline=dt.date(2025, 11, 29))
    assert _case(engine, accounts["province"])["shown_status"] == OVERDUE

    reply(
        engine,
        case_id,
        measures="招聘 15 名专职辅导员",
        expected_date=dt.date(2026, 3, 1),
        account=accounts["school"],
    )
    assert _case(engine, accounts["province"], dt.date(2025, 11, 28))["shown_status"] == REPLIED
    assert _case(engine, accounts["province"])["shown_status"] == OVERDUE

    close_case(engine, case_id, account=accounts["province"])
    assert _case(engine, accounts["province"])["shown_status"] == CLOSED
    actions = [detail for detail in read_audit(engine)["detail"] if '"case"' in detail]
    assert len(actions) == 3


def test_only_the_right_accounts_act_on_a_case(engine: Engine, accounts: dict) -> None:
    finding = staffing_finding(engine, SCHOOL, YEAR, "counselors")
    for name in ("jiangsu", "school"):
        with pytest.raises(ReviewRefused):
            open_case(engine, finding, deadline=TODAY, note=None, account=accounts[name])
    case_id = _open_staffing_case(engine, accounts)
    with pytest.raises(ReviewRefused):
        reply(engine, case_id, measures="x", expected_date=TODAY, account=accounts["province"])
    with pytest.raises(ReviewRefused):
        close_case(engine, case_id, account=accounts["school"])


def test_cases_are_invisible_outside_the_limits(engine: Engine, accounts: dict) -> None:
    _open_staffing_case(engine, accounts)

    def seen(name: str, chosen: Scope | None = None) -> int:
        return len(
            list_cases(engine, effective_scope(chosen or Scope(), limits_for(accounts[name])), today=TODAY)
        )

    assert (seen("province"), seen("school"), seen("admin")) == (1, 1, 1)
    assert seen("jiangsu") == 0
    assert seen("jiangsu", Scope(provinces=("河南省",))) == 0


def test_counts_burndown_table_and_notice(engine: Engine, accounts: dict) -> None:
    old = open_case(
        engine, staffing_finding(engine, SCHOOL, YEAR, "psy"), deadline=TODAY, note=None,
        account=accounts["province"], now=dt.datetime(2024, 12, 10, tzinfo=dt.UTC),
    )  # fmt: skip
    _open_staffing_case(engine, accounts)
    close_case(engine, old, account=accounts["province"], now=dt.datetime(2025, 10, 5, tzinfo=dt.UTC))
    cases = list_cases(engine, Scope(), today=TODAY)

    assert stock_and_flow(cases, TODAY) == {
        "存量": 1,
        "增量": 1,
        "未销号": 1,
        "逾期未整改": 0,
        "本年已销号": 1,
    }
    frame = burndown(cases, TODAY)
    assert list(frame["月份"])[:2] == ["2024-12", "2025-01"]
    assert dict(zip(frame["月份"], frame["未销号"], strict=True))["2025-10"] == 0
    assert list(frame["未销号"])[-1] == 1
    table = case_table(cases)
    assert table.loc[0, "学校名称"] == "示例第一大学" and table.loc[0, "整改期限"] == "2026-03-31"

    sheet = load_workbook(io.BytesIO(notice_workbook(cases.iloc[0], TODAY))).active
    cells = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert sheet["A1"].value.startswith("督办单")
    assert cells["标准"] == "专职辅导员：师生比不低于 1:200（每名专职辅导员对应学生不超过 200 人）"
    assert cells["整改期限"] == "2026-03-31"
    assert cells["学校反馈：整改措施"] == "（尚未反馈）"


def test_overdue_project_and_screening_follow_up_open_cases(engine: Engine, accounts: dict) -> None:
    store_rows(engine, "projects", [make_project_row(due=dt.date(2025, 6, 30), stage="培育建设")])
    store_rows(engine, "screening", [make_screening_row(interviewed=100)])

    project = project_finding(engine, "XM-2024-001", TODAY)
    screening = screening_finding(engine, SCHOOL, "2024-2025", "秋季学期", "新生普查")

    assert project.value.startswith("逾期 153 天")
    assert screening.value == "约谈评估率 33.3%（已约谈评估 100 / 预警 300）"
    for finding in (project, screening):
        open_case(engine, finding, deadline=TODAY, note=None, account=accounts["province"])
    store_rows(
        engine, "projects", [make_project_row(stage="已验收通过")], file_name="验收.xlsx"
    ) if False else None
    assert set(list_cases(engine, Scope(), today=TODAY)["met"]) == {""}


def test_an_overdue_project_case_reads_met_once_an_approved_update_shows_it_accepted(
    engine: Engine, accounts: dict
) -> None:
    store_rows(engine, "projects", [make_project_row(due=dt.date(2025, 6, 30), stage="培育建设")])
    open_case(
        engine,
        project_finding(engine, "XM-2024-001", TODAY),
        deadline=TODAY,
        note=None,
        account=accounts["province"],
    )
    assert list_cases(engine, Scope(), today=TODAY)["met"].tolist() == [""]

    data = filled_template(
        "projects", [make_project_row(due=dt.date(2025, 6, 30), stage="已验收通过", progress=100.0)]
    )
    preview = check(engine, "projects", data, "项目.xlsx", institutions=institution_names(engine))
    submit(engine, preview, account=accounts["province"])

    case = list_cases(engine, Scope(), today=TODAY).iloc[0]
    assert case["met"] == MET
    assert case["evidence"].startswith("项目阶段：已验收通过；第 ")


def test_exports_of_cases_are_audited(engine: Engine, accounts: dict) -> None:
    record_export(engine, what="督办事项", rows=3, scope=Scope(provinces=("河南省",)), actor="province")

    (detail,) = read_audit(engine, kind=AuditKind.EXPORT)["detail"]
    assert '"督办事项"' in detail and '"rows": 3' in detail and "河南省" in detail

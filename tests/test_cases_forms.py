"""督办 cases on forms declared as data (spec/accounts.md: 督办, "a form-as-data indicator with a
standard"): opened on a 未达标 row with the definition's standard and source, flagged
数据已达标，可销号 only after a newer approved row meets the standard."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from core.formdefs.registry import add_definition
from core.ingest import check, import_bytes, institution_names
from core.review.cases import MET, list_cases, open_case
from core.review.evidence import NotFound, form_finding
from core.review.submissions import approve, submit
from core.scope import Scope
from tests.accounts_helpers import fast_hashes  # noqa: F401 — cheap hashes for make_user
from tests.review_helpers import SCHOOL, YEAR, seed_schools, users
from tests.test_formdefs_pages import DUTY

TODAY = dt.date(2025, 11, 30)
TERMLY = DUTY.replace('name = "duty"', 'name = "duty_term"').replace('period = "year"', 'period = "term"')


def duty_file(days: int, *, term: str | None = None) -> bytes:
    """A CSV of the duty form for the 河南 school: ``days`` of 20 planned (a standard of >= 90%)."""
    header, key = (
        ("学校标识码,学年,学期", f"{SCHOOL},{YEAR},{term}")
        if term
        else ("学校标识码,学年", f"{SCHOOL},{YEAR}")
    )
    return f"{header},值班天数,计划值班天数\n{key},{days},20\n".encode()


def store_duty(engine: Engine, days: int, *, form: str = "duty", term: str | None = None) -> int:
    """An approved upload (as the CLI stores one) of the duty form; its upload id."""
    report = import_bytes(engine, form, duty_file(days, term=term), f"{form}.csv")
    assert report.stored, report.to_text()
    return report.upload_id


@pytest.fixture
def accounts(any_engine: Engine) -> dict:
    seed_schools(any_engine)
    add_definition(any_engine, DUTY)
    add_definition(any_engine, TERMLY)
    return users(any_engine)


def _open(engine: Engine, accounts: dict, form: str = "duty", term: str | None = None) -> int:
    finding = form_finding(engine, form, "rate", SCHOOL, YEAR, term)
    return open_case(engine, finding, deadline=dt.date(2026, 3, 31), note=None, account=accounts["province"])


def _case(engine: Engine) -> dict:
    (case,) = list_cases(engine, Scope(), today=TODAY).to_dict("records")
    return case


def test_a_case_on_a_form_indicator_carries_its_standard_and_source(
    any_engine: Engine, accounts: dict
) -> None:
    upload_id = store_duty(any_engine, 16)  # 80%
    _open(any_engine, accounts)

    case = _case(any_engine)
    assert case["indicator"] == "form:duty:rate"
    assert (case["indicator_label"], case["subject"], case["value"]) == (
        "值班完成率",
        YEAR,
        "值班完成率 80.0%",
    )
    assert (case["standard"], case["standard_source"]) == ("值班完成率不低于 90%", "某文件 第三条")
    assert case["source_upload_id"] == upload_id


def test_a_form_case_is_met_after_an_approved_upload_and_not_before(
    any_engine: Engine, accounts: dict
) -> None:
    store_duty(any_engine, 16)
    _open(any_engine, accounts)

    store_duty(any_engine, 17)  # 85%: newer, approved, still short
    assert _case(any_engine)["met"] == ""
    preview = check(any_engine, "duty", duty_file(19), "duty.csv", institutions=institution_names(any_engine))
    submission = submit(any_engine, preview, account=accounts["school"]).id  # 95%, pending
    assert _case(any_engine)["met"] == ""

    report = approve(any_engine, submission, actor="province", reviewer=accounts["province"])
    case = _case(any_engine)
    assert case["met"] == MET
    assert case["evidence"].startswith(f"{YEAR} 值班完成率 95.0%，达标；第 {report.upload_id} 号上传")


def test_a_term_form_case_reads_its_term_and_a_later_term_meets_it(
    any_engine: Engine, accounts: dict
) -> None:
    store_duty(any_engine, 10, form="duty_term", term="秋季学期")  # 50%
    _open(any_engine, accounts, "duty_term", "秋季学期")
    assert _case(any_engine)["subject"] == f"{YEAR} 秋季学期"

    store_duty(any_engine, 20, form="duty_term", term="春季学期")  # the later term at 100%
    assert _case(any_engine)["evidence"].startswith(f"{YEAR} 春季学期 值班完成率 100.0%，达标")


def test_no_case_on_a_row_that_meets_its_standard_or_is_missing(any_engine: Engine, accounts: dict) -> None:
    store_duty(any_engine, 19)
    with pytest.raises(NotFound, match="没有未达标的数据"):
        form_finding(any_engine, "duty", "rate", SCHOOL, YEAR)
    with pytest.raises(NotFound):
        form_finding(any_engine, "duty", "rate", SCHOOL, "2023-2024")
    with pytest.raises(NotFound):
        form_finding(any_engine, "duty", "no_such_indicator", SCHOOL, YEAR)


def test_an_indicator_key_too_long_to_record_is_refused_in_chinese(
    any_engine: Engine, accounts: dict
) -> None:
    with pytest.raises(NotFound, match="过长"):
        form_finding(any_engine, "duty", "r" * 60, SCHOOL, YEAR)

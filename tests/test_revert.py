"""Revert an upload on SQLite and PostgreSQL: replaced values back, added rows gone, undo in order."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from core.ingest import RevertRefused, revert_upload
from tests.factories import make_institution, make_project_row, make_staffing_row
from tests.test_ingest_corpus import stored, with_schools
from tests.test_storing import upload_ids, upload_rows, uploads_stored


def test_revert_restores_replaced_values_and_removes_added_rows(any_engine: Engine) -> None:
    with_schools(any_engine)
    first = upload_rows(any_engine, "staffing", make_staffing_row())
    second = upload_rows(
        any_engine, "staffing", make_staffing_row(counselors_ft=120), make_staffing_row(year="2023-2024")
    )

    result = revert_upload(any_engine, second.upload_id)

    assert (result.restored, result.deleted) == (1, 1)
    assert stored(any_engine, "staffing") == [make_staffing_row()]
    assert upload_ids(any_engine) == {"4141010001|2024-2025": first.upload_id}
    upload = uploads_stored(any_engine)[-1]
    assert upload["status"] == "reverted" and upload["reverted_at"] is not None


def test_revert_restores_dates(any_engine: Engine) -> None:
    with_schools(any_engine)
    upload_rows(any_engine, "projects", make_project_row())
    second = upload_rows(any_engine, "projects", make_project_row(due=dt.date(2026, 6, 30), stage="中期检查"))

    revert_upload(any_engine, second.upload_id)

    assert stored(any_engine, "projects") == [make_project_row()]


def test_revert_is_refused_while_a_later_upload_changed_the_same_rows(any_engine: Engine) -> None:
    with_schools(any_engine)
    first = upload_rows(any_engine, "staffing", make_staffing_row())
    second = upload_rows(any_engine, "staffing", make_staffing_row(counselors_ft=120))

    with pytest.raises(RevertRefused, match=f"请先撤销之后的上传 #{second.upload_id}"):
        revert_upload(any_engine, first.upload_id)

    revert_upload(any_engine, second.upload_id)
    revert_upload(any_engine, first.upload_id)
    assert stored(any_engine, "staffing") == []


def test_revert_twice_is_refused(any_engine: Engine) -> None:
    with_schools(any_engine)
    report = upload_rows(any_engine, "staffing", make_staffing_row())
    revert_upload(any_engine, report.upload_id)

    with pytest.raises(RevertRefused, match="已经撤销"):
        revert_upload(any_engine, report.upload_id)


def test_reverting_schools_that_still_have_reports_is_refused(any_engine: Engine) -> None:
    schools = upload_rows(any_engine, "institutions", make_institution())
    upload_rows(any_engine, "staffing", make_staffing_row())

    with pytest.raises(RevertRefused, match="思政队伍配备情况表"):
        revert_upload(any_engine, schools.upload_id)

    assert len(stored(any_engine, "institutions")) == 1

"""Plan and store on SQLite and PostgreSQL: all or nothing, history kept (core/ingest/storing.py, plan.py)."""

from __future__ import annotations

import hashlib
import importlib
import threading
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from core.ingest import check, import_bytes, institution_names
from core.ingest.codes import Reason
from core.ingest.parse import parse_file
from core.ingest.report import CellChange
from core.ingest.storing import store
from core.models import RecordHistory, StaffingReport, Upload
from tests.factories import make_project_row, make_staffing_row
from tests.test_ingest_corpus import SECOND_SCHOOL, filled_template, stored, with_schools

LIMIT = 10 * 1024 * 1024


def upload_rows(
    engine: Engine, form: str, *rows: dict[str, Any], uploader: str = "河南省教育厅", **options: Any
):
    report = import_bytes(
        engine, form, filled_template(form, rows), f"{form}.xlsx", uploader=uploader, **options
    )
    assert report.accepted, report.to_text()
    return report


def uploads_stored(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        return [
            dict(row) for row in connection.execute(select(Upload.__table__).order_by(Upload.id)).mappings()
        ]


def history_rows(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        table = RecordHistory.__table__
        return [dict(row) for row in connection.execute(select(table).order_by(table.c.id)).mappings()]


def upload_ids(engine: Engine) -> dict[str, int]:
    """'code|year' → upload_id of the stored staffing rows."""
    with engine.connect() as connection:
        rows = connection.execute(select(StaffingReport.code, StaffingReport.year, StaffingReport.upload_id))
        return {f"{code}|{year}": upload_id for code, year, upload_id in rows}


def test_plan_tells_new_changed_and_unchanged_rows(any_engine: Engine) -> None:
    with_schools(any_engine)
    upload_rows(any_engine, "staffing", make_staffing_row(), make_staffing_row(year="2023-2024"))
    data = filled_template(
        "staffing",
        [
            make_staffing_row(counselors_ft=120),
            make_staffing_row(year="2023-2024"),
            make_staffing_row(year="2022-2023"),
        ],
    )

    registry = institution_names(any_engine)
    plan = check(any_engine, "staffing", data, "s.xlsx", institutions=registry, max_bytes=LIMIT).plan

    assert (plan.inserted, plan.updated, plan.unchanged) == (1, 1, 1)
    assert plan.changes == [CellChange(("4141010001", "2024-2025"), "专职辅导员数", 100, 120)]


def test_store_records_the_upload_and_points_every_written_row_to_it(any_engine: Engine) -> None:
    with_schools(any_engine)
    data = filled_template("staffing", [make_staffing_row(name="示例一大")])

    report = import_bytes(
        any_engine, "staffing", data, "/home/user/河南/队伍配备.xlsx", uploader="河南省教育厅"
    )

    upload = uploads_stored(any_engine)[-1]
    assert report.stored and report.upload_id == upload["id"]
    assert {
        key: upload[key] for key in ("uploader", "file_name", "sha256", "form", "rows", "inserted", "status")
    } == {
        "uploader": "河南省教育厅",
        "file_name": "队伍配备.xlsx",
        "sha256": hashlib.sha256(data).hexdigest(),
        "form": "staffing",
        "rows": 1,
        "inserted": 1,
        "status": "accepted",
    }
    assert [warning["code"] for warning in upload["warnings"]] == [Reason.NAME_MISMATCH]
    assert upload["warnings"][0]["row"] == 2
    assert upload_ids(any_engine) == {"4141010001|2024-2025": report.upload_id}


def test_changed_rows_keep_their_old_values_in_history_and_unchanged_rows_are_not_rewritten(
    any_engine: Engine,
) -> None:
    with_schools(any_engine)
    first = upload_rows(any_engine, "staffing", make_staffing_row(), make_staffing_row(year="2023-2024"))

    second = upload_rows(
        any_engine, "staffing", make_staffing_row(counselors_ft=120), make_staffing_row(year="2023-2024")
    )

    assert (second.inserted, second.updated, second.unchanged) == (0, 1, 1)
    assert upload_ids(any_engine) == {
        "4141010001|2024-2025": second.upload_id,
        "4141010001|2023-2024": first.upload_id,
    }
    (history,) = history_rows(any_engine)
    assert {key: history[key] for key in ("form", "record_key", "upload_id", "replaced_by_upload_id")} == {
        "form": "staffing",
        "record_key": "4141010001|2024-2025",
        "upload_id": first.upload_id,
        "replaced_by_upload_id": second.upload_id,
    }
    assert history["values"] == make_staffing_row()


def test_history_values_are_json_safe(any_engine: Engine) -> None:
    with_schools(any_engine)
    upload_rows(any_engine, "projects", make_project_row())

    upload_rows(any_engine, "projects", make_project_row(progress=80.0))

    (history,) = history_rows(any_engine)
    assert history["values"]["start"] == "2024-03-01"
    assert history["values"]["progress"] == 60.0


def test_dry_run_stores_nothing_but_reports_the_plan(any_engine: Engine) -> None:
    with_schools(any_engine)
    before = len(uploads_stored(any_engine))

    report = upload_rows(any_engine, "staffing", make_staffing_row(), dry_run=True)

    assert (report.accepted, report.stored, report.inserted) == (True, False, 1)
    assert len(uploads_stored(any_engine)) == before
    assert stored(any_engine, "staffing") == []


def test_the_same_file_again_is_stored_with_a_warning(any_engine: Engine) -> None:
    with_schools(any_engine)
    data = filled_template("staffing", [make_staffing_row()])  # the very same bytes twice
    first = import_bytes(any_engine, "staffing", data, "队伍配备.xlsx")

    again = import_bytes(any_engine, "staffing", data, "队伍配备(1).xlsx")

    assert (again.stored, again.unchanged) == (True, 1)
    assert [issue.code for issue in again.warnings] == [Reason.DUPLICATE_UPLOAD]
    assert f"第 {first.upload_id} 号上传" in again.warnings[0].message
    assert uploads_stored(any_engine)[-1]["warnings"][0]["code"] == Reason.DUPLICATE_UPLOAD


def test_a_failure_while_storing_leaves_nothing_behind(any_engine: Engine, monkeypatch) -> None:
    with_schools(any_engine)
    upload_rows(any_engine, "staffing", make_staffing_row())
    uploads_before = uploads_stored(any_engine)

    def broken_history(*_args: Any) -> None:
        raise RuntimeError("磁盘已满")

    # (patch the module that defines it: core.ingest re-exports the function)
    monkeypatch.setattr(importlib.import_module("core.ingest.storing"), "_keep_history", broken_history)
    data = filled_template(
        "staffing", [make_staffing_row(counselors_ft=120), make_staffing_row(year="2023-2024")]
    )
    with pytest.raises(RuntimeError):
        import_bytes(any_engine, "staffing", data, "s.xlsx")

    assert uploads_stored(any_engine) == uploads_before
    assert stored(any_engine, "staffing") == [make_staffing_row()]


def test_store_refuses_a_file_with_errors(any_engine: Engine) -> None:
    with_schools(any_engine)
    data = filled_template("staffing", [make_staffing_row(undergrad=-5)])
    registry = institution_names(any_engine)
    parsed = parse_file("staffing", data, "s.xlsx", institutions=registry, max_bytes=LIMIT)

    report = store(any_engine, parsed, uploader="测试")

    assert (report.accepted, report.stored, report.upload_id) == (False, False, None)
    assert stored(any_engine, "staffing") == []


def test_a_count_too_big_for_any_school_is_a_located_error_on_both_databases(any_engine: Engine) -> None:
    with_schools(any_engine)
    data = filled_template("staffing", [make_staffing_row(undergrad=3_000_000_000)])

    report = import_bytes(any_engine, "staffing", data, "s.xlsx")

    assert not report.accepted
    assert [(issue.row, issue.column, issue.code) for issue in report.errors] == [
        (2, "全日制本专科生数", Reason.IMPLAUSIBLE_COUNT)
    ]
    assert stored(any_engine, "staffing") == []


def test_two_uploads_at_once_both_land_without_lost_or_mixed_rows(any_engine: Engine) -> None:
    with_schools(any_engine, SECOND_SCHOOL)
    files = {
        "甲": filled_template(
            "staffing",
            [make_staffing_row(counselors_ft=101)]
            + [make_staffing_row(year=f"{year}-{year + 1}") for year in range(2000, 2020)],
        ),
        "乙": filled_template(
            "staffing",
            [make_staffing_row(counselors_ft=102)]
            + [
                make_staffing_row(code="4141010002", name="示例第二大学", year=f"{y}-{y + 1}")
                for y in range(2000, 2020)
            ],
        ),
    }
    start = threading.Barrier(2, timeout=30)
    reports: dict[str, Any] = {}

    def upload(name: str) -> None:
        start.wait()
        reports[name] = import_bytes(any_engine, "staffing", files[name], f"{name}.xlsx", uploader=name)

    threads = [threading.Thread(target=upload, args=(name,)) for name in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert all(report.stored for report in reports.values())
    rows = stored(any_engine, "staffing")
    assert len(rows) == 41
    shared = next(row for row in rows if row["year"] == "2024-2025")
    later = max(reports.values(), key=lambda report: report.upload_id)
    assert shared["counselors_ft"] == {"甲": 101, "乙": 102}[later.parsed.file_name.removesuffix(".xlsx")]
    assert sorted((report.inserted, report.updated) for report in reports.values()) == [(20, 1), (21, 0)]


def test_progress_is_reported_up_to_done(any_engine: Engine) -> None:
    with_schools(any_engine)
    seen: list[tuple[float, str]] = []

    upload_rows(
        any_engine,
        "staffing",
        make_staffing_row(),
        progress=lambda fraction, text: seen.append((fraction, text)),
    )

    fractions = [fraction for fraction, _text in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert all(text for _fraction, text in seen)


def test_counts_in_the_upload_row_match_the_report(any_engine: Engine) -> None:
    with_schools(any_engine)
    upload_rows(any_engine, "staffing", make_staffing_row())

    report = upload_rows(
        any_engine, "staffing", make_staffing_row(counselors_ft=1), make_staffing_row(year="2020-2021")
    )

    upload = uploads_stored(any_engine)[-1]
    assert (upload["rows"], upload["inserted"], upload["updated"], upload["unchanged"]) == (2, 1, 1, 0)
    assert (report.rows, report.inserted, report.updated, report.unchanged) == (2, 1, 1, 0)
    with any_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(RecordHistory)).scalar_one() == 1

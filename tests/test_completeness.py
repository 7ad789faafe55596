"""Reporting completeness: submitted or not, first submitted, on time or late, rates, 未报送名单."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, insert, update

from core.deadlines import Period
from core.forms import get_form
from core.metrics.completeness import LATE, MISSING, ON_TIME, PENDING
from core.models import FORM_MODELS, RecordHistory, Upload
from core.queries.completeness import period_status, year_status
from core.scope import Scope
from core.settings_store import save_deadline
from core.views.completeness import missing_frame, reporting_summary
from tests.factories import make_institution, make_screening_row, make_staffing_row, store_rows

YEAR = "2024-2025"
TODAY = dt.date(2025, 3, 1)  # after the staffing and autumn deadlines, before the spring one


def utc(text: str) -> dt.datetime:
    """'2024-11-20 09:00' as an aware UTC datetime."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def submit(engine: Engine, form: str, rows: list[dict[str, Any]], at: dt.datetime) -> int:
    """Store ``rows`` as one upload made at ``at``; returns the upload id."""
    upload_id = store_rows(engine, form, rows, file_name=f"{form}_{at:%Y%m%d%H%M}.xlsx")
    with engine.begin() as connection:
        connection.execute(update(Upload).where(Upload.id == upload_id).values(created_at=at))
    return upload_id


def resubmit(engine: Engine, form: str, row: dict[str, Any], at: dt.datetime, **changes: Any) -> int:
    """A later upload at ``at`` changes the stored ``row``: history keeps the old values, as intake does."""
    spec = get_form(form)
    model = FORM_MODELS[form]
    key = "|".join(str(row[name]) for name in spec.key)
    with engine.begin() as connection:
        upload_id = connection.execute(
            insert(Upload).values(
                uploader="测试",
                file_name="更正.xlsx",
                sha256="0" * 64,
                form=form,
                rows=1,
                updated=1,
                created_at=at,
            )
        ).inserted_primary_key[0]
        matches = [getattr(model, name) == row[name] for name in spec.key]
        previous = connection.execute(model.__table__.select().where(*matches)).mappings().one()
        connection.execute(
            insert(RecordHistory).values(
                form=form,
                record_key=key,
                values={
                    name: previous[name] for name in spec.keys if name not in ("start", "due", "updated")
                },
                upload_id=previous["upload_id"],
                replaced_by_upload_id=upload_id,
                replaced_at=at,
            )
        )
        connection.execute(update(model).where(*matches).values(upload_id=upload_id, **changes))
    return int(upload_id)


INSTITUTIONS = [
    make_institution(code="4141010001", name="豫一大学"),
    make_institution(code="4141010002", name="豫二职院", level="高职（专科）", ownership="民办"),
    make_institution(code="4141010005", name="豫五大学"),
    make_institution(code="4132010003", name="苏三大学", province="江苏省"),
    make_institution(code="4132010004", name="苏四学院", province="江苏省", ownership="中外合作办学"),
]


def hand_built(engine: Engine) -> None:
    """Staffing 2024-2025 (deadline 2024-11-30):
    豫一 on time; 豫二 late; 豫五 uploaded 2024-11-30 16:30 UTC = 12-01 00:30 Beijing, late;
    苏三 reported only 2023-2024; 苏四 on time on 11-25, corrected on 2025-01-10.
    Screening 2024-2025: 豫一 秋季 新生普查 10-15 + 重点人群复查 2025-01-05; 豫二 春季 only.
    """
    store_rows(engine, "institutions", INSTITUTIONS)
    submit(engine, "staffing", [make_staffing_row(code="4141010001")], utc("2024-11-20 02:00"))
    submit(engine, "staffing", [make_staffing_row(code="4141010002")], utc("2024-12-05 02:00"))
    submit(engine, "staffing", [make_staffing_row(code="4141010005")], utc("2024-11-30 16:30"))
    submit(
        engine, "staffing", [make_staffing_row(code="4132010003", year="2023-2024")], utc("2023-11-01 02:00")
    )
    first = make_staffing_row(code="4132010004")
    submit(engine, "staffing", [first], utc("2024-11-25 02:00"))
    resubmit(engine, "staffing", first, utc("2025-01-10 02:00"), counselors_ft=101)
    submit(engine, "screening", [make_screening_row(code="4141010001")], utc("2024-10-15 02:00"))
    submit(
        engine,
        "screening",
        [make_screening_row(code="4141010001", kind="重点人群复查")],
        utc("2025-01-05 02:00"),
    )
    submit(
        engine, "screening", [make_screening_row(code="4141010002", term="春季学期")], utc("2025-05-20 02:00")
    )


def by_code(frame: pd.DataFrame) -> dict[str, Any]:
    return dict(zip(frame["code"], frame["status"], strict=True))


def test_staffing_status_is_on_time_late_or_missing(engine: Engine) -> None:
    hand_built(engine)

    statuses = period_status(engine, Scope(year=YEAR), Period("staffing", YEAR), TODAY)

    assert by_code(statuses) == {
        "4141010001": ON_TIME,
        "4141010002": LATE,
        "4141010005": LATE,  # 00:30 on 1 December in Beijing is after the deadline
        "4132010003": MISSING,
        "4132010004": ON_TIME,  # a correction after the deadline does not make it late
    }


def test_resubmitted_report_keeps_its_first_submission_and_shows_the_correction(engine: Engine) -> None:
    hand_built(engine)

    statuses = period_status(engine, Scope(year=YEAR, codes=("4132010004",)), Period("staffing", YEAR), TODAY)

    row = statuses.iloc[0]
    assert pd.Timestamp(row["first_submitted"]).strftime("%Y-%m-%d") == "2024-11-25"
    assert pd.Timestamp(row["last_updated"]).strftime("%Y-%m-%d") == "2025-01-10"


def test_screening_term_counts_any_kind_and_pending_before_the_deadline(engine: Engine) -> None:
    hand_built(engine)
    scope = Scope(year=YEAR, provinces=("河南省",))

    autumn = period_status(engine, scope, Period("screening", YEAR, "秋季学期"), TODAY)
    spring = period_status(engine, scope, Period("screening", YEAR, "春季学期"), TODAY)

    assert by_code(autumn) == {"4141010001": ON_TIME, "4141010002": MISSING, "4141010005": MISSING}
    assert by_code(spring) == {"4141010001": PENDING, "4141010002": ON_TIME, "4141010005": PENDING}
    first_row = autumn.set_index("code").loc["4141010001"]
    assert pd.Timestamp(first_row["last_updated"]).strftime("%Y-%m-%d") == "2025-01-05"


def test_a_deadline_override_changes_on_time_into_late(engine: Engine) -> None:
    hand_built(engine)
    save_deadline(engine, Period("staffing", YEAR), dt.date(2024, 11, 15))

    statuses = period_status(engine, Scope(year=YEAR), Period("staffing", YEAR), TODAY)

    assert by_code(statuses)["4141010001"] == LATE


def test_reporting_rates_match_a_hand_count(engine: Engine) -> None:
    hand_built(engine)

    summary = reporting_summary(engine, Scope(year=YEAR), today=TODAY)

    # staffing: 4 of 5 reported (80.0%), 2 on time (40.0%)
    staffing = summary["staffing"]
    assert (staffing["expected"], staffing["submitted"], staffing["on_time"], staffing["late"]) == (
        5,
        4,
        2,
        2,
    )
    assert (staffing["reporting_rate"], staffing["on_time_rate"]) == (80.0, 40.0)
    assert (staffing["reporting_rate_text"], staffing["deadline"]) == ("80.0%", dt.date(2024, 11, 30))
    # screening in the whole year: 豫一 and 豫二 of 5 → 40.0%; both before the spring deadline
    assert (summary["screening"]["submitted"], summary["screening"]["on_time_rate_text"]) == (2, "40.0%")
    assert summary["screening_terms"]["秋季学期"]["reporting_rate_text"] == "20.0%"


def test_reporting_rate_by_province_and_kind(engine: Engine) -> None:
    from core.metrics.completeness import reporting_rates

    hand_built(engine)
    statuses = period_status(engine, Scope(year=YEAR), Period("staffing", YEAR), TODAY)

    by_province = reporting_rates(statuses, ["province"]).set_index("province")
    by_ownership = reporting_rates(statuses, ["ownership"]).set_index("ownership")

    # 河南: 3 of 3 reported, 1 on time (33.3%); 江苏: 1 of 2, on time
    assert by_province.loc["河南省", ["reporting_rate_text", "on_time_rate_text"]].tolist() == [
        "100.0%",
        "33.3%",
    ]
    assert by_province.loc["江苏省", ["reporting_rate_text", "on_time_rate_text"]].tolist() == [
        "50.0%",
        "50.0%",
    ]
    assert list(by_province.index) == ["江苏省", "河南省"]  # national order
    assert by_ownership.loc["公办", ["expected", "submitted", "on_time"]].tolist() == [3, 2, 1]


def test_year_status_stacks_the_three_periods(engine: Engine) -> None:
    hand_built(engine)

    statuses = year_status(engine, Scope(year=YEAR), TODAY)

    assert statuses.groupby("period").size().to_dict() == {
        "队伍配备": 5,
        "心理筛查·春季学期": 5,
        "心理筛查·秋季学期": 5,
    }


@pytest.mark.parametrize(
    ("scope", "form", "term", "expected"),
    [
        # case: staffing — the 2023-2024 row of 苏三 does not count for 2024-2025
        (Scope(year=YEAR), "staffing", None, ["4132010003"]),
        # case: nobody missing in 河南
        (Scope(year=YEAR, provinces=("河南省",)), "staffing", None, []),
        # case: screening 秋季学期 — 豫二 reported only in spring
        (Scope(year=YEAR), "screening", "秋季学期", ["4132010003", "4132010004", "4141010002", "4141010005"]),
        # case: screening without a term — any term of the year counts
        (Scope(year=YEAR), "screening", None, ["4132010003", "4132010004", "4141010005"]),
        # case: limited by 办学性质 and 办学层次
        (Scope(year=YEAR, ownerships=("民办",)), "screening", "秋季学期", ["4141010002"]),
        (Scope(year=YEAR, levels=("高职（专科）",)), "screening", None, []),
        # case: a year nobody reported: everyone, 江苏 before 河南 (national order)
        (
            Scope(year="2025-2026"),
            "staffing",
            None,
            ["4132010003", "4132010004", "4141010001", "4141010002", "4141010005"],
        ),
    ],
)
def test_missing_frame(
    any_engine: Engine, scope: Scope, form: str, term: str | None, expected: list[str]
) -> None:
    hand_built(any_engine)

    missing = missing_frame(any_engine, scope, form, term=term)

    assert list(missing.columns) == ["学校标识码", "学校名称", "所在省份", "办学层次", "办学性质"]
    assert missing["学校标识码"].tolist() == expected


def test_missing_frame_agrees_with_the_statuses(any_engine: Engine) -> None:
    hand_built(any_engine)
    scope = Scope(year=YEAR)

    statuses = period_status(any_engine, scope, Period("screening", YEAR, "春季学期"), TODAY)
    missing = missing_frame(any_engine, scope, "screening", term="春季学期")

    assert missing["学校标识码"].tolist() == statuses.loc[~statuses["submitted"], "code"].tolist()


def test_first_submission_on_postgresql_and_sqlite_alike(any_engine: Engine) -> None:
    hand_built(any_engine)

    statuses = period_status(any_engine, Scope(year=YEAR), Period("staffing", YEAR), TODAY)

    assert by_code(statuses)["4141010005"] == LATE
    assert by_code(statuses)["4132010004"] == ON_TIME


def test_missing_frame_refuses_a_form_without_periods(engine: Engine) -> None:
    with pytest.raises(ValueError, match="按期报送"):
        missing_frame(engine, Scope(year=YEAR), "projects")


def test_summary_without_a_year_has_no_rates(engine: Engine) -> None:
    assert reporting_summary(engine, Scope())["staffing"] is None


def staffing_csv(counselors: int) -> bytes:
    header = "学校标识码,学年,全日制本专科生数,全日制研究生数,专职辅导员数"
    return f"{header}\n4141010001,2024-2025,18000,2000,{counselors}\n".encode()


def test_first_submission_through_intake_survives_a_correction_and_its_revert(engine: Engine) -> None:
    from core.ingest import import_bytes, revert_upload

    store_rows(engine, "institutions", [INSTITUTIONS[0]])
    first = import_bytes(engine, "staffing", staffing_csv(100), "第一次.csv")
    correction = import_bytes(engine, "staffing", staffing_csv(101), "更正.csv")
    for report, at in ((first, "2024-11-20 02:00"), (correction, "2025-01-10 02:00")):
        with engine.begin() as connection:
            connection.execute(update(Upload).where(Upload.id == report.upload_id).values(created_at=utc(at)))
    period = Period("staffing", YEAR)

    corrected = period_status(engine, Scope(year=YEAR), period, TODAY).iloc[0]
    revert_upload(engine, correction.upload_id)
    reverted = period_status(engine, Scope(year=YEAR), period, TODAY).iloc[0]

    assert (corrected["status"], pd.Timestamp(corrected["first_submitted"]).day) == (ON_TIME, 20)
    assert pd.Timestamp(corrected["last_updated"]).strftime("%Y-%m-%d") == "2025-01-10"
    assert pd.Timestamp(reverted["last_updated"]).strftime("%Y-%m-%d") == "2024-11-20"

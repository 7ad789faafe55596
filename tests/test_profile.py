"""学校画像: each section's figures beside the province's, checked against hand counts and the
area modules' own queries; and the Excel workbook of the whole profile."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, select

from core.models import ProjectRecord, ScreeningReport, StaffingReport
from core.profile_export import InstitutionNotFound, profile_workbook
from core.scope import Scope
from core.views import staffing
from core.views.profile import InstitutionProfile, institution_choices, institution_profile
from tests.factories import (
    make_institution,
    make_project_row,
    make_screening_row,
    make_staffing_row,
    store_rows,
)
from tests.test_completeness import resubmit, submit, utc

TODAY = dt.date(2025, 11, 30)
A, B, C = "4141010001", "4141010002", "4132010003"


def profile_data(engine: Engine) -> None:
    """河南: A (20,000 students, 100 counselors) and B (10,000, 40); 江苏: C.
    A screened 4,900 of 5,000 + 100 of 100 in autumn 2024 (3 high-risk); B 2,700 of 3,000.
    A has two projects (one overdue), B one. A's staffing was corrected once.
    """
    store_rows(
        engine,
        "institutions",
        [
            make_institution(code=A, name="豫甲大学"),
            make_institution(code=B, name="豫乙学院", level="高职（专科）"),
            make_institution(code=C, name="苏丙大学", province="江苏省"),
        ],
    )
    first = make_staffing_row(code=A, undergrad=18000, postgrad=2000, counselors_ft=99)
    submit(
        engine,
        "staffing",
        [first, make_staffing_row(code=B, undergrad=10000, postgrad=0, counselors_ft=40)],
        utc("2024-11-20 02:00"),
    )
    resubmit(engine, "staffing", first, utc("2025-01-10 02:00"), counselors_ft=100)
    submit(
        engine,
        "staffing",
        [
            make_staffing_row(code=A, year="2023-2024", counselors_ft=90),
            make_staffing_row(code=C, year="2023-2024", undergrad=5000, postgrad=0, counselors_ft=30),
        ],
        utc("2023-11-20 02:00"),
    )
    submit(
        engine,
        "screening",
        [
            make_screening_row(code=A, target=5000, screened=4900, high=3),
            make_screening_row(code=A, kind="重点人群复查", target=100, screened=100, high=0),
            make_screening_row(code=B, target=3000, screened=2700),
        ],
        utc("2024-12-01 02:00"),
    )
    store_rows(
        engine,
        "projects",
        [
            make_project_row(project_id="XM-1", code=A, due=dt.date(2025, 6, 30), stage="培育建设"),
            make_project_row(project_id="XM-2", code=A, due=dt.date(2026, 6, 30), stage="立项"),
            make_project_row(project_id="XM-3", code=B, due=dt.date(2026, 6, 30)),
        ],
    )


def row_of(table: pd.DataFrame, **conditions: object) -> pd.Series:
    mask = True
    for column, value in conditions.items():
        mask = mask & (table[column] == value)
    matches = table[mask]
    assert len(matches) == 1, matches
    return matches.iloc[0]


@pytest.fixture
def profile(any_engine: Engine) -> InstitutionProfile:
    profile_data(any_engine)
    return institution_profile(any_engine, Scope(), A, TODAY)


def test_basic_facts(profile: InstitutionProfile) -> None:
    facts = dict(zip(profile.basics["项目"], profile.basics["内容"], strict=True))

    assert (facts["学校标识码"], facts["学校名称"], facts["所在省份"]) == (A, "豫甲大学", "河南省")
    assert facts["河南省高校数"] == "2"


def test_staffing_beside_the_province(any_engine: Engine, profile: InstitutionProfile) -> None:
    row = row_of(profile.staffing, 学年="2024-2025", 指标="专职辅导员")

    # A: 20,000 / 100 = 200.0, compliant; 河南: 30,000 / 140 = 214.3, 1 of 2 compliant
    assert (row["学生总数"], row["师生比"], row["缺口"], row["达标情况"]) == (20000, "1:200.0", 0, "达标")
    assert (row["全省总体师生比"], row["全省达标率"]) == ("1:214.3", "50.0%")
    province = staffing.group_table(
        any_engine, Scope(year="2024-2025", provinces=("河南省",)), "province"
    ).iloc[0]
    assert row["全省总体师生比"] == province["辅导员总体师生比"]
    assert sorted(profile.staffing["学年"].unique()) == ["2023-2024", "2024-2025"]


def test_screening_beside_the_province(any_engine: Engine, profile: InstitutionProfile) -> None:
    row = row_of(profile.screening, 学年="2024-2025", 学期="秋季学期", 筛查类型="新生普查")

    # A's 新生普查: 4,900 of 5,000 screened = 98.0%; 河南's 新生普查: 7,600 of 8,000 = 95.0%
    # (A's 重点人群复查, 100 of 100, is a row of its own)
    assert (row["应测人数"], row["实测人数"], row["筛查覆盖率"]) == (5000, 4900, "98.0%")
    assert row["全省筛查覆盖率"] == "95.0%"
    with any_engine.connect() as connection:
        stored = (
            connection.execute(
                select(ScreeningReport.high).where(
                    ScreeningReport.code == A, ScreeningReport.kind == "新生普查"
                )
            )
            .scalars()
            .all()
        )
    assert row["高风险人数"] == sum(stored)


def test_projects_and_their_summary(any_engine: Engine, profile: InstitutionProfile) -> None:
    with any_engine.connect() as connection:
        own = (
            connection.execute(select(ProjectRecord.project_id).where(ProjectRecord.code == A))
            .scalars()
            .all()
        )

    assert sorted(profile.projects["项目编号"]) == sorted(own)
    assert row_of(profile.projects, 项目编号="XM-1")["是否逾期"] == "是"
    school = row_of(profile.project_summary, 范围="本校")
    region = row_of(profile.project_summary, 范围="全省（河南省）")
    assert (school["项目数"], school["逾期"], region["项目数"]) == (2, 1, 3)


def test_reporting_status_beside_the_province_rate(profile: InstitutionProfile) -> None:
    staffing_2024 = row_of(profile.reporting, 学年="2024-2025", 报送期次="队伍配备")
    spring = row_of(profile.reporting, 学年="2024-2025", 报送期次="心理筛查·春季学期")

    assert (staffing_2024["本校状态"], staffing_2024["首次报送时间"]) == ("按时报送", "2024-11-20 10:00:00")
    assert staffing_2024["最近更新时间"] == "2025-01-10 10:00:00"
    assert staffing_2024["全省报送率"] == "100.0%"
    assert (spring["本校状态"], spring["全省报送率"]) == ("未报送", "0.0%")


def test_upload_history_lists_every_upload_that_wrote_its_rows(
    any_engine: Engine, profile: InstitutionProfile
) -> None:
    with any_engine.connect() as connection:
        current = set()
        for model in (StaffingReport, ScreeningReport, ProjectRecord):
            current |= set(connection.execute(select(model.upload_id).where(model.code == A)).scalars())

    listed = set(profile.uploads["上传编号"])

    assert current < listed  # plus the 高校名录 upload and the staffing upload the correction replaced
    assert len(listed) == len(current) + 2
    assert list(profile.uploads["上传时间（北京时间）"]) == sorted(
        profile.uploads["上传时间（北京时间）"], reverse=True
    )


def test_profile_outside_the_scope_is_not_shown(any_engine: Engine) -> None:
    profile_data(any_engine)

    assert institution_profile(any_engine, Scope(provinces=("江苏省",)), A, TODAY) is None
    assert list(institution_choices(any_engine, Scope(provinces=("江苏省",)))) == [C]


def test_institution_without_reports_has_empty_sections(any_engine: Engine) -> None:
    profile_data(any_engine)

    profile = institution_profile(any_engine, Scope(), C, TODAY)

    assert profile.screening.empty and profile.projects.empty
    assert row_of(profile.reporting, 学年="2024-2025", 报送期次="队伍配备")["本校状态"] == "未报送"


def test_workbook_has_a_sheet_per_section_with_small_counts_masked(any_engine: Engine) -> None:
    profile_data(any_engine)
    shown = institution_profile(any_engine, Scope(), A, TODAY)

    workbook = load_workbook(BytesIO(profile_workbook(any_engine, A, TODAY)))

    assert workbook.sheetnames == list(shown.sections())
    staffing_sheet = list(workbook["队伍配备"].values)
    assert list(staffing_sheet[0]) == list(shown.staffing.columns)
    assert len(staffing_sheet) == len(shown.staffing) + 1
    screening_header, screening_row = list(workbook["心理筛查"].values)[:2]
    masked = dict(zip(screening_header, screening_row, strict=True))
    assert (masked["高风险人数"], masked["高风险率"]) == ("<5", None)  # A's 3 high-risk students
    assert masked["实测人数"] == 4900  # the 新生普查 row (its 重点人群复查 is a row of its own)


def test_workbook_of_an_unknown_code_says_so(any_engine: Engine) -> None:
    with pytest.raises(InstitutionNotFound, match="9999999999"):
        profile_workbook(any_engine, "9999999999", TODAY)


def test_profile_before_anything_was_reported(engine: Engine) -> None:
    store_rows(engine, "institutions", [make_institution(code=A)])

    profile = institution_profile(engine, Scope(), A, TODAY)

    assert profile.staffing.empty and profile.screening.empty and profile.reporting.empty
    assert len(profile.uploads) == 1  # the 高校名录 upload

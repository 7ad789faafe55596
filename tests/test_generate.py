"""The synthetic sample data: deterministic, plainly fictional, spread so every screen has something to show.

The committed workbooks are loaded through the real intake pipeline, so a sample row
that the validation would reject fails here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import Engine, func, select

from core.deadlines import Period, periods_of_year
from core.forms import (
    CLOSED_STAGES,
    PROJECT_CATEGORIES,
    PROJECT_STAGES,
    PROVINCE_SYNONYMS,
    PROVINCES,
    get_form,
)
from core.ingest.normalize import reader_for
from core.metrics.completeness import LATE, ON_TIME
from core.models import FORM_MODELS, Upload
from core.queries.completeness import period_statuses
from core.scope import Scope
from core.views.completeness import reporting_summary
from sample_data import generate
from sample_data.dataset import SAMPLE_TODAY, Dataset, academic_years
from sample_data.generate import (
    SampleDataError,
    committed_submissions,
    generate_dataset,
    seed_database,
)
from sample_data.submissions import sample_files

NEWEST_YEAR = "2024-2025"
FORM_NAMES = ("institutions", "staffing", "screening", "projects")
SHORT_PROVINCES = {short: full for short, full in PROVINCE_SYNONYMS.items() if not short.endswith("自治区")}
# 示例 + 河南 + a 天干 code (甲, 乙一, 己十七 …) + discipline and type word ending in 大学/学院.
# No real institution has a 天干 right after its province, so no name is a real one with 示例 in front.
FICTIONAL_NAME = re.compile(
    rf"示例(?P<province>{'|'.join(SHORT_PROVINCES)})"
    r"(?P<code>[甲乙丙丁戊己庚辛壬癸][一二三四五六七八九十]*)"
    r"(?P<kind>[^甲乙丙丁戊己庚辛壬癸一二三四五六七八九十\W\d]\w*(?:大学|学院))"
)


@pytest.fixture(scope="module")
def sample() -> Dataset:
    return generate_dataset()


def _students(row: dict[str, Any]) -> int:
    return row["undergrad"] + row["postgrad"]


def _flagged(row: dict[str, Any]) -> int:
    return row["high"] + row["medium"] + row["watch"]


def _share(rows: list[dict[str, Any]], predicate) -> float:  # noqa: ANN001
    return sum(1 for row in rows if predicate(row)) / len(rows)


def _of_year(rows: Iterable[dict[str, Any]], year: str) -> list[dict[str, Any]]:
    return [row for row in rows if row["year"] == year]


# --- determinism and identity ----------------------------------------------------------


def test_the_same_arguments_give_the_same_data() -> None:
    first, second = generate_dataset(), generate_dataset()

    assert first == second


def test_another_seed_gives_other_data() -> None:
    assert generate_dataset(seed=1) != generate_dataset(seed=2)


def test_institutions_have_unique_ten_digit_codes(sample: Dataset) -> None:
    codes = [row["code"] for row in sample.institutions]

    assert all(len(code) == 10 and code.isdigit() for code in codes)
    assert len(set(codes)) == len(codes) == 120


@pytest.mark.parametrize(
    "institutions",
    [
        120,  # case: the committed sample (one round of 天干 per province, then 甲一 …)
        3000,  # case: national scale (up to 己十七 in the largest province)
    ],
)
def test_every_name_is_plainly_fictional_and_unique(institutions: int) -> None:
    rows = generate_dataset(institutions, 1).institutions

    matches = [(row, FICTIONAL_NAME.fullmatch(row["name"])) for row in rows]

    assert [row["name"] for row, match in matches if match is None] == []
    assert all(SHORT_PROVINCES[match["province"]] == row["province"] for row, match in matches)
    assert len({(match["province"], match["code"]) for _, match in matches}) == institutions
    assert len({row["name"] for row in rows}) == institutions


def test_the_sample_mixes_provinces_levels_and_ownerships(sample: Dataset) -> None:
    institutions = sample.institutions

    assert len({row["province"] for row in institutions}) >= 10
    assert {row["level"] for row in institutions} == {"本科", "高职（专科）"}
    assert {row["ownership"] for row in institutions} == {"公办", "民办", "中外合作办学"}


# --- staffing --------------------------------------------------------------------------


def test_staffing_covers_three_years_ending_with_the_newest(sample: Dataset) -> None:
    assert sorted({row["year"] for row in sample.staffing}) == ["2022-2023", "2023-2024", NEWEST_YEAR]


@pytest.mark.parametrize("year", ["2022-2023", "2023-2024", NEWEST_YEAR])
def test_roughly_a_third_of_institutions_fall_short_of_one_counselor_per_200(
    sample: Dataset, year: str
) -> None:
    rows = _of_year(sample.staffing, year)

    below = _share(rows, lambda row: _students(row) / row["counselors_ft"] > 200)

    assert 0.20 <= below <= 0.45


def test_counselor_ratios_improve_and_a_few_stay_far_below(sample: Dataset) -> None:
    def below(year: str) -> float:
        return _share(
            _of_year(sample.staffing, year), lambda row: _students(row) / row["counselors_ft"] > 200
        )

    newest = _of_year(sample.staffing, NEWEST_YEAR)
    far_below = [row for row in newest if _students(row) / row["counselors_ft"] > 300]

    assert below(NEWEST_YEAR) < below("2022-2023")
    assert 1 <= len(far_below) <= len(newest) * 0.1


def test_some_teacher_counts_are_zero_and_some_are_not_reported(sample: Dataset) -> None:
    rows = sample.staffing

    assert any(row["psy_teachers"] == 0 for row in rows)
    assert any(row["psy_teachers"] is None for row in rows)
    assert any(row["ideo_teachers"] is None for row in rows)
    assert _share(rows, lambda row: row["psy_teachers"] is None) < 0.1


# --- screening -------------------------------------------------------------------------


def test_both_terms_are_screened_every_year(sample: Dataset) -> None:
    periods = {(row["year"], row["term"], row["kind"]) for row in sample.screening}
    fall_kinds = {kind for _, term, kind in periods if term == "秋季学期"}
    spring_kinds = {kind for _, term, kind in periods if term == "春季学期"}

    assert {(year, term) for year, term, _ in periods} == {
        (year, term) for year in academic_years(3) for term in ("秋季学期", "春季学期")
    }
    assert fall_kinds == {"新生普查"}
    assert {"全体学生普查", "重点人群复查"} <= spring_kinds


def test_coverage_is_mostly_95_to_100_percent_with_some_below(sample: Dataset) -> None:
    rows = sample.screening

    low = _share(rows, lambda row: row["screened"] < 0.95 * row["target"])

    assert 0.03 <= low <= 0.25


@pytest.mark.parametrize(
    ("level", "low", "high"),
    [
        ("high", 0.003, 0.01),  # case: 高风险 about 0.3–1 % of those screened
        ("medium", 0.01, 0.03),  # case: 中风险 about 1–3 %
        ("watch", 0.03, 0.06),  # case: 一般关注 about 3–6 %
    ],
)
def test_risk_counts_of_whole_cohort_screenings_are_plausible(
    sample: Dataset, level: str, low: float, high: float
) -> None:
    rows = [row for row in sample.screening if row["kind"] in ("新生普查", "全体学生普查")]

    rate = sum(row[level] for row in rows) / sum(row["screened"] for row in rows)

    assert low <= rate <= high


def test_follow_up_is_mostly_complete_but_not_everywhere(sample: Dataset) -> None:
    complete = _share(sample.screening, lambda row: row["interviewed"] == _flagged(row))

    assert 0.5 <= complete <= 0.95


@pytest.mark.parametrize(
    ("form_name", "term"),
    [
        ("staffing", None),  # case: 队伍配备 of the newest year
        ("screening", "秋季学期"),  # case: 心理筛查, autumn term
        ("screening", "春季学期"),  # case: 心理筛查, spring term
    ],
)
def test_a_few_institutions_did_not_submit_in_the_newest_year(
    sample: Dataset, form_name: str, term: str | None
) -> None:
    reported = {
        row["code"]
        for row in _of_year(sample.rows(form_name), NEWEST_YEAR)
        if term is None or row["term"] == term
    }

    missing = {row["code"] for row in sample.institutions} - reported

    assert 1 <= len(missing) <= 15


# --- projects --------------------------------------------------------------------------


def test_projects_cover_every_category_stage_and_batch(sample: Dataset) -> None:
    projects = sample.projects

    assert 50 <= len(projects) <= 70
    assert {row["category"] for row in projects} == set(PROJECT_CATEGORIES)
    assert {row["stage"] for row in projects} == set(PROJECT_STAGES)
    assert {row["batch"] for row in projects} == {"第一批", "第二批", "第三批", "第四批"}
    assert len({row["project_id"] for row in projects}) == len(projects)


def test_some_projects_are_overdue_and_some_due_within_60_days(sample: Dataset) -> None:
    open_projects = [row for row in sample.projects if row["stage"] not in CLOSED_STAGES]

    overdue = [row for row in open_projects if row["due"] < SAMPLE_TODAY]
    due_soon = [row for row in open_projects if SAMPLE_TODAY <= row["due"] <= SAMPLE_TODAY + dt.timedelta(60)]

    assert len(overdue) >= 3
    assert len(due_soon) >= 2


def test_accepted_projects_are_complete(sample: Dataset) -> None:
    accepted = [row for row in sample.projects if row["stage"] == "已验收通过"]

    assert accepted
    assert all(row["progress"] == 100 for row in accepted)


# --- every row is valid ----------------------------------------------------------------


def _problems(form_name: str, row: dict[str, Any]) -> list[str]:
    """What intake would say about ``row``: non-canonical or missing cells, broken row rules."""
    form = get_form(form_name)
    problems = []
    for spec in form.fields:
        value = row.get(spec.key)
        if value is None:
            if spec.required:
                problems.append(f"{spec.header} 缺失")
            continue
        read = reader_for(spec)(value)
        if read.value != value or read.note:
            problems.append(f"{spec.header}={value!r} 不是规范写法")
    for rule in form.rules:
        if all(row.get(key) is not None for key in rule.columns) and not rule.check(row):
            problems.append(rule.code)
    return problems


@pytest.mark.parametrize("form_name", FORM_NAMES)
@pytest.mark.parametrize(
    ("institutions", "years"),
    [
        (120, 3),  # case: the committed sample
        (400, 10),  # case: all provinces over ten years
    ],
)
def test_every_generated_row_passes_the_form_rules(form_name: str, institutions: int, years: int) -> None:
    rows = generate_dataset(institutions, years).rows(form_name)

    problems = [(row, problem) for row in rows for problem in _problems(form_name, row)]

    assert problems == []


# --- national scale --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("institutions", "years"),
    [
        (310, 2),  # case: the smallest size that spans the country
        (3000, 1),  # case: national scale (rows per year do not change the provinces)
    ],
)
def test_large_datasets_cover_all_31_provinces(institutions: int, years: int) -> None:
    dataset = generate_dataset(institutions, years)

    assert len(dataset.institutions) == institutions
    assert {row["province"] for row in dataset.institutions} == set(PROVINCES)
    assert len({row["code"] for row in dataset.institutions}) == institutions
    assert len({row["name"] for row in dataset.institutions}) == institutions


def test_ten_years_end_with_2024_2025() -> None:
    dataset = generate_dataset(40, 10)

    years = sorted({row["year"] for row in dataset.staffing})

    assert years[0] == "2015-2016"
    assert years[-1] == NEWEST_YEAR
    assert len(years) == 10


# --- the committed workbooks and the pipeline ------------------------------------------


def _workbook_rows(form_name: str, path: Path) -> list[dict[str, Any]]:
    """The data rows under the canonical header row of the form's sheet."""
    form = get_form(form_name)
    headers = list(form.headers.values())
    sheet = openpyxl.load_workbook(path, read_only=True)[form.sheet]
    rows, in_data = [], False
    for values in sheet.iter_rows(values_only=True):
        cells = list(values[: len(headers)]) + [None] * (len(headers) - len(values))
        if in_data and any(cell is not None for cell in cells):
            rows.append(dict(zip(form.keys, cells, strict=True)))
        in_data = in_data or cells == headers
    return rows


def _as_dates(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value.date() if isinstance(value, dt.datetime) else value for key, value in row.items()}


def _key(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(row.get(key)) for key in ("code", "project_id", "year", "term", "kind"))


@pytest.mark.parametrize("form_name", FORM_NAMES)
def test_the_files_hold_every_row_exactly_once(sample: Dataset, form_name: str) -> None:
    filed = [row for submission, rows in sample_files(sample) if submission.form == form_name for row in rows]

    assert sorted(filed, key=_key) == sorted(sample.rows(form_name), key=_key)


@pytest.mark.parametrize(
    "period",
    [
        Period("staffing", "2022-2023"),  # case: 队伍配备 of the oldest year
        Period("staffing", NEWEST_YEAR),  # case: 队伍配备 of the newest year
        Period("screening", NEWEST_YEAR, "秋季学期"),  # case: 心理筛查, autumn term
        Period("screening", NEWEST_YEAR, "春季学期"),  # case: 心理筛查, spring term
    ],
)
def test_a_few_of_each_periods_reporters_file_in_the_supplementary_batch(
    sample: Dataset, period: Period
) -> None:
    batches = {
        submission.late: rows for submission, rows in sample_files(sample) if submission.period == period
    }

    late_share = len(batches[True]) / (len(batches[False]) + len(batches[True]))

    assert 0.04 <= late_share <= 0.11


def test_the_committed_workbooks_are_exactly_the_sample_files(sample: Dataset) -> None:
    expected = [f"{submission.stem}.xlsx" for submission, _ in sample_files(sample)]

    assert sorted(path.name for path in generate.SAMPLE_DIR.glob("*.xlsx")) == sorted(expected)
    assert [f"{submission.stem}.xlsx" for submission in committed_submissions()] == expected


def test_committed_workbooks_hold_exactly_what_the_generator_makes(sample: Dataset) -> None:
    for submission, rows in sample_files(sample):
        path = generate.SAMPLE_DIR / f"{submission.stem}.xlsx"

        assert [_as_dates(row) for row in _workbook_rows(submission.form, path)] == rows, path.name


def _stored(engine: Engine, form_name: str) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(FORM_MODELS[form_name])).scalar_one()


def _upload_names(engine: Engine) -> list[str]:
    """File names of the uploads in the order of their upload times."""
    with engine.connect() as connection:
        return list(connection.execute(select(Upload.file_name).order_by(Upload.created_at)).scalars())


def test_seeding_imports_the_committed_workbooks_through_intake(engine: Engine, sample: Dataset) -> None:
    summary = seed_database(engine)

    with engine.connect() as connection:
        uploads = connection.execute(select(Upload.uploader, Upload.warnings).order_by(Upload.id)).all()
    assert {form_name: _stored(engine, form_name) for form_name in FORM_NAMES} == {
        form_name: len(sample.rows(form_name)) for form_name in FORM_NAMES
    }
    assert len(uploads) == len(sample_files(sample))
    assert all(uploader == "示例数据" and warnings == [] for uploader, warnings in uploads)
    assert "高校 120 所" in summary


def test_uploads_are_dated_in_the_order_they_were_imported(engine: Engine) -> None:
    seed_database(engine)

    with engine.connect() as connection:
        by_time = list(connection.execute(select(Upload.id).order_by(Upload.created_at)).scalars())

    assert by_time == sorted(by_time)
    assert _upload_names(engine)[0] == "高校名录.xlsx"


def test_the_newest_staffing_is_mostly_on_time_with_some_late(engine: Engine, sample: Dataset) -> None:
    seed_database(engine)

    staffing = reporting_summary(engine, Scope(year=NEWEST_YEAR), SAMPLE_TODAY)["staffing"]

    assert 85 <= staffing["on_time_rate"] < 100
    assert staffing["late"] >= 1
    assert staffing["on_time"] + staffing["late"] == len(_of_year(sample.staffing, NEWEST_YEAR))


def test_exactly_the_supplementary_batches_are_late(engine: Engine, sample: Dataset) -> None:
    seed_database(engine)
    periods = [period for year in academic_years(3) for period in periods_of_year(year)]

    statuses = period_statuses(engine, Scope(), periods, SAMPLE_TODAY)

    for submission, rows in sample_files(sample):
        if submission.period is None:
            continue
        of_period = statuses[
            (statuses["year"] == submission.period.year) & (statuses["period"] == submission.period.column)
        ]
        filed = of_period[of_period["code"].isin({row["code"] for row in rows})]
        assert set(filed["status"]) == {LATE if submission.late else ON_TIME}, submission.stem


def test_seeding_a_given_size_loads_that_generated_dataset(engine: Engine) -> None:
    expected = generate_dataset(40, 2)

    summary = seed_database(engine, institutions=40, years=2)

    assert {form_name: _stored(engine, form_name) for form_name in FORM_NAMES} == {
        form_name: len(expected.rows(form_name)) for form_name in FORM_NAMES
    }
    assert f"队伍配备 {len(expected.staffing)} 行" in summary
    staffing = reporting_summary(engine, Scope(year=NEWEST_YEAR), SAMPLE_TODAY)["staffing"]
    assert staffing["late"] >= 1
    assert 80 <= staffing["on_time_rate"] < 100


def test_a_broken_sample_workbook_fails_loudly(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = generate_dataset()
    broken.staffing[-1]["counselors_ft"] = _students(broken.staffing[-1]) + 1
    files = sample_files(broken)
    position = next(index for index, (_, rows) in enumerate(files) if broken.staffing[-1] in rows)
    generate.write_workbooks(broken, tmp_path)
    monkeypatch.setattr(generate, "SAMPLE_DIR", tmp_path)

    with pytest.raises(SampleDataError, match=f"{files[position][0].stem}.xlsx"):
        seed_database(engine)

    assert _upload_names(engine) == [f"{submission.stem}.xlsx" for submission, _ in files[:position]]

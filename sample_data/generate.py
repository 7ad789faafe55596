"""Synthetic sample data for the four forms, and loading it through the intake pipeline.

Everything here is fictional, so no real institution is ever paired with invented
figures. Every name is 示例 + a province's short name + a 天干 code (甲 … 癸, then 甲一 …
癸一, 甲二 …) + a discipline and a type word, e.g. 示例河南戊理工大学 or
示例河南甲一水利职业技术学院: no real institution has a 天干 right after its province,
so a name is never a real one with 示例 in front. The 10-digit codes are synthetic too
(41 + the province's GB code + 9 + a serial). One fixed random seed makes the output
identical on every run: the committed workbooks, the tests and the demos all see the
same data.

The spread is chosen so that every screen has something to show: about a third of
the institutions below the 1:200 counselor standard in the newest year (a few far
below), ratios slowly improving over the years, some institutions with no
psychology teacher or with teacher counts not reported, screening coverage mostly
95–100 % with some below, follow-up mostly complete, a few institutions that did not
submit (so the 未报送名单 is not empty), and projects in every category and stage,
some overdue and some due within 60 days of :data:`SAMPLE_TODAY`.

The rows are filed the way offices file them: staffing per 学年 and screening per
学年 and 学期, each period in a main batch and a small 补报 (5–10 % of the
institutions that reported it, in a file named …_补报). Seeding imports each file
through intake (core.ingest.import_path), then dates its upload to a SIMULATED
submission time: the main batch a few days before the period's default deadline
(core.deadlines), the 补报 10–20 days after it, at office hours Beijing time (stored
in UTC), so the 报送情况 page shows a realistic mix of 按时报送 and 逾期报送. The
高校名录 is dated to the start of the first 学年 and the 项目进度 to SAMPLE_TODAY. The
times are not in the workbooks; they come from :func:`submissions`.

The parts: :mod:`sample_data.dataset` (seed, "today", :class:`Dataset`),
:mod:`sample_data.schools` (institutions, staffing and screening rows),
:mod:`sample_data.projects`, :mod:`sample_data.submissions` (who filed which file when); this
module puts them together, writes the files and loads them.

    python -m sample_data.generate      # rewrite the workbooks in sample_data/
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, update

from core.db import session_scope
from core.forms import PROJECT_CATEGORIES, get_form
from core.models import Upload
from sample_data import indicator_forms
from sample_data.dataset import DEFAULT_INSTITUTIONS, DEFAULT_YEARS, SEED, Dataset, Row, academic_years
from sample_data.projects import make_projects
from sample_data.schools import make_schools, non_reporters, screening_rows, staffing_row, students_in
from sample_data.submissions import FILE_LABELS, Submission, sample_files, submissions

UPLOADER = "示例数据"
INDICATOR_FILED_AT = dt.datetime(2025, 10, 20, 2, 0, tzinfo=dt.UTC)  # 10:00 Beijing time
SAMPLE_DIR = Path(__file__).resolve().parent
ZIP_TIMESTAMP = (2025, 11, 30, 0, 0, 0)  # fixed, so regenerated workbooks are byte-identical
_MODIFIED = re.compile(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


class SampleDataError(RuntimeError):
    """A sample file was not accepted by intake (the message lists its errors)."""


def generate_dataset(
    institutions: int = DEFAULT_INSTITUTIONS, years: int = DEFAULT_YEARS, *, seed: int = SEED
) -> Dataset:
    """A complete synthetic dataset; the same arguments always give the same rows.

    120 institutions cover the 12 provinces with most institutions; from 310 on
    every one of the 31 provincial units is present (3000 × 10 is national scale).
    """
    if institutions < 1 or years < 1:
        raise ValueError("institutions 和 years 都须为正整数")
    rng = random.Random(seed)
    schools = make_schools(rng, institutions)
    year_names = academic_years(years)
    dataset = Dataset(institutions=[school.row for school in schools])
    for index, year in enumerate(year_names):
        years_before_newest = len(year_names) - 1 - index
        progress = index / max(1, len(year_names) - 1)  # 0 oldest … 1 newest
        newest = years_before_newest == 0
        staffing_missing = non_reporters(rng, schools, newest)
        fall_missing = non_reporters(rng, schools, newest)
        spring_missing = non_reporters(rng, schools, newest, share=0.04)
        for school in schools:
            students = students_in(school, years_before_newest)
            if school.code not in staffing_missing:
                dataset.staffing.append(staffing_row(rng, school, year, students, years_before_newest))
            fall, spring = screening_rows(rng, school, year, students, progress)
            if school.code not in fall_missing:
                dataset.screening.append(fall)
            if spring is not None and school.code not in spring_missing:
                dataset.screening.append(spring)
    dataset.projects = make_projects(rng, schools, max(len(PROJECT_CATEGORIES), institutions // 2))
    dataset.indicators = indicator_forms.indicator_rows(dataset.institutions, year_names, seed=seed)
    return dataset


# --- files ---------------------------------------------------------------------------


def _cells(form_name: str, row: Row) -> list[Any]:
    return [row.get(key) for key in get_form(form_name).keys]


def write_workbooks(dataset: Dataset, folder: Path = SAMPLE_DIR) -> list[Path]:
    """One workbook per submission, in the template layout (core.templates)."""
    from core.templates import template_workbook

    paths = []
    for submission, rows in sample_files(dataset):
        workbook = template_workbook(submission.form)
        sheet = workbook[get_form(submission.form).sheet]
        for row in rows:
            sheet.append(_cells(submission.form, row))
        path = folder / f"{submission.stem}.xlsx"
        _save(workbook, path)
        paths.append(path)
    written = indicator_forms.write_workbooks(dataset.indicators, folder / indicator_forms.FOLDER, _save)
    return paths + [path for _form, path in written]


def _save(workbook: Any, path: Path) -> None:
    workbook.properties.created = dt.datetime(*ZIP_TIMESTAMP)
    workbook.save(path)
    _make_reproducible(path)


def _make_reproducible(path: Path) -> None:
    """Fix the archive's entry times and the modified time openpyxl stamps on save.

    So regenerating the workbooks changes no bytes unless the data changed.
    """
    fixed_time = dt.datetime(*ZIP_TIMESTAMP).strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = _MODIFIED.sub(rf"\g<1>{fixed_time}\g<2>", data.decode("utf-8")).encode("utf-8")
            entry = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def write_csv_files(dataset: Dataset, folder: Path) -> list[tuple[Submission, Path]]:
    """(submission, path) of UTF-8 CSV files holding ``dataset``, one per submission, in filing order."""
    files = []
    for submission, rows in sample_files(dataset):
        path = folder / f"{submission.stem}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(get_form(submission.form).headers.values())
            writer.writerows([_csv_value(value) for value in _cells(submission.form, row)] for row in rows)
        files.append((submission, path))
    return files


# --- loading -------------------------------------------------------------------------


def _import_all(engine: Engine, files: Sequence[tuple[Submission, Path]]) -> dict[str, int]:
    """Import every file through intake and date its upload to the simulated filing time.

    Returns the rows stored per form. Raises on any rejection.
    """
    from core.ingest import import_path

    stored = dict.fromkeys(FILE_LABELS, 0)
    for submission, path in files:
        report = import_path(engine, submission.form, path, uploader=UPLOADER)
        if not report.accepted:
            raise SampleDataError(f"示例数据 {path.name} 未通过校验：\n{report.to_text()}")
        _set_filed_at(engine, report.upload_id, submission.filed_at)
        stored[submission.form] += report.rows
    return stored


def _import_indicator_forms(engine: Engine, files: Sequence[tuple[str, Path]]) -> dict[str, int]:
    """Import the built-in forms declared as data (core/formdefs/builtin), dated to SAMPLE_TODAY."""
    from core.formdefs.registry import load_forms
    from core.ingest import import_path

    load_forms(engine)
    stored = {}
    for form, path in files:
        report = import_path(engine, form, path, uploader=UPLOADER)
        if not report.accepted:
            raise SampleDataError(f"示例数据 {path.name} 未通过校验：\n{report.to_text()}")
        _set_filed_at(engine, report.upload_id, INDICATOR_FILED_AT)
        stored[form] = report.rows
    return stored


def _set_filed_at(engine: Engine, upload_id: int | None, filed_at: dt.datetime) -> None:
    with session_scope(engine) as session:
        session.execute(update(Upload).where(Upload.id == upload_id).values(created_at=filed_at))


def _summary(stored: dict[str, int], seconds: float) -> str:
    return (
        f"已载入：高校 {stored['institutions']:,} 所，队伍配备 {stored['staffing']:,} 行，"
        f"心理筛查 {stored['screening']:,} 行，重点项目 {stored['projects']:,} 个"
        + "".join(
            f"，{stem} {stored[form]:,} 行" for form, stem in indicator_forms.FILES.items() if form in stored
        )
        + f"（用时 {seconds:.1f} 秒）"
    )


def seed_database(
    engine: Engine,
    institutions: int | None = None,
    years: int | None = None,
    *,
    with_indicator_forms: bool = False,
) -> str:
    """Load sample data through the intake pipeline and return a Chinese summary.

    Without options: the committed workbooks in sample_data/. With either option: a
    generated dataset of that size (defaults 120 institutions, 3 years), written to
    CSV files in a temporary folder and imported the same way. Either way each upload
    is then dated to its simulated filing time (see :func:`submissions`). ``with_indicator_forms``
    (what ``python -m core.cli seed`` does): also the built-in forms declared as data
    (sample_data/专项指标/, :mod:`sample_data.indicator_forms`).
    """
    started = time.perf_counter()
    if institutions is None and years is None:
        files = [
            (submission, SAMPLE_DIR / f"{submission.stem}.xlsx") for submission in committed_submissions()
        ]
        stored = _import_all(engine, files)
        if with_indicator_forms:
            extra = [
                (form, SAMPLE_DIR / indicator_forms.FOLDER / f"{stem}.xlsx")
                for form, stem in indicator_forms.FILES.items()
            ]
            stored |= _import_indicator_forms(engine, extra)
    else:
        dataset = generate_dataset(institutions or DEFAULT_INSTITUTIONS, years or DEFAULT_YEARS)
        with tempfile.TemporaryDirectory(prefix="sample_data_") as folder:
            stored = _import_all(engine, write_csv_files(dataset, Path(folder)))
            if with_indicator_forms:
                extra = indicator_forms.write_csv_files(dataset.indicators, Path(folder))
                stored |= _import_indicator_forms(engine, extra)
    return _summary(stored, time.perf_counter() - started)


def committed_submissions() -> list[Submission]:
    """The submissions of the committed workbooks (the default dataset)."""
    return submissions(academic_years(DEFAULT_YEARS))


def main() -> int:
    """Regenerate the committed workbooks."""
    for path in write_workbooks(generate_dataset()):
        print(f"已生成：{path.relative_to(SAMPLE_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

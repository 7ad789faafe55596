"""When each sample file was filed: a period's main batch a few days before its deadline, the
补报 of a few institutions 10–20 days after it, at office hours Beijing time (stored in UTC)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from core.deadlines import PERIOD_FORMS, Period, default_deadline, first_year, periods_of_year
from core.formatting import LOCAL_TIME
from sample_data.dataset import SAMPLE_TODAY, SEED, Dataset, Row

FILE_LABELS = {
    "institutions": "高校名录",
    "staffing": "队伍配备",
    "screening": "心理筛查",
    "projects": "项目进度",
}
LATE_SUFFIX = "补报"
LATE_SHARE = (0.05, 0.10)  # share of a period's reporters that file after the deadline
ON_TIME_DAYS = (-6, -2)  # main batch: days from the period's deadline
LATE_DAYS = (10, 20)  # 补报: days from the period's deadline


@dataclass(frozen=True)
class Submission:
    """One simulated submission: the file of one form, and when it was filed (UTC).

    A period's rows come in two files: the main batch, filed a few days before the
    period's deadline, and the 补报 (``late``) of the few institutions that filed after it.
    """

    form: str
    filed_at: dt.datetime
    period: Period | None = None  # None: 高校名录 and 项目进度 are not reported per period
    late: bool = False

    @property
    def stem(self) -> str:
        """The file name without its suffix: 高校名录, 队伍配备_2024-2025, 心理筛查_2024-2025_秋季学期_补报 …"""
        period = (self.period.year, self.period.term) if self.period else ()
        return "_".join(filter(None, (FILE_LABELS[self.form], *period, LATE_SUFFIX if self.late else None)))


def submissions(years: Sequence[str]) -> list[Submission]:
    """Every submission of a sample covering ``years`` (oldest first), in the order they were filed.

    The 高校名录 at the start of the first 学年; each period's main batch and 补报 around its
    default deadline (core.deadlines); the 项目进度 on :data:`SAMPLE_TODAY`.
    """
    periodic = [
        _period_submission(period, late)
        for year in years
        for period in periods_of_year(year)
        for late in (False, True)
    ]
    return [
        Submission("institutions", office_hours(dt.date(first_year(years[0]), 9, 15))),
        *sorted(periodic, key=lambda submission: submission.filed_at),
        Submission("projects", office_hours(SAMPLE_TODAY)),
    ]


def _period_submission(period: Period, late: bool) -> Submission:
    """The main batch a few days before the deadline, the 补报 a couple of weeks after it."""
    rng = random.Random(f"{SEED}:{period.label()}:{late}")
    day = default_deadline(period) + dt.timedelta(days=rng.randint(*(LATE_DAYS if late else ON_TIME_DAYS)))
    return Submission(period.form, office_hours(day, rng), period, late)


def office_hours(day: dt.date, rng: random.Random | None = None) -> dt.datetime:
    """A time between 08:30 and 17:30 Beijing time on ``day`` (10:00 without ``rng``), in UTC.

    UTC because upload times are stored in UTC; the 报送情况 page judges by the Beijing date.
    """
    minutes = rng.randint(0, 9 * 60) if rng else 90
    local = dt.datetime.combine(day, dt.time(8, 30), tzinfo=LOCAL_TIME) + dt.timedelta(minutes=minutes)
    return local.astimezone(dt.UTC)


def _late_reporters(period: Period, codes: Sequence[str]) -> set[str]:
    """The institutions among ``codes`` (a period's reporters) that filed in its 补报: 5–10 % of them."""
    rng = random.Random(f"{SEED}:{period.label()}:{LATE_SUFFIX}")
    return set(rng.sample(list(codes), round(len(codes) * rng.uniform(*LATE_SHARE))))


def sample_files(dataset: Dataset) -> list[tuple[Submission, list[Row]]]:
    """Each submission of ``dataset`` with its rows, in filing order (one without rows is left out).

    Together the files hold every row of ``dataset`` exactly once.
    """
    by_period: dict[Period, list[Row]] = {}
    for form_name in PERIOD_FORMS:
        for row in dataset.rows(form_name):
            by_period.setdefault(Period(form_name, row["year"], row.get("term")), []).append(row)
    files = []
    for submission in submissions(dataset.years()):
        if submission.period is None:
            rows = dataset.rows(submission.form)
        else:
            in_period = by_period.get(submission.period, [])
            late = _late_reporters(submission.period, [row["code"] for row in in_period])
            rows = [row for row in in_period if (row["code"] in late) == submission.late]
        if rows:
            files.append((submission, rows))
    return files

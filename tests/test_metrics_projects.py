"""Key-project metrics: overdue, days overdue, due soon, completion share, summaries."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from core.metrics import projects as metrics
from tests.factories import make_project_row

TODAY = dt.date(2025, 11, 30)


def project(**overrides: object) -> dict[str, object]:
    """A project row as projects_frame returns it (form keys + 高校名录 columns)."""
    return make_project_row(
        institution_name="示例第一大学", province="河南省", level="本科", ownership="公办"
    ) | (overrides)


def frame(*rows: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame([project(project_id=f"XM-{index:03d}") | row for index, row in enumerate(rows)])


@pytest.mark.parametrize(
    ("due", "stage", "progress", "overdue", "days"),
    [
        (dt.date(2025, 11, 30), "培育建设", 60.0, False, 0),  # case: due today → not overdue
        (dt.date(2025, 11, 29), "培育建设", 60.0, True, 1),  # case: due yesterday → 1 day
        (dt.date(2025, 12, 1), "中期检查", 50.0, False, 0),  # case: due tomorrow → not overdue
        (dt.date(2024, 11, 30), "申报", 0.0, True, 365),  # case: a year late (2025 is not a leap year)
        (dt.date(2025, 1, 31), "已验收通过", 100.0, False, 0),  # case: accepted late → not overdue
        (dt.date(2025, 6, 30), "终止", 40.0, False, 0),  # case: terminated and past due → not overdue
        (
            dt.date(2025, 11, 1),
            "验收",
            100.0,
            True,
            29,
        ),  # case: progress 100 but not accepted, past due → overdue
    ],
)
def test_overdue_and_days_overdue(
    due: dt.date, stage: str, progress: float, overdue: bool, days: int
) -> None:
    projects = frame({"due": due, "stage": stage, "progress": progress})

    assert metrics.overdue_mask(projects, TODAY).tolist() == [overdue]
    assert metrics.days_overdue(projects, TODAY).tolist() == [days]


@pytest.mark.parametrize(
    ("due", "stage", "due_soon"),
    [
        (dt.date(2025, 11, 30), "培育建设", True),  # case: due today is still due soon
        (dt.date(2026, 1, 29), "培育建设", True),  # case: exactly 60 days ahead
        (dt.date(2026, 1, 30), "培育建设", False),  # case: 61 days ahead
        (dt.date(2025, 11, 29), "培育建设", False),  # case: already overdue, not "due soon"
        (dt.date(2025, 12, 15), "已验收通过", False),  # case: accepted early → closed
        (dt.date(2025, 12, 15), "终止", False),  # case: terminated → closed
    ],
)
def test_due_soon(due: dt.date, stage: str, due_soon: bool) -> None:
    projects = frame({"due": due, "stage": stage})

    assert metrics.due_soon_mask(projects, TODAY).tolist() == [due_soon]


@pytest.mark.parametrize(
    ("stages", "share"),
    [
        (["已验收通过", "已验收通过", "培育建设", "终止"], 2 / 3),  # case: 终止 leaves the base
        (["已验收通过", "验收"], 1 / 2),  # case: 验收 (being examined) is not yet accepted
        (["申报", "立项"], 0.0),  # case: nothing accepted yet
        (["终止", "终止"], None),  # case: only terminated projects → undefined
        ([], None),  # case: no projects
    ],
)
def test_completion_share(stages: list[str], share: float | None) -> None:
    projects = frame(*({"stage": stage} for stage in stages)) if stages else pd.DataFrame({"stage": []})

    result = metrics.completion_share(projects)

    assert result == (pytest.approx(share) if share is not None else None)


def test_kpis_count_accepted_in_progress_and_overdue() -> None:
    projects = frame(
        {"stage": "已验收通过", "due": dt.date(2025, 1, 1)},
        {"stage": "终止", "due": dt.date(2025, 1, 1)},
        {"stage": "培育建设", "due": dt.date(2025, 1, 1)},  # overdue
        {"stage": "中期检查", "due": dt.date(2026, 6, 30)},
    )

    assert metrics.kpis(projects, TODAY) == {"projects": 4, "accepted": 1, "in_progress": 2, "overdue": 1}


def test_stage_counts_list_every_stage_in_workflow_order() -> None:
    projects = frame({"stage": "验收"}, {"stage": "申报"}, {"stage": "验收"})

    counts = metrics.stage_counts(projects)

    assert counts["stage"].tolist() == ["申报", "立项", "培育建设", "中期检查", "验收", "已验收通过", "终止"]
    assert counts["projects"].tolist() == [1, 0, 0, 0, 2, 0, 0]


@pytest.mark.parametrize(
    ("progress", "mean", "median"),
    [
        ([10.0, 20.0, 90.0], 40.0, 20.0),  # case: odd count, median is the middle value
        ([0.0, 50.0, 60.0, 100.0], 52.5, 55.0),  # case: even count, median between the two middle values
        ([], None, None),  # case: no projects
    ],
)
def test_progress_stats(progress: list[float], mean: float | None, median: float | None) -> None:
    projects = pd.DataFrame({"progress": progress}, dtype="float64")

    assert metrics.progress_stats(projects) == {"mean": mean, "median": median}


def test_summary_by_category_counts_each_category() -> None:
    projects = frame(
        {"category": "网络思政", "stage": "已验收通过", "progress": 100.0},
        {"category": "网络思政", "stage": "培育建设", "progress": 50.0, "due": dt.date(2025, 10, 1)},
        {"category": "网络思政", "stage": "终止", "progress": 30.0},
        {"category": "心理健康教育", "stage": "终止", "progress": 10.0},
    )

    summary = metrics.summary_by(projects, TODAY, "category").set_index("category")

    network = summary.loc["网络思政"]
    assert (network["projects"], network["accepted"], network["in_progress"], network["overdue"]) == (
        3,
        1,
        1,
        1,
    )
    assert network["completion_share"] == pytest.approx(1 / 2)
    assert network["mean_progress"] == pytest.approx(60.0)
    assert network["median_progress"] == pytest.approx(50.0)
    assert math.isnan(summary.loc["心理健康教育", "completion_share"])  # only terminated: undefined
    assert summary.index.tolist() == ["网络思政", "心理健康教育"]  # most projects first


def test_summary_by_batch_keeps_projects_without_batch() -> None:
    projects = frame({"batch": "第一批"}, {"batch": None}, {"batch": None})

    summary = metrics.summary_by(projects, TODAY, "batch")

    assert summary["projects"].sum() == 3
    assert summary["batch"].isna().sum() == 1


def test_summary_by_institution_groups_by_code() -> None:
    projects = frame(
        {"code": "4141010001", "institution_name": "甲大学", "province": "河南省"},
        {"code": "4141010001", "institution_name": "甲大学", "province": "河南省"},
        {"code": "4111010002", "institution_name": "乙大学", "province": "北京市"},
    )

    summary = metrics.summary_by(projects, TODAY, "institution")

    assert summary[["code", "institution_name", "province", "projects"]].values.tolist() == [
        ["4141010001", "甲大学", "河南省", 2],
        ["4111010002", "乙大学", "北京市", 1],
    ]


def test_overdue_projects_longest_overdue_first() -> None:
    projects = frame(
        {"project_id": "A", "due": dt.date(2025, 11, 20)},
        {"project_id": "B", "due": dt.date(2025, 8, 1)},
        {"project_id": "C", "due": dt.date(2025, 12, 20)},
        {"project_id": "D", "due": dt.date(2025, 5, 1), "stage": "已验收通过"},
    )

    overdue = metrics.overdue_projects(projects, TODAY)

    assert overdue["project_id"].tolist() == ["B", "A"]
    assert overdue["days_overdue"].tolist() == [121, 10]


def test_due_soon_projects_soonest_first_with_days_left() -> None:
    projects = frame(
        {"project_id": "A", "due": dt.date(2026, 1, 10)},
        {"project_id": "B", "due": dt.date(2025, 12, 5)},
        {"project_id": "C", "due": dt.date(2026, 3, 1)},
    )

    soon = metrics.due_soon_projects(projects, TODAY)

    assert soon["project_id"].tolist() == ["B", "A"]
    assert soon["days_left"].tolist() == [5, 41]


def test_timeline_rows_put_open_projects_first_and_respect_the_limit() -> None:
    projects = frame(
        {"project_id": "closed-early", "due": dt.date(2024, 1, 1), "stage": "已验收通过"},
        {"project_id": "open-late", "due": dt.date(2026, 1, 1)},
        {"project_id": "open-early", "due": dt.date(2025, 1, 1)},
    )

    rows = metrics.timeline_rows(projects, limit=2)

    assert rows["project_id"].tolist() == ["open-early", "open-late"]

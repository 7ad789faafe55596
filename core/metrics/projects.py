"""Key-project (重点项目) progress metrics: pure pandas, ``today`` always passed in.

Input: a frame of project rows keyed by the form's field keys (``project_id``,
``category``, ``batch``, ``code``, ``start``, ``due``, ``stage``, ``progress`` …) plus,
for the summaries by place, ``province`` and ``institution_name`` from 高校名录.

Definitions (spec: form ``projects``):
- closed = stage in {已验收通过, 终止}; in progress (在研) = not closed.
- overdue = today > 计划完成日期 and not closed (due today is not overdue).
- days overdue = whole days since 计划完成日期 when overdue, else 0.
- due soon = not closed and today <= 计划完成日期 <= today + 60 days.
- completion share = 已验收通过 / (all projects − 终止); undefined when that is 0.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from core.forms import CLOSED_STAGES, PROJECT_STAGES

ACCEPTED = "已验收通过"
TERMINATED = "终止"
DUE_SOON_DAYS = 60

SUMMARY_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "category": ("category",),
    "batch": ("batch",),
    "province": ("province",),
    "institution": ("code", "institution_name", "province"),
}


def _due(projects: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(projects["due"])


def _days_from_today(projects: pd.DataFrame, today: dt.date) -> pd.Series:
    """Whole days from 计划完成日期 to ``today`` (positive once the due date has passed)."""
    return (pd.Timestamp(today) - _due(projects)).dt.days


def is_closed(projects: pd.DataFrame) -> pd.Series:
    return projects["stage"].isin(CLOSED_STAGES)


def overdue_mask(projects: pd.DataFrame, today: dt.date) -> pd.Series:
    """True where today is after 计划完成日期 and the project is neither accepted nor terminated."""
    return (_days_from_today(projects, today) > 0).fillna(False).astype(bool) & ~is_closed(projects)


def days_overdue(projects: pd.DataFrame, today: dt.date) -> pd.Series:
    """Whole days past 计划完成日期 for overdue projects; 0 for every other project."""
    days = _days_from_today(projects, today).where(overdue_mask(projects, today), 0)
    return days.fillna(0).astype("int64")


def days_until_due(projects: pd.DataFrame, today: dt.date) -> pd.Series:
    """Whole days from today to 计划完成日期 (negative once it has passed)."""
    return -_days_from_today(projects, today)


def due_soon_mask(projects: pd.DataFrame, today: dt.date, within_days: int = DUE_SOON_DAYS) -> pd.Series:
    """Open projects whose 计划完成日期 is today or within the next ``within_days`` days."""
    days_left = days_until_due(projects, today)
    return days_left.between(0, within_days).fillna(False).astype(bool) & ~is_closed(projects)


def with_status(projects: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """``projects`` plus the columns overdue, days_overdue, days_left and due_soon."""
    return projects.assign(
        overdue=overdue_mask(projects, today),
        days_overdue=days_overdue(projects, today),
        days_left=days_until_due(projects, today),
        due_soon=due_soon_mask(projects, today),
    )


def stage_counts(projects: pd.DataFrame) -> pd.DataFrame:
    """Projects per stage, every stage listed in workflow order (0 where none)."""
    counts = projects["stage"].value_counts().reindex(PROJECT_STAGES, fill_value=0)
    return counts.rename_axis("stage").reset_index(name="projects")


def stage_counts_by(projects: pd.DataFrame, by: str) -> pd.DataFrame:
    """Projects per (``by``, stage), only the combinations that occur."""
    if projects.empty:
        return pd.DataFrame({by: [], "stage": [], "projects": []})
    return projects.groupby([by, "stage"], dropna=False).size().reset_index(name="projects")


def progress_bands(projects: pd.DataFrame, step: int = 10) -> pd.DataFrame:
    """Projects per (band of ``step`` points of 完成进度, stage): ``progress`` is the band's
    lower edge (100 falls in the last band, as a chart's bins put it), ``projects`` the count;
    a chart bins these few rows as it would every project."""
    progress = pd.to_numeric(projects["progress"])
    band = (progress // step * step).clip(0, 100 - step)
    bands = projects[["stage"]].assign(progress=band).dropna(subset=["progress"])
    counted = bands.groupby(["progress", "stage"]).size().reset_index(name="projects")
    return counted[["progress", "stage", "projects"]]


def completion_counts(projects: pd.DataFrame) -> tuple[int, int]:
    """(已验收通过, all − 终止): the numerator and base of the completion share."""
    accepted = int((projects["stage"] == ACCEPTED).sum())
    return accepted, int((projects["stage"] != TERMINATED).sum())


def completion_share(projects: pd.DataFrame) -> float | None:
    """已验收通过 / (all − 终止); None when no project is left after removing 终止."""
    accepted, base = completion_counts(projects)
    return accepted / base if base else None


def progress_stats(projects: pd.DataFrame) -> dict[str, float | None]:
    """Mean and median 完成进度 (percent); None when there are no projects."""
    progress = pd.to_numeric(projects["progress"]).dropna()
    if progress.empty:
        return {"mean": None, "median": None}
    return {"mean": float(progress.mean()), "median": float(progress.median())}


def kpis(projects: pd.DataFrame, today: dt.date) -> dict[str, int]:
    """The headline counts: projects, accepted, in progress (not closed), overdue."""
    return {
        "projects": len(projects),
        "accepted": int((projects["stage"] == ACCEPTED).sum()),
        "in_progress": int((~is_closed(projects)).sum()),
        "overdue": int(overdue_mask(projects, today).sum()),
    }


def summary_by(projects: pd.DataFrame, today: dt.date, dimension: str) -> pd.DataFrame:
    """Per category / batch / province / institution: counts, completion base and progress.

    Columns: the dimension's columns, projects, accepted, terminated, in_progress,
    overdue, completion_base (projects − terminated), completion_share (NaN when the
    base is 0), mean_progress, median_progress. Sorted by projects, most first.
    """
    keys = list(SUMMARY_DIMENSIONS[dimension])
    flags = projects[keys].assign(
        accepted=projects["stage"].eq(ACCEPTED),
        terminated=projects["stage"].eq(TERMINATED),
        in_progress=~is_closed(projects),
        overdue=overdue_mask(projects, today),
        progress=pd.to_numeric(projects["progress"]),
    )
    grouped = flags.groupby(keys, dropna=False, sort=True)
    summary = grouped.agg(
        projects=("accepted", "size"),
        accepted=("accepted", "sum"),
        terminated=("terminated", "sum"),
        in_progress=("in_progress", "sum"),
        overdue=("overdue", "sum"),
        mean_progress=("progress", "mean"),
        median_progress=("progress", "median"),
    ).reset_index()
    counts = ["projects", "accepted", "terminated", "in_progress", "overdue"]
    summary[counts] = summary[counts].astype("int64")
    summary["completion_base"] = summary["projects"] - summary["terminated"]
    base = summary["completion_base"].where(summary["completion_base"] > 0)
    summary["completion_share"] = summary["accepted"] / base
    order = keys + counts + ["completion_base", "completion_share", "mean_progress", "median_progress"]
    return summary[order].sort_values("projects", ascending=False, kind="stable").reset_index(drop=True)


def overdue_projects(projects: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Overdue projects with their days overdue, longest overdue first."""
    status = with_status(projects, today)
    overdue = status[status["overdue"]]
    return overdue.sort_values(["days_overdue", "project_id"], ascending=[False, True]).reset_index(drop=True)


def due_soon_projects(
    projects: pd.DataFrame, today: dt.date, within_days: int = DUE_SOON_DAYS
) -> pd.DataFrame:
    """Open projects due within ``within_days`` days with the days left, soonest first."""
    status = with_status(projects, today)
    soon = status[due_soon_mask(projects, today, within_days)]
    return soon.sort_values(["days_left", "project_id"]).reset_index(drop=True)


def timeline_rows(projects: pd.DataFrame, limit: int) -> pd.DataFrame:
    """At most ``limit`` projects for a timeline: open ones first, then by 计划完成日期."""
    ordered = projects.assign(_closed=is_closed(projects), _due=_due(projects))
    ordered = ordered.sort_values(["_closed", "_due", "project_id"])
    return ordered.drop(columns=["_closed", "_due"]).head(limit).reset_index(drop=True)

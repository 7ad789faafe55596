"""What a 督办 case is about and whether newer approved figures meet its standard.

Three kinds of 未达标 row open a case (each a :class:`Finding`):

- ``staffing:<standard>`` — a 队伍配备 row of one 学年 short of a staffing standard
  (core.standards, with its source document); met when a later approved row (that 学年 or a
  later one) is 达标;
- ``projects:overdue`` — a 重点项目 past its 计划完成日期 and not closed; met when an approved
  update shows it 已验收通过 or 终止;
- ``screening:follow_up`` — a 心理筛查 row whose flagged students were not all followed up
  (约谈评估率 below 100%, as the screening page's 关注名单); met when an approved update reaches it.

"Newer" means written by another upload than the one the case was opened on: the form tables
hold only approved values (core.review.submissions), so that upload is an approved one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select

from core.forms import CLOSED_STAGES, PROJECTS, SCREENING, STAFFING
from core.metrics import screening as screening_metrics
from core.metrics import staffing as staffing_metrics
from core.metrics.projects import days_overdue
from core.models import ProjectRecord, ScreeningReport, StaffingReport, Upload
from core.queries.base import Bind, read_frame
from core.settings_store import load_standards

PROJECT_OVERDUE = "projects:overdue"
SCREENING_FOLLOW_UP = "screening:follow_up"
STAFFING_PREFIX = "staffing:"
FOLLOW_UP_STANDARD = "预警学生应全部约谈评估（约谈评估率 100%）"
FOLLOW_UP_SOURCE = (
    "《高等学校学生心理健康教育指导纲要》（教党〔2018〕41号）：对筛查发现的预警学生及时约谈评估"
)
PROJECT_STANDARD = "按计划完成日期完成并验收"
PROJECT_SOURCE = "项目立项时确定的计划完成日期（重点项目进度表“计划完成日期”）"


class NotFound(LookupError):
    """The row a case would be opened from is not stored (or not 未达标 any more)."""


@dataclass(frozen=True)
class Finding:
    """A 未达标 row: what a case is opened on."""

    code: str
    indicator: str
    indicator_label: str
    subject: str  # which row: 学年, 学年 学期 筛查类型, or the project's 项目编号
    value: str
    standard: str
    standard_source: str
    source_upload_id: int | None


@dataclass(frozen=True)
class Evidence:
    """Newer approved figures that meet the standard, and the upload that showed them."""

    figures: str
    upload_id: int
    upload: str  # 第 N 号上传（file，YYYY-MM-DD）


def _rows(bind: Bind, model: type, form_keys: tuple[str, ...], *conditions: object) -> pd.DataFrame:
    statement = select(
        *(getattr(model, key) for key in form_keys),
        model.upload_id,
        Upload.file_name.label("upload_file"),
        Upload.created_at.label("upload_at"),
    ).join(Upload, Upload.id == model.upload_id)
    return read_frame(bind, statement.where(*conditions))


def _upload_text(row: pd.Series) -> str:
    return f"第 {int(row['upload_id'])} 号上传（{row['upload_file']}，{row['upload_at']:%Y-%m-%d}）"


def staffing_finding(bind: Bind, code: str, year: str, standard_key: str) -> Finding:
    standards = load_standards(bind)
    standard = standards.by_key(standard_key)
    rows = _rows(
        bind, StaffingReport, tuple(STAFFING.keys), StaffingReport.code == code, StaffingReport.year == year
    )
    if rows.empty:
        raise NotFound(f"没有学校 {code} {year} 学年的队伍配备数据")
    row = staffing_metrics.staffing_metrics(rows, standards).iloc[0]
    ratio = row[staffing_metrics.column(standard, staffing_metrics.RATIO)] or "—"
    gap = row[staffing_metrics.column(standard, staffing_metrics.GAP)]
    return Finding(
        code, f"{STAFFING_PREFIX}{standard.key}", f"{standard.label}配备", year,
        f"师生比 {ratio}，缺口 {gap} 人", standard.describe(), standard.source, int(row["upload_id"]),
    )  # fmt: skip


def project_finding(bind: Bind, project_id: str, today: dt.date) -> Finding:
    rows = _rows(bind, ProjectRecord, tuple(PROJECTS.keys), ProjectRecord.project_id == project_id)
    if rows.empty or rows.iloc[0]["code"] is None:
        raise NotFound(f"没有项目 {project_id}，或它不属于某所学校")
    row = rows.iloc[0]
    late = int(days_overdue(rows, today).iloc[0])
    value = f"逾期 {late} 天（计划完成 {row['due']}，阶段 {row['stage']}，进度 {row['progress'] or 0:g}%）"
    return Finding(
        row["code"], PROJECT_OVERDUE, "重点项目逾期", project_id, value, PROJECT_STANDARD, PROJECT_SOURCE,
        int(row["upload_id"]),
    )  # fmt: skip


def _follow_up_text(row: pd.Series) -> str:
    flagged = int(row[screening_metrics.FLAGGED])
    rate = row[screening_metrics.FOLLOW_UP.key]
    shown = "—" if pd.isna(rate) else f"{rate * 100:.1f}%"
    return f"约谈评估率 {shown}（已约谈评估 {int(row['interviewed'])} / 预警 {flagged}）"


def screening_finding(bind: Bind, code: str, year: str, term: str, kind: str) -> Finding:
    rows = _rows(
        bind, ScreeningReport, tuple(SCREENING.keys), ScreeningReport.code == code,
        ScreeningReport.year == year, ScreeningReport.term == term, ScreeningReport.kind == kind,
    )  # fmt: skip
    if rows.empty:
        raise NotFound(f"没有学校 {code} {year} {term} {kind} 的筛查数据")
    row = screening_metrics.with_derived(rows).iloc[0]
    return Finding(
        code, SCREENING_FOLLOW_UP, "心理筛查约谈评估", f"{year} {term} {kind}", _follow_up_text(row),
        FOLLOW_UP_STANDARD, FOLLOW_UP_SOURCE, int(row["upload_id"]),
    )  # fmt: skip


CASE_COLUMNS = ["id", "code", "subject", "indicator", "source_upload_id"]


def _newer(cases: pd.DataFrame, rows: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """Each case joined (on ``on``) to the rows of its institution that another upload than the
    case's wrote (``case_subject`` is the case's subject)."""
    joined = cases[CASE_COLUMNS].rename(columns={"subject": "case_subject"}).merge(rows, on=on)
    return joined[joined["upload_id"] != joined["source_upload_id"]]


def _found(hits: pd.DataFrame, figures: pd.Series) -> dict[int, Evidence]:
    return {
        int(row["id"]): Evidence(text, int(row["upload_id"]), _upload_text(row))
        for (_, row), text in zip(hits.iterrows(), figures, strict=True)
    }


def _staffing_evidence(bind: Bind, cases: pd.DataFrame) -> dict[int, Evidence]:
    """The latest newer row of the case's 学年 or a later one, when it is 达标."""
    standards = load_standards(bind)
    rows = _rows(bind, StaffingReport, tuple(STAFFING.keys), StaffingReport.code.in_(list(cases["code"])))
    joined = _newer(cases, staffing_metrics.staffing_metrics(rows, standards), ["code"])
    joined = joined[joined["year"] >= joined["case_subject"]].sort_values("year").groupby("id").tail(1)
    found: dict[int, Evidence] = {}
    for standard in standards:
        status, ratio = (
            staffing_metrics.column(standard, part)
            for part in (staffing_metrics.STATUS, staffing_metrics.RATIO)
        )
        hits = joined[
            (joined["indicator"] == f"{STAFFING_PREFIX}{standard.key}")
            & (joined[status] == staffing_metrics.COMPLIANT)
        ]
        found |= _found(hits, hits["year"] + f" 学年{standard.label}师生比 " + hits[ratio] + "，达标")
    return found


def _project_evidence(bind: Bind, cases: pd.DataFrame) -> dict[int, Evidence]:
    """The project's newer row, when it is 已验收通过 or 终止."""
    rows = _rows(
        bind, ProjectRecord, tuple(PROJECTS.keys), ProjectRecord.project_id.in_(list(cases["subject"]))
    )
    joined = _newer(
        cases, rows.drop(columns="code").assign(case_subject=rows["project_id"]), ["case_subject"]
    )
    hits = joined[joined["stage"].isin(CLOSED_STAGES)]
    return _found(hits, "项目阶段：" + hits["stage"])


def _screening_evidence(bind: Bind, cases: pd.DataFrame) -> dict[int, Evidence]:
    """The same 学年 学期 筛查类型's newer row, when every flagged student was followed up."""
    rows = _rows(bind, ScreeningReport, tuple(SCREENING.keys), ScreeningReport.code.in_(list(cases["code"])))
    rows = screening_metrics.with_derived(rows)
    rows = rows.assign(case_subject=rows["year"] + " " + rows["term"] + " " + rows["kind"])
    joined = _newer(cases, rows, ["code", "case_subject"])
    hits = joined[joined["interviewed"] >= joined[screening_metrics.FLAGGED]]
    return _found(hits, pd.Series([_follow_up_text(row) for _, row in hits.iterrows()], dtype=object))


def evidence_for(bind: Bind, cases: pd.DataFrame) -> dict[int, Evidence]:
    """Case id → the evidence that its standard is met now, for the open ones of ``cases``
    (columns id, code, indicator, subject, source_upload_id)."""
    found: dict[int, Evidence] = {}
    kinds = cases["indicator"]
    for selected, check in (
        (kinds.str.startswith(STAFFING_PREFIX), _staffing_evidence),
        (kinds == PROJECT_OVERDUE, _project_evidence),
        (kinds == SCREENING_FOLLOW_UP, _screening_evidence),
    ):
        if selected.any():
            found |= check(bind, cases[selected])
    return found

"""What a 督办 case is about and whether newer approved figures meet its standard.

Four kinds of 未达标 row open a case (each a :class:`Finding`):

- ``staffing:<standard>`` — a 队伍配备 row of one 学年 short of a staffing standard
  (core.standards, with its source document); met when a later approved row (that 学年 or a
  later one) is 达标;
- ``projects:overdue`` — a 重点项目 past its 计划完成日期 and not closed; met when an approved
  update shows it 已验收通过 or 终止;
- ``screening:follow_up`` — a 心理筛查 row whose flagged students were not all followed up
  (约谈评估率 below 100%, as the screening page's 关注名单); met when an approved update reaches it;
- ``form:<name>:<indicator>`` — a row of a form declared as data whose indicator misses the
  standard of its definition (with the definition's source); met when the latest newer row of
  that period or a later one meets it (indicator and standard computed in SQL over the values
  store, core.queries.indicators).

"Newer" means written by another upload than the one the case was opened on: the form tables
hold only approved values (core.review.submissions), so that upload is an approved one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select

from core.formdefs.definition import Definition, IndicatorDef
from core.formdefs.registry import load_forms
from core.forms import CLOSED_STAGES, PROJECTS, SCREENING, STAFFING, TERMS
from core.metrics import indicators as indicator_metrics
from core.metrics import screening as screening_metrics
from core.metrics import staffing as staffing_metrics
from core.metrics.projects import days_overdue
from core.models import ProjectRecord, ScreeningReport, StaffingReport, Upload
from core.queries.base import Bind, read_frame
from core.queries.indicators import indicator_records
from core.settings_store import load_standards

PROJECT_OVERDUE = "projects:overdue"
SCREENING_FOLLOW_UP = "screening:follow_up"
STAFFING_PREFIX = "staffing:"
FORM_PREFIX = "form:"
INDICATOR_LENGTH = 64  # SupervisionCase.indicator: form:<name, ≤ 31>:<indicator key>
STANDARD_WORDS = {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于", "==": "等于", "!=": "不等于"}
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


def form_indicator_key(name: str, indicator: str) -> str:
    """The case indicator of a form declared as data's indicator: ``form:<name>:<indicator>``."""
    return f"{FORM_PREFIX}{name}:{indicator}"


def _engine(bind: Bind) -> Engine:
    return bind if isinstance(bind, Engine) else bind.engine


def _form_indicator(bind: Bind, case_indicator: str) -> tuple[Definition, IndicatorDef] | None:
    """The current definition and indicator (with a standard) a ``form:`` case is about; None
    when the form was retired or its indicator or standard removed since."""
    _prefix, name, key = case_indicator.split(":", 2)
    definition = load_forms(_engine(bind)).get(name)
    indicators = {each.key: each for each in definition.indicators} if definition else {}
    indicator = indicators.get(key)
    if definition is None or indicator is None or indicator.comparison is None:
        return None
    return definition, indicator


def standard_text(indicator: IndicatorDef) -> str:
    """'党委理论学习中心组集中学习次数不低于 6', '学习强国日活跃度不低于 35%': the standard in words."""
    sign, threshold = indicator.comparison or ("", 0.0)
    unit = "%" if indicator.format == "percent" else ""
    return f"{indicator.header}{STANDARD_WORDS.get(sign, sign)} {threshold:g}{unit}"


def _value_text(indicator: IndicatorDef, values: pd.Series) -> list[str]:
    """'学习强国日活跃度 28.0%' per value, written as the export writes it."""
    return [
        f"{indicator.header} {text}" for text in indicator_metrics.written(indicator, values.astype(float))
    ]


def _period(year: str, term: str | None) -> str:
    """The case's subject: '2024-2025', or '2024-2025 秋季学期' for a form reported per term."""
    return f"{year} {term}" if term else year


def form_finding(
    bind: Bind, name: str, indicator_key: str, code: str, year: str, term: str | None = None
) -> Finding:
    """The row (code, 学年[, 学期]) of form ``name`` whose ``indicator_key`` misses its standard."""
    case_indicator = form_indicator_key(name, indicator_key)
    if len(case_indicator) > INDICATOR_LENGTH:
        raise NotFound(
            f"指标 key “{indicator_key}”过长，无法记录督办：请在表单定义中把它缩短到 20 个字符以内"
        )
    found = _form_indicator(bind, case_indicator)
    if found is None:
        raise NotFound(f"表单 {name} 没有在用的带标准的指标 {indicator_key}")
    definition, indicator = found
    rows = indicator_records(bind, definition, indicator, [code])
    rows = rows[(rows["year"] == year) & (rows["term"] == (term or ""))]
    if rows.empty or pd.isna(rows.iloc[0]["value"]) or bool(rows.iloc[0]["met"]):
        raise NotFound(f"学校 {code} {_period(year, term)} 的「{indicator.header}」没有未达标的数据")
    row = rows.iloc[0]
    return Finding(
        code, form_indicator_key(name, indicator.key), indicator.header[:100], _period(year, term),
        _value_text(indicator, rows["value"])[0][:100], standard_text(indicator)[:255], indicator.source,
        int(row["upload_id"]),
    )  # fmt: skip


CASE_COLUMNS = ["id", "code", "subject", "indicator", "source_upload_id"]


def _newer(cases: pd.DataFrame, rows: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """Each case joined (on ``on``) to the rows of its institution that another upload than the
    case's wrote (``case_subject`` is the case's subject)."""
    joined = cases[CASE_COLUMNS].rename(columns={"subject": "case_subject"}).merge(rows, on=on)
    return joined[joined["upload_id"] != joined["source_upload_id"]]


def _found(hits: pd.DataFrame, figures: pd.Series | list[str]) -> dict[int, Evidence]:
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


def _period_order(year: str, term: str | None) -> str:
    """A sortable text per period: 学年, then 秋季学期 before 春季学期 (nothing for a year form)."""
    return f"{year} {TERMS.index(term) if term in TERMS else ''}"


def _one_form_evidence(bind: Bind, case_indicator: str, cases: pd.DataFrame) -> dict[int, Evidence]:
    found = _form_indicator(bind, case_indicator)
    if found is None:
        return {}
    definition, indicator = found
    rows = indicator_records(bind, definition, indicator, sorted(set(cases["code"])))
    rows["order"] = [_period_order(year, term) for year, term in zip(rows["year"], rows["term"], strict=True)]
    joined = _newer(cases, rows, ["code"])
    since = [_period_order(*(subject.split(" ", 1) + [""])[:2]) for subject in joined["case_subject"]]
    joined = joined[joined["order"] >= pd.Series(since, index=joined.index, dtype=object)]
    latest = joined.sort_values("order").groupby("id").tail(1)
    hits = latest[latest["met"].astype(bool)]
    periods = [_period(year, term) for year, term in zip(hits["year"], hits["term"], strict=True)]
    values = _value_text(indicator, hits["value"])
    return _found(hits, [f"{period} {value}，达标" for period, value in zip(periods, values, strict=True)])


def _form_evidence(bind: Bind, cases: pd.DataFrame) -> dict[int, Evidence]:
    """Per form indicator: the latest newer row of the case's period or a later one, when it meets
    the standard of the definition in force."""
    found: dict[int, Evidence] = {}
    for case_indicator, group in cases.groupby("indicator"):
        found |= _one_form_evidence(bind, str(case_indicator), group)
    return found


def evidence_for(bind: Bind, cases: pd.DataFrame) -> dict[int, Evidence]:
    """Case id → the evidence that its standard is met now, for the open ones of ``cases``
    (columns id, code, indicator, subject, source_upload_id)."""
    found: dict[int, Evidence] = {}
    kinds = cases["indicator"]
    for selected, check in (
        (kinds.str.startswith(STAFFING_PREFIX), _staffing_evidence),
        (kinds == PROJECT_OVERDUE, _project_evidence),
        (kinds == SCREENING_FOLLOW_UP, _screening_evidence),
        (kinds.str.startswith(FORM_PREFIX), _form_evidence),
    ):
        if selected.any():
            found |= check(bind, cases[selected])
    return found

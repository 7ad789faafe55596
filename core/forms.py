"""The four submission forms (报送表), declared once.

Everything else is derived from these declarations: the Excel template and its
填表说明 sheet, header matching (canonical header + aliases), parsing and
normalisation (by field kind), per-cell and per-row validation, the database tables
(core.models builds one table per form from ``FormSpec.fields``), and the CSV export
columns with their Chinese names. The contract is ``shared/spec/forms.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """How a cell is read and normalised (see core.ingest.normalize)."""

    TEXT = "text"
    CODE = "code"  # 10-digit 学校标识码, kept as text
    PROVINCE = "province"
    ENUM = "enum"
    YEAR = "year"  # academic year, canonical 2024-2025
    COUNT = "count"  # whole number >= 0
    DATE = "date"
    PERCENT = "percent"  # 0..100
    NUMBER = "number"  # any decimal (forms declared as data, core.formdefs)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    header: str
    kind: Kind
    required: bool = True
    default: Any = None
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    synonyms: Mapping[str, str] = field(default_factory=dict)
    unit: str = ""
    help: str = ""
    max_length: int = 200


@dataclass(frozen=True)
class RowRule:
    """A check over one parsed row; ``check`` returns True when the row is fine.

    ``columns`` names the field the problem is reported on (the first one) and the
    fields that must all be present for the rule to apply.
    """

    code: str
    severity: Severity
    columns: tuple[str, ...]
    check: Callable[[Mapping[str, Any]], bool]
    message: str
    values: Callable[[Mapping[str, Any]], str] | None = None  # the figures compared, in words

    def describe(self, row: Mapping[str, Any]) -> str:
        """The message for ``row``, with the figures it compares when the rule gives them."""
        return f"{self.message}（{self.values(row)}）" if self.values else self.message


@dataclass(frozen=True)
class FormSpec:
    name: str
    title: str
    sheet: str
    table: str
    fields: tuple[FieldSpec, ...]
    key: tuple[str, ...]
    rules: tuple[RowRule, ...] = ()
    institution_field: str | None = "code"  # must exist in 高校名录
    reported_name_field: str | None = "name"  # compared with 高校名录's name → warning

    def field(self, key: str) -> FieldSpec:
        return self._by_key[key]

    @property
    def _by_key(self) -> dict[str, FieldSpec]:
        return {spec.key: spec for spec in self.fields}

    @property
    def keys(self) -> list[str]:
        return [spec.key for spec in self.fields]

    @property
    def headers(self) -> dict[str, str]:
        """key → canonical Chinese header, in form order."""
        return {spec.key: spec.header for spec in self.fields}


# --- the forms, declared as data (core/formdefs/declared/*.toml) -------------------------

CODE_HELP = "10 位全国高校标识码，按文本填写（保留开头的 0）"
YEAR_HELP = "如 2024-2025；第二个年份须比第一个大 1"


def _field(declared: dict[str, Any]) -> FieldSpec:
    values = dict(declared)
    return FieldSpec(
        kind=Kind(values.pop("kind")),
        aliases=tuple(values.pop("aliases", ())),
        choices=tuple(values.pop("choices", ())),
        synonyms=values.pop("synonyms", {}),
        **values,
    )


def _declared(name: str, rules: tuple[RowRule, ...] = ()) -> FormSpec:
    """The FormSpec of built-in form ``name`` from its declaration, with its row ``rules`` (code)."""
    from core.formdefs.declared import declaration

    declared = declaration(name)
    return FormSpec(
        name=declared["name"],
        title=declared["title"],
        sheet=declared["sheet"],
        table=declared["table"],
        fields=tuple(_field(field) for field in declared["field"]),
        key=tuple(declared["key"]),
        rules=rules,
        institution_field=declared["institution_field"] or None,
        reported_name_field=declared["reported_name_field"] or None,
    )


def _total(row: Mapping[str, Any], *keys: str) -> int:
    """Sum of the counts ``keys`` of ``row`` (a blank counts 0). A plain loop: it runs for
    every rule of every row of a 30,000-row upload, where a generator costs ~0.3 s."""
    total = 0
    for key in keys:
        total += row.get(key) or 0
    return total


def _staff_within_students(staff_key: str) -> RowRule:
    def check(row: Mapping[str, Any]) -> bool:
        students = _total(row, "undergrad", "postgrad")
        return students == 0 or row[staff_key] <= students

    return RowRule(
        "staff_exceeds_students",
        Severity.ERROR,
        (staff_key, "undergrad", "postgrad"),
        check,
        "人数大于全日制学生总数（本专科生 + 研究生），请核对后重填",
    )


INSTITUTIONS = _declared("institutions")
STAFFING = _declared(
    "staffing",
    tuple(
        _staff_within_students(key)
        for key in ("counselors_ft", "counselors_pt", "ideo_teachers", "psy_teachers")
    ),
)

_FLAGGED = ("high", "medium", "watch")

SCREENING = _declared(
    "screening",
    (
        RowRule(
            "screened_exceeds_target",
            Severity.ERROR,
            ("screened", "target"),
            lambda row: row["screened"] <= row["target"],
            "实测人数大于应测人数，请核对",
        ),
        RowRule(
            "flagged_exceeds_screened",
            Severity.ERROR,
            ("high", "medium", "screened"),
            lambda row: _total(row, *_FLAGGED) <= row["screened"],
            "高风险 + 中风险 + 一般关注人数之和大于实测人数，请核对",
        ),
        RowRule(
            "referred_exceeds_flagged",
            Severity.ERROR,
            ("referred", "high", "medium"),
            lambda row: row["referred"] <= _total(row, *_FLAGGED),
            "转介就医人数大于预警人数合计（高+中+一般关注），请核对",
            lambda row: f"转介就医 {row['referred']:,} 人，预警人数合计 {_total(row, *_FLAGGED):,} 人",
        ),
        RowRule(
            "interviewed_exceeds_flagged",
            Severity.WARNING,
            ("interviewed", "high", "medium"),
            lambda row: row["interviewed"] <= _total(row, *_FLAGGED),
            "已约谈评估人数大于预警人数合计（高+中+一般关注），请确认是否包含非预警学生",
        ),
    ),
)

PROJECTS = _declared(
    "projects",
    (
        RowRule(
            "due_before_start",
            Severity.ERROR,
            ("due", "start"),
            lambda row: row["due"] >= row["start"],
            "计划完成日期早于立项日期，请核对",
        ),
        RowRule(
            "accepted_not_complete",
            Severity.WARNING,
            ("progress", "stage"),
            lambda row: row["stage"] != "已验收通过" or row["progress"] >= 100,
            "当前阶段为“已验收通过”但完成进度不足 100%，请确认",
        ),
    ),
)

# --- shared vocabularies, from the declarations ----------------------------------------

PROVINCES: tuple[str, ...] = INSTITUTIONS.field("province").choices
PROVINCE_SYNONYMS: dict[str, str] = dict(INSTITUTIONS.field("province").synonyms)
LEVELS = INSTITUTIONS.field("level").choices
OWNERSHIPS = INSTITUTIONS.field("ownership").choices
TERMS = SCREENING.field("term").choices
SCREENING_KINDS = SCREENING.field("kind").choices
PROJECT_CATEGORIES = PROJECTS.field("category").choices
PROJECT_STAGES = PROJECTS.field("stage").choices
CLOSED_STAGES = ("已验收通过", "终止")

FORMS: dict[str, FormSpec] = {form.name: form for form in (INSTITUTIONS, STAFFING, SCREENING, PROJECTS)}

# Forms declared as data (spec/forms-as-data.md), by name: filled by core.formdefs.registry when the
# definitions are loaded (built-in files and the database), so every intake step finds them here.
DATA_FORMS: dict[str, FormSpec] = {}


def get_form(name: str) -> FormSpec:
    """The form called ``name``; KeyError names the valid choices."""
    try:
        return FORMS[name] if name in FORMS else DATA_FORMS[name]
    except KeyError:
        raise KeyError(f"未知报表 {name!r}，可选：{', '.join([*FORMS, *DATA_FORMS])}") from None

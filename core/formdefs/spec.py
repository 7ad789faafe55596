"""A :class:`Definition` as the :class:`core.forms.FormSpec` every intake step works with: the implied
columns (学校标识码, 学校名称, 学年, [学期]) first, then the declared fields; the declared rules and
the fields' bounds as row rules evaluated by the safe evaluator."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.formdefs import expr
from core.formdefs.definition import Definition, FieldDef, RuleDef
from core.forms import CODE_HELP, SCREENING, YEAR_HELP, FieldSpec, FormSpec, Kind, RowRule, Severity

VALUES_TABLE = "form_record"  # FormSpec.table of every form declared as data (core.formdefs.values)

_KINDS = {
    "count": Kind.COUNT,
    "number": Kind.NUMBER,
    "percent": Kind.PERCENT,
    "text": Kind.TEXT,
    "enum": Kind.ENUM,
    "date": Kind.DATE,
}


def implied_fields(period: str) -> tuple[FieldSpec, ...]:
    fields = (
        FieldSpec("code", "学校标识码", Kind.CODE, help=CODE_HELP + "；须已在高校名录中", max_length=10),
        FieldSpec("name", "学校名称", Kind.TEXT, required=False, help="可选；与高校名录不一致时给出警告"),
        FieldSpec("year", "学年", Kind.YEAR, help=YEAR_HELP),
    )
    return (*fields, SCREENING.field("term")) if period == "term" else fields


def field_spec(field: FieldDef) -> FieldSpec:
    return FieldSpec(
        field.key,
        field.header,
        _KINDS[field.kind],
        required=field.required,
        aliases=field.aliases,
        choices=field.choices,
        synonyms=dict(field.synonyms),
        unit=field.unit,
        help=field.help,
        max_length=1000 if field.kind == "text" else 200,
    )


def _rule(rule: RuleDef) -> RowRule:
    used = expr.variables(rule.check)

    def check(row: Mapping[str, Any]) -> bool:
        return bool(expr.evaluate(rule.check, row))

    return RowRule(
        rule.code, Severity(rule.severity), (rule.column, *sorted(used - {rule.column})), check, rule.message
    )


def _bounds(field: FieldDef) -> RowRule:
    low, high = field.min, field.max

    def check(row: Mapping[str, Any]) -> bool:
        value = row[field.key]
        return (low is None or value >= low) and (high is None or value <= high)

    limits = "、".join(
        text
        for text in (
            f"不小于 {low:g}" if low is not None else "",
            f"不大于 {high:g}" if high is not None else "",
        )
        if text
    )
    return RowRule(
        "out_of_range", Severity.ERROR, (field.key,), check, f"「{field.header}」应{limits}，请核对后重填"
    )


def form_spec(definition: Definition) -> FormSpec:
    """The FormSpec of ``definition`` (key: 学校标识码 + 学年 [+ 学期])."""
    bounded = [field for field in definition.fields if field.min is not None or field.max is not None]
    return FormSpec(
        name=definition.name,
        title=definition.title,
        sheet=definition.sheet,
        table=VALUES_TABLE,
        fields=(*implied_fields(definition.period), *(field_spec(field) for field in definition.fields)),
        key=("code", "year", "term") if definition.period == "term" else ("code", "year"),
        rules=(*(_bounds(field) for field in bounded), *(_rule(rule) for rule in definition.rules)),
    )


def is_data_form(form: FormSpec) -> bool:
    return form.table == VALUES_TABLE

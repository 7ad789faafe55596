"""What the 表单管理 page shows and does: the forms declared as data in force, a definition's
check and template preview, its versions; add, replace and retire (core.formdefs.registry)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine

from core.formdefs.definition import FORMATS, KINDS, PERIODS, Definition, DefinitionRefused, parse_definition
from core.formdefs.editor import EditorTables, blank_tables, definition_text, is_empty, located, tables_of
from core.formdefs.registry import (
    add_definition,
    current_definitions,
    load_forms,
    retire_form,
    summaries,
    versions,
)
from core.formdefs.spec import implied_fields
from core.forms import DATA_FORMS, FORMS, FormSpec
from core.scope import Scope

_KIND_LABELS = {
    "count": "非负整数",
    "number": "数字",
    "percent": "百分数（0–100）",
    "text": "文本",
    "enum": "从列表选择",
    "date": "日期",
}


def forms_frame(engine: Engine, _scope: Scope) -> pd.DataFrame:
    """One row per form declared as data in force."""
    rows = [
        {
            "名称": summary.name,
            "标题": summary.title,
            "报送周期": "每学期" if summary.period == "term" else "每学年",
            "版本": summary.version,
            "已存行数": summary.rows,
            "来源": "内置" if summary.builtin and summary.version == 0 else "已添加",
        }
        for summary in summaries(engine)
    ]
    return pd.DataFrame(rows, columns=["名称", "标题", "报送周期", "版本", "已存行数", "来源"])


def versions_frame(engine: Engine, _scope: Scope, name: str) -> pd.DataFrame:
    rows = [
        {
            "版本": version.version,
            "标题": version.title,
            "保存时间": version.created_at.strftime("%Y-%m-%d %H:%M"),
            "保存人": version.created_by,
            "状态": "已停用" if version.retired_at else "",
        }
        for version in versions(engine, name)
    ]
    return pd.DataFrame(rows, columns=["版本", "标题", "保存时间", "保存人", "状态"])


@dataclass(frozen=True)
class Checked:
    """A definition's check: the definition, or the problems (Chinese, each naming its line)."""

    definition: Definition | None
    problems: list[str] = field(default_factory=list)

    @property
    def columns(self) -> pd.DataFrame:
        """The template's columns as 填表说明 lists them (implied columns first)."""
        if self.definition is None:
            return pd.DataFrame()
        implied = [
            {
                "列名": spec.header,
                "是否必填": "必填" if spec.required else "选填",
                "类型": "系统列",
                "说明": spec.help,
            }
            for spec in implied_fields(self.definition.period)
        ]
        declared = [
            {
                "列名": spec.header,
                "是否必填": "必填" if spec.required else "选填",
                "类型": _KIND_LABELS[spec.kind],
                "说明": "；".join(
                    filter(None, [spec.help, "可选：" + "、".join(spec.choices) if spec.choices else ""])
                ),
            }
            for spec in self.definition.fields
        ]
        return pd.DataFrame(implied + declared)

    @property
    def indicators(self) -> pd.DataFrame:
        if self.definition is None:
            return pd.DataFrame()
        return pd.DataFrame(
            [
                {"指标": item.header, "计算": item.expr, "标准": item.standard, "依据": item.source}
                for item in self.definition.indicators
            ],
            columns=["指标", "计算", "标准", "依据"],
        )


def forms_in_force(engine: Engine) -> dict[str, FormSpec]:
    """name → FormSpec of the four forms and of every form declared as data in force (registered
    for the intake on the way, so that a form added by another process is accepted here too)."""
    load_forms(engine)
    return FORMS | DATA_FORMS


def _refused(refused: DefinitionRefused, text: str, from_editor: bool) -> Checked:
    """The refusal; written by the editor, each message also names the editor's row of its line."""
    return Checked(None, located(refused.problems, text) if from_editor else refused.problems)


def check_text(text: str, *, from_editor: bool = False) -> Checked:
    try:
        return Checked(parse_definition(text))
    except DefinitionRefused as refused:
        return _refused(refused, text, from_editor)


def save(engine: Engine, text: str, *, by: str, from_editor: bool = False) -> Checked:
    """Store ``text`` as a new definition or version; nothing is stored when it is refused."""
    try:
        return Checked(add_definition(engine, text, by=by))
    except DefinitionRefused as refused:
        return _refused(refused, text, from_editor)


# --- the field-by-field editor (core.formdefs.editor): its labels and where it starts --------------

HEADER_LABELS = {
    "name": "表单名称（英文，如 risk_check）",
    "title": "标题",
    "sheet": "工作表名",
    "description": "填表说明（可选）",
    "source": "依据文件（可选）",
}
PERIOD_LABELS = {"year": "每学年报送", "term": "每学期报送"}
FIELD_LABELS = {
    "key": "字段 key",
    "header": "表头",
    "kind": "类型",
    "required": "必填",
    "aliases": "别名（用、分隔）",
    "unit": "单位",
    "min": "最小值",
    "max": "最大值",
    "choices": "选项（enum，用、分隔）",
    "synonyms": "同义写法（如 有=是）",
    "help": "填写说明",
}
RULE_LABELS = {
    "code": "原因代码",
    "severity": "级别",
    "check": "检查（为真即通过）",
    "column": "报告在哪个字段",
    "message": "提示语",
}
INDICATOR_LABELS = {
    "key": "指标 key",
    "header": "指标名（导出列名）",
    "expr": "计算式",
    "format": "格式",
    "standard": "标准（如 >= 90）",
    "source": "标准依据",
}
EDITOR_CHOICES = {"kind": KINDS, "severity": ("error", "warning"), "format": FORMATS, "period": PERIODS}


def editor_tables(engine: Engine, _scope: Scope, name: str) -> EditorTables:
    """The editor of a brand-new form (``name`` empty) or of the version of ``name`` in force."""
    return tables_of(current_definitions(engine)[name]) if name else blank_tables()


def retire(engine: Engine, name: str, *, by: str) -> int:
    return retire_form(engine, name, by=by)


def edited_text(
    header: dict[str, str], fields: pd.DataFrame, rules: pd.DataFrame, indicators: pd.DataFrame
) -> str | None:
    """The definition file the editor's values make (None while nothing is written): checked and
    saved with :func:`check_text` and :func:`save` like an uploaded one."""
    edited = EditorTables(header, fields, rules, indicators)
    return None if is_empty(edited) else definition_text(edited)

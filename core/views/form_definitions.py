"""What the 表单管理 page shows and does: the forms declared as data in force, a definition's
check and template preview, its versions; add, replace and retire (core.formdefs.registry)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine

from core.formdefs.definition import Definition, DefinitionRefused, parse_definition
from core.formdefs.registry import add_definition, load_forms, retire_form, summaries, versions
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


def check_text(text: str) -> Checked:
    try:
        return Checked(parse_definition(text))
    except DefinitionRefused as refused:
        return Checked(None, refused.problems)


def save(engine: Engine, text: str, *, by: str) -> Checked:
    """Store ``text`` as a new definition or version; nothing is stored when it is refused."""
    try:
        return Checked(add_definition(engine, text, by=by))
    except DefinitionRefused as refused:
        return Checked(None, refused.problems)


def retire(engine: Engine, name: str, *, by: str) -> int:
    return retire_form(engine, name, by=by)

"""The field-by-field editor of the 表单管理 page as plain data: a definition as four tables (基本信息,
字段, 规则, 指标; one row per [[field]] / [[rule]] / [[indicator]]) and back as the TOML text of
the definition file, so that what is filled in the page goes through the very check and store of an
uploaded file (core.formdefs.definition.parse_definition, core.formdefs.registry.add_definition)
and is refused with the same messages. A list cell holds its items separated by 、 (别名 甲、乙);
a synonyms cell holds 写法=选项 pairs (有=是、无=否).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from core.formdefs.definition import FIELD_KEYS, INDICATOR_KEYS, RULE_KEYS, Definition

HEADER_KEYS = ("name", "title", "sheet", "period", "description", "source")
LIST_COLUMNS = ("aliases", "choices")
NUMBER_COLUMNS = ("min", "max")
SEPARATOR = "、"
_ITEM_SPLIT = re.compile(r"[、,，;；\n]")
_PAIR_SPLIT = re.compile(r"[=＝]")
SECTIONS = {"field": "字段", "rule": "规则", "indicator": "指标"}
_PROBLEM_LINE = re.compile(r"第 (\d+) 行：")


@dataclass(frozen=True)
class EditorTables:
    """What the editor holds: the top-level values and one table per kind of section."""

    header: dict[str, str]
    fields: pd.DataFrame
    rules: pd.DataFrame
    indicators: pd.DataFrame


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(columns))
    for column in columns:
        if column in NUMBER_COLUMNS:
            frame[column] = frame[column].astype("float64")
        elif column == "required":
            frame[column] = frame[column].astype("boolean")
        else:
            frame[column] = frame[column].astype("string")
    return frame


def blank_tables() -> EditorTables:
    """The editor of a brand-new form: yearly, no rows."""
    header = dict.fromkeys(HEADER_KEYS, "") | {"period": "year"}
    return EditorTables(header, _frame([], FIELD_KEYS), _frame([], RULE_KEYS), _frame([], INDICATOR_KEYS))


def tables_of(definition: Definition) -> EditorTables:
    """``definition`` as the editor shows it (to start a new version from the one in force)."""
    fields = [
        {
            "key": spec.key,
            "header": spec.header,
            "kind": spec.kind,
            "required": spec.required,
            "aliases": SEPARATOR.join(spec.aliases),
            "unit": spec.unit,
            "min": spec.min,
            "max": spec.max,
            "choices": SEPARATOR.join(spec.choices),
            "synonyms": SEPARATOR.join(f"{written}={choice}" for written, choice in spec.synonyms),
            "help": spec.help,
        }
        for spec in definition.fields
    ]
    rules = [{column: getattr(rule, column) for column in RULE_KEYS} for rule in definition.rules]
    indicators = [
        {column: getattr(item, column) for column in INDICATOR_KEYS} for item in definition.indicators
    ]
    return EditorTables(
        {key: getattr(definition, key) for key in HEADER_KEYS},
        _frame(fields, FIELD_KEYS),
        _frame(rules, RULE_KEYS),
        _frame(indicators, INDICATOR_KEYS),
    )


def _blank(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and not value.strip()


def _toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; DEL is the one control character JSON leaves)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007F")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        number = float(value)
        return str(int(number)) if number.is_integer() else repr(number)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_string(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = ", ".join(f"{_toml_string(key)} = {_toml_string(item)}" for key, item in value.items())
        return "{ " + pairs + " }"
    return _toml_string(str(value).strip())


def _items(text: str) -> list[str]:
    return [item.strip() for item in _ITEM_SPLIT.split(text) if item.strip()]


def _synonyms(text: str) -> dict[str, str]:
    """'有=是、无=否' → {'有': '是', '无': '否'}; an item without '=' keeps an empty choice, which the
    check refuses like a file's synonym that is not one of the choices."""
    pairs = (_PAIR_SPLIT.split(item, maxsplit=1) for item in _items(text))
    return {pair[0].strip(): (pair[1].strip() if len(pair) > 1 else "") for pair in pairs}


def _cell(column: str, value: Any) -> Any:
    """The TOML value of one filled cell."""
    if column in LIST_COLUMNS:
        return _items(str(value))
    if column == "synonyms":
        return _synonyms(str(value))
    if column in NUMBER_COLUMNS:
        return float(value)
    if column == "required":
        return bool(value)
    return str(value)


def _filled_rows(frame: pd.DataFrame, columns: tuple[str, ...]) -> Iterable[dict[str, Any]]:
    """The rows with something written in them, each as its filled cells only (a blank cell is left
    to the format's default or to the check; a ticked 必填 is the default and alone is no row)."""
    for record in frame.to_dict("records"):
        row = {column: _cell(column, value) for column in columns if not _blank(value := record.get(column))}
        if row.get("required") is True:
            del row["required"]
        if row:
            yield row


def _lines(values: Mapping[str, Any]) -> list[str]:
    return [f"{key} = {_toml_value(value)}" for key, value in values.items()]


def definition_text(tables: EditorTables) -> str:
    """The TOML text of the definition the editor holds (checked and stored like an uploaded file)."""
    header = {key: tables.header.get(key, "") for key in HEADER_KEYS}
    lines = _lines({key: value for key, value in header.items() if not _blank(value)})
    sections = (
        ("field", tables.fields, FIELD_KEYS),
        ("rule", tables.rules, RULE_KEYS),
        ("indicator", tables.indicators, INDICATOR_KEYS),
    )
    for section, frame, columns in sections:
        for row in _filled_rows(frame, columns):
            lines += ["", f"[[{section}]]", *_lines(row)]
    return "\n".join(lines) + "\n"


def is_empty(tables: EditorTables) -> bool:
    """Nothing written yet (the period alone is preset)."""
    text = definition_text(tables)
    return "[[" not in text and all(_blank(tables.header.get(key)) for key in HEADER_KEYS if key != "period")


def editor_place(text: str, line: int) -> str:
    """Where line ``line`` of the text :func:`definition_text` wrote sits in the editor: 基本信息, or
    字段表第 2 行 … (a value never spans lines there, so a line starting with [[ is a section)."""
    place, counts = "基本信息", dict.fromkeys(SECTIONS, 0)
    for written in text.splitlines()[:line]:
        section = written.strip().removeprefix("[[").removesuffix("]]")
        if written.startswith("[[") and section in SECTIONS:
            counts[section] += 1
            place = f"{SECTIONS[section]}表第 {counts[section]} 行"
    return place


def located(problems: list[str], text: str) -> list[str]:
    """The check's messages with the place in the editor each one's line stands for."""
    return [
        _PROBLEM_LINE.sub(
            lambda match: f"{editor_place(text, int(match[1]))}（第 {match[1]} 行）：", problem, count=1
        )
        for problem in problems
    ]

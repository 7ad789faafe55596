"""A form definition (spec/forms-as-data.md): the TOML file read into plain data, checked as a whole.

:func:`parse_definition` returns a :class:`Definition` or raises :class:`DefinitionRefused`
carrying one Chinese message per problem, each naming the line of the file and what to change.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from core.formdefs import expr
from core.formdefs.lines import LineIndex

KINDS = ("count", "number", "percent", "text", "enum", "date")
FORMATS = ("percent", "number", "count")
PERIODS = ("year", "term")
IMPLIED_KEYS = ("code", "name", "year", "term")
IMPLIED_HEADERS = ("学校标识码", "学校名称", "学年", "学期")
NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]{1,30}")
KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
STANDARD_PATTERN = re.compile(r"\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)\s*")
_NUMERIC = ("count", "number", "percent")


class DefinitionRefused(Exception):
    """The definition breaks the contract; ``problems`` are Chinese, one per problem, with the line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class FieldDef:
    key: str
    header: str
    kind: str
    required: bool = True
    aliases: tuple[str, ...] = ()
    unit: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    synonyms: tuple[tuple[str, str], ...] = ()
    help: str = ""


@dataclass(frozen=True)
class RuleDef:
    code: str
    severity: str
    check: str
    column: str
    message: str


@dataclass(frozen=True)
class IndicatorDef:
    key: str
    header: str
    expr: str
    format: str
    standard: str = ""
    source: str = ""

    @property
    def comparison(self) -> tuple[str, float] | None:
        """('>=', 90.0) of the standard, None without one."""
        match = STANDARD_PATTERN.fullmatch(self.standard) if self.standard else None
        return (match[1], float(match[2])) if match else None


@dataclass(frozen=True)
class Definition:
    name: str
    title: str
    sheet: str
    period: str
    fields: tuple[FieldDef, ...]
    rules: tuple[RuleDef, ...] = ()
    indicators: tuple[IndicatorDef, ...] = ()
    description: str = ""
    source: str = ""
    text: str = field(default="", compare=False)  # the TOML it was read from
    version: int = 0  # 0 until stored

    @property
    def field_keys(self) -> list[str]:
        return [spec.key for spec in self.fields]


class _Checker:
    """Collects the problems of one definition, each with its line."""

    def __init__(self, lines: LineIndex) -> None:
        self.lines = lines
        self._found: list[tuple[int, str]] = []

    def add(self, where: tuple[str, int | None, str], message: str) -> None:
        self._found.append((self.lines.line(*where), message))

    @property
    def found(self) -> list[str]:
        """The problems in the order of their lines."""
        return [f"第 {line} 行：{message}" for line, message in sorted(self._found, key=lambda item: item[0])]

    def text(self, table: dict, where: tuple[str, int | None], key: str, *, required: bool = True) -> str:
        value = table.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            self.add((*where, key), f"“{key}”{'必须填写，' if required else '应'}为带引号的文字")
            return ""
        return value.strip()

    def number(self, table: dict, where: tuple[str, int | None], key: str) -> float | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add((*where, key), f"“{key}”应为数字，如 {key} = 0")
            return None
        return float(value)

    def words(self, table: dict, where: tuple[str, int | None], key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
            self.add((*where, key), f'“{key}”应为文字列表，如 {key} = ["甲", "乙"]')
            return ()
        return tuple(item.strip() for item in value)


_TOP_KEYS = {"name", "title", "sheet", "period", "description", "source", "field", "rule", "indicator"}
# the keys of each table, in the order the contract lists them (the page's editor shows them so)
FIELD_KEYS = (
    "key",
    "header",
    "kind",
    "required",
    "aliases",
    "unit",
    "min",
    "max",
    "choices",
    "synonyms",
    "help",
)
RULE_KEYS = ("code", "severity", "check", "column", "message")
INDICATOR_KEYS = ("key", "header", "expr", "format", "standard", "source")


def _unknown_keys(
    check: _Checker, table: dict, where: tuple[str, int | None], allowed: set[str] | tuple[str, ...]
) -> None:
    for key in table:
        if key not in allowed:
            check.add((*where, key), f"不认识的项“{key}”，可用：{'、'.join(sorted(allowed))}")


def _field(check: _Checker, table: dict, index: int) -> FieldDef:
    where = ("field", index)
    _unknown_keys(check, table, where, FIELD_KEYS)
    key, header, kind = check.text(table, where, "key"), check.text(table, where, "header"), table.get("kind")
    if key and not KEY_PATTERN.fullmatch(key):
        check.add((*where, "key"), f"字段 key “{key}”只能用小写英文字母开头，由小写字母、数字和下划线组成")
    if header in IMPLIED_HEADERS:
        check.add((*where, "header"), f"表头“{header}”是系统自带的列，请换一个")
    if key in IMPLIED_KEYS:
        check.add(
            (*where, "key"), f"字段 key “{key}”是系统自带的列（学校标识码/学校名称/学年/学期），请换一个"
        )
    if kind not in KINDS:
        check.add((*where, "kind"), f"未知的字段类型“{kind}”，可选：{'、'.join(KINDS)}")
    required = table.get("required", True)
    if not isinstance(required, bool):
        check.add((*where, "required"), "“required”应写 true 或 false")
    choices = check.words(table, where, "choices")
    if kind == "enum" and not choices:
        check.add((*where, "kind"), 'enum 类型的字段必须给出 choices，如 choices = ["是", "否"]')
    if choices and kind != "enum":
        check.add((*where, "choices"), "只有 enum 类型的字段可以写 choices")
    synonyms = table.get("synonyms", {})
    if not isinstance(synonyms, dict) or any(target not in choices for target in synonyms.values()):
        check.add(
            (*where, "synonyms"), 'synonyms 的每个值都必须是 choices 之一，如 synonyms = { "有" = "是" }'
        )
        synonyms = {}
    low, high = check.number(table, where, "min"), check.number(table, where, "max")
    if (low is not None or high is not None) and kind not in _NUMERIC:
        check.add(
            (*where, "min" if low is not None else "max"), "只有 count/number/percent 字段可以写 min/max"
        )
    if low is not None and high is not None and low > high:
        check.add((*where, "min"), f"min（{low:g}）大于 max（{high:g}）")
    return FieldDef(
        key=key,
        header=header,
        kind=str(kind),
        required=required is not False,
        aliases=check.words(table, where, "aliases"),
        unit=check.text(table, where, "unit", required=False),
        min=low,
        max=high,
        choices=choices,
        synonyms=tuple(synonyms.items()),
        help=check.text(table, where, "help", required=False),
    )


def _expression(check: _Checker, where: tuple[str, int | None, str], text: str, fields: set[str]) -> None:
    for problem in expr.problems(text, fields) if text else []:
        check.add(where, problem)


def _rule(check: _Checker, table: dict, index: int, fields: set[str]) -> RuleDef:
    where = ("rule", index)
    _unknown_keys(check, table, where, RULE_KEYS)
    rule = RuleDef(
        code=check.text(table, where, "code"),
        severity=check.text(table, where, "severity"),
        check=check.text(table, where, "check"),
        column=check.text(table, where, "column"),
        message=check.text(table, where, "message"),
    )
    if rule.severity and rule.severity not in ("error", "warning"):
        check.add((*where, "severity"), f"severity 只能是 error 或 warning，不能是“{rule.severity}”")
    if rule.column and rule.column not in fields:
        check.add((*where, "column"), f"column “{rule.column}”不是本表的字段")
    _expression(check, (*where, "check"), rule.check, fields)
    return rule


def _indicator(check: _Checker, table: dict, index: int, fields: set[str]) -> IndicatorDef:
    where = ("indicator", index)
    _unknown_keys(check, table, where, INDICATOR_KEYS)
    indicator = IndicatorDef(
        key=check.text(table, where, "key"),
        header=check.text(table, where, "header"),
        expr=check.text(table, where, "expr"),
        format=check.text(table, where, "format"),
        standard=check.text(table, where, "standard", required=False),
        source=check.text(table, where, "source", required=False),
    )
    if indicator.key and not KEY_PATTERN.fullmatch(indicator.key):
        check.add((*where, "key"), f"指标 key “{indicator.key}”只能由小写字母、数字和下划线组成")
    if indicator.format and indicator.format not in FORMATS:
        check.add((*where, "format"), f"format 只能是 {'、'.join(FORMATS)}，不能是“{indicator.format}”")
    _expression(check, (*where, "expr"), indicator.expr, fields)
    if indicator.standard and indicator.comparison is None:
        check.add((*where, "standard"), f'standard “{indicator.standard}”应写成比较符加数字，如 ">= 90"')
    if indicator.standard and not indicator.source:
        check.add((*where, "source"), "写了 standard 就必须写 source（标准出自哪个文件、哪一条）")
    return indicator


def _duplicates(check: _Checker, section: str, items: list[Any], attribute: str, label: str) -> None:
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        value = getattr(item, attribute)
        if value and value in seen:
            check.add(
                (section, index, attribute), f"{label}“{value}”与第 {seen[value] + 1} 个重复，请改成不同的"
            )
        seen.setdefault(value, index)


def _tables(check: _Checker, document: dict, section: str) -> list[dict]:
    tables = document.get(section, [])
    if not isinstance(tables, list) or not all(isinstance(table, dict) for table in tables):
        check.add((section, None, section), f"“{section}”应写成 [[{section}]] 表")
        return []
    return tables


def _header(check: _Checker, document: dict) -> dict[str, str]:
    where = ("", None)
    _unknown_keys(check, document, where, _TOP_KEYS)
    values = {key: check.text(document, where, key) for key in ("name", "title", "sheet", "period")}
    values |= {key: check.text(document, where, key, required=False) for key in ("description", "source")}
    if values["name"] and not NAME_PATTERN.fullmatch(values["name"]):
        check.add(
            (*where, "name"), f"name “{values['name']}”应为 2–31 个小写英文字母、数字或下划线，字母开头"
        )
    if values["period"] and values["period"] not in PERIODS:
        check.add(
            (*where, "period"), f"period 只能是 year（按学年）或 term（按学期），不能是“{values['period']}”"
        )
    return values


def parse_definition(text: str) -> Definition:
    """The definition in ``text`` (TOML); DefinitionRefused with every problem when it breaks the contract."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise DefinitionRefused([f"TOML 格式有误：{problem}（请检查引号、等号和方括号）"]) from None
    check = _Checker(LineIndex(text))
    header = _header(check, document)
    fields = [_field(check, table, index) for index, table in enumerate(_tables(check, document, "field"))]
    if not fields:
        check.add(("", None, "field"), "至少要声明一个 [[field]] 字段")
    _duplicates(check, "field", fields, "key", "字段 key ")
    _duplicates(check, "field", fields, "header", "表头")
    keys = {spec.key for spec in fields if spec.key}
    rules = [_rule(check, table, index, keys) for index, table in enumerate(_tables(check, document, "rule"))]
    indicators = [
        _indicator(check, table, index, keys)
        for index, table in enumerate(_tables(check, document, "indicator"))
    ]
    _duplicates(check, "indicator", indicators, "key", "指标 key ")
    _duplicates(check, "indicator", indicators, "header", "指标表头")
    headers = {spec.header for spec in fields}
    for index, indicator in enumerate(indicators):
        if indicator.header in headers:
            check.add(
                ("indicator", index, "header"),
                f"指标表头“{indicator.header}”与字段表头重名，导出时无法区分，请换一个",
            )
    if check.found:
        raise DefinitionRefused(check.found)
    return Definition(
        **header, fields=tuple(fields), rules=tuple(rules), indicators=tuple(indicators), text=text
    )

"""The 表单管理 field-by-field editor as plain data: a definition → the editor's tables → the same
definition, and what an official fills in becomes a definition checked like an uploaded file."""

from __future__ import annotations

import pandas as pd
import pytest

from core.formdefs.definition import DefinitionRefused, parse_definition
from core.formdefs.editor import EditorTables, blank_tables, definition_text, is_empty, located, tables_of
from core.formdefs.registry import builtin_definitions


@pytest.mark.parametrize("name", ["responsibility", "party"])
def test_a_shipped_definition_comes_back_the_same_through_the_editor(name: str) -> None:
    shipped = builtin_definitions()[name]

    again = parse_definition(definition_text(tables_of(shipped)))

    assert again == shipped
    assert [rule.check for rule in again.rules] == [rule.check for rule in shipped.rules]


def _new_form(fields: list[dict], rules: list[dict] = (), indicators: list[dict] = ()) -> EditorTables:
    """The editor of a brand-new form with rows added as the page's data editors return them."""
    blank = blank_tables()
    header = blank.header | {
        "name": "risk_check",
        "title": "风险排查情况表",
        "sheet": "风险排查",
        "period": "term",
    }
    return EditorTables(
        header,
        pd.DataFrame(fields, columns=blank.fields.columns),
        pd.DataFrame(list(rules), columns=blank.rules.columns),
        pd.DataFrame(list(indicators), columns=blank.indicators.columns),
    )


FOUND = {
    "key": "found",
    "header": "发现隐患数",
    "kind": "count",
    "required": True,
    "min": 0.0,
    "max": float("nan"),
}
FIXED = {
    "key": "fixed",
    "header": "已整改隐患数",
    "kind": "count",
    "required": None,
    "aliases": "整改数、已整改数",
}
LEVEL = {"key": "level", "header": "风险等级", "kind": "enum", "required": False, "choices": "高、中、低"}
LEVEL_SYNONYMS = LEVEL | {"synonyms": "较高=高、一般=中"}
FIX_RATE = {"key": "fix_rate", "header": "隐患整改率", "expr": "fixed / found", "format": "percent"}


def test_the_rows_an_official_fills_in_make_the_definition() -> None:
    empty_added_row = {"required": True}  # a row added and left blank: only its default is ticked
    rule = {"code": "fixed_gt_found", "severity": "error", "check": "fixed <= found", "column": "fixed"}
    rule |= {"message": "已整改隐患数不能大于发现隐患数"}
    indicator = FIX_RATE | {"standard": ">= 90", "source": "某某文件 第十七条"}

    tables = _new_form([FOUND, FIXED, LEVEL_SYNONYMS, empty_added_row], [rule], [indicator])
    definition = parse_definition(definition_text(tables))

    assert (definition.name, definition.period, definition.field_keys) == (
        "risk_check",
        "term",
        ["found", "fixed", "level"],
    )
    found, fixed, level = definition.fields
    assert (found.min, found.max, found.required) == (0.0, None, True)
    assert (fixed.aliases, fixed.required) == (("整改数", "已整改数"), True)
    assert (level.required, level.choices, level.synonyms) == (
        False,
        ("高", "中", "低"),
        (("较高", "高"), ("一般", "中")),
    )
    assert definition.rules[0].message == "已整改隐患数不能大于发现隐患数"
    assert definition.indicators[0].comparison == (">=", 90.0)


def test_a_mistake_in_the_editor_is_refused_naming_the_row_and_what_to_change() -> None:
    no_source = FIX_RATE | {"standard": ">= 90"}
    unknown_field = FIX_RATE | {"key": "other", "header": "另一个", "expr": "fixed / checks"}
    tables = _new_form([FOUND, FIXED, LEVEL | {"synonyms": "较高"}], indicators=[no_source, unknown_field])
    text = definition_text(tables)

    with pytest.raises(DefinitionRefused) as refused:
        parse_definition(text)
    problems = located(refused.value.problems, text)

    assert any(problem.startswith("字段表第 3 行") and "synonyms" in problem for problem in problems)
    assert any(problem.startswith("指标表第 1 行") and "source" in problem for problem in problems)
    assert any(problem.startswith("指标表第 2 行") and "checks" in problem for problem in problems)


def test_a_title_with_quotes_and_a_backslash_is_written_as_valid_toml() -> None:
    tables = _new_form([FOUND])
    tables.header["title"] = '“双带头人”\\"书记"\t统计'

    assert parse_definition(definition_text(tables)).title == '“双带头人”\\"书记"\t统计'


def test_a_blank_editor_is_empty_and_a_started_one_is_not() -> None:
    assert is_empty(blank_tables())
    assert not is_empty(_new_form([FOUND]))

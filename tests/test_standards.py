"""The staffing standards: national defaults with sources, validation, stored overrides."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from sqlalchemy import Engine

from core.settings_store import load_standards, reset_standards, save_standards
from core.standards import DEFAULT_STANDARDS, InvalidStandards, make_standards

VALID: dict[str, Any] = {
    "counselor_threshold": 200,
    "ideo_threshold": 350,
    "psy_threshold": 4000,
    "psy_minimum": 2,
    "part_time_factor": "0",
}


def test_defaults_are_the_national_standards_with_their_sources() -> None:
    described = [(standard.describe(), standard.source) for standard in DEFAULT_STANDARDS]

    assert described[0] == (
        "专职辅导员：师生比不低于 1:200（每名专职辅导员对应学生不超过 200 人）",
        "《普通高等学校辅导员队伍建设规定》（教育部令第43号，2017）",
    )
    assert described[1][0] == "专职思政课教师：师生比不低于 1:350（每名专职思政课教师对应学生不超过 350 人）"
    assert "教育部令第46号" in described[1][1]
    assert described[2][0] == (
        "专职心理健康教育教师：师生比不低于 1:4,000（每名专职心理健康教育教师对应学生不超过 4,000 人），"
        "且每校不少于 2 名"
    )
    assert "专项行动计划（2023—2025年）" in described[2][1] and "指导纲要" in described[2][1]
    assert DEFAULT_STANDARDS.part_time_factor == 0


@pytest.mark.parametrize(
    ("factor", "expected"),
    [
        ("1/3", Fraction(1, 3)),  # case: the 教育部令第43号 reading, kept exact
        ("0.5", Fraction(1, 2)),  # case: a decimal
        (" 1／4 ", Fraction(1, 4)),  # case: full-width slash and spaces
        ("1", Fraction(1)),  # case: the upper bound
        (0, Fraction(0)),  # case: a number, the default
    ],
)
def test_factor_accepts_fractions_and_decimals(factor: Any, expected: Fraction) -> None:
    assert make_standards(**VALID | {"part_time_factor": factor}).part_time_factor == expected


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"counselor_threshold": 0}, "专职辅导员的配备标准须为正整数"),  # case: zero threshold
        ({"ideo_threshold": -350}, "专职思政课教师的配备标准须为正整数"),  # case: negative threshold
        ({"psy_threshold": 4000.5}, "专职心理健康教育教师的配备标准须为正整数"),  # case: not whole
        ({"psy_minimum": -1}, "每校最少人数须为 0 或正整数"),  # case: negative minimum
        ({"part_time_factor": "1.5"}, "须在 0 到 1 之间"),  # case: factor above 1
        ({"part_time_factor": "-0.1"}, "须在 0 到 1 之间"),  # case: factor below 0
        ({"part_time_factor": "三分之一"}, "不是数字"),  # case: factor in words
        ({"part_time_factor": "1/0"}, "不是数字"),  # case: division by zero
        ({"part_time_factor": "0.33333"}, "过于精细"),  # case: more than three decimals
    ],
)
def test_invalid_values_are_refused_with_a_chinese_message(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidStandards) as refused:
        make_standards(**VALID | changes)

    assert len(refused.value.messages) == 1
    assert message in refused.value.messages[0]


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(InvalidStandards) as refused:
        make_standards(**VALID | {"counselor_threshold": 0, "part_time_factor": "2"})

    assert len(refused.value.messages) == 2


def test_without_stored_values_the_defaults_are_in_force(any_engine: Engine) -> None:
    assert load_standards(any_engine) == DEFAULT_STANDARDS


def test_saved_standards_are_loaded_back_exactly(any_engine: Engine) -> None:
    chosen = make_standards(
        **VALID | {"counselor_threshold": 180, "psy_minimum": 3, "part_time_factor": "1/3"}
    )

    save_standards(any_engine, chosen)
    save_standards(any_engine, chosen)  # saving again replaces, it does not duplicate

    loaded = load_standards(any_engine)
    assert loaded == chosen
    assert (loaded.counselors.threshold, loaded.psy.minimum, loaded.part_time_factor) == (
        180,
        3,
        Fraction(1, 3),
    )
    assert loaded.counselors.source == DEFAULT_STANDARDS.counselors.source


def test_reset_restores_the_national_defaults(any_engine: Engine) -> None:
    save_standards(any_engine, make_standards(**VALID | {"ideo_threshold": 300}))

    reset_standards(any_engine)

    assert load_standards(any_engine) == DEFAULT_STANDARDS

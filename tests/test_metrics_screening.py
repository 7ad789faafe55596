"""Screening metrics, computed by hand: rates, roll-ups, masking, the attention list, KPI tiles."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.formatting import percent_text
from core.metrics import screening as metrics
from tests.factories import make_screening_row

INSTITUTION = {"institution_name": "示例第一大学", "province": "河南省", "level": "本科", "ownership": "公办"}
RATE_COLUMNS = ("coverage", "flagged", "flagged_rate", "high_rate", "follow_up_rate")
ALL_FOLLOWED = {"interviewed": 300}  # every one of the factory row's 20 + 80 + 200 flagged students
QUIET = {"high": 0, "medium": 0, "watch": 0, "interviewed": 0, "referred": 0, "crisis": 0}


def frame(*rows: dict[str, Any]) -> pd.DataFrame:
    """Rows of the screening form with the institution columns the queries add."""
    return pd.DataFrame([INSTITUTION | make_screening_row(**row) for row in rows])


def one_row(table: pd.DataFrame) -> dict[str, Any]:
    return table.iloc[0].to_dict()


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            {"target": 1000, "screened": 965, "high": 5, "medium": 10, "watch": 25, "interviewed": 30},
            {
                "筛查覆盖率": "96.5%",
                "预警人数合计": 40,
                "预警率": "4.1%",
                "高风险率": "0.5%",
                "约谈评估率": "75.0%",
            },
        ),  # case: typical row: 965/1000, 40/965 = 4.15%, 5/965 = 0.52%, 30/40
        (
            {"target": 1000, "screened": 900, **QUIET},
            {
                "筛查覆盖率": "90.0%",
                "预警人数合计": 0,
                "预警率": "0.0%",
                "高风险率": "0.0%",
                "约谈评估率": "",
            },
        ),  # case: nobody flagged → follow-up rate has no denominator, empty
        (
            {"target": 0, "screened": 0, **QUIET},
            {"筛查覆盖率": "", "预警人数合计": 0, "预警率": "", "高风险率": "", "约谈评估率": ""},
        ),  # case: 应测人数 0 → no coverage, nothing screened → no rate at all
        (
            {"target": 400, "screened": 1, **QUIET},
            {"筛查覆盖率": "0.3%", "预警人数合计": 0, "预警率": "0.0%", "高风险率": "0.0%", "约谈评估率": ""},
        ),  # case: 1/400 = 0.25% is a tie and rounds half up to 0.3%, not to even 0.2%
        (
            {"high": 2, "medium": 3, "watch": 5, "interviewed": 12, "screened": 4900},
            {
                "筛查覆盖率": "98.0%",
                "预警人数合计": 10,
                "预警率": "0.2%",
                "高风险率": "0.0%",
                "约谈评估率": "120.0%",
            },
        ),  # case: more interviews than flagged students (a warning at intake) shows above 100%
    ],
)
def test_row_rates_as_written_in_csv(row: dict[str, Any], expected: dict[str, Any]) -> None:
    table = metrics.table(frame(row), RATE_COLUMNS)

    assert one_row(table) == expected


@given(st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 10**7)), min_size=1, max_size=50))
def test_column_rates_are_written_like_percent_text(pairs: list[tuple[int, int]]) -> None:
    counts = pd.DataFrame(pairs, columns=["screened", "target"])

    texts = metrics.rate_text(counts, metrics.COVERAGE)

    assert texts.tolist() == [percent_text(screened, target) for screened, target in pairs]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"target": 1000, "screened": 900, **QUIET}, ["90.0%", "0.0%", "0.0%", "—"]),  # case: 0 flagged
        ({"target": 0, "screened": 0, **QUIET}, ["—", "—", "—", "—"]),  # case: 0 target
    ],
)
def test_rate_without_denominator_is_a_dash_on_screen(row: dict[str, Any], expected: list[str]) -> None:
    shown = metrics.for_screen(
        metrics.table(frame(row), ("coverage", "flagged_rate", "high_rate", "follow_up_rate"))
    )

    assert list(shown.iloc[0]) == expected


# Two schools of one province, level and ownership, where summing first and averaging
# the rates disagree: coverage 50/100 and 900/900 → (50+900)/(100+900) = 95.0%, while the
# mean of 50% and 100% would be 75.0%; follow-up 0/10 and 90/90 → 90/100 = 90.0%, not 50.0%;
# 高风险 (10 + 30) / 950 = 4.21%.
# A third school elsewhere has nobody to screen; its own group has no rates.
ROLLUP_ROWS = (
    {
        "code": "4141010001",
        "target": 100,
        "screened": 50,
        "high": 10,
        "medium": 0,
        "watch": 0,
        "interviewed": 0,
    },
    {
        "code": "4141010002",
        "target": 900,
        "screened": 900,
        "high": 30,
        "medium": 60,
        "watch": 0,
        "interviewed": 90,
    },
    {"code": "4111010003", "target": 0, "screened": 0, **QUIET},
)
ELSEWHERE = {"province": "北京市", "level": "高职（专科）", "ownership": "民办"}


def rollup_frame() -> pd.DataFrame:
    rows = frame(*ROLLUP_ROWS)
    rows.loc[2, list(ELSEWHERE)] = list(ELSEWHERE.values())
    return rows


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        (
            "province",
            [["北京市", 1, "", "", ""], ["河南省", 2, "95.0%", "4.2%", "90.0%"]],
        ),  # case: 所在省份, in national order (北京 before 河南)
        ("level", [["本科", 2, "95.0%", "4.2%", "90.0%"], ["高职（专科）", 1, "", "", ""]]),  # case: 办学层次
        ("ownership", [["公办", 2, "95.0%", "4.2%", "90.0%"], ["民办", 1, "", "", ""]]),  # case: 办学性质
    ],
)
def test_rollup_sums_counts_first_and_divides_after(by: str, expected: list[list[Any]]) -> None:
    rolled = metrics.rollup(rollup_frame(), [by])

    table = metrics.table(rolled, (by, "institutions", "coverage", "high_rate", "follow_up_rate"))

    assert table.values.tolist() == expected


def test_rollup_is_not_the_mean_of_the_rows_rates() -> None:
    rows = rollup_frame().iloc[:2]
    mean_of_rates = metrics.with_derived(rows)["coverage"].mean()

    total = metrics.rollup(rows)

    assert mean_of_rates == pytest.approx(0.75)
    assert total.loc[0, "coverage"] == pytest.approx(0.95)
    assert total.loc[0, "institutions"] == 2


def test_rollup_counts_an_institution_once_across_terms() -> None:
    rows = frame(
        {"term": "秋季学期", "target": 100, "screened": 90},
        {"term": "春季学期", "target": 100, "screened": 100},
    )

    total = metrics.table(metrics.rollup(rows), ("institutions", "target", "screened", "coverage"))

    assert one_row(total) == {"学校数": 1, "应测人数": 200, "实测人数": 190, "筛查覆盖率": "95.0%"}


# A row with every masked count at 10 (5 or more): nothing is masked.
BIG = {
    "target": 1000,
    "screened": 1000,
    "high": 10,
    "medium": 10,
    "watch": 10,
    "interviewed": 30,
    "referred": 10,
    "crisis": 10,
}


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"high": 0}, {"高风险人数": 0, "高风险率": "0.0%"}),  # case: 0 is written as it is
        ({"high": 1}, {"高风险人数": "<5", "高风险率": ""}),  # case: 1 masked, its rate left empty
        ({"high": 4}, {"高风险人数": "<5", "高风险率": ""}),  # case: 4 masked, its rate left empty
        ({"high": 5}, {"高风险人数": 5, "高风险率": "0.5%"}),  # case: 5 is written as it is
        (
            {"medium": 3},
            {"中风险人数": "<5", "预警人数合计": 23, "预警率": "2.3%"},
        ),  # case: 中风险 masked alone
        ({"watch": 2}, {"一般关注人数": "<5", "预警人数合计": 22}),  # case: 一般关注 masked
        ({"interviewed": 4}, {"已约谈评估人数": "<5", "约谈评估率": ""}),  # case: follow-up numerator masked
        ({"interviewed": 5}, {"已约谈评估人数": 5, "约谈评估率": "16.7%"}),  # case: 5/30 not masked
        (
            {"referred": 1, "crisis": 4},
            {"转介就医人数": "<5", "危机干预人数": "<5"},
        ),  # case: referral, crisis
        (
            {"high": 1, "medium": 1, "watch": 2, "interviewed": 0, "referred": 0, "crisis": 0},
            {"预警人数合计": "<5", "预警率": "", "约谈评估率": "0.0%"},
        ),  # case: the total of 4 is masked and its rate emptied; 0 interviewed of a masked total stays 0.0%
        (
            {
                "target": 3,
                "screened": 3,
                "high": 1,
                "medium": 0,
                "watch": 0,
                "interviewed": 1,
                "referred": 0,
                "crisis": 0,
            },
            {"应测人数": 3, "实测人数": 3, "筛查覆盖率": "100.0%"},
        ),  # case: 应测人数 and 实测人数 are never masked, nor is coverage
    ],
)
def test_small_counts_are_masked_in_exported_tables(
    overrides: dict[str, int], expected: dict[str, Any]
) -> None:
    masked = one_row(metrics.table(frame(BIG | overrides), metrics.EXPORT_COLUMNS, mask=True))

    assert {header: masked[header] for header in expected} == expected


def test_without_masking_small_counts_stay_exact() -> None:
    exact = one_row(metrics.table(frame(BIG | {"high": 1, "crisis": 4}), metrics.EXPORT_COLUMNS))

    assert (exact["高风险人数"], exact["危机干预人数"], exact["高风险率"]) == (1, 4, "0.1%")


@pytest.mark.parametrize(
    ("row", "coverage_line", "reasons"),
    [
        (
            {"target": 1000, "screened": 949, **ALL_FOLLOWED},
            0.95,
            "筛查覆盖率低于95%",
        ),  # case: 94.9% is below the line
        (
            {"target": 1000, "screened": 950, **ALL_FOLLOWED},
            0.95,
            None,
        ),  # case: exactly on the line is not below it
        ({"target": 1000, "screened": 949, **ALL_FOLLOWED}, 0.9, None),  # case: a lower configured line
        (
            {"target": 1000, "screened": 899, **ALL_FOLLOWED},
            0.9,
            "筛查覆盖率低于90%",
        ),  # case: the reason names the line
        ({"interviewed": 299}, 0.95, "约谈评估率低于100%"),  # case: 299 of 300 flagged followed up
        ({"interviewed": 0}, 0.95, "有预警学生但均未约谈评估"),  # case: flagged, nobody followed up
        ({"target": 1000, "screened": 900, **QUIET}, 0.9, None),  # case: nobody flagged, nothing to follow up
        ({"target": 0, "screened": 0, **QUIET}, 0.95, None),  # case: 应测人数 0 has no coverage to fall short
        (
            {"target": 1000, "screened": 500, "interviewed": 0},
            0.95,
            "筛查覆盖率低于95%；有预警学生但均未约谈评估",
        ),  # case: two reasons at once
        (
            {"target": 1000, "screened": 924, **ALL_FOLLOWED},
            0.925,
            "筛查覆盖率低于92.5%",
        ),  # case: a line other than the default, with its decimal, in the reason
        ({"target": 1000, "screened": 925, **ALL_FOLLOWED}, 0.925, None),  # case: on a 92.5% line
        ({"target": 1, "screened": 0, **QUIET}, 0.95, "筛查覆盖率低于95%"),  # case: 0 of 1 has a coverage
    ],
)
def test_attention_list_names_the_reasons(
    row: dict[str, Any], coverage_line: float, reasons: str | None
) -> None:
    listed = metrics.attention_list(frame(row), coverage_line)

    assert list(listed[metrics.REASONS]) == ([reasons] if reasons else [])


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            {"target": 1, "screened": 1, "high": 1, "medium": 0, "watch": 0, "interviewed": 1},
            [1.0, 1.0, 1.0, 1.0],
        ),  # case: every denominator exactly 1 gives a rate
        (
            {"target": 2, "screened": 1, "high": 0, "medium": 1, "watch": 0, "interviewed": 0},
            [0.5, 1.0, 0.0, 0.0],
        ),  # case: one flagged of one screened, nobody followed up
        ({"target": 0, "screened": 0, **QUIET}, [None, None, None, None]),  # case: every denominator 0
    ],
)
def test_rates_with_a_denominator_of_one_or_zero(row: dict[str, Any], expected: list[float | None]) -> None:
    derived = one_row(metrics.with_derived(frame(row)))

    rates = [derived[rate.key] for rate in metrics.RATES]
    assert [None if pd.isna(rate) else rate for rate in rates] == expected


def test_attention_table_has_chinese_headers() -> None:
    listed = metrics.attention_list(frame({"interviewed": 0}))

    table = metrics.table(listed, metrics.ATTENTION_COLUMNS)

    assert list(table.columns) == [
        "学校标识码",
        "学校名称",
        "所在省份",
        "学年",
        "学期",
        "筛查类型",
        "关注原因",
        "应测人数",
        "实测人数",
        "筛查覆盖率",
        "预警人数合计",
        "已约谈评估人数",
        "约谈评估率",
    ]


@pytest.mark.parametrize(
    ("totals", "expected"),
    [
        (
            {"target": 12000, "screened": 11580, "high": 58, "medium": 200, "watch": 322, "interviewed": 551},
            {
                "实测人数": "11,580",
                "筛查覆盖率": "96.5%",
                "高风险人数": "58",
                "高风险率": "0.5%",
                "约谈评估率": "95.0%",
            },
        ),  # case: 11580/12000, 58/11580 = 0.50%, 551/580
        (
            {"target": 0, "screened": 0, "high": 0, "medium": 0, "watch": 0, "interviewed": 0},
            {"实测人数": "0", "筛查覆盖率": "—", "高风险人数": "0", "高风险率": "—", "约谈评估率": "—"},
        ),  # case: no data in scope
    ],
)
def test_kpi_texts(totals: dict[str, int], expected: dict[str, str]) -> None:
    assert metrics.kpi_texts(totals | {"referred": 0, "crisis": 0}) == expected

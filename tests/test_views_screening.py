"""Screening reads on SQLite and PostgreSQL: scope and filters, SQL totals, trend, export, attention."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from core.export import export_csv
from core.metrics import screening as metrics
from core.queries import screening as queries
from core.scope import Scope
from core.views import screening as views
from tests.contract import EXPORT_HEADERS
from tests.factories import make_institution, make_screening_row, store_rows

HENAN_UNI, HENAN_COLLEGE, JIANGSU_UNI = "4141010001", "4141010002", "4132010003"
YEAR, LAST_YEAR = "2024-2025", "2023-2024"
NOBODY = {"high": 0, "medium": 0, "watch": 0, "interviewed": 0, "referred": 0, "crisis": 0}

SCHOOLS = [
    make_institution(code=HENAN_UNI),
    make_institution(code=HENAN_COLLEGE, name="示例河南职业学院", level="高职（专科）", ownership="民办"),
    make_institution(code=JIANGSU_UNI, name="示例江苏大学", province="江苏省"),
]
SCREENINGS = [
    # 4900/5000; 20+80+200 = 300 flagged, 290 followed up → listed (follow-up below 100%)
    make_screening_row(code=HENAN_UNI),
    # small counts: 3 + 1 = 4 flagged, all 4 followed up, 1 referred
    make_screening_row(
        code=HENAN_UNI,
        term="春季学期",
        kind="重点人群复查",
        target=300,
        screened=300,
        high=3,
        medium=1,
        watch=0,
        interviewed=4,
        referred=1,
        crisis=0,
    ),
    # 1800/2000 = 90% → listed (coverage); 75 flagged, all followed up
    make_screening_row(
        code=HENAN_COLLEGE,
        target=2000,
        screened=1800,
        high=5,
        medium=20,
        watch=50,
        interviewed=75,
        referred=6,
    ),
    # 430 flagged, none followed up → listed
    make_screening_row(
        code=JIANGSU_UNI,
        kind="全体学生普查",
        target=10000,
        screened=9800,
        high=30,
        medium=100,
        watch=300,
        interviewed=0,
        referred=10,
        crisis=1,
    ),
    # last year, nobody to screen
    make_screening_row(code=JIANGSU_UNI, year=LAST_YEAR, target=0, screened=0, **NOBODY),
]


@pytest.fixture
def filled(any_engine: Engine) -> Engine:
    store_rows(any_engine, "institutions", SCHOOLS)
    store_rows(any_engine, "screening", SCREENINGS)
    return any_engine


def keys(frame) -> list[tuple[str, str, str, str]]:
    return list(zip(frame["code"], frame["year"], frame["term"], frame["kind"], strict=True))


@pytest.mark.parametrize(
    ("scope", "filters", "expected"),
    [
        (
            Scope(year=YEAR),
            {},
            [
                (JIANGSU_UNI, YEAR, "秋季学期", "全体学生普查"),
                (HENAN_UNI, YEAR, "秋季学期", "新生普查"),
                (HENAN_UNI, YEAR, "春季学期", "重点人群复查"),
                (HENAN_COLLEGE, YEAR, "秋季学期", "新生普查"),
            ],
        ),  # case: one year, provinces in national order (江苏 before 河南), 秋季 before 春季
        (
            Scope(year=YEAR, provinces=("河南省",)),
            {"term": "秋季学期"},
            [(HENAN_UNI, YEAR, "秋季学期", "新生普查"), (HENAN_COLLEGE, YEAR, "秋季学期", "新生普查")],
        ),  # case: province and term
        (
            Scope(year=YEAR),
            {"kind": "全体学生普查"},
            [(JIANGSU_UNI, YEAR, "秋季学期", "全体学生普查")],
        ),  # case: screening type
        (
            Scope(levels=("高职（专科）",), ownerships=("民办",)),
            {},
            [(HENAN_COLLEGE, YEAR, "秋季学期", "新生普查")],
        ),  # case: level and ownership
        (
            Scope(provinces=("江苏省",)),
            {},
            [
                (JIANGSU_UNI, LAST_YEAR, "秋季学期", "新生普查"),
                (JIANGSU_UNI, YEAR, "秋季学期", "全体学生普查"),
            ],
        ),  # case: no year chosen → every year
        (Scope(year=YEAR, provinces=("北京市",)), {}, []),  # case: nothing in scope
    ],
)
def test_rows_follow_scope_term_and_type(
    filled: Engine, scope: Scope, filters: dict[str, str], expected: list[tuple[str, str, str, str]]
) -> None:
    rows = queries.screening_rows(filled, scope, **filters)

    assert keys(rows) == expected


def test_rows_carry_the_institution_name_and_the_institution_columns(filled: Engine) -> None:
    rows = queries.screening_rows(filled, Scope(year=YEAR, codes=(HENAN_COLLEGE,)))

    assert rows.loc[0, ["institution_name", "province", "level", "ownership"]].tolist() == [
        "示例河南职业学院",
        "河南省",
        "高职（专科）",
        "民办",
    ]


@pytest.mark.parametrize(
    ("scope", "filters", "expected"),
    [
        (Scope(year=YEAR), {}, {"target": 17300, "screened": 16800, "high": 58}),  # case: whole year
        (
            Scope(year=YEAR, provinces=("河南省",)),
            {"term": "秋季学期"},
            {"target": 7000, "screened": 6700, "high": 25},
        ),  # case: 5000+2000, 4900+1800, 20+5
        (
            Scope(year=YEAR),
            {"kind": "重点人群复查"},
            {"target": 300, "screened": 300, "high": 3},
        ),  # case: type
        (Scope(year=YEAR, provinces=("北京市",)), {}, {"target": 0, "screened": 0, "high": 0}),  # case: empty
    ],
)
def test_totals_are_summed_by_the_database(
    filled: Engine, scope: Scope, filters: dict[str, str], expected: dict[str, int]
) -> None:
    totals = queries.screening_totals(filled, scope, **filters)

    assert {key: totals[key] for key in expected} == expected
    assert set(totals) == set(metrics.COUNTS)


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (
            Scope(year=YEAR),
            {"screened": 16800, "target": 17300, "coverage": "97.1%", "high": 58},
        ),  # case: 16800/17300 = 97.11%
        (
            Scope(year=LAST_YEAR),
            {"screened": 0, "target": 0, "coverage": "—", "high": 0},
        ),  # case: nobody to screen → no coverage
    ],
)
def test_overview_kpis(filled: Engine, scope: Scope, expected: dict[str, object]) -> None:
    assert asdict(views.overview_kpis(filled, scope)) == expected


def test_term_trend_covers_every_year_of_the_scope(filled: Engine) -> None:
    trend = views.term_totals(filled, Scope(year=YEAR, provinces=("江苏省",)))

    assert trend[["year", "term", "target", "screened"]].values.tolist() == [
        [LAST_YEAR, "秋季学期", 0, 0],
        [YEAR, "秋季学期", 10000, 9800],
    ]
    assert trend["coverage"].isna().tolist() == [True, False]


def test_term_trend_orders_terms_and_filters_the_type(filled: Engine) -> None:
    trend = views.term_totals(filled, Scope(provinces=("河南省",)))
    review_only = views.term_totals(filled, Scope(), kind="重点人群复查")

    assert trend[["year", "term", "screened"]].values.tolist() == [
        [YEAR, "秋季学期", 6700],
        [YEAR, "春季学期", 300],
    ]
    assert review_only[["term", "screened"]].values.tolist() == [["春季学期", 300]]


def test_export_has_the_contract_columns_and_derived_values(filled: Engine) -> None:
    exported = views.export_frame(filled, Scope(provinces=("江苏省",)))

    assert list(exported.columns) == EXPORT_HEADERS["screening"]
    assert exported.iloc[:, 13:].values.tolist() == [
        ["江苏省", "本科", "公办", "", 0, "", "", ""],  # 2023-2024, nobody to screen → rates empty
        [
            "江苏省",
            "本科",
            "公办",
            "98.0%",
            430,
            "4.4%",
            "0.3%",
            "0.0%",
        ],  # 9800/10000, 430/9800, 30/9800, 0/430
    ]


def test_export_of_an_empty_scope_has_the_headers_only(filled: Engine) -> None:
    exported = views.export_frame(filled, Scope(provinces=("北京市",)), mask_small=True)

    assert list(exported.columns) == EXPORT_HEADERS["screening"]
    assert exported.empty


def test_export_masks_small_counts_only_when_asked(filled: Engine) -> None:
    scope = Scope(year=YEAR, codes=(HENAN_UNI,))

    exact = views.export_frame(filled, scope)
    masked = views.export_frame(filled, scope, mask_small=True)

    spring = ["应测人数", "实测人数", "高风险人数", "中风险人数", "预警人数合计", "预警率", "约谈评估率"]
    assert exact.loc[1, spring].tolist() == [300, 300, 3, 1, 4, "1.3%", "100.0%"]
    assert masked.loc[1, spring].tolist() == [300, 300, "<5", "<5", "<5", "", ""]
    assert masked.loc[0, ["高风险人数", "危机干预人数", "高风险率"]].tolist() == [20, "<5", "0.4%"]


def test_export_csv_through_the_registry_opens_in_excel(filled: Engine, tmp_path: Path) -> None:
    path = tmp_path / "screening.csv"

    rows = export_csv(filled, "screening", Scope(year=YEAR), path, mask_small=True)

    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == EXPORT_HEADERS["screening"]
    assert rows == len(table) - 1 == 4
    spring = next(row for row in table if row[3] == "春季学期")
    assert spring[7:13] == ["<5", "<5", "0", "<5", "<5", "0"]


def test_attention_list_on_stored_data(filled: Engine) -> None:
    rows = queries.screening_rows(filled, Scope(year=YEAR))

    listed = metrics.attention_list(rows)

    assert list(zip(listed["code"], listed[metrics.REASONS], strict=True)) == [
        (JIANGSU_UNI, "有预警学生但均未约谈评估"),
        (HENAN_UNI, "约谈评估率低于100%"),
        (HENAN_COLLEGE, "筛查覆盖率低于95%"),
    ]


@pytest.mark.parametrize("mask", [True, False])  # case: small counts masked / exact in the files
def test_screening_page_files_are_the_exports(filled: Engine, mask: bool) -> None:
    scope = Scope(year=YEAR)

    page = views.screening_page(filled, scope, coverage_line=0.95)

    pd.testing.assert_frame_equal(page.file("rows", mask=mask), views.export_frame(filled, scope, mask))
    assert page.file("attention", mask=mask)["学校标识码"].tolist() == [JIANGSU_UNI, HENAN_UNI, HENAN_COLLEGE]


def test_screening_page_tables_show_exact_counts_and_dashes(filled: Engine) -> None:
    page = views.screening_page(filled, Scope(provinces=("江苏省",)), coverage_line=0.99)

    rows = page.tables["rows"]
    assert rows[["应测人数", "筛查覆盖率", "预警率"]].values.tolist() == [
        [0, "—", "—"],
        [10000, "98.0%", "4.4%"],
    ]
    assert page.tables["attention"]["关注原因"].tolist() == ["筛查覆盖率低于99%；有预警学生但均未约谈评估"]
    assert page.tables["province"]["所在省份"].tolist() == ["江苏省"]
    assert (page.risk_group, page.follow_up["institution_name"].tolist()) == ("kind", ["示例江苏大学"])
    assert page.kpis["实测人数"] == "9,800"

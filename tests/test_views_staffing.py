"""The staffing read side on SQLite and PostgreSQL, checked against hand calculations.

The dataset (学年 2024-2025 unless said otherwise):
- 甲大学 河南 本科 公办: 20,000 students, 100 counselors (1:200), 60 思政课 (58 needed), 6 心理 (5 needed)
- 乙学院 河南 高职 民办: 5,000 students, 20 counselors (25 needed), 10 思政课 (15 needed), 心理 not reported
- 丙大学 北京 本科 公办: 4,001 students, 10 + 3 part-time counselors (21 needed), 12 思政课 (12 needed),
  1 心理 (2 needed)
- 丁学院 北京 高职 公办: 0 students: every standard 不适用
- 甲大学 also in 2023-2024 with 90 counselors (gap 10).
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from sqlalchemy import Engine, update

from core.export import csv_bytes, export_frame
from core.models import StaffingReport
from core.scope import Scope
from core.settings_store import save_standards
from core.standards import DEFAULT_STANDARDS, make_standards
from core.views import staffing
from tests.contract import EXPORT_HEADERS
from tests.factories import make_institution, make_staffing_row, store_rows

YEAR = "2024-2025"
JIA, YI, BING, DING = "4141010001", "4141010002", "4111010003", "4111010004"


@pytest.fixture
def filled(any_engine: Engine) -> Engine:
    store_rows(
        any_engine,
        "institutions",
        [
            make_institution(code=JIA, name="甲大学"),
            make_institution(code=YI, name="乙学院", level="高职（专科）", ownership="民办"),
            make_institution(code=BING, name="丙大学", province="北京市"),
            make_institution(code=DING, name="丁学院", province="北京市", level="高职（专科）"),
        ],
    )
    store_rows(
        any_engine,
        "staffing",
        [
            make_staffing_row(code=JIA, name="甲大学"),
            make_staffing_row(code=JIA, name="甲大学", year="2023-2024", counselors_ft=90),
            make_staffing_row(
                code=YI,
                name="乙学院",
                undergrad=5000,
                postgrad=0,
                counselors_ft=20,
                counselors_pt=0,
                ideo_teachers=10,
                psy_teachers=None,
            ),
            make_staffing_row(
                code=BING,
                name="丙大学",
                undergrad=3000,
                postgrad=1001,
                counselors_ft=10,
                counselors_pt=3,
                ideo_teachers=12,
                psy_teachers=1,
            ),
            make_staffing_row(
                code=DING,
                name="丁学院",
                undergrad=0,
                postgrad=0,
                counselors_ft=0,
                counselors_pt=0,
                ideo_teachers=0,
                psy_teachers=0,
            ),
        ],
    )
    return any_engine


def _csv_rows(frame: pd.DataFrame) -> list[list[str]]:
    return list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8-sig"))))


def test_export_has_the_contract_columns_and_hand_computed_values(filled: Engine) -> None:
    frame = export_frame(filled, "staffing", Scope(year=YEAR))

    rows = _csv_rows(frame)

    assert rows[0] == EXPORT_HEADERS["staffing"]
    assert rows[1:] == [
        # 北京 before 河南 (national order), then by code
        [BING, "丙大学", YEAR, "3000", "1001", "10", "3", "12", "1", "北京市", "本科", "公办", "4001"]
        + ["1:400.1", "21", "11", "未达标", "1:333.4", "12", "0", "达标", "1:4001.0", "2", "1", "未达标"],
        [DING, "丁学院", YEAR, "0", "0", "0", "0", "0", "0", "北京市", "高职（专科）", "公办", "0"]
        + ["", "0", "0", "不适用"] * 3,
        [JIA, "甲大学", YEAR, "18000", "2000", "100", "10", "60", "6", "河南省", "本科", "公办", "20000"]
        + ["1:200.0", "100", "0", "达标", "1:333.3", "58", "0", "达标", "1:3333.3", "5", "0", "达标"],
        [YI, "乙学院", YEAR, "5000", "0", "20", "0", "10", "", "河南省", "高职（专科）", "民办", "5000"]
        + ["1:250.0", "25", "5", "未达标", "1:500.0", "15", "5", "未达标", "", "", "", ""],
    ]


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (
            Scope(),
            [(BING, YEAR), (DING, YEAR), (JIA, "2023-2024"), (JIA, YEAR), (YI, YEAR)],
        ),  # case: everything
        (Scope(year="2023-2024"), [(JIA, "2023-2024")]),  # case: --year
        (Scope(provinces=("北京市",)), [(BING, YEAR), (DING, YEAR)]),  # case: --province
        (Scope(year=YEAR, ownerships=("民办",)), [(YI, YEAR)]),  # case: 办学性质
    ],
)
def test_export_keeps_only_the_scope(filled: Engine, scope: Scope, expected: list[tuple[str, str]]) -> None:
    frame = staffing.export_frame(filled, scope)

    assert list(zip(frame["学校标识码"], frame["学年"], strict=True)) == expected


def test_export_uses_the_stored_standards(filled: Engine) -> None:
    save_standards(filled, make_standards(**_default_values() | {"part_time_factor": "1/3"}))

    frame = staffing.export_frame(filled, Scope(year=YEAR)).set_index("学校标识码")

    # 丙: 10 + 3 × 1/3 = 11 counted: 4,001 / 11 = 363.7; 21 − 11 = 10 missing
    assert frame.loc[BING, ["辅导员师生比", "辅导员缺口", "辅导员达标情况"]].tolist() == [
        "1:363.7",
        10,
        "未达标",
    ]


def _default_values() -> dict:
    return {
        "counselor_threshold": DEFAULT_STANDARDS.counselors.threshold,
        "ideo_threshold": DEFAULT_STANDARDS.ideo.threshold,
        "psy_threshold": DEFAULT_STANDARDS.psy.threshold,
        "psy_minimum": DEFAULT_STANDARDS.psy.minimum,
        "part_time_factor": "0",
    }


def test_supervision_list_csv_row_by_row(filled: Engine) -> None:
    rows = _csv_rows(staffing.supervision_list(filled, Scope(year=YEAR)))

    assert rows == [
        ["序号", "学校标识码", "学校名称", "所在省份", "办学层次", "办学性质", "学生总数", "专职辅导员数"]
        + ["辅导员师生比", "辅导员缺口", "思政课教师缺口", "心理健康教育教师缺口", "未达标指标"],
        ["1", BING, "丙大学", "北京市", "本科", "公办", "4001", "10", "1:400.1", "11", "0", "1"]
        + ["辅导员、心理健康教育教师"],
        ["2", YI, "乙学院", "河南省", "高职（专科）", "民办", "5000", "20", "1:250.0", "5", "5", ""]
        + ["辅导员、思政课教师"],
    ]


def test_group_table_by_province_matches_the_hand_sums(filled: Engine) -> None:
    table = staffing.group_table(filled, Scope(year=YEAR), "province")

    assert table["所在省份"].tolist() == ["北京市", "河南省"]
    beijing, henan = (row for _, row in table.iterrows())
    assert beijing["填报学校数"] == 2 and henan["填报学校数"] == 2
    # 辅导员: 北京 1 applicable (丁 has no students), 0 compliant, 4,001 / 10; 河南 25,000 / 120
    assert [
        beijing[f"辅导员{name}"] for name in ("适用学校数", "达标学校数", "达标率", "总体师生比", "缺口合计")
    ] == [
        1,
        0,
        "0.0%",
        "1:400.1",
        11,
    ]
    assert [
        henan[f"辅导员{name}"] for name in ("适用学校数", "达标学校数", "达标率", "总体师生比", "缺口合计")
    ] == [
        2,
        1,
        "50.0%",
        "1:208.3",
        5,
    ]
    # 心理: 乙 did not report, so 河南 has 1 applicable institution: 20,000 / 6
    assert [henan[f"心理健康教育教师{name}"] for name in ("适用学校数", "达标率", "总体师生比")] == [
        1,
        "100.0%",
        "1:3333.3",
    ]
    # 思政课: 河南 25,000 / 70 = 357.14, gap 5 (乙)
    assert (henan["思政课教师总体师生比"], henan["思政课教师缺口合计"]) == ("1:357.1", 5)


def test_group_table_by_level(filled: Engine) -> None:
    table = staffing.group_table(filled, Scope(year=YEAR), "level").set_index("办学层次")

    assert table.index.tolist() == ["本科", "高职（专科）"]
    assert table.loc["本科", ["辅导员适用学校数", "辅导员达标学校数", "辅导员缺口合计"]].tolist() == [
        2,
        1,
        11,
    ]
    assert table.loc["高职（专科）", ["辅导员适用学校数", "辅导员达标学校数", "辅导员缺口合计"]].tolist() == [
        1,
        0,
        5,
    ]


def test_overview_kpis(filled: Engine) -> None:
    kpis = staffing.overview_kpis(filled, Scope(year=YEAR))

    counselors, psy = kpis.counselors, kpis.by_key("psy")
    assert (kpis.institutions, kpis.students) == (4, 29001)
    assert (counselors.applicable, counselors.compliant) == (3, 1)
    assert (counselors.share_text, counselors.gap) == ("33.3%", 16)
    assert counselors.ratio == "1:223.1"  # 29,001 / 130
    assert (psy.applicable, psy.share_text, psy.gap) == (2, "50.0%", 1)
    assert kpis.by_key("ideo").share == pytest.approx(2 / 3)


def test_overview_kpis_of_an_empty_scope(filled: Engine) -> None:
    kpis = staffing.overview_kpis(filled, Scope(year=YEAR, provinces=("上海市",)))

    assert (kpis.institutions, kpis.counselors.share, kpis.counselors.gap) == (0, None, 0)


def test_institution_table_ranks_by_students_per_counselor(filled: Engine) -> None:
    table = staffing.institution_table(filled, Scope(year=YEAR))

    # 丙 400.1, 乙 250, 甲 200, 丁 (no students) last
    assert table["学校名称"].tolist() == ["丙大学", "乙学院", "甲大学", "丁学院"]
    assert table["排名"].tolist() == [1, 2, 3, 4]
    # 甲 had a gap of 10 in 2023-2024 and 0 now; the others have no previous year
    assert table.set_index("学校名称")["辅导员缺口较上学年变化"].isna().tolist() == [True, True, False, True]
    assert table.set_index("学校名称").loc["甲大学", "辅导员缺口较上学年变化"] == -10


@pytest.mark.parametrize(
    ("search", "names"),
    [
        ("大学", ["丙大学", "甲大学"]),  # case: part of the name
        (YI, ["乙学院"]),  # case: the whole code
        ("  丁 ", ["丁学院"]),  # case: spaces around the text
        ("清华", []),  # case: nothing matches
    ],
)
def test_institution_table_search(filled: Engine, search: str, names: list[str]) -> None:
    table = staffing.institution_table(filled, Scope(year=YEAR), search)

    assert table["学校名称"].tolist() == names


def test_compliance_trend_covers_every_year_of_the_scope(filled: Engine) -> None:
    trend = staffing.compliance_trend(filled, Scope(year=YEAR, provinces=("河南省",)))

    counselors = trend[trend["指标"] == "辅导员"]
    assert counselors["学年"].tolist() == ["2023-2024", YEAR]
    assert counselors["达标学校数"].tolist() == [0, 1]
    assert counselors["适用学校数"].tolist() == [1, 2]
    assert counselors["达标率"].tolist() == ["0.0%", "50.0%"]


@pytest.mark.parametrize(
    ("factor", "psy_minimum", "counselors", "psy"),
    [
        (
            "0",
            2,
            "2/3",
            "1/2",
        ),  # case: at 1:400 丙 needs 11 and has 10 full-time; 甲 has 6 of 5 psychologists
        ("1/3", 2, "3/3", "1/2"),  # case: 丙's 3 part-time counselors count as 1: 11 of 11
        ("0", 7, "2/3", "0/2"),  # case: at least 7 psychologists each: 甲's 6 are short
    ],
)
def test_compliance_trend_counts_with_the_stored_standards(
    filled: Engine, factor: str, psy_minimum: int, counselors: str, psy: str
) -> None:
    save_standards(
        filled,
        make_standards(
            counselor_threshold=400,
            ideo_threshold=350,
            psy_threshold=4000,
            psy_minimum=psy_minimum,
            part_time_factor=factor,
        ),
    )

    trend = staffing.compliance_trend(filled, Scope(year=YEAR))

    this_year = trend[trend["学年"] == YEAR].set_index("指标")
    counts = {label: f"{row['达标学校数']}/{row['适用学校数']}" for label, row in this_year.iterrows()}
    assert (counts["辅导员"], counts["心理健康教育教师"]) == (counselors, psy)


@pytest.mark.parametrize(
    "scope",
    [
        Scope(year=YEAR),  # case: one year, with a previous one for 甲
        Scope(year=YEAR, provinces=("北京市",)),  # case: a province
        Scope(),  # case: every year (no gap change)
    ],
)
def test_staffing_page_shows_what_the_single_queries_return(filled: Engine, scope: Scope) -> None:
    page = staffing.staffing_page(filled, scope)

    pd.testing.assert_frame_equal(page.institutions, staffing.institution_table(filled, scope))
    pd.testing.assert_frame_equal(page.supervision["all"], staffing.supervision_list(filled, scope))
    pd.testing.assert_frame_equal(page.provinces, staffing.group_table(filled, scope, "province"))
    pd.testing.assert_frame_equal(page.trend, staffing.compliance_trend(filled, scope))
    assert page.kpis == staffing.overview_kpis(filled, scope)


def test_compliance_trend_and_table_agree_on_a_blank_part_time_count(filled: Engine) -> None:
    # 乙学院: 24 full-time of 25 needed, 兼职辅导员数 left blank (stored as 0: the column is NOT
    # NULL; tests/test_metrics_staffing_sql.py covers NULL in the rule itself), at a factor of 1
    with filled.begin() as connection:
        connection.execute(
            update(StaffingReport)
            .where(StaffingReport.code == YI, StaffingReport.year == YEAR)
            .values(counselors_ft=24, counselors_pt=0)
        )
    save_standards(filled, make_standards(**_default_values() | {"part_time_factor": "1"}))
    scope = Scope(year=YEAR, provinces=("河南省",))

    trend = staffing.compliance_trend(filled, scope)
    table = staffing.institution_table(filled, scope)

    counselors = trend[(trend["指标"] == "辅导员") & (trend["学年"] == YEAR)].iloc[0]
    assert (counselors["达标学校数"], counselors["适用学校数"]) == (1, 2)
    assert table.set_index("学校标识码").loc[YI, "辅导员达标情况"] == "未达标"


@pytest.mark.parametrize(
    ("standard", "rows"),
    [
        # case: 辅导员 1:200 — 丙 counts 10 full-time (part-timers count 0 by default)
        (
            "counselors",
            [
                ["1", "丙大学", "师生比 1:400.1，未达 1:200", "11", "21", "10", "1:400.1"],
                ["2", "乙学院", "师生比 1:250.0，未达 1:200", "5", "25", "20", "1:250.0"],
            ],
        ),
        # case: 思政课教师 1:350 — only 乙 (丙 has exactly the 12 it needs)
        ("ideo", [["1", "乙学院", "师生比 1:500.0，未达 1:350", "5", "15", "10", "1:500.0"]]),
        # case: 心理 1:4000 且不少于 2 名 — 丙 has 1; 乙 did not report the count: not listed
        ("psy", [["1", "丙大学", "现有 1 名，每校不少于 2 名", "1", "2", "1", "1:4001.0"]]),
    ],
)
def test_supervision_list_per_standard_puts_what_is_missing_beside_the_name(
    filled: Engine, standard: str, rows: list[list[str]]
) -> None:
    listed = _csv_rows(staffing.supervision_list(filled, Scope(year=YEAR), standard))

    assert listed[0][:4] == ["序号", "学校名称", "未达标指标", "缺口"]
    assert [row[:7] for row in listed[1:]] == rows

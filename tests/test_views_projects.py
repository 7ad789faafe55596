"""Key-project reads on SQLite and PostgreSQL: scope and filters, export table, KPIs, history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Engine, insert, select, update

from core.export import csv_bytes, export_frame
from core.models import ProjectRecord, RecordHistory, Upload
from core.queries import projects as queries
from core.scope import Scope
from core.views import projects as views
from tests.contract import EXPORT_HEADERS
from tests.factories import make_institution, make_project_row, store_rows

TODAY = dt.date(2025, 11, 30)
HENAN = make_institution(code="4141010001", name="河南示例大学", province="河南省")
BEIJING = make_institution(
    code="4111010002", name="北京示例职业学院", province="北京市", level="高职（专科）", ownership="民办"
)


def seed(engine: Engine) -> None:
    store_rows(engine, "institutions", [HENAN, BEIJING])
    store_rows(
        engine,
        "projects",
        [
            make_project_row(
                project_id="XM-001",
                category="网络思政",
                batch="第一批",
                start=dt.date(2023, 3, 1),
                due=dt.date(2025, 6, 30),
                stage="培育建设",
                progress=85.0,
            ),
            make_project_row(
                project_id="XM-002",
                category="网络思政",
                batch="第二批",
                start=dt.date(2024, 3, 1),
                due=dt.date(2025, 1, 31),
                stage="已验收通过",
                progress=100.0,
            ),
            make_project_row(
                project_id="XM-003",
                category="心理健康教育",
                batch="第二批",
                code=BEIJING["code"],
                unit=BEIJING["name"],
                start=dt.date(2024, 3, 1),
                due=dt.date(2025, 12, 20),
                stage="中期检查",
                progress=40.0,
                updated=None,
            ),
            make_project_row(
                project_id="XM-004",
                category="心理健康教育",
                batch=None,
                code=BEIJING["code"],
                unit=BEIJING["name"],
                start=dt.date(2024, 9, 1),
                due=dt.date(2025, 11, 29),
                stage="立项",
                progress=10.0,
            ),
        ],
    )


def test_export_frame_columns_and_values_at_a_fixed_today(any_engine: Engine) -> None:
    seed(any_engine)

    table = views.export_frame(any_engine, Scope(year="2024-2025"), TODAY).set_index("项目编号")

    assert table.reset_index().columns.tolist() == EXPORT_HEADERS["projects"]
    assert table.index.tolist() == ["XM-001", "XM-002", "XM-003", "XM-004"]  # the year does not apply
    first = table.loc["XM-001"]
    assert (first["立项日期"], first["计划完成日期"], first["最近更新日期"]) == (
        "2023-03-01",
        "2025-06-30",
        "2025-06-30",
    )
    assert (first["所在省份"], first["办学层次"], first["办学性质"]) == ("河南省", "本科", "公办")
    assert table.loc["XM-003", ["所在省份", "办学层次", "办学性质"]].tolist() == [
        "北京市",
        "高职（专科）",
        "民办",
    ]
    assert table["是否逾期"].tolist() == ["是", "否", "否", "是"]
    assert table["逾期天数"].tolist() == [153, 0, 0, 1]


def test_export_csv_writes_whole_numbers_and_iso_dates(any_engine: Engine) -> None:
    seed(any_engine)

    data = csv_bytes(export_frame(any_engine, "projects", Scope(provinces=("河南省",)), today=TODAY))

    lines = data.decode("utf-8-sig").splitlines()
    assert data.startswith(b"\xef\xbb\xbf")
    assert lines[0].split(",") == EXPORT_HEADERS["projects"]
    assert lines[1].split(",")[6:10] == ["2023-03-01", "2025-06-30", "培育建设", "85"]
    assert len(lines) == 3  # only the two Henan projects


def test_export_frame_defaults_today_to_app_today(
    any_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(any_engine)
    monkeypatch.setenv("APP_TODAY", "2025-07-01")

    table = views.export_frame(any_engine, Scope(provinces=("河南省",)))

    assert table["逾期天数"].tolist() == [1, 0]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["XM-001", "XM-002", "XM-003", "XM-004"]),  # case: no filter
        ({"categories": ("心理健康教育",)}, ["XM-003", "XM-004"]),  # case: one category
        ({"batches": ("第二批",)}, ["XM-002", "XM-003"]),  # case: one batch
        ({"stages": ("立项", "培育建设")}, ["XM-001", "XM-004"]),  # case: two stages
        ({"categories": ("网络思政",), "stages": ("中期检查",)}, []),  # case: filters combine
    ],
)
def test_projects_frame_filters(any_engine: Engine, filters: dict[str, Any], expected: list[str]) -> None:
    seed(any_engine)

    projects = queries.projects_frame(any_engine, Scope(), **filters)

    assert projects["project_id"].tolist() == expected


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (Scope(provinces=("北京市",)), ["XM-003", "XM-004"]),  # case: province
        (Scope(levels=("本科",)), ["XM-001", "XM-002"]),  # case: level
        (Scope(ownerships=("民办",)), ["XM-003", "XM-004"]),  # case: ownership
        (Scope(codes=("4141010001",)), ["XM-001", "XM-002"]),  # case: one institution
        (Scope(year="2030-2031"), ["XM-001", "XM-002", "XM-003", "XM-004"]),  # case: year ignored
    ],
)
def test_projects_frame_follows_the_scope(any_engine: Engine, scope: Scope, expected: list[str]) -> None:
    seed(any_engine)

    assert queries.projects_frame(any_engine, scope)["project_id"].tolist() == expected


def test_overview_kpis(any_engine: Engine) -> None:
    seed(any_engine)

    assert views.overview_kpis(any_engine, Scope(), TODAY) == {
        "projects": 4,
        "accepted": 1,
        "in_progress": 3,
        "overdue": 2,
    }
    assert views.overview_kpis(any_engine, Scope(provinces=("北京市",)), TODAY)["overdue"] == 1


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (  # case: mean progress (85+100+40+10)/4 = 58.75 is rounded half up
            Scope(),
            {
                "项目总数": "4",
                "已验收通过": "1",
                "在研项目": "3",
                "逾期项目": "2",
                "验收完成率": "25.0%",
                "平均进度": "58.8%",
            },
        ),
        (  # case: no project in scope → counts 0, shares "—"
            Scope(provinces=("上海市",)),
            {
                "项目总数": "0",
                "已验收通过": "0",
                "在研项目": "0",
                "逾期项目": "0",
                "验收完成率": "—",
                "平均进度": "—",
            },
        ),
    ],
)
def test_headline_tiles(any_engine: Engine, scope: Scope, expected: dict[str, str]) -> None:
    seed(any_engine)

    assert views.headline(queries.projects_frame(any_engine, scope), TODAY) == expected


def test_available_batches_oldest_first(any_engine: Engine) -> None:
    seed(any_engine)

    assert queries.available_batches(any_engine, Scope()) == ["第一批", "第二批"]
    assert queries.available_batches(any_engine, Scope(provinces=("北京市",))) == ["第二批"]


def test_overdue_and_due_soon_tables(any_engine: Engine) -> None:
    seed(any_engine)
    projects = queries.projects_frame(any_engine, Scope())

    overdue = views.overdue_table(projects, TODAY)
    soon = views.due_soon_table(projects, TODAY)

    assert overdue[["项目编号", "承担单位（高校名录）", "计划完成日期", "逾期天数"]].values.tolist() == [
        ["XM-001", "河南示例大学", "2025-06-30", 153],
        ["XM-004", "北京示例职业学院", "2025-11-29", 1],
    ]
    assert soon[["项目编号", "剩余天数"]].values.tolist() == [["XM-003", 20]]


def test_summary_table_by_batch(any_engine: Engine) -> None:
    seed(any_engine)
    projects = queries.projects_frame(any_engine, Scope())

    table = views.summary_table(projects, TODAY, "batch").set_index("批次")

    assert table.loc["第二批", ["项目数", "已验收通过", "在研", "逾期", "验收完成率"]].tolist() == [
        2,
        1,
        1,
        0,
        "50.0%",
    ]
    assert table.loc["第二批", "平均进度（%）"] == "70.0"
    assert table.loc[views.NO_BATCH, "项目数"] == 1


@pytest.mark.parametrize(
    ("filters", "count", "overdue"),
    [
        ({}, 4, ["XM-001", "XM-004"]),  # case: every project
        ({"categories": ("心理健康教育",)}, 2, ["XM-004"]),  # case: one category
        ({"stages": ("已验收通过",)}, 1, []),  # case: accepted projects are never overdue
    ],
)
def test_projects_page_is_built_from_the_filtered_projects(
    any_engine: Engine, filters: dict[str, Any], count: int, overdue: list[str]
) -> None:
    seed(any_engine)
    projects = queries.projects_frame(any_engine, Scope(), **filters)

    page = views.projects_page(any_engine, Scope(), TODAY, **filters)

    assert (page.count, page.headline) == (count, views.headline(projects, TODAY))
    assert page.overdue["项目编号"].tolist() == overdue
    assert page.table.equals(views.export_table(projects, TODAY))
    for dimension in views.SUMMARY_CHOICES:
        summary = views.project_summary(any_engine, Scope(), TODAY, dimension, **filters)
        assert summary.equals(views.summary_table(projects, TODAY, dimension))
    assert list(page.titles.values()) == [
        f"{key} {title}" for key, title in zip(projects["project_id"], projects["title"], strict=True)
    ]


# --- a project's history across uploads ------------------------------------------------


def _upload(connection: Any, file_name: str, created_at: dt.datetime) -> int:
    result = connection.execute(
        insert(Upload).values(
            uploader="测试",
            file_name=file_name,
            sha256=file_name,
            form="projects",
            created_at=created_at,
            warnings=[],
        )
    )
    return int(result.inserted_primary_key[0])


def reupload(engine: Engine, project_id: str, file_name: str, created_at: dt.datetime, **changes: Any) -> int:
    """What intake does when an upload changes a project: keep the old values, then update."""
    with engine.begin() as connection:
        old = (
            connection.execute(select(ProjectRecord).where(ProjectRecord.project_id == project_id))
            .mappings()
            .one()
        )
        upload_id = _upload(connection, file_name, created_at)
        values = {
            key: value.isoformat() if isinstance(value, dt.date) else value for key, value in old.items()
        }
        connection.execute(
            insert(RecordHistory).values(
                form="projects",
                record_key=project_id,
                values={key: values[key] for key in views.HEADERS},
                upload_id=old["upload_id"],
                replaced_by_upload_id=upload_id,
            )
        )
        connection.execute(
            update(ProjectRecord)
            .where(ProjectRecord.project_id == project_id)
            .values(upload_id=upload_id, **changes)
        )
    return upload_id


def test_project_history_lists_stage_and_progress_per_upload(any_engine: Engine) -> None:
    store_rows(any_engine, "institutions", [HENAN])
    store_rows(
        any_engine,
        "projects",
        [
            make_project_row(project_id="XM-001", stage="立项", progress=10.0),
            make_project_row(project_id="XM-009", stage="立项", progress=0.0),
        ],
        file_name="2025年1月.xlsx",
    )
    reupload(
        any_engine,
        "XM-001",
        "2025年6月.xlsx",
        dt.datetime(2025, 6, 1, 10, 30, tzinfo=dt.UTC),
        stage="培育建设",
        progress=50.0,
    )
    reupload(
        any_engine, "XM-009", "其他项目.xlsx", dt.datetime(2025, 7, 1, 8, 0, tzinfo=dt.UTC), progress=5.0
    )
    reupload(
        any_engine,
        "XM-001",
        "2025年10月.xlsx",
        dt.datetime(2025, 10, 8, 16, 0, tzinfo=dt.UTC),
        stage="中期检查",
        progress=70.0,
        due=dt.date(2026, 6, 30),
    )

    history = views.project_history(any_engine, Scope(), "XM-001")

    assert history.columns.tolist() == [
        "上传时间（北京时间）",
        "上传文件",
        "上传人",
        "当前阶段",
        "完成进度",
        "计划完成日期",
        "最近更新日期",
    ]
    assert history[
        ["上传时间（北京时间）", "上传文件", "当前阶段", "完成进度", "计划完成日期"]
    ].values.tolist() == [
        ["2025-01-01 17:00:00", "2025年1月.xlsx", "立项", 10.0, "2025-12-31"],
        ["2025-06-01 18:30:00", "2025年6月.xlsx", "培育建设", 50.0, "2025-12-31"],
        ["2025-10-09 00:00:00", "2025年10月.xlsx", "中期检查", 70.0, "2026-06-30"],
    ]


def test_project_history_shows_an_upload_restored_by_a_revert_once(any_engine: Engine) -> None:
    store_rows(any_engine, "institutions", [HENAN])
    first = store_rows(
        any_engine, "projects", [make_project_row(stage="立项", progress=10.0)], file_name="一.xlsx"
    )
    reupload(
        any_engine,
        "XM-2024-001",
        "二.xlsx",
        dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
        stage="培育建设",
        progress=50.0,
    )
    with any_engine.begin() as connection:  # revert: the first upload's values are current again
        connection.execute(update(ProjectRecord).values(upload_id=first, stage="立项", progress=10.0))

    history = views.project_history(any_engine, Scope(), "XM-2024-001")

    assert history[["上传文件", "当前阶段"]].values.tolist() == [["一.xlsx", "立项"]]


@pytest.mark.parametrize(
    ("scope", "project_id", "rows"),
    [
        (Scope(provinces=("河南省",)), "XM-2024-001", 1),  # case: in scope
        (Scope(provinces=("北京市",)), "XM-2024-001", 0),  # case: another province's project is not shown
        (Scope(), "XM-404", 0),  # case: no such project
    ],
)
def test_project_history_respects_the_scope(
    any_engine: Engine, scope: Scope, project_id: str, rows: int
) -> None:
    store_rows(any_engine, "institutions", [HENAN, BEIJING])
    store_rows(any_engine, "projects", [make_project_row()])

    assert len(views.project_history(any_engine, scope, project_id)) == rows

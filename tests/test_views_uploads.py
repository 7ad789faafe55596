"""上传记录: the list of uploads and one upload's details."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, update

from core.formatting import local_time_text
from core.models import Upload
from core.scope import Scope
from core.views.uploads import upload_detail, uploads_frame
from tests.factories import make_institution, make_staffing_row, store_rows

WARNINGS = [
    {
        "sheet": "队伍配备",
        "row": 4,
        "column": "学校名称",
        "code": "name_mismatch",
        "message": "学校名称不一致",
    },
    {"sheet": "队伍配备", "row": None, "column": None, "code": "x", "message": "文件级提示"},
]


def seed_two_uploads(engine: Engine) -> tuple[int, int]:
    first = store_rows(engine, "institutions", [make_institution()], file_name="名录.xlsx")
    second = store_rows(engine, "staffing", [make_staffing_row()], file_name="队伍.xlsx")
    with engine.begin() as connection:
        connection.execute(
            update(Upload)
            .where(Upload.id == second)
            .values(
                created_at=dt.datetime(2025, 3, 1, 16, 30, tzinfo=dt.UTC),
                warnings=WARNINGS,
                updated=0,
                unchanged=0,
                uploader="河南省教育厅 张三",
            )
        )
    return first, second


def test_uploads_are_listed_newest_first_with_chinese_columns(any_engine: Engine) -> None:
    first, second = seed_two_uploads(any_engine)

    frame = uploads_frame(any_engine, Scope())

    assert frame["编号"].tolist() == [second, first]
    newest = frame.iloc[0]
    assert newest["上传时间（北京时间）"] == "2025-03-02 00:30:00"
    assert newest["上传人"] == "河南省教育厅 张三"
    assert newest["文件名"] == "队伍.xlsx"
    assert len(newest["SHA-256（前 12 位）"]) == 12
    assert newest["报表"] == "思政队伍配备情况表"
    assert (newest["行数"], newest["新增"], newest["更新"], newest["未变"]) == (1, 1, 0, 0)
    assert newest["状态"] == "已导入"
    assert frame["警告数"].tolist() == [2, 0]


def test_a_reverted_upload_says_so(any_engine: Engine) -> None:
    upload_id = store_rows(any_engine, "institutions", [make_institution()])
    with any_engine.begin() as connection:
        connection.execute(update(Upload).where(Upload.id == upload_id).values(status="reverted"))

    assert uploads_frame(any_engine, Scope())["状态"].tolist() == ["已撤销"]


def test_no_uploads_gives_an_empty_table_with_the_columns(any_engine: Engine) -> None:
    frame = uploads_frame(any_engine, Scope())

    assert frame.empty
    assert "上传人" in frame.columns


def test_upload_detail_has_its_warnings_as_a_table(any_engine: Engine) -> None:
    _, second = seed_two_uploads(any_engine)

    detail = upload_detail(any_engine, Scope(), second)

    assert detail is not None
    assert detail.form_title == "思政队伍配备情况表"
    assert detail.revertible
    assert detail.warnings[["列", "说明"]].to_dict("records") == [
        {"列": "学校名称", "说明": "学校名称不一致"},
        {"列": "", "说明": "文件级提示"},
    ]
    assert detail.warnings["行"].iloc[0] == 4
    assert detail.warnings["行"].isna().iloc[1]


def test_upload_detail_of_a_missing_upload_is_none(any_engine: Engine) -> None:
    assert upload_detail(any_engine, Scope(), 999) is None


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.UTC), "2025-01-01 17:00:00"),  # case: aware UTC
        (dt.datetime(2025, 1, 1, 20, 0), "2025-01-02 04:00:00"),  # case: naive is UTC, crosses midnight
        (None, ""),  # case: no time (never reverted)
    ],
)
def test_local_time_text(moment: dt.datetime | None, shown: str) -> None:
    assert local_time_text(moment) == shown

"""数据上传 and 上传记录 pages, driven through AppTest on a real SQLite file."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, func, select, update
from streamlit.testing.v1 import AppTest

import core.ingest
from core.models import StaffingReport, Upload
from tests.apptest import metrics_shown, open_app_page, table_with
from tests.factories import make_institution, make_staffing_row, store_rows

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ["学校标识码", "学校名称", "学年", "全日制本专科生数", "全日制研究生数", "专职辅导员数"]
FIRST = ["4141010001", "示例第一大学", "2024-2025", 18000, 2000, 100]
SECOND = ["4141010002", "示例第二大学", "2024-2025", 9000, 0, 50]


def staffing_xlsx(*rows: list[Any]) -> bytes:
    """A 队伍配备 sheet as offices send it: a title row, the header on row 2, data from row 3."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "队伍配备"
    sheet.append(["2024-2025学年思政队伍配备情况"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.fixture
def app_engine(app_engine: Engine) -> Engine:
    """The app's database: two institutions in 高校名录, nothing else."""
    store_rows(
        app_engine,
        "institutions",
        [make_institution(), make_institution(code="4141010002", name="示例第二大学")],
    )
    return app_engine


def upload(app: AppTest, data: bytes, name: str = "队伍配备.xlsx", *, form: str = "staffing") -> AppTest:
    app.text_input(key="upload_uploader_input").input("河南省教育厅 张三").run()
    app.selectbox(key="upload_form_choice").select(form).run()
    app.file_uploader(key="upload_file").set_value((name, data, XLSX_MIME)).run()
    assert not app.exception, [exception.value for exception in app.exception]
    return app


def count(engine: Engine, model: Any) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model)).scalar_one()


def test_preview_counts_new_changed_and_unchanged_rows(app_engine: Engine) -> None:
    stored = make_staffing_row(counselors_ft=90, counselors_pt=0, ideo_teachers=None, psy_teachers=None)
    store_rows(app_engine, "staffing", [stored])
    app = open_app_page("pages/upload.py")

    upload(app, staffing_xlsx(FIRST, SECOND))

    assert metrics_shown(app) == {"新增": "1", "更新": "1", "未变": "0"}
    changes = table_with(app, "原值")
    assert changes.to_dict("records") == [
        {"记录": "4141010001 / 2024-2025", "列": "专职辅导员数", "原值": "90", "新值": "100"}
    ]
    assert any("第 2 行" in markdown.value for markdown in app.markdown)  # the header row used
    assert count(app_engine, StaffingReport) == 1  # nothing stored before confirming


def test_confirm_stores_the_rows_and_says_how_many(app_engine: Engine) -> None:
    app = open_app_page("pages/upload.py")
    upload(app, staffing_xlsx(FIRST, SECOND))

    app.button(key="confirm_store").click().run()

    assert not app.exception
    assert count(app_engine, StaffingReport) == 2
    assert "新增 2" in app.success[0].value
    with app_engine.connect() as connection:
        stored = connection.execute(
            select(Upload.uploader, Upload.file_name).where(Upload.form == "staffing")
        )
        assert stored.all() == [("河南省教育厅 张三", "队伍配备.xlsx")]


def test_bad_file_lists_errors_in_one_table_and_stores_nothing(app_engine: Engine) -> None:
    bad_count = ["4141010002", "示例第二大学", "2024-2025", "九千", 0, 50]
    unknown_school = ["4199999999", "不存在的学校", "2024-2025", 100, 0, 1]
    app = open_app_page("pages/upload.py")

    upload(app, staffing_xlsx(FIRST, bad_count, unknown_school))

    problems = table_with(app, "说明")
    assert list(problems.columns) == ["类型", "行", "列", "单元格", "说明"]
    located = {(row["类型"], row["行"], row["列"]) for row in problems.to_dict("records")}
    assert ("错误", "4", "全日制本专科生数") in located  # the Excel row, as shown on screen
    assert ("错误", "5", "学校标识码") in located
    assert app.button(key="confirm_store").disabled
    assert any("未导入" in error.value for error in app.error)
    assert [button.label for button in app.get("download_button")].count("下载标注错误的副本") == 1
    assert count(app_engine, StaffingReport) == 0


def encrypted(data: bytes) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    output = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt("密码1234", output)
    return output.getvalue()


def sheet_without_header() -> bytes:
    workbook = Workbook()
    workbook.active.append(["请各校于 6 月 30 日前报送"])
    workbook.active.append(["备注", "无"])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"", "empty.xlsx"),  # case: zero bytes
        (b"%PDF-1.7 not a workbook", "report.xlsx"),  # case: not a spreadsheet
        (b"PK\x03\x04 truncated zip", "broken.xlsx"),  # case: corrupt workbook
        (encrypted(staffing_xlsx(FIRST)), "加密.xlsx"),  # case: password-protected workbook
        (sheet_without_header(), "说明.xlsx"),  # case: no recognisable header
        (staffing_xlsx(), "只有表头.xlsx"),  # case: header but no data rows
    ],
)
def test_bad_input_shows_a_chinese_error_stores_nothing_and_the_app_keeps_working(
    app_engine: Engine, data: bytes, name: str
) -> None:
    app = open_app_page("pages/upload.py")

    upload(app, data, name)

    assert app.error, "expected an error message"
    assert all(is_chinese(error.value) for error in app.error)
    assert count(app_engine, Upload) == 1  # only the institutions seeded by the fixture
    upload(app, staffing_xlsx(FIRST), "队伍配备.xlsx")
    assert metrics_shown(app)["新增"] == "1"


def test_a_file_above_the_size_limit_is_refused(app_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAX_UPLOAD_MB", "1")
    app = open_app_page("pages/upload.py")

    upload(app, b"4141010001," * 100_000, "很大的文件.csv")

    assert any("MB" in error.value and is_chinese(error.value) for error in app.error)
    assert count(app_engine, Upload) == 1


def test_automatic_recognition_says_which_form_it_chose(app_engine: Engine) -> None:
    app = open_app_page("pages/upload.py")

    upload(app, staffing_xlsx(FIRST), form="auto")

    assert any("思政队伍配备情况表" in info.value for info in app.info)
    assert metrics_shown(app)["新增"] == "1"


def test_the_file_is_parsed_once_not_on_every_rerun(
    app_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real_check: Callable[..., Any] = core.ingest.check

    def counting_parse(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[3])
        return real_check(*args, **kwargs)

    monkeypatch.setattr(core.ingest, "check", counting_parse)
    app = open_app_page("pages/upload.py")
    upload(app, staffing_xlsx(FIRST))

    app.text_input(key="upload_uploader_input").input("李四").run()
    app.run()

    assert calls == ["队伍配备.xlsx"]


def test_uploader_name_is_needed_before_confirming(app_engine: Engine) -> None:
    app = open_app_page("pages/upload.py")
    app.selectbox(key="upload_form_choice").select("staffing").run()

    app.file_uploader(key="upload_file").set_value(("队伍配备.xlsx", staffing_xlsx(FIRST), XLSX_MIME)).run()

    assert app.button(key="confirm_store").disabled
    assert any("上传人" in caption.value for caption in app.caption)


def test_uploads_page_lists_the_upload_and_reverts_it_after_confirmation(app_engine: Engine) -> None:
    app = open_app_page("pages/upload.py")
    upload(app, staffing_xlsx(FIRST, SECOND))
    app.button(key="confirm_store").click().run()
    assert count(app_engine, StaffingReport) == 2

    app.switch_page("pages/uploads.py").run()
    listing = table_with(app, "上传人")
    assert listing["文件名"].tolist()[0] == "队伍配备.xlsx"
    assert app.button(key="revert_upload").disabled  # not before the confirmation box is ticked
    upload_id = int(listing["编号"].iloc[0])
    app.checkbox(key=f"revert_confirm_{upload_id}").check().run()
    app.button(key="revert_upload").click().run()

    assert not app.exception
    assert count(app_engine, StaffingReport) == 0
    assert "删除 2 行" in app.success[0].value
    assert table_with(app, "上传人")["状态"].tolist()[0] == "已撤销"


def test_a_refused_revert_shows_why(app_engine: Engine) -> None:
    app = open_app_page("pages/upload.py")
    upload(app, staffing_xlsx(FIRST))
    app.button(key="confirm_store").click().run()
    changed = list(FIRST)
    changed[5] = 120
    upload(app, staffing_xlsx(changed), "队伍配备_修订.xlsx")
    app.button(key="confirm_store").click().run()

    app.switch_page("pages/uploads.py").run()
    listing = table_with(app, "上传人")
    first_upload = int(listing.loc[listing["文件名"] == "队伍配备.xlsx", "编号"].iloc[0])
    app.selectbox(key="uploads_selected").select(first_upload).run()
    app.checkbox(key=f"revert_confirm_{first_upload}").check().run()
    app.button(key="revert_upload").click().run()

    assert not app.exception
    assert app.error, "the refusal is shown"
    assert count(app_engine, StaffingReport) == 1


def test_a_file_level_warning_is_shown_in_full_and_its_row_is_empty_not_none(app_engine: Engine) -> None:
    workbook = Workbook()
    for name, rows in (
        ("2023-2024", [["4141010001", "示例第一大学", "2023-2024", 18000, 2000, 100]]),
        ("2024-2025", [FIRST]),
    ):
        sheet = workbook.create_sheet(name)
        sheet.append(HEADERS)
        for row in rows:
            sheet.append(row)
    del workbook["Sheet"]
    output = io.BytesIO()
    workbook.save(output)

    app = upload(open_app_page("pages/upload.py"), output.getvalue())

    assert any("工作表“2024-2025”也有" in warning.value for warning in app.warning)
    problems = table_with(app, "类型")
    assert problems["行"].tolist() == [""]  # a file-level warning: no row


def test_upload_times_are_beijing_time_on_a_host_in_another_time_zone(
    app_engine: Engine, host_in_new_york: None
) -> None:
    upload_id = store_rows(app_engine, "staffing", [make_staffing_row()], file_name="队伍配备.xlsx")
    with app_engine.begin() as connection:
        connection.execute(
            update(Upload)
            .where(Upload.id == upload_id)
            .values(created_at=dt.datetime(2025, 3, 1, 16, 30, tzinfo=dt.UTC))
        )

    app = open_app_page("pages/uploads.py")

    listing = table_with(app, "上传人")
    assert listing.loc[listing["编号"] == upload_id, "上传时间（北京时间）"].tolist() == [
        "2025-03-02 00:30:00"
    ]
    assert any("上传时间：2025-03-02 00:30:00" in markdown.value for markdown in app.markdown)


def test_a_revert_without_its_time_says_so_in_words(app_engine: Engine) -> None:
    upload_id = store_rows(app_engine, "staffing", [make_staffing_row()], file_name="队伍配备.xlsx")
    with app_engine.begin() as connection:
        connection.execute(
            update(Upload).where(Upload.id == upload_id).values(status="reverted", reverted_at=None)
        )

    app = open_app_page("pages/uploads.py")

    assert any("这次上传已于 此前 撤销" in info.value for info in app.info), [info.value for info in app.info]

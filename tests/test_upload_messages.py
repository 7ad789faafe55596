"""Upload messages a school can act on: whom to contact, the numbers compared, the new rows
by name, and whether the school now meets each staffing standard."""

from __future__ import annotations

from sqlalchemy import Engine

from core.forms import get_form
from tests.apptest import open_app_page, table_with
from tests.factories import make_screening_row
from tests.test_upload_page import FIRST, SECOND, app_engine, staffing_xlsx, upload  # noqa: F401


def test_referred_above_flagged_gives_both_numbers() -> None:
    rule = next(rule for rule in get_form("screening").rules if rule.code == "referred_exceeds_flagged")
    row = make_screening_row(referred=40, high=5, medium=10, watch=15)

    assert rule.describe(row).endswith("（转介就医 40 人，预警人数合计 30 人）")


def test_unknown_school_is_told_whom_to_contact(app_engine: Engine) -> None:  # noqa: F811
    app = open_app_page("pages/upload.py")

    upload(app, staffing_xlsx(["4141019999", "新设学院", "2024-2025", 3000, 0, 10]))

    notes = " ".join(table_with(app, "说明")["说明"])
    assert "联系省级教育主管部门" in notes and "先在高校名录中添加该校" not in notes


def test_preview_lists_new_rows_and_a_stored_staffing_file_says_which_standards_are_met(
    app_engine: Engine,  # noqa: F811
) -> None:
    app = open_app_page("pages/upload.py")
    upload(app, staffing_xlsx(FIRST, SECOND))

    assert table_with(app, "记录", without="列")["学校名称"].tolist() == ["示例第一大学", "示例第二大学"]

    app.button(key="confirm_store").click().run()

    met = table_with(app, "辅导员达标情况")
    assert met["学校名称"].tolist() == ["示例第一大学", "示例第二大学"]
    # 20,000 students / 100 counselors meets 1:200; 9,000 / 50 = 1:180 meets it too
    assert met["辅导员达标情况"].tolist() == ["达标", "达标"]
    assert met["辅导员缺口"].tolist() == [0, 0]

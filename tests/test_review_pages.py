"""报送审核 and 督办 pages under AppTest, signed in as the stub in pages/_shared.py reads it."""

from __future__ import annotations

import datetime as dt
import os

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from core.accounts.roles import Account
from core.accounts.signin import start_session
from core.db import make_engine
from core.formdefs.registry import add_definition
from core.review.cases import open_case, reply
from core.review.evidence import staffing_finding
from core.review.submissions import approve, return_submission
from core.text import md_escape
from pages._shared import TOKEN_KEY
from tests.accounts_helpers import fast_hashes  # noqa: F401 — cheap hashes for make_user
from tests.apptest import APP_PATH, metrics_shown, table_with
from tests.factories import make_project_row, make_screening_row, store_rows
from tests.review_helpers import SCHOOL, YEAR, seed_schools, stored_students, upload_staffing, users
from tests.test_cases_forms import store_duty
from tests.test_formdefs_pages import DUTY


def tables_with(app: AppTest, column: str) -> list[pd.DataFrame]:
    return [element.value for element in app.dataframe if column in element.value.columns]


def open_as(page_path: str, account: Account) -> AppTest:
    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(str(APP_PATH), default_timeout=60)
    engine = make_engine(os.environ["DATABASE_URL"])
    app.session_state[TOKEN_KEY] = start_session(engine, account=account)  # signed in as the form leaves it
    engine.dispose()
    app.run()
    app.switch_page(page_path).run()
    assert not app.exception, [exception.value for exception in app.exception]
    return app


def _students_shown(account: Account) -> str:
    return metrics_shown(open_as("pages/staffing.py", account))["全日制学生总数"]


def test_the_loop_on_the_pages(app_engine: Engine) -> None:
    seed_schools(app_engine)
    accounts = users(app_engine)
    assert _students_shown(accounts["province"]) == "23,000"

    upload_staffing(app_engine, accounts["school"], 19_000)
    app = open_as("pages/review.py", accounts["province"])
    changes = table_with(app, "原值")
    assert changes.to_dict("records") == [
        {
            "学校名称": "示例第一大学",
            "记录": f"{SCHOOL} / {YEAR}",
            "列": "全日制本专科生数",
            "原值": "23000",
            "新值": "19000",
        }
    ]
    app.text_area(key="review_comment").input("本科生数请核对").run()
    app.button(key="review_return").click().run()
    assert not app.exception
    assert app.success[0].value.startswith("已退回")
    assert _students_shown(accounts["province"]) == "23,000"

    school_view = open_as("pages/review.py", accounts["school"])
    school_view.segmented_control(key="review_status").set_value("已退回").run()
    assert table_with(school_view, "审核意见")["审核意见"].tolist() == ["本科生数请核对"]
    assert not [button for button in school_view.button if button.key == "review_approve"]

    upload_staffing(app_engine, accounts["school"], 19_000)
    app = open_as("pages/review.py", accounts["province"])
    app.button(key="review_approve").click().run()
    assert app.success[0].value.startswith("已通过")
    assert stored_students(app_engine) == 19_000
    assert _students_shown(accounts["province"]) == "19,000"


def test_reviews_outside_the_limits_are_not_listed(app_engine: Engine) -> None:
    seed_schools(app_engine)
    accounts = users(app_engine)
    upload_staffing(app_engine, accounts["school"], 19_000)

    app = open_as("pages/review.py", accounts["jiangsu"])

    assert not tables_with(app, "审核意见")  # an empty list is a sentence, not a table
    assert [box.key for box in app.selectbox if box.key == "review_chosen"] == []


def test_a_case_from_the_staffing_page_to_the_institution_reply(app_engine: Engine) -> None:
    seed_schools(app_engine)
    accounts = users(app_engine)
    staffing = open_as("pages/staffing.py", accounts["province"])
    staffing.text_area(key="case_note").input("请限期整改").run()
    staffing.button(key="case_open").click().run()
    assert not staffing.exception
    assert "已发起督办" in staffing.success[0].value

    cases = open_as("pages/cases.py", accounts["province"])
    listed = table_with(cases, "督办指标")
    assert listed[["学校名称", "状态", "督办时数值"]].to_dict("records") == [
        {"学校名称": "示例第一大学", "状态": "督办中", "督办时数值": "师生比 1:230.0，缺口 15 人"}
    ]
    assert metrics_shown(cases)["增量"] == "1"

    school = open_as("pages/cases.py", accounts["school"])
    school.text_area(key="case_measures").input("招聘 15 名专职辅导员")
    school.button(key="case_reply_submit").click().run()
    assert not school.exception
    assert table_with(school, "督办指标")["状态"].tolist() == ["已反馈"]
    assert not tables_with(open_as("pages/cases.py", accounts["jiangsu"]), "督办指标")


def test_an_open_case_reads_met_after_an_approved_upload(app_engine: Engine) -> None:
    seed_schools(app_engine)
    accounts = users(app_engine)
    finding = staffing_finding(app_engine, SCHOOL, YEAR, "counselors")
    open_case(app_engine, finding, deadline=dt.date(2026, 3, 31), note=None, account=accounts["province"])
    submission = upload_staffing(app_engine, accounts["school"], 19_000)
    approve(app_engine, submission, actor="province")
    app = open_as("pages/cases.py", accounts["province"])

    assert table_with(app, "督办指标")["数据核验"].tolist() == ["数据已达标，可销号"]
    assert any("数据已达标，可销号" in message.value for message in app.success)


def test_cases_open_from_an_overdue_project_and_a_screening_follow_up(app_engine: Engine) -> None:
    seed_schools(app_engine)
    accounts = users(app_engine)
    store_rows(app_engine, "projects", [make_project_row(due=dt.date(2025, 6, 30), stage="培育建设")])
    store_rows(app_engine, "screening", [make_screening_row(year=YEAR, interviewed=100)])

    projects = open_as("pages/projects.py", accounts["province"])
    projects.button(key="project_case_open").click().run()
    screening = open_as("pages/screening.py", accounts["province"])
    screening.button(key="screening_case_open").click().run()
    assert not projects.exception and not screening.exception

    listed = table_with(open_as("pages/cases.py", accounts["province"]), "督办指标")
    assert sorted(listed["督办指标"]) == ["心理筛查约谈评估", "重点项目逾期"]


def test_the_institution_sees_a_returned_upload_and_its_comment_on_its_records(app_engine: Engine) -> None:
    seed_schools(app_engine)
    accounts = users(app_engine)
    returned = upload_staffing(app_engine, accounts["school"], 19_000)
    return_submission(app_engine, returned, actor="province", comment="本科生数请核对")

    records = open_as("pages/uploads.py", accounts["school"])
    profile = open_as("pages/profile.py", accounts["school"])
    profile.selectbox(key="profile_code").set_value(SCHOOL).run()
    for app in (records, profile):
        shown = table_with(app, "审核意见")
        assert shown[["状态", "审核意见"]].to_dict("records") == [
            {"状态": "已退回", "审核意见": "本科生数请核对"}
        ]
    other_province = open_as("pages/uploads.py", accounts["jiangsu"])
    assert not [frame for frame in other_province.dataframe if "审核意见" in frame.value.columns]


def test_a_case_from_a_form_indicator_row_reads_met_after_a_newer_approved_row(app_engine: Engine) -> None:
    seed_schools(app_engine)
    accounts = users(app_engine)
    add_definition(app_engine, DUTY)
    store_duty(app_engine, 16)  # 值班完成率 80%, the standard >= 90

    school = open_as("pages/indicator_form.py", accounts["school"])
    school.selectbox(key="indicator_form").select("duty").run()
    assert not [button for button in school.button if button.key == "indicator_case_open"]
    page = open_as("pages/indicator_form.py", accounts["province"])
    page.selectbox(key="indicator_form").select("duty").run()
    shortfalls = table_with(page, "未达标指标")
    assert shortfalls[["学校名称", "学年", "未达标指标", "值班完成率达标情况"]].to_dict("records") == [
        {"学校名称": "示例第一大学", "学年": YEAR, "未达标指标": "值班完成率", "值班完成率达标情况": "未达标"}
    ]
    page.text_area(key="indicator_case_note").input("请按期补齐值班").run()
    page.button(key="indicator_case_open").click().run()
    assert not page.exception
    assert "已发起督办" in page.success[0].value

    listed = table_with(open_as("pages/cases.py", accounts["province"]), "督办指标")
    columns = ["督办指标", "对象", "督办时数值", "标准", "标准依据"]
    assert listed["数据核验"].isna().all()
    assert listed[columns].to_dict("records") == [
        {
            "督办指标": "值班完成率",
            "对象": YEAR,
            "督办时数值": "值班完成率 80.0%",
            "标准": "值班完成率不低于 90%",
            "标准依据": "某文件 第三条",
        }
    ]
    store_duty(app_engine, 19)  # a newer approved row: 95%
    cases = open_as("pages/cases.py", accounts["province"])
    assert table_with(cases, "督办指标")["数据核验"].tolist() == ["数据已达标，可销号"]
    assert any("值班完成率 95.0%，达标" in message.value for message in cases.success)


def test_an_institution_reply_is_shown_as_text(app_engine: Engine) -> None:
    seed_schools(app_engine)
    accounts = users(app_engine)
    finding = staffing_finding(app_engine, SCHOOL, YEAR, "counselors")
    case_id = open_case(
        app_engine, finding, deadline=dt.date(2026, 3, 31), note=None, account=accounts["province"]
    )
    measures = "[整改方案](javascript:alert(1)) ![x](http://127.0.0.1:9/t.png)"
    reply(
        app_engine, case_id, measures=measures, expected_date=dt.date(2026, 3, 1), account=accounts["school"]
    )

    app = open_as("pages/cases.py", accounts["province"])

    (shown,) = [message.value for message in app.info if message.value.startswith("学校反馈")]
    assert md_escape(measures) in shown

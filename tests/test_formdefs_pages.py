"""The 表单管理 and 专项指标 pages under AppTest: a brand-new definition is written in the page,
checked (a bad one refused with its line), saved, then its data shown with tiles and the table."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from core.ingest import import_bytes
from core.models import FormDefinitionVersion
from tests.apptest import open_app_page
from tests.factories import make_institution, store_rows

DUTY = """\
name = "duty"
title = "值班情况"
sheet = "值班"
period = "year"

[[field]]
key = "days"
header = "值班天数"
kind = "count"

[[field]]
key = "planned"
header = "计划值班天数"
kind = "count"

[[indicator]]
key = "rate"
header = "值班完成率"
expr = "days / planned"
format = "percent"
standard = ">= 90"
source = "某文件 第三条"
"""


def _count(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(FormDefinitionVersion)).scalar_one()


def test_an_official_adds_a_form_in_the_page(app_engine: Engine) -> None:
    app = open_app_page("pages/forms_admin.py")

    app.text_area(key="forms_admin_text").input(DUTY.replace('kind = "count"', 'kind = "integer"', 1)).run()
    assert "第 9 行" in app.error[0].value and "integer" in app.error[0].value
    assert _count(app_engine) == 0

    app.text_area(key="forms_admin_text").input(DUTY).run()
    assert "值班天数" in app.dataframe[1].value["列名"].tolist()
    app.button(key="forms_admin_save").click().run()

    assert not app.exception
    assert any("第 1 版" in message.value for message in app.success)
    assert _count(app_engine) == 1


def test_the_indicator_page_shows_the_form_in_scope(app_engine: Engine) -> None:
    store_rows(
        app_engine,
        "institutions",
        [make_institution(), make_institution(code="4132010002", name="苏二", province="江苏省")],
    )
    from core.formdefs.registry import add_definition

    add_definition(app_engine, DUTY)
    data = "学校标识码,学年,值班天数,计划值班天数\n4141010001,2024-2025,19,20\n4132010002,2024-2025,8,10\n"
    assert import_bytes(app_engine, "duty", data.encode(), "duty.csv").accepted

    app = open_app_page("pages/indicator_form.py", year="2024-2025")  # the rows' 学年
    app.selectbox(key="indicator_form").select("duty").run()

    assert not app.exception
    assert [(metric.label, metric.value) for metric in app.metric] == [("值班完成率 达标率", "50.0%")]
    frame = app.dataframe[0].value
    assert frame["值班完成率"].tolist() == [80.0, 95.0]  # numbers on screen, formatted as % (issue 16)
    assert frame["值班完成率达标情况"].tolist() == ["未达标", "达标"]


def test_the_upload_page_takes_a_form_declared_as_data(app_engine: Engine) -> None:
    store_rows(app_engine, "institutions", [make_institution()])
    from core.formdefs.registry import add_definition

    add_definition(app_engine, DUTY)
    app = open_app_page("pages/upload.py")
    app.text_input(key="upload_uploader_input").input("河南省教育厅 张三").run()
    app.selectbox(key="upload_form_choice").select("duty").run()
    data = "学校标识码,学年,值班天数,计划值班天数\n4141010001,2024-2025,19,20\n".encode()
    app.file_uploader(key="upload_file").set_value(("值班.csv", data, "text/csv")).run()
    app.button(key="confirm_store").click().run()

    assert not app.exception, [exception.value for exception in app.exception]
    assert any("值班情况" in message.value for message in app.success)


def test_the_reporting_page_counts_the_forms_declared_as_data(app_engine: Engine) -> None:
    store_rows(
        app_engine, "institutions", [make_institution(), make_institution(code="4141010002", name="豫二")]
    )
    from core.formdefs.registry import add_definition
    from core.scope import Scope
    from core.views.indicators import reporting_frame

    add_definition(app_engine, DUTY)
    data = "学校标识码,学年,值班天数,计划值班天数\n4141010001,2024-2025,19,20\n"
    assert import_bytes(app_engine, "duty", data.encode(), "duty.csv").accepted

    frame = reporting_frame(app_engine, Scope(year="2024-2025"))

    duty = frame[frame["表单"] == "值班情况"].iloc[0]
    assert (duty["已报学校数"], duty["未报学校数"], duty["报送率"]) == (1, 1, "50.0%")


def test_an_official_uploads_a_definition_file_in_the_page(app_engine: Engine) -> None:
    app = open_app_page("pages/forms_admin.py")

    app.file_uploader(key="forms_admin_file").set_value(
        ("duty.toml", DUTY.encode(), "application/toml")
    ).run()
    app.button(key="forms_admin_save").click().run()

    assert not app.exception, [exception.value for exception in app.exception]
    assert any("值班情况" in message.value and "第 1 版" in message.value for message in app.success)
    assert _count(app_engine) == 1


def test_saving_and_retiring_a_form_definition_is_in_the_audit_log(app_engine: Engine) -> None:
    import json

    from core.accounts.audit import AuditKind, read_audit
    from core.formdefs.registry import add_definition, retire_form

    add_definition(app_engine, DUTY, by="管理员甲")
    retire_form(app_engine, "duty", by="管理员甲")

    records = read_audit(app_engine, kind=AuditKind.SETTINGS)
    details = [json.loads(detail) for detail in records["detail"]]
    assert records["actor"].tolist() == ["管理员甲", "管理员甲"]
    assert [(detail["action"], detail["form"], detail["version"]) for detail in details] == [
        ("保存", "duty", 1),
        ("停用", "duty", 2),
    ]


def _edits(*rows: dict) -> dict:
    """A data editor's edit state with ``rows`` added (what the browser sends after typing them)."""
    return {"edited_rows": {}, "added_rows": list(rows), "deleted_rows": []}


def test_an_official_fills_the_editor_for_a_new_form_and_saves_it(app_engine: Engine) -> None:
    app = open_app_page("pages/forms_admin.py")
    app.text_input(key="forms_editor_name:new").input("risk_check")
    app.text_input(key="forms_editor_title:new").input("风险排查情况表")
    app.text_input(key="forms_editor_sheet:new").input("风险排查")
    app.radio(key="forms_editor_period:new").set_value("term")
    app.session_state["forms_editor_fields:new"] = _edits(
        {"key": "found", "header": "发现隐患数", "kind": "count", "min": 0},
        {"key": "fixed", "header": "已整改隐患数", "kind": "count", "aliases": "整改数、已整改数"},
    )
    rate = {"key": "fix_rate", "header": "隐患整改率", "expr": "fixed / found", "format": "percent"}
    app.session_state["forms_editor_indicators:new"] = _edits(rate | {"standard": ">= 90"})
    app.run()

    assert any("指标表第 1 行" in error.value and "source" in error.value for error in app.error)
    assert _count(app_engine) == 0

    app.session_state["forms_editor_indicators:new"] = _edits(
        rate | {"standard": ">= 90", "source": "某文件 第十七条"}
    )
    app.run()
    preview = app.dataframe[-2].value  # the template's columns, then the indicators
    assert preview["列名"].tolist() == [
        "学校标识码",
        "学校名称",
        "学年",
        "学期",
        "发现隐患数",
        "已整改隐患数",
    ]
    app.button(key="forms_editor_save").click().run()

    assert not app.exception, [exception.value for exception in app.exception]
    assert any("风险排查情况表" in message.value and "第 1 版" in message.value for message in app.success)
    assert _count(app_engine) == 1
    app.run()
    assert "risk_check" in app.dataframe[0].value["名称"].tolist()

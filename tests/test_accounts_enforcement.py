"""The limits below the UI: every view and export at core level, uploads outside the limits
(page and core), reverts, settings changes, lockout through the page, and an audit record for
each kind of event."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from core.accounts.audit import AuditKind, read_audit
from core.accounts.limits import effective_scope, limits_for
from core.accounts.roles import Account
from core.accounts.settings import NotAllowed, change_deadlines, change_standards
from core.deadlines import periods_of_year
from core.export import export_frame
from core.ingest import RevertRefused, check, commit, institution_names, revert_upload
from core.models import StaffingReport
from core.profile_export import InstitutionNotFound, profile_workbook
from core.queries.base import count_institutions
from core.scope import Scope
from core.standards import DEFAULT_STANDARDS
from core.views import completeness, overview, profile, projects, screening, staffing, uploads
from tests.accounts_helpers import fast_hashes, make_user  # noqa: F401  (fixture)
from tests.apptest import TEST_PASSWORD, app_user, open_app_page
from tests.factories import YEAR
from tests.test_accounts_pages import ELSEWHERE, HIDDEN, NEIGHBOUR, OWN, three_schools
from tests.test_upload_page import FIRST, staffing_xlsx, upload

TODAY = dt.date(2025, 11, 30)
PLACES = {
    "admin": {"role": "admin"},
    "province": {"role": "province", "province": "河南省"},
    "viewer": {"role": "viewer", "province": "河南省"},
    "institution": {"role": "institution", "institution": OWN[0]},
}


def account(engine: Engine, role: str) -> Account:
    return make_user(engine, name=f"u-{role}", **PLACES[role])


def text_of(value: Any) -> str:
    """Every frame, mapping or text inside ``value`` (a view's result) as one text."""
    if isinstance(value, pd.DataFrame):
        return value.to_csv()
    if isinstance(value, dict):
        return "\n".join(f"{key} {text_of(item)}" for key, item in value.items())
    if isinstance(value, list | tuple | set):
        return "\n".join(text_of(item) for item in value)
    if hasattr(value, "__dataclass_fields__"):
        return text_of({name: getattr(value, name) for name in value.__dataclass_fields__})
    return str(value)


def every_view(engine: Engine, scope: Scope, limits: Any) -> str:
    period = periods_of_year("2024-2025")[0]
    results = [
        overview.overview_page(engine, scope, TODAY),
        staffing.staffing_page(engine, scope),
        staffing.export_frame(engine, scope),
        staffing.group_table(engine, scope, "level"),
        screening.screening_page(engine, scope, term=None, kind=None, coverage_line=0.95),
        screening.export_frame(engine, scope, mask_small=True),
        projects.export_frame(engine, scope, TODAY),
        completeness.completeness_page(engine, scope, period, TODAY)
        if count_institutions(engine, scope)
        else "",
        completeness.missing_frame(engine, scope, "staffing"),
        profile.institution_choices(engine, scope),
        uploads.uploads_frame(engine, scope, limits),
        *(
            export_frame(engine, form, scope)
            for form in ("institutions", "staffing", "screening", "projects")
        ),
    ]
    return "\n".join(text_of(result) for result in results)


@pytest.mark.parametrize("role", list(PLACES))
def test_every_view_and_export_reads_only_inside_the_limits(engine: Engine, role: str) -> None:
    three_schools(engine)
    user = account(engine, role)
    for chosen in (Scope(year="2024-2025"), Scope(year="2024-2025", provinces=("江苏省",))):
        scope = effective_scope(chosen, limits_for(user))

        text = every_view(engine, scope, limits_for(user))

        leaked = sorted(value for value in HIDDEN[role] if value in text)
        assert not leaked, f"{role} with {chosen} reads {leaked}"
    own_scope = effective_scope(Scope(year="2024-2025"), limits_for(user))
    assert OWN[1] in every_view(engine, own_scope, limits_for(user))


@pytest.mark.parametrize("role", ["province", "institution"])
def test_the_profile_export_refuses_a_school_outside_the_limits(engine: Engine, role: str) -> None:
    three_schools(engine)
    scope = effective_scope(Scope(), limits_for(account(engine, role)))

    assert profile_workbook(engine, OWN[0], TODAY, scope)
    with pytest.raises(InstitutionNotFound):
        profile_workbook(engine, ELSEWHERE[0], TODAY, scope)


def staffing_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(StaffingReport)).scalar_one()


def test_an_institution_upload_with_another_schools_row_is_rejected_and_stores_nothing(
    engine: Engine,
) -> None:
    three_schools(engine)
    before = staffing_rows(engine)
    school = account(engine, "institution")
    other = [NEIGHBOUR[0], NEIGHBOUR[1], "2023-2024", 100, 0, 1]
    data = staffing_xlsx([*FIRST[:2], "2023-2024", *FIRST[3:]], other)

    preview = check(
        engine, "staffing", data, "x.xlsx", institutions=institution_names(engine), account=school
    )
    report = commit(engine, preview, uploader="x", account=school)

    outside = [issue for issue in preview.parsed.errors if issue.code == "outside_scope"]
    assert [(issue.row, issue.column, issue.message) for issue in outside] == [
        (4, "学校标识码", f"只能报送本校数据：第 4 行的学校标识码 {NEIGHBOUR[0]} 不是本校")
    ]
    assert not report.stored
    assert staffing_rows(engine) == before


def test_a_viewer_cannot_upload_even_at_core_level(engine: Engine) -> None:
    three_schools(engine)
    data = staffing_xlsx([*FIRST[:2], "2023-2024", *FIRST[3:]])
    viewer = account(engine, "viewer")

    preview = check(
        engine, "staffing", data, "x.xlsx", institutions=institution_names(engine), account=viewer
    )

    assert not preview.accepted
    assert "不能上传" in preview.parsed.errors[0].message


def test_the_upload_page_rejects_another_schools_row_for_an_institution_user(app_engine: Engine) -> None:
    three_schools(app_engine)
    before = staffing_rows(app_engine)
    app = open_app_page("pages/upload.py", role="institution", name="测试校级", institution=OWN[0])

    upload(app, staffing_xlsx([NEIGHBOUR[0], NEIGHBOUR[1], "2023-2024", 100, 0, 1]))

    assert app.button(key="confirm_store").disabled
    assert any(f"学校标识码 {NEIGHBOUR[0]} 不是本校" in frame.value.to_csv() for frame in app.dataframe)
    assert staffing_rows(app_engine) == before


def test_reverts_only_inside_the_limits(engine: Engine) -> None:
    three_schools(engine)
    school = account(engine, "institution")
    frame = uploads.uploads_frame(engine, Scope(), limits_for(school))
    own = [int(number) for number in frame["编号"]]
    every = [int(number) for number in uploads.uploads_frame(engine, Scope())["编号"]]
    others = sorted(set(every) - set(own))

    with pytest.raises(RevertRefused, match="权限范围以外"):
        revert_upload(engine, others[-1], account=school)
    with pytest.raises(RevertRefused, match="权限范围以外"):
        revert_upload(engine, own[0], account=account(engine, "viewer"))
    assert revert_upload(engine, own[0], account=school).upload_id == own[0]


@pytest.mark.parametrize("role", ["province", "viewer", "institution"])
def test_standards_and_deadlines_change_only_for_an_administrator(engine: Engine, role: str) -> None:
    three_schools(engine)
    user = account(engine, role)
    period = periods_of_year("2024-2025")[0]

    with pytest.raises(NotAllowed):
        change_standards(engine, user, DEFAULT_STANDARDS)
    with pytest.raises(NotAllowed):
        change_deadlines(engine, user, {period: dt.date(2025, 12, 15)})
    admin = account(engine, "admin")
    change_deadlines(engine, admin, {period: dt.date(2025, 12, 15)})
    change_standards(engine, admin, None)


def test_five_wrong_passwords_through_the_page_lock_the_name(app_engine: Engine) -> None:
    app_user("locked", "admin")
    app = open_app_page("pages/overview.py", role=None)

    for _ in range(5):
        app.text_input(key="sign_in_name").input("locked")
        app.text_input(key="sign_in_password").input("wrong password")
        app.button[0].click().run()
        assert app.error[0].value == "用户名或密码错误"
    app.text_input(key="sign_in_password").input(TEST_PASSWORD)
    app.button[0].click().run()

    assert app.error[0].value == "尝试次数过多，请 15 分钟后再试"
    assert not app.dataframe and not app.metric


def test_signing_in_and_out_through_the_page(app_engine: Engine) -> None:
    three_schools(app_engine)
    app_user("someone", "province", province="河南省")
    app = open_app_page("pages/overview.py", role=None)

    app.text_input(key="sign_in_name").input("someone")
    app.text_input(key="sign_in_password").input(TEST_PASSWORD)
    app.button[0].click().run()
    assert app.metric, "signed in: the overview's tiles"
    app.sidebar.button(key="sign_out").click().run()

    assert [field.label for field in app.text_input] == ["用户名", "密码"]
    assert not app.metric
    kinds = read_audit(app_engine, actor="someone")["kind"].tolist()
    assert kinds == ["sign_in", "sign_out"]


def test_an_audit_record_for_each_kind_of_event(app_engine: Engine) -> None:
    three_schools(app_engine)
    admin = account(app_engine, "admin")
    period = periods_of_year("2024-2025")[0]
    change_deadlines(app_engine, admin, {period: dt.date(2025, 12, 20)})
    app = open_app_page("pages/upload.py")
    upload(app, staffing_xlsx([*FIRST[:2], "2023-2024", *FIRST[3:]]))
    app.button(key="confirm_store").click().run()
    stored = int(
        read_audit(app_engine, kind=AuditKind.UPLOAD)["detail"].map(json.loads).iloc[-1]["upload_id"]
    )
    revert_upload(app_engine, stored, account=admin)
    users = app.switch_page("pages/users.py").run()
    users.text_input(key="user_add_name").input("new-user")
    users.text_input(key="user_add_password").input("a long password")
    users.button[0].click().run()

    kinds = set(read_audit(app_engine)["kind"])

    assert {"user", "settings", "upload", "revert"} <= kinds
    exports = read_audit(app_engine, kind=AuditKind.EXPORT)
    assert exports.empty  # nothing downloaded yet: the CSV hook records on the click


def test_a_csv_download_is_recorded_with_what_scope_and_rows(
    app_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.runtime.media_file_manager import MediaFileManager

    files = {}
    register = MediaFileManager.add_deferred

    def record(self: MediaFileManager, data: Any, *args: Any, **kwargs: Any) -> str:
        files[kwargs["file_name"]] = data
        return register(self, data, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    three_schools(app_engine)
    open_app_page("pages/staffing.py", year=YEAR, role="province")

    made = next(make for name, make in files.items() if name.startswith("辅导员配备_") and "全表" not in name)
    made()

    records = read_audit(app_engine, kind=AuditKind.EXPORT)
    detail = json.loads(records["detail"].iloc[-1])
    assert records["actor"].iloc[-1] == "测试省级"
    assert detail["what"] == "辅导员配备" and detail["rows"] == 2 and "河南省" in detail["scope"]


def test_a_rejected_row_does_not_quote_the_other_schools_registry_name(engine: Engine) -> None:
    three_schools(engine)
    school = account(engine, "institution")
    data = staffing_xlsx([NEIGHBOUR[0], "随便写的名字", "2023-2024", 100, 0, 1])

    preview = check(
        engine, "staffing", data, "x.xlsx", institutions=institution_names(engine), account=school
    )

    messages = " ".join(issue.message for issue in preview.parsed.issues)
    assert "不是本校" in messages
    assert NEIGHBOUR[1] not in messages


def test_the_users_page_resets_a_password_and_disables_a_user(app_engine: Engine) -> None:
    app_user("someone", "viewer", province="河南省")
    app = open_app_page("pages/users.py")

    app.selectbox(key="user_passwd_name").select("someone")
    app.text_input(key="user_passwd_password").input("another password")
    app.button[1].click().run()
    app.selectbox(key="user_disable_name").select("someone")
    app.checkbox(key="user_disable_confirm").check()
    app.button[2].click().run()

    table = app.dataframe[0].value
    assert table.set_index("用户名").loc["someone", "状态"] == "已停用"
    actions = [
        json.loads(detail)["action"] for detail in read_audit(app_engine, kind=AuditKind.USER)["detail"]
    ]
    assert actions[-2:] == ["passwd", "disable"]


def test_a_command_line_upload_is_recorded(engine: Engine) -> None:
    from core.ingest import import_bytes

    three_schools(engine)
    import_bytes(engine, "staffing", staffing_xlsx([*FIRST[:2], "2023-2024", *FIRST[3:]]), "cli.xlsx")

    (record,) = read_audit(engine, kind=AuditKind.UPLOAD).itertuples()
    assert record.actor == "命令行" and json.loads(record.detail)["file"] == "cli.xlsx"

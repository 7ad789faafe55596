"""A user's limits below the UI: scope intersection, upload row checks, revert and settings rights."""

from __future__ import annotations

import pytest

from core.accounts.limits import (
    OUTSIDE_LIMITS,
    Limits,
    Setting,
    check_upload_rows,
    effective_scope,
    limits_for,
    may_change_settings,
    may_revert,
    may_upload,
)
from core.accounts.roles import Account, Role
from core.accounts.uploads import upload_scope_issues
from core.ingest.report import ParsedFile
from core.scope import Scope

HENAN_SCHOOL, OTHER_HENAN_SCHOOL, JIANGSU_SCHOOL = "4141010001", "4141010002", "4132010001"
REGISTRY = {HENAN_SCHOOL: "河南省", OTHER_HENAN_SCHOOL: "河南省", JIANGSU_SCHOOL: "江苏省"}

ADMIN = Account(id=1, name="admin", role=Role.ADMIN)
PROVINCE = Account(id=2, name="henan", role=Role.PROVINCE, province="河南省")
VIEWER = Account(id=3, name="look", role=Role.VIEWER, province="河南省")
SCHOOL = Account(id=4, name="school", role=Role.INSTITUTION, province="河南省", institution_code=HENAN_SCHOOL)
NOTHING = (OUTSIDE_LIMITS,)


def test_limits_follow_the_role() -> None:
    assert limits_for(ADMIN) == Limits()
    assert limits_for(PROVINCE) == limits_for(VIEWER) == Limits(provinces=("河南省",))
    assert limits_for(SCHOOL) == Limits(codes=(HENAN_SCHOOL,))


@pytest.mark.parametrize(
    ("account", "chosen", "expected"),
    [
        # admin: no limit, the choice as made
        (ADMIN, Scope(), Scope()),  # case: admin, nothing chosen
        (ADMIN, Scope(provinces=("江苏省",), codes=(JIANGSU_SCHOOL,)), Scope(provinces=("江苏省",), codes=(JIANGSU_SCHOOL,))),
        # province and viewer: their province
        (PROVINCE, Scope(year="2024-2025"), Scope(year="2024-2025", provinces=("河南省",))),  # case: nothing chosen
        (PROVINCE, Scope(provinces=("河南省",)), Scope(provinces=("河南省",))),  # case: its own province chosen
        (PROVINCE, Scope(provinces=("江苏省",)), Scope(provinces=NOTHING)),  # case: another province → nothing
        (PROVINCE, Scope(provinces=("河南省", "江苏省")), Scope(provinces=("河南省",))),  # case: own + other
        (VIEWER, Scope(levels=("本科",)), Scope(provinces=("河南省",), levels=("本科",))),  # case: other filters kept
        (VIEWER, Scope(provinces=("江苏省",)), Scope(provinces=NOTHING)),  # case: viewer, another province
        # a profile of another province's school: the province filter leaves nothing
        (PROVINCE, Scope(codes=(JIANGSU_SCHOOL,)), Scope(provinces=("河南省",), codes=(JIANGSU_SCHOOL,))),
        # institution: its own school only
        (SCHOOL, Scope(), Scope(codes=(HENAN_SCHOOL,))),  # case: nothing chosen
        (SCHOOL, Scope(codes=(HENAN_SCHOOL,)), Scope(codes=(HENAN_SCHOOL,))),  # case: its own profile
        (SCHOOL, Scope(codes=(OTHER_HENAN_SCHOOL,)), Scope(codes=NOTHING)),  # case: another school → nothing
        (SCHOOL, Scope(provinces=("江苏省",)), Scope(provinces=("江苏省",), codes=(HENAN_SCHOOL,))),  # case: no row
        (SCHOOL, Scope(year="2023-2024", ownerships=("民办",)), Scope(year="2023-2024", ownerships=("民办",), codes=(HENAN_SCHOOL,))),
    ],
)  # fmt: skip
def test_the_scope_is_the_choice_intersected_with_the_limits_never_wider(
    account: Account, chosen: Scope, expected: Scope
) -> None:
    assert effective_scope(chosen, limits_for(account)) == expected


def test_nothing_is_a_value_no_row_has() -> None:
    assert OUTSIDE_LIMITS not in REGISTRY
    assert OUTSIDE_LIMITS not in REGISTRY.values()


def test_an_institution_may_upload_only_its_own_rows() -> None:
    rows = [(3, HENAN_SCHOOL), (4, OTHER_HENAN_SCHOOL), (5, JIANGSU_SCHOOL)]

    violations = check_upload_rows(SCHOOL, rows, REGISTRY)

    assert [(row, code) for row, code, _ in violations] == [(4, OTHER_HENAN_SCHOOL), (5, JIANGSU_SCHOOL)]
    assert violations[0].message == f"只能报送本校数据：第 4 行的学校标识码 {OTHER_HENAN_SCHOOL} 不是本校"


def test_a_province_may_upload_only_rows_of_its_province() -> None:
    rows = [(3, HENAN_SCHOOL), (4, JIANGSU_SCHOOL), (5, "4199999999")]

    violations = check_upload_rows(PROVINCE, rows, REGISTRY)

    assert [(row, code) for row, code, _ in violations] == [(4, JIANGSU_SCHOOL), (5, "4199999999")]
    assert violations[0].message.endswith(f"第 4 行的学校标识码 {JIANGSU_SCHOOL} 不属于本省")


def test_an_admin_may_upload_any_row_and_a_viewer_none() -> None:
    assert check_upload_rows(ADMIN, [(3, JIANGSU_SCHOOL), (4, "4199999999")], REGISTRY) == []
    assert [may_upload(account) for account in (ADMIN, PROVINCE, VIEWER, SCHOOL)] == [True, True, False, True]


@pytest.mark.parametrize(
    ("account", "codes", "allowed"),
    [
        (ADMIN, [JIANGSU_SCHOOL, HENAN_SCHOOL], True),  # case: admin reverts anything
        (PROVINCE, [HENAN_SCHOOL, OTHER_HENAN_SCHOOL], True),  # case: all inside the province
        (PROVINCE, [HENAN_SCHOOL, JIANGSU_SCHOOL], False),  # case: one school outside
        (VIEWER, [HENAN_SCHOOL], False),  # case: a viewer changes nothing
        (SCHOOL, [HENAN_SCHOOL], True),  # case: its own upload
        (SCHOOL, [HENAN_SCHOOL, OTHER_HENAN_SCHOOL], False),  # case: another school's rows too
    ],
)
def test_a_revert_is_allowed_only_inside_the_limits(
    account: Account, codes: list[str], allowed: bool
) -> None:
    assert may_revert(account, codes, REGISTRY) is allowed


@pytest.mark.parametrize(
    ("account", "what", "province", "allowed"),
    [
        (ADMIN, Setting.STANDARDS, None, True),  # case: admin changes standards
        (ADMIN, Setting.USERS, None, True),  # case: admin manages users
        (PROVINCE, Setting.DEADLINES, "河南省", True),  # case: its own province's deadlines
        (PROVINCE, Setting.DEADLINES, "江苏省", False),  # case: another province's deadlines
        (PROVINCE, Setting.DEADLINES, None, False),  # case: the national deadlines
        (PROVINCE, Setting.STANDARDS, "河南省", False),  # case: standards are admin's
        (PROVINCE, Setting.FORMS, None, False),  # case: forms are admin's
        (VIEWER, Setting.DEADLINES, "河南省", False),  # case: a viewer changes nothing
        (SCHOOL, Setting.USERS, None, False),  # case: an institution manages no users
    ],
)
def test_settings_rights(account: Account, what: Setting, province: str | None, allowed: bool) -> None:
    assert may_change_settings(account, what, province) is allowed


def test_a_disabled_account_may_change_nothing() -> None:
    disabled = Account(id=9, name="old", role=Role.ADMIN, disabled=True)

    assert not may_upload(disabled)
    assert not may_revert(disabled, [], REGISTRY)
    assert not may_change_settings(disabled, Setting.USERS)


def _parsed(form: str, rows: list[dict[str, str]]) -> ParsedFile:
    numbers = list(range(3, 3 + len(rows)))
    return ParsedFile(
        form=form, file_name="f.xlsx", sha256="0" * 64, sheet="表", rows=rows, row_numbers=numbers
    )


def test_rows_outside_the_limits_are_cell_errors_on_the_code_and_the_file_is_not_accepted() -> None:
    parsed = _parsed("staffing", [{"code": HENAN_SCHOOL}, {"code": OTHER_HENAN_SCHOOL}])

    parsed.issues.extend(upload_scope_issues(SCHOOL, parsed, REGISTRY))

    assert [(i.code, i.row, i.column, i.value, i.message) for i in parsed.errors] == [
        ("outside_scope", 4, "学校标识码", OTHER_HENAN_SCHOOL, f"只能报送本校数据：第 4 行的学校标识码 {OTHER_HENAN_SCHOOL} 不是本校"),
    ]  # fmt: skip
    assert not parsed.accepted


@pytest.mark.parametrize(
    ("code", "province", "outside"),
    [
        (OTHER_HENAN_SCHOOL, "河南省", False),  # case: a school of its province
        ("4141010009", "河南省", False),  # case: a new school of its province
        ("4132010009", "江苏省", True),  # case: a new school of another province
        (JIANGSU_SCHOOL, "河南省", True),  # case: moving another province's school into its own
    ],
)
def test_a_province_user_changes_only_its_own_province_in_the_registry(
    code: str, province: str, outside: bool
) -> None:
    parsed = _parsed("institutions", [{"code": code, "province": province}])

    issues = upload_scope_issues(PROVINCE, parsed, REGISTRY)

    assert [issue.row for issue in issues] == ([3] if outside else [])

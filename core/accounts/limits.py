"""A user's limits and how they bound every read and write (pure functions, no database).

The scope a query runs with is :func:`effective_scope` of the filters chosen and the user's
limits: a chosen province or institution outside the limits gives an empty result, never a
wider one. "Nothing" is written as a value no row has (:data:`OUTSIDE_LIMITS`) in the filter
every query already applies, so a query cannot forget to honour it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import NamedTuple

from core.accounts.roles import Account, Role
from core.scope import Scope

OUTSIDE_LIMITS = "（超出权限范围）"


@dataclass(frozen=True)
class Limits:
    """What a user may see; empty tuples mean no limit."""

    provinces: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()


NO_LIMITS = Limits()  # an administrator's


def limits_for(account: Account) -> Limits:
    if account.role == Role.ADMIN:
        return Limits()
    if account.role == Role.INSTITUTION:
        return Limits(codes=(account.institution_code or OUTSIDE_LIMITS,))
    return Limits(provinces=(account.province or OUTSIDE_LIMITS,))


def _narrowed(chosen: tuple[str, ...], allowed: tuple[str, ...]) -> tuple[str, ...]:
    if not allowed:
        return chosen
    if not chosen:
        return allowed
    return tuple(value for value in chosen if value in allowed) or (OUTSIDE_LIMITS,)


def effective_scope(chosen: Scope, limits: Limits) -> Scope:
    """The filters chosen, intersected with the limits (year, levels, ownerships unchanged)."""
    return replace(
        chosen,
        provinces=_narrowed(chosen.provinces, limits.provinces),
        codes=_narrowed(chosen.codes, limits.codes),
    )


class ScopeViolation(NamedTuple):
    """A row of an upload whose institution is outside the uploader's limits."""

    row: int  # the Excel row number
    code: str
    message: str


def may_upload(account: Account) -> bool:
    return account.role != Role.VIEWER and not account.disabled


def _inside(account: Account, code: str, registry: Mapping[str, str]) -> bool:
    """Whether institution ``code`` (``registry``: code → province, i.e. 高校名录) is inside."""
    if account.role == Role.ADMIN:
        return True
    if account.role == Role.INSTITUTION:
        return code == account.institution_code
    return registry.get(code) == account.province


def check_upload_rows(
    account: Account, codes_in_file: Iterable[tuple[int, str]], registry: Mapping[str, str]
) -> list[ScopeViolation]:
    """Every (row, code) of the file outside the uploader's limits, with the contract's message.

    A code missing from 高校名录 is left to intake's ``unknown_institution`` check for an
    ``admin``; for a ``province`` user it is outside (its province is not known to be theirs).
    """
    reason = "不是本校" if account.role == Role.INSTITUTION else "不属于本省"
    prefix = "只能报送本校数据" if account.role == Role.INSTITUTION else "只能报送本省数据"
    return [
        ScopeViolation(row, code, f"{prefix}：第 {row} 行的学校标识码 {code} {reason}")
        for row, code in codes_in_file
        if not _inside(account, code, registry)
    ]


def within_limits(limits: Limits, codes: Iterable[str], registry: Mapping[str, str]) -> bool:
    """Whether every institution of ``codes`` (at least one, unless there are no limits) is inside
    ``limits`` (``registry``: code → province)."""
    codes = set(codes)
    if limits == NO_LIMITS:
        return True
    return bool(codes) and all(
        (not limits.codes or code in limits.codes)
        and (not limits.provinces or registry.get(code) in limits.provinces)
        for code in codes
    )


def may_revert(account: Account, upload_codes: Iterable[str], registry: Mapping[str, str]) -> bool:
    """Whether ``account`` may revert an upload that touched the institutions ``upload_codes``
    (a user with limits: only an upload known to have touched institutions inside them)."""
    return may_upload(account) and within_limits(limits_for(account), upload_codes, registry)


class Setting(StrEnum):
    STANDARDS = "standards"
    DEADLINES = "deadlines"
    FORMS = "forms"
    USERS = "users"


def may_change_settings(account: Account, what: Setting, province: str | None = None) -> bool:
    """Standards, forms and users: ``admin`` only; deadlines also a ``province`` user, for its
    own province (``province`` is the one the deadline applies to; None means every province)."""
    if account.disabled:
        return False
    if account.role == Role.ADMIN:
        return True
    return (
        what == Setting.DEADLINES
        and account.role == Role.PROVINCE
        and province is not None
        and province == account.province
    )

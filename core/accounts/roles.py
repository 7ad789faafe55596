"""Roles, the signed-in account as the rest of the program sees it, and the typed errors."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    PROVINCE = "province"
    VIEWER = "viewer"
    INSTITUTION = "institution"


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "系统管理员",
    Role.PROVINCE: "省级管理员",
    Role.VIEWER: "省级查看",
    Role.INSTITUTION: "校级填报",
}


@dataclass(frozen=True)
class Account:
    """A user without the password hash: safe to keep in a browser session, hashable for caches."""

    id: int
    name: str
    role: Role
    province: str | None = None
    institution_code: str | None = None
    disabled: bool = False

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]


class AccountError(Exception):
    """A refusal the user or operator sees; ``message`` is Chinese and says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidUser(AccountError):
    """Bad user data: unknown role, missing province, unknown institution, short password …"""


class DuplicateUser(AccountError):
    pass


class UnknownUser(AccountError):
    pass


class WrongCredentials(AccountError):
    def __init__(self) -> None:
        super().__init__("用户名或密码错误")


class LockedOut(AccountError):
    def __init__(self) -> None:
        super().__init__("尝试次数过多，请 15 分钟后再试")


class AccountDisabled(AccountError):
    def __init__(self) -> None:
        super().__init__("该账号已停用，请联系系统管理员")


class SessionExpired(AccountError):
    def __init__(self) -> None:
        super().__init__("登录已失效（超过 8 小时未操作或已退出），请重新登录")

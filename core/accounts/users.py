"""Users: add, change a password, disable, list. Each change is one transaction with its audit record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from core.accounts.audit import AuditKind, append_audit, utc
from core.accounts.passwords import hash_password
from core.accounts.roles import ROLE_LABELS, Account, DuplicateUser, InvalidUser, Role, UnknownUser
from core.models import AppSession, Institution, User
from core.scope import canonical_province

MAX_NAME_LENGTH = 100


def to_account(user: User) -> Account:
    assert user.id is not None
    return Account(
        id=user.id,
        name=user.name,
        role=Role(user.role),
        province=user.province,
        institution_code=user.institution_code,
        disabled=user.disabled,
    )


def institution_registry(bind: Engine | Connection) -> dict[str, str]:
    """高校名录 as code → province (what the limits are checked against)."""
    from core.queries.base import connected

    with connected(bind) as connection:
        return dict(connection.execute(select(Institution.code, Institution.province)).all())


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        choices = "、".join(f"{value}（{label}）" for value, label in ROLE_LABELS.items())
        raise InvalidUser(f"未知角色 {role}，可选：{choices}") from None


def _place(
    session: Session, role: Role, province: str | None, institution: str | None
) -> tuple[str | None, str | None]:
    """(province, institution code) a user of ``role`` is bound to, checked."""
    label = ROLE_LABELS[role]
    if institution and role != Role.INSTITUTION:
        raise InvalidUser(f"{label}不属于某一所学校，请去掉 --institution")
    if role == Role.ADMIN:
        if province:
            raise InvalidUser("系统管理员不限于某个省份，请去掉 --province")
        return None, None
    if role == Role.INSTITUTION:
        known = session.execute(
            select(Institution).where(Institution.code == institution)
        ).scalar_one_or_none()
        if known is None:
            given = (
                f"学校标识码 {institution} 不在高校名录中"
                if institution
                else "校级填报账号需要 --institution"
            )
            raise InvalidUser(f"{given}：请给出高校名录中本校的 10 位学校标识码")
        if province and canonical_province(province) != known.province:
            raise InvalidUser(f"学校 {institution} 属于{known.province}，与 --province {province} 不符")
        return known.province, known.code
    if not province:
        raise InvalidUser(f"{label}账号需要 --province（如 河南省）")
    canonical = canonical_province(province)
    if canonical is None:
        raise InvalidUser(f"无法识别的省份：{province}（请写省级行政区名称，如 河南 或 河南省）")
    return canonical, None


def _clean_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise InvalidUser("用户名不能为空")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise InvalidUser(f"用户名不能超过 {MAX_NAME_LENGTH} 个字符")
    return cleaned


def _user(session: Session, name: str) -> User:
    user = session.execute(select(User).where(User.name == name.strip())).scalar_one_or_none()
    if user is None:
        raise UnknownUser(f"没有用户 {name.strip()}（用 user list 查看已有用户）")
    return user


def _audit_user_change(
    session: Session, *, actor: str, client: str | None, at: dt.datetime, **detail: Any
) -> None:
    append_audit(session, kind=AuditKind.USER, actor=actor, detail=detail, client=client, at=at)


def add_user(
    engine: Engine,
    *,
    name: str,
    role: str,
    password: str,
    province: str | None = None,
    institution: str | None = None,
    actor: str,
    client: str | None = None,
    now: dt.datetime | None = None,
) -> Account:
    """Create a user; InvalidUser / DuplicateUser (Chinese messages) when it cannot be."""
    name, checked_role, at = _clean_name(name), _role(role), utc(now)
    password_hash = hash_password(password)
    taken = DuplicateUser(f"用户 {name} 已存在（改密码用 user passwd）")
    with Session(engine, expire_on_commit=False) as session, session.begin():
        if session.execute(select(User.id).where(User.name == name)).first() is not None:
            raise taken
        user_province, code = _place(session, checked_role, province, institution)
        user = User(
            name=name,
            role=checked_role.value,
            province=user_province,
            institution_code=code,
            password_hash=password_hash,
            created_at=at,
            updated_at=at,
        )
        session.add(user)
        try:
            session.flush()
        except IntegrityError:  # added by another process since the check above
            raise taken from None
        _audit_user_change(
            session, actor=actor, client=client, at=at,
            action="add", name=name, role=checked_role.value, province=user_province, institution=code,
        )  # fmt: skip
        return to_account(user)


def _end_sessions(session: Session, user_id: int, at: dt.datetime) -> None:
    session.execute(
        update(AppSession)
        .where(AppSession.user_id == user_id, AppSession.ended_at.is_(None))  # type: ignore[union-attr]
        .values(ended_at=at)
    )


def set_password(
    engine: Engine,
    *,
    name: str,
    password: str,
    actor: str,
    client: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """A new password; the user's open sessions end (whoever knew the old one is signed out)."""
    password_hash, at = hash_password(password), utc(now)
    with Session(engine) as session, session.begin():
        user = _user(session, name)
        user.password_hash, user.updated_at = password_hash, at
        _end_sessions(session, user.id, at)
        _audit_user_change(session, actor=actor, client=client, at=at, action="passwd", name=user.name)


def disable_user(
    engine: Engine, *, name: str, actor: str, client: str | None = None, now: dt.datetime | None = None
) -> None:
    """The user can no longer sign in; its open sessions end. Records stay (the audit names it)."""
    at = utc(now)
    with Session(engine) as session, session.begin():
        user = _user(session, name)
        user.disabled, user.updated_at = True, at
        _end_sessions(session, user.id, at)
        _audit_user_change(session, actor=actor, client=client, at=at, action="disable", name=user.name)


def list_users(engine: Engine) -> list[Account]:
    with Session(engine) as session:
        return [to_account(user) for user in session.execute(select(User).order_by(User.id)).scalars()]


def any_user(engine: Engine) -> bool:
    """Whether at least one user exists (with none, nothing is served; ``make run`` adds demo users)."""
    with engine.connect() as connection:
        return connection.execute(select(User.id).limit(1)).first() is not None


USER_HEADERS = {
    "name": "用户名",
    "role": "角色",
    "province": "省份",
    "institution": "学校标识码",
    "state": "状态",
}


def users_table(accounts: list[Account]) -> pd.DataFrame:
    """The users as the 用户管理 page lists them (no password hash: Account has none)."""
    rows = [
        {
            "name": account.name,
            "role": account.role_label,
            "province": account.province or "全部省份",
            "institution": account.institution_code or "",
            "state": "已停用" if account.disabled else "正常",
        }
        for account in accounts
    ]
    return pd.DataFrame(rows, columns=list(USER_HEADERS)).rename(columns=USER_HEADERS)

"""Signing in and staying signed in, across any number of app processes (state in the database).

- :func:`authenticate`: 5 failures in 15 minutes for one name (known or not) lock that name
  until the oldest of them is 15 minutes old; meanwhile the password is not checked. A
  success clears the count. The attempt is counted *before* the slow hash check, under a
  database write lock, so parallel guesses cannot slip past the limit.
- :func:`start_session` / :func:`touch_session` / :func:`end_session`: a random token for
  the browser (only its SHA-256 is stored), ended after 8 hours without activity.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlmodel import Session

from core.accounts.audit import AuditKind, append_audit, utc
from core.accounts.passwords import renewed_hash, spend_verify_time, verify_password
from core.accounts.roles import Account, AccountDisabled, LockedOut, SessionExpired, WrongCredentials
from core.accounts.users import to_account
from core.db import write_transaction
from core.models import AppSession, SignInAttempt, User

MAX_FAILURES = 5
LOCKOUT_WINDOW = dt.timedelta(minutes=15)
IDLE_TIMEOUT = dt.timedelta(hours=8)
TOUCH_EVERY = dt.timedelta(minutes=1)  # last_seen is written at most this often (reruns are frequent)

FAILURE, SUCCESS, LOCKED, DISABLED = "failure", "success", "locked", "disabled"


def _recent_failures(connection: Connection, name: str, at: dt.datetime) -> int:
    """Failures for ``name`` in the window before ``at`` since its last success."""
    outcomes = connection.execute(
        select(SignInAttempt.outcome)
        .where(SignInAttempt.name == name, SignInAttempt.at > at - LOCKOUT_WINDOW)
        .order_by(SignInAttempt.at.desc(), SignInAttempt.id.desc())  # type: ignore[union-attr]
    ).scalars()
    failures = 0
    for outcome in outcomes:
        if outcome == SUCCESS:
            break
        failures += outcome == FAILURE
    return failures


def _counted_attempt(name: str, client: str | None, at: dt.datetime, engine: Engine) -> int:
    """The id of a new attempt, stored as a failure until the password proves right; LockedOut
    (recorded, password unchecked) when the name has used up its failures."""
    with write_transaction(engine, "sign_in", data_changed=False) as connection:
        # older attempts no longer count (the audit log keeps them): the table stays small
        connection.execute(
            delete(SignInAttempt).where(SignInAttempt.name == name, SignInAttempt.at <= at - LOCKOUT_WINDOW)
        )
        locked = _recent_failures(connection, name, at) >= MAX_FAILURES
        outcome = LOCKED if locked else FAILURE
        attempt = connection.execute(
            insert(SignInAttempt).values(name=name, at=at, outcome=outcome, client=client)
        ).inserted_primary_key
        if locked:
            append_audit(
                connection, kind=AuditKind.SIGN_IN_LOCKED, actor=name, detail={}, client=client, at=at
            )
    if locked:
        raise LockedOut()
    return attempt[0]


def authenticate(
    engine: Engine, *, name: str, password: str, client: str | None = None, now: dt.datetime | None = None
) -> Account:
    """The account of ``name`` when ``password`` is right; WrongCredentials, LockedOut or
    AccountDisabled otherwise. Every outcome is in the audit log."""
    name, at = name.strip()[:100], utc(now)
    attempt_id = _counted_attempt(name, client, at, engine)
    with engine.connect() as connection:
        found = connection.execute(select(User).where(User.name == name)).first()
    user = User.model_validate(found._mapping) if found is not None else None
    if user is None:
        spend_verify_time(password)
    # the slow hash work happens outside any transaction: a read transaction still open when
    # its write comes would fail ("database is locked") once another sign-in has committed
    right = user is not None and verify_password(user.password_hash, password)
    outcome = (DISABLED if user.disabled else SUCCESS) if right else FAILURE
    renewed = renewed_hash(user.password_hash, password) if outcome == SUCCESS else None
    with write_transaction(engine, "sign_in", data_changed=False) as connection:
        connection.execute(
            update(SignInAttempt).where(SignInAttempt.id == attempt_id).values(outcome=outcome)
        )
        kind = AuditKind.SIGN_IN if outcome == SUCCESS else AuditKind.SIGN_IN_FAILED
        detail = {"reason": "账号已停用"} if outcome == DISABLED else {}
        append_audit(connection, kind=kind, actor=name, detail=detail, client=client, at=at)
        if renewed:
            connection.execute(update(User).where(User.id == user.id).values(password_hash=renewed))
    if outcome == FAILURE:
        raise WrongCredentials()
    if outcome == DISABLED:
        raise AccountDisabled()
    return to_account(user)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(
    engine: Engine,
    *,
    account: Account,
    client: str | None = None,
    now: dt.datetime | None = None,
    token: str | None = None,
) -> str:
    """A new session of a signed-in ``account``; returns the token to keep in the browser session
    (a new random one unless ``token`` is given: core.accounts.oidc keys a session by its sign-in)."""
    token, at = token or secrets.token_urlsafe(32), utc(now)
    with engine.begin() as connection:
        connection.execute(
            insert(AppSession).values(
                token_hash=_token_hash(token), user_id=account.id, client=client, created_at=at, last_seen=at
            )
        )
    return token


def session_known(engine: Engine, token: str) -> bool:
    """Whether a session with ``token`` was ever started (live or ended)."""
    with Session(engine) as session:
        return session.get(AppSession, _token_hash(token)) is not None


def touch_session(engine: Engine, *, token: str, now: dt.datetime | None = None) -> Account:
    """The account of a live session (and the session marked active now); SessionExpired when the
    token is unknown, ended, idle for more than 8 hours (then ended and recorded) or its user disabled."""
    at = utc(now)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        row = session.get(AppSession, _token_hash(token))
        user = session.get(User, row.user_id) if row is not None else None
        if row is None or user is None or row.ended_at is not None:
            raise SessionExpired()
        if user.disabled or at - row.last_seen > IDLE_TIMEOUT:
            row.ended_at = at
            reason = "账号已停用" if user.disabled else "超时"
            append_audit(
                session,
                kind=AuditKind.SIGN_OUT,
                actor=user.name,
                detail={"reason": reason},
                client=row.client,
                at=at,
            )
        elif at - row.last_seen >= TOUCH_EVERY:
            row.last_seen = at
    if row.ended_at is not None:
        raise SessionExpired()
    return to_account(user)


def end_session(
    engine: Engine, *, token: str, client: str | None = None, now: dt.datetime | None = None
) -> None:
    """Sign out (退出登录): the session ends and the sign-out is recorded. An ended token: nothing."""
    at = utc(now)
    with Session(engine) as session, session.begin():
        row = session.get(AppSession, _token_hash(token))
        if row is None or row.ended_at is not None:
            return
        row.ended_at = at
        user = session.get(User, row.user_id)
        name = user.name if user is not None else str(row.user_id)
        append_audit(
            session,
            kind=AuditKind.SIGN_OUT,
            actor=name,
            detail={"reason": "退出"},
            client=client or row.client,
            at=at,
        )

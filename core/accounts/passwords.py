"""Passwords: Argon2id through argon2-cffi (its RFC 9106 default parameters), never stored plain."""

from __future__ import annotations

import functools
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.accounts.roles import InvalidUser

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024  # hashing a megabyte "password" is work an attacker should not get free

_HASHER = PasswordHasher()  # type Argon2id
# Each Argon2id hash or check takes 64 MiB for its duration: at most two at a time in a process,
# so that thirty people signing in at once wait their turn (a fraction of a second each)
# instead of taking two gigabytes together.
_HASHING = threading.BoundedSemaphore(2)


def check_strength(password: str) -> None:
    """InvalidUser unless ``password`` has 8 to 1024 characters."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidUser(f"密码至少 {MIN_PASSWORD_LENGTH} 个字符，请换一个更长的密码")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidUser(f"密码不能超过 {MAX_PASSWORD_LENGTH} 个字符")


def hash_password(password: str) -> str:
    check_strength(password)
    with _HASHING:
        return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        with _HASHING:
            return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def renewed_hash(stored_hash: str, password: str) -> str | None:
    """A hash of the (verified) ``password`` with today's parameters when ``stored_hash`` was made
    with others; None when it is current. No length check: a rule made later must not lock anyone out."""
    if not _HASHER.check_needs_rehash(stored_hash):
        return None
    with _HASHING:
        return _HASHER.hash(password)


@functools.cache
def _unknown_user_hash() -> str:
    return _HASHER.hash("no such user: the same work as a real check")


def spend_verify_time(password: str) -> None:
    """As long as a real check, so that a response time does not tell whether a name exists."""
    verify_password(_unknown_user_hash(), password)

"""Shared by the accounts tests: a user factory, a fixed clock and cheaper Argon2id hashes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine

from core.accounts.audit import AuditKind, read_audit
from core.accounts.roles import Account
from core.accounts.users import add_user

T0 = dt.datetime(2025, 11, 30, 9, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse 1"


def make_user(engine: Engine, **overrides: Any) -> Account:
    options = {"name": "zhang", "role": "admin", "password": PASSWORD, "actor": "测试"} | overrides
    return add_user(engine, **options)


@pytest.fixture(autouse=True)
def fast_hashes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Argon2id with small parameters (the real ones take ~0.5 s a hash on a busy test machine);
    a test marked ``real_hashes`` keeps the production hasher."""
    if request.node.get_closest_marker("real_hashes") is None:
        cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        monkeypatch.setattr("core.accounts.passwords._HASHER", cheap)
    yield


def audit_details(engine: Engine, kind: AuditKind) -> list[dict]:
    """The audit records of ``kind``, oldest first: each one's detail with its ``actor``."""
    records = read_audit(engine, kind=kind)
    return [
        json.loads(detail) | {"actor": actor}
        for detail, actor in zip(records["detail"], records["actor"], strict=True)
    ]

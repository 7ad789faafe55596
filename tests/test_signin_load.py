"""Signing in under load: many people signing in at once all get in, and a sign-in leaves every
session's cached figures warm (it stores nothing a page reads)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine

from core.accounts.signin import authenticate
from core.db import data_version
from tests.accounts_helpers import PASSWORD, fast_hashes, make_user  # noqa: F401  (fixture)

PEOPLE = 12


def test_people_signing_in_at_the_same_moment_all_get_in(
    any_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"用户{number}" for number in range(PEOPLE)]
    for name in names:
        make_user(any_engine, name=name)
    # case: hashes made with older parameters, renewed at sign-in (a write after the slow check)
    monkeypatch.setattr("core.accounts.passwords._HASHER", PasswordHasher(time_cost=2, memory_cost=2048))
    with ThreadPoolExecutor(PEOPLE) as pool:
        accounts = list(pool.map(lambda name: authenticate(any_engine, name=name, password=PASSWORD), names))

    assert [account.name for account in accounts] == names


def test_signing_in_leaves_the_cached_figures_of_every_session_valid(any_engine: Engine) -> None:
    make_user(any_engine, name="li")
    before = data_version(any_engine)

    authenticate(any_engine, name="li", password=PASSWORD)

    assert data_version(any_engine) == before

"""An unexpected error on a page: a Chinese message with an error id, no traceback, no SQL."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import Engine

import core.queries.profile
from tests.apptest import open_app_page
from tests.factories import make_institution, store_rows


def broken(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("SELECT password FROM users WHERE path = '/srv/app/secret.db'")


def test_an_unexpected_error_shows_an_id_and_the_log_holds_the_traceback(
    app_engine: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    store_rows(app_engine, "institutions", [make_institution()])

    monkeypatch.setattr(core.queries.profile, "institution_choices", broken)
    monkeypatch.delenv("APP_RAISE_ERRORS")
    app = open_app_page("pages/overview.py")

    with caplog.at_level(logging.ERROR, logger="app.errors"):
        app.switch_page("pages/profile.py").run()

    assert not app.exception
    (error,) = app.error
    assert "错误编号" in error.value and "SELECT" not in error.value and "secret" not in error.value
    error_id = error.value.split("错误编号 ")[1][:8]
    assert error_id in caplog.text and "SELECT password" in caplog.text

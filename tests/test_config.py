"""Settings from the environment, and that every setting is documented."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from core.config import DEFAULT_DB_PATH, ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[1]


def test_defaults_use_sqlite_file_under_data_and_the_clock_in_beijing() -> None:
    settings = load_settings({})
    assert settings.database_url == f"sqlite:///{DEFAULT_DB_PATH}"
    assert DEFAULT_DB_PATH.parent.name == "data"
    assert settings.max_upload_bytes == 20 * 1024 * 1024


@pytest.mark.parametrize(
    ("now", "today"),
    [
        (dt.datetime(2025, 6, 30, 17, 0, tzinfo=dt.UTC), dt.date(2025, 7, 1)),  # case: 01:00 next day there
        (dt.datetime(2025, 6, 30, 15, 59, tzinfo=dt.UTC), dt.date(2025, 6, 30)),  # case: 23:59 in Beijing
    ],
)
def test_today_is_beijing_s_date_whatever_the_server_s_zone(now: dt.datetime, today: dt.date) -> None:
    assert load_settings({}).today(now) == today


def test_environment_overrides() -> None:
    settings = load_settings(
        {"DATABASE_URL": "postgresql+psycopg://u@h/db", "APP_TODAY": "2025-11-30", "MAX_UPLOAD_MB": "5"}
    )
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    assert settings.today() == dt.date(2025, 11, 30)
    assert settings.max_upload_bytes == 5 * 1024 * 1024


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("APP_TODAY", "2025/11/30"),  # case: not ISO
        ("APP_TODAY", "2025-02-30"),  # case: no such day
        ("MAX_UPLOAD_MB", "0"),  # case: not positive
        ("MAX_UPLOAD_MB", "ten"),  # case: not a number
    ],
)
def test_bad_values_are_refused_in_chinese(variable: str, value: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        load_settings({variable: value})


def test_every_setting_is_documented_in_readme_and_module() -> None:
    source = (ROOT / "core" / "config.py").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    variables = set(re.findall(r'env\.get\("([A-Z_]+)"\)', source))
    assert variables, "no settings found"
    for variable in variables:
        assert f"| {variable} |" in source
        assert variable in readme, f"README.md does not mention {variable}"

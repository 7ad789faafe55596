"""One settings object read from the environment.

| variable | meaning | default |
|---|---|---|
| DATABASE_URL | SQLAlchemy URL of the database | sqlite file ``data/app.db`` |
| APP_TODAY | the date taken as "today" (YYYY-MM-DD), for reproducible overdue figures | the date in Beijing |
| MAX_UPLOAD_MB | largest workbook accepted, in MB | 20 |
| UPLOADER_NAME | default uploader name recorded by the command line | 命令行 |
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# China has one time zone and no daylight saving: a fixed offset needs no tz database.
LOCAL_TIME = dt.timezone(dt.timedelta(hours=8), "北京时间")
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "app.db"


class ConfigError(ValueError):
    """A setting in the environment cannot be used."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    today_override: dt.date | None
    max_upload_mb: int
    uploader_name: str

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    def today(self, now: dt.datetime | None = None) -> dt.date:
        """APP_TODAY when set, otherwise the date in Beijing at ``now`` (default: the clock) —
        not the server's zone: a UTC server would count a deadline overdue a day late before 08:00."""
        if self.today_override is not None:
            return self.today_override
        return (now or dt.datetime.now(dt.UTC)).astimezone(LOCAL_TIME).date()


def _parse_today(raw: str | None) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise ConfigError(f"APP_TODAY 应为 YYYY-MM-DD 格式的日期，当前为 {raw!r}") from None


def _parse_positive_int(name: str, raw: str | None, default: int) -> int:
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} 应为正整数，当前为 {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} 应为正整数，当前为 {raw!r}")
    return value


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read the settings from ``environ`` (default: the process environment)."""
    env = os.environ if environ is None else environ
    return Settings(
        database_url=env.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DB_PATH}",
        today_override=_parse_today(env.get("APP_TODAY")),
        max_upload_mb=_parse_positive_int("MAX_UPLOAD_MB", env.get("MAX_UPLOAD_MB"), 20),
        uploader_name=env.get("UPLOADER_NAME") or "命令行",
    )

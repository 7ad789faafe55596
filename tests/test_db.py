"""The database layer on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from core.db import make_engine, write_transaction
from core.models import AppSetting, Institution, StaffingReport
from tests.factories import make_institution, make_staffing_row, store_rows


def test_sqlite_file_gets_wal_and_foreign_keys(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'app.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    assert (tmp_path / "nested" / "app.db").exists()


def test_rows_round_trip(any_engine: Engine) -> None:
    store_rows(any_engine, "institutions", [make_institution()])
    store_rows(any_engine, "staffing", [make_staffing_row(), make_staffing_row(year="2023-2024")])
    with any_engine.connect() as connection:
        total = connection.execute(select(func.sum(StaffingReport.undergrad))).scalar_one()
        name = connection.execute(select(Institution.name)).scalar_one()
    assert total == 36000
    assert name == "示例第一大学"


def test_staffing_for_unknown_institution_is_refused(any_engine: Engine) -> None:
    with pytest.raises(IntegrityError):
        store_rows(any_engine, "staffing", [make_staffing_row(code="9999999999")])


def test_duplicate_key_is_refused(any_engine: Engine) -> None:
    store_rows(any_engine, "institutions", [make_institution()])
    with pytest.raises(IntegrityError):
        store_rows(any_engine, "staffing", [make_staffing_row(), make_staffing_row()])


def _counter(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(AppSetting.value).where(AppSetting.key == "counter")).scalar_one()


def test_write_transaction_rolls_back_everything_on_error(any_engine: Engine) -> None:
    with pytest.raises(RuntimeError), write_transaction(any_engine) as connection:
        connection.execute(insert(AppSetting).values(key="counter", value=1))
        stored_inside = connection.execute(select(func.count()).select_from(AppSetting)).scalar_one()
        assert stored_inside == 1
        raise RuntimeError("boom")
    with any_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(AppSetting)).scalar_one() == 0


def test_write_transactions_run_one_after_the_other(any_engine: Engine) -> None:
    """Two writers that read-then-write never interleave: both increments survive."""
    with any_engine.begin() as connection:
        connection.execute(insert(AppSetting).values(key="counter", value=0))
    inside = threading.Barrier(2, timeout=30)

    def increment() -> None:
        inside.wait()
        with write_transaction(any_engine) as connection:
            value = connection.execute(
                select(AppSetting.value).where(AppSetting.key == "counter")
            ).scalar_one()
            connection.execute(update(AppSetting).where(AppSetting.key == "counter").values(value=value + 1))

    threads = [threading.Thread(target=increment) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert _counter(any_engine) == 2

"""Page models in worker processes (core.workers): the figures a worker computes are the ones
computed here, a worker that dies costs nobody a page, and READ_WORKERS is read as documented."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from core import workers
from core.db import init_db, make_engine
from core.scope import Scope
from core.views.staffing import staffing_page
from core.workers import compute, offloaded
from sample_data.generate import seed_database
from tests.cli import PROJECT_ROOT

SCOPE = Scope(year="2024-2025")


@offloaded
def process_id(_engine: Engine, _scope: Scope) -> int:
    """A read marked for the workers that tells which process ran it."""
    return os.getpid()


def unmarked_process_id(_engine: Engine, _scope: Scope) -> int:
    return os.getpid()


@pytest.fixture(scope="module")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('workers') / 'app.db'}"
    engine = make_engine(url)
    init_db(engine)
    seed_database(engine, institutions=40, years=2)
    engine.dispose()
    return url


@pytest.fixture
def one_worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(workers.WORKERS_VARIABLE, "1")
    workers.stop_workers()
    yield
    workers.stop_workers()


def _assert_same_page(computed, expected) -> None:  # noqa: ANN001 (two StaffingPage)
    assert computed.kpis == expected.kpis
    pd.testing.assert_frame_equal(computed.institutions, expected.institutions)
    pd.testing.assert_frame_equal(computed.provinces, expected.provinces)
    assert computed.case_targets == expected.case_targets


def test_a_page_model_is_computed_in_a_worker_with_the_same_figures(
    seeded_url: str, one_worker: None
) -> None:
    assert compute(process_id, seeded_url, SCOPE) != os.getpid()
    expected = staffing_page(make_engine(seeded_url), SCOPE)
    _assert_same_page(compute(staffing_page, seeded_url, SCOPE), expected)
    assert expected.kpis.institutions > 0


def test_a_cheap_read_stays_in_this_process(seeded_url: str, one_worker: None) -> None:
    assert compute(unmarked_process_id, seeded_url, SCOPE) == os.getpid()


def test_a_killed_worker_costs_no_page_and_is_replaced(seeded_url: str, one_worker: None) -> None:
    killed = compute(process_id, seeded_url, SCOPE)
    os.kill(killed, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while Path(f"/proc/{killed}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # a zombie until the pool's manager reaps it: gone from /proc then
    expected = staffing_page(make_engine(seeded_url), SCOPE)
    _assert_same_page(compute(staffing_page, seeded_url, SCOPE), expected)
    replacement = compute(process_id, seeded_url, SCOPE)
    assert replacement not in (killed, os.getpid())


def test_no_workers_when_read_workers_is_0(seeded_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workers.WORKERS_VARIABLE, "0")
    workers.stop_workers()
    assert compute(process_id, seeded_url, SCOPE) == os.getpid()


@pytest.mark.parametrize(("configured", "count"), [("3", 3), (" 2 ", 2), ("0", 0)])
def test_read_workers_sets_the_pool_size(
    monkeypatch: pytest.MonkeyPatch, configured: str, count: int
) -> None:
    monkeypatch.setenv(workers.WORKERS_VARIABLE, configured)
    assert workers.worker_count() == count


def test_a_bad_read_workers_value_stops_with_a_chinese_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workers.WORKERS_VARIABLE, "两个")
    with pytest.raises(SystemExit, match="READ_WORKERS 应为 0 或正整数"):
        workers.worker_count()


def test_workers_end_when_their_app_process_is_killed(seeded_url: str, tmp_path: Path) -> None:
    """An app killed outright (out of memory, SIGKILL) cannot shut its pool down: its workers
    go too, and with them the pool's fork server."""
    printed = tmp_path / "worker.txt"
    with printed.open("w") as out:  # a file, not a pipe: the pool's processes inherit it
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import os, signal\n"
                "from core.scope import Scope\n"
                "from core.workers import compute\n"
                "from tests.test_workers import process_id\n"
                f"print(compute(process_id, {seeded_url!r}, Scope()), flush=True)\n"
                "os.kill(os.getpid(), signal.SIGKILL)\n",
            ],
            cwd=PROJECT_ROOT,
            env={**os.environ, workers.WORKERS_VARIABLE: "1"},
            stdout=out,
            timeout=60,
        )
    worker = int(printed.read_text().strip())
    try:
        fork_server = int(Path(f"/proc/{worker}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except FileNotFoundError:  # the worker has gone already (it looks once a second)
        fork_server = worker
    deadline = time.monotonic() + 15
    while any(Path(f"/proc/{pid}").exists() for pid in (worker, fork_server)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{worker}").exists(), "应用进程被杀后，读数工作进程仍在"
    assert not Path(f"/proc/{fork_server}").exists(), "应用进程被杀后，forkserver 仍在"

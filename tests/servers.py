"""`streamlit run app.py` as a real server process, for the browser tests, the two-process test
and the load bench."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from tests.cli import PROJECT_ROOT

SERVER_START_SECONDS = 60
SAMPLE_TODAY = "2025-11-30"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_healthy(url: str, server: subprocess.Popen) -> None:
    """Until ``url``'s /_stcore/health says ok (the health endpoint a proxy checks too)."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit 进程提前退出（退出码 {server.returncode}）")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)  # polling the server, not waiting in a test
    raise RuntimeError(f"streamlit 未在 {SERVER_START_SECONDS} 秒内就绪")


def server_command(port: int, extra: Sequence[str] = ()) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        *extra,
    ]  # fmt: skip


def served_environment() -> dict[str, str]:
    """The environment of a served app: this one's, but with the read workers as deployed
    (tests/conftest.py turns them off for the tests that run the app in this process)."""
    return {name: value for name, value in os.environ.items() if name != "READ_WORKERS"}


@contextmanager
def serve_app(
    database_url: str, log_path: Path, *, today: str = SAMPLE_TODAY, extra: Sequence[str] = ()
) -> Iterator[str]:
    """`streamlit run app.py` on a free port over ``database_url``; yields its URL.
    ``extra``: more `streamlit run` options."""
    port = free_port()
    env = {**served_environment(), "DATABASE_URL": database_url, "APP_TODAY": today}
    with log_path.open("w") as log:
        server = subprocess.Popen(
            server_command(port, extra), cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, server)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()

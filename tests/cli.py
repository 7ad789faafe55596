"""The command line as its users run it: ``python -m core.cli`` in a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def run_cli(
    db_url: str, *args: str, env: Mapping[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``python -m core.cli *args`` from the project root on ``db_url``, its output captured as text.

    ``env`` adds variables (APP_TODAY, MAX_UPLOAD_MB, …) to this process's environment. The
    exit code is the caller's to check.
    """
    return subprocess.run(
        [sys.executable, "-m", "core.cli", *args],
        cwd=PROJECT_ROOT,
        env=os.environ | {"DATABASE_URL": db_url} | dict(env or {}),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )

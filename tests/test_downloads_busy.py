"""A CSV clicked on a busy server is still there when the browser fetches it: other people's
page views in between do not delete it (pages/_downloads.py). Driven over the websocket like
the browser (tests/bench/client.py), on a real server."""

from __future__ import annotations

import urllib.error
from pathlib import Path

import pytest

from tests.apptest import TEST_PASSWORD, app_user
from tests.bench.client import Session, View, run_async
from tests.bench.load import SEEDED_YEAR
from tests.cli import run_cli
from tests.servers import serve_app

NO_XSRF = ["--server.enableXsrfProtection", "false"]  # the simulated tabs send no XSRF cookie


def _first_csv_button(view: View):  # noqa: ANN202  (a protobuf message)
    buttons = [e.download_button for e in view.elements if e.WhichOneof("type") == "download_button"]
    return next(b for b in buttons if b.deferred_file_id and not b.disabled)


def test_a_csv_survives_other_sessions_runs_until_its_session_moves_on(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'app.db'}"
    seeded = run_cli(database_url, "seed", "--institutions", "60", "--years", "1")
    assert seeded.returncode == 0, seeded.stderr
    for name in ("管理员甲", "管理员乙"):
        app_user(name, "admin", database_url=database_url)

    async def browse() -> tuple[bytes, Exception | None]:
        with serve_app(database_url, tmp_path / "server.log", extra=NO_XSRF) as base_url:
            async with (
                Session(base_url, query=SEEDED_YEAR) as clicker,
                Session(base_url, query=SEEDED_YEAR) as other,
            ):
                await clicker.sign_in("管理员甲", TEST_PASSWORD)
                await other.sign_in("管理员乙", TEST_PASSWORD)
                url = await clicker.click_download(_first_csv_button(await clicker.view("staffing")))
                for page in ("screening", "projects", "completeness"):  # each run's end cleans up files
                    await other.view(page)
                fetched = await clicker.fetch(url)
                await clicker.view("projects")  # the clicker moves on: its file may go now
                for page in ("screening", "completeness"):
                    await other.view(page)
                try:
                    await clicker.fetch(url)
                    gone = None
                except urllib.error.HTTPError as problem:
                    gone = problem
        return fetched, gone

    fetched, gone = run_async(browse())

    text = fetched.decode("utf-8-sig")
    assert "学校标识码" in text.splitlines()[0]
    assert len(text.splitlines()) > 10  # the seeded schools' rows, not an error page
    assert gone is not None and gone.code == 404  # not kept for ever: the server does not fill up


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__])

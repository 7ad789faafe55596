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


def test_a_csv_deleted_before_its_session_holds_it_is_made_again() -> None:
    """The clean-up of two other runs can fall between the file's making and its hold (a thread
    waiting for the interpreter lock on a busy server): the click makes the file again."""
    from pathlib import PurePosixPath

    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    from pages._downloads import hold_made_downloads

    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    made: list[bytes] = []

    def build() -> bytes:
        made.append(b"\xef\xbb\xbf\xe5\xad\xa6\xe6\xa0\xa1\n")
        return made[-1]

    file_id = manager.add_deferred(build, "text/csv", "1.2", "名单.csv")
    make_file = manager.execute_deferred

    def busy(file_id: str) -> str:
        url = make_file(file_id)
        if len(made) == 1:  # two other sessions' runs end right after the first making
            manager.remove_orphaned_files()
            manager.remove_orphaned_files()
        return url

    manager.execute_deferred = busy
    hold_made_downloads(manager)
    url = manager.execute_deferred(file_id)
    manager.remove_orphaned_files()  # more runs of others before the browser's GET
    manager.remove_orphaned_files()

    assert len(made) == 2
    assert manager._storage.get_file(PurePosixPath(url).stem).content == made[-1]  # noqa: SLF001

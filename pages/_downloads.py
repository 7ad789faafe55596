"""Deferred CSV downloads that a busy server does not lose before the browser fetches them.

Streamlit 1.67 makes a deferred download's file when its button is clicked
(``MediaFileManager.execute_deferred``) but ties the file to no session, and every script run
of *any* session ends with ``remove_orphaned_files``: the first marks a file no session holds,
the second deletes it. With a few people at work, two other runs end between the click and the
browser's GET of the file's address, and the download fails with 404 (measured: 11–28 of 30
users' CSVs in the load bench, tests/bench/load.py).

Here the file made for a click is held by the clicking session until that session's next
run, like any file its page shows; then the usual clean-up drops it.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from streamlit.runtime import Runtime
from streamlit.runtime.media_file_manager import MediaFileManager

HELD_AS = "deferred-download:"  # the session's own "coordinates" for a file made for a click
MAKE_ATTEMPTS = 3


def hold_made_downloads(manager: MediaFileManager) -> None:
    """Make ``manager.execute_deferred`` register the file it makes with the session that
    clicked (once per manager; relies on Streamlit 1.67's manager, which requirements.txt pins
    and tests/test_downloads_busy.py checks over the websocket)."""
    if getattr(manager, "holds_made_downloads", False):
        return
    make_file = manager.execute_deferred

    def make_and_hold(file_id: str) -> str:
        entry = manager._deferred_callables.get(file_id)  # noqa: SLF001
        for _ in range(MAKE_ATTEMPTS):
            url = make_file(file_id)
            made_id = PurePosixPath(url).stem  # "/media/<id>.csv"
            with manager._lock:  # noqa: SLF001
                held = manager._files_by_session_and_coord.get(entry["session_id"]) if entry else None  # noqa: SLF001
                if held is None:  # the session has ended meanwhile, nothing to hold it for
                    return url
                if made_id in manager._file_metadata:  # noqa: SLF001
                    held[HELD_AS + file_id] = made_id
                    return url
            # Two other runs ended between the file's making and this hold (a busy server) and
            # their clean-up deleted it: make it again.
        return url

    manager.execute_deferred = make_and_hold
    manager.holds_made_downloads = True


def hold_downloads_of_this_server() -> None:
    """:func:`hold_made_downloads` on the running server's manager (none under AppTest)."""
    if Runtime.exists():
        hold_made_downloads(Runtime.instance().media_file_mgr)

"""AppTest as the server runs the app (shared by the test fixtures and the page bench)."""

from __future__ import annotations

from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

APP_PATH = Path(__file__).resolve().parents[1] / "app.py"


class NavigationPagesManager(PagesManager):
    """A PagesManager that leaves Streamlit's legacy ``pages/`` folder mode at once.

    The project keeps its screens in ``pages/`` (the layout is fixed) and navigates with
    ``st.navigation``. The server treats a ``pages/`` folder as the legacy multipage mode
    only until ``st.navigation`` is first called; AppTest resets that flag before every
    run, so from its second run on it would run the page file alone, without app.py's
    sidebar. Installed as ``streamlit.testing.v1.app_test.PagesManager``, this clears the
    flag right after AppTest resets it.
    """

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


def use_navigation_pages_manager() -> None:
    """Make every later AppTest run go through app.py (for scripts; tests use the fixture)."""
    from streamlit.testing.v1 import app_test

    app_test.PagesManager = NavigationPagesManager


def open_app_page(page_path: str, *, provinces: list[str] | None = None) -> AppTest:
    """Run app.py as a fresh visitor would, then open ``page_path`` (e.g. "pages/staffing.py").

    The app caches its settings and engine per process, so they are dropped first and the
    run reads the DATABASE_URL / APP_TODAY the test has set. ``provinces`` pre-selects the
    sidebar's 省份 filter.
    """
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(str(APP_PATH), default_timeout=60)
    if provinces:
        app.session_state["filter_provinces"] = provinces
    app.run()
    app.switch_page(page_path).run()
    return app

"""AppTest as the server runs the app (shared by the test fixtures and the page bench)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

if TYPE_CHECKING:
    import pandas as pd

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
    run reads the DATABASE_URL / APP_TODAY the test has set (the ``app_engine`` fixture).
    ``provinces`` pre-selects the sidebar's 省份 filter. A page that raises fails the test
    here, with the exceptions' messages.
    """
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(str(APP_PATH), default_timeout=60)
    if provinces:
        app.session_state["filter_provinces"] = provinces
    app.run()
    app.switch_page(page_path).run()
    assert not app.exception, [exception.value for exception in app.exception]
    return app


def metrics_shown(app: AppTest) -> dict[str, str]:
    """The page's KPI tiles: label → the value as displayed."""
    return {metric.label: metric.value for metric in app.metric}


def table_with(app: AppTest, column: str, *, without: str = "") -> pd.DataFrame:
    """The one table on the page that has ``column`` (and not ``without``); fails unless exactly one."""
    frames = [
        element.value
        for element in app.dataframe
        if column in element.value.columns and without not in element.value.columns
    ]
    assert len(frames) == 1, f"{len(frames)} tables with column {column}"
    return frames[0]

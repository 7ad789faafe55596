"""AppTest as the server runs the app (shared by the test fixtures and the page bench)."""

from __future__ import annotations

from streamlit.runtime.pages_manager import PagesManager


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

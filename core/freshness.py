"""Which stored data a cached read depends on, so that a change elsewhere leaves it cached.

Every write raises the data version (core.db); a write that says what it changed (an *area*:
one form's rows and its uploads and submissions, the settings, the form definitions) also
records that version as the area's. A read declared with :func:`reads` is cached on the versions
of its areas only: a school's staffing upload makes 辅导员配备 and 总览 read afresh, not
心理筛查 or 项目进度 — during a reporting season uploads come all day, and each one used to
make every page of every user cold. A read not declared is cached on the data version, which
every write raises: always right, never more than that.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

SETTINGS_AREA = "settings"  # standards, deadlines (app_setting)
DEFINITIONS_AREA = "definitions"  # forms declared as data (form_definition)
ReadFunction = TypeVar("ReadFunction", bound=Callable[..., object])


def form_area(form: str) -> str:
    """The area of ``form``'s rows, uploads and submissions (the 高校名录 is the form "institutions")."""
    return f"form:{form}"


INSTITUTIONS_AREA = form_area("institutions")
STAFFING_AREA = form_area("staffing")
SCREENING_AREA = form_area("screening")
PROJECTS_AREA = form_area("projects")


def reads(*areas: str) -> Callable[[ReadFunction], ReadFunction]:
    """Declare that a read (a page model, a query) depends on ``areas`` and nothing else.
    tests/test_freshness.py checks each declared read's SQL against its areas' tables."""

    def declare(function: ReadFunction) -> ReadFunction:
        function.reads_areas = tuple(areas)  # type: ignore[attr-defined]
        return function

    return declare


def areas_read(function: Callable[..., object]) -> tuple[str, ...] | None:
    """The areas ``function`` declared with :func:`reads`; None: not declared (it depends on all)."""
    return getattr(function, "reads_areas", None)

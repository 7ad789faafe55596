"""Cached reads depend on what they read (core.freshness): a write raises the version of the
areas it changed, so a staffing upload makes 辅导员配备 and 总览 read afresh and leaves
心理筛查 and 项目进度 cached; a read declared with its areas reads no other table."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, event

import core.queries
import core.views
from core.backup import backup, restore
from core.db import DataVersions, data_versions, init_db, make_engine
from core.deadlines import Period
from core.forms import FORMS
from core.freshness import (
    DEFINITIONS_AREA,
    INSTITUTIONS_AREA,
    PROJECTS_AREA,
    SCREENING_AREA,
    SETTINGS_AREA,
    STAFFING_AREA,
    areas_read,
    form_area,
)
from core.ingest import import_bytes, revert_upload
from core.review.submissions import return_submission
from core.scope import Scope
from core.settings_store import save_deadline
from core.views.projects import projects_page
from core.views.screening import screening_page
from core.views.staffing import staffing_page
from sample_data.generate import seed_database
from tests.factories import make_institution, store_rows
from tests.review_helpers import YEAR, seed_schools, upload_staffing, users
from tests.test_ingest_corpus import filled_template

TODAY = dt.date(2025, 11, 30)
SEEDED = Scope(year="2024-2025", provinces=("河南省",))
# Tables every form's writes touch (uploads, their history, submissions): any form's area covers them.
SHARED_FORM_TABLES = {"upload", "record_history", "submission", "submission_institution"}
EVERY_AREA = (
    SETTINGS_AREA,
    INSTITUTIONS_AREA,
    STAFFING_AREA,
    SCREENING_AREA,
    PROJECTS_AREA,
    DEFINITIONS_AREA,
)


def _keys(engine: Engine, *reads: Callable[..., object]) -> list[int | tuple[int, ...]]:
    versions = data_versions(engine)
    return [versions.of(areas_read(read)) for read in reads]


def test_a_staffing_upload_changes_the_keys_of_the_reads_of_staffing_only(any_engine: Engine) -> None:
    store_rows(any_engine, "institutions", [make_institution(code="4141010001")])
    pages = (staffing_page, screening_page, projects_page)
    before = _keys(any_engine, *pages)
    csv = (
        "学校标识码,学年,全日制本专科生数,全日制研究生数,专职辅导员数\n4141010001,2024-2025,18000,2000,100\n"
    )
    stored = import_bytes(any_engine, "staffing", csv.encode(), "配备.csv")
    after_upload = _keys(any_engine, *pages)
    revert_upload(any_engine, stored.upload_id)
    after_revert = _keys(any_engine, *pages)

    assert after_upload[0] != before[0]
    assert after_upload[1:] == before[1:]  # 心理筛查 and 项目进度 stay cached
    assert after_revert[0] != after_upload[0] and after_revert[1:] == before[1:]


def test_settings_a_new_school_and_a_restore_change_what_they_must(engine: Engine, tmp_path: Path) -> None:
    versions = [data_versions(engine)]
    save_deadline(engine, Period("staffing", "2024-2025"), dt.date(2024, 12, 1))
    versions.append(data_versions(engine))
    registry = filled_template("institutions", [make_institution(code="4141010001")])
    assert import_bytes(engine, "institutions", registry, "高校名录.xlsx").stored
    versions.append(data_versions(engine))
    url = engine.url.render_as_string(hide_password=False)
    backup(url, tmp_path / "copy.db")
    import_bytes(
        engine,
        "staffing",
        "学校标识码,学年,全日制本专科生数,全日制研究生数,专职辅导员数\n4141010001,2024-2025,9000,0,40\n".encode(),
        "配备.csv",
    )
    versions.append(data_versions(engine))
    restore(url, tmp_path / "copy.db", force=True)
    restored = make_engine(url)  # the file was replaced: a new connection reads the restored one
    versions.append(data_versions(restored))
    restored.dispose()

    def changed(before: DataVersions, after: DataVersions) -> set[str]:
        return {area for area in EVERY_AREA if before.of((area,)) != after.of((area,))}

    assert changed(versions[0], versions[1]) == {SETTINGS_AREA}
    assert changed(versions[1], versions[2]) == {INSTITUTIONS_AREA}
    assert changed(versions[2], versions[3]) == {STAFFING_AREA}
    everything = set(EVERY_AREA)
    assert changed(versions[3], versions[4]) == everything  # a restore: every area read afresh
    # never back to a key a running process may have cached other figures under
    assert all(versions[4].of((area,)) > versions[3].of((area,)) for area in everything)


def test_a_submission_waiting_for_review_and_its_return_change_its_forms_key(any_engine: Engine) -> None:
    seed_schools(any_engine)
    accounts = users(any_engine)
    before = data_versions(any_engine)
    submission = upload_staffing(any_engine, accounts["school"], 24_000)  # 待审核: nothing stored yet
    waiting = data_versions(any_engine)
    return_submission(
        any_engine, submission, actor="province", comment="学生数有误", reviewer=accounts["province"]
    )
    returned = data_versions(any_engine)

    assert before.of((STAFFING_AREA,)) != waiting.of((STAFFING_AREA,)) != returned.of((STAFFING_AREA,))
    assert before.of((SCREENING_AREA,)) == returned.of((SCREENING_AREA,))
    assert YEAR  # the helpers' 学年


# --- a declared read reads only its areas' tables -------------------------------------------------

ARGUMENTS: dict[str, tuple] = {  # each declared read's arguments after (engine, scope)
    "filter_choices": (),
    "count_institutions": (),
    "overview_page": (TODAY,),
    "peer_figures": (None, TODAY),  # the limits: filled in below (a school user's)
    "staffing_page": (),
    "group_table": ("level",),
    "screening_page": (),
    "projects_page": (TODAY,),
    "project_summary": (TODAY, "category"),
    "batch_choices": (),
    "completeness_page": (Period("staffing", "2024-2025"), TODAY),
}


def _declared_reads() -> Iterator[Callable[..., object]]:
    for package in (core.queries, core.views):
        for module in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
            for value in vars(importlib.import_module(module.name)).values():
                if callable(value) and areas_read(value) is not None and value.__module__ == module.name:
                    yield value


def _areas_of(table: str) -> set[str]:
    """The areas whose writes change ``table``."""
    tables = {form.table: form_area(name) for name, form in FORMS.items()}
    form_areas = set(tables.values()) | {form_area(name) for name in ("responsibility", "party")}
    if table in SHARED_FORM_TABLES:
        return form_areas
    if table == "app_setting":
        return {SETTINGS_AREA}
    if table in ("form_definition", "form_record", "form_value"):
        return {DEFINITIONS_AREA, *form_areas}
    return {tables[table]} if table in tables else set()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'app.db'}")
    init_db(engine)
    seed_database(engine, institutions=80, years=2, with_indicator_forms=True)
    return engine


def test_every_declared_read_reads_only_tables_its_areas_cover(seeded: Engine) -> None:
    from core.accounts.limits import Limits

    statements: list[str] = []
    listen = lambda *call: statements.append(call[2])  # noqa: E731 (before_cursor_execute: the SQL)
    event.listen(seeded, "before_cursor_execute", listen)
    uncovered, undeclared = {}, []
    try:
        for read in _declared_reads():
            if read.__name__ not in ARGUMENTS:
                undeclared.append(read.__name__)
                continue
            arguments = ARGUMENTS[read.__name__]
            if read.__name__ == "peer_figures":
                arguments = (Limits(provinces=(), codes=("4141010001",)), TODAY)
            statements.clear()
            read(seeded, SEEDED, *arguments)
            tables = {
                t for s in statements for t in re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', s, re.IGNORECASE)
            }
            declared = set(areas_read(read))
            missing = sorted(table for table in tables if not _areas_of(table) & declared)
            if missing:
                uncovered[read.__name__] = missing
    finally:
        event.remove(seeded, "before_cursor_execute", listen)

    assert not undeclared, f"add the arguments of {undeclared} to ARGUMENTS"
    assert not uncovered, f"reads of tables their declared areas do not cover: {uncovered}"
    assert len(list(_declared_reads())) == len(ARGUMENTS)

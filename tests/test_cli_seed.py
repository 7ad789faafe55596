"""`python -m core.cli seed`: loads the sample data (the built-in forms declared as data included)
once; `--if-empty` leaves a filled database alone."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from core.db import make_engine
from core.models import FORM_MODELS, Upload
from core.scope import Scope
from core.views.completeness import reporting_summary
from sample_data import indicator_forms
from sample_data.dataset import SAMPLE_TODAY
from sample_data.generate import generate_dataset
from sample_data.submissions import sample_files
from tests.cli import run_cli

AT_SAMPLE_TODAY = {"APP_TODAY": SAMPLE_TODAY.isoformat()}


def _counts(db_url: str) -> dict[str, int]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            counts = {
                name: connection.execute(select(func.count()).select_from(model)).scalar_one()
                for name, model in FORM_MODELS.items()
            }
            counts["uploads"] = connection.execute(select(func.count()).select_from(Upload)).scalar_one()
        return counts
    finally:
        engine.dispose()


def _newest_staffing(db_url: str) -> dict[str, Any]:
    """The 报送情况 summary of 队伍配备 2024-2025 as the app shows it on 2025-11-30."""
    engine = make_engine(db_url)
    try:
        return reporting_summary(engine, Scope(year="2024-2025"), SAMPLE_TODAY)["staffing"]
    finally:
        engine.dispose()


def test_seed_loads_the_sample_and_a_second_seed_if_empty_does_nothing(db_url: str) -> None:
    sample = generate_dataset()
    uploads = len(sample_files(sample)) + len(
        indicator_forms.FILES
    )  # + the two built-in forms declared as data
    expected = {name: len(sample.rows(name)) for name in FORM_MODELS} | {"uploads": uploads}

    first = run_cli(db_url, "seed", env=AT_SAMPLE_TODAY)
    after_first = _counts(db_url)
    second = run_cli(db_url, "seed", "--if-empty", env=AT_SAMPLE_TODAY)

    assert first.returncode == 0, first.stderr
    assert "已载入：高校 120 所" in first.stdout
    assert all(f"，{stem} " in first.stdout for stem in indicator_forms.FILES.values())
    assert after_first == expected
    staffing = _newest_staffing(db_url)
    assert 85 <= staffing["on_time_rate"] < 100
    assert staffing["late"] >= 1
    assert second.returncode == 0, second.stderr
    assert "跳过" in second.stdout
    assert _counts(db_url) == after_first


def test_seed_with_a_size_generates_and_loads_that_many(db_url: str) -> None:
    expected = generate_dataset(30, 2)

    result = run_cli(db_url, "seed", "--institutions", "30", "--years", "2", env=AT_SAMPLE_TODAY)

    assert result.returncode == 0, result.stderr
    counts = _counts(db_url)
    assert {name: counts[name] for name in FORM_MODELS} == {
        name: len(expected.rows(name)) for name in FORM_MODELS
    }
    assert _newest_staffing(db_url)["late"] >= 1

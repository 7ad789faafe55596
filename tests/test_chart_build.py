"""Every chart the monitoring pages draw, built from real page models: a valid Vega-Lite spec,
made without Altair's slow path (a bare string or alt.value() given to encode() makes Altair 6
turn it into a channel through SchemaBase.from_dict, which rebuilds a table of all its ~570
schema classes each time: ~5 ms a channel, a third of a province's chart time)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import altair as alt
import pytest
from altair.utils.schemapi import SchemaBase

from core.charts import completeness as completeness_charts
from core.charts import projects as project_charts
from core.charts import screening as screening_charts
from core.charts import staffing as staffing_charts
from core.db import init_db, make_engine
from core.deadlines import Period
from core.metrics.screening import DEFAULT_COVERAGE_LINE
from core.scope import Scope
from core.views.completeness import completeness_page
from core.views.projects import projects_page
from core.views.screening import screening_page
from core.views.staffing import staffing_page
from sample_data.generate import seed_database

TODAY = dt.date(2025, 11, 30)
YEAR = "2024-2025"


@pytest.fixture(scope="module")
def charts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Callable[[], alt.TopLevelMixin]]:
    """Each page's charts of one province, as the pages build them (name → build)."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('charts') / 'app.db'}")
    init_db(engine)
    seed_database(engine, institutions=60, years=2)
    province = engine.connect().exec_driver_sql("SELECT province FROM institution LIMIT 1").scalar_one()
    scope = Scope(year=YEAR, provinces=(province,))
    staffing = staffing_page(engine, scope)
    chosen = staffing.standards.counselors
    screening = screening_page(engine, scope)
    projects = projects_page(engine, scope.all_years(), TODAY, categories=(), batches=(), stages=())
    completeness = completeness_page(engine, scope, Period("staffing", YEAR), TODAY)
    return {
        "compliance_by_group": lambda: staffing_charts.compliance_by_group_chart(staffing.provinces, chosen),
        "students_vs_staff": lambda: staffing_charts.students_vs_staff_chart(
            staffing.points[chosen.key], chosen
        ),
        "compliance_trend": lambda: staffing_charts.compliance_trend_chart(staffing.trend),
        "ratio_distribution": lambda: staffing_charts.ratio_distribution_chart(
            staffing.ratios[chosen.key], staffing.ticks[chosen.key], chosen
        ),
        "coverage_by_province": lambda: screening_charts.coverage_by_province(
            screening.by_province, DEFAULT_COVERAGE_LINE
        ),
        "risk_levels": lambda: screening_charts.risk_levels(screening.risks, screening.risk_group),
        "coverage_trend": lambda: screening_charts.coverage_trend(screening.trend, DEFAULT_COVERAGE_LINE),
        "risk_rate_trend": lambda: screening_charts.risk_rate_trend(screening.trend),
        "follow_up": lambda: screening_charts.follow_up_scatter(screening.follow_up),
        "stages": lambda: project_charts.stage_by_category_chart(projects.stage_counts),
        "progress": lambda: project_charts.progress_histogram(projects.progress),
        "timeline": lambda: project_charts.timeline_chart(projects.timeline, TODAY, projects.count),
        "overdue": lambda: project_charts.overdue_by_province_chart(projects.by_province),
        "status_heatmap": lambda: completeness_charts.status_heatmap(completeness.matrix),
        "reporting_rate": lambda: completeness_charts.reporting_rate_chart(
            completeness.province_rates, completeness.overall_rate
        ),
    }


@pytest.fixture
def channels_from_dicts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The classes Altair built through SchemaBase.from_dict while the test ran."""
    built: list[str] = []
    original = SchemaBase.from_dict.__func__  # type: ignore[attr-defined]

    def spy(cls, dct, validate=True):  # noqa: ANN001, ANN202 (SchemaBase.from_dict's own signature)
        built.append(cls.__name__)
        return original(cls, dct, validate)

    monkeypatch.setattr(SchemaBase, "from_dict", classmethod(spy))
    yield built


@pytest.mark.parametrize(
    "name",
    [
        "compliance_by_group",
        "students_vs_staff",
        "compliance_trend",
        "ratio_distribution",
        "coverage_by_province",
        "risk_levels",
        "coverage_trend",
        "risk_rate_trend",
        "follow_up",
        "stages",
        "progress",
        "timeline",
        "overdue",
        "status_heatmap",
        "reporting_rate",
    ],
)
def test_each_chart_builds_a_valid_spec_without_altairs_slow_path(
    charts: dict[str, Callable[[], alt.TopLevelMixin]], channels_from_dicts: list[str], name: str
) -> None:
    chart = charts[name]()
    assert channels_from_dicts == [], f"用字符串或 alt.value() 写了通道：{channels_from_dicts}"
    spec = chart.to_dict()  # validated against the Vega-Lite schema
    assert spec.get("layer") or spec.get("mark") or spec.get("vconcat") or spec.get("hconcat")

"""Key-project charts: the Vega-Lite specs carry the right data, encodings and Chinese labels."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from core.charts import projects as charts
from core.forms import PROJECT_STAGES
from core.metrics import projects as metrics
from tests.factories import make_project_row

TODAY = dt.date(2025, 11, 30)


def frame(*rows: dict[str, Any]) -> pd.DataFrame:
    base = {"institution_name": "示例第一大学", "province": "河南省", "level": "本科", "ownership": "公办"}
    return pd.DataFrame(
        [make_project_row(project_id=f"XM-{index:03d}") | base | row for index, row in enumerate(rows)]
    )


def layer_data(spec: dict[str, Any], layer: dict[str, Any]) -> list[dict[str, Any]]:
    return spec["datasets"][layer.get("data", spec.get("data"))["name"]]


def layer_with_mark(spec: dict[str, Any], mark: str) -> dict[str, Any]:
    (layer,) = [layer for layer in spec["layer"] if layer["mark"]["type"] == mark]
    return layer


def test_timeline_has_a_rule_at_today() -> None:
    spec = charts.timeline_chart(frame({}), TODAY).to_dict()

    rule = layer_with_mark(spec, "rule")

    assert rule["encoding"]["x"]["field"] == "today"
    assert rule["encoding"]["x"]["type"] == "temporal"
    assert layer_data(spec, rule) == [{"today": "2025-11-30", "label": "今天 2025-11-30"}]


def test_timeline_bars_run_from_start_to_due_coloured_by_stage() -> None:
    spec = charts.timeline_chart(
        frame({"start": dt.date(2024, 3, 1), "due": dt.date(2025, 12, 31)}), TODAY
    ).to_dict()

    bars = layer_with_mark(spec, "bar")
    encoding = bars["encoding"]

    assert (encoding["x"]["field"], encoding["x"]["type"], encoding["x2"]["field"]) == (
        "start",
        "temporal",
        "due",
    )
    assert encoding["color"]["field"] == "stage"
    assert encoding["color"]["scale"]["domain"] == list(PROJECT_STAGES)
    assert {tip["title"] for tip in encoding["tooltip"]} >= {
        "项目编号",
        "立项日期",
        "计划完成日期",
        "逾期天数",
    }
    row = layer_data(spec, bars)[0]
    assert (row["start"], row["due"]) == ("2024-03-01", "2025-12-31")
    assert spec["title"]["text"].startswith("项目时间轴")


def test_timeline_marks_overdue_projects() -> None:
    projects = frame(
        {"project_id": "LATE", "due": dt.date(2025, 11, 1)},
        {"project_id": "DONE", "due": dt.date(2025, 11, 1), "stage": "已验收通过"},
        {"project_id": "FINE", "due": dt.date(2026, 1, 1)},
    )

    spec = charts.timeline_chart(projects, TODAY).to_dict()

    marks = layer_with_mark(spec, "point")
    assert marks["transform"] == [{"filter": "(datum.overdue === '是')"}]
    assert marks["encoding"]["x"]["field"] == "due"
    overdue = {row["project_id"]: (row["overdue"], row["days_overdue"]) for row in layer_data(spec, marks)}
    assert overdue == {"LATE": ("是", 29), "DONE": ("否", 0), "FINE": ("否", 0)}


def test_timeline_draws_at_most_the_limit_and_says_so() -> None:
    projects = frame(*({"due": dt.date(2026, 1, 1) + dt.timedelta(days=day)} for day in range(5)))

    spec = charts.timeline_chart(projects, TODAY, limit=3).to_dict()

    assert len(layer_data(spec, layer_with_mark(spec, "bar"))) == 3
    assert spec["title"]["subtitle"] == "显示 3 / 5 个项目"


def test_timeline_of_chosen_rows_counts_every_project() -> None:
    projects = frame(*({"due": dt.date(2026, 1, 1) + dt.timedelta(days=day)} for day in range(5)))

    spec = charts.timeline_chart(metrics.timeline_rows(projects, 2), TODAY, len(projects)).to_dict()

    assert [row["project_id"] for row in layer_data(spec, layer_with_mark(spec, "bar"))] == [
        "XM-000",
        "XM-001",
    ]
    assert spec["title"]["subtitle"] == "显示 2 / 5 个项目"


def test_stage_chart_stacks_stages_per_category() -> None:
    projects = frame(
        {"category": "网络思政", "stage": "立项"},
        {"category": "网络思政", "stage": "立项"},
        {"category": "心理健康教育", "stage": "已验收通过"},
    )

    spec = charts.stage_by_category_chart(metrics.stage_counts_by(projects, "category")).to_dict()

    assert spec["encoding"]["y"]["title"] == "项目类别"
    assert spec["encoding"]["color"]["field"] == "stage"
    counts = {(row["category"], row["stage"]): row["projects"] for row in layer_data(spec, spec)}
    assert counts == {("网络思政", "立项"): 2, ("心理健康教育", "已验收通过"): 1}


def test_progress_histogram_bins_zero_to_hundred_by_ten() -> None:
    spec = charts.progress_histogram(frame({"progress": 35.0}, {"progress": 100.0})).to_dict()

    x = spec["encoding"]["x"]

    assert x["bin"] == {"extent": [0, 100], "step": 10}
    assert x["title"] == "完成进度（%）"
    assert spec["encoding"]["y"]["title"] == "项目数"


def test_progress_histogram_sends_counts_per_band_not_every_project() -> None:
    projects = frame(*({"progress": 35.0} for _ in range(40)), {"progress": 100.0}, {"progress": 30.0})

    spec = charts.progress_histogram(projects).to_dict()

    rows = layer_data(spec, spec)
    assert spec["encoding"]["y"]["aggregate"] == "sum"
    assert {(row["progress"], row["projects"]) for row in rows} == {(30.0, 41), (90.0, 1)}


def test_overdue_by_province_counts_only_provinces_with_overdue_projects() -> None:
    projects = frame(
        {"province": "河南省", "due": dt.date(2025, 1, 1)},
        {"province": "河南省", "due": dt.date(2025, 2, 1)},
        {"province": "北京市", "due": dt.date(2025, 1, 1), "stage": "终止"},
        {"province": "江苏省", "due": dt.date(2026, 1, 1)},
    )

    spec = charts.overdue_by_province_chart(metrics.summary_by(projects, TODAY, "province")).to_dict()

    rows = {row["province"]: row["overdue"] for row in layer_data(spec, spec)}
    assert rows == {"河南省": 2}
    assert spec["encoding"]["x"]["title"] == "逾期项目数"

"""Staffing charts: Chinese titles that read naturally, and one point per school drawn."""

from __future__ import annotations

import pandas as pd
import pytest

from core.charts import staffing as charts
from core.metrics.boxplot import box_statistics
from core.standards import DEFAULT_STANDARDS


def group_table(group: str, names: list[str]) -> pd.DataFrame:
    label = DEFAULT_STANDARDS.counselors.label
    return pd.DataFrame(
        {
            group: names,
            f"{label}适用学校数": [4] * len(names),
            f"{label}达标学校数": [3] * len(names),
            f"{label}达标率": ["75.0%"] * len(names),
            f"{label}缺口合计": [2] * len(names),
        }
    )


@pytest.mark.parametrize(
    ("group", "names", "title"),
    [
        ("所在省份", ["河南省", "北京市"], "各省份专职辅导员配备达标率"),  # case: not “各所在省份”
        ("办学层次", ["本科", "高职（专科）"], "各办学层次专职辅导员配备达标率"),  # case: level
        ("办学性质", ["公办", "民办"], "各办学性质专职辅导员配备达标率"),  # case: ownership
    ],
)
def test_compliance_chart_title_names_the_grouping(group: str, names: list[str], title: str) -> None:
    chart = charts.compliance_by_group_chart(group_table(group, names), DEFAULT_STANDARDS.counselors, group)

    assert chart.to_dict()["title"].startswith(f"{title}（师生比不低于 1:200）")


def test_ratio_chart_sends_one_row_per_box_not_every_school() -> None:
    schools = pd.DataFrame(
        {
            "group": ["本科·公办"] * 300,
            "办学层次": ["本科"] * 300,
            "per_staff": [150.0 + index for index in range(300)],
        }
    )
    boxes = box_statistics(schools, ["group", "办学层次"], "per_staff")
    ticks = schools.head(5).assign(学校名称="甲大学", 所在省份="河南省", 辅导员师生比="1:150")

    spec = charts.ratio_distribution_chart(boxes, ticks, DEFAULT_STANDARDS.counselors).to_dict()

    rows = sum(len(values) for values in spec["datasets"].values())
    assert rows <= 1 + 5 + 1  # the box, the ticks drawn, the reference rule
    assert "boxplot" not in str(spec)
    assert spec["title"].startswith("专职辅导员师生比分布")

"""Staffing charts: Chinese titles that read naturally, and one point per school drawn."""

from __future__ import annotations

import pandas as pd
import pytest

from core.charts import staffing as charts
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

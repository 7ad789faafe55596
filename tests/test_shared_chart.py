"""pages._shared.chart: a cached chart is drawn exactly as st.altair_chart draws it."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import pandas as pd
    import streamlit as st

    from core.charts.staffing import compliance_trend_chart
    from pages._charts import chart

    trend = pd.DataFrame(
        {
            "学年": ["2023-2024", "2024-2025"],
            "指标": ["辅导员", "辅导员"],
            "适用学校数": [4, 5],
            "达标学校数": [1, 3],
            "达标率": ["25.0%", "60.0%"],
        }
    )
    st.altair_chart(compliance_trend_chart(trend), width="stretch")
    chart(compliance_trend_chart, trend)  # built and cached
    chart(compliance_trend_chart, trend.copy())  # an equal frame: from the cache


def test_cached_chart_is_drawn_like_altair_chart() -> None:
    app = AppTest.from_function(_script).run()

    assert not app.exception, [exception.value for exception in app.exception]
    drawn = [element.proto for element in app.get("vega_lite_chart")]
    assert len(drawn) == 3
    assert drawn[0].spec == drawn[1].spec == drawn[2].spec
    assert json.loads(drawn[0].spec)["title"] == "各学年配备达标率变化"
    datasets = [[(dataset.name, dataset.data.data) for dataset in proto.datasets] for proto in drawn]
    assert datasets[0] == datasets[1] == datasets[2] and datasets[0]

"""pages._shared.chart: a cached chart is drawn exactly as st.altair_chart draws it."""

from __future__ import annotations

import json

import pandas as pd
from streamlit.testing.v1 import AppTest


def sample_trend() -> pd.DataFrame:
    """A 各学年配备达标率变化 frame of two years (the scripts below import it)."""
    return pd.DataFrame(
        {
            "学年": ["2023-2024", "2024-2025"],
            "指标": ["辅导员", "辅导员"],
            "适用学校数": [4, 5],
            "达标学校数": [1, 3],
            "达标率": ["25.0%", "60.0%"],
        }
    )


def _script() -> None:
    import streamlit as st

    from core.charts.staffing import compliance_trend_chart
    from pages._charts import chart
    from tests.test_shared_chart import sample_trend

    trend = sample_trend()
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


def _together_script() -> None:
    import streamlit as st

    from core.charts.staffing import compliance_trend_chart
    from pages._charts import chart, charts_together
    from tests.test_shared_chart import sample_trend

    trend = sample_trend()
    better = trend.assign(达标学校数=[2, 5], 达标率=["50.0%", "100.0%"])
    st.altair_chart(compliance_trend_chart(trend), width="stretch")
    st.altair_chart(compliance_trend_chart(better), width="stretch")
    with charts_together():
        left, right = st.columns(2)
        with right:
            chart(compliance_trend_chart, trend)
        st.caption("两栏之后")
        with left:
            chart(compliance_trend_chart, better)
    st.caption("图之后")


def test_charts_built_together_are_drawn_in_their_places() -> None:
    app = AppTest.from_function(_together_script).run()

    assert not app.exception, [exception.value for exception in app.exception]
    direct_trend, direct_better = (element.proto for element in app.main.get("vega_lite_chart")[:2])
    left, right = app.columns
    [in_left] = [element.proto for element in left.get("vega_lite_chart")]
    [in_right] = [element.proto for element in right.get("vega_lite_chart")]
    assert (in_left.spec, in_left.datasets) == (direct_better.spec, direct_better.datasets)
    assert (in_right.spec, in_right.datasets) == (direct_trend.spec, direct_trend.datasets)
    assert [caption.value for caption in app.caption] == ["两栏之后", "图之后"]


def _failing_together_script() -> None:
    import pandas as pd

    from pages._charts import chart, charts_together

    def broken(_frame: pd.DataFrame) -> None:
        raise RuntimeError("图表数据有误")

    with charts_together():
        chart(broken, pd.DataFrame({"a": [1]}))


def test_a_chart_that_fails_to_build_together_fails_the_run() -> None:
    app = AppTest.from_function(_failing_together_script).run()

    assert len(app.exception) == 1  # shown, not swallowed (AppTest redacts its message)
    assert not app.get("vega_lite_chart")

"""Box-plot statistics computed on the server equal what the browser used to compute."""

from __future__ import annotations

import pandas as pd

from core.metrics.boxplot import box_statistics

# 本科·公办: 1..9 and 100 (an outlier beyond 1.5 × IQR); 高职·民办: three values and a blank.
FRAME = pd.DataFrame(
    {
        "group": ["本科·公办"] * 10 + ["高职·民办"] * 4,
        "level": ["本科"] * 10 + ["高职"] * 4,
        "per_staff": [*range(1, 10), 100, 300.0, 150.0, 210.0, None],
    }
)


def test_quartiles_equal_pandas_quantiles() -> None:
    boxes = box_statistics(FRAME, ["group", "level"], "per_staff").set_index("group")

    for group, values in FRAME.dropna().groupby("group")["per_staff"]:
        expected = values.quantile([0.25, 0.5, 0.75]).tolist()
        assert boxes.loc[group, ["q1", "median", "q3"]].tolist() == expected
        assert boxes.loc[group, "count"] == len(values)
    assert boxes.loc["本科·公办", "level"] == "本科"


def test_whiskers_stop_at_the_furthest_value_within_one_and_a_half_iqr() -> None:
    boxes = box_statistics(FRAME, ["group", "level"], "per_staff").set_index("group")

    # 本科·公办: q1 3.25, q3 7.75, IQR 4.5 → fences -3.5 and 14.5; 100 lies beyond.
    assert boxes.loc["本科·公办", ["lower", "upper"]].tolist() == [1.0, 9.0]
    # 高职·民办: no value beyond the fences, the whiskers reach the extremes.
    assert boxes.loc["高职·民办", ["lower", "upper"]].tolist() == [150.0, 300.0]


def test_no_values_give_no_boxes() -> None:
    boxes = box_statistics(FRAME.iloc[:0], ["group", "level"], "per_staff")

    assert boxes.empty
    assert {"q1", "median", "q3", "lower", "upper"} <= set(boxes.columns)

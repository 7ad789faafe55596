"""A page of a table's rows is made once per table and page, numbers numeric, as st.dataframe draws it."""

from __future__ import annotations

import pandas as pd

from pages._screen_rows import screen_rows

FRAME = pd.DataFrame(
    {
        "学校标识码": [f"41410100{index:02d}" for index in range(30)],
        "达标率": [f"{index}.0%" for index in range(30)],
    }
)


def test_rows_of_a_page_are_the_chosen_rows_with_numbers() -> None:
    shown, config = screen_rows(FRAME, 10, 20)

    rows = shown.to_pandas() if hasattr(shown, "to_pandas") else shown
    assert rows["学校标识码"].tolist() == FRAME["学校标识码"].iloc[10:20].tolist()
    assert rows["达标率"].tolist() == [float(index) for index in range(10, 20)]
    assert set(config) == {"达标率"}


def test_the_same_table_and_page_are_made_once_an_equal_copy_anew() -> None:
    first = screen_rows(FRAME, 0, 10)

    assert screen_rows(FRAME, 0, 10) is first
    assert screen_rows(FRAME.copy(), 0, 10) is not first
    assert screen_rows(FRAME, 10, 20) is not first

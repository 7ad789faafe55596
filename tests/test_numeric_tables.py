"""Rates and ratios on screen are numbers (they sort as numbers); their CSVs keep the texts."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine

from core.export import csv_bytes
from core.scope import Scope
from core.screen import Kind, numeric_for_screen
from core.views.staffing import group_table
from tests.apptest import open_app_page, table_with
from tests.factories import store_rows
from tests.test_completeness import hand_built
from tests.test_staffing_page import INSTITUTIONS, STAFFING


def test_texts_of_rates_and_ratios_become_numbers() -> None:
    frame = pd.DataFrame(
        {
            "报送率": ["100.0%", "78.6%", ""],  # case: '' (no denominator) stays empty
            "师生比": ["1:200.3", None, "1:4001.0"],
            "学校名称": ["甲", "乙", "丙"],  # case: text stays text
            "学校标识码": ["4141010001", "4141010002", "4141010003"],  # case: digits stay text
        }
    )

    shown, kinds = numeric_for_screen(frame)

    assert kinds == {"报送率": Kind.PERCENT, "师生比": Kind.RATIO}
    assert shown["报送率"].tolist() == [100.0, 78.6, pd.NA]
    assert shown["师生比"].tolist() == [200.3, pd.NA, 4001.0]
    assert shown["学校标识码"].tolist() == frame["学校标识码"].tolist()
    assert frame["报送率"].tolist() == ["100.0%", "78.6%", ""]  # the CSV's frame is unchanged


@pytest.fixture
def staffing_engine(app_engine: Engine) -> Engine:
    store_rows(app_engine, "institutions", INSTITUTIONS)
    store_rows(app_engine, "staffing", STAFFING)
    return app_engine


def test_staffing_group_table_rates_are_numeric_on_screen_and_text_in_the_csv(
    staffing_engine: Engine,
) -> None:
    app = open_app_page("pages/staffing.py", year="2024-2025")

    shown = table_with(app, "辅导员达标率", without="办学层次")

    assert pd.api.types.is_float_dtype(shown["辅导员达标率"])
    assert sorted(shown["辅导员达标率"].tolist(), reverse=True) == [50.0, 0.0]
    assert pd.api.types.is_float_dtype(shown["辅导员总体师生比"])
    csv = csv_bytes(group_table(staffing_engine, Scope(year="2024-2025"), "province")).decode("utf-8-sig")
    assert "50.0%" in csv


def test_completeness_rate_tables_are_numeric(app_engine: Engine) -> None:
    hand_built(app_engine)
    app = open_app_page("pages/completeness.py", year="2024-2025")

    rates = [table.value for table in app.dataframe if "报送率" in table.value.columns]

    assert len(rates) == 4  # by province, by 办学层次, by 办学性质; the forms declared as data
    for shown in rates:
        assert pd.api.types.is_float_dtype(shown["报送率"])
        if "按时报送率" in shown.columns:  # the forms declared as data have no deadlines
            assert pd.api.types.is_float_dtype(shown["按时报送率"])

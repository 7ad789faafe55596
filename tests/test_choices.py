"""A choice among thousands offers the first MAX_OFFERED and a 查找 box for the rest."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from pages._choices import MAX_OFFERED


def _script() -> None:
    import streamlit as st

    from pages._choices import offered

    schools = [f"学校{number:04d}" for number in range(1, 251)]
    st.selectbox("督办对象", offered(schools, str, key="case", what="督办对象"), key="case_target")
    few = ["甲大学", "乙学院"]
    st.selectbox("项目", offered(few, str, key="few", what="项目"), key="few_target")


def test_many_choices_offer_the_first_ones_and_find_the_others() -> None:
    app = AppTest.from_function(_script).run()

    assert not app.exception
    assert len(app.selectbox(key="case_target").options) == MAX_OFFERED
    assert app.selectbox(key="case_target").options[0] == "学校0001"
    assert "共 250 个督办对象" in app.caption[0].value
    assert app.selectbox(key="few_target").options == ["甲大学", "乙学院"]  # case: few: no 查找 box
    assert [box.key for box in app.text_input] == ["case_search"]

    app.text_input(key="case_search").input("0249").run()

    assert app.selectbox(key="case_target").options == ["学校0249"]

"""配备标准: the thresholds and the part-time counselor factor every staffing figure uses."""

from __future__ import annotations

import streamlit as st

from core.accounts.settings import change_standards
from core.settings_store import load_standards
from core.standards import (
    DEFAULT_STANDARDS,
    PART_TIME_FACTOR_SOURCE,
    InvalidStandards,
    Standard,
    make_standards,
)
from core.text import md_escape
from pages._shared import clear_cached_reads, client_address, get_engine, require_page

account = require_page("pages/standards_settings.py")  # 系统管理员 only
st.title("配备标准")
st.caption("修改后，所有页面的师生比、应配数、缺口和达标情况都按新标准重新计算。仅系统管理员可修改。")

SAVED_FLAG = "standards_saved"


def threshold_field(label: str, standard: Standard) -> int:
    """The field for one standard's 1:N, showing the N in force."""
    return st.number_input(label, min_value=1, step=1, value=standard.threshold)


engine = get_engine()
standards = load_standards(engine)
if st.session_state.pop(SAVED_FLAG, False):
    st.success("已保存。各页面的配备指标已按新标准重新计算。")

st.markdown("#### 现行标准")
for standard in standards:
    default = DEFAULT_STANDARDS.by_key(standard.key)
    changed = "" if standard == default else f"（国家标准默认值 1:{default.threshold:,}，已调整）"
    st.markdown(f"- **{md_escape(standard.describe())}**{changed}　依据：{md_escape(standard.source)}")
st.markdown(f"- **兼职辅导员折算系数：{standards.part_time_factor}**　{PART_TIME_FACTOR_SOURCE}")

with st.form("standards_form"):
    st.markdown("#### 调整标准")
    counselor = threshold_field("专职辅导员：每名对应的全日制学生数上限（1:N 中的 N）", standards.counselors)
    ideo = threshold_field("专职思政课教师：每名对应的全日制学生数上限", standards.ideo)
    psy = threshold_field("专职心理健康教育教师：每名对应的全日制学生数上限", standards.psy)
    psy_minimum = st.number_input(
        "专职心理健康教育教师：每校最少人数",
        min_value=0,
        step=1,
        value=standards.psy.minimum,
    )
    factor = st.text_input(
        "兼职辅导员折算系数（0 到 1，可写分数，如 0 或 1/3）",
        value=str(standards.part_time_factor),
        help=PART_TIME_FACTOR_SOURCE + "。计入辅导员数 = 专职 + 系数 × 兼职。",
    )
    submitted = st.form_submit_button("保存", type="primary")

if submitted:
    try:
        new_standards = make_standards(
            counselor_threshold=int(counselor),
            ideo_threshold=int(ideo),
            psy_threshold=int(psy),
            psy_minimum=int(psy_minimum),
            part_time_factor=factor,
        )
    except InvalidStandards as problem:
        for message in problem.messages:
            st.error(message)
    else:
        change_standards(engine, account, new_standards, client=client_address())
        clear_cached_reads()
        st.session_state[SAVED_FLAG] = True
        st.rerun()

if st.button("恢复国家标准默认值", disabled=standards == DEFAULT_STANDARDS):
    change_standards(engine, account, None, client=client_address())
    clear_cached_reads()
    st.session_state[SAVED_FLAG] = True
    st.rerun()

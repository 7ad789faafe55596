"""Entry point: navigation over pages/ and the global sidebar filters (→ Scope)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.forms import LEVELS, OWNERSHIPS
from core.queries.base import available_provinces, available_years
from core.scope import Scope
from pages._shared import SCOPE_KEY, get_engine

HERE = Path(__file__).parent

# (section, file, title, icon); a page whose file does not exist yet is left out.
PAGES = [
    ("监测", "pages/overview.py", "总览", ":material/dashboard:"),
    ("监测", "pages/staffing.py", "辅导员配备", ":material/groups:"),
    ("监测", "pages/screening.py", "心理筛查", ":material/psychology:"),
    ("监测", "pages/projects.py", "项目进度", ":material/flag:"),
    ("报送", "pages/completeness.py", "报送情况", ":material/fact_check:"),
    ("报送", "pages/profile.py", "学校画像", ":material/school:"),
    ("报送", "pages/upload.py", "数据上传", ":material/upload_file:"),
    ("报送", "pages/uploads.py", "上传记录", ":material/history:"),
    ("设置", "pages/standards_settings.py", "配备标准", ":material/rule:"),
    ("设置", "pages/deadlines.py", "报送截止日期", ":material/event:"),
]


def navigation() -> dict[str, list]:
    sections: dict[str, list] = {}
    for section, path, title, icon in PAGES:
        if (HERE / path).exists():
            page = st.Page(path, title=title, icon=icon, default=path.endswith("overview.py"))
            sections.setdefault(section, []).append(page)
    return sections


def sidebar_scope() -> Scope:
    """Draw the global filters; widget keys keep the choice across pages."""
    engine = get_engine()
    years = available_years(engine)
    with st.sidebar:
        st.markdown("### 筛选")
        year = st.selectbox(
            "学年", years, index=0 if years else None, key="filter_year", placeholder="暂无数据"
        )
        provinces = st.multiselect(
            "省份", available_provinces(engine), key="filter_provinces", placeholder="全部省份"
        )
        levels = st.multiselect("办学层次", LEVELS, key="filter_levels", placeholder="全部")
        ownerships = st.multiselect("办学性质", OWNERSHIPS, key="filter_ownerships", placeholder="全部")
    return Scope(
        year=year,
        provinces=tuple(provinces),
        levels=tuple(levels),
        ownerships=tuple(ownerships),
    )


st.set_page_config(page_title="高校思政工作监测平台", page_icon=":material/school:", layout="wide")
page = st.navigation(navigation())
st.session_state[SCOPE_KEY] = sidebar_scope()
page.run()

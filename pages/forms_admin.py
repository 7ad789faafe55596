"""表单管理: add, replace or retire a form declared as data (spec/forms-as-data.md) — upload its TOML
definition or write it here, check it and preview the template, see its versions."""

from __future__ import annotations

import streamlit as st

from core.text import md_escape
from core.views import form_definitions as views
from pages._shared import cached, clear_cached_reads, current_scope, get_engine, require_page, table

account = require_page("pages/forms_admin.py")  # 系统管理员 only
scope = current_scope()
st.title("表单管理")
st.caption(
    "每季度新增的统计表不需要升级系统：写一个表单定义（TOML），系统据此生成模板、校验上传、"
    "保存历史、列出未报送名单、计算指标和达标情况。同名定义再次保存即为新版本，已存数据保留。"
)

forms = cached(views.forms_frame, scope)
st.subheader("在用的表单")
table(forms, "表单列表", scope, key="forms_admin_csv")

st.subheader("添加或替换表单")
uploaded = st.file_uploader("上传表单定义（.toml，UTF-8）", type=["toml"], key="forms_admin_file")
if uploaded is not None:
    text = uploaded.getvalue().decode("utf-8", errors="replace")
    st.code(text, language="toml")
else:
    text = st.text_area(
        "或在此填写表单定义",
        height=320,
        key="forms_admin_text",
        placeholder='name = "risk_check"\ntitle = "……"\nsheet = "……"\nperiod = "year"\n\n[[field]]\nkey = "……"',
    )
checked = views.check_text(text) if text.strip() else None
if checked is not None and checked.problems:
    st.error(
        "表单定义有以下问题，请修改后再保存：\n\n"
        + "\n".join(f"- {md_escape(problem)}" for problem in checked.problems)
    )
elif checked is not None:
    st.success(f"「{md_escape(checked.definition.title)}」（{checked.definition.name}）检查通过。模板预览：")
    st.dataframe(checked.columns, hide_index=True, width="stretch")
    if not checked.indicators.empty:
        st.dataframe(checked.indicators, hide_index=True, width="stretch")
    if st.button("保存表单定义", type="primary", key="forms_admin_save"):
        saved = views.save(get_engine(), text, by=account.name)
        if saved.problems:
            st.error("\n".join(md_escape(problem) for problem in saved.problems))
        else:
            clear_cached_reads()
            st.success(f"已保存「{md_escape(saved.definition.title)}」第 {saved.definition.version} 版")

if not forms.empty:
    st.subheader("版本与停用")
    name = st.selectbox("表单", forms["名称"].tolist(), key="forms_admin_name")
    table(cached(views.versions_frame, scope, name), f"{name}_版本", scope, key="forms_admin_versions_csv")
    if st.button("停用此表单", key="forms_admin_retire", help="停用后不再接收上传；已存数据保留"):
        version = views.retire(get_engine(), name, by=account.name)
        clear_cached_reads()
        st.success(f"已停用 {name}（第 {version} 版）")

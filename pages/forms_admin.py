"""表单管理: add, replace or retire a form declared as data (spec/forms-as-data.md) — upload its TOML
definition, write it here, or fill the same fields row by row; check it and preview the template;
see its versions. The row-by-row editor writes the definition's TOML (core.formdefs.editor), which is
checked and stored exactly like an uploaded file."""

from __future__ import annotations

import pandas as pd
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


def check_and_save(text: str, *, key: str, from_editor: bool = False) -> None:
    """The check's refusals, or the template preview and 保存 (the same for a file and the editor)."""
    checked = views.check_text(text, from_editor=from_editor)
    if checked.problems:
        st.error(
            "表单定义有以下问题，请修改后再保存：\n\n"
            + "\n".join(f"- {md_escape(problem)}" for problem in checked.problems)
        )
        return
    st.success(f"「{md_escape(checked.definition.title)}」（{checked.definition.name}）检查通过。模板预览：")
    st.dataframe(checked.columns, hide_index=True, width="stretch")
    if not checked.indicators.empty:
        st.dataframe(checked.indicators, hide_index=True, width="stretch")
    if st.button("保存表单定义", type="primary", key=key):
        saved = views.save(get_engine(), text, by=account.name, from_editor=from_editor)
        if saved.problems:
            st.error("\n".join(md_escape(problem) for problem in saved.problems))
        else:
            clear_cached_reads()
            st.success(f"已保存「{md_escape(saved.definition.title)}」第 {saved.definition.version} 版")


def rows_editor(frame: pd.DataFrame, labels: dict[str, str], key: str) -> pd.DataFrame:
    """One data editor of [[field]], [[rule]] or [[indicator]] rows, its columns named in Chinese."""
    config = {}
    for column, label in labels.items():
        if column in views.EDITOR_CHOICES:
            config[column] = st.column_config.SelectboxColumn(label, options=views.EDITOR_CHOICES[column])
        elif column == "required":
            config[column] = st.column_config.CheckboxColumn(label, default=True)
        elif column in ("min", "max"):
            config[column] = st.column_config.NumberColumn(label)
        else:
            config[column] = st.column_config.TextColumn(label)
    return st.data_editor(
        frame, column_config=config, num_rows="dynamic", hide_index=True, width="stretch", key=key
    )


st.subheader("添加或替换表单")
file_tab, editor_tab = st.tabs(["上传或填写定义文件", "逐项填写"])
with file_tab:
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
    if text.strip():
        check_and_save(text, key="forms_admin_save")

with editor_tab:
    start = st.selectbox(
        "从哪里开始",
        ["", *forms["名称"]],
        format_func=lambda name: "新表单（空白）" if not name else f"{name} 的当前版本",
        key="forms_editor_start",
    )
    begun = cached(views.editor_tables, scope, start)
    suffix = start or "new"  # each starting point keeps its own edits
    header = {
        key: st.text_input(label, value=begun.header[key], key=f"forms_editor_{key}:{suffix}")
        for key, label in views.HEADER_LABELS.items()
    }
    header["period"] = st.radio(
        "报送周期",
        views.EDITOR_CHOICES["period"],
        index=views.EDITOR_CHOICES["period"].index(begun.header["period"]),
        format_func=views.PERIOD_LABELS.get,
        horizontal=True,
        key=f"forms_editor_period:{suffix}",
    )
    st.caption("字段（每行一列，按模板中的顺序）；学校标识码、学校名称、学年、学期由系统自动加上")
    fields = rows_editor(begun.fields, views.FIELD_LABELS, f"forms_editor_fields:{suffix}")
    st.caption("规则（逐行检查；检查式为真即通过，可用字段 key、+ - * /、比较、and/or/not、min/max）")
    rules = rows_editor(begun.rules, views.RULE_LABELS, f"forms_editor_rules:{suffix}")
    st.caption("指标（每行一个导出并作图的派生数；写了标准就要写依据）")
    indicators = rows_editor(begun.indicators, views.INDICATOR_LABELS, f"forms_editor_indicators:{suffix}")
    edited_text = views.edited_text(header, fields, rules, indicators)
    if edited_text is None:
        st.caption("填写表单名称、标题和字段后，这里显示检查结果和模板预览。")
    else:
        with st.expander("据此生成的表单定义（TOML，可复制保存）"):
            st.code(edited_text, language="toml", line_numbers=True)
        check_and_save(edited_text, key="forms_editor_save", from_editor=True)

if not forms.empty:
    st.subheader("版本与停用")
    name = st.selectbox("表单", forms["名称"].tolist(), key="forms_admin_name")
    table(cached(views.versions_frame, scope, name), f"{name}_版本", scope, key="forms_admin_versions_csv")
    if st.button("停用此表单", key="forms_admin_retire", help="停用后不再接收上传；已存数据保留"):
        version = views.retire(get_engine(), name, by=account.name)
        clear_cached_reads()
        st.success(f"已停用 {md_escape(name)}（第 {version} 版）")

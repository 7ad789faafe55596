"""数据上传: choose a form, upload a workbook, read the report and the preview, then confirm.

The file is parsed once (kept in session state under its SHA-256 and the form choice);
nothing is stored until the user presses 确认导入, which is disabled while the file has
errors. A rejected file can be downloaded back with its errors marked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import streamlit as st

from core.accounts.roles import Account
from core.annotate import (
    annotated_file_name,
    annotated_workbook,
    changes_frame,
    mapping_frame,
    new_rows_frame,
    normalizations_frame,
    problems_frame,
)
from core.formatting import count_text, on_screen, rows_on_screen
from core.ingest import ImportReport, ParsedFile, Preview, check, commit, institution_names
from core.ingest.report import Plan
from core.review.periods import closed_period_issues
from core.review.submissions import needs_review, submit
from core.scope import Scope
from core.templates import template_bytes
from core.text import md_escape
from core.views.form_definitions import forms_in_force
from core.views.staffing import standards_met
from pages._shared import (
    app_settings,
    audited,
    clear_cached_reads,
    client_address,
    current_account,
    current_scope,
    get_engine,
    message_table,
    require_page,
)

UPLOADER_KEY = "uploader_name"  # not a widget key, so the name survives page changes
RESULT_KEY = "upload_result"
AUTO = "auto"
NEW_ROWS_OPEN = 20  # the list of new rows is open when it is this short
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# what the reader takes (it goes by the content, not the name): Excel, WPS (.et), LibreOffice, CSV
ACCEPTED_TYPES = ["xlsx", "xls", "csv", "xlsm", "et", "ods", "txt"]


@dataclass
class UploadResult:
    """One uploaded file as checked (once), and the store outcome once confirmed."""

    key: str
    preview: Preview
    report: ImportReport | None = None
    submission: int | None = None  # a pending submission (an institution account's upload)


def chinese_dropzone(limit_mb: int) -> None:
    """Streamlit writes its uploader's button, hint and refusals in English ("Upload",
    "20MB per file", "File must be 20.0MB or smaller", "application/pdf files are not
    allowed"); it has no setting for them, so style rules show them in Chinese. The browser
    refuses a file for its size or type before this page sees it, and both refusals share
    one element, so one message covers both."""
    zone, chip = '[data-testid="stFileUploaderDropzone"]', '[data-testid="stFileChip"] [role="alert"]'
    hint = f"拖放文件到此处，或点左侧按钮选择 · 单个文件不超过 {limit_mb} MB · 支持 XLSX、XLS、CSV（及 WPS、LibreOffice 表格）"
    refusal = f"无法上传：只接受不超过 {limit_mb} MB 的 Excel/WPS 表格或 CSV 文件"
    st.html(
        "<style>"
        f'{zone} [data-testid="stFileUploaderDropzoneInstructions"] span {{ display: none; }}'
        f'{zone} [data-testid="stFileUploaderDropzoneInstructions"] > div::after '
        f'{{ content: "{hint}"; font-size: 0.875rem; opacity: 0.7; }}'
        f'{zone} button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}'
        f'{zone} button [data-testid="stMarkdownContainer"] p::after {{ content: "选择文件"; font-size: 0.875rem; }}'
        # the refusal sits in a visually hidden span (for screen readers): show it under the chip
        f"{chip} {{ font-size: 0; position: static !important; width: auto !important; height: auto !important;"
        " clip: auto !important; clip-path: none !important; overflow: visible !important;"
        " white-space: normal !important; margin: 0.25rem 0 0 0 !important; }"
        f'{chip}::after {{ content: "{refusal}"; font-size: 0.8rem; color: rgb(255, 43, 43); }}'
        "</style>"
    )


def form_label(choice: str) -> str:
    return "自动识别" if choice == AUTO else FORMS[choice].title


def uploader_name() -> str:
    name = st.text_input(
        "上传人",
        value=st.session_state.get(UPLOADER_KEY, ""),
        key="upload_uploader_input",
        placeholder="如：河南省教育厅思政处 张三",
        help="记录在上传记录中，便于追溯；本次会话内会记住",
    )
    st.session_state[UPLOADER_KEY] = name.strip()
    return name.strip()


def template_buttons(scope: Scope) -> None:
    """The blank templates (no rows: recorded as exports of 0 rows)."""
    with st.expander("下载空白模板", icon=":material/download:"):
        st.caption("模板含标准表头和填表说明；按模板填写可避免大部分错误。")
        for column, form in zip(st.columns(len(FORMS)), FORMS.values(), strict=True):
            column.download_button(
                form.title,
                data=audited(lambda name=form.name: (0, template_bytes(name)), f"{form.title}_模板", scope),
                file_name=f"{form.title}_模板.xlsx",
                mime=XLSX_MIME,
                key=f"template_{form.name}",
                on_click="ignore",
                icon=":material/table:",
                width="stretch",
            )


def check_with_progress(form: str | None, data: bytes, file_name: str, key: str) -> UploadResult:
    """Read, validate and diff the file once, showing progress while it runs."""
    bar = st.progress(0.0, text="正在读取文件…")

    def show(fraction: float, text: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=text)

    engine = get_engine()
    preview = check(
        engine,
        form,
        data,
        file_name,
        institutions=institution_names(engine),
        max_bytes=app_settings().max_upload_bytes,
        progress=show,
        account=account,
    )
    bar.empty()
    return UploadResult(key=key, preview=preview)


def current_result(form: str | None, data: bytes, file_name: str) -> UploadResult:
    key = f"{hashlib.sha256(data).hexdigest()}:{form or AUTO}"
    result = st.session_state.get(RESULT_KEY)
    if result is None or result.key != key:
        result = check_with_progress(form, data, file_name, key)
        st.session_state[RESULT_KEY] = result
    return result


def show_reading(parsed: ParsedFile) -> None:
    """Which form, sheet and header row were used, and how the headers were understood."""
    form = FORMS[parsed.form]
    if parsed.form_detected:
        st.info(f"系统根据表头自动识别为「{md_escape(form.title)}」。如不正确，请在上方选择报表后重新读取。")
    st.markdown(
        f"报表：**{form.title}**　工作表：**{md_escape(on_screen(parsed.sheet))}**　"
        f"表头：**第 {parsed.header_row} 行**　数据：**{count_text(len(parsed.rows))} 行**"
    )
    mapping = mapping_frame(parsed)
    with st.expander(f"表头识别结果（{len(mapping)} 列）"):
        message_table(
            mapping, f"{stem(parsed.file_name)}_表头识别结果", current_scope(), key="csv_upload_mapping"
        )
    normalizations = normalizations_frame(parsed)
    if not normalizations.empty:
        with st.expander(f"已自动统一格式 {count_text(len(normalizations))} 处（不影响导入）"):
            message_table(
                rows_on_screen(normalizations),
                f"{stem(parsed.file_name)}_格式统一",
                current_scope(),
                key="csv_upload_normalizations",
            )


def stem(file_name: str) -> str:
    return file_name.rsplit(".", 1)[0]


def show_problems(parsed: ParsedFile, data: bytes) -> None:
    """File-level errors and warnings as messages (read in full, not cut off in a cell); every
    error and warning in one table; the annotated copy."""
    for issue in parsed.errors:
        if issue.row is None and issue.column is None:
            st.error(md_escape(issue.message))
    for issue in parsed.warnings:
        if issue.row is None and issue.column is None:
            st.warning(md_escape(issue.message))
    if parsed.errors:
        st.error(
            f"发现 {count_text(len(parsed.errors))} 处错误，整个文件未导入。"
            "请按下表逐项修改后重新上传，或下载标注了错误位置的副本对照修改。"
        )
        st.download_button(
            "下载标注错误的副本",
            data=audited(
                lambda: (len(parsed.row_numbers), annotated_workbook(data, parsed.file_name, parsed)),
                f"{stem(parsed.file_name)}_标注错误的副本",
                current_scope(),
            ),
            file_name=annotated_file_name(parsed.file_name),
            mime=XLSX_MIME,
            key="download_annotated",
            on_click="ignore",
            icon=":material/download:",
        )
    problems = problems_frame(parsed)
    if not problems.empty:
        counts = [
            f"{label} {count_text(len(issues))} 处"
            for label, issues in (("错误", parsed.errors), ("警告", parsed.warnings))
            if issues
        ]
        st.subheader(f"错误与警告（{'，'.join(counts)}）")
        if not parsed.errors:
            st.warning("警告不影响导入，会随本次上传一并记录，请确认后再导入。")
        message_table(
            rows_on_screen(problems),
            f"{stem(parsed.file_name)}_错误与警告",
            current_scope(),
            key="csv_upload_problems",
        )


def show_preview(plan: Plan, parsed: ParsedFile) -> None:
    st.subheader("与已有数据对比")
    inserted, updated, unchanged = st.columns(3)
    inserted.metric("新增", count_text(plan.inserted))
    updated.metric("更新", count_text(plan.updated))
    unchanged.metric("未变", count_text(plan.unchanged))
    new_rows = new_rows_frame(plan)
    if not new_rows.empty:
        with st.expander(f"新增的 {count_text(len(new_rows))} 行", expanded=len(new_rows) <= NEW_ROWS_OPEN):
            message_table(new_rows, f"{stem(parsed.file_name)}_新增行", current_scope(), key="csv_upload_new")
    changes = changes_frame(plan)
    if not changes.empty:
        st.caption("将被修改的单元格（原值 → 新值）；修改前的数据会保留在历史中，可在上传记录中撤销。")
        message_table(
            changes, f"{stem(parsed.file_name)}_变更明细", current_scope(), key="csv_upload_changes"
        )


def confirm_and_store(result: UploadResult, uploader: str) -> None:
    parsed = result.preview.parsed
    blocked = not parsed.accepted or not uploader
    if not uploader and parsed.accepted:
        st.caption("请先在上方填写上传人，再确认导入。")
    if st.button("确认导入", type="primary", disabled=blocked, key="confirm_store", icon=":material/done:"):
        account = current_account()
        if account is not None and needs_review(account):
            submit_for_review(result, account)
            return
        with st.spinner("正在写入数据库…"):
            report = commit(
                get_engine(), result.preview, uploader=uploader, account=account, client=client_address()
            )
        if report.stored:
            result.report = report
            clear_cached_reads()
            st.rerun()  # redraw the sidebar's choices and the page from the new data
        # Stored data changed between preview and confirm: read the file afresh on the next run.
        st.session_state.pop(RESULT_KEY, None)
        st.error("未导入：确认前已有数据发生变化，文件未通过校验。请点击“重新检查”查看最新结果。")
        for issue in report.errors:
            st.error(md_escape(issue.message))
        st.button("重新检查", key="recheck")


def submit_for_review(result: UploadResult, account: Account) -> None:
    """An institution account's upload waits for the province (core.review); a closed period refuses it."""
    engine = get_engine()
    closed = closed_period_issues(engine, account, result.preview.parsed, app_settings().today())
    for issue in closed:
        st.error(issue.message)
    if not closed:
        result.submission = submit(engine, result.preview, account=account).id
        st.rerun()


def show_submitted(submission_id: int) -> None:
    st.success(
        f"已提交（报送编号 {submission_id}），待省级管理员审核；审核通过后数据才计入统计。",
        icon=":material/schedule:",
    )
    st.page_link("pages/review.py", label="查看审核状态", icon=":material/approval:")


def show_stored(report: ImportReport, parsed: ParsedFile) -> None:
    st.success(
        f"已导入「{FORMS[report.form].title}」{count_text(report.rows)} 行："
        f"新增 {count_text(report.inserted)}，更新 {count_text(report.updated)}，"
        f"未变 {count_text(report.unchanged)}。",
        icon=":material/check_circle:",
    )
    st.page_link("pages/uploads.py", label="查看上传记录（可撤销本次上传）", icon=":material/history:")
    if report.form == "staffing":
        show_standards_met(parsed.rows)


def show_standards_met(rows: list[dict]) -> None:
    """After a staffing upload: does each school of the file now meet each standard?"""
    codes = sorted({row["code"] for row in rows if row.get("code")})
    years = sorted({row["year"] for row in rows if row.get("year")})
    met = standards_met(get_engine(), codes, years)
    st.subheader("导入后的配备达标情况")
    st.caption("按现行配备标准计算；缺口为还需配备的专职人数。")
    message_table(met, "导入后的配备达标情况", current_scope(), key="csv_upload_standards")


account = require_page("pages/upload.py")  # a 省级查看 account cannot upload
FORMS = forms_in_force(get_engine())  # the four forms and every form declared as data in force
st.title("数据上传")
uploader = uploader_name()
choice = st.selectbox(
    "报表",
    [AUTO, *FORMS],
    format_func=form_label,
    key="upload_form_choice",
    help="选择“自动识别”时，系统根据表头判断是哪张报表，并在下方说明识别结果",
)
template_buttons(current_scope())
limit_mb = app_settings().max_upload_mb
chinese_dropzone(limit_mb)
uploaded = st.file_uploader(
    f"选择文件（.xlsx / .xls / .csv，不超过 {limit_mb} MB）",
    type=ACCEPTED_TYPES,
    key="upload_file",
    max_upload_size=limit_mb,
)

if uploaded is None:
    st.session_state.pop(RESULT_KEY, None)
    st.info("选择报表并上传文件后，这里会显示读取结果、错误清单和与已有数据的对比；确认后才会导入。")
    st.stop()

file_bytes = uploaded.getvalue()
result = current_result(None if choice == AUTO else choice, file_bytes, uploaded.name)
parsed = result.preview.parsed

if result.report is not None:
    show_stored(result.report, parsed)
    st.stop()
if result.submission is not None:
    show_submitted(result.submission)
    st.stop()
if parsed.header_row is None or parsed.form not in FORMS:
    for issue in parsed.errors:
        st.error(md_escape(issue.message))
    st.stop()

show_reading(parsed)
show_problems(parsed, file_bytes)
if result.preview.plan is not None:
    show_preview(result.preview.plan, parsed)
confirm_and_store(result, uploader)

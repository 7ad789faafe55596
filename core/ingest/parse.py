"""One file → a :class:`ParsedFile`: read, find the table, normalise, validate.

Never raises for a bad file: an unreadable one becomes a ParsedFile with
``unreadable=True`` and one error saying why; every other problem is an issue.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping

from core.forms import FormSpec, Severity, get_form
from core.ingest.codes import Reason
from core.ingest.data_rows import read_rows
from core.ingest.detect import (
    Table,
    data_row_count,
    detect_form,
    example_sheets,
    find_table,
    is_example_sheet,
    is_named_like,
    skipped_with_header,
    table_on,
    usable_sheets,
)
from core.ingest.findings import IssueLog
from core.ingest.read import RawSheet, UnreadableFile, column_letter
from core.ingest.report import Issue, ParsedFile
from core.ingest.sandbox import read_workbook
from core.ingest.validate import (
    check_duplicates,
    check_headers,
    check_institutions,
    check_personal_data,
    check_rules,
)

Progress = Callable[[float, str], None]


def _quiet(_fraction: float, _text: str) -> None:
    """Progress sink when nobody is watching."""


def _no_header(parsed: ParsedFile, sheets: list[RawSheet], form: FormSpec | None) -> ParsedFile:
    usable = usable_sheets(sheets)
    parsed.sheet = usable[0].name if usable else None
    if form is None:
        message = "无法从表头识别这是哪一张报表，请使用系统提供的模板（表头如 学校标识码、学年 等），或在上传时选择报表类型"
    else:
        examples = "、".join(spec.header for spec in form.fields if spec.required)
        message = f"找不到「{form.title}」的表头行（应包含 {examples} 等列），请使用系统提供的模板填写"
    if (skipped := skipped_with_header(sheets, form)) is not None:
        what = "示例" if is_example_sheet(skipped.name) else "说明"
        message += (
            f"。表头只出现在{what}工作表“{skipped.name}”中，{what}表不会导入；"
            "请把数据填在正式的工作表中（或把该工作表改名）后再上传"
        )
    parsed.issues.append(Issue(Severity.ERROR, Reason.NO_HEADER, message, parsed.sheet))
    return parsed


def _another_form(sheets: list[RawSheet], form: FormSpec, table: Table | None) -> Table | None:
    """Another form's table, when ``form``'s header is missing or incomplete and that one fits better."""
    if table is not None and all(spec.key in table.columns for spec in form.fields if spec.required):
        return None
    best = detect_form(sheets)
    if best is None or best.form is form:
        return None
    if table is not None and (is_named_like(table.sheet, form) or best.sheet is not table.sheet):
        return None  # the chosen form's own sheet: its missing columns are what to report
    return best if table is None or best.score > table.score else None


def _why_this_sheet(sheets: list[RawSheet], table: Table) -> str | None:
    """Why the data was read from this sheet, when it is not simply the sheet named like the form."""
    form, name = table.form, table.sheet.name
    if is_named_like(table.sheet, form) or not table.sheet.typed:  # a CSV has no sheets to choose from
        return None
    if any(is_named_like(other.sheet, form) for other in table.others):
        return f"工作表“{form.sheet}”只有表头、没有数据行，改用有数据的工作表“{name}”"
    if any(is_named_like(sheet, form) for sheet in usable_sheets(sheets)):
        return f"工作表“{form.sheet}”中找不到本表的表头，按表头使用工作表“{name}”"
    return f"未找到名为“{form.sheet}”的工作表，按表头使用工作表“{name}”"


def _sheet_notes(sheets: list[RawSheet], table: Table, form_detected: bool, log: IssueLog) -> None:
    form = table.form
    if form_detected:
        log.note(Reason.FORM_DETECTED, f"按表头识别为「{form.title}」")
    if (why := _why_this_sheet(sheets, table)) is not None:
        log.note(Reason.SHEET_CHOSEN, why)
    hidden = [sheet.name for sheet in sheets if sheet.hidden]
    if hidden:
        log.note(Reason.SHEET_CHOSEN, f"隐藏的工作表“{'”“'.join(hidden)}”未读取")
    for example in example_sheets(sheets):
        log.note(Reason.EXAMPLE_SHEET_IGNORED, f"工作表“{example.name}”是填报示例，其中的内容不导入")


def _other_forms_data(table: Table, log: IssueLog) -> None:
    """Recognised automatically: warn about other forms' sheets with data, which are not imported."""
    for other in table.other_forms:
        log.add(
            Severity.WARNING,
            Reason.OTHER_DATA_SHEET,
            f"工作表“{other.sheet.name}”是「{other.form.title}」，有 {data_row_count(other)} 行数据，"
            f"本次未导入（只导入了「{table.form.title}」）；请在“报表”中选择「{other.form.title}」再上传一次",
        )


def _other_data_sheets(table: Table, log: IssueLog) -> None:
    """Warn about every other sheet with this form's header and rows: they are not imported."""
    for other in table.others:
        count = data_row_count(other)
        if count:
            log.add(
                Severity.WARNING,
                Reason.OTHER_DATA_SHEET,
                f"工作表“{other.sheet.name}”也有「{table.form.title}」的表头和 {count} 行数据，本次未导入"
                f"（只导入了工作表“{table.sheet.name}”）；请把它单独上传，或把数据合并到一个工作表后再上传",
            )


_LABEL_ROWS = {
    "numbers": "栏次行（甲、乙、丙… / 1、2、3…）",
    "units": "计量单位行（如“（人）”）",
    "hints": "填写提示行（必填/选填）",
}


def _layout_notes(table: Table, log: IssueLog) -> None:
    """Header cells read from two rows, and 栏次/units rows skipped under the header."""
    for key, (upper, lower) in table.combined.items():
        header = table.form.field(key).header
        log.note(
            Reason.HEADER_COMBINED,
            f"{column_letter(table.columns[key])} 列表头“{upper}”与其下的“{lower}”合起来识别为“{header}”",
            table.header_row,
            header,
            lower,
        )
    for index, kind in table.label_rows:
        what = _LABEL_ROWS[kind]
        log.note(Reason.COLUMN_NUMBER_ROW, f"第 {index + 1} 行为{what}，不是数据，已跳过", index + 1)


def _wrong_form(parsed: ParsedFile, chosen: FormSpec, other: Table) -> ParsedFile:
    parsed.sheet = other.sheet.name
    message = (
        f"这个文件的表头是「{other.form.title}」的，不是「{chosen.title}」；请确认选择的报表类型后重新上传"
    )
    parsed.issues.append(Issue(Severity.ERROR, Reason.WRONG_FORM, message, other.sheet.name))
    return parsed


def _no_data_message(sheets: list[RawSheet], table: Table) -> str:
    """No data rows; when the rows were typed into the example sheet, say so."""
    message = f"表头（第 {table.header_row} 行）下面没有数据行，请逐行填写后再上传"
    for example in example_sheets(sheets):
        example_table = table_on(example, table.form)
        if example_table is not None and (rows := data_row_count(example_table)):
            return (
                f"{message}。示例工作表“{example.name}”中有 {rows} 行，示例表不会导入；"
                f"如这些是要报送的数据，请把它们移到工作表“{table.sheet.name}”中"
            )
    return message


def _validate(
    parsed: ParsedFile,
    sheets: list[RawSheet],
    table: Table,
    institutions: Mapping[str, str],
    report: Progress,
) -> None:
    """Fill ``parsed`` from the located table: mapping, rows, and every issue found."""
    form = table.form
    parsed.form = form.name
    parsed.sheet, parsed.header_row = table.sheet.name, table.header_row
    parsed.header_mapping = {table.written[key]: form.field(key).header for key in table.columns}
    parsed.column_index = {form.field(key).header: column + 1 for key, column in table.columns.items()}
    log = IssueLog(sheet=table.sheet.name)
    _sheet_notes(sheets, table, parsed.form_detected, log)
    _other_data_sheets(table, log)
    _other_forms_data(table, log)
    _layout_notes(table, log)
    check_headers(table, log)
    check_personal_data(table, log)
    data, bad_cells = read_rows(
        table, log, lambda done, total: report(0.3 + 0.55 * done / max(total, 1), f"正在校验第 {done:,} 行")
    )
    if not data.rows:
        log.add(Severity.ERROR, Reason.NO_DATA, _no_data_message(sheets, table))
    check_rules(form, data, bad_cells, log)
    check_duplicates(form, data, log)
    if form.institution_field:
        check_institutions(form, data, institutions, log)
    parsed.rows, parsed.row_numbers = data.rows, data.row_numbers
    parsed.issues.extend(log.finish())


def parse_file(
    form: str | None,
    data: bytes,
    file_name: str,
    *,
    institutions: Mapping[str, str],
    max_bytes: int,
    progress: Progress | None = None,
) -> ParsedFile:
    """Read, normalise and validate ``data`` as ``form`` (None: recognise the form from the headers);
    ``institutions`` is 高校名录 as code → name, which the rows' codes are checked against."""
    report = progress or _quiet
    chosen = get_form(form) if form else None
    parsed = ParsedFile(form=form, file_name=file_name, sha256=hashlib.sha256(data).hexdigest())
    report(0.02, "正在读取文件")
    try:
        sheets = read_workbook(data, file_name, max_bytes)
    except UnreadableFile as problem:
        parsed.unreadable = True
        parsed.issues.append(Issue(Severity.ERROR, problem.code, problem.message))
        return parsed
    report(0.3, "正在识别表头")
    table = find_table(sheets, chosen) if chosen else detect_form(sheets)
    if chosen is not None and (other := _another_form(sheets, chosen, table)) is not None:
        return _wrong_form(parsed, chosen, other)
    if table is None:
        return _no_header(parsed, sheets, chosen)
    parsed.form_detected = chosen is None
    _validate(parsed, sheets, table, institutions, report)
    report(0.9, "校验完成")
    return parsed

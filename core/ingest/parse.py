"""One file → a :class:`ParsedFile`: read, find the table, normalise, validate.

Never raises for a bad file: an unreadable one becomes a ParsedFile with
``unreadable=True`` and one error saying why; every other problem is an issue.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from sqlalchemy import Engine, select

from core.forms import FormSpec, Severity, get_form
from core.ingest.codes import Reason
from core.ingest.detect import Table, detect_form, find_table, usable_sheets
from core.ingest.read import RawSheet, UnreadableFile, read_workbook
from core.ingest.report import Issue, ParsedFile
from core.ingest.validate import (
    IssueLog,
    check_duplicates,
    check_headers,
    check_institutions,
    check_rules,
    read_rows,
)

Progress = Callable[[float, str], None]


def _quiet(_fraction: float, _text: str) -> None:
    """Progress sink when nobody is watching."""


def institution_names(engine: Engine) -> dict[str, str]:
    """高校名录 as code → name."""
    from core.models import Institution

    with engine.connect() as connection:
        return dict(connection.execute(select(Institution.code, Institution.name)).all())


def _no_header(parsed: ParsedFile, sheets: list[RawSheet], form: FormSpec | None) -> ParsedFile:
    usable = usable_sheets(sheets)
    parsed.sheet = usable[0].name if usable else None
    if form is None:
        message = "无法从表头识别这是哪一张报表，请使用系统提供的模板（表头如 学校标识码、学年 等），或在上传时选择报表类型"
    else:
        examples = "、".join(spec.header for spec in form.fields if spec.required)
        message = f"找不到「{form.title}」的表头行（应包含 {examples} 等列），请使用系统提供的模板填写"
    parsed.issues.append(Issue(Severity.ERROR, Reason.NO_HEADER, message, parsed.sheet))
    return parsed


def _another_form(sheets: list[RawSheet], form: FormSpec, table: Table | None) -> Table | None:
    """Another form's table, when ``form``'s header is missing or incomplete and that one fits better."""
    if table is not None and all(spec.key in table.columns for spec in form.fields if spec.required):
        return None
    best = detect_form(sheets)
    if best is None or best.form is form:
        return None
    return best if table is None or best.score > table.score else None


def _sheet_notes(sheets: list[RawSheet], table: Table, form_detected: bool, log: IssueLog) -> None:
    form = table.form
    if form_detected:
        log.note(Reason.FORM_DETECTED, f"按表头识别为「{form.title}」")
    if table.sheet.name != form.sheet:
        log.note(
            Reason.SHEET_CHOSEN, f"未找到名为“{form.sheet}”的工作表，按表头使用工作表“{table.sheet.name}”"
        )
    hidden = [sheet.name for sheet in sheets if sheet.hidden]
    if hidden:
        log.note(Reason.SHEET_CHOSEN, f"隐藏的工作表“{'”“'.join(hidden)}”未读取")


def parse_file(
    engine: Engine,
    form: str | None,
    data: bytes,
    file_name: str,
    *,
    max_bytes: int,
    progress: Progress | None = None,
) -> ParsedFile:
    """Read, normalise and validate ``data`` as ``form`` (None: recognise the form from the headers)."""
    report = progress or _quiet
    spec = get_form(form) if form else None
    parsed = ParsedFile(form=form, file_name=file_name, sha256=hashlib.sha256(data).hexdigest())
    report(0.02, "正在读取文件")
    try:
        sheets = read_workbook(data, file_name, max_bytes)
    except UnreadableFile as problem:
        parsed.unreadable = True
        parsed.issues.append(Issue(Severity.ERROR, problem.code, problem.message))
        return parsed
    report(0.3, "正在识别表头")
    table = find_table(sheets, spec) if spec else detect_form(sheets)
    if spec is not None and (other := _another_form(sheets, spec, table)) is not None:
        parsed.sheet = other.sheet.name
        parsed.issues.append(
            Issue(
                Severity.ERROR,
                Reason.WRONG_FORM,
                f"这个文件的表头是「{other.form.title}」的，不是「{spec.title}」；请确认选择的报表类型后重新上传",
                other.sheet.name,
            )
        )
        return parsed
    if table is None:
        return _no_header(parsed, sheets, spec)
    spec = table.form
    parsed.form, parsed.form_detected = spec.name, form is None
    parsed.sheet, parsed.header_row = table.sheet.name, table.header_row
    parsed.header_mapping = {table.written[key]: spec.field(key).header for key in table.columns}
    parsed.column_index = {spec.field(key).header: column + 1 for key, column in table.columns.items()}

    log = IssueLog(sheet=table.sheet.name)
    _sheet_notes(sheets, table, parsed.form_detected, log)
    check_headers(table, log)
    data_rows, bad_cells = read_rows(
        table, log, lambda done, total: report(0.3 + 0.55 * done / max(total, 1), f"正在校验第 {done:,} 行")
    )
    if not data_rows.rows:
        log.add(
            Severity.ERROR,
            Reason.NO_DATA,
            f"表头（第 {table.header_row} 行）下面没有数据行，请在表头下方逐行填写后再上传",
        )
    check_rules(spec, data_rows, bad_cells, log)
    check_duplicates(spec, data_rows, log)
    if spec.institution_field:
        check_institutions(spec, data_rows, institution_names(engine), log)
    parsed.rows, parsed.row_numbers = data_rows.rows, data_rows.row_numbers
    parsed.issues.extend(log.finish())
    report(0.9, "校验完成")
    return parsed

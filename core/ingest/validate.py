"""Validation of a file's headers and of the rows read from it (lazy: every problem collected).

Per file: required headers present, columns not given twice. Per row: the form's row
rules (``FormSpec.rules``). Across rows: the form's key appears once in the file (the
later row is reported, naming the earlier one). Against 高校名录: the institution code
exists, and the name the row reports matches the stored one (a warning). In a form of
aggregate counts: no cell looks like personal data. Reading the rows themselves (cells,
merged cells, skipped total and footer lines) is :mod:`core.ingest.data_rows`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from operator import itemgetter
from typing import Any

from core.forms import FormSpec, Severity
from core.ingest.codes import Reason
from core.ingest.data_rows import Validated, skipped_line
from core.ingest.detect import Table
from core.ingest.findings import IssueLog
from core.ingest.header_match import header_note
from core.ingest.normalize import to_half_width, without_spaces
from core.ingest.privacy import AGGREGATE_ONLY_FORMS, personal_data_kind
from core.ingest.read import column_letter

# --- headers ----------------------------------------------------------------------------


def check_headers(table: Table, log: IssueLog) -> None:
    form = table.form
    header_row = table.header_row
    for spec in form.fields:
        if spec.key in table.columns:
            if spec.key not in table.combined and (note := header_note(spec, table.written[spec.key])):
                row = table.rows[spec.key]
                log.note(Reason.HEADER_MATCHED, note, row, spec.header, table.written[spec.key])
        elif spec.required:
            log.add(
                Severity.ERROR,
                Reason.MISSING_HEADER,
                f"缺少必填列「{spec.header}」，请按模板添加该列（表头写作“{spec.header}”）",
                column=spec.header,
            )
    for key, column, written in table.duplicates:
        header = form.field(key).header
        log.add(
            Severity.ERROR,
            Reason.DUPLICATE_HEADER,
            f"第 {column_letter(column)} 列“{written}”与第 {column_letter(table.columns[key])} 列"
            f"“{table.written[key]}”都对应「{header}」，请删除其中一列",
            header_row,
            header,
            written,
        )
    for column, written in table.unmatched:
        log.note(
            Reason.COLUMN_IGNORED, f"{column_letter(column)} 列“{written}”不属于本表，未导入", header_row
        )


# --- rules across cells, rows and 高校名录 ----------------------------------------------------


def values_of(keys: tuple[str, ...]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A fast getter of ``keys``' values of a row, always as a tuple."""
    getter = itemgetter(*keys)
    return getter if len(keys) > 1 else lambda values: (getter(values),)


def check_rules(form: FormSpec, data: Validated, bad_cells: set[tuple[int, str]], log: IssueLog) -> None:
    rows_with_bad_cells = {number for number, _key in bad_cells}
    for rule in form.rules:
        header = form.field(rule.columns[0]).header
        inputs = values_of(rule.columns)
        for values, number in zip(data.rows, data.row_numbers, strict=True):
            if None in inputs(values):
                continue
            if number in rows_with_bad_cells and any((number, key) in bad_cells for key in rule.columns):
                continue
            if not rule.check(values):
                log.add(
                    rule.severity, rule.code, rule.describe(values), number, header, values[rule.columns[0]]
                )


def check_duplicates(form: FormSpec, data: Validated, log: IssueLog) -> None:
    first_seen: dict[tuple[Any, ...], int] = {}
    key_headers = " + ".join(form.field(key).header for key in form.key)
    header = form.field(form.key[0]).header
    key_of = values_of(form.key)
    for values, number in zip(data.rows, data.row_numbers, strict=True):
        key = key_of(values)
        if None in key:
            continue
        if key in first_seen:
            log.add(
                Severity.ERROR,
                Reason.DUPLICATE_KEY,
                f"与第 {first_seen[key]} 行重复（{key_headers} 相同），请删除重复的一行",
                number,
                header,
                key[0],
            )
        else:
            first_seen[key] = number


def _same_name(reported: str, stored: str) -> bool:
    return without_spaces(to_half_width(reported)) == without_spaces(to_half_width(stored))


def check_institutions(form: FormSpec, data: Validated, names: Mapping[str, str], log: IssueLog) -> None:
    """Codes must be in 高校名录 (``names``: code → name); a differing reported name is a warning.

    The reported name of an AGGREGATE_ONLY_FORMS form is replaced here by 高校名录's (the code
    identifies the institution), and its warning does not quote it."""
    code_field = form.institution_field
    if code_field is None:
        return
    code_header = form.field(code_field).header
    name_field = form.reported_name_field
    for values, number in zip(data.rows, data.row_numbers, strict=True):
        code = values.get(code_field)
        if code is None:
            continue
        stored = names.get(code)
        if stored is None:
            log.add(
                Severity.ERROR,
                Reason.UNKNOWN_INSTITUTION,
                f"学校标识码 {code} 不在高校名录中：请核对标识码；如确为新设或更名的学校，请联系省级教育主管部门"
                "的平台管理员将该校加入高校名录后再上传",
                number,
                code_header,
                code,
            )
            continue
        reported = values.get(name_field) if name_field else None
        if reported and reported != stored and not _same_name(reported, stored):
            kept = form.name not in AGGREGATE_ONLY_FORMS
            log.add(
                Severity.WARNING,
                Reason.NAME_MISMATCH,
                f"填写的名称{f'“{reported}”' if kept else ''}与高校名录中标识码 {code} 的“{stored}”不一致，"
                f"按标识码导入{'' if kept else '（本表不保存填写的学校名称）'}；如学校已更名，请先更新高校名录",
                number,
                form.field(name_field).header,
                reported if kept else None,
            )
        if name_field and form.name in AGGREGATE_ONLY_FORMS:
            values[name_field] = stored


# --- personal data --------------------------------------------------------------------


def check_personal_data(table: Table, log: IssueLog) -> None:
    """In a AGGREGATE_ONLY_FORMS form (aggregate counts only), any cell of the data rows that looks
    like a 身份证号 or a mobile number, read column or not, is an error naming the cell; the
    value is not repeated. Signature lines (填表人… 联系电话) and total rows are not data."""
    if table.form.name not in AGGREGATE_ONLY_FORMS:
        return
    headers = {column: table.form.field(key).header for key, column in table.columns.items()}
    rows = table.sheet.rows
    for index in range(table.data_start, len(rows)):
        found = [
            (column, kind) for column, cell in enumerate(rows[index]) if (kind := personal_data_kind(cell))
        ]
        if not found or skipped_line(rows, index, table) is not None:
            continue
        for column, kind in found:
            log.add(
                Severity.ERROR,
                Reason.PERSONAL_DATA,
                f"{column_letter(column)}{index + 1} 单元格疑似个人信息（{kind}），请删除后重新上传；"
                "本系统只收集汇总人数，不收集学生个人信息",
                index + 1,
                headers.get(column),
            )

"""What intake tells the user: issues, the parsed file, the plan, the final report.

These are the shapes shared by the web upload page and ``python -m core.cli import``
(the JSON report in the spec is :meth:`ImportReport.to_dict`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from core.forms import Severity
from core.ingest.codes import Reason
from core.ingest.normalize import CONTROL_CHARACTERS
from core.ingest.privacy import AGGREGATE_ONLY_FORMS

NORMALIZATION = "normalization"
NAME_LIMIT = 60  # characters of a sheet name, header or cell copied into a message
_QUOTED = re.compile(rf"“([^”]{{{NAME_LIMIT + 1},}})”")


def clip(text: str | None, limit: int = NAME_LIMIT) -> str | None:
    """``text`` cut to ``limit`` characters with an ellipsis, so a 10,000-character sheet
    name is not copied into every message and stored thousands of times; control
    characters replaced by �."""
    if text is None:
        return None
    text = CONTROL_CHARACTERS.sub("\ufffd", text)  # a NUL cannot be stored (PostgreSQL) nor shown
    return text if len(text) <= limit else f"{text[:limit]}…"


def _clip_quoted(message: str) -> str:
    """Every “quoted name” in a message cut to NAME_LIMIT characters."""
    return _QUOTED.sub(lambda quoted: f"“{clip(quoted[1])}”", CONTROL_CHARACTERS.sub("\ufffd", message))


# A screening list is often named after students (张三_李四_心理筛查名单.csv): a name made only of
# the form's own words, periods and dates (心理筛查_2024-2025_秋季学期_补报.xlsx) is kept, any
# other becomes the form and the day
_PLAIN_NAME_PARTS = re.compile(r"[0-9\s._\-—()（）]+|补报|更正|汇总|学年|学期")


def _only_form_words(stem: str, form: str) -> bool:
    from core.forms import SCREENING_KINDS, TERMS, get_form

    spec = get_form(form)
    for word in sorted({spec.title, spec.sheet, *TERMS, *SCREENING_KINDS}, key=len, reverse=True):
        stem = stem.replace(word, "")
    return not _PLAIN_NAME_PARTS.sub("", stem)


def stored_file_name(form: str | None, file_name: str, today: dt.date | None = None) -> str:
    """The file name an upload is recorded under: the base name; for AGGREGATE_ONLY_FORMS one that
    holds anything but the form's words and periods becomes the form's title and the day
    (心理健康测评筛查情况表_2025-11-30.csv)."""
    base = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, _dot, suffix = base.rpartition(".") if "." in base else (base, "", "")
    if form not in AGGREGATE_ONLY_FORMS or _only_form_words(stem, form):
        return clip(base, 254) or ""
    from core.config import load_settings
    from core.forms import get_form

    day = today or load_settings().today()
    extension = re.sub(r"[^a-z0-9]", "", suffix.lower())[:10] or "xlsx"
    return f"{get_form(form).title}_{day.isoformat()}.{extension}"


@dataclass(frozen=True)
class Issue:
    """One problem or one normalisation, located as the user sees the file.

    ``row`` is the Excel row number (1-based, title and header rows included) and
    ``column`` the canonical header; either is None when the issue is not in one cell.
    ``code`` is a stable reason code (e.g. ``not_a_count``); ``message`` is Chinese
    and says what to do. ``value`` is the cell's original text, for the 单元格 column.
    """

    severity: str  # Severity.ERROR / Severity.WARNING / NORMALIZATION
    code: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "sheet", clip(self.sheet))
        object.__setattr__(self, "column", clip(self.column))
        object.__setattr__(self, "value", clip(self.value, 4 * NAME_LIMIT))
        object.__setattr__(self, "message", _clip_quoted(self.message))

    def to_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "message": self.message,
        }


@dataclass
class ParsedFile:
    """A file read, normalised and validated, not yet stored."""

    form: str | None  # None when no form was given and none could be recognised
    file_name: str
    sha256: str
    sheet: str | None = None
    header_row: int | None = None  # Excel row number of the (last) header row
    header_mapping: dict[str, str] = field(default_factory=dict)  # file header → canonical header
    column_index: dict[str, int] = field(default_factory=dict)  # canonical header → 1-based column
    rows: list[dict[str, Any]] = field(default_factory=list)  # normalised values by field key
    row_numbers: list[int] = field(default_factory=list)  # Excel row number of each entry of rows
    issues: list[Issue] = field(default_factory=list)
    form_detected: bool = False  # True when the form was recognised from the headers
    unreadable: bool = False  # the file could not be read at all (its one error says why)

    def of(self, severity: str) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity == severity]

    @property
    def errors(self) -> list[Issue]:
        return self.of(Severity.ERROR)

    @property
    def warnings(self) -> list[Issue]:
        return self.of(Severity.WARNING)

    @property
    def normalizations(self) -> list[Issue]:
        return self.of(NORMALIZATION)

    @property
    def accepted(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class CellChange:
    key: tuple[Any, ...]  # the row's natural key values
    column: str  # canonical header
    old: Any
    new: Any


@dataclass
class Plan:
    """The diff of a parsed file against what is stored."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[CellChange] = field(default_factory=list)
    duplicate_of: int | None = None  # an accepted upload of the very same file (same sha256 and form)
    new_rows: list[NewRow] = field(default_factory=list)  # the rows ``inserted`` counts


@dataclass(frozen=True)
class NewRow:
    """A row an upload adds: its key values and the institution's name as the file gives it."""

    key: tuple
    name: str | None


@dataclass
class ImportReport:
    """The outcome of one import (stored, dry-run, rejected or unreadable)."""

    form: str | None
    file: str
    accepted: bool
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    normalizations: list[Issue] = field(default_factory=list)
    unreadable: bool = False  # the file could not be read at all (exit code 2)
    stored: bool = False
    upload_id: int | None = None
    parsed: ParsedFile | None = None
    plan: Plan | None = None

    @property
    def exit_code(self) -> int:
        if self.unreadable:
            return 2
        return 0 if self.accepted else 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "file": self.file,
            "accepted": self.accepted,
            "rows": self.rows,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [issue.to_dict() for issue in self.errors],
            "warnings": [issue.to_dict() for issue in self.warnings],
            "normalizations": [issue.to_dict() for issue in self.normalizations],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, default=str)

    def to_text(self) -> str:
        """A human summary for the terminal, in Chinese."""
        verdict = "已接受" if self.accepted else ("无法读取" if self.unreadable else "未通过校验")
        lines = [
            f"{self.file}：{verdict}；{self.rows} 行，新增 {self.inserted}，"
            f"更新 {self.updated}，未变 {self.unchanged}"
        ]
        for title, issues in (
            ("错误", self.errors),
            ("警告", self.warnings),
            ("规范化", self.normalizations),
        ):
            for issue in issues:
                place = "".join(
                    part
                    for part in (
                        f"[{issue.sheet}]" if issue.sheet else "",
                        f"第{issue.row}行" if issue.row else "",
                        f"「{issue.column}」" if issue.column else "",
                    )
                )
                lines.append(f"  {title} {place} {issue.message}".rstrip())
        return "\n".join(lines)


@dataclass
class Preview:
    """A file checked and planned, nothing stored: what 确认导入 (or ``--dry-run``) shows first."""

    parsed: ParsedFile
    plan: Plan | None = None  # None when the file is rejected or cannot be read

    @property
    def accepted(self) -> bool:
        return self.parsed.accepted and not self.parsed.unreadable

    @property
    def report(self) -> ImportReport:
        return report_for(self.parsed, self.plan)


def duplicate_warning(parsed: ParsedFile, upload_id: int) -> Issue:
    return Issue(
        Severity.WARNING,
        Reason.DUPLICATE_UPLOAD,
        f"与已接受的第 {upload_id} 号上传是同一个文件（内容完全相同），请确认是否重复上传",
        parsed.sheet,
    )


def report_for(
    parsed: ParsedFile, plan: Plan | None, *, stored: bool = False, upload_id: int | None = None
) -> ImportReport:
    """The ImportReport of ``parsed`` (with the duplicate-file warning when ``plan`` found one)."""
    warnings = parsed.warnings
    if plan is not None and plan.duplicate_of is not None:
        warnings = [*warnings, duplicate_warning(parsed, plan.duplicate_of)]
    return ImportReport(
        form=parsed.form,
        file=parsed.file_name,
        accepted=parsed.accepted and not parsed.unreadable,
        rows=len(parsed.rows),
        inserted=plan.inserted if plan else 0,
        updated=plan.updated if plan else 0,
        unchanged=plan.unchanged if plan else 0,
        errors=parsed.errors,
        warnings=warnings,
        normalizations=parsed.normalizations,
        unreadable=parsed.unreadable,
        stored=stored,
        upload_id=upload_id,
        parsed=parsed,
        plan=plan,
    )

"""The findings of one file while it is validated: collected in the order found, capped so that a
file repeating one bad row a million times stays small, with one summary line for what was left out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from core.forms import Severity
from core.ingest.codes import Reason
from core.ingest.normalize import shown
from core.ingest.report import NORMALIZATION, Issue

NOTES_PER_KIND = 20  # normalisation notes of one kind in one column before they are summarised
FINDINGS_PER_SEVERITY = 1_000  # errors (or warnings) listed one by one; the rest are counted
_SEVERITY_WORDS = {Severity.ERROR: "错误", Severity.WARNING: "警告", NORMALIZATION: "规范化说明"}
# 合计, 总计：, 全省合计, 本表合计, 全省高校小计（…）: a short prefix without digits is allowed


@dataclass
class IssueLog:
    """Issues of one file, in the order found; normalisation notes of one kind are capped per column."""

    sheet: str | None
    issues: list[Issue] = field(default_factory=list)
    _note_counts: Counter[tuple[str | None, str]] = field(default_factory=Counter)
    _counts: Counter[str] = field(default_factory=Counter)

    def add(
        self,
        severity: str,
        code: str,
        message: str,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
    ) -> None:
        self._counts[str(severity)] += 1
        if self._counts[str(severity)] > FINDINGS_PER_SEVERITY:
            return  # counted, not kept: a file repeating one bad row a million times stays small
        written = None if value is None else shown(value)
        self.issues.append(Issue(str(severity), str(code), message, self.sheet, row, column, written))

    def note(
        self, code: str, message: str, row: int | None = None, column: str | None = None, value: Any = None
    ) -> None:
        self._note_counts[(column, code)] += 1
        if self._note_counts[(column, code)] <= NOTES_PER_KIND:
            self.add(NORMALIZATION, code, message, row, column, value)

    def finish(self) -> list[Issue]:
        """The issues, with one summary note per capped kind of normalisation."""
        for (column, _code), count in self._note_counts.items():
            if count > NOTES_PER_KIND:
                where = f"「{column}」列" if column else "文件中"
                self.add(
                    NORMALIZATION,
                    Reason.MORE_OF_THE_SAME,
                    f"{where}另有 {count - NOTES_PER_KIND} 处同类规范化，不再逐一列出",
                    column=column,
                )
        for severity, count in list(self._counts.items()):
            if count > FINDINGS_PER_SEVERITY:
                self._counts[severity] = 0
                self.add(
                    severity,
                    Reason.MORE_OF_THE_SAME,
                    f"还有 {count - FINDINGS_PER_SEVERITY:,} 处{_SEVERITY_WORDS.get(severity, '问题')}未列出"
                    "（只列出前 1,000 处）；请先改正上面列出的问题，再上传检查其余部分",
                )
        return self.issues

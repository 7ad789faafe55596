"""What a file of aggregate counts must not hold: a person's 身份证号 or mobile number.

The screening form reports counts of students, never students: :data:`AGGREGATE_ONLY_FORMS`
keep neither the 学校名称 typed in the file (高校名录's is stored) nor a file name made of
anything but the form's own words (see :func:`core.ingest.report.stored_file_name`), and
any data cell that :func:`personal_data_kind` recognises is an error (core.ingest.validate).
"""

from __future__ import annotations

import re
from typing import Any

from core.ingest.normalize import shown, to_half_width, without_spaces

AGGREGATE_ONLY_FORMS = frozenset({"screening"})

# 18 digits (the last may be X) or 15: a 身份证号; 1, then 3–9, then 9 digits: a mobile number
_ID_OR_MOBILE = re.compile(r"(?<![0-9])([0-9]{17}[0-9X]|[0-9]{15}|1[3-9][0-9]{9})(?![0-9X])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_DIGITS = "10X98765432"


def _valid_id(number: str) -> bool:
    """An 18-digit 身份证号 whose last character is its check digit (GB 11643)."""
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK_DIGITS[total % 11] == number[17]


def personal_data_kind(cell: Any) -> str | None:
    """'身份证号' or '手机号码' when the cell holds what looks like one, else None."""
    if isinstance(cell, float) and cell >= 1e17:
        return "身份证号"  # 18 digits typed as a number: the check digit is lost, the number is not
    if not isinstance(cell, str | int | float) or isinstance(cell, bool):
        return None
    text = without_spaces(to_half_width(shown(cell))).upper().replace("-", "")
    for match in _ID_OR_MOBILE.finditer(text):
        found = match[1]
        if len(found) == 15 or (len(found) == 18 and _valid_id(found)):
            return "身份证号"
        if len(found) == 11:
            return "手机号码"
    return None

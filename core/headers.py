"""The Chinese headers of the read side, built once from the form declarations.

Field keys travel through queries, metrics and views; a view maps them to these
headers at one edge, where it builds the tables a page shows and a CSV writes.
"""

from __future__ import annotations

from core.forms import INSTITUTIONS, STAFFING

# The 高校名录 name joined to a form's rows (core.queries.base.form_rows) and its header.
INSTITUTION_NAME = "institution_name"
INSTITUTION_NAME_HEADER = INSTITUTIONS.headers["name"]
# The institution's kind, joined from 高校名录 to a form's rows: key → header.
INSTITUTION_HEADERS: dict[str, str] = {
    key: INSTITUTIONS.headers[key] for key in ("province", "level", "ownership")
}

STUDENTS = "学生总数"
COUNTED_COUNSELORS = "计入辅导员数"  # 专职 + factor × 兼职
# The staff column each staffing standard is measured on, as headed in 学校明细.
STAFF_HEADERS = {
    "counselors": COUNTED_COUNSELORS,
    "ideo": STAFFING.headers["ideo_teachers"],
    "psy": STAFFING.headers["psy_teachers"],
}

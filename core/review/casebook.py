"""The case list as the province reads and sends it: 存量/增量 counts, the burndown of open
cases by month, the list's table (screen and CSV) and one case's 督办单 as an .xlsx.

Frames in (:func:`core.review.cases.list_cases`), frames and bytes out; no database.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.config import LOCAL_TIME
from core.review.cases import CLOSED, OVERDUE

CASE_HEADERS = {
    "id": "编号",
    "code": "学校标识码",
    "institution_name": "学校名称",
    "province": "所在省份",
    "level": "办学层次",
    "ownership": "办学性质",
    "indicator_label": "督办指标",
    "subject": "对象",
    "value": "督办时数值",
    "standard": "标准",
    "standard_source": "标准依据",
    "deadline": "整改期限",
    "shown_status": "状态",
    "met": "数据核验",
    "evidence": "核验依据",
    "opened_by": "督办人",
    "opened_on": "督办日期",
    "note": "督办说明",
    "measures": "整改措施",
    "expected_date": "预计完成日期",
}


def _local_day(moments: pd.Series) -> pd.Series:
    return pd.Series(
        [moment.astimezone(LOCAL_TIME).date() if pd.notna(moment) else None for moment in moments]
    )


def case_table(cases: pd.DataFrame) -> pd.DataFrame:
    """The case list under Chinese headers (screen and CSV), dates as YYYY-MM-DD."""
    frame = cases.assign(opened_on=_local_day(cases["opened_at"]).astype(str))
    for name in ("deadline", "expected_date"):
        frame[name] = [value.isoformat() if isinstance(value, dt.date) else None for value in frame[name]]
    return frame[list(CASE_HEADERS)].rename(columns=CASE_HEADERS).replace("", None)


def stock_and_flow(cases: pd.DataFrame, today: dt.date) -> dict[str, int]:
    """存量 (open at the start of today's year), 增量 (opened this year), and now: 未销号, 逾期未整改,
    本年已销号."""
    start = dt.date(today.year, 1, 1)
    opened, closed = _local_day(cases["opened_at"]), _local_day(cases["closed_at"])
    before = opened < start
    still_open = closed.isna() | (closed.fillna(dt.date.max) >= start)
    return {
        "存量": int((before & still_open).sum()),
        "增量": int((~before).sum()),
        "未销号": int((cases["status"] != CLOSED).sum()),
        "逾期未整改": int((cases["shown_status"] == OVERDUE).sum()),
        "本年已销号": int((closed.notna() & (closed.fillna(dt.date.min) >= start)).sum()),
    }


def burndown(cases: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Per month from the first case's to today's: 月份 ('2025-11') and 未销号 (cases open at the
    month's end, or today for this month)."""
    if cases.empty:
        return pd.DataFrame({"月份": pd.Series(dtype=str), "未销号": pd.Series(dtype="int64")})
    opened, closed = _local_day(cases["opened_at"]), _local_day(cases["closed_at"])
    months = pd.period_range(min(opened), today, freq="M")
    ends = [min(month.end_time.date(), today) for month in months]
    counts = [
        int(((opened <= end) & (closed.isna() | (closed.fillna(dt.date.max) > end))).sum()) for end in ends
    ]
    return pd.DataFrame({"月份": [str(month) for month in months], "未销号": counts})


def notice_workbook(case: pd.Series, today: dt.date) -> bytes:
    """One case's 督办单 (a row of :func:`core.review.cases.list_cases`) as an .xlsx ready to send."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "督办单"
    sheet.append([f"督办单（编号 {int(case['id'])}）"])
    sheet["A1"].font = Font(bold=True, size=16)
    sheet.merge_cells("A1:B1")
    expected = case["expected_date"]
    lines = [
        ("学校", f"{case['institution_name']}（{case['code']}）"),
        ("所在省份", case["province"]),
        ("督办指标", f"{case['indicator_label']}（{case['subject']}）"),
        ("督办时数值", case["value"]),
        ("标准", case["standard"]),
        ("标准依据", case["standard_source"]),
        ("整改期限", case["deadline"].isoformat()),
        ("督办说明", case["note"] or ""),
        ("状态", case["shown_status"]),
        ("学校反馈：整改措施", case["measures"] or "（尚未反馈）"),
        ("学校反馈：预计完成日期", expected.isoformat() if isinstance(expected, dt.date) else ""),
        ("数据核验", " ".join(filter(None, (case["met"], case["evidence"])))),
        ("督办人", case["opened_by"]),
        ("制单日期", today.isoformat()),
    ]
    for label, value in lines:
        sheet.append([label, str(value)])
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 80
    for row in sheet.iter_rows(min_row=2):
        row[0].font = Font(bold=True)
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def notice_file_name(case: pd.Series) -> str:
    return f"督办单_{case['institution_name']}_{case['indicator_label']}_{int(case['id'])}.xlsx"

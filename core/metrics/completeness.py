"""Reporting completeness and timeliness (DHIS2's reporting-rate report), in pure pandas.

Input: one row per institution expected to report for a period, with when its rows
for that period were first submitted and last updated (``first_submitted`` /
``last_updated``, UTC; both empty when nothing is stored) — see
:func:`core.queries.completeness.period_status`.

Status of an institution for a period, against the period's deadline:
- 按时报送: first submitted on or before the deadline (Beijing date);
- 逾期报送: first submitted after it (a later correction does not make a report late,
  nor does it make a late one on time);
- 未报送: nothing stored and the deadline has passed;
- 待报送: nothing stored yet, the deadline has not passed;
- 待审核: nothing stored yet, but an upload of the institution waits for review
  (core.queries.completeness marks it; it is not counted as reported).

Rates (DHIS2's definitions; the denominator is every institution expected to report):
报送率 = 已报 / 应报; 按时报送率 = 按时报送 / 应报.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from core.formatting import (
    LOCAL_TIME,
    NOT_AVAILABLE,
    in_natural_order,
    local_time,
    local_time_texts,
    percent_text,
    round_half_up,
)
from core.forms import INSTITUTIONS
from core.headers import INSTITUTION_HEADERS

ON_TIME = "按时报送"
LATE = "逾期报送"
MISSING = "未报送"
PENDING = "待报送"
AWAITING_REVIEW = "待审核"  # nothing approved yet, an upload waits for the province (not reported)

# Who an institution is (status table, 未报送名单) and what the rates are grouped by.
# An institution of 高校名录 in a list of institutions: key → header.
REGISTRY_HEADERS = {key: INSTITUTIONS.headers[key] for key in ("code", "name")} | INSTITUTION_HEADERS
GROUP_HEADERS = dict(INSTITUTION_HEADERS)
GROUP_HEADERS["period"] = "报送期次"
RATE_HEADERS = {
    "expected": "应报",
    "submitted": "已报",
    "on_time": "按时报送",
    "late": "逾期报送",
    "not_submitted": "未报",
    "reporting_rate_text": "报送率",
    "on_time_rate_text": "按时报送率",
}


def classify(frame: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """``frame`` (with ``first_submitted``, ``last_updated`` and each row's ``deadline``) with
    ``submitted`` and ``status`` added (see the module docstring)."""
    first = local_time(frame["first_submitted"])
    deadline = pd.to_datetime(frame["deadline"])
    end_of_deadline = (deadline + pd.Timedelta(days=1)).dt.tz_localize(LOCAL_TIME)
    submitted = frame["last_updated"].notna().to_numpy()
    on_time = submitted & (first < end_of_deadline).to_numpy()
    overdue = (deadline < pd.Timestamp(today)).to_numpy()
    status = np.select([on_time, submitted, overdue], [ON_TIME, LATE, MISSING], PENDING)
    return frame.assign(submitted=submitted, status=status)


def percent_value(numerator: int, denominator: int) -> float | None:
    """100 × numerator / denominator with one decimal (half up), for charts; None when 0/0."""
    if not denominator:
        return None
    return float(round_half_up(100 * numerator, denominator))


def reporting_rates(classified: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Counts and rates of ``classified`` grouped by ``by`` (an empty list: one overall row)."""
    counts = classified.assign(
        expected=1,
        on_time=classified["status"].eq(ON_TIME),
        late=classified["status"].eq(LATE),
        not_submitted=~classified["submitted"].astype(bool),
    )
    columns = ["expected", "submitted", "on_time", "late", "not_submitted"]
    if by:
        totals = counts.groupby(by, sort=False)[columns].sum().reset_index()
    else:
        totals = counts[columns].sum().to_frame().T
    totals[columns] = totals[columns].astype(int)
    reporting_rate, reporting_rate_text = _rates(totals["submitted"], totals["expected"])
    on_time_rate, on_time_rate_text = _rates(totals["on_time"], totals["expected"])
    return totals.assign(
        reporting_rate=reporting_rate,
        on_time_rate=on_time_rate,
        reporting_rate_text=reporting_rate_text,
        on_time_rate_text=on_time_rate_text,
    )


def _rates(numerators: pd.Series, denominators: pd.Series) -> tuple[list[float | None], list[str]]:
    """The rates as chart values (percent) and as text ('92.3%', '—' when nothing is expected)."""
    pairs = list(zip(numerators, denominators, strict=True))
    values = [percent_value(numerator, denominator) for numerator, denominator in pairs]
    texts = [percent_text(numerator, denominator) or NOT_AVAILABLE for numerator, denominator in pairs]
    return values, texts


def rate_table(rates: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """``reporting_rates`` output with Chinese headers, as shown on screen and in its CSV."""
    headers = {key: GROUP_HEADERS[key] for key in by} | RATE_HEADERS
    return rates[list(headers)].rename(columns=headers)


def status_table(classified: pd.DataFrame) -> pd.DataFrame:
    """One row per institution: who it is, its status, when it reported, the deadline."""
    table = classified[list(REGISTRY_HEADERS)].rename(columns=REGISTRY_HEADERS)
    return table.assign(
        状态=classified["status"].to_numpy(),
        首次报送时间=local_time_texts(classified["first_submitted"]).to_numpy(),
        最近更新时间=local_time_texts(classified["last_updated"]).to_numpy(),
        截止日期=classified["deadline"].map(lambda day: day.isoformat()).to_numpy(),
    )


def institution_matrix(statuses: pd.DataFrame) -> pd.DataFrame:
    """Long frame (学校 × 报送期次 → 状态) of the statuses of several periods, for the heatmap."""
    return pd.DataFrame(
        {
            "学校": statuses["name"] + "（" + statuses["code"] + "）",
            "所在省份": statuses["province"],
            "报送期次": statuses["period"],
            "状态": statuses["status"],
            "首次报送时间": local_time_texts(statuses["first_submitted"]),
            "截止日期": statuses["deadline"].map(lambda day: day.isoformat()),
        }
    )


def chart_rates(rates: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """``rate_table`` plus the rates as numbers (报送率数值, 按时报送率数值) for charts."""
    return rate_table(rates, by).assign(
        报送率数值=rates["reporting_rate"].to_numpy(),
        按时报送率数值=rates["on_time_rate"].to_numpy(),
    )


def province_rates(classified: pd.DataFrame) -> pd.DataFrame:
    """``reporting_rates`` by province, in the national order of provinces."""
    return in_natural_order(reporting_rates(classified, ["province"]), ["province"])


def province_matrix(statuses: pd.DataFrame) -> pd.DataFrame:
    """Long frame (省份 × 报送期次 → counts and rates) of several periods, for the heatmap."""
    rates = in_natural_order(reporting_rates(statuses, ["province", "period"]), ["province"])
    return chart_rates(rates, ["province", "period"])

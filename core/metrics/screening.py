"""Screening metrics (心理健康测评筛查): rates, roll-ups, the attention list, small-number
masking and the tables built from them (pure pandas, no I/O).

Rules (spec: form ``screening``, "Derived" and "Small-number masking"):
- 预警人数合计 (flagged) = 高风险 + 中风险 + 一般关注;
- 筛查覆盖率 = 实测/应测, 预警率 = 预警人数合计/实测, 高风险率 = 高风险/实测,
  约谈评估率 = 已约谈评估/预警人数合计. A rate whose denominator is 0 has no value:
  NaN as a number, '' in a table and a CSV file, '—' on screen;
- a roll-up (province, 办学层次, 办学性质, term …) sums the counts of its rows first and
  divides after — it never averages the rows' rates;
- masking, for files that leave the office: each count of ``MASKED_COUNTS`` between 1
  and 4 is written ``<5`` (0 and 5+ as they are) and a rate whose numerator is a masked
  count is left empty; 应测人数 and 实测人数 are never masked.

Frames use the form's field keys (``target``, ``screened`` …) plus ``province``,
``level``, ``ownership`` and ``institution_name`` (the 高校名录 name); :func:`table`
turns them into the Chinese-headed tables shown on screen and written to CSV.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from core.formatting import count_text, in_natural_order, on_screen, one_decimal_texts
from core.forms import INSTITUTIONS, SCREENING
from core.masking import SMALL_COUNT_MAX, SMALL_COUNT_TEXT, SUPPRESSED_TEXT, area_written, complementary


@dataclass(frozen=True)
class Rate:
    """A derived rate: ``numerator`` / ``denominator`` (both count columns)."""

    key: str
    header: str
    numerator: str
    denominator: str


COUNTS = ("target", "screened", "high", "medium", "watch", "interviewed", "referred", "crisis")
FLAGGED = "flagged"
RISK_LEVELS = ("high", "medium", "watch")

COVERAGE = Rate("coverage", "筛查覆盖率", "screened", "target")
FLAGGED_RATE = Rate("flagged_rate", "预警率", FLAGGED, "screened")
HIGH_RATE = Rate("high_rate", "高风险率", "high", "screened")
FOLLOW_UP = Rate("follow_up_rate", "约谈评估率", "interviewed", FLAGGED)
RATES = (COVERAGE, FLAGGED_RATE, HIGH_RATE, FOLLOW_UP)

MASKED_COUNTS = ("high", "medium", "watch", "interviewed", "referred", "crisis", FLAGGED)

DEFAULT_COVERAGE_LINE = 0.95
REASONS = "reasons"

HEADERS: dict[str, str] = {
    **SCREENING.headers,
    **{key: INSTITUTIONS.headers[key] for key in ("province", "level", "ownership")},
    "institution_name": INSTITUTIONS.headers["name"],
    "institutions": "学校数",
    FLAGGED: "预警人数合计",
    **{rate.key: rate.header for rate in RATES},
    REASONS: "关注原因",
}
RATE_HEADERS = tuple(rate.header for rate in RATES)

# Column sets of the tables (keys; :func:`table` gives them their headers).
EXPORT_COLUMNS = (
    *SCREENING.keys,
    "province",
    "level",
    "ownership",
    COVERAGE.key,
    FLAGGED,
    FLAGGED_RATE.key,
    HIGH_RATE.key,
    FOLLOW_UP.key,
)
ROLLUP_COLUMNS = (
    "institutions",
    "target",
    "screened",
    COVERAGE.key,
    "high",
    "medium",
    "watch",
    FLAGGED,
    FLAGGED_RATE.key,
    HIGH_RATE.key,
    "interviewed",
    FOLLOW_UP.key,
    "referred",
    "crisis",
)
ATTENTION_COLUMNS = (
    "code",
    "institution_name",
    "province",
    "year",
    "term",
    "kind",
    REASONS,
    "target",
    "screened",
    COVERAGE.key,
    FLAGGED,
    "interviewed",
    FOLLOW_UP.key,
)
ROLLUP_GROUPS = ("province", "level", "ownership")
KPI_COLUMNS = ("screened", COVERAGE.key, "high", HIGH_RATE.key, FOLLOW_UP.key)


def with_derived(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` plus ``flagged`` and every rate as a fraction (NaN where its denominator is 0)."""
    result = frame.copy()
    result[FLAGGED] = sum(frame[level].astype("int64") for level in RISK_LEVELS)
    for rate in RATES:
        denominator = result[rate.denominator].astype("float64")
        result[rate.key] = result[rate.numerator].astype("float64") / denominator.where(denominator > 0)
    return result


def rollup(rows: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Per group of ``by``: ``institutions`` (distinct 学校标识码), the summed counts, and
    flagged and the rates computed from those sums. With no ``by``: one row, the total."""
    keys = list(by)
    counts = rows[list(COUNTS)].astype("int64")
    if not keys:
        total = {"institutions": rows["code"].nunique(), **counts.sum().to_dict()}
        return with_derived(pd.DataFrame([total]))
    groups = [rows[key] for key in keys]
    sums = counts.groupby(groups, sort=False).sum()
    sums.insert(0, "institutions", rows["code"].groupby(groups, sort=False).nunique())
    return with_derived(in_natural_order(sums.reset_index(), keys))


def coverage_line_text(line: float) -> str:
    """'95%' for 0.95, '92.5%' for 0.925."""
    return f"{round(line * 100, 1):g}%"


def attention_list(rows: pd.DataFrame, coverage_line: float = DEFAULT_COVERAGE_LINE) -> pd.DataFrame:
    """The rows that need a follow-up call, with ``reasons`` (Chinese, joined by '；').

    A row is listed when its coverage is below ``coverage_line``, when some flagged
    students were not followed up (已约谈评估 < 预警人数合计), or when students were
    flagged and none was followed up (that reason replaces the previous one). A row
    with 应测人数 0 has no coverage and is not listed for it.
    """
    derived = with_derived(rows)
    low_coverage = derived[COVERAGE.key] < coverage_line
    none_followed = (derived[FLAGGED] > 0) & (derived["interviewed"] == 0)
    some_missed = (derived["interviewed"] < derived[FLAGGED]) & ~none_followed
    reasons = [
        (f"筛查覆盖率低于{coverage_line_text(coverage_line)}", low_coverage),
        ("约谈评估率低于100%", some_missed),
        ("有预警学生但均未约谈评估", none_followed),
    ]
    texts = pd.Series("", index=derived.index, dtype=object)
    for text, applies in reasons:
        texts = texts.where(~applies, texts + "；" + text)
    derived[REASONS] = texts.str.removeprefix("；")
    return derived.loc[derived[REASONS] != ""].reset_index(drop=True)


def rate_text(frame: pd.DataFrame, rate: Rate) -> pd.Series:
    """``rate`` of each row of ``frame`` (with ``flagged``) as percent text, '' without denominator.

    The same text as core.formatting.percent_text, computed for a whole column at once
    (core.formatting.one_decimal_texts).
    """
    numerators = frame[rate.numerator].to_numpy(dtype="int64")
    denominators = frame[rate.denominator].to_numpy(dtype="int64")
    texts = one_decimal_texts(100 * numerators, denominators, suffix="%")
    return pd.Series(texts, index=frame.index, dtype=object)


def _is_small(counts: pd.Series) -> pd.Series:
    return counts.between(1, SMALL_COUNT_MAX)


def _suppressed(table: pd.DataFrame) -> pd.Series:
    """Per row, the risk level written '*' so that a '<5' cannot be worked back (core.masking)."""
    parts = table[list(RISK_LEVELS)].fillna(0).to_numpy(dtype="int64").tolist()
    picks = [complementary(row) for row in parts]
    return pd.Series([None if pick is None else RISK_LEVELS[pick] for pick in picks], index=table.index)


def _masked(table: pd.DataFrame, *, groups: bool) -> pd.DataFrame:
    """Small counts written '<5', their complements '*', and the rates computed from either emptied;
    with ``groups`` (a table of 学校数 per group), a group of fewer than 3 institutions written empty."""
    masked = table.copy()
    suppressed = _suppressed(table)
    for rate in RATES:
        if rate.numerator in MASKED_COUNTS:
            hidden = _is_small(table[rate.numerator]) | (suppressed == rate.numerator)
            masked.loc[hidden, rate.key] = ""
    for key in MASKED_COUNTS:
        masked[key] = table[key].astype(object).where(~_is_small(table[key]), SMALL_COUNT_TEXT)
        masked.loc[suppressed == key, key] = SUPPRESSED_TEXT
    if groups:  # a group of one or two institutions would show their own figures
        thin = ~table["institutions"].map(area_written)
        figures = [*COUNTS, FLAGGED, *(rate.key for rate in RATES)]
        masked[figures] = masked[figures].astype(object)
        masked.loc[thin, figures] = ""
    return masked


def table(frame: pd.DataFrame, columns: Sequence[str], *, mask: bool = False) -> pd.DataFrame:
    """``columns`` of ``frame`` under their Chinese headers, as a CSV file writes them.

    Rates are percent text with one decimal ('' where the denominator is 0), computed
    exactly from the counts; with ``mask`` small counts are written '<5' (and their
    complements '*', core.masking), the rates built on them are left empty, and in a table
    of groups (with 学校数) a group of fewer than 3 institutions is written empty.
    """
    shown = with_derived(frame)
    for rate in RATES:
        shown[rate.key] = rate_text(shown, rate)
    if mask:
        shown = _masked(shown, groups="institutions" in columns)
    return shown[list(columns)].rename(columns=HEADERS)


def for_screen(table: pd.DataFrame) -> pd.DataFrame:
    """A :func:`table` as shown on screen: an empty rate is '—'."""
    shown = table.copy()
    for header in RATE_HEADERS:
        if header in shown:
            shown[header] = shown[header].map(on_screen)
    return shown


def kpi_texts(totals: Mapping[str, int]) -> dict[str, str]:
    """The KPI tiles (Chinese label → text on screen) from summed counts (keys of ``COUNTS``)."""
    row = for_screen(table(pd.DataFrame([dict(totals)]), KPI_COLUMNS)).iloc[0]
    return {label: value if label in RATE_HEADERS else count_text(value) for label, value in row.items()}

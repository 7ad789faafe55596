"""What 发起督办 offers under a list of 未达标 rows: one label per case that can be opened, with
what identifies its finding (core.review.evidence). Built once with the page's model (national
lists hold thousands of rows), not on every rerun of the page."""

from __future__ import annotations

import pandas as pd

from core.metrics import screening as screening_metrics
from core.standards import Standards

FOLLOW_UP_REASONS = ("约谈评估率低于100%", "有预警学生但均未约谈评估")


def staffing_targets(supervision: pd.DataFrame, standards: Standards) -> dict[str, tuple[str, str]]:
    """督办名单 (学校标识码, 学校名称, 未达标指标) → {'名称（标识码）· 指标': (标识码, standard key)},
    one per school and failing standard, in the list's order."""
    rows = zip(
        supervision["学校标识码"].tolist(),
        supervision["学校名称"].tolist(),
        supervision["未达标指标"].tolist(),
        strict=True,
    )
    return {
        f"{name}（{code}）· {standard.label}": (code, standard.key)
        for code, name, failing in rows
        for standard in standards
        if standard.label in str(failing).split("、")
    }


def screening_targets(attention: pd.DataFrame) -> dict[str, tuple[str, str, str, str]]:
    """需关注名单 → {'名称（标识码）· 学年 学期 类型': (标识码, 学年, 学期, 类型)}, one per row whose
    flagged students were not all followed up."""
    headers = screening_metrics.HEADERS
    keys = ("code", "institution_name", "year", "term", "kind", screening_metrics.REASONS)
    columns = [attention[headers[key]].tolist() for key in keys]
    return {
        f"{name}（{code}）· {year} {term} {kind}": (code, year, term, kind)
        for code, name, year, term, kind, reasons in zip(*columns, strict=True)
        if any(reason in str(reasons) for reason in FOLLOW_UP_REASONS)
    }

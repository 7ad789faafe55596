"""What 发起督办 offers: one choice per school and failing standard, per screening to follow up."""

from __future__ import annotations

import pandas as pd

from core.metrics.screening import HEADERS, REASONS
from core.standards import DEFAULT_STANDARDS
from core.views.case_targets import screening_targets, staffing_targets


def test_staffing_targets_one_per_school_and_failing_standard() -> None:
    counselors, ideo = DEFAULT_STANDARDS.counselors.label, DEFAULT_STANDARDS.ideo.label
    supervision = pd.DataFrame(
        {
            "学校标识码": ["4141010001", "4141010002"],
            "学校名称": ["甲大学", "乙学院"],
            "未达标指标": [f"{counselors}、{ideo}", ideo],
        }
    )

    targets = staffing_targets(supervision, DEFAULT_STANDARDS)

    assert targets == {
        f"甲大学（4141010001）· {counselors}": ("4141010001", "counselors"),
        f"甲大学（4141010001）· {ideo}": ("4141010001", "ideo"),
        f"乙学院（4141010002）· {ideo}": ("4141010002", "ideo"),
    }


def test_screening_targets_only_rows_whose_students_were_not_followed_up() -> None:
    columns = {HEADERS[key]: key for key in ("code", "institution_name", "year", "term", "kind")}
    attention = pd.DataFrame(
        {
            **{header: [key] * 2 for header, key in columns.items()},
            HEADERS[REASONS]: ["筛查覆盖率低于90%；约谈评估率低于100%", "筛查覆盖率低于90%"],
        }
    ).assign(
        **{HEADERS["code"]: ["4141010001", "4141010002"], HEADERS["institution_name"]: ["甲大学", "乙学院"]}
    )

    targets = screening_targets(attention)

    assert targets == {"甲大学（4141010001）· year term kind": ("4141010001", "year", "term", "kind")}

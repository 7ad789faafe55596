"""The data contract (/work/shared/spec/forms.md) restated once, by hand, for the tests.

Canonical headers, export columns, the 未报送名单 columns and the CLI's JSON report keys,
copied from the spec. Never derive these from core/forms.py or core/export.py: a test
that compared the code's declaration with itself could not fail.
"""

from __future__ import annotations

FORM_HEADERS: dict[str, list[str]] = {
    "institutions": ["学校标识码", "学校名称", "所在省份", "办学层次", "办学性质", "主管部门", "所在城市"],
    "staffing": [
        "学校标识码",
        "学校名称",
        "学年",
        "全日制本专科生数",
        "全日制研究生数",
        "专职辅导员数",
        "兼职辅导员数",
        "专职思政课教师数",
        "专职心理健康教育教师数",
    ],
    "screening": [
        "学校标识码",
        "学校名称",
        "学年",
        "学期",
        "筛查类型",
        "应测人数",
        "实测人数",
        "高风险人数",
        "中风险人数",
        "一般关注人数",
        "已约谈评估人数",
        "转介就医人数",
        "危机干预人数",
    ],
    "projects": [
        "项目编号",
        "项目名称",
        "项目类别",
        "批次",
        "承担单位标识码",
        "承担单位",
        "立项日期",
        "计划完成日期",
        "当前阶段",
        "完成进度",
        "最近更新日期",
        "负责人",
        "备注",
    ],
}

# "Derived columns in exports": every form but institutions gets these from 高校名录 first.
REGISTRY_COLUMNS = ["所在省份", "办学层次", "办学性质"]
STAFFING_DERIVED = ["学生总数"] + [
    f"{post}{what}"
    for post in ("辅导员", "思政课教师", "心理健康教育教师")
    for what in ("师生比", "应配数", "缺口", "达标情况")
]
EXPORT_HEADERS: dict[str, list[str]] = {
    "institutions": FORM_HEADERS["institutions"],
    "staffing": FORM_HEADERS["staffing"] + REGISTRY_COLUMNS + STAFFING_DERIVED,
    "screening": FORM_HEADERS["screening"]
    + REGISTRY_COLUMNS
    + ["筛查覆盖率", "预警人数合计", "预警率", "高风险率", "约谈评估率"],
    "projects": FORM_HEADERS["projects"] + REGISTRY_COLUMNS + ["是否逾期", "逾期天数"],
}

MISSING_HEADERS = ["学校标识码", "学校名称", "所在省份", "办学层次", "办学性质"]  # the 未报送名单

# `import --json`: one object with these keys, in this order; each issue has ISSUE_KEYS.
REPORT_KEYS = [
    "form",
    "file",
    "accepted",
    "rows",
    "inserted",
    "updated",
    "unchanged",
    "errors",
    "warnings",
    "normalizations",
]
ISSUE_KEYS = ["sheet", "row", "column", "code", "message"]

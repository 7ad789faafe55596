"""The form declarations: the spec's canonical headers, keys, vocabularies and tables."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from core.forms import FORMS, PROVINCE_SYNONYMS, PROVINCES, Kind, get_form
from core.models import FORM_MODELS

SPEC_HEADERS = {
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


@pytest.mark.parametrize("form_name", list(SPEC_HEADERS))
def test_canonical_headers_follow_the_spec(form_name: str) -> None:
    assert list(get_form(form_name).headers.values()) == SPEC_HEADERS[form_name]


@pytest.mark.parametrize(
    ("form_name", "key"),
    [
        ("institutions", ("code",)),  # case: 高校名录 keyed by code
        ("staffing", ("code", "year")),  # case: one row per school and year
        ("screening", ("code", "year", "term", "kind")),  # case: per term and type
        ("projects", ("project_id",)),  # case: project number
    ],
)
def test_keys(form_name: str, key: tuple[str, ...]) -> None:
    assert get_form(form_name).key == key


def test_every_province_and_its_short_form() -> None:
    assert len(PROVINCES) == 31
    for short, full in {
        "河南": "河南省",
        "北京": "北京市",
        "广西": "广西壮族自治区",
        "内蒙古": "内蒙古自治区",
        "宁夏": "宁夏回族自治区",
        "新疆": "新疆维吾尔自治区",
        "西藏": "西藏自治区",
    }.items():
        assert PROVINCE_SYNONYMS[short] == full
    assert set(PROVINCE_SYNONYMS.values()) == set(PROVINCES)


@pytest.mark.parametrize("form_name", list(FORMS))
def test_table_columns_are_derived_from_the_form(engine, form_name: str) -> None:
    form = get_form(form_name)
    columns = {column["name"]: column for column in inspect(engine).get_columns(form.table)}
    for spec in form.fields:
        assert spec.key in columns
        nullable = not spec.required and spec.default is None
        assert columns[spec.key]["nullable"] == nullable, spec.key
    assert "upload_id" in columns
    assert FORM_MODELS[form_name].__tablename__ == form.table


def test_enum_fields_declare_their_choices() -> None:
    for form in FORMS.values():
        for spec in form.fields:
            if spec.kind in (Kind.ENUM, Kind.PROVINCE):
                assert spec.choices, f"{form.name}.{spec.key}"
                assert set(spec.synonyms.values()) <= set(spec.choices)


def test_unknown_form_names_the_choices() -> None:
    with pytest.raises(KeyError, match="staffing"):
        get_form("staff")

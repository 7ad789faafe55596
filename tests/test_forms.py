"""The form declarations: the spec's canonical headers, keys, vocabularies and tables."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from core.forms import FORMS, PROVINCE_SYNONYMS, PROVINCES, Kind, get_form
from core.models import FORM_MODELS
from tests.contract import FORM_HEADERS


@pytest.mark.parametrize("form_name", list(FORM_HEADERS))
def test_canonical_headers_follow_the_spec(form_name: str) -> None:
    assert list(get_form(form_name).headers.values()) == FORM_HEADERS[form_name]


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

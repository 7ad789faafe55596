"""The four forms of spec/forms.md are declared as data too (core/formdefs/declared/*.toml), in the
definition format plus the few things only built-in forms have; core.forms builds them from there."""

from __future__ import annotations

import pytest

from core.formdefs.declared import declaration
from core.forms import FORMS

BUILT_IN_EXTRAS = {"table", "key", "institution_field", "reported_name_field"}
FIELD_KEYS = {"key", "header", "kind", "required", "aliases", "unit", "choices", "synonyms", "help"}
FIELD_EXTRAS = {"default", "max_length"}


@pytest.mark.parametrize("name", list(FORMS))
def test_each_built_in_form_is_built_from_its_declaration(name: str) -> None:
    declared = declaration(name)

    assert set(declared) <= {"name", "title", "sheet", "field"} | BUILT_IN_EXTRAS
    assert all(set(field) <= FIELD_KEYS | FIELD_EXTRAS for field in declared["field"])
    form = FORMS[name]
    assert (form.title, form.sheet, form.key) == (
        declared["title"],
        declared["sheet"],
        tuple(declared["key"]),
    )
    assert [(spec.key, spec.header, spec.kind.value) for spec in form.fields] == [
        (field["key"], field["header"], field["kind"]) for field in declared["field"]
    ]

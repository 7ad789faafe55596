"""Header matching: the bare name of a header as written ('专职辅导员（人）', ' 全日制\\n本专科生数 ',
'*学年') and the form field it names — canonical headers, aliases, and a count written with its
unit but without 数/人数. Indexes are built once per form and dropped when a form declared as
data is added, replaced or retired (:func:`forget_headers`).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from core.forms import FieldSpec, FormSpec, Kind, get_form
from core.ingest.normalize import is_blank, shown, to_half_width, without_spaces

_UNIT = re.compile(r"\((?:单位[:：]?)?(?:人|名|个|所|项|%|人数|万人|天|日)\)$")
_TRAILING_GROUP = re.compile(r"\([^()]*\)$")
_REQUIRED_MARK = re.compile(r"^[*※]+|[*※]+$")


def normalize_header(text: Any) -> str:
    """'专职辅导员（人）', ' 全日制\\n本专科生数 ', '*学年' → the bare name used for matching."""
    bare = without_spaces(to_half_width(shown(text)))
    bare = _REQUIRED_MARK.sub("", bare)
    return _UNIT.sub("", bare)


def _count_stems(fields: tuple[FieldSpec, ...]) -> dict[str, str]:
    """A count's name without its trailing 数/人数 ('兼职辅导员（人）' is 兼职辅导员数: the unit
    stands for it), for every count field whose stem no other field shares."""
    stems: dict[str, set[str]] = {}
    for spec in fields:
        if spec.kind is not Kind.COUNT:
            continue
        for written in (spec.header, *spec.aliases):
            bare = normalize_header(written)
            stem = bare.removesuffix("人数") if bare.endswith("人数") else bare.removesuffix("数")
            if stem != bare and len(stem) >= 2:
                stems.setdefault(stem, set()).add(spec.key)
    return {stem: next(iter(keys)) for stem, keys in stems.items() if len(keys) == 1}


@functools.cache
def _header_index(form_name: str) -> dict[str, str]:
    """Normalised canonical header or alias → field key (a canonical header wins over an alias)."""
    fields = get_form(form_name).fields
    index: dict[str, str] = {}
    for spec in fields:
        for written in spec.aliases:
            index[normalize_header(written)] = spec.key
    for spec in fields:
        index[normalize_header(spec.header)] = spec.key
    return index


@functools.cache
def _stem_index(form_name: str) -> dict[str, str]:
    return _count_stems(get_form(form_name).fields)


def forget_headers() -> None:
    """Drop the header indexes: a form declared as data was added, replaced or retired."""
    _header_index.cache_clear()
    _stem_index.cache_clear()


# a remark that changes what is counted: 本专科生数（含成人教育）, 应测（人次）, 研究生（其中博士）
_COUNTS_SOMETHING_ELSE = re.compile(r"\((含|包括|其中)|人次")


def match_header(form: FormSpec, text: Any) -> str | None:
    """The key of the field whose canonical header or alias ``text`` is, after normalisation.

    A count written with its unit instead of 数/人数 (兼职辅导员（人）) matches by its stem. A
    trailing remark in brackets that is not a unit ('学校标识码（10位）') is dropped as a last
    resort, unless it changes what the column counts ('（含成人教育）', '（人次）'), and then only
    a full header or alias may match what is left.
    """
    if is_blank(text):
        return None
    index = _header_index(form.name)
    bare = normalize_header(text)
    key = index.get(bare) or _stem_index(form.name).get(bare)
    remark = _TRAILING_GROUP.search(bare)
    if key is None and remark is not None and not _COUNTS_SOMETHING_ELSE.search(remark[0]):
        key = index.get(_TRAILING_GROUP.sub("", bare))
    return key


def header_note(spec: FieldSpec, written: Any) -> str | None:
    """'表头“专职辅导员（人）”识别为“专职辅导员数”' when the file's header is not the canonical one."""
    if shown(written) == spec.header:
        return None
    return f"表头“{' '.join(shown(written).split())}”识别为“{spec.header}”"

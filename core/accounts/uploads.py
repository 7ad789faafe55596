"""An upload checked against the uploader's limits: each row outside is a cell error on 学校标识码.

The upload path adds these to the parsed file's issues before planning; a file with any of
them is not accepted, so nothing of it is stored (spec/accounts.md: Roles).
"""

from __future__ import annotations

from collections.abc import Mapping

from core.accounts.limits import check_upload_rows
from core.accounts.roles import Account
from core.forms import FORMS, Severity
from core.ingest.codes import Reason
from core.ingest.report import Issue, ParsedFile

CODE = "code"


def _registries(parsed: ParsedFile, registry: Mapping[str, str]) -> list[Mapping[str, str]]:
    """The code → province maps a row must be inside of. A 高校名录 file also names provinces:
    a row must be inside both by what is stored and by what the file says (no moving a school
    of another province into one's own, no adding one to another province)."""
    if parsed.form != "institutions":
        return [registry]
    in_file = {values[CODE]: values.get("province") for values in parsed.rows if values.get(CODE)}
    return [{**in_file, **registry}, in_file]


def upload_scope_issues(account: Account, parsed: ParsedFile, registry: Mapping[str, str]) -> list[Issue]:
    """``outside_scope`` errors for the rows of ``parsed`` outside ``account``'s limits
    (``registry``: 高校名录 as code → province, e.g. users.institution_registry)."""
    form = FORMS.get(parsed.form or "")
    if form is None or CODE not in {spec.key for spec in form.fields}:
        return []
    codes = [
        (number, values[CODE])
        for values, number in zip(parsed.rows, parsed.row_numbers, strict=True)
        if values.get(CODE) is not None
    ]
    outside = {}
    for provinces in _registries(parsed, registry):
        for violation in check_upload_rows(account, codes, provinces):
            outside.setdefault(violation.row, violation)
    header = form.field(CODE).header
    return [
        Issue(
            Severity.ERROR, Reason.OUTSIDE_SCOPE, found.message, parsed.sheet, found.row, header, found.code
        )
        for _, found in sorted(outside.items())
    ]

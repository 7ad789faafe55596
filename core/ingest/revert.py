"""Reverting an upload: put back what it replaced, remove what it added.

For every row the upload wrote (rows still pointing to it), the values it replaced
are restored from ``RecordHistory`` together with the upload that had written them;
a row it inserted is deleted. Refused while a later accepted upload has changed the
same rows (that one must be reverted first), and for 高校名录 when a school it added
still has reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, bindparam, delete, func, select, update

from core.db import bump_data_version, write_transaction
from core.forms import DATA_FORMS, FORMS, FormSpec, Kind, get_form
from core.freshness import form_area
from core.ingest.plan import form_table, record_key

if TYPE_CHECKING:
    from core.accounts.roles import Account

CLI_ACTOR = "命令行"


class RevertRefused(Exception):
    """The upload cannot be reverted now; ``message`` says why and what to do, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RevertResult:
    upload_id: int
    form: str
    restored: int  # rows put back to the values the upload replaced
    deleted: int  # rows the upload had added


def _later_uploads(connection: Connection, form: FormSpec, upload_id: int) -> list[int]:
    """Accepted uploads that replaced values this upload wrote, newest first."""
    from core.models import RecordHistory, Upload

    statement = (
        select(RecordHistory.replaced_by_upload_id)
        .join(Upload, Upload.id == RecordHistory.replaced_by_upload_id)
        .where(
            RecordHistory.form == form.name,
            RecordHistory.upload_id == upload_id,
            Upload.status == "accepted",
        )
        .distinct()
    )
    return sorted(connection.execute(statement).scalars(), reverse=True)


def _replaced_values(connection: Connection, form: FormSpec, upload_id: int) -> dict[str, Any]:
    """record_key → (values, upload_id) this upload replaced."""
    from core.models import RecordHistory

    statement = select(RecordHistory.record_key, RecordHistory.values, RecordHistory.upload_id).where(
        RecordHistory.form == form.name, RecordHistory.replaced_by_upload_id == upload_id
    )
    return {key: (values, previous) for key, values, previous in connection.execute(statement)}


def _from_json(form: FormSpec, values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        spec.key: dt.date.fromisoformat(values[spec.key])
        if spec.kind is Kind.DATE and values.get(spec.key)
        else values.get(spec.key)
        for spec in form.fields
    }


def _refuse_orphans(connection: Connection, codes: list[str]) -> None:
    """Reverting 高校名录 must not leave reports pointing at a school that is gone."""
    for form in FORMS.values():
        if form.institution_field is None or not codes:
            continue
        table = form_table(form)
        column = table.c[form.institution_field]
        count = connection.execute(select(func.count()).where(column.in_(codes))).scalar_one()
        if count:
            raise _orphans(codes, form.title, count)
    _refuse_data_form_orphans(connection, codes)


def _refuse_data_form_orphans(connection: Connection, codes: list[str]) -> None:
    """The same for the forms declared as data (one values store, core.formdefs)."""
    from core.models import FormRecord

    if not codes:
        return
    statement = (
        select(FormRecord.form, func.count()).where(FormRecord.code.in_(codes)).group_by(FormRecord.form)
    )
    for name, count in connection.execute(statement).all():
        raise _orphans(codes, DATA_FORMS[name].title if name in DATA_FORMS else name, count)


def _orphans(codes: list[str], title: str, count: int) -> RevertRefused:
    return RevertRefused(
        f"撤销这次上传会从高校名录中删除 {len(codes)} 所学校，但「{title}」中还有这些学校的 "
        f"{count} 条数据；请先撤销或删除这些数据的上传"
    )


def _refuse_outside_limits(connection: Connection, account: Account, upload_id: int) -> None:
    from core.accounts.limits import may_revert
    from core.accounts.users import institution_registry
    from core.queries.uploads import upload_codes
    from core.scope import Scope

    codes = upload_codes(connection, Scope(), upload_id).get(upload_id, set())
    if not may_revert(account, codes, institution_registry(connection)):
        raise RevertRefused(
            f"{account.role_label}账号只能撤销本{'校' if account.institution_code else '省'}数据的上传；"
            f"上传 #{upload_id} 含有权限范围以外的数据，请联系系统管理员撤销"
        )


def revert_upload(
    engine: Engine, upload_id: int, *, account: Account | None = None, client: str | None = None
) -> RevertResult:
    """Undo upload ``upload_id``; RevertRefused (Chinese message) when it cannot be undone now, or
    (with ``account``, the signed-in user) it wrote rows outside the user's limits. Recorded in
    the audit log (actor: the account, else the command line)."""
    from core.accounts.audit import AuditKind, append_audit, utc
    from core.formdefs.registry import load_forms
    from core.models import Upload, utc_now

    load_forms(engine)  # the forms declared as data in force, whichever process added them
    with write_transaction(engine, data_changed=False) as connection:
        upload = connection.execute(select(Upload.form, Upload.status).where(Upload.id == upload_id)).first()
        if upload is None:
            raise RevertRefused(f"找不到上传 #{upload_id}")
        if upload.status != "accepted":
            raise RevertRefused(f"上传 #{upload_id} 已经撤销过了")
        if upload.form not in FORMS and upload.form not in DATA_FORMS:  # a retired form declared as data
            raise RevertRefused(
                f"表单 {upload.form} 已停用；请先在“表单管理”页重新保存它的定义，再撤销这次上传"
            )
        if account is not None:
            _refuse_outside_limits(connection, account, upload_id)
        form = get_form(upload.form)
        later = _later_uploads(connection, form, upload_id)
        if later:
            listed = "、".join(f"#{number}" for number in later)
            raise RevertRefused(
                f"上传 #{upload_id} 写入的数据已被之后的上传 {listed} 修改；请先撤销之后的上传 #{later[0]}"
            )
        replaced = _replaced_values(connection, form, upload_id)
        if form.table == "form_record":  # a form declared as data: the typed values store
            from core.formdefs.storage import revert_rows

            restored, deleted = revert_rows(connection, form, upload_id, replaced, _from_json)
        else:
            restored, deleted = _revert_rows(connection, form, upload_id, replaced)
        connection.execute(
            update(Upload).where(Upload.id == upload_id).values(status="reverted", reverted_at=utc_now())
        )
        result = RevertResult(upload_id=upload_id, form=form.name, restored=restored, deleted=deleted)
        detail = {"upload_id": upload_id, "form": form.name, "restored": restored, "deleted": deleted}
        actor = account.name if account is not None else CLI_ACTOR
        append_audit(connection, kind=AuditKind.REVERT, actor=actor, detail=detail, client=client, at=utc())
        bump_data_version(connection, [form_area(form.name)])
    return result


def _revert_rows(
    connection: Connection, form: FormSpec, upload_id: int, replaced: dict[str, Any]
) -> tuple[int, int]:
    """Put back what upload ``upload_id`` replaced in the form's table, remove what it added."""
    table = form_table(form)
    written = connection.execute(select(table).where(table.c.upload_id == upload_id)).mappings().all()
    restore = [row for row in written if record_key(form, row) in replaced]
    remove = [row for row in written if record_key(form, row) not in replaced]
    if form.institution_field is None:
        _refuse_orphans(connection, [row["code"] for row in remove])
    if restore:
        columns = [*form.keys, "upload_id"]
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({key: bindparam(f"old_{key}") for key in columns})
        )
        parameters = []
        for row in restore:
            values, previous_upload = replaced[record_key(form, row)]
            old = _from_json(form, values) | {"upload_id": previous_upload}
            parameters.append({"row_id": row["id"]} | {f"old_{key}": old[key] for key in columns})
        connection.execute(statement, parameters)
    if remove:
        connection.execute(
            delete(table).where(table.c.id == bindparam("row_id")),
            [{"row_id": row["id"]} for row in remove],
        )
    return len(restore), len(remove)

"""Intake's two steps, shared by the 数据上传 page, ``python -m core.cli import`` and the seeding:

- :func:`check` — read, normalise and validate a file against 高校名录 (passed in as a mapping,
  so validation needs no database), then plan what storing it would change: a :class:`Preview`;
- :func:`commit` — store a checked file in one transaction (planned again there).

:func:`import_bytes` / :func:`import_path` are the two in one call (``dry_run`` stops after
the check).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select

from core.forms import Severity
from core.ingest.codes import Reason
from core.ingest.parse import Progress, parse_file
from core.ingest.plan import plan_changes
from core.ingest.read import UnreadableFile, check_size
from core.ingest.report import ImportReport, Issue, ParsedFile, Preview, report_for
from core.ingest.storing import store

if TYPE_CHECKING:
    from core.accounts.roles import Account


def _max_bytes(max_bytes: int | None) -> int:
    if max_bytes is not None:
        return max_bytes
    from core.config import load_settings

    return load_settings().max_upload_bytes


def institution_names(engine: Engine) -> dict[str, str]:
    """高校名录 as code → name: what :func:`check` checks the rows' codes against."""
    from core.models import Institution

    with engine.connect() as connection:
        return dict(connection.execute(select(Institution.code, Institution.name)).all())


def refuse_outside_limits(engine: Engine, parsed: ParsedFile, account: Account) -> bool:
    """Add to ``parsed`` an error for each row outside ``account``'s limits (``outside_scope``), or
    one for the whole file when the account may not upload at all; whether it added any."""
    from core.accounts.limits import may_upload
    from core.accounts.uploads import upload_scope_issues
    from core.accounts.users import institution_registry

    if not may_upload(account):
        refusal = f"{account.role_label}账号只能查看，不能上传数据；如需上传，请联系系统管理员。"
        parsed.issues.append(Issue(Severity.ERROR, Reason.OUTSIDE_SCOPE, refusal))
        return True
    if parsed.unreadable or parsed.form is None:
        return False
    outside = upload_scope_issues(account, parsed, institution_registry(engine))
    # a row outside says only that: no other finding about it (one would quote 高校名录's name)
    rows = {issue.row for issue in outside}
    parsed.issues[:] = [issue for issue in parsed.issues if issue.row not in rows] + outside
    return bool(outside)


def check(
    engine: Engine,
    form: str | None,
    data: bytes,
    file_name: str,
    *,
    institutions: Mapping[str, str],
    max_bytes: int | None = None,
    progress: Progress | None = None,
    account: Account | None = None,
) -> Preview:
    """Read, normalise and validate ``data`` as ``form`` (None: recognise it from the headers) and,
    when it is accepted, plan the diff against what ``engine`` holds; nothing is written.

    With ``account`` (a signed-in uploader), rows outside its limits are errors too."""
    parsed = parse_file(
        form, data, file_name, institutions=institutions, max_bytes=_max_bytes(max_bytes), progress=progress
    )
    if account is not None:
        refuse_outside_limits(engine, parsed, account)
    if not parsed.accepted or parsed.unreadable:
        return Preview(parsed)
    if progress is not None:
        progress(0.91, "正在与已有数据比对")
    return Preview(parsed, plan_changes(engine, parsed))


def commit(
    engine: Engine,
    preview: Preview,
    *,
    uploader: str,
    progress: Progress | None = None,
    account: Account | None = None,
    client: str | None = None,
) -> ImportReport:
    """Store a checked file (a rejected one is refused: nothing stored); its report.

    With ``account``, its limits are checked again against 高校名录 as it is now, and the
    upload is recorded in the audit log under its name (else under ``uploader``)."""
    if not preview.accepted:
        return preview.report
    if account is not None and refuse_outside_limits(engine, preview.parsed, account):
        return preview.report
    if progress is not None:
        progress(0.92, "正在写入数据库")
    actor = account.name if account is not None else None
    report = store(engine, preview.parsed, uploader=uploader, actor=actor, client=client)
    if progress is not None:
        progress(1.0, "完成")
    return report


def import_bytes(
    engine: Engine,
    form: str | None,
    data: bytes,
    file_name: str,
    *,
    dry_run: bool = False,
    uploader: str = "命令行",
    max_bytes: int | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """:func:`check` then (unless ``dry_run`` or rejected) :func:`commit`; report.parsed/plan filled."""
    preview = check(
        engine,
        form,
        data,
        file_name,
        institutions=institution_names(engine),
        max_bytes=max_bytes,
        progress=progress,
    )
    if dry_run or not preview.accepted:
        return preview.report
    return commit(engine, preview, uploader=uploader, progress=progress)


def _unreadable(form: str | None, file_name: str, error: UnreadableFile) -> ImportReport:
    parsed = ParsedFile(form=form, file_name=file_name, sha256="", unreadable=True)
    parsed.issues.append(Issue(Severity.ERROR, error.code, error.message))
    return report_for(parsed, None)


def import_path(
    engine: Engine,
    form: str | None,
    path: str | Path,
    *,
    dry_run: bool = False,
    uploader: str = "命令行",
    max_bytes: int | None = None,
) -> ImportReport:
    """:func:`import_bytes` of the file at ``path`` (a missing or unreadable path is reported, not raised)."""
    limit = _max_bytes(max_bytes)
    file_name = str(path)
    try:
        check_size(Path(path).stat().st_size, limit)  # before reading a huge file into memory
        data = Path(path).read_bytes()
    except UnreadableFile as problem:
        return _unreadable(form, file_name, problem)
    except FileNotFoundError:
        return _unreadable(form, file_name, UnreadableFile(Reason.FILE_NOT_FOUND, f"找不到文件：{path}"))
    except (IsADirectoryError, PermissionError, OSError) as problem:
        return _unreadable(
            form,
            file_name,
            UnreadableFile(Reason.UNREADABLE, f"无法读取文件 {path}：{problem.strerror or problem}"),
        )
    return import_bytes(engine, form, data, file_name, dry_run=dry_run, uploader=uploader, max_bytes=limit)

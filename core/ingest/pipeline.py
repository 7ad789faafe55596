"""The whole intake in one call: parse, validate and (unless a dry run or rejected) store.

:func:`import_bytes` / :func:`import_path` are what the 数据上传 page's confirm, ``python -m
core.cli import`` and the sample-data seeding run; see :mod:`core.ingest`.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from core.forms import Severity
from core.ingest.codes import Reason
from core.ingest.parse import Progress, parse_file
from core.ingest.plan import plan_changes
from core.ingest.read import UnreadableFile, check_size
from core.ingest.report import ImportReport, Issue, ParsedFile
from core.ingest.storing import report_for, store


def _max_bytes(max_bytes: int | None) -> int:
    if max_bytes is not None:
        return max_bytes
    from core.config import load_settings

    return load_settings().max_upload_bytes


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
    """Parse, validate and (unless ``dry_run`` or rejected) store one file; report.parsed/plan filled."""
    parsed = parse_file(engine, form, data, file_name, max_bytes=_max_bytes(max_bytes), progress=progress)
    if not parsed.accepted or parsed.unreadable:
        return report_for(parsed, None)
    if dry_run:
        return report_for(parsed, plan_changes(engine, parsed))
    if progress is not None:
        progress(0.92, "正在写入数据库")
    report = store(engine, parsed, uploader=uploader)
    if progress is not None:
        progress(1.0, "完成")
    return report


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

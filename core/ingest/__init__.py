"""Intake: read (file → raw cells) → normalise → validate → plan (diff) → store.

Two public calls, shared by the 数据上传 page, ``python -m core.cli import`` and the
sample-data seeding:

- :func:`check` — read, normalise, validate (against 高校名录 given as a mapping, see
  :func:`institution_names`) and plan the diff: a :class:`Preview`, nothing written;
- :func:`commit` — store a checked file in one transaction;

and around them :func:`import_bytes` / :func:`import_path` (check + commit in one call;
``dry_run`` stops after the check), :func:`read_workbook` (the reader's one entry point:
bytes and file name → raw sheets) and :func:`revert_upload` (undo an upload,
:class:`RevertRefused` when it cannot be).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# name → the module that defines it, imported on first use: a process that only reads a file
# (core.ingest.read, e.g. a worker reading an upload) does not import the database layer,
# which takes about half a second. The TYPE_CHECKING imports below name the real definitions.
_EXPORTS = {
    "ImportReport": "core.ingest.report",
    "ParsedFile": "core.ingest.report",
    "Preview": "core.ingest.report",
    "Progress": "core.ingest.parse",
    "RawSheet": "core.ingest.read",
    "RevertRefused": "core.ingest.revert",
    "RevertResult": "core.ingest.revert",
    "UnreadableFile": "core.ingest.read",
    "check": "core.ingest.pipeline",
    "commit": "core.ingest.pipeline",
    "import_bytes": "core.ingest.pipeline",
    "import_path": "core.ingest.pipeline",
    "institution_names": "core.ingest.pipeline",
    "read_workbook": "core.ingest.read",
    "revert_upload": "core.ingest.revert",
}
__all__ = [
    "ImportReport",
    "ParsedFile",
    "Preview",
    "Progress",
    "RawSheet",
    "RevertRefused",
    "RevertResult",
    "UnreadableFile",
    "check",
    "commit",
    "import_bytes",
    "import_path",
    "institution_names",
    "read_workbook",
    "revert_upload",
]

if TYPE_CHECKING:
    from core.ingest.parse import Progress
    from core.ingest.pipeline import check, commit, import_bytes, import_path, institution_names
    from core.ingest.read import RawSheet, UnreadableFile, read_workbook
    from core.ingest.report import ImportReport, ParsedFile, Preview
    from core.ingest.revert import RevertRefused, RevertResult, revert_upload


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'core.ingest' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value

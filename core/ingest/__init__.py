"""Intake: read (file → raw cells) → normalise → validate → plan (diff) → store.

The public functions, shared by the 数据上传 page, ``python -m core.cli import`` and the
sample-data seeding:

- :func:`parse_file` — read, normalise and validate a file (never raises for a bad file);
- :func:`plan_changes` — what storing it would change (new / changed / unchanged rows);
- :func:`store` — store an accepted file in one transaction;
- :func:`import_bytes` / :func:`import_path` — all of the above in one call (``dry_run``
  stops after the plan);
- :func:`revert_upload` — undo an upload (:class:`RevertRefused` when it cannot be).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# name → the module that defines it. Imported on first use, so that reading a workbook
# (core.ingest.read) does not import the database layer: the command line reads the file
# in the background while SQLAlchemy is being imported.
_EXPORTS = {
    "ImportReport": "core.ingest.report",
    "ParsedFile": "core.ingest.report",
    "Progress": "core.ingest.parse",
    "RevertRefused": "core.ingest.revert",
    "RevertResult": "core.ingest.revert",
    "import_bytes": "core.ingest.pipeline",
    "import_path": "core.ingest.pipeline",
    "parse_file": "core.ingest.parse",
    "plan_changes": "core.ingest.plan",
    "revert_upload": "core.ingest.revert",
    "store": "core.ingest.storing",
}
__all__ = [
    "ImportReport",
    "ParsedFile",
    "Progress",
    "RevertRefused",
    "RevertResult",
    "import_bytes",
    "import_path",
    "parse_file",
    "plan_changes",
    "revert_upload",
    "store",
]

if TYPE_CHECKING:
    from core.ingest.parse import Progress, parse_file
    from core.ingest.pipeline import import_bytes, import_path
    from core.ingest.plan import plan_changes
    from core.ingest.report import ImportReport, ParsedFile
    from core.ingest.revert import RevertRefused, RevertResult, revert_upload
    from core.ingest.storing import store


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'core.ingest' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value

"""Unexpected errors: the visitor gets a Chinese message and an id, the server log the traceback.

Tracebacks hold SQL, parameters and server paths, so they never reach the page
(``client.showErrorDetails = "none"`` in .streamlit/config.toml); app.py catches what a page
raises, logs it here under a short id and shows :func:`unexpected_message`.
"""

from __future__ import annotations

import logging
import uuid

_log = logging.getLogger("app.errors")


def record_unexpected(error: BaseException) -> str:
    """Log ``error`` with its traceback under a new id; return the id."""
    error_id = uuid.uuid4().hex[:8]
    _log.error("未预期的错误，编号 %s", error_id, exc_info=error)
    return error_id


def unexpected_message(error_id: str, error: BaseException | None = None) -> str:
    """The visitor's message: what a database error means (disk full, read-only …), else that
    something went wrong; with the id either way, never the error's own text."""
    from sqlalchemy.exc import DBAPIError

    if isinstance(error, DBAPIError):
        from core.db import database_problem

        return f"{database_problem(error)}（错误编号 {error_id}）"
    return (
        f"页面出现未预期的错误，已记录（错误编号 {error_id}）。请刷新页面重试；"
        "如果问题持续，请把错误编号告诉系统管理员。"
    )

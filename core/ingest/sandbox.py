"""Reading an upload in a separate worker process with hard limits.

The spreadsheet readers are native code: a crafted file can make one allocate petabytes
and abort (SIGABRT) the process that called it, or spin for minutes. So
:func:`read_workbook` runs the reader (:func:`core.ingest.read.read_workbook`, after
:func:`core.ingest.limits.check_bounds`) in a child process with an address-space limit
(``resource.RLIMIT_AS``), a CPU-time limit (``RLIMIT_CPU``) and a wall-clock timeout. The
sheets come back pickled over a pipe; an abort, a limit hit or a hang becomes an
:class:`~core.ingest.read.UnreadableFile` with a Chinese message, and the server process
(or the command line) carries on.

The per-cell look-ups a sheet does on demand (percent formats, error values) are pure
Python and bounded by the same checks; they are attached again in this process.
"""

from __future__ import annotations

import functools
import logging
import pickle
import resource
import subprocess
import sys
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from core.ingest import read
from core.ingest.codes import Reason
from core.ingest.limits import check_bounds
from core.ingest.read import RawSheet, UnreadableFile

MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024
CPU_LIMIT_SECONDS = 60
WALL_LIMIT_SECONDS = 90
_PROJECT_ROOT = Path(__file__).resolve().parents[2]
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    memory: int = MEMORY_LIMIT_BYTES
    cpu: int = CPU_LIMIT_SECONDS
    wall: float = WALL_LIMIT_SECONDS


def _limit(kind: int, value: int) -> None:
    _soft, hard = resource.getrlimit(kind)
    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
    resource.setrlimit(kind, (value, hard))


def _outcome(data: bytes, file_name: str, max_bytes: int) -> tuple[Any, ...]:
    """('ok', kind, sheets without their look-ups) or ('refused', code, message)."""
    try:
        check_bounds(data)
        sheets = read.read_workbook(data, file_name, max_bytes)
        bare = [replace(sheet, percent_loader=None, unseen_loader=None) for sheet in sheets]
        return ("ok", read.sniff.kind_of(data, file_name), bare)
    except UnreadableFile as refusal:
        return ("refused", refusal.code, refusal.message)
    except MemoryError:
        return ("refused", Reason.READ_LIMIT, _LIMIT_MESSAGE)


def _worker() -> None:
    """``python -m core.ingest.sandbox``: a pickled (data, file name, max bytes, limits) on
    stdin, limits on, the pickled outcome on stdout."""
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but the outcome goes to the pipe
    data, file_name, max_bytes, limits = pickle.load(source)
    _limit(resource.RLIMIT_AS, limits.memory)
    _limit(resource.RLIMIT_CPU, limits.cpu)
    pickle.dump(_outcome(data, file_name, max_bytes), sink, protocol=pickle.HIGHEST_PROTOCOL)
    sink.flush()


_LIMIT_MESSAGE = (
    "读取这个文件所需的内存或时间超出上限（文件可能被恶意构造，或含有大量多余的行列），已拒绝；"
    "请删除多余的行、列和工作表，或在 Excel/WPS 中打开后另存为 .xlsx 再上传"
)
_ABORT_MESSAGE = (
    "读取这个文件时读取程序异常终止（文件可能已损坏或被恶意构造），已拒绝；"
    "请在 Excel/WPS 中打开后另存为 .xlsx 再上传"
)


def _timeout_message(limits: Limits) -> str:
    return (
        f"读取这个文件超过 {limits.wall:.0f} 秒仍未完成，已停止（文件可能被恶意构造，或含有大量多余的行列）；"
        "请删除多余的内容后再上传"
    )


def _attach_loaders(sheets: list[RawSheet], kind: str, data: bytes) -> list[RawSheet]:
    """The on-demand look-ups of :func:`core.ingest.read.read_workbook`, for this process."""
    percent = unseen = None
    if kind == "xlsx":
        percent, unseen = read.xlsx.percent_loader(data), read.xlsx.unseen_loader(data)
    elif kind == "xls":
        book = read.xls.book_of(data)
        may_hold_errors = functools.cache(functools.partial(read.xls.may_hold_errors, data))
        percent, unseen = read.xls.percent_loader(book), read.xls.unseen_loader(book, may_hold_errors)
    elif kind == "ods":
        percent = read.ods.percent_loader(data)
    for sheet in sheets:
        if not sheet.hidden:
            sheet.percent_loader, sheet.unseen_loader = percent, unseen
    return sheets


class _Job:
    """One file being read by a worker process (started at once, collected by :meth:`result`)."""

    def __init__(self, data: bytes, file_name: str, max_bytes: int, limits: Limits) -> None:
        self.key = (file_name, max_bytes, limits)
        self.data, self.limits = data, limits
        self.process = subprocess.Popen(
            [sys.executable, "-m", "core.ingest.sandbox"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=_PROJECT_ROOT,
        )
        self.request = pickle.dumps((data, file_name, max_bytes, limits), protocol=pickle.HIGHEST_PROTOCOL)
        self.output: tuple[bytes, bytes] | None = None
        self.thread = threading.Thread(target=self._talk, daemon=True)
        self.thread.start()

    def _talk(self) -> None:
        try:
            self.output = self.process.communicate(self.request, timeout=self.limits.wall)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
        except OSError:  # the worker died before it took the file (BrokenPipe)
            self.process.kill()
            self.output = (b"", b"")
            self.process.wait()

    def cancel(self) -> None:
        self.process.kill()
        self.thread.join()

    def result(self) -> list[RawSheet]:
        self.thread.join()
        if self.output is None:
            raise UnreadableFile(Reason.READ_TIMEOUT, _timeout_message(self.limits))
        out, err = self.output
        try:
            outcome = pickle.loads(out)
        except (pickle.UnpicklingError, EOFError, ValueError):
            died = self.process.returncode
            _log.warning("读取文件的工作进程异常退出（%s）：%s", died, err[-2000:].decode("utf-8", "replace"))
            over_limit = died in (-9, -24)  # SIGKILL, SIGXCPU
            raise UnreadableFile(
                Reason.READ_LIMIT if over_limit else Reason.READ_ABORTED,
                _LIMIT_MESSAGE if over_limit else _ABORT_MESSAGE,
            ) from None
        if outcome[0] == "refused":
            raise UnreadableFile(outcome[1], outcome[2])
        return _attach_loaders(outcome[2], outcome[1], self.data)


_pending: list[_Job] = []


def read_ahead(path: str, max_bytes: int) -> None:
    """Start reading the file at ``path`` in a worker now (the command line imports the database
    layer meanwhile); :func:`read_workbook` of the same bytes takes the result."""
    try:
        if Path(path).stat().st_size > max_bytes:
            return
        data = Path(path).read_bytes()
    except OSError:
        return
    _pending.append(_Job(data, str(path), max_bytes, Limits()))


def read_workbook(
    data: bytes, file_name: str, max_bytes: int, limits: Limits | None = None
) -> list[RawSheet]:
    """Every sheet of the file, read in a worker process within ``limits``; UnreadableFile otherwise."""
    limits = limits or Limits()
    while _pending:
        job = _pending.pop()
        if job.key == (file_name, max_bytes, limits) and job.data == data:
            return job.result()
        job.cancel()
    return _Job(data, file_name, max_bytes, limits).result()


if __name__ == "__main__":
    _worker()

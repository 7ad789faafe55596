"""Page models and chart specs computed in worker processes, beside the app's own.

A Streamlit server is one Python process: every session's script runs under its one
interpreter lock, so a page model taking 100 ms of pandas work holds back every other user
for those 100 ms while the machine's other cores idle. The expensive reads — page models
marked :func:`offloaded`, computed when ``pages._shared.cached`` misses — and the chart specs
built from them run in a small pool of processes instead, started with the app: each
computes with its own engine and returns the result pickled (frames and dataclasses of
them). The app's process is left to run the scripts and send the pages. Cheap reads (a count,
the sidebar's choices) stay in the app's process: a trip through the pool's queue would cost
them more than it saves.

``READ_WORKERS`` sets the pool's size: 0 computes everything in the calling process (the
tests that count SQL statements or swap a function need that); unset, one worker per core
(none on a one-core machine, where a worker has no core of its own to use).
A pool that broke (a worker killed, out of memory) is replaced on the next call; the call
that met it is computed in the calling process, so a user never sees the breakage.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from core.db import engine_for
from core.scope import Scope

WORKERS_VARIABLE = "READ_WORKERS"
APP_WATCH_SECONDS = 1.0
Function = TypeVar("Function", bound=Callable[..., Any])
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None


def offloaded(function: Function) -> Function:
    """Mark a page model as worth a worker process (see the module docstring)."""
    function.offloaded = True  # type: ignore[attr-defined]
    return function


def worker_count() -> int:
    """The pool's size: ``READ_WORKERS`` when set, else the number of cores (0 on one core)."""
    configured = os.environ.get(WORKERS_VARIABLE, "").strip()
    if not configured:
        cores = os.cpu_count() or 1
        return cores if cores > 1 else 0
    try:
        return max(0, int(configured))
    except ValueError:
        raise SystemExit(f"{WORKERS_VARIABLE} 应为 0 或正整数（当前为 {configured!r}）") from None


def _warm() -> None:
    """Import what page models and charts use before the first call asks (a worker's first
    read would otherwise pay for importing pandas, Altair and the views)."""
    import core.charts.staffing  # noqa: F401
    import core.reports.content  # noqa: F401
    import core.views.completeness  # noqa: F401
    import core.views.overview  # noqa: F401
    import core.views.projects  # noqa: F401
    import core.views.screening  # noqa: F401


def _start(app_pid: int) -> None:
    """A worker's start: the imports, and a watch on the app process."""
    _warm()
    threading.Thread(target=_exit_with_app, args=(app_pid,), daemon=True, name="exit-with-app").start()


def _exit_with_app(app_pid: int) -> None:
    """End this worker once the app process is gone: an app that was killed (out of memory,
    SIGKILL) could not shut its pool down, and the workers would otherwise wait for work forever."""
    while True:
        time.sleep(APP_WATCH_SECONDS)
        try:
            os.kill(app_pid, 0)
        except ProcessLookupError:
            os._exit(0)


def _get_pool() -> ProcessPoolExecutor | None:
    global _pool
    with _lock:
        if _pool is None and worker_count() > 0:
            # forkserver: workers are forked from a clean process that has imported this module,
            # never from the app itself (forking it would copy its threads' locks mid-use).
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([__name__])
            _pool = ProcessPoolExecutor(
                worker_count(), mp_context=context, initializer=_start, initargs=(os.getpid(),)
            )
        return _pool


def start_workers() -> None:
    """Start every worker now (the app's first run): a pool starts its processes one at a time
    as reads find none idle, and a worker's start (a fork, the imports) would otherwise fall on
    the first busy moment."""
    pool = _get_pool()
    if pool is not None:
        for _ in range(worker_count()):
            pool.submit(_warm)


def _drop(pool: ProcessPoolExecutor) -> None:
    """Forget a broken pool (the next call makes a new one)."""
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)


def in_worker(function: Callable[..., Any], *args: Any) -> Any:
    """``function(*args)`` in a worker process when there is a pool (``function`` must be a
    module-level function, its arguments and result picklable), else here."""
    pool = _get_pool()
    if pool is None:
        return function(*args)
    try:
        return pool.submit(function, *args).result()
    except BrokenProcessPool:
        _drop(pool)
        return function(*args)


def _read(function: Callable[..., Any], database_url: str, scope: Scope, args: tuple, kwargs: dict) -> Any:
    return function(engine_for(database_url), scope, *args, **kwargs)


def compute(function: Callable[..., Any], database_url: str, scope: Scope, *args: Any, **kwargs: Any) -> Any:
    """The read ``function(engine, scope, *args, **kwargs)`` with the engine of ``database_url``:
    in a worker process when ``function`` is :func:`offloaded` (see :func:`in_worker`), else here."""
    if getattr(function, "offloaded", False):
        return in_worker(_read, function, database_url, scope, args, kwargs)
    return _read(function, database_url, scope, args, kwargs)


def stop_workers() -> None:
    """Shut the pool down and forget it (the next call makes a new one, as READ_WORKERS says then)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)

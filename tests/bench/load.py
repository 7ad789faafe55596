"""Load test: K simulated users on the running app over its websocket — a script, not a test.

    python -m tests.bench.load [--database sqlite|postgresql|both] [--users 1,10,30]
                               [--steps 5] [--think 0,5] [--proxy-users 30] [--institutions 3000 --years 10]

Starts `streamlit run app.py` (one process; for PostgreSQL also two behind the sticky proxy
below, and that pair again without read workers, back to back) over a national-scale
database — seeded once with ``python -m core.cli seed`` and kept in data/bench/ (SQLite) or
the database bench_national_IxY (PostgreSQL); every run works on a copy, since one user
uploads. Then for each K, back to back and with the think time: K users, each one browser
tab (tests/bench/client.py) signed in as an admin of its own, taking ``--steps`` steps over
总览 / 辅导员配备 / 心理筛查 / 项目进度 / 报送情况, choosing a province on the third step and
downloading the page's first CSV on the fourth; user 0 uploads a staffing file (and confirms)
on its second step. With a think time, users also arrive spread over the first think time
(back to back, all sign in at once). Prints p50/p95/max view time, errors (a page's exception, a dropped
connection or timeout), the servers' CPU seconds per view (with their read workers, core.workers,
and 主进程: the app processes alone, the part one interpreter lock serializes), bytes sent per
view, downloads, the servers' peak memory (their processes' Pss summed, sampled twice a
second) and how busy the whole machine's cores were (整机CPU%: near 100, the cores, not the
app's layout, set the view times). Loopback only; every wait bounded.

The sticky proxy in front of two processes: tests/bench/proxy.py.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from core.workers import WORKERS_VARIABLE, worker_count
from sample_data.dataset import NEWEST_YEAR_START
from tests.apptest import TEST_PASSWORD, app_user
from tests.bench.client import Session, string_state, strings_state, trigger_state
from tests.bench.proxy import nginx_proxy, python_proxy
from tests.cli import PROJECT_ROOT, run_cli
from tests.servers import SAMPLE_TODAY, free_port, server_command, wait_healthy

PAGES = ["", "staffing", "screening", "projects", "completeness"]
SCENARIO_SECONDS = 600
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
NO_XSRF = ["--server.enableXsrfProtection", "false"]  # the simulated tabs send no XSRF cookie
# Every tab opens the seeded data's newest 学年 (the sidebar's default is the season in progress,
# which has no data yet), as an official following a link with ?year= would.
SEEDED_YEAR = f"year={NEWEST_YEAR_START}-{NEWEST_YEAR_START + 1}"
BENCH_USER = "压测管理员"  # the warm-up tab's admin; simulated user n signs in as its own, bench_user(n)


def bench_user(number: int) -> str:
    """User ``number``'s admin account (added to the copy). One account per tab: sign-ins of one
    account at the same moment count each other as pending failures and lock it out."""
    return f"{BENCH_USER}{number}"


@dataclass
class Layout:
    """What serves the simulated users: ``processes`` app processes with ``workers`` read workers each."""

    label: str
    processes: int
    workers: int


@dataclass
class Tally:
    seconds: list[float] = field(default_factory=list)
    views: list[tuple[float, str]] = field(default_factory=list)  # (seconds, page · province)
    received_bytes: int = 0
    errors: list[str] = field(default_factory=list)
    downloads: int = 0


# --- the seeded databases -------------------------------------------------------------


def _seed(url: str, institutions: int, years: int) -> None:
    seeded = run_cli(url, "seed", "--institutions", str(institutions), "--years", str(years), timeout=3600)
    if seeded.returncode != 0:
        raise SystemExit(f"载入失败：{seeded.stderr}")
    print(seeded.stdout.strip())


@contextmanager
def sqlite_copy(institutions: int, years: int) -> Iterator[str]:
    """A copy of the kept national-scale SQLite file (seeded on the first run)."""
    import sqlite3

    kept = PROJECT_ROOT / "data" / "bench" / f"national_{institutions}x{years}.db"
    if not kept.exists():
        loading = kept.with_suffix(".loading.db")
        loading.unlink(missing_ok=True)
        _seed(f"sqlite:///{loading}", institutions, years)
        loading.rename(kept)
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "app.db"
        with sqlite3.connect(kept) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        yield f"sqlite:///{copy}"


@contextmanager
def postgres_copy(server_url: str, institutions: int, years: int) -> Iterator[str]:
    """A copy (CREATE DATABASE … TEMPLATE) of the kept national-scale PostgreSQL database."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from core.db import make_engine

    admin = make_engine(server_url).execution_options(isolation_level="AUTOCOMMIT")
    kept, copy = f"bench_national_{institutions}x{years}", f"bench_run_{os.getpid()}"
    url_of = lambda name: make_url(server_url).set(database=name).render_as_string(hide_password=False)  # noqa: E731
    with admin.connect() as connection:
        if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": kept}).first():
            connection.execute(text(f'DROP DATABASE IF EXISTS "{kept}_loading"'))
            connection.execute(text(f'CREATE DATABASE "{kept}_loading"'))
            _seed(url_of(f"{kept}_loading"), institutions, years)
            connection.execute(text(f'ALTER DATABASE "{kept}_loading" RENAME TO "{kept}"'))
        connection.execute(text(f'CREATE DATABASE "{copy}" TEMPLATE "{kept}"'))
    try:
        yield url_of(copy)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)'))
        admin.dispose()


def upload_csv(database_url: str) -> bytes:
    """A one-row staffing file for a school already there (one more counselor than stored)."""
    from sqlalchemy import text

    from core.db import make_engine

    engine = make_engine(database_url)
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT code, year, undergrad, postgrad, counselors_ft FROM staffing ORDER BY year DESC, code"
            )
        ).first()
    engine.dispose()
    header = "学校标识码,学年,全日制本专科生数,全日制研究生数,专职辅导员数"
    return f"{header}\n{row[0]},{row[1]},{row[2]},{row[3]},{row[4] + 1}\n".encode()


# --- servers and the proxy ------------------------------------------------------------


def shared_out_workers(count: int) -> int:
    """Read workers for each of ``count`` app processes: READ_WORKERS when set, else the machine's
    cores shared out (docs/deploy.md: READ_WORKERS = cores ÷ processes)."""
    if os.environ.get(WORKERS_VARIABLE, "").strip():
        return worker_count()
    return max(1, (os.cpu_count() or 1) // count)


@contextmanager
def app_processes(
    database_url: str, count: int, workers: int, log_folder: Path
) -> Iterator[list[tuple[str, int]]]:
    """``count`` app processes over ``database_url``, each with ``workers`` read workers: [(url, pid)]."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "APP_TODAY": SAMPLE_TODAY,
        WORKERS_VARIABLE: str(workers),
    }
    started = []
    try:
        for number in range(count):
            port = free_port()
            log = (log_folder / f"app{number}.log").open("w")
            process = subprocess.Popen(
                server_command(port, NO_XSRF), cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
            started.append(process)
            wait_healthy(f"http://127.0.0.1:{port}", process)
        yield [
            (f"http://127.0.0.1:{process.args[process.args.index('--server.port') + 1]}", process.pid)
            for process in started
        ]
    finally:
        for process in started:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


# --- the simulated users --------------------------------------------------------------


async def _upload(tab: Session, tally: Tally, data: bytes) -> None:
    form = await tab.view("upload")
    tab.set_widget(string_state(form.widget("text_input", "上传人"), "压测 用户0"))
    await tab.upload(form.widget("file_uploader", "选择文件"), "压测配备.csv", data)
    checked = await tab.view()
    stored = await tab.view(trigger=trigger_state(checked.widget("button", "确认导入")))
    for view, what in ((form, "upload"), (checked, "upload · 检查"), (stored, "upload · 导入")):
        _count(tally, view, what)


def _count(tally: Tally, view, what: str) -> None:  # noqa: ANN001
    tally.seconds.append(view.seconds)
    tally.views.append((view.seconds, what))
    tally.received_bytes += view.received_bytes
    tally.errors.extend(view.exceptions)


async def _download(tab: Session, view, tally: Tally, number: int) -> None:  # noqa: ANN001
    """Click the page's first enabled CSV button; a failed download is an error, not the user's end."""
    buttons = [e.download_button for e in view.elements if e.WhichOneof("type") == "download_button"]
    usable = [b for b in buttons if b.deferred_file_id and not b.disabled]
    if not usable:
        return
    try:
        if await tab.download(usable[0]) > 0:
            tally.downloads += 1
    except OSError as problem:  # urllib's HTTPError (e.g. 404: the file was already dropped) included
        tally.errors.append(f"用户 {number} 下载：{type(problem).__name__} {problem}")


async def user(
    number: int, base_url: str, steps: int, think: float, upload: bytes | None, tally: Tally
) -> None:
    try:
        if think:  # people arrive over the first think time, not in the same instant
            await asyncio.sleep(random.uniform(0, think))
        async with Session(base_url, cookie=f"_streamlit_xsrf=bench-user-{number}", query=SEEDED_YEAR) as tab:
            await tab.sign_in(bench_user(number), TEST_PASSWORD)
            province = ""
            for step in range(steps):
                if step:
                    await asyncio.sleep(think * random.uniform(0.5, 1.5))
                if step == 1 and upload is not None:
                    await _upload(tab, tally, upload)
                    continue
                view = await tab.view(PAGES[(number + step) % len(PAGES)])
                if step == 2:
                    provinces = view.widget("multiselect", "省份")
                    province = f" · {provinces.options[number % len(provinces.options)]}"
                    tab.set_widget(strings_state(provinces, [province[3:]]))
                    view = await tab.view()
                _count(tally, view, (PAGES[(number + step) % len(PAGES)] or "overview") + province)
                if step == 3:
                    await _download(tab, view, tally, number)
    except Exception as problem:  # a dropped connection, a timeout, a missing widget: an error
        tally.errors.append(f"用户 {number}：{type(problem).__name__} {problem}")


def _stat_fields(pid: int) -> list[str]:
    """/proc/PID/stat after the command name (field 3 onwards)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def server_processes(pid: int) -> list[int]:
    """``pid`` and every process under it: an app process with its read workers (core.workers)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(_stat_fields(int(entry.name))[1])
            except (OSError, IndexError):
                continue  # ended meanwhile
    tree, grown = {pid}, True
    while grown:
        children = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= children
        grown = bool(children)
    return sorted(tree)


def cpu_seconds(pids: list[int], *, workers: bool = True) -> float:
    """CPU seconds of the app processes, with everything under them (the read workers) unless
    ``workers`` is False (the app processes alone: the part one interpreter lock serializes)."""
    total = 0
    for pid in {each for top in pids for each in (server_processes(top) if workers else [top])}:
        try:
            fields = _stat_fields(pid)
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / CLOCK_TICKS


def memory_mb(pids: list[int]) -> float:
    """The resident memory of the app processes and their workers together: the sum of their
    proportional set sizes (Pss), so that pages the workers share with the process they were
    forked from count once."""
    total = 0
    for pid in {each for top in pids for each in server_processes(top)}:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        total += int(next(x for x in rollup if x.startswith("Pss:")).split()[1])
    return total / 1024


def machine_ticks() -> tuple[int, int]:
    """(busy, all) CPU ticks of the whole machine since boot, from /proc/stat: everything running
    on it, the simulated users and the proxy included."""
    ticks = [int(part) for part in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return sum(ticks[:8]) - idle, sum(ticks[:8])


def busy_percent(before: tuple[int, int], after: tuple[int, int]) -> float:
    """How busy the machine's cores were between two :func:`machine_ticks` readings: near 100,
    every core was working, and more app processes could only share the same cores."""
    return 100 * (after[0] - before[0]) / max(after[1] - before[1], 1)


async def _peak_memory(pids: list[int], peak: list[float]) -> None:
    """Keep ``peak[0]`` at the largest :func:`memory_mb` seen, sampling twice a second."""
    while True:
        peak[0] = max(peak[0], memory_mb(pids))
        await asyncio.sleep(0.5)


async def scenario(
    base_url: str, pids: list[int], users: int, steps: int, think: float, upload: bytes
) -> dict:
    tallies = [Tally() for _ in range(users)]
    cpu, app_cpu, machine = cpu_seconds(pids), cpu_seconds(pids, workers=False), machine_ticks()
    peak = [0.0]
    sampler = asyncio.create_task(_peak_memory(pids, peak))
    started = time.perf_counter()
    runs = [user(n, base_url, steps, think, upload if n == 0 else None, tallies[n]) for n in range(users)]
    try:
        await asyncio.wait_for(asyncio.gather(*runs), SCENARIO_SECONDS)
    except TimeoutError:
        tallies[0].errors.append(f"超过 {SCENARIO_SECONDS} 秒未完成")
    sampler.cancel()
    seconds = sorted(s for t in tallies for s in t.seconds)
    views = max(len(seconds), 1)
    return {
        "views": len(seconds),
        "p50": statistics.median(seconds) if seconds else float("nan"),
        "p95": seconds[min(len(seconds) - 1, int(0.95 * len(seconds)))] if seconds else float("nan"),
        "max": seconds[-1] if seconds else float("nan"),
        "errors": [e for t in tallies for e in t.errors],
        "cpu_per_view": (cpu_seconds(pids) - cpu) / views,
        "app_cpu_per_view": (cpu_seconds(pids, workers=False) - app_cpu) / views,
        "kb_per_view": sum(t.received_bytes for t in tallies) / views / 1024,
        "downloads": sum(t.downloads for t in tallies),
        "wall": time.perf_counter() - started,
        "busy": busy_percent(machine, machine_ticks()),
        "peak_mb": max(peak[0], memory_mb(pids)),
        "slowest": sorted((v for t in tallies for v in t.views), reverse=True)[:3],
    }


# --- the run --------------------------------------------------------------------------

HEADER = (
    f"{'数据库':<10}{'进程':>4}{'工作进程':>5}{'用户':>5}{'思考':>6}{'浏览':>6}{'p50 秒':>8}{'p95 秒':>8}{'最长 秒':>8}"
    f"{'错误':>5}{'CPU秒/次':>9}{'主进程':>6}{'KB/次':>8}{'下载':>5}{'峰值MB':>8}{'用时 秒':>8}{'整机CPU%':>7}"
)


def _row(layout: Layout, users: int, think: float, figures: dict) -> str:
    return (
        f"{layout.label:<12}{layout.processes:>5}{layout.workers:>9}{users:>7}{think:>7.1f}{figures['views']:>8}{figures['p50']:>10.2f}"
        f"{figures['p95']:>10.2f}{figures['max']:>10.2f}{len(figures['errors']):>7}{figures['cpu_per_view']:>11.3f}"
        f"{figures['app_cpu_per_view']:>9.3f}"
        f"{figures['kb_per_view']:>10.0f}{figures['downloads']:>7}{figures['peak_mb']:>10.0f}{figures['wall']:>10.1f}"
        f"{figures['busy']:>10.0f}"
    )


async def _warm(app_urls: list[str]) -> None:
    """Every page once in every app process (straight, not through the proxy: each process has
    its own caches), so the figures are of a running service, not of its first visitors."""
    for app_url in app_urls:
        async with Session(app_url, query=SEEDED_YEAR) as tab:
            await tab.sign_in(BENCH_USER, TEST_PASSWORD)
            for page in PAGES:
                await tab.view(page)


async def measure(base_url: str, apps: list[tuple[str, int]], layout: Layout, args: argparse.Namespace,
                  upload: bytes, users_list: list[int], thinks: list[float]) -> None:  # fmt: skip
    """Warm every app process, then run each scenario against ``base_url`` (the one process or the proxy)."""
    await _warm([url for url, _ in apps])
    pids = [pid for _, pid in apps]
    for think in thinks:
        for users in users_list:
            figures = await scenario(base_url, pids, users, args.steps, think, upload)
            print(_row(layout, users, think, figures), flush=True)
            for error in figures["errors"][:3]:
                print(f"    错误：{error[:200]}")
            print(
                "    最慢：" + "；".join(f"{what} {seconds:.2f} 秒" for seconds, what in figures["slowest"])
            )


def run_layout(database_url: str, args: argparse.Namespace, upload: bytes, log_folder: Path, layout: Layout,
               users_list: list[int], thinks: list[float]) -> None:  # fmt: skip
    """Start ``layout`` (several processes behind the sticky proxy) and measure it."""
    with app_processes(database_url, layout.processes, layout.workers, log_folder) as apps:
        if layout.processes == 1:
            asyncio.run(measure(apps[0][0], apps, layout, args, upload, users_list, thinks))
            return
        urls = [url for url, _ in apps]
        use_nginx = args.proxy == "nginx" or (args.proxy == "auto" and shutil.which("nginx"))
        proxied = replace(layout, label=layout.label + ("+nginx" if use_nginx else "+代理"))
        with nginx_proxy(urls, log_folder) if use_nginx else python_proxy(urls) as base_url:
            asyncio.run(measure(base_url, apps, proxied, args, upload, users_list, thinks))


def run_database(database: str, args: argparse.Namespace, log_folder: Path) -> None:
    """One process, then (PostgreSQL) two behind the proxy; and, unless READ_WORKERS is set, the
    same pair without read workers, back to back: one interpreter lock per process, the layout in
    which a second process adds a core."""
    copy = (
        sqlite_copy(args.institutions, args.years)
        if database == "sqlite"
        else postgres_copy(args.postgres, args.institutions, args.years)
    )
    with copy as database_url:
        upload = upload_csv(database_url)
        for name in [BENCH_USER, *map(bench_user, range(max(args.users + args.proxy_users)))]:
            app_user(name, "admin", database_url=database_url)
        label = "pg" if database == "postgresql" else database
        measured = partial(run_layout, database_url, args, upload, log_folder)
        measured(Layout(label, 1, shared_out_workers(1)), args.users, args.think)
        if database != "postgresql" or not args.proxy_users:
            return
        measured(Layout(label, 2, shared_out_workers(2)), args.proxy_users, args.think)
        if not os.environ.get(WORKERS_VARIABLE) and 0.0 in args.think:
            measured(Layout(label, 1, 0), args.proxy_users, [0.0])
            measured(Layout(label, 2, 0), args.proxy_users, [0.0])


def _numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def _seconds(text: str) -> list[float]:
    return [float(part) for part in text.split(",") if part.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--users", type=_numbers, default=[1, 10, 30], help="如 1,10,30")
    parser.add_argument(
        "--proxy-users", type=_numbers, default=[30], help="两个进程加代理时的用户数；空：不测"
    )
    parser.add_argument(
        "--proxy",
        choices=["auto", "nginx", "python"],
        default="auto",
        help="auto：有 nginx 用 nginx，否则用内置代理",
    )
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument(
        "--think",
        type=_seconds,
        default=[0.0, 5.0],
        help="思考时间（秒，每步之间 0.5–1.5 倍随机），逗号分隔；0 即连续操作。默认 0,5",
    )
    parser.add_argument("--institutions", type=int, default=3000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
        help="PostgreSQL 服务器（在其上建库 bench_national_…）",
    )
    args = parser.parse_args()
    random.seed(12)
    print(
        f"规模：{args.institutions} 所 × {args.years} 学年；每个用户 {args.steps} 步；CPU 核数 {os.cpu_count()}"
    )
    print(HEADER)
    with ExitStack() as stack:
        log_folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        for database in ("sqlite", "postgresql") if args.database == "both" else (args.database,):
            run_database(database, args, log_folder)


if __name__ == "__main__":
    main()

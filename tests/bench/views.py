"""Server cost of one page view, per page, over the real websocket — a script, not a test.

    python -m tests.bench.views [--rounds 6] [--database sqlite|postgresql] [--spy OUT]
                                [--institutions 3000 --years 10]

Starts one `streamlit run app.py` over a copy of the national-scale database the load bench
keeps (tests/bench/load.py), signs one tab in as an administrator (a kept session), opens every
page once to warm the caches, then ``--rounds`` times visits each page in turn (national, then
with one province chosen). For each page it prints the server's CPU milliseconds per view (the
process's CPU time, steadier than wall time on a shared machine), the KB sent and the elements.

``--spy OUT`` records the server with py-spy (``PY_SPY`` or py-spy on the PATH) while it
measures, writing collapsed stacks to OUT (one stack a line, its sample count at the end).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from tests.apptest import TEST_PASSWORD, app_user
from tests.bench.client import Session, strings_state
from tests.bench.load import BENCH_USER, SEEDED_YEAR, app_processes, cpu_seconds, postgres_copy, sqlite_copy

PAGES = ["", "staffing", "screening", "projects", "completeness", "report", "uploads", "cases"]
TARGET_CPU_MS, TARGET_KB = 80, 250


Costs = dict[str, list[tuple[float, float, int]]]  # page → [(CPU ms, KB, elements)] per view


async def _visit(tab: Session, pid: int, page: str, costs: Costs) -> None:
    before = cpu_seconds([pid])
    view = await tab.view(page)
    if view.exceptions:
        raise RuntimeError(f"{page or 'overview'}: {view.exceptions[0][:200]}")
    spent = (cpu_seconds([pid]) - before) * 1000
    costs.setdefault(page or "overview", []).append((spent, view.received_bytes / 1024, len(view.elements)))


async def measure(base_url: str, pid: int, rounds: int, warmed: Callable[[], None]) -> tuple[Costs, Costs]:
    """(national, one province) costs of each page; ``warmed()`` is called once every page has
    been read in both scopes (from then on every view reads the caches)."""
    national: Costs = {}
    province: Costs = {}
    async with Session(base_url, query=SEEDED_YEAR) as tab:
        await tab.sign_in(BENCH_USER, TEST_PASSWORD)
        provinces = (await tab.view("")).widget("multiselect", "省份")
        scopes = [
            (strings_state(provinces, []), national),
            (strings_state(provinces, provinces.options[:1]), province),
        ]
        for state, _ in scopes:
            tab.set_widget(state)
            for page in PAGES:
                await tab.view(page)
        warmed()
        for _ in range(rounds):
            for state, costs in scopes:
                tab.set_widget(state)
                for page in PAGES:
                    await _visit(tab, pid, page, costs)
    return national, province


def _print(national: Costs, province: Costs) -> None:
    print(f"{'页面':<14}{'CPU ms/次':>10}{'KB/次':>8}{'元素':>6}")
    for label, table in (("全国", national), ("一省", province)):
        for page, figures in table.items():
            cpu = statistics.mean(f[0] for f in figures)
            kb = statistics.mean(f[1] for f in figures)
            flag = "" if cpu <= TARGET_CPU_MS and kb <= TARGET_KB else "  超标"
            print(f"{label}·{page:<12}{cpu:>10.0f}{kb:>8.0f}{figures[-1][2]:>6}{flag}")
    everything = [f for table in (national, province) for figures in table.values() for f in figures]
    print(
        f"平均：CPU {statistics.mean(f[0] for f in everything):.0f} ms/次，"
        f"{statistics.mean(f[1] for f in everything):.0f} KB/次（目标 ≤{TARGET_CPU_MS} ms，≤{TARGET_KB} KB）"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.views", description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--spy", type=Path, help="py-spy 记录（折叠栈）写入此文件")
    parser.add_argument("--institutions", type=int, default=3000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
    )
    args = parser.parse_args()
    copy = (
        sqlite_copy(args.institutions, args.years)
        if args.database == "sqlite"
        else postgres_copy(args.postgres, args.institutions, args.years)
    )
    with copy as database_url, tempfile.TemporaryDirectory() as folder:
        app_user(BENCH_USER, "admin", database_url=database_url)
        with app_processes(database_url, 1, Path(folder)) as [(url, pid)]:
            spy: list[subprocess.Popen] = []

            def warmed() -> None:
                if args.spy:
                    binary = os.environ.get("PY_SPY") or shutil.which("py-spy") or "py-spy"
                    command = [binary, "record", "--pid", str(pid), "--format", "raw", "-o", str(args.spy)]
                    spy.append(subprocess.Popen([*command, "--rate", "200", "--nonblocking"]))

            try:
                national, province = asyncio.run(measure(url, pid, args.rounds, warmed))
            finally:
                for recorder in spy:
                    recorder.send_signal(signal.SIGINT)
                    recorder.wait(timeout=60)
    _print(national, province)


if __name__ == "__main__":
    main()

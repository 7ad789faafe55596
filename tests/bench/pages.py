"""Page timings at national scale — a script that prints figures, not a test.

    python -m tests.bench.pages [--institutions 3000 --years 10 --reruns 5] [--keep DB] [--page NAME]
    python -m tests.bench.pages --database postgresql [--postgres-url URL]

``--keep DB`` seeds into that SQLite file once and reuses it on later runs (delete the
file to seed again); ``--page staffing`` measures only the pages whose path contains it.
``--database postgresql`` measures a copy of the national-scale PostgreSQL database the load
bench keeps (bench_national_IxY, seeded on the first run), on the server ``--postgres-url``.

Seeds the generated dataset (through intake) into a fresh SQLite file in a temporary
folder, then runs every page of the navigation that exists with Streamlit's AppTest:
cold (the page's first run after the data cache is cleared) and warm (the median of
the reruns that follow), and reports the process's peak memory (ru_maxrss).
The app is started once before measuring, so cold figures are about cache misses
(queries), not about importing pandas or altair. A page that shows nothing until a
choice is made (学校画像: a school) is measured with the first option chosen.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_TODAY = "2025-11-30"
TARGET_WARM_MS = 150
TARGET_COLD_MS = 2000
TARGET_PEAK_MB = 600


def _peak_mb() -> float:
    """Peak resident memory of this process so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _verdict(value: float, target: float) -> str:
    return "达标" if value < target else "超标"


def _seed(database_url: str, institutions: int, years: int) -> None:
    from core.db import init_db, make_engine
    from sample_data.generate import seed_database

    engine = make_engine(database_url)
    init_db(engine)
    started = time.perf_counter()
    summary = seed_database(engine, institutions=institutions, years=years, with_indicator_forms=True)
    engine.dispose()
    print(summary)
    print(f"载入用时 {time.perf_counter() - started:.1f} 秒；此时内存峰值 {_peak_mb():,.0f} MB")


def _timed_run(app) -> tuple[float, float]:  # noqa: ANN001 (AppTest)
    """(wall ms, CPU ms of this process) of one run: on a shared machine the CPU time is
    the steadier figure, the wall time the one users feel."""
    started, cpu = time.perf_counter(), time.process_time()
    app.run()
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


Result = tuple[str, tuple[float, float], tuple[float, float], str]


def _first_institution() -> str:
    """The code of the first institution the 学校画像 selector offers (national scope)."""
    from core.scope import Scope
    from core.views.profile import institution_choices
    from pages._shared import get_engine

    return next(iter(institution_choices(get_engine(), Scope())))


# page → (selectbox key, its value): the page shows nothing until that choice is made
CHOICES = {"pages/profile.py": ("profile_code", _first_institution)}


def _open(app, path: str) -> None:  # noqa: ANN001 (AppTest)
    """Switch to ``path`` and make the page's choice (CHOICES) in its session state."""
    app.switch_page(path)
    if path in CHOICES:
        key, value = CHOICES[path]
        app.session_state[key] = value()


def _measure_pages(reruns: int, only: list[str]) -> list[Result]:
    """(page, cold (wall, CPU) ms, warm median (wall, CPU) ms, problem) for every existing page."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from pages._shared import PAGES
    from sample_data.dataset import NEWEST_YEAR_START
    from tests.apptest import sign_in, use_navigation_pages_manager

    use_navigation_pages_manager()
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    sign_in(app, "admin")  # signed out, every page is the sign-in form
    # the seeded data's newest 学年, not the sidebar's default (SAMPLE_TODAY's, without data yet)
    app.session_state["filter_year"] = f"{NEWEST_YEAR_START}-{NEWEST_YEAR_START + 1}"
    app.run()  # start the app once: imports and the engine are not part of any page's figure
    results = []
    for _, path, _, _ in PAGES:
        if not (ROOT / path).exists() or (only and not any(name in path for name in only)):
            continue
        _open(app, path)
        st.cache_data.clear()
        cold = _timed_run(app)
        warm_runs = [_timed_run(app) for _ in range(reruns)]
        warm = tuple(statistics.median(run[index] for run in warm_runs) for index in (0, 1))
        problem = "; ".join(str(exception.value)[:60] for exception in app.exception)
        results.append((path, cold, warm, problem))
    return results


def _print_table(results: list[Result]) -> None:
    print()
    print(
        f"{'页面':<30}{'冷启动 ms':>12}{'(CPU)':>8}{'热运行 ms':>12}{'(CPU)':>8}"
        f"  结果（目标：冷 < {TARGET_COLD_MS} ms，热 < {TARGET_WARM_MS} ms）"
    )
    for path, (cold, cold_cpu), (warm, warm_cpu), problem in results:
        if problem:
            verdict = f"异常：{problem}"
        else:
            verdict = f"冷{_verdict(cold, TARGET_COLD_MS)}，热{_verdict(warm, TARGET_WARM_MS)}"
        print(f"{path:<32}{cold:>12,.0f}{cold_cpu:>8,.0f}{warm:>12,.0f}{warm_cpu:>8,.0f}  {verdict}")
    peak = _peak_mb()
    print(f"\n进程内存峰值 {peak:,.0f} MB（目标 < {TARGET_PEAK_MB} MB，{_verdict(peak, TARGET_PEAK_MB)}）")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.pages", description="全国规模页面耗时")
    parser.add_argument("--institutions", type=int, default=3000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--reruns", type=int, default=5)
    parser.add_argument(
        "--keep", type=Path, metavar="DB", help="种子数据库文件：不存在时载入并保留，存在时直接复用"
    )
    parser.add_argument("--page", action="append", default=[], help="只测路径中含此文字的页面（可重复）")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
        help="PostgreSQL 服务器（在其上建库 bench_national_…）",
    )
    args = parser.parse_args(argv)
    os.environ["APP_TODAY"] = SAMPLE_TODAY
    with _database(args) as url:
        os.environ["DATABASE_URL"] = url  # before any app code is imported: the app reads it once
        print(f"规模：高校 {args.institutions:,} 所 × {args.years} 个学年；数据库 {url}")
        _print_table(_measure_pages(args.reruns, args.page))
    return 0


@contextmanager
def _database(args: argparse.Namespace) -> Iterator[str]:
    """The URL of the seeded national-scale database the pages read."""
    if args.database == "postgresql":
        from tests.bench.load import postgres_copy

        with postgres_copy(args.postgres_url, args.institutions, args.years) as url:
            yield url
        return
    with tempfile.TemporaryDirectory(prefix="bench_pages_") as folder:
        database = args.keep.resolve() if args.keep else Path(folder) / "app.db"
        url = f"sqlite:///{database}"
        if database.exists():
            print("复用已载入的数据库（--keep）")
        else:
            _seed(url, args.institutions, args.years)
        yield url


if __name__ == "__main__":
    sys.exit(main())

"""通报 timings at national scale — a script that prints figures, not a test.

    python -m tests.bench.report [--institutions 3000 --years 10] [--keep DB] [--year 2024-2025]

Seeds the generated dataset into a SQLite file (``--keep DB``: seeded once, reused on later
runs), then writes the national 通报 of one 学年 as .xlsx and as .pdf, the way
``python -m core.cli report`` does, and prints how long each step took. Target: each file
in under 10 s. The machine is shared: the load average is printed beside the figures, and
the process's CPU time (all threads) says what the work itself costs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 10.0
SAMPLE_TODAY = dt.date(2025, 11, 30)


def _engine(database: Path, institutions: int, years: int):  # noqa: ANN202 (an Engine)
    from core.db import init_db, make_engine
    from sample_data.generate import seed_database

    engine = make_engine(f"sqlite:///{database}")
    fresh = not database.exists()
    init_db(engine)
    if fresh:
        print(seed_database(engine, institutions=institutions, years=years))
    else:
        print(f"复用已载入的数据库：{database}")
    return engine


def _write(engine, out: Path, year: str) -> dict[str, float]:  # noqa: ANN001 (an Engine)
    from core.reports.content import read_report
    from core.reports.images import JPEG, PNG, render_all
    from core.reports.pdf import write_pdf
    from core.reports.xlsx import write_xlsx
    from core.scope import Scope

    steps: dict[str, float] = {}
    started, cpu_started = time.perf_counter(), time.process_time()
    report = read_report(engine, Scope(year=year), term="秋季学期", mask_small=True, today=SAMPLE_TODAY)
    steps["读取数据"] = time.perf_counter() - started
    images = render_all(report, PNG if out.suffix == ".xlsx" else JPEG)
    steps["绘制图表"] = time.perf_counter() - started - sum(steps.values())
    (write_xlsx if out.suffix == ".xlsx" else write_pdf)(report, out, images)
    steps[f"写入 {out.suffix}"] = time.perf_counter() - started - sum(steps.values())
    steps["合计"] = time.perf_counter() - started
    steps["其中 CPU"] = time.process_time() - cpu_started
    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.report", description="全国规模通报耗时")
    parser.add_argument("--institutions", type=int, default=3000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--year", default="2024-2025", help="通报的学年")
    parser.add_argument(
        "--keep", type=Path, metavar="DB", help="种子数据库文件：不存在时载入并保留，存在时直接复用"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        database = args.keep.resolve() if args.keep else Path(folder) / "app.db"
        engine = _engine(database, args.institutions, args.years)
        worst = 0.0
        for suffix in (".xlsx", ".pdf"):
            out = Path(folder) / f"通报{suffix}"
            steps = _write(engine, out, args.year)
            worst = max(worst, steps["合计"])
            parts = "，".join(f"{name} {seconds:.2f} 秒" for name, seconds in steps.items())
            print(f"{suffix}（{out.stat().st_size / 1e6:.1f} MB）：{parts}")
        print(f"负载（1 分钟平均）：{os.getloadavg()[0]:.1f}，CPU 核数：{os.cpu_count()}")
        verdict = "达标" if worst < TARGET_SECONDS else "超标"
        print(f"最慢 {worst:.2f} 秒（目标 < {TARGET_SECONDS:.0f} 秒）：{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Intake benchmark: ``python -m tests.bench.intake`` prints figures (it is not a timed test).

Generates 3,000 institutions and a 30,000-row staffing workbook (3,000 × 10 学年), then:
(a) the product's import into a fresh SQLite database, in this process;
(b) a naive baseline into another fresh database — pandas.read_excel(engine="openpyxl")
    and one SQLModel object ``session.add()`` per row, one commit;
(c) ``python -m core.cli import staffing FILE`` as a subprocess (target: under 2 s for the
    whole process, peak memory under 500 MB).
Target: the product imports at least 5× as many rows per second as the baseline.
"""

from __future__ import annotations

import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from core.db import init_db, make_engine
from core.forms import PROVINCES
from core.ingest import import_path
from core.templates import template_workbook

INSTITUTIONS = 3000
YEARS = 10
CLI_RUNS = 5  # the whole-process figure varies with the machine's load: median and slowest of five
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _institution_rows() -> list[list[object]]:
    return [
        [
            f"41{index:08d}",
            f"示例大学{index}",
            PROVINCES[index % len(PROVINCES)],
            "本科",
            "公办",
            "教育部",
            "某市",
        ]
        for index in range(INSTITUTIONS)
    ]


def _staffing_rows() -> list[list[object]]:
    rows = []
    for year in range(2015, 2015 + YEARS):
        for index in range(INSTITUTIONS):
            students = 5000 + (index * 37 + year) % 30000
            rows.append(
                [
                    f"41{index:08d}",
                    f"示例大学{index}",
                    f"{year}-{year + 1}",
                    students,
                    students // 10,
                    students // 210,
                    index % 20,
                    students // 360,
                    2 + index % 5,
                ]
            )
    return rows


def _workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write(form: str, rows: list[list[object]], path: Path) -> None:
    workbook = template_workbook(form)
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    path.write_bytes(_workbook_bytes(workbook))


def _fresh_engine(path: Path, institutions_file: Path):
    engine = make_engine(f"sqlite:///{path}")
    init_db(engine)
    report = import_path(engine, "institutions", institutions_file, uploader="bench")
    assert report.accepted and report.stored, report.to_text()
    return engine


def _baseline(engine, staffing_file: Path) -> int:
    """The naive importer: pandas + one ORM object per row."""
    import pandas as pd
    from sqlmodel import Session

    from core.forms import STAFFING
    from core.models import StaffingReport, Upload

    frame = pd.read_excel(staffing_file, engine="openpyxl", dtype={"学校标识码": str})
    frame = frame.rename(columns={spec.header: spec.key for spec in STAFFING.fields})
    with Session(engine) as session:
        upload = Upload(uploader="baseline", file_name=staffing_file.name, sha256="0" * 64, form="staffing")
        session.add(upload)
        session.flush()
        for record in frame.to_dict("records"):
            values = {key: (None if pd.isna(value) else value) for key, value in record.items()}
            session.add(StaffingReport(upload_id=upload.id, **values))
        session.commit()
    return len(frame)


def _timed(label: str, function, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args)
    elapsed = time.perf_counter() - start
    print(f"{label}: {elapsed:.2f} s")
    return elapsed, result


# ``python -m core.cli import staffing FILE``, run through core.cli.main exactly as ``-m`` does, that
# also reports its own peak memory (measured in the child, so this process's size does not count).
_CHILD = (
    "import resource, sys\n"
    "from core.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def _cli_import_once(database: Path, staffing_file: Path) -> tuple[float, float, float, str, int]:
    """One timed child: wall seconds, CPU seconds, peak MB, its first output line, exit code."""
    environment = os.environ | {"DATABASE_URL": f"sqlite:///{database}"}
    command = [sys.executable, "-c", _CHILD, "import", "staffing", str(staffing_file)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run(command, cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak_mb = int(completed.stderr.strip().splitlines()[-1]) / 1024
    return elapsed, cpu, peak_mb, completed.stdout.splitlines()[0], completed.returncode


def _cli_import(folder: Path, institutions_file: Path, staffing_file: Path) -> None:
    """CLI_RUNS children, each into its own copy of a database that holds only 高校名录."""
    template = folder / "cli-template.db"
    _fresh_engine(template, institutions_file).dispose()
    runs = []
    for number in range(CLI_RUNS):
        database = folder / f"cli-{number}.db"
        shutil.copyfile(template, database)
        runs.append(_cli_import_once(database, staffing_file))
    walls = sorted(run[0] for run in runs)
    print(
        f"(c) python -m core.cli import staffing（子进程全程，{CLI_RUNS} 次）: 中位 {statistics.median(walls):.2f} s，"
        f"最慢 {walls[-1]:.2f} s 墙钟（{' / '.join(f'{run[0]:.2f}' for run in runs)}；"
        f"CPU {' / '.join(f'{run[1]:.2f}' for run in runs)} s）（目标 < 2 s），"
        f"退出码 {sorted({run[4] for run in runs})}"
    )
    print(f"    子进程峰值内存: 最高 {max(run[2] for run in runs):.0f} MB（目标 < 500 MB）")
    print(f"    {runs[-1][3]}")


def main() -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        institutions_file, staffing_file = folder / "institutions.xlsx", folder / "staffing.xlsx"
        _write("institutions", _institution_rows(), institutions_file)
        _write("staffing", _staffing_rows(), staffing_file)
        rows = INSTITUTIONS * YEARS
        print(f"队伍配备表：{rows:,} 行，{staffing_file.stat().st_size / 1e6:.1f} MB")

        # (c) first, so the child's peak memory is not mixed with this process's work.
        _cli_import(folder, institutions_file, staffing_file)

        engine = _fresh_engine(folder / "product.db", institutions_file)
        product_s, report = _timed("(a) 本产品导入", import_path, engine, "staffing", staffing_file)
        assert report.accepted and report.inserted == rows, report.to_text()

        baseline_engine = _fresh_engine(folder / "baseline.db", institutions_file)
        baseline_s, stored = _timed(
            "(b) 朴素基线（pandas + 每行一个 ORM 对象）", _baseline, baseline_engine, staffing_file
        )
        assert stored == rows

        product_rate, baseline_rate = rows / product_s, rows / baseline_s
        print(
            f"本产品 {product_rate:,.0f} 行/秒；基线 {baseline_rate:,.0f} 行/秒；倍数 {product_rate / baseline_rate:.1f}×（目标 ≥ 5×）"
        )


if __name__ == "__main__":
    main()

"""Sample rows of the forms declared as data that ship built in (责任制落实, 党员队伍), one row per
institution and 学年, from their own random stream (so the four forms' data stay as they were).

The spread gives every chart something to show: most institutions meet most standards, a
quarter or so miss one (学习强国日活跃度 below 35 %, 网评员 below 10 % of staff, too few 研判), and
a few did not report (the 未报送名单 is not empty).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from sample_data.dataset import SEED, Row

FILES = {"responsibility": "责任制落实", "party": "党员队伍"}  # form → workbook stem in FOLDER
FOLDER = "专项指标"  # under sample_data/, apart from the four forms' filing batches
_OWN_STREAM = 15  # added to SEED: this module's random stream


def _responsibility(rng: random.Random, code: str, name: str, year: str, size: int) -> Row:
    members = max(40, size // 12 + rng.randint(-20, 60))
    staff = max(120, size // 15 + rng.randint(-30, 80))
    clubs = rng.randint(20, 120)
    weak = rng.random() < 0.25
    return {
        "code": code,
        "name": name,
        "year": year,
        "study_sessions": rng.randint(4, 6) if weak else rng.randint(6, 12),
        "party_members": members,
        "xuexi_registered": members - (rng.randint(1, 8) if weak else 0),
        "xuexi_active": round(rng.uniform(22, 34.9) if weak else rng.uniform(35, 78), 1),
        "staff_on_payroll": staff,
        "commentators": staff
        * (rng.randint(6, 9) if weak and rng.random() < 0.5 else rng.randint(10, 14))
        // 100,
        "clubs": clubs,
        "clubs_advised": clubs - (rng.randint(1, 5) if weak and rng.random() < 0.5 else 0),
        "committee_studies": rng.randint(1, 4) if weak else rng.randint(2, 6),
        "situation_reviews": rng.randint(2, 4) if weak else rng.randint(4, 8),
        "risk_checks": rng.randint(1, 4),
        "inspections": rng.randint(0, 3),
    }


def _party(rng: random.Random, code: str, name: str, year: str, size: int) -> Row:
    secretaries = rng.randint(8, 60)
    return {
        "code": code,
        "name": name,
        "year": year,
        "staff_members": max(30, size // 25 + rng.randint(-10, 40)),
        "student_members": max(50, size // 30 + rng.randint(-20, 80)),
        "branches": secretaries + rng.randint(10, 80),
        "teacher_branches": secretaries,
        "teacher_secretaries": secretaries,
        "double_leaders": round(secretaries * rng.uniform(0.55, 1.0)),
        "organisers": rng.randint(1, 12),
    }


_MAKERS = {"responsibility": _responsibility, "party": _party}


def indicator_rows(
    institutions: Sequence[Row], years: Sequence[str], *, seed: int = SEED
) -> dict[str, list[Row]]:
    """form → rows, every institution and 学年 except about 3 % not reporting in each."""
    rng = random.Random(seed + _OWN_STREAM)
    rows: dict[str, list[Row]] = {form: [] for form in _MAKERS}
    for year in years:
        for form, make in _MAKERS.items():
            for institution in institutions:
                if rng.random() < 0.03:
                    continue
                size = int(institution["code"][-4:]) % 37 * 600 + 4000
                rows[form].append(make(rng, institution["code"], institution["name"], year, size))
    return rows


def _spec(form: str):
    from core.formdefs.registry import ensure_builtin
    from core.forms import get_form

    ensure_builtin(form)
    return get_form(form)


def write_workbooks(rows: dict[str, list[Row]], folder: Path, save) -> list[tuple[str, Path]]:
    """One template-layout workbook per form (``save(workbook, path)`` makes it reproducible)."""
    from core.templates import template_workbook

    folder.mkdir(exist_ok=True)
    written = []
    for form, stem in FILES.items():
        spec = _spec(form)
        workbook = template_workbook(form)
        sheet = workbook[spec.sheet]
        for row in rows[form]:
            sheet.append([row.get(key) for key in spec.keys])
        path = folder / f"{stem}.xlsx"
        save(workbook, path)
        written.append((form, path))
    return written


def write_csv_files(rows: dict[str, list[Row]], folder: Path) -> list[tuple[str, Path]]:
    import csv

    written = []
    for form, stem in FILES.items():
        spec = _spec(form)
        path = folder / f"{stem}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(spec.headers.values())
            writer.writerows([row.get(key, "") for key in spec.keys] for row in rows[form])
        written.append((form, path))
    return written

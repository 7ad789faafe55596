"""通报: the workbook and the PDF an official sends, with the dashboards' own figures."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine

from core.cli import main
from core.db import init_db, make_engine
from core.deadlines import Period
from core.reports import fonts, write_report
from core.reports.content import read_report
from core.scope import Scope
from core.views.completeness import completeness_page
from core.views.projects import projects_page
from core.views.screening import screening_page
from core.views.staffing import staffing_page
from sample_data.generate import seed_database
from tests.apptest import open_app_page
from tests.cli import run_cli

TODAY = dt.date(2025, 11, 30)
YEAR = "2024-2025"
TERM = "秋季学期"
SECTION_SHEETS = ["辅导员配备", "心理筛查", "项目进度", "报送情况"]
POPPLER = ("pdftotext", "pdftoppm", "pdfinfo", "pdffonts")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Engine]]:
    """A generated dataset (60 institutions, 2 学年) in its own SQLite file, shared by the module."""
    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'app.db'}"
    engine = make_engine(url)
    init_db(engine)
    seed_database(engine, institutions=60, years=2)
    yield url, engine
    engine.dispose()


@pytest.fixture(scope="module")
def national_workbook(seeded: tuple[str, Engine], tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    """The national 通报 of YEAR as a workbook, written once for the module's workbook tests."""
    _, engine = seeded
    return load_workbook(_written(engine, Scope(year=YEAR), tmp_path_factory.mktemp("xlsx") / "通报.xlsx"))


@pytest.fixture
def poppler() -> None:
    """poppler-utils (installed as root by scripts/install_test_needs.sh, i.e. ``make test``)."""
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if not missing:
        return
    message = f"缺少 {' '.join(missing)}：请以 root 运行 make test，或 apt-get install -y poppler-utils"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true 但{message}")
    pytest.skip(message)


def _one_province(engine: Engine) -> str:
    return staffing_page(engine, Scope(year=YEAR)).provinces["所在省份"].iloc[0]


def _dashboard_figures(engine: Engine, scope: Scope) -> list[str]:
    """The headline figures the dashboards show for ``scope`` (as their own functions compute them)."""
    staffing = staffing_page(engine, scope)
    figures = [staffing.kpis.by_key(standard.key).share_text for standard in staffing.standards]
    figures.append(f"{staffing.kpis.counselors.gap:,}")
    figures += screening_page(engine, scope, term=TERM).kpis.values()
    figures += projects_page(engine, scope.all_years(), TODAY).headline.values()
    for period in (Period("staffing", YEAR), Period("screening", YEAR, TERM)):
        kpis = completeness_page(engine, scope, period, TODAY).kpis
        figures += [kpis["报送率"], kpis["按时报送率"], kpis["应报学校"]]
    return figures


def _written(engine: Engine, scope: Scope, path: Path, *, mask: bool = True) -> Path:
    write_report(read_report(engine, scope, term=TERM, mask_small=mask, today=TODAY), path)
    return path


def _cell_below(sheet, header: str):  # noqa: ANN001, ANN202 (openpyxl worksheet and cell)
    """The first cell under the table header ``header`` (headers are the filled cells)."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == header and cell.fill.fill_type == "solid":
                return sheet.cell(cell.row + 1, cell.column)
    raise AssertionError(f"{sheet.title} has no column {header}")


def _values(sheet) -> list:  # noqa: ANN001 (openpyxl worksheet)
    return [cell.value for row in sheet.iter_rows() for cell in row]


def test_workbook_has_a_cover_and_one_printable_sheet_per_area(national_workbook: Workbook) -> None:
    workbook = national_workbook

    assert workbook.sheetnames == ["封面", *SECTION_SHEETS]
    assert any("高校思政工作监测通报" in str(value) for value in _values(workbook["封面"]))
    for name in SECTION_SHEETS:
        sheet = workbook[name]
        assert sheet.freeze_panes is not None, name
        assert sheet.print_area, name
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4), name  # 9: A4
        assert sheet._images, f"{name} has no chart"


def test_workbook_numbers_are_numbers_with_excel_formats(
    seeded: tuple[str, Engine], national_workbook: Workbook
) -> None:
    _, engine = seeded
    workbook = national_workbook
    staffing = staffing_page(engine, Scope(year=YEAR))

    share = _cell_below(workbook["辅导员配备"], "辅导员达标率")
    ratio = _cell_below(workbook["辅导员配备"], "辅导员总体师生比")
    count = _cell_below(workbook["辅导员配备"], "填报学校数")
    first_province = staffing.provinces.iloc[0]
    assert (share.value, share.number_format) == (
        pytest.approx(float(first_province["辅导员达标率"].rstrip("%")) / 100),
        "0.0%",
    )
    assert (ratio.value, ratio.number_format) == (float(first_province["辅导员总体师生比"][2:]), '"1:"0.0')
    assert isinstance(count.value, int) and count.number_format == "#,##0"
    coverage = _cell_below(workbook["心理筛查"], "筛查覆盖率")
    assert isinstance(coverage.value, int | float) and coverage.number_format == "0.0%"
    rate = _cell_below(workbook["报送情况"], "报送率")
    assert isinstance(rate.value, int | float) and rate.number_format == "0.0%"


@pytest.mark.parametrize(
    ("mask", "small_shown"),
    [
        (True, False),  # case: masked as in the CSV export, no 1–4 count is written
        (False, True),  # case: not masked, the exact small counts are written
    ],
)
def test_workbook_masks_small_screening_counts_when_asked(
    seeded: tuple[str, Engine], tmp_path: Path, mask: bool, small_shown: bool
) -> None:
    _, engine = seeded
    scope = Scope(year=YEAR, provinces=(_one_province(engine),))
    sheet = load_workbook(_written(engine, scope, tmp_path / "通报.xlsx", mask=mask))["心理筛查"]

    crisis = _cell_below(sheet, "危机干预人数")
    column = [sheet.cell(row, crisis.column).value for row in range(crisis.row, sheet.max_row + 1)]
    assert ("<5" in column) is mask
    assert any(isinstance(value, int) and 1 <= value <= 4 for value in column) is small_shown


@pytest.mark.usefixtures("poppler")
@pytest.mark.parametrize("one_province", [False, True])
def test_pdf_holds_the_dashboards_headline_figures(
    seeded: tuple[str, Engine], tmp_path: Path, one_province: bool
) -> None:
    _, engine = seeded
    scope = Scope(year=YEAR, provinces=(_one_province(engine),) if one_province else ())
    pdf = _written(engine, scope, tmp_path / "通报.pdf")

    text = subprocess.run(
        ["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout
    for figure in _dashboard_figures(engine, scope):
        assert figure in text, figure
    assert "高校思政工作监测通报" in text and "第1页" in text.replace(" ", "")
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    embedded = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout
    font_rows = embedded.splitlines()[2:]
    assert font_rows and all(" yes yes " in row for row in font_rows), embedded
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", pdf, tmp_path / "page"], check=True)
    (page_one,) = tmp_path.glob("page-*1.png")  # pdftoppm pads the number to the page count's digits
    assert page_one.stat().st_size > 1000


def test_command_line_writes_the_report(seeded: tuple[str, Engine], tmp_path: Path) -> None:
    url, _ = seeded
    out = tmp_path / "通报.xlsx"

    result = run_cli(
        url, "report", str(out), "--year", YEAR, "--term", "秋季", "--province", "北京", "--mask-small"
    )

    assert result.returncode == 0, result.stderr
    assert load_workbook(out).sheetnames == ["封面", *SECTION_SHEETS]


def test_command_line_refuses_another_file_type(seeded: tuple[str, Engine], tmp_path: Path) -> None:
    url, _ = seeded
    result = run_cli(url, "report", str(tmp_path / "通报.csv"), "--year", YEAR)

    assert result.returncode == 2
    assert ".xlsx 或 .pdf" in result.stderr


def test_without_a_chinese_font_the_command_says_how_to_install_one(
    seeded: tuple[str, Engine], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    url, _ = seeded
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr(fonts, "KNOWN_FONTS", ())
    monkeypatch.setattr(fonts, "_fontconfig_fonts", list)
    fonts.find_cjk_font.cache_clear()
    try:
        code = main(["report", str(tmp_path / "通报.pdf"), "--year", YEAR])
    finally:
        fonts.find_cjk_font.cache_clear()

    assert code == 2
    assert "未找到中文字体" in capsys.readouterr().err
    assert "apt-get install fonts-wqy-microhei" in str(fonts.FontMissing())
    assert not (tmp_path / "通报.pdf").exists()


def test_page_shows_the_dashboards_figures_and_both_downloads(app_engine: Engine) -> None:
    seed_database(app_engine, institutions=30, years=1)
    scope = Scope(year=YEAR)

    app = open_app_page("pages/report.py", year=YEAR)

    assert app.title[0].value == "通报"
    shown = {metric.label: metric.value for metric in app.metric}
    staffing = staffing_page(app_engine, scope)
    assert shown["辅导员配备达标率"] == staffing.kpis.counselors.share_text
    assert shown["逾期项目"] == projects_page(app_engine, scope.all_years(), TODAY).headline["逾期项目"]
    labels = [button.proto.label for button in app.get("download_button")]
    assert labels == ["下载 Excel 工作簿", "下载 PDF"]


def test_forms_declared_as_data_get_a_sheet_each_with_numeric_rates(tmp_path: Path) -> None:
    from core.formdefs.registry import load_forms
    from core.queries.base import available_years
    from core.views.indicators import page

    engine = make_engine(f"sqlite:///{tmp_path / 'app.db'}")
    init_db(engine)
    seed_database(engine, institutions=30, years=1, with_indicator_forms=True)
    scope = Scope(year=available_years(engine)[0])
    forms = load_forms(engine)

    workbook = load_workbook(_written(engine, scope, tmp_path / "通报.xlsx"))

    for name in ("responsibility", "party"):
        shown = page(engine, scope, name)
        assert forms[name].title in workbook.sheetnames
        sheet = workbook[forms[name].title]
        if not shown.by_group:
            continue
        header, frame = next(iter(shown.by_group.items()))
        rate = _cell_below(sheet, "达标率")
        written = [sheet.cell(row, rate.column).value for row in range(rate.row, rate.row + len(frame))]
        assert all(isinstance(value, int | float) for value in written), written
        assert sorted(written) == pytest.approx(
            sorted(frame["达标率"].dropna().tolist()), abs=0.05
        ) or sorted(written) == pytest.approx(sorted((frame["达标率"].dropna() / 100).tolist()), abs=0.0005)
    engine.dispose()

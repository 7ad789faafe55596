"""通报: a season's report for one scope as an .xlsx workbook or a PDF.

content.py reads every figure (the only module here that touches the database);
images.py renders the charts; xlsx.py and pdf.py lay the same content out.
"""

from __future__ import annotations

from pathlib import Path

from core.reports.content import Report

FORMATS = (".xlsx", ".pdf")


def write_report(report: Report, path: str | Path) -> None:
    """Write ``report`` to ``path``, an .xlsx or a .pdf by its suffix."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"通报只能写成 {' 或 '.join(FORMATS)} 文件：{path}")
    if suffix == ".xlsx":
        from core.reports.xlsx import write_xlsx

        write_xlsx(report, path)
    else:
        from core.reports.pdf import write_pdf

        write_pdf(report, path)

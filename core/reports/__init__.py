"""通报: a season's report for one scope as an .xlsx workbook or a PDF.

content.py reads every figure (the only module here that touches the database);
images.py renders the charts; xlsx.py and pdf.py lay the same content out.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

from core.reports.content import Report

FORMATS = (".xlsx", ".pdf")


def _write(report: Report, target: str | Path | BinaryIO, suffix: str) -> None:
    if suffix not in FORMATS:
        raise ValueError(f"通报只能写成 {' 或 '.join(FORMATS)} 文件，而不是 {suffix}")
    if suffix == ".xlsx":
        from core.reports.xlsx import write_xlsx

        write_xlsx(report, target)
    else:
        from core.reports.pdf import write_pdf

        write_pdf(report, target)


def write_report(report: Report, path: str | Path) -> None:
    """Write ``report`` to ``path``, an .xlsx or a .pdf by its suffix."""
    _write(report, path, Path(path).suffix.lower())


def report_bytes(report: Report, suffix: str) -> bytes:
    """``report`` as the bytes of an .xlsx or a .pdf file (a download button's data)."""
    buffer = io.BytesIO()
    _write(report, buffer, suffix)
    return buffer.getvalue()

"""Files that leave the system: CSV tables that open correctly in Excel and WPS.

CSV rules (shared by every download button and ``python -m core.cli export``):
UTF-8 with BOM so Excel/WPS detect the encoding; canonical Chinese headers; whole
numbers written without decimals; text that begins with = + - @ (fullwidth ＝ ＋ － ＠ too,
or a tab / carriage return) is prefixed with an apostrophe so that a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from core.forms import get_form
from core.queries import base
from core.scope import Scope
from core.views import projects, screening, staffing

CSV_ENCODING = "utf-8-sig"
_FORMULA_PREFIXES = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "＝",
    "＋",
    "－",
    "＠",
)  # Excel/WPS read fullwidth ones too

# form → the function returning its full export table for (engine, scope, **options).
EXPORTERS: dict[str, Callable[..., pd.DataFrame]] = {
    "institutions": base.institutions_export,
    "staffing": staffing.export_frame,
    "screening": screening.export_frame,
    "projects": projects.export_frame,
}


def neutralise_formula(value: Any) -> Any:
    """'=1+1' → "'=1+1"; everything that is not such text is returned unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def _whole_without_decimals(value: Any) -> Any:
    """62.5 stays 62.5; 85.0 → 85 (a column holding both would otherwise write '85.0')."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    ready = frame.copy()
    for column in ready.columns:
        series = ready[column]
        if pd.api.types.is_float_dtype(series):
            if series.dropna().mod(1).eq(0).all():
                ready[column] = series.astype("Int64")
            else:
                texts = [_whole_without_decimals(value) for value in series.astype(object)]
                ready[column] = pd.Series(texts, index=series.index, dtype=object)
        elif not pd.api.types.is_numeric_dtype(series):
            ready[column] = series.map(neutralise_formula)
    return ready


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The CSV file of ``frame`` as bytes (UTF-8 with BOM, formula-safe)."""
    text = _csv_ready(frame).to_csv(index=False, lineterminator="\r\n")
    return text.encode(CSV_ENCODING)


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    Path(path).write_bytes(csv_bytes(frame))


def export_frame(engine: Engine, form: str, scope: Scope, **options: Any) -> pd.DataFrame:
    """The full table of ``form`` in ``scope`` with its derived columns (spec: Derived columns)."""
    if get_form(form).table == "form_record":  # a form declared as data (spec/forms-as-data.md)
        from core.views.indicators import export_frame as data_form_export

        return data_form_export(engine, form, scope)
    return EXPORTERS[form](engine, scope, **options)


def export_csv(engine: Engine, form: str, scope: Scope, path: str | Path, **options: Any) -> int:
    """Write the export of ``form`` to ``path``; returns the number of data rows."""
    frame = export_frame(engine, form, scope, **options)
    write_csv(frame, path)
    return len(frame)

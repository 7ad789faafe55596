""".xlsx: what calamine's values do not show, looked up in the file only when needed.

The percent number format of a column (openpyxl, read-only, defusedxml underneath), error
values and formulas saved without a result (the sheet XML), and a refusal of a sheet whose
cell references span a huge grid, before the spreadsheet library allocates it.
"""

from __future__ import annotations

import functools
import html
import io
import re
import warnings
import zipfile
from collections.abc import Callable

from core.ingest.read.sheets import (
    MAX_SHEET_CELLS,
    CellUnseen,
    column_number,
    is_percent_format,
    too_large,
)


def percent_loader(data: bytes) -> Callable[[str, int], frozenset[int]]:
    """Looks up percent-formatted cells of one column of one sheet, on demand (openpyxl, read-only)."""

    @functools.cache
    def percent_rows(sheet_name: str, column: int) -> frozenset[int]:
        from openpyxl import load_workbook

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook[sheet_name]
            found = set()
            for (cell,) in sheet.iter_rows(min_col=column + 1, max_col=column + 1):
                if getattr(cell, "row", None) and is_percent_format(getattr(cell, "number_format", None)):
                    found.add(cell.row - 1)
            return frozenset(found)
        finally:
            workbook.close()

    return percent_rows


# Sheet XML as Excel, WPS, LibreOffice and .NET writers save it: tags with or without a
# namespace prefix (<c> or <x:c>), attributes in either quote style.
_XLSX_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_XLSX_REFERENCE = re.compile(rb"""\br=["']([A-Z]{1,3})(\d+)["']""")
_XLSX_TYPE = re.compile(rb"""\bt=["'](\w+)["']""")
_XLSX_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.DOTALL)
_XLSX_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.DOTALL)
_XLSX_ANY_FORMULA_OR_ERROR = re.compile(rb"""<(?:\w+:)?f\b|\bt=["']e["']""")
_SPREADSHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the member holding its cells (from xl/workbook.xml and its relationships)."""
    from defusedxml import ElementTree

    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relationships = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {item.get("Id"): item.get("Target", "") for item in relationships}
    paths = {}
    for sheet in workbook.iter(f"{_SPREADSHEET_NS}sheet"):
        target = targets.get(sheet.get(_RELATIONSHIP_ID), "")
        paths[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return paths


def _unseen_cell(attributes: bytes, body: bytes) -> CellUnseen | None:
    """An error value, or a formula saved without its result, in one cell's XML."""
    kind = _XLSX_TYPE.search(attributes)
    value = _XLSX_VALUE.search(body)
    if kind is not None and kind[1] == b"e" and value is not None:
        return CellUnseen("error", value[1].decode("utf-8", "replace"))
    formula = _XLSX_FORMULA.search(body)
    # t="str" with an empty value is a formula whose result is "" (=IF(A5="","",…)): it has one
    if formula is None or (value is not None and value[1]) or (kind is not None and kind[1] == b"str"):
        return None
    text = html.unescape((formula[1] or b"").decode("utf-8", "replace"))
    return CellUnseen("formula", f"={text}" if text else "（共享公式）")


def _unseen_cells(xml: bytes) -> dict[tuple[int, int], CellUnseen]:
    found: dict[tuple[int, int], CellUnseen] = {}
    if not _XLSX_ANY_FORMULA_OR_ERROR.search(xml):
        return found  # the usual file: no formulas, no error values, nothing to look at
    for attributes, body in _XLSX_CELL.findall(xml):
        reference = _XLSX_REFERENCE.search(attributes)
        unseen = _unseen_cell(attributes, body or b"")
        if reference is not None and unseen is not None:  # (a cell without r= is left as read)
            found[(int(reference[2]) - 1, column_number(reference[1]) - 1)] = unseen
    return found


def unseen_loader(data: bytes) -> Callable[[str], dict[tuple[int, int], CellUnseen]]:
    @functools.cache
    def unseen(sheet_name: str) -> dict[tuple[int, int], CellUnseen]:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                path = sheet_paths(archive).get(sheet_name)
                return _unseen_cells(archive.read(path)) if path else {}
        except (KeyError, ValueError, zipfile.BadZipFile, SyntaxError):
            return {}  # the cells stay blank, as the values said

    return unseen


_FAR_REFERENCE = re.compile(rb"""r=["'](?:([A-Z]{2,3})\d|[A-Z]{0,3}(\d{6,7})["'])""")
_ANY_REFERENCE = re.compile(rb"""r=["']([A-Z]{1,3})?(\d{1,7})["']""")
_NEAR_ROWS, _NEAR_COLUMNS = 99_999, 26  # what a sheet without far references can reach


def _grid(references: list[tuple[bytes, bytes]], rows: int, columns: int) -> tuple[int, int]:
    for letters, digits in references:
        if letters:
            columns = max(columns, column_number(letters))
        if digits:
            rows = max(rows, int(digits))
    return rows, columns


def refuse_huge_grids(data: bytes) -> None:
    """Refuse a sheet whose cells span a huge grid (a tiny file with a cell at XFD1048576).

    The spreadsheet library allocates the whole rectangle and aborts the process when it
    cannot, so the cell references are looked at first: quickly for the far ones, fully
    only when those make the grid too big.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            xml = archive.read(name)
            rows, columns = _grid(
                [(letters, digits) for letters, digits in _FAR_REFERENCE.findall(xml)],
                _NEAR_ROWS,
                _NEAR_COLUMNS,
            )
            if rows * columns > MAX_SHEET_CELLS:
                rows, columns = _grid(_ANY_REFERENCE.findall(xml), 0, 0)
            if rows * columns > MAX_SHEET_CELLS:
                raise too_large(_sheet_named_by(archive, name), rows, columns)


def _sheet_named_by(archive: zipfile.ZipFile, member: str) -> str | None:
    try:
        return next((sheet for sheet, path in sheet_paths(archive).items() if path == member), None)
    except (KeyError, ValueError, SyntaxError):
        return None

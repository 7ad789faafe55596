""".ods (LibreOffice/WPS): the percent cells of a column, from content.xml (85% is stored as 0.85)."""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Callable

_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _percent_cells(content: bytes, sheet_name: str, column: int) -> frozenset[int]:
    """Rows whose cell in ``column`` is a percentage in one table of an .ods content.xml."""
    from defusedxml import ElementTree

    for table in ElementTree.fromstring(content).iter(f"{_ODS_TABLE}table"):
        if table.get(f"{_ODS_TABLE}name") != sheet_name:
            continue
        found, row_index = set(), 0
        for row in table.iter(f"{_ODS_TABLE}table-row"):
            row_repeats = int(row.get(f"{_ODS_TABLE}number-rows-repeated", "1"))
            column_index = 0
            for cell in row:
                repeats = int(cell.get(f"{_ODS_TABLE}number-columns-repeated", "1"))
                if column_index <= column < column_index + repeats:
                    if cell.get(f"{_ODS_OFFICE}value-type") == "percentage":
                        found.update(range(row_index, row_index + min(row_repeats, 100_000)))
                    break
                column_index += repeats
            row_index += row_repeats
        return frozenset(found)
    return frozenset()


def percent_loader(data: bytes) -> Callable[[str, int], frozenset[int]]:
    """Percent cells of an .ods (LibreOffice/WPS) sheet: 85% is stored there as the value 0.85."""

    @functools.cache
    def content() -> bytes:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.read("content.xml")

    @functools.cache
    def percent_rows(sheet_name: str, column: int) -> frozenset[int]:
        try:
            return _percent_cells(content(), sheet_name, column)
        except (KeyError, ValueError, SyntaxError, zipfile.BadZipFile):
            return frozenset()

    return percent_rows

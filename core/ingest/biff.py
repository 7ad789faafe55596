"""Percent-formatted number cells of an .xls (BIFF8) workbook.

The spreadsheet library returns an .xls cell's value but not its number format, and
the contract reads 0.85 in a percent-formatted cell as 85 (form ``projects``, 完成进度)
for .xls files as for .xlsx. This reads just enough of the BIFF8 record stream to say
which number cells carry a percent format: the FORMAT and XF records of the workbook
globals, then the NUMBER / RK / MULRK / FORMULA records of each sheet.

Anything unexpected (an older BIFF version, a damaged stream) yields no percent cells:
the values are then read as plain numbers, as before.
"""

from __future__ import annotations

import io
import re
import struct
from collections import defaultdict
from collections.abc import Iterator

BOF, EOF = 0x0809, 0x000A
FORMAT, XF, BOUNDSHEET = 0x041E, 0x00E0, 0x0085
NUMBER, RK, FORMULA, MULRK = 0x0203, 0x027E, 0x0006, 0x00BD
BIFF8 = 0x0600
BUILTIN_PERCENT_FORMATS = frozenset({9, 10})  # 0% and 0.00%, never written as FORMAT records

PercentCells = dict[str, dict[int, frozenset[int]]]  # sheet → 0-based column → 0-based rows

_QUOTED = re.compile(r'"[^"]*"|\\.')


def is_percent_format(number_format: str | None) -> bool:
    """True for a number format that shows a percentage ('0%', '0.0%'); a quoted or escaped % does not count."""
    return bool(number_format) and "%" in _QUOTED.sub("", number_format)


def _records(stream: bytes, start: int = 0) -> Iterator[tuple[int, bytes]]:
    position = start
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        yield kind, stream[position + 4 : position + 4 + length]
        position += 4 + length


def _unicode_text(body: bytes, offset: int, count: int) -> str:
    """An XLUnicodeString's characters: a flags byte, optional run/extension sizes, then the text."""
    flags = body[offset]
    offset += 1 + (2 if flags & 0x08 else 0) + (4 if flags & 0x04 else 0)
    if flags & 0x01:
        return body[offset : offset + 2 * count].decode("utf-16-le", errors="replace")
    return body[offset : offset + count].decode("latin-1")


def _sheet_cells(stream: bytes, offset: int, percent_xf: set[int]) -> dict[int, frozenset[int]]:
    cells: dict[int, set[int]] = defaultdict(set)
    depth = 0
    for kind, body in _records(stream, offset):
        if kind == BOF:
            depth += 1
        elif kind == EOF:
            depth -= 1
            if depth <= 0:
                break
        elif kind in (NUMBER, RK, FORMULA) and len(body) >= 6:
            row, column, xf = struct.unpack_from("<HHH", body)
            if xf in percent_xf:
                cells[column].add(row)
        elif kind == MULRK and len(body) >= 6:
            row, first = struct.unpack_from("<HH", body)
            for index in range((len(body) - 6) // 6):
                if struct.unpack_from("<H", body, 4 + 6 * index)[0] in percent_xf:
                    cells[first + index].add(row)
    return {column: frozenset(rows) for column, rows in cells.items()}


def _workbook_stream(data: bytes) -> bytes:
    import olefile

    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        name = "Workbook" if ole.exists("Workbook") else "Book"
        return ole.openstream(name).read()


def percent_cells(data: bytes) -> PercentCells:
    """Per sheet name and column, the rows whose number cell has a percent format."""
    try:
        stream = _workbook_stream(data)
        records = _records(stream)
        kind, body = next(records)
        if kind != BOF or struct.unpack_from("<H", body)[0] != BIFF8:
            return {}
        percent_formats = set(BUILTIN_PERCENT_FORMATS)
        xf_formats: list[int] = []
        sheets: list[tuple[str, int]] = []
        for kind, body in records:
            if kind == EOF:
                break
            if kind == FORMAT:
                index, count = struct.unpack_from("<HH", body)
                if is_percent_format(_unicode_text(body, 4, count)):
                    percent_formats.add(index)
            elif kind == XF:
                xf_formats.append(struct.unpack_from("<H", body, 2)[0])
            elif kind == BOUNDSHEET:
                (offset,) = struct.unpack_from("<I", body)
                sheets.append((_unicode_text(body, 7, body[6]), offset))
        percent_xf = {
            index for index, number_format in enumerate(xf_formats) if number_format in percent_formats
        }
        if not percent_xf:
            return {}
        return {name: _sheet_cells(stream, offset, percent_xf) for name, offset in sheets}
    except Exception:  # noqa: BLE001  (a damaged stream: no percent cells, values read as they are)
        return {}

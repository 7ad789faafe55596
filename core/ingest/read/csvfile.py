"""CSV (and .txt) files: the encoding and the separator found, every cell read as text.

UTF-8 with or without BOM, else GB18030 (which covers GBK); UTF-16 with BOM, as Excel's
"Unicode text" export, tab-separated.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import PurePath

from core.ingest.codes import Reason
from core.ingest.read.sheets import RawSheet, UnreadableFile
from core.ingest.read.sniff import UTF16_BOMS, web_page_or_xml

_UNKNOWN_ENCODING = "CSV 文件的编码无法识别，请另存为 UTF-8 或 GBK 编码的 CSV 再上传"


def _decode(data: bytes) -> str:
    """UTF-16 with BOM (Excel's 'Unicode text'), else UTF-8 (BOM or not), else GB18030 (covers GBK).

    GB18030 decodes any bytes, so a file that is partly UTF-8 (two exports pasted together)
    would become garbled names: a file with lines in both encodings is refused instead.
    """
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFile(Reason.NOT_A_SPREADSHEET, _UNKNOWN_ENCODING) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if any(_is_utf8_text(line) for line in data.splitlines()):
        raise UnreadableFile(
            Reason.NOT_A_SPREADSHEET,
            "CSV 文件中混有两种编码（UTF-8 与 GBK），" + _UNKNOWN_ENCODING.removeprefix("CSV "),
        )
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise UnreadableFile(Reason.NOT_A_SPREADSHEET, _UNKNOWN_ENCODING) from None


def _is_utf8_text(line: bytes) -> bool:
    """A line with non-ASCII characters that is valid UTF-8 (GBK text practically never is)."""
    if line.isascii():
        return False
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_DELIMITERS = (",", "\t", ";", "，")
_SEPARATOR_HINT = re.compile(r"sep=(.)")


def _delimiter(lines: list[str]) -> str:
    """The separator most lines agree on: for each candidate, how many of the first lines
    split into the most common number of (more than one) fields. A title line above the
    table, with no separator, does not confuse it (csv.Sniffer gives up on such files)."""
    sample = [line for line in lines[:50] if line.strip()]

    def agreement(delimiter: str) -> int:
        counts = [line.count(delimiter) for line in sample]
        usual = max((count for count in counts if count), key=counts.count, default=0)
        return sum(1 for count in counts if count == usual) if usual else 0

    return max(_DELIMITERS, key=agreement)


def read_csv(data: bytes, file_name: str) -> list[RawSheet]:
    text = _decode(data)
    if (what := web_page_or_xml(data)) is not None:
        raise UnreadableFile(
            Reason.NOT_A_SPREADSHEET,
            f"这个 CSV 文件的内容是{what}，不是逗号分隔的表格；请用 Excel/WPS 打开后另存为 .xlsx 再上传",
        )
    lines = text.splitlines()
    hint = _SEPARATOR_HINT.fullmatch(lines[0].strip()) if lines else None
    if hint is not None:  # Excel's "sep=;" line: it names the separator and Excel does not show it
        text = text.split("\n", 1)[1] if "\n" in text else ""
    delimiter = hint[1] if hint is not None else _delimiter(lines)
    try:
        rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error:
        raise UnreadableFile(
            Reason.CORRUPT, "CSV 文件格式有误，无法读取；请在 Excel/WPS 中打开后另存为 CSV 再上传"
        ) from None
    return [RawSheet(name=PurePath(file_name).stem or "CSV", rows=rows, typed=False)]

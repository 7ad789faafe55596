"""Cell and header normalisation, one reader per field kind (core.forms.Kind).

Every reader takes the raw cell value (what the spreadsheet library returned: str,
int, float, bool, date, datetime) and returns a :class:`Normalized` — the canonical
value and, when it had to change the writing of the value, a Chinese note saying what
it did (the parse step adds the cell reference and reports it as a normalisation).
A value that cannot be read raises :class:`NormalizeError` with a reason code and a
Chinese message saying what to write instead.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, NamedTuple

from core.forms import FieldSpec, Kind
from core.ingest.codes import Reason


class Normalized(NamedTuple):
    value: Any
    note: str | None = None  # Chinese, what was done; None when the value was already canonical
    code: str | None = None  # the Reason of the note


class NormalizeError(ValueError):
    """A cell value that cannot be read as its field's kind."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --- text helpers -----------------------------------------------------------------------

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_SPACES = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
# C0 controls other than tab and line breaks, and DEL: PostgreSQL refuses NUL in text, and
# none of them is anything a person typed
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def to_half_width(text: str) -> str:
    """Full-width ASCII (１２３，ＡＢ（）) and the ideographic space → their ASCII forms."""
    return text.translate(_FULL_WIDTH)


def without_spaces(text: str) -> str:
    return _SPACES.sub("", text)


def is_blank(raw: Any) -> bool:
    """True for an empty cell: None, '' or only spaces."""
    return raw is None or (isinstance(raw, str) and not without_spaces(raw))


def shown(raw: Any) -> str:
    """The cell as the user sees it, for messages: 12.0 → '12', True → 'TRUE', dates ISO."""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw).strip()


def _reread(raw: Any, value: Any, code: str) -> Normalized:
    return Normalized(value, f"“{shown(raw)}”按 {shown(value)} 读取", code)


# --- numbers ----------------------------------------------------------------------------

_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
# what offices write for "none" in a number cell: — 无 / - …
_NOTHING_WRITTEN = frozenset(
    {"—", "——", "-", "--", "－", "/", "／", "\\", "无", "没有", "空", "暂无", "N/A", "n/a", "NA"}
)
# a count written with its unit: 60人, 61名
_COUNT_WITH_UNIT = re.compile(r"(?P<number>.*\d)\s*(?:人|名|个|所)")
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")


def _number_from_text(text: str) -> tuple[Decimal, str | None]:
    """'１，２３４ ' → (1234, note); plain '1234' → (1234, None). NormalizeError otherwise."""
    stripped = text.strip()
    cleaned = without_spaces(to_half_width(stripped))
    if _PLAIN_NUMBER.fullmatch(cleaned):
        return Decimal(cleaned), (None if cleaned == stripped else stripped)
    if _GROUPED_NUMBER.fullmatch(cleaned):
        return Decimal(cleaned.replace(",", "")), stripped
    if cleaned in _NOTHING_WRITTEN:
        raise NormalizeError(Reason.NOT_A_NUMBER, f"“{stripped}”不是数字：没有请填 0；选填项未统计的请留空")
    raise NormalizeError(Reason.NOT_A_NUMBER, f"“{stripped}”不是数字，请填写阿拉伯数字（如 1234）")


# No institution counts ten million of anything; a bigger number is a phone number or an ID
# pasted into a count cell (and would not fit PostgreSQL's integer column).
MAX_COUNT = 10_000_000


def _whole(number: Decimal | float, raw: Any) -> int:
    if number != int(number):
        raise NormalizeError(Reason.NOT_WHOLE, f"“{shown(raw)}”不是整数，人数须填写非负整数")
    if number < 0:
        raise NormalizeError(Reason.NEGATIVE, f"“{shown(raw)}”是负数，人数须填写非负整数（没有填 0）")
    if number > MAX_COUNT:
        raise NormalizeError(
            Reason.IMPLAUSIBLE_COUNT,
            f"“{shown(raw)}”超过 {MAX_COUNT:,}，不是一所学校的人数，请核对是否填入了电话、证件号或填错了列",
        )
    return int(number)


def as_excel_shows(number: float) -> float:
    """``number`` to the 15 significant digits Excel displays: a formula such as =200*0.3 stores
    60.000000000000007, which every user sees as 60."""
    return float(f"{number:.15g}")


def parse_count(raw: Any) -> Normalized:
    """A whole number 0…MAX_COUNT: 12, 12.0, '12', '1,234', '１２３' → int; 12.5, -1, 'abc' → error."""
    kind = raw.__class__
    if kind is float:
        if 0 <= raw <= MAX_COUNT and raw.is_integer():  # the usual cell: a number Excel stored as float
            return Normalized(int(raw))
        if math.isfinite(raw):
            displayed = as_excel_shows(raw)
            value = _whole(displayed, raw)
            if displayed != raw:
                return Normalized(
                    value, f"{raw!r} 按 Excel 显示的 {value} 读取（公式计算的浮点误差）", Reason.FLOAT_NOISE
                )
            return Normalized(value)
    elif kind is int:
        return Normalized(raw if 0 <= raw <= MAX_COUNT else _whole(raw, raw))
    if kind is str:
        with_unit = _COUNT_WITH_UNIT.fullmatch(raw.strip())
        number, decorated = _number_from_text(with_unit["number"] if with_unit else raw)
        decorated = raw.strip() if with_unit else decorated
        value = _whole(number, raw)
        if decorated is not None:
            return Normalized(value, f"文本“{decorated}”按数字 {value} 读取", Reason.NUMBER_CLEANED)
        return Normalized(value, f"文本“{raw.strip()}”按数字 {value} 读取", Reason.TEXT_NUMBER)
    raise NormalizeError(Reason.NOT_A_NUMBER, f"“{shown(raw)}”不是数字，请填写非负整数")


def _percent_from_text(raw: str) -> tuple[float, str]:
    """'85', '85%', '８５％' → (85.0, the Reason of the note: text number or percent writing)."""
    text = to_half_width(raw).strip()
    try:
        number, _ = _number_from_text(text.removesuffix("%"))
    except NormalizeError:
        raise NormalizeError(
            Reason.NOT_A_NUMBER, f"“{raw.strip()}”不是百分比，请填写 0–100 的数（如 85 或 85%）"
        ) from None
    plain = text == raw.strip() and not text.endswith("%")
    return float(number), (Reason.TEXT_NUMBER if plain else Reason.PERCENT_FORMAT)


def _fraction_note(written: str, value: float) -> str:
    """0.85 or 1 written without % may mean 85 % or 100 %: it is read as written, and said so
    (a finished project must not pass unnoticed as 1 %)."""
    meant = shown(as_excel_shows(value * 100))
    return f"{written} 按 {shown(value)}% 读取；如指 {meant}%，请填写 {meant} 或 {meant}%"


def parse_number(raw: Any) -> Normalized:
    """Any decimal: 3.5, '3.5', '1,234.5', '３．５' → float; 'abc' → error (bounds are the form's rules)."""
    if isinstance(raw, int | float) and not isinstance(raw, bool) and math.isfinite(raw):
        return Normalized(as_excel_shows(float(raw)))
    if isinstance(raw, str):
        number, decorated = _number_from_text(raw)
        value = float(number)
        return Normalized(value) if decorated is None else _reread(decorated, value, Reason.NUMBER_CLEANED)
    raise NormalizeError(Reason.NOT_A_NUMBER, f"“{shown(raw)}”不是数字，请填写阿拉伯数字（如 3.5）")


def parse_percent(raw: Any, *, percent_formatted: bool = False) -> Normalized:
    """A percentage 0–100: 85, '85', '85%', and 0.85 in a percent-formatted cell → 85."""
    note = code = None
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise NormalizeError(Reason.NOT_A_NUMBER, f"“{shown(raw)}”不是百分比，请填写 0–100 的数（如 85）")
    if isinstance(raw, str):
        value, code = _percent_from_text(raw)
        note = f"文本“{raw.strip()}”按 {shown(value)}% 读取"
        if code == Reason.TEXT_NUMBER and 0 < value <= 1:
            note, code = _fraction_note(raw.strip(), value), Reason.PERCENT_FORMAT
    elif percent_formatted:
        value = float(Decimal(repr(as_excel_shows(float(raw)))) * 100)
        if not 0 <= value <= 100:
            raise NormalizeError(
                Reason.PERCENT_RANGE,
                f"单元格设为百分比格式，“{shown(raw)}”显示为 {shown(value)}%，超出 0–100；"
                f"请填写 {shown(raw)}%，或取消百分比格式后填写 0 到 100 之间的数",
            )
        note, code = (
            f"百分比格式单元格 {shown(raw)}（显示为 {shown(value)}%）按 {shown(value)} 读取",
            Reason.PERCENT_FORMAT,
        )
    else:
        value = float(raw)
        if 0 < value <= 1:
            note, code = _fraction_note(shown(raw), value), Reason.PERCENT_FORMAT
    if not 0 <= value <= 100:
        raise NormalizeError(Reason.PERCENT_RANGE, f"“{shown(raw)}”超出 0–100，请填写 0 到 100 之间的百分数")
    return Normalized(value, note, code)


# --- codes, text, choices ---------------------------------------------------------------

_CODE = re.compile(r"\d{10}")
# what other systems wrap a code in: ="4141010001" (Excel's keep-as-text trick), a typed
# apostrophe, a float's .0 written out as text (pandas)
_WRAPPED_CODE = re.compile(r"""(?:=?"(?P<quoted>[^"]*)"|'(?P<apostrophe>.*)|(?P<float>\d{10})\.0+)""")
_REPEATED = functools.lru_cache(maxsize=8192, typed=True)  # codes, years and dates repeat down a column


@_REPEATED
def parse_code(raw: Any) -> Normalized:
    """The 10-digit 学校标识码 as text: 4141010001.0 → '4141010001'."""
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    elif isinstance(raw, int) and not isinstance(raw, bool):
        text = str(raw)
    else:
        text = without_spaces(str(raw))
    code = to_half_width(text)
    reason = Reason.FULL_WIDTH
    if (wrapped := _WRAPPED_CODE.fullmatch(code)) is not None:
        code, reason = next(part for part in wrapped.groups() if part is not None), Reason.NUMBER_CLEANED
    if not _CODE.fullmatch(code):
        hint = "；以 0 开头的标识码请把单元格设为文本格式" if len(code) == 9 and code.isdigit() else ""
        raise NormalizeError(
            Reason.BAD_CODE, f"“{shown(raw)}”不是 10 位学校标识码（如 4141010001），请核对{hint}"
        )
    if code != text:
        return _reread(raw, code, reason)
    return Normalized(code)


def parse_text(spec: FieldSpec, raw: Any) -> Normalized:
    """Free text, stripped; a whole number written as a number loses its '.0'."""
    text = shown(raw) if isinstance(raw, int | float | dt.date) else str(raw).strip()
    if CONTROL_CHARACTERS.search(text):
        raise NormalizeError(
            Reason.CONTROL_CHARACTER,
            "单元格含有不可见的控制字符（如 NUL），请删除这些字符"
            "（可在 Excel/WPS 中用 CLEAN 函数清除）后重新上传",
        )
    if len(text) > spec.max_length:
        raise NormalizeError(
            Reason.TOO_LONG, f"内容过长（{len(text)} 字），「{spec.header}」最多 {spec.max_length} 字，请精简"
        )
    return Normalized(text)


_QUOTES = re.compile("[\"'“”‘’「」『』〝〞]")


def _choice_key(text: str) -> str:
    """What must match for two writings of a choice to be the same: no spaces, no quotes, ASCII widths."""
    return _QUOTES.sub("", without_spaces(to_half_width(text)))


@functools.cache
def _choice_index(choices: tuple[str, ...], synonyms: tuple[tuple[str, str], ...]) -> dict[str, str]:
    index = {_choice_key(written): canonical for written, canonical in synonyms}
    index.update({_choice_key(choice): choice for choice in choices})
    return index


def parse_enum(spec: FieldSpec, raw: Any) -> Normalized:
    """One of ``spec.choices``, also written as a synonym or with other quotes, widths or spaces."""
    text = shown(raw)
    if text in spec.choices:
        return Normalized(text)
    canonical = _choice_index(spec.choices, tuple(spec.synonyms.items())).get(_choice_key(text))
    if canonical is None:
        if spec.kind is Kind.PROVINCE:
            raise NormalizeError(
                Reason.BAD_PROVINCE,
                f"“{text}”不是省级行政区名称，请填写如 河南 或 河南省、广西 或 广西壮族自治区",
            )
        raise NormalizeError(
            Reason.NOT_A_CHOICE, f"“{text}”不是可选值，请从下列选项中选择：{'、'.join(spec.choices)}"
        )
    if spec.kind is Kind.PROVINCE:
        code = Reason.PROVINCE_FULL_NAME
    elif _QUOTES.sub("", without_spaces(text)) == _QUOTES.sub("", canonical):
        code = Reason.QUOTE_STYLE
    else:
        code = Reason.SYNONYM
    return _reread(raw, canonical, code)


# --- academic years and dates -----------------------------------------------------------

_YEAR = re.compile(r"(\d{4})年?(?:[-–—―−‐~〜/]+|至|到)(\d{4})年?(?:学年|年度)?")
_YEAR_HELP = "请写成 2024-2025 的形式"


@_REPEATED
def parse_academic_year(raw: Any) -> Normalized:
    """'2024-2025学年', '2024—2025', '2024/2025', '2024至2025', '2024～2025' → '2024-2025'."""
    text = without_spaces(to_half_width(shown(raw)))
    match = _YEAR.fullmatch(text)
    if not match:
        raise NormalizeError(Reason.BAD_YEAR, f"“{shown(raw)}”不是学年，{_YEAR_HELP}")
    first, second = int(match[1]), int(match[2])
    if second != first + 1:
        raise NormalizeError(
            Reason.YEAR_NOT_CONSECUTIVE,
            f"学年“{shown(raw)}”的第二个年份应比第一个大 1（如 {first}-{first + 1}），请核对",
        )
    year = f"{first}-{second}"
    if year == shown(raw):
        return Normalized(year)
    return _reread(raw, year, Reason.YEAR_FORMAT)


_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIALS = range(32874, 73051)  # 1990-01-01 … 2099-12-31 as Excel date serials
_DATE_HELP = "请填写日期，如 2024-03-01"


@_REPEATED
def parse_date(raw: Any) -> Normalized:
    """Excel dates and '2024-03-01', '2024/3/1', '2024.03.01', '2024年3月1日' → date."""
    if isinstance(raw, dt.datetime):
        return Normalized(raw.date())
    if isinstance(raw, dt.date):
        return Normalized(raw)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if float(raw).is_integer() and int(raw) in _SERIALS:
            return _reread(raw, _EXCEL_EPOCH + dt.timedelta(days=int(raw)), Reason.DATE_SERIAL)
        if float(raw).is_integer():  # 20240301 typed as a number reads as the text does
            return parse_date(str(int(raw)))
        raise NormalizeError(Reason.BAD_DATE, f"“{shown(raw)}”不是日期，{_DATE_HELP}")
    text = to_half_width(str(raw)).strip()
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if not match:
        raise NormalizeError(Reason.BAD_DATE, f"“{str(raw).strip()}”不是日期，{_DATE_HELP}")
    try:
        value = dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise NormalizeError(Reason.BAD_DATE, f"日期“{str(raw).strip()}”不存在，请核对") from None
    if value.isoformat() == str(raw).strip():
        return Normalized(value)
    return _reread(str(raw).strip(), value, Reason.DATE_TEXT)


# --- per field ----------------------------------------------------------------------------


def reader_for(spec: FieldSpec) -> Callable[[Any], Normalized]:
    """The reader of one field's non-empty cells (percent cells: see :func:`parse_percent`)."""
    kind = spec.kind
    if kind is Kind.COUNT:
        return parse_count
    if kind is Kind.CODE:
        return parse_code
    if kind is Kind.YEAR:
        return parse_academic_year
    if kind is Kind.DATE:
        return parse_date
    if kind is Kind.PERCENT:
        return parse_percent
    if kind is Kind.NUMBER:
        return parse_number
    if kind in (Kind.ENUM, Kind.PROVINCE):
        return _REPEATED(functools.partial(parse_enum, spec))
    return _REPEATED(functools.partial(parse_text, spec))

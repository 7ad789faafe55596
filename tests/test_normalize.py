"""Cell and header normalisation, one reader per field kind."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.forms import FORMS, PROVINCES, get_form
from core.ingest.codes import Reason
from core.ingest.header_match import match_header
from core.ingest.normalize import (
    MAX_COUNT,
    NormalizeError,
    as_excel_shows,
    parse_academic_year,
    parse_code,
    parse_count,
    parse_date,
    parse_enum,
    parse_percent,
)

FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def _error_code(function, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(NormalizeError) as problem:
        function(*args, **kwargs)
    assert problem.value.message  # a Chinese sentence saying what to write
    return problem.value.code


# --- counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "note_code"),
    [
        (12, 12, None),  # case: integer cell
        (12.0, 12, None),  # case: Excel stores numbers as floats
        ("12", 12, Reason.TEXT_NUMBER),  # case: number stored as text
        ("1,234", 1234, Reason.NUMBER_CLEANED),  # case: thousands separator
        ("１２３４", 1234, Reason.NUMBER_CLEANED),  # case: full-width digits
        ("１，２３４", 1234, Reason.NUMBER_CLEANED),  # case: full-width digits and comma
        (" 1 234 ", 1234, Reason.NUMBER_CLEANED),  # case: spaces inside
        ("12.0", 12, Reason.TEXT_NUMBER),  # case: text with a zero decimal
        (0, 0, None),  # case: zero is a count
        (10_000_000.0, 10_000_000, None),  # case: the largest count accepted
        ("60人", 60, Reason.NUMBER_CLEANED),  # case: the unit written in the cell
        ("3,000 名", 3000, Reason.NUMBER_CLEANED),  # case: separators and another unit
    ],
)
def test_count_readings(raw: Any, value: int, note_code: str | None) -> None:
    result = parse_count(raw)

    assert (result.value, result.code) == (value, note_code)
    assert type(result.value) is int


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (12.5, Reason.NOT_WHOLE),  # case: fraction
        ("12.5", Reason.NOT_WHOLE),  # case: fraction as text
        (-1, Reason.NEGATIVE),  # case: negative
        ("-3", Reason.NEGATIVE),  # case: negative text
        ("abc", Reason.NOT_A_NUMBER),  # case: words
        ("1,23", Reason.NOT_A_NUMBER),  # case: a comma that is no thousands separator
        (True, Reason.NOT_A_NUMBER),  # case: a checkbox value
        (float("nan"), Reason.NOT_A_NUMBER),  # case: NaN
        (dt.date(2024, 1, 1), Reason.NOT_A_NUMBER),  # case: a date in a count column
        (3_000_000_000.0, Reason.IMPLAUSIBLE_COUNT),  # case: beyond PostgreSQL's integer
        (13_812_345_678, Reason.IMPLAUSIBLE_COUNT),  # case: a phone number as an integer cell
        ("10,000,001", Reason.IMPLAUSIBLE_COUNT),  # case: one over the bound, as text
    ],
)
def test_count_refusals(raw: Any, code: str) -> None:
    assert _error_code(parse_count, raw) == code


@given(st.integers(min_value=0, max_value=MAX_COUNT))
def test_any_count_written_with_separators_or_full_width_digits_reads_back(number: int) -> None:
    grouped = f"{number:,}"
    assert parse_count(grouped).value == number
    assert parse_count(grouped.translate(FULL_WIDTH_DIGITS)).value == number
    assert parse_count(float(number)).value == number


@given(
    st.floats(min_value=0, max_value=MAX_COUNT, allow_nan=False).filter(
        lambda value: not as_excel_shows(value).is_integer()
    )
)
def test_no_fraction_excel_would_show_is_ever_a_count(number: float) -> None:
    assert _error_code(parse_count, number) == Reason.NOT_WHOLE


@pytest.mark.parametrize("raw", ["无", "—", "/", "-"])
def test_nothing_written_as_a_word_or_dash_says_to_write_0_or_leave_it_empty(raw: str) -> None:
    with pytest.raises(NormalizeError) as refused:
        parse_count(raw)

    assert "没有请填 0" in refused.value.message and "留空" in refused.value.message


def test_a_formula_result_off_in_the_16th_digit_reads_as_excel_shows_it() -> None:
    result = parse_count(60.000000000000007)  # what Excel stores for =200*0.3, shown as 60

    assert (result.value, result.code) == (60, Reason.FLOAT_NOISE)


# --- academic years ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "2024-2025",  # case: canonical
        "2024-2025学年",  # case: with 学年
        "2024—2025",  # case: em dash
        "2024–2025",  # case: en dash
        "2024/2025",  # case: slash
        "2024至2025学年",  # case: 至
        "2024～2025",  # case: full-width tilde
        "２０２４－２０２５",  # case: full-width digits and hyphen
        " 2024 - 2025 ",  # case: spaces
        "2024年-2025年",  # case: 年 after each year
    ],
)
def test_academic_year_variants(raw: str) -> None:
    result = parse_academic_year(raw)

    assert result.value == "2024-2025"
    assert (result.note is None) == (raw == "2024-2025")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("2024-2026", Reason.YEAR_NOT_CONSECUTIVE),  # case: two years apart
        ("2025-2024", Reason.YEAR_NOT_CONSECUTIVE),  # case: backwards
        ("2024", Reason.BAD_YEAR),  # case: one year
        (2024, Reason.BAD_YEAR),  # case: a number
        ("24-25", Reason.BAD_YEAR),  # case: two-digit years
        ("2024年秋季", Reason.BAD_YEAR),  # case: a term, not a year
    ],
)
def test_academic_year_refusals(raw: Any, code: str) -> None:
    assert _error_code(parse_academic_year, raw) == code


@given(
    st.integers(min_value=1950, max_value=2098),
    st.sampled_from(["-", "—", "–", "/", "至", "～", "~"]),
    st.sampled_from(["", "学年", "年度"]),
)
def test_every_separator_and_suffix_gives_the_canonical_year(first: int, separator: str, suffix: str) -> None:
    assert parse_academic_year(f"{first}{separator}{first + 1}{suffix}").value == f"{first}-{first + 1}"


@given(st.integers(min_value=1950, max_value=2098), st.integers(min_value=1950, max_value=2099))
def test_second_year_must_follow_the_first(first: int, second: int) -> None:
    text = f"{first}-{second}"
    if second == first + 1:
        assert parse_academic_year(text).value == text
    else:
        assert _error_code(parse_academic_year, text) == Reason.YEAR_NOT_CONSECUTIVE


# --- codes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "note_code"),
    [
        ("4141010001", "4141010001", None),  # case: text
        (4141010001.0, "4141010001", None),  # case: number cell
        (4141010001, "4141010001", None),  # case: integer
        (" 4141 010001 ", "4141010001", None),  # case: spaces
        ("４１４１０１０００１", "4141010001", Reason.FULL_WIDTH),  # case: full-width digits
    ],
)
def test_code_readings(raw: Any, value: str, note_code: str | None) -> None:
    assert (parse_code(raw).value, parse_code(raw).code) == (value, note_code)


@pytest.mark.parametrize(
    "raw",
    [
        "414101000",  # case: 9 digits
        414101000.0,  # case: a code with a leading zero lost in a number cell
        "41410100011",  # case: 11 digits
        "414101000X",  # case: a letter
    ],
)
def test_code_refusals(raw: Any) -> None:
    assert _error_code(parse_code, raw) == Reason.BAD_CODE


# --- choices -----------------------------------------------------------------------------------

CATEGORY = get_form("projects").field("category")
PROVINCE = get_form("institutions").field("province")
LEVEL = get_form("institutions").field("level")
TERM = get_form("screening").field("term")
KIND = get_form("screening").field("kind")
STAGE = get_form("projects").field("stage")


@pytest.mark.parametrize(
    ("spec", "raw", "value", "note_code"),
    [
        (PROVINCE, "河南", "河南省", Reason.PROVINCE_FULL_NAME),  # case: short province
        (PROVINCE, "北京", "北京市", Reason.PROVINCE_FULL_NAME),  # case: municipality
        (PROVINCE, "广西", "广西壮族自治区", Reason.PROVINCE_FULL_NAME),  # case: autonomous region
        (PROVINCE, "内蒙古", "内蒙古自治区", Reason.PROVINCE_FULL_NAME),  # case: 内蒙古
        (PROVINCE, "新疆自治区", "新疆维吾尔自治区", Reason.PROVINCE_FULL_NAME),  # case: half-full name
        (PROVINCE, "河南省", "河南省", None),  # case: already full
        (LEVEL, "高职", "高职（专科）", Reason.SYNONYM),  # case: synonym
        (LEVEL, "高职(专科)", "高职（专科）", Reason.SYNONYM),  # case: half-width brackets
        (TERM, "第二学期", "春季学期", Reason.SYNONYM),  # case: term synonym
        (TERM, "第1学期", "秋季学期", Reason.SYNONYM),  # case: the term's number in Arabic digits
        (KIND, "全员普查", "全体学生普查", Reason.SYNONYM),  # case: the everyday name of a screening
        (KIND, "其它", "其他", Reason.SYNONYM),  # case: 其它, the variant character
        (CATEGORY, "其它", "其他", Reason.SYNONYM),  # case: the same in 项目类别
        (STAGE, "已终止", "终止", Reason.SYNONYM),  # case: a stage written as a state
        (CATEGORY, "“双带头人”教师党支部书记工作室", "“双带头人”教师党支部书记工作室", None),  # case: exact
        (
            CATEGORY,
            '"双带头人"教师党支部书记工作室',
            "“双带头人”教师党支部书记工作室",
            Reason.QUOTE_STYLE,
        ),  # case: ASCII
        (
            CATEGORY,
            "「双带头人」教师党支部书记工作室",
            "“双带头人”教师党支部书记工作室",
            Reason.QUOTE_STYLE,
        ),  # case: corner
        (
            CATEGORY,
            "双带头人教师党支部书记工作室",
            "“双带头人”教师党支部书记工作室",
            Reason.QUOTE_STYLE,
        ),  # case: none
        (CATEGORY, "三全育人综合改革", "“三全育人”综合改革", Reason.QUOTE_STYLE),  # case: another category
    ],
)
def test_choice_readings(spec, raw: str, value: str, note_code: str | None) -> None:
    result = parse_enum(spec, raw)

    assert (result.value, result.code) == (value, note_code)


def test_every_province_is_accepted_in_full_and_short_form() -> None:
    from core.forms import PROVINCE_SYNONYMS

    for written in (*PROVINCES, *PROVINCE_SYNONYMS):
        assert parse_enum(PROVINCE, written).value in PROVINCES


@pytest.mark.parametrize(
    ("spec", "raw", "code"),
    [
        (PROVINCE, "河北南", Reason.BAD_PROVINCE),  # case: no such province
        (LEVEL, "研究生院", Reason.NOT_A_CHOICE),  # case: not a level
        (CATEGORY, "党建", Reason.NOT_A_CHOICE),  # case: part of a category
    ],
)
def test_choice_refusals(spec, raw: str, code: str) -> None:
    assert _error_code(parse_enum, spec, raw) == code


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "noted"),
    [
        (dt.date(2024, 3, 1), False),  # case: Excel date
        (dt.datetime(2024, 3, 1), False),  # case: Excel date-time at midnight
        ("2024-03-01", False),  # case: ISO text
        ("2024/3/1", True),  # case: slashes
        ("2024.03.01", True),  # case: dots
        ("2024年3月1日", True),  # case: Chinese
        ("２０２４年３月１日", True),  # case: full-width digits
        ("20240301", True),  # case: compact
        (45352, True),  # case: Excel serial number in a general-format cell
    ],
)
def test_date_variants(raw: Any, noted: bool) -> None:
    result = parse_date(raw)

    assert result.value == dt.date(2024, 3, 1)
    assert (result.note is not None) == noted


@pytest.mark.parametrize(
    "raw",
    [
        "2024-02-30",  # case: no such day
        "明年三月",  # case: words
        "2024-13-01",  # case: no such month
        12,  # case: a small number is no date
    ],
)
def test_date_refusals(raw: Any) -> None:
    assert _error_code(parse_date, raw) == Reason.BAD_DATE


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("4141010001.0", "4141010001"),  # case: a float written out as text (pandas, CSV exports)
        ('="4141010001"', "4141010001"),  # case: Excel's keep-as-text formula in a CSV
        ("'4141010001", "4141010001"),  # case: an apostrophe typed into a CSV
        ('"4141010001"', "4141010001"),  # case: quotes left around the code
    ],
)
def test_codes_as_other_systems_write_them(raw: str, code: str) -> None:
    result = parse_code(raw)

    assert (result.value, result.code) == (code, Reason.NUMBER_CLEANED)


def test_a_date_typed_as_the_number_20240301_reads_like_the_text() -> None:
    assert parse_date(20240301).value == parse_date("20240301").value == dt.date(2024, 3, 1)


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_written_form_of_a_date_reads_back(day: dt.date) -> None:
    for text in (
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month:02d}.{day.day:02d}",
        f"{day.year}年{day.month}月{day.day}日",
    ):
        assert parse_date(text).value == day
    assert parse_date((day - dt.date(1899, 12, 30)).days).value == day


# --- percents -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "formatted", "value"),
    [
        (85, False, 85.0),  # case: plain number
        ("85", False, 85.0),  # case: text
        ("85%", False, 85.0),  # case: text with percent sign
        ("８５％", False, 85.0),  # case: full-width
        (0.85, True, 85.0),  # case: 0.85 in a percent-formatted cell
        (1, True, 100.0),  # case: 100% formatted
        (0, False, 0.0),  # case: zero
        (100, False, 100.0),  # case: complete
    ],
)
def test_percent_readings(raw: Any, formatted: bool, value: float) -> None:
    assert parse_percent(raw, percent_formatted=formatted).value == value


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (101, Reason.PERCENT_RANGE),  # case: above 100
        (-5, Reason.PERCENT_RANGE),  # case: negative
        ("很多", Reason.NOT_A_NUMBER),  # case: words
        ("120%", Reason.PERCENT_RANGE),  # case: text above 100
    ],
)
def test_percent_refusals(raw: Any, code: str) -> None:
    assert _error_code(parse_percent, raw) == code


@pytest.mark.parametrize("raw", ["0.85", 0.85, "1", 1])
def test_a_fraction_without_percent_is_read_as_written_and_said_so(raw: Any) -> None:
    """0.85 in a CSV (every cell is text there) used to pass with no note at all."""
    result = parse_percent(raw)

    assert result.code == Reason.PERCENT_FORMAT
    assert result.value == float(raw) and "如指" in result.note


def test_a_percent_formatted_cell_is_reported_and_one_showing_8500_percent_says_so() -> None:
    assert (
        parse_percent(0.85, percent_formatted=True).code == Reason.PERCENT_FORMAT
    )  # reported, as the spec asks

    with pytest.raises(NormalizeError) as refused:
        parse_percent(85, percent_formatted=True)

    assert "显示为 8500%" in refused.value.message and "85%" in refused.value.message


def test_unformatted_fraction_is_kept_but_questioned() -> None:
    result = parse_percent(0.85)

    assert result.value == 0.85
    assert "如指 85%，请填写 85" in result.note


@given(st.integers(min_value=0, max_value=10000))
def test_percent_written_any_way_means_the_same(hundredths: int) -> None:
    percent = hundredths / 100
    assert parse_percent(f"{percent}%").value == pytest.approx(percent)
    assert parse_percent(percent).value == pytest.approx(percent)
    assert parse_percent(percent / 100, percent_formatted=True).value == pytest.approx(percent)


# --- headers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form_name", "written", "key"),
    [
        ("staffing", "专职辅导员数", "counselors_ft"),  # case: canonical
        ("staffing", "专职辅导员（人）", "counselors_ft"),  # case: unit in full-width brackets
        ("staffing", "专职辅导员(人)", "counselors_ft"),  # case: alias with ASCII brackets
        ("staffing", "专职辅导员人数", "counselors_ft"),  # case: alias
        ("staffing", " 全日制本专科\n在校生数 ", "undergrad"),  # case: alias with a line break and spaces
        ("staffing", "全日制本专科生数（人）", "undergrad"),  # case: canonical with unit
        ("staffing", "*学年", "year"),  # case: required mark
        ("staffing", "学校标识码（10位）", "code"),  # case: a remark in brackets
        ("screening", "一级预警人数", "high"),  # case: screening level alias
        ("screening", "三级关注人数(人)", "watch"),  # case: level alias with unit
        ("screening", "参测人数", "screened"),  # case: alias
        ("projects", "完成进度（%）", "progress"),  # case: percent unit
        ("projects", "完成进度(％)", "progress"),  # case: full-width percent sign
        ("staffing", "序号", None),  # case: not a field
        ("staffing", "兼职辅导员（人）", "counselors_pt"),  # case: the unit stands for the trailing 数
        ("staffing", "全日制本专科生(人)", "undergrad"),  # case: the same for a required count
        ("staffing", "心理健康教育专职教师（名）", "psy_teachers"),  # case: an alias's stem and another unit
        ("screening", "高风险（人）", "high"),  # case: the unit stands for the trailing 人数
        ("screening", "二级预警", "medium"),  # case: a level alias's stem
        ("staffing", "学校标识", None),  # case: only counts have stems
        ("staffing", "本专科生（含成人教育）", None),  # case: a remark that changes what is counted
        ("staffing", "研究生（含非全日制）", None),  # case: the same for postgraduates
        ("screening", "应测（人次）", None),  # case: person-times are not persons
        ("staffing", "全日制本专科生数（不含成人教育）", "undergrad"),  # case: a remark that only clarifies
    ],
)
def test_header_matching(form_name: str, written: str, key: str | None) -> None:
    assert match_header(FORMS[form_name], written) == key


def test_every_declared_header_and_alias_matches_its_field() -> None:
    for form in FORMS.values():
        for spec in form.fields:
            for written in (spec.header, *spec.aliases):
                assert match_header(form, written) == spec.key

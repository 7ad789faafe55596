"""Synthetic sample data for the four forms, and loading it through the intake pipeline.

Everything here is fictional, so no real institution is ever paired with invented
figures. Every name is 示例 + a province's short name + a 天干 code (甲 … 癸, then 甲一 …
癸一, 甲二 …) + a discipline and a type word, e.g. 示例河南戊理工大学 or
示例河南甲一水利职业技术学院: no real institution has a 天干 right after its province,
so a name is never a real one with 示例 in front. The 10-digit codes are synthetic too
(41 + the province's GB code + 9 + a serial). One fixed random seed makes the output
identical on every run: the committed workbooks, the tests and the demos all see the
same data.

The spread is chosen so that every screen has something to show: about a third of
the institutions below the 1:200 counselor standard in the newest year (a few far
below), ratios slowly improving over the years, some institutions with no
psychology teacher or with teacher counts not reported, screening coverage mostly
95–100 % with some below, follow-up mostly complete, a few institutions that did not
submit (so the 未报送名单 is not empty), and projects in every category and stage,
some overdue and some due within 60 days of :data:`SAMPLE_TODAY`.

The rows are filed the way offices file them: staffing per 学年 and screening per
学年 and 学期, each period in a main batch and a small 补报 (5–10 % of the
institutions that reported it, in a file named …_补报). Seeding imports each file
through intake (core.ingest.import_path), then dates its upload to a SIMULATED
submission time: the main batch a few days before the period's default deadline
(core.deadlines), the 补报 10–20 days after it, at office hours Beijing time (stored
in UTC), so the 报送情况 page shows a realistic mix of 按时报送 and 逾期报送. The
高校名录 is dated to the start of the first 学年 and the 项目进度 to SAMPLE_TODAY. The
times are not in the workbooks; they come from :func:`submissions`.

    python -m sample_data.generate      # rewrite the workbooks in sample_data/
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import math
import random
import re
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, update

from core.db import session_scope
from core.deadlines import PERIOD_FORMS, Period, default_deadline, first_year, periods_of_year
from core.formatting import LOCAL_TIME
from core.forms import (
    OWNERSHIPS,
    PROJECT_CATEGORIES,
    PROVINCE_SYNONYMS,
    PROVINCES,
    get_form,
)
from core.models import Upload

SEED = 20251130
SAMPLE_TODAY = dt.date(2025, 11, 30)  # the sample data's "today" (demos run with APP_TODAY=2025-11-30)
DEFAULT_INSTITUTIONS = 120
DEFAULT_YEARS = 3
NEWEST_YEAR_START = 2024  # the newest 学年 is 2024-2025
MIN_PROVINCES = 10
UPLOADER = "示例数据"
SAMPLE_DIR = Path(__file__).resolve().parent
# Each form's file name; a file of one period adds the 学年 (and 学期) and, for the 补报, LATE_SUFFIX.
FILE_LABELS = {
    "institutions": "高校名录",
    "staffing": "队伍配备",
    "screening": "心理筛查",
    "projects": "项目进度",
}
LATE_SUFFIX = "补报"
LATE_SHARE = (0.05, 0.10)  # share of a period's reporters that file after the deadline
ON_TIME_DAYS = (-6, -2)  # main batch: days from the period's deadline
LATE_DAYS = (10, 20)  # 补报: days from the period's deadline
ZIP_TIMESTAMP = (2025, 11, 30, 0, 0, 0)  # fixed, so regenerated workbooks are byte-identical
_MODIFIED = re.compile(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")

Row = dict[str, Any]


class SampleDataError(RuntimeError):
    """A sample file was not accepted by intake (the message lists its errors)."""


@dataclass(frozen=True)
class _Province:
    gb_code: str  # GB/T 2260 two-digit code, used inside the synthetic 学校标识码
    weight: int  # roughly the number of institutions, for a national-looking spread
    cities: tuple[str, ...]


# Largest first, so a regional sample takes the provinces with most institutions.
_PROVINCE_PROFILES: dict[str, _Province] = {
    "河南省": _Province("41", 174, ("郑州市", "洛阳市", "新乡市")),
    "江苏省": _Province("32", 168, ("南京市", "苏州市", "徐州市")),
    "广东省": _Province("44", 160, ("广州市", "深圳市", "珠海市")),
    "山东省": _Province("37", 153, ("济南市", "青岛市", "烟台市")),
    "四川省": _Province("51", 137, ("成都市", "绵阳市", "南充市")),
    "湖北省": _Province("42", 130, ("武汉市", "宜昌市", "襄阳市")),
    "湖南省": _Province("43", 128, ("长沙市", "湘潭市", "衡阳市")),
    "河北省": _Province("13", 125, ("石家庄市", "保定市", "唐山市")),
    "安徽省": _Province("34", 121, ("合肥市", "芜湖市", "蚌埠市")),
    "辽宁省": _Province("21", 114, ("沈阳市", "大连市", "锦州市")),
    "浙江省": _Province("33", 109, ("杭州市", "宁波市", "温州市")),
    "江西省": _Province("36", 107, ("南昌市", "赣州市", "九江市")),
    "陕西省": _Province("61", 97, ("西安市", "咸阳市", "宝鸡市")),
    "北京市": _Province("11", 92, ("北京市",)),
    "福建省": _Province("35", 89, ("福州市", "厦门市", "泉州市")),
    "山西省": _Province("14", 87, ("太原市", "大同市", "晋中市")),
    "云南省": _Province("53", 86, ("昆明市", "曲靖市", "玉溪市")),
    "广西壮族自治区": _Province("45", 85, ("南宁市", "桂林市", "柳州市")),
    "黑龙江省": _Province("23", 78, ("哈尔滨市", "齐齐哈尔市", "佳木斯市")),
    "贵州省": _Province("52", 75, ("贵阳市", "遵义市", "安顺市")),
    "重庆市": _Province("50", 72, ("重庆市",)),
    "吉林省": _Province("22", 66, ("长春市", "吉林市", "四平市")),
    "上海市": _Province("31", 64, ("上海市",)),
    "新疆维吾尔自治区": _Province("65", 60, ("乌鲁木齐市", "石河子市", "喀什市")),
    "天津市": _Province("12", 56, ("天津市",)),
    "内蒙古自治区": _Province("15", 54, ("呼和浩特市", "包头市", "赤峰市")),
    "甘肃省": _Province("62", 50, ("兰州市", "天水市", "张掖市")),
    "海南省": _Province("46", 21, ("海口市", "三亚市")),
    "宁夏回族自治区": _Province("64", 21, ("银川市", "吴忠市")),
    "青海省": _Province("63", 12, ("西宁市",)),
    "西藏自治区": _Province("54", 7, ("拉萨市", "林芝市")),
}

_UNDERGRAD_DISCIPLINES = (
    "理工", "师范", "财经", "医科", "农业", "工业", "科技", "外国语", "交通",
    "艺术", "中医药", "政法", "工程", "文理", "城市建设", "信息工程", "石油化工",
)  # fmt: skip
_VOCATIONAL_DISCIPLINES = (
    "工业", "交通", "建筑", "信息", "商贸", "经贸", "医药", "农林", "旅游",
    "电子", "机电", "水利", "轻工", "财经", "传媒", "健康", "铁道",
)  # fmt: skip
_JOINT_DISCIPLINES = ("国际", "中外合作", "国际商务", "国际工程")
_SUFFIXES = {
    ("本科", "公办"): ("大学", "学院"),
    ("本科", "民办"): ("学院", "应用技术学院"),
    ("本科", "中外合作办学"): ("大学", "学院"),
    ("高职（专科）", "公办"): ("职业技术学院", "职业学院"),
    ("高职（专科）", "民办"): ("职业学院", "职业技术学院"),
}
_DEPARTMENTS = (
    "马克思主义学院", "机械工程学院", "信息工程学院", "经济管理学院", "文学院", "护理学院",
    "化学化工学院", "外国语学院", "建筑工程学院", "教育学院", "艺术设计学院", "数学与统计学院",
)  # fmt: skip
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
_CHINESE_DIGITS = "零一二三四五六七八九"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"


# --- the dataset ---------------------------------------------------------------------


@dataclass
class Dataset:
    """Rows of each form, keyed by the form's field keys, in the order they are filed."""

    institutions: list[Row] = field(default_factory=list)
    staffing: list[Row] = field(default_factory=list)
    screening: list[Row] = field(default_factory=list)
    projects: list[Row] = field(default_factory=list)

    def rows(self, form_name: str) -> list[Row]:
        return getattr(self, form_name)

    def years(self) -> list[str]:
        """The 学年 reported in, oldest first."""
        return sorted({row["year"] for form_name in PERIOD_FORMS for row in self.rows(form_name)})


@dataclass
class _School:
    """One institution's row plus the hidden traits its yearly figures follow."""

    row: Row
    undergrad: int  # newest year; earlier years are smaller by ``growth`` a year
    postgrad: int
    growth: float
    counselor_ratio: float  # students per 专职辅导员 in the newest year
    ideo_ratio: float
    psy_ratio: float | None  # None: the institution has no psychology teacher at all
    improvement: float  # yearly improvement of the ratios (earlier years were worse)

    @property
    def code(self) -> str:
        return self.row["code"]

    @property
    def name(self) -> str:
        return self.row["name"]


def academic_years(count: int, newest_start: int = NEWEST_YEAR_START) -> list[str]:
    """The ``count`` academic years ending with the newest one, oldest first."""
    return [f"{start}-{start + 1}" for start in range(newest_start - count + 1, newest_start + 1)]


def generate_dataset(
    institutions: int = DEFAULT_INSTITUTIONS, years: int = DEFAULT_YEARS, *, seed: int = SEED
) -> Dataset:
    """A complete synthetic dataset; the same arguments always give the same rows.

    120 institutions cover the 12 provinces with most institutions; from 310 on
    every one of the 31 provincial units is present (3000 × 10 is national scale).
    """
    if institutions < 1 or years < 1:
        raise ValueError("institutions 和 years 都须为正整数")
    rng = random.Random(seed)
    schools = _make_schools(rng, institutions)
    year_names = academic_years(years)
    dataset = Dataset(institutions=[school.row for school in schools])
    for index, year in enumerate(year_names):
        years_before_newest = len(year_names) - 1 - index
        progress = index / max(1, len(year_names) - 1)  # 0 oldest … 1 newest
        newest = years_before_newest == 0
        staffing_missing = _non_reporters(rng, schools, newest)
        fall_missing = _non_reporters(rng, schools, newest)
        spring_missing = _non_reporters(rng, schools, newest, share=0.04)
        for school in schools:
            students = _students(school, years_before_newest)
            if school.code not in staffing_missing:
                dataset.staffing.append(_staffing_row(rng, school, year, students, years_before_newest))
            fall, spring = _screening_rows(rng, school, year, students, progress)
            if school.code not in fall_missing:
                dataset.screening.append(fall)
            if spring is not None and school.code not in spring_missing:
                dataset.screening.append(spring)
    dataset.projects = _make_projects(rng, schools, max(len(PROJECT_CATEGORIES), institutions // 2))
    return dataset


# --- institutions --------------------------------------------------------------------


@functools.cache
def _short_province(full: str) -> str:
    return min((short for short, target in PROVINCE_SYNONYMS.items() if target == full), key=len)


def _chosen_provinces(institutions: int) -> list[str]:
    count = min(len(PROVINCES), max(MIN_PROVINCES, institutions // 10), institutions)
    return list(_PROVINCE_PROFILES)[:count]


def _apportion(total: int, provinces: Sequence[str]) -> dict[str, int]:
    """Largest-remainder split of ``total`` by province weight, at least 1 each."""
    weights = [_PROVINCE_PROFILES[name].weight for name in provinces]
    spare = total - len(provinces)
    shares = [spare * weight / sum(weights) for weight in weights]
    counts = [1 + math.floor(share) for share in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: shares[i] - math.floor(shares[i]), reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return dict(zip(provinces, counts, strict=True))


def _make_schools(rng: random.Random, institutions: int) -> list[_School]:
    schools: list[_School] = []
    for province, count in _apportion(institutions, _chosen_provinces(institutions)).items():
        for serial in range(1, count + 1):
            row = _institution_row(rng, province, serial)
            schools.append(_school_traits(rng, row))
    return schools


def _institution_row(rng: random.Random, province: str, serial: int) -> Row:
    profile = _PROVINCE_PROFILES[province]
    level = "本科" if rng.random() < 0.45 else "高职（专科）"
    ownership = rng.choices(OWNERSHIPS, weights=(72, 24, 4))[0]
    if ownership == "中外合作办学" and level != "本科":
        ownership = "民办"
    city = rng.choice(profile.cities)
    return {
        "code": f"41{profile.gb_code}9{serial:05d}",
        "name": _fictional_name(rng, province, serial, level, ownership),
        "province": province,
        "level": level,
        "ownership": ownership,
        "authority": _authority(rng, level, ownership),
        "city": city,
    }


def _fictional_name(rng: random.Random, province: str, serial: int, level: str, ownership: str) -> str:
    """示例 + the province's short name + the serial's 天干 code + a discipline and a type word.

    The code follows the serial within the province, so names are unique, and puts a
    天干 where no real institution has one; discipline and type word only make the name
    read like a school's.
    """
    if ownership == "中外合作办学":
        disciplines = _JOINT_DISCIPLINES
    elif level == "本科":
        disciplines = _UNDERGRAD_DISCIPLINES
    else:
        disciplines = _VOCATIONAL_DISCIPLINES
    combos = [(d, s) for d in disciplines for s in _SUFFIXES[(level, ownership)] if d not in s]
    rng.shuffle(combos)  # a shuffle, not a choice: the random stream the sample figures were made with
    discipline, suffix = combos[0]
    return f"示例{_short_province(province)}{_stem_code(serial)}{discipline}{suffix}"


def _stem_code(serial: int) -> str:
    """1 → 甲, 10 → 癸, 11 → 甲一, 23 → 丙二: a 天干, then the round once all ten are used."""
    round_, stem = divmod(serial - 1, len(_HEAVENLY_STEMS))
    if round_ > 99:
        raise ValueError("每个省份最多生成 1,000 所示例高校")
    return _HEAVENLY_STEMS[stem] + (_chinese_number(round_) if round_ else "")


def _chinese_number(number: int) -> str:
    """2 → 二, 10 → 十, 23 → 二十三 (1–99)."""
    tens, ones = divmod(number, 10)
    if tens == 0:
        return _CHINESE_DIGITS[ones]
    prefix = "" if tens == 1 else _CHINESE_DIGITS[tens]
    return prefix + "十" + (_CHINESE_DIGITS[ones] if ones else "")


def _authority(rng: random.Random, level: str, ownership: str) -> str:
    if ownership != "公办":
        return "省教育厅"
    if level == "本科":
        return rng.choices(("教育部", "其他中央部门", "省教育厅"), weights=(10, 5, 85))[0]
    return rng.choices(("省教育厅", "市人民政府", "省级行业主管部门"), weights=(55, 30, 15))[0]


def _school_traits(rng: random.Random, row: Row) -> _School:
    undergrad, postgrad = _newest_students(rng, row)
    return _School(
        row=row,
        undergrad=undergrad,
        postgrad=postgrad,
        growth=rng.uniform(0.0, 0.04),
        counselor_ratio=_counselor_ratio(rng),
        ideo_ratio=rng.uniform(240, 400),
        psy_ratio=_psy_ratio(rng),
        improvement=rng.uniform(0.01, 0.05),
    )


def _newest_students(rng: random.Random, row: Row) -> tuple[int, int]:
    level, ownership, authority = row["level"], row["ownership"], row["authority"]
    if level != "本科":
        return rng.randint(5000, 18000), 0
    if ownership == "中外合作办学":
        return rng.randint(3000, 9000), rng.randint(200, 1500)
    if ownership == "民办":
        return rng.randint(8000, 22000), (rng.randint(100, 600) if rng.random() < 0.1 else 0)
    if authority in ("教育部", "其他中央部门"):
        return rng.randint(15000, 30000), rng.randint(8000, 25000)
    return rng.randint(12000, 30000), (rng.randint(500, 6000) if rng.random() < 0.7 else 0)


def _counselor_ratio(rng: random.Random) -> float:
    """Students per counselor in the newest year: ~65 % within 1:200, ~28 % above, ~7 % far above."""
    draw = rng.random()
    if draw < 0.65:
        return rng.uniform(140, 199)
    if draw < 0.93:
        return rng.uniform(203, 260)
    return rng.uniform(300, 480)


def _psy_ratio(rng: random.Random) -> float | None:
    draw = rng.random()
    if draw < 0.06:
        return None
    if draw < 0.15:
        return rng.uniform(6000, 12000)  # well short of 1:4000
    return rng.uniform(2200, 4200)


# --- staffing ------------------------------------------------------------------------


def _students(school: _School, years_before_newest: int) -> tuple[int, int]:
    shrink = (1 + school.growth) ** years_before_newest
    return round(school.undergrad / shrink), round(school.postgrad / shrink)


def _non_reporters(
    rng: random.Random, schools: Sequence[_School], newest: bool, share: float = 0.02
) -> set[str]:
    """Codes of the institutions that did not submit for one period (always a few in the newest)."""
    count = max(2, round(len(schools) * (share + 0.01))) if newest else round(len(schools) * share * 0.5)
    count = min(count, len(schools) // 10)
    return {school.code for school in rng.sample(list(schools), count)}


def _staff_for(students: int, ratio: float) -> int:
    return max(1, math.ceil(students / ratio))


def _staffing_row(
    rng: random.Random, school: _School, year: str, students: tuple[int, int], years_before_newest: int
) -> Row:
    undergrad, postgrad = students
    total = undergrad + postgrad
    worse = (1 + school.improvement) ** years_before_newest  # earlier years had fewer staff
    counselors = _staff_for(total, min(650.0, school.counselor_ratio * worse))
    ideo = _staff_for(total, school.ideo_ratio * worse)
    psy = 0 if school.psy_ratio is None else _staff_for(total, school.psy_ratio * worse)
    return {
        "code": school.code,
        "name": school.name,
        "year": year,
        "undergrad": undergrad,
        "postgrad": postgrad,
        "counselors_ft": counselors,
        "counselors_pt": round(counselors * rng.uniform(0.05, 0.5)),
        "ideo_teachers": None if rng.random() < 0.06 else ideo,
        "psy_teachers": None if rng.random() < 0.05 else psy,
    }


# --- screening -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Rates:
    high: tuple[float, float]
    medium: tuple[float, float]
    watch: tuple[float, float]


_GENERAL_RATES = _Rates(high=(0.003, 0.01), medium=(0.01, 0.03), watch=(0.03, 0.06))
_RECHECK_RATES = _Rates(high=(0.06, 0.14), medium=(0.18, 0.28), watch=(0.2, 0.3))  # a flagged population


def _screening_rows(
    rng: random.Random, school: _School, year: str, students: tuple[int, int], progress: float
) -> tuple[Row, Row | None]:
    """The 秋季学期 新生普查 row and the 春季学期 row (None: no spring screening)."""
    undergrad, postgrad = students
    cohort_share = 1 / 4 if school.row["level"] == "本科" else 1 / 3
    freshmen = round(undergrad * cohort_share + postgrad * 0.36)
    fall = _screening_row(rng, school, year, "秋季学期", "新生普查", freshmen, _GENERAL_RATES, progress)
    kind = rng.choices(("全体学生普查", "重点人群复查", "其他", None), weights=(36, 52, 6, 6))[0]
    if kind is None:
        return fall, None
    if kind == "重点人群复查":
        target, rates = _flagged(fall), _RECHECK_RATES
    elif kind == "全体学生普查":
        target, rates = undergrad + postgrad, _GENERAL_RATES
    else:  # 毕业年级测评
        target, rates = round(undergrad * cohort_share), _GENERAL_RATES
    return fall, _screening_row(rng, school, year, "春季学期", kind, target, rates, progress)


def _flagged(row: Row) -> int:
    return row["high"] + row["medium"] + row["watch"]


def _screening_row(
    rng: random.Random,
    school: _School,
    year: str,
    term: str,
    kind: str,
    target: int,
    rates: _Rates,
    progress: float,
) -> Row:
    screened = _screened(rng, target, progress)
    high = round(screened * rng.uniform(*rates.high))
    medium = round(screened * rng.uniform(*rates.medium))
    watch = round(screened * rng.uniform(*rates.watch))
    flagged = high + medium + watch
    complete = rng.random() < 0.6 + 0.25 * progress
    interviewed = flagged if complete else math.floor(flagged * rng.uniform(0.5, 0.97))
    return {
        "code": school.code,
        "name": school.name,
        "year": year,
        "term": term,
        "kind": kind,
        "target": target,
        "screened": screened,
        "high": high,
        "medium": medium,
        "watch": watch,
        "interviewed": interviewed,
        "referred": min(flagged, round(high * rng.uniform(0.2, 0.6) + medium * rng.uniform(0.0, 0.05))),
        "crisis": round(high * rng.uniform(0.0, 0.08)),
    }


def _screened(rng: random.Random, target: int, progress: float) -> int:
    """Coverage mostly 95–100 % (a third complete), below 95 % for ~15 % of rows, fewer later on."""
    draw = rng.random()
    if draw < 0.16 - 0.07 * progress:
        return math.floor(target * rng.uniform(0.78, 0.945))
    if draw < 0.45:
        return target
    return min(target, math.ceil(target * rng.uniform(0.95, 0.999)))


# --- projects ------------------------------------------------------------------------

# scenario → its weight; a scenario fixes how the project stands at SAMPLE_TODAY.
_SCENARIOS = {"done": 24, "overdue": 14, "due_soon": 9, "on_track": 38, "terminated": 7, "applied": 8}
# due date relative to SAMPLE_TODAY, in days, for the scenarios that are fixed by it
_DUE_OFFSETS = {"done": (-900, 0), "overdue": (-400, -1), "due_soon": (1, 60), "terminated": (-400, 400)}
_ON_TRACK_STAGES = {
    "立项": (0.02, 0.12),
    "培育建设": (0.15, 0.5),
    "中期检查": (0.45, 0.75),
    "验收": (0.8, 0.93),
}
_BATCH_BY_YEAR = {2021: "第一批", 2022: "第二批", 2023: "第三批"}  # 2024 and later: 第四批
# Together these cover every stage and every scenario, so even a small dataset shows them all.
_REQUIRED_PLANS = (
    ("applied", "申报"),
    ("on_track", "立项"),
    ("on_track", "培育建设"),
    ("on_track", "中期检查"),
    ("on_track", "验收"),
    ("done", "已验收通过"),
    ("terminated", "终止"),
    ("overdue", "中期检查"),
    ("due_soon", "验收"),
)


def _make_projects(rng: random.Random, schools: Sequence[_School], count: int) -> list[Row]:
    weights = [_project_weight(school.row) for school in schools]
    categories = _covering(
        rng, PROJECT_CATEGORIES, count, lambda: rng.choices(PROJECT_CATEGORIES, weights=[10] * 9 + [3])[0]
    )
    plans = _covering(rng, _REQUIRED_PLANS, count, lambda: _draw_plan(rng))
    projects = []
    for serial, (category, (scenario, stage)) in enumerate(zip(categories, plans, strict=True), start=1):
        school = rng.choices(schools, weights=weights)[0]
        projects.append(_project_row(rng, serial, school, category, scenario, stage))
    return projects


def _covering(rng: random.Random, required: Sequence[Any], count: int, draw: Callable[[], Any]) -> list[Any]:
    """Each of ``required`` once (as far as ``count`` allows), then ``draw()`` for the rest; shuffled."""
    picks = list(required[:count]) + [draw() for _ in range(count - len(required))]
    rng.shuffle(picks)
    return picks


def _draw_plan(rng: random.Random) -> tuple[str, str]:
    """A random (scenario, stage), by scenario weight."""
    scenario = rng.choices(list(_SCENARIOS), weights=list(_SCENARIOS.values()))[0]
    stage = {
        "done": "已验收通过",
        "terminated": "终止",
        "applied": "申报",
        "overdue": rng.choice(("培育建设", "中期检查", "中期检查", "验收", "验收")),
        "due_soon": rng.choice(("培育建设", "中期检查", "验收", "验收")),
        "on_track": rng.choices(list(_ON_TRACK_STAGES), weights=(15, 40, 30, 15))[0],
    }[scenario]
    return scenario, stage


def _project_weight(row: Row) -> float:
    if row["level"] == "本科":
        return 4 if row["ownership"] == "公办" else 1
    return 2 if row["ownership"] == "公办" else 0.5


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + year, month + 1, 1)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _month_end(start: dt.date, months: int) -> dt.date:
    """The last day of the ``months``-th month from ``start``'s month."""
    return _add_months(start, months) - dt.timedelta(days=1)


def _project_dates(rng: random.Random, scenario: str, stage: str) -> tuple[dt.date, dt.date]:
    """(立项日期, 计划完成日期) that put the project in ``scenario`` at SAMPLE_TODAY."""
    months = rng.choice((24, 24, 30, 36))
    if scenario == "applied":  # planned to start after review
        start = _month_start(SAMPLE_TODAY + dt.timedelta(days=rng.randint(20, 120)))
        return start, _month_end(start, months)
    if scenario == "on_track":  # started long enough ago to be at ``stage``; due after the 60-day window
        elapsed = rng.uniform(*_ON_TRACK_STAGES[stage]) * months * 365.25 / 12
        start = _month_start(SAMPLE_TODAY - dt.timedelta(days=round(elapsed)))
        return start, max(_month_end(start, months), SAMPLE_TODAY + dt.timedelta(days=61))
    low, high = _DUE_OFFSETS[scenario]
    due = SAMPLE_TODAY + dt.timedelta(days=rng.randint(low, high))
    return _month_start(_add_months(due, -months)), due


def _progress(rng: random.Random, scenario: str, stage: str, start: dt.date, due: dt.date) -> int:
    if stage == "已验收通过":
        return 100
    if stage == "申报":
        return 0
    if stage == "终止":
        return rng.randint(10, 60)
    elapsed = (SAMPLE_TODAY - start).days / max(1, (due - start).days)
    floor, ceiling = {"立项": (0, 15), "培育建设": (10, 65), "中期检查": (40, 75), "验收": (85, 98)}[stage]
    lag = rng.uniform(0.6, 1.0) if scenario == "overdue" else rng.uniform(0.85, 1.1)
    return max(floor, min(ceiling, round(elapsed * 100 * lag)))


def _project_title(rng: random.Random, unit: str, category: str) -> str:
    department = rng.choice(_DEPARTMENTS)
    return {
        "党建示范高校": f"{unit}党建工作示范高校创建",
        "党建标杆院系": f"{unit}{department}党建工作标杆院系培育创建",
        "党建样板支部": f"{unit}{department}教工第{_chinese_number(rng.randint(1, 4))}党支部样板支部建设",
        "“双带头人”教师党支部书记工作室": f"{unit}{department}“双带头人”教师党支部书记工作室",
        "思政工作精品项目": f"{unit}{rng.choice(('实践育人', '文化育人', '资助育人', '课程思政'))}精品项目",
        "“三全育人”综合改革": f"{unit}“三全育人”综合改革试点建设",
        "“一站式”学生社区": f"{unit}“一站式”学生社区综合管理模式建设",
        "网络思政": f"{unit}网络思政工作室建设",
        "心理健康教育": f"{unit}{rng.choice(('心理健康教育示范中心', '朋辈心理辅导体系'))}建设",
        "其他": f"{unit}辅导员工作精品项目",
    }[category]


def _project_row(
    rng: random.Random, serial: int, school: _School, category: str, scenario: str, stage: str
) -> Row:
    start, due = _project_dates(rng, scenario, stage)
    batch = _BATCH_BY_YEAR.get(start.year, "第一批" if start.year < 2021 else "第四批")
    notes = {"overdue": "进度滞后，已督办", "terminated": "承担单位申请终止，已批准", "applied": "待评审"}
    note = notes.get(scenario) if scenario != "overdue" or rng.random() < 0.5 else None
    return {
        "project_id": f"XM-{start.year}-{serial:04d}",
        "title": _project_title(rng, school.name, category),
        "category": category,
        "batch": batch,
        "code": school.code,
        "unit": school.name,
        "start": start,
        "due": due,
        "stage": stage,
        "progress": _progress(rng, scenario, stage, start, due),
        "updated": _last_update(rng, start, due),
        "lead": f"{rng.choice(_SURNAMES)}老师",
        "note": note,
    }


def _last_update(rng: random.Random, start: dt.date, due: dt.date) -> dt.date:
    latest = min(SAMPLE_TODAY, due + dt.timedelta(days=45))
    earliest = min(start, latest)
    return max(earliest, latest - dt.timedelta(days=rng.randint(0, 150)))


# --- submissions ---------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """One simulated submission: the file of one form, and when it was filed (UTC).

    A period's rows come in two files: the main batch, filed a few days before the
    period's deadline, and the 补报 (``late``) of the few institutions that filed after it.
    """

    form: str
    filed_at: dt.datetime
    period: Period | None = None  # None: 高校名录 and 项目进度 are not reported per period
    late: bool = False

    @property
    def stem(self) -> str:
        """The file name without its suffix: 高校名录, 队伍配备_2024-2025, 心理筛查_2024-2025_秋季学期_补报 …"""
        period = (self.period.year, self.period.term) if self.period else ()
        return "_".join(filter(None, (FILE_LABELS[self.form], *period, LATE_SUFFIX if self.late else None)))


def submissions(years: Sequence[str]) -> list[Submission]:
    """Every submission of a sample covering ``years`` (oldest first), in the order they were filed.

    The 高校名录 at the start of the first 学年; each period's main batch and 补报 around its
    default deadline (core.deadlines); the 项目进度 on :data:`SAMPLE_TODAY`.
    """
    periodic = [
        _period_submission(period, late)
        for year in years
        for period in periods_of_year(year)
        for late in (False, True)
    ]
    return [
        Submission("institutions", _office_hours(dt.date(first_year(years[0]), 9, 15))),
        *sorted(periodic, key=lambda submission: submission.filed_at),
        Submission("projects", _office_hours(SAMPLE_TODAY)),
    ]


def _period_submission(period: Period, late: bool) -> Submission:
    """The main batch a few days before the deadline, the 补报 a couple of weeks after it."""
    rng = random.Random(f"{SEED}:{period.label()}:{late}")
    day = default_deadline(period) + dt.timedelta(days=rng.randint(*(LATE_DAYS if late else ON_TIME_DAYS)))
    return Submission(period.form, _office_hours(day, rng), period, late)


def _office_hours(day: dt.date, rng: random.Random | None = None) -> dt.datetime:
    """A time between 08:30 and 17:30 Beijing time on ``day`` (10:00 without ``rng``), in UTC.

    UTC because upload times are stored in UTC; the 报送情况 page judges by the Beijing date.
    """
    minutes = rng.randint(0, 9 * 60) if rng else 90
    local = dt.datetime.combine(day, dt.time(8, 30), tzinfo=LOCAL_TIME) + dt.timedelta(minutes=minutes)
    return local.astimezone(dt.UTC)


def _late_reporters(period: Period, codes: Sequence[str]) -> set[str]:
    """The institutions among ``codes`` (a period's reporters) that filed in its 补报: 5–10 % of them."""
    rng = random.Random(f"{SEED}:{period.label()}:{LATE_SUFFIX}")
    return set(rng.sample(list(codes), round(len(codes) * rng.uniform(*LATE_SHARE))))


def sample_files(dataset: Dataset) -> list[tuple[Submission, list[Row]]]:
    """Each submission of ``dataset`` with its rows, in filing order (one without rows is left out).

    Together the files hold every row of ``dataset`` exactly once.
    """
    by_period: dict[Period, list[Row]] = {}
    for form_name in PERIOD_FORMS:
        for row in dataset.rows(form_name):
            by_period.setdefault(Period(form_name, row["year"], row.get("term")), []).append(row)
    files = []
    for submission in submissions(dataset.years()):
        if submission.period is None:
            rows = dataset.rows(submission.form)
        else:
            in_period = by_period.get(submission.period, [])
            late = _late_reporters(submission.period, [row["code"] for row in in_period])
            rows = [row for row in in_period if (row["code"] in late) == submission.late]
        if rows:
            files.append((submission, rows))
    return files


# --- files ---------------------------------------------------------------------------


def _cells(form_name: str, row: Row) -> list[Any]:
    return [row.get(key) for key in get_form(form_name).keys]


def write_workbooks(dataset: Dataset, folder: Path = SAMPLE_DIR) -> list[Path]:
    """One workbook per submission, in the template layout (core.templates)."""
    from core.templates import template_workbook

    paths = []
    for submission, rows in sample_files(dataset):
        workbook = template_workbook(submission.form)
        sheet = workbook[get_form(submission.form).sheet]
        for row in rows:
            sheet.append(_cells(submission.form, row))
        workbook.properties.created = dt.datetime(*ZIP_TIMESTAMP)
        path = folder / f"{submission.stem}.xlsx"
        workbook.save(path)
        _make_reproducible(path)
        paths.append(path)
    return paths


def _make_reproducible(path: Path) -> None:
    """Fix the archive's entry times and the modified time openpyxl stamps on save.

    So regenerating the workbooks changes no bytes unless the data changed.
    """
    fixed_time = dt.datetime(*ZIP_TIMESTAMP).strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = _MODIFIED.sub(rf"\g<1>{fixed_time}\g<2>", data.decode("utf-8")).encode("utf-8")
            entry = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def write_csv_files(dataset: Dataset, folder: Path) -> list[tuple[Submission, Path]]:
    """(submission, path) of UTF-8 CSV files holding ``dataset``, one per submission, in filing order."""
    files = []
    for submission, rows in sample_files(dataset):
        path = folder / f"{submission.stem}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(get_form(submission.form).headers.values())
            writer.writerows([_csv_value(value) for value in _cells(submission.form, row)] for row in rows)
        files.append((submission, path))
    return files


# --- loading -------------------------------------------------------------------------


def _import_all(engine: Engine, files: Sequence[tuple[Submission, Path]]) -> dict[str, int]:
    """Import every file through intake and date its upload to the simulated filing time.

    Returns the rows stored per form. Raises on any rejection.
    """
    from core.ingest import import_path

    stored = dict.fromkeys(FILE_LABELS, 0)
    for submission, path in files:
        report = import_path(engine, submission.form, path, uploader=UPLOADER)
        if not report.accepted:
            raise SampleDataError(f"示例数据 {path.name} 未通过校验：\n{report.to_text()}")
        _set_filed_at(engine, report.upload_id, submission.filed_at)
        stored[submission.form] += report.rows
    return stored


def _set_filed_at(engine: Engine, upload_id: int | None, filed_at: dt.datetime) -> None:
    with session_scope(engine) as session:
        session.execute(update(Upload).where(Upload.id == upload_id).values(created_at=filed_at))


def _summary(stored: dict[str, int], seconds: float) -> str:
    return (
        f"已载入：高校 {stored['institutions']:,} 所，队伍配备 {stored['staffing']:,} 行，"
        f"心理筛查 {stored['screening']:,} 行，重点项目 {stored['projects']:,} 个（用时 {seconds:.1f} 秒）"
    )


def seed_database(engine: Engine, institutions: int | None = None, years: int | None = None) -> str:
    """Load sample data through the intake pipeline and return a Chinese summary.

    Without options: the committed workbooks in sample_data/. With either option: a
    generated dataset of that size (defaults 120 institutions, 3 years), written to
    CSV files in a temporary folder and imported the same way. Either way each upload
    is then dated to its simulated filing time (see :func:`submissions`).
    """
    started = time.perf_counter()
    if institutions is None and years is None:
        files = [
            (submission, SAMPLE_DIR / f"{submission.stem}.xlsx") for submission in committed_submissions()
        ]
        stored = _import_all(engine, files)
    else:
        dataset = generate_dataset(institutions or DEFAULT_INSTITUTIONS, years or DEFAULT_YEARS)
        with tempfile.TemporaryDirectory(prefix="sample_data_") as folder:
            stored = _import_all(engine, write_csv_files(dataset, Path(folder)))
    return _summary(stored, time.perf_counter() - started)


def committed_submissions() -> list[Submission]:
    """The submissions of the committed workbooks (the default dataset)."""
    return submissions(academic_years(DEFAULT_YEARS))


def main() -> int:
    """Regenerate the committed workbooks."""
    for path in write_workbooks(generate_dataset()):
        print(f"已生成：{path.relative_to(SAMPLE_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

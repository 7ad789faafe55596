"""The fictional institutions of the sample data and their yearly staffing and screening figures.

Names are 示例 + a province's short name + a 天干 code + a discipline and a type word; codes
are 41 + the province's GB code + 9 + a serial (see :mod:`sample_data.generate`).
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from core.forms import OWNERSHIPS, PROVINCE_SYNONYMS, PROVINCES
from sample_data.dataset import Row

MIN_PROVINCES = 10


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
_CHINESE_DIGITS = "零一二三四五六七八九"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"


@dataclass
class School:
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


def make_schools(rng: random.Random, institutions: int) -> list[School]:
    schools: list[School] = []
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
    return _HEAVENLY_STEMS[stem] + (chinese_number(round_) if round_ else "")


def chinese_number(number: int) -> str:
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


def _school_traits(rng: random.Random, row: Row) -> School:
    undergrad, postgrad = _newest_students(rng, row)
    return School(
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


def students_in(school: School, years_before_newest: int) -> tuple[int, int]:
    shrink = (1 + school.growth) ** years_before_newest
    return round(school.undergrad / shrink), round(school.postgrad / shrink)


def non_reporters(
    rng: random.Random, schools: Sequence[School], newest: bool, share: float = 0.02
) -> set[str]:
    """Codes of the institutions that did not submit for one period (always a few in the newest)."""
    count = max(2, round(len(schools) * (share + 0.01))) if newest else round(len(schools) * share * 0.5)
    count = min(count, len(schools) // 10)
    return {school.code for school in rng.sample(list(schools), count)}


def _staff_for(students: int, ratio: float) -> int:
    return max(1, math.ceil(students / ratio))


def staffing_row(
    rng: random.Random, school: School, year: str, students: tuple[int, int], years_before_newest: int
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


def screening_rows(
    rng: random.Random, school: School, year: str, students: tuple[int, int], progress: float
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
    school: School,
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

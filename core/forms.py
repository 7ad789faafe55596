"""The four submission forms (报送表), declared once.

Everything else is derived from these declarations: the Excel template and its
填表说明 sheet, header matching (canonical header + aliases), parsing and
normalisation (by field kind), per-cell and per-row validation, the database tables
(core.models builds one table per form from ``FormSpec.fields``), and the CSV export
columns with their Chinese names. The contract is ``shared/spec/forms.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """How a cell is read and normalised (see core.ingest.normalize)."""

    TEXT = "text"
    CODE = "code"  # 10-digit 学校标识码, kept as text
    PROVINCE = "province"
    ENUM = "enum"
    YEAR = "year"  # academic year, canonical 2024-2025
    COUNT = "count"  # whole number >= 0
    DATE = "date"
    PERCENT = "percent"  # 0..100


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    header: str
    kind: Kind
    required: bool = True
    default: Any = None
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    synonyms: Mapping[str, str] = field(default_factory=dict)
    unit: str = ""
    help: str = ""
    max_length: int = 200


@dataclass(frozen=True)
class RowRule:
    """A check over one parsed row; ``check`` returns True when the row is fine.

    ``columns`` names the field the problem is reported on (the first one) and the
    fields that must all be present for the rule to apply.
    """

    code: str
    severity: Severity
    columns: tuple[str, ...]
    check: Callable[[Mapping[str, Any]], bool]
    message: str
    values: Callable[[Mapping[str, Any]], str] | None = None  # the figures compared, in words

    def describe(self, row: Mapping[str, Any]) -> str:
        """The message for ``row``, with the figures it compares when the rule gives them."""
        return f"{self.message}（{self.values(row)}）" if self.values else self.message


@dataclass(frozen=True)
class FormSpec:
    name: str
    title: str
    sheet: str
    table: str
    fields: tuple[FieldSpec, ...]
    key: tuple[str, ...]
    rules: tuple[RowRule, ...] = ()
    institution_field: str | None = "code"  # must exist in 高校名录
    reported_name_field: str | None = "name"  # compared with 高校名录's name → warning

    def field(self, key: str) -> FieldSpec:
        return self._by_key[key]

    @property
    def _by_key(self) -> dict[str, FieldSpec]:
        return {spec.key: spec for spec in self.fields}

    @property
    def keys(self) -> list[str]:
        return [spec.key for spec in self.fields]

    @property
    def headers(self) -> dict[str, str]:
        """key → canonical Chinese header, in form order."""
        return {spec.key: spec.header for spec in self.fields}


# --- shared vocabularies -------------------------------------------------------------

PROVINCES: tuple[str, ...] = (
    "北京市",
    "天津市",
    "河北省",
    "山西省",
    "内蒙古自治区",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "上海市",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "广西壮族自治区",
    "海南省",
    "重庆市",
    "四川省",
    "贵州省",
    "云南省",
    "西藏自治区",
    "陕西省",
    "甘肃省",
    "青海省",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
)


def _province_synonyms() -> dict[str, str]:
    """Short forms of every provincial unit: 河南 → 河南省, 广西 → 广西壮族自治区 …"""
    synonyms: dict[str, str] = {}
    for full in PROVINCES:
        for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市"):
            if full.endswith(suffix):
                short = full[: -len(suffix)]
                synonyms[short] = full
                if suffix.endswith("自治区"):
                    synonyms[short + "自治区"] = full
                break
    return synonyms


PROVINCE_SYNONYMS: dict[str, str] = _province_synonyms()

LEVELS = ("本科", "高职（专科）")
OWNERSHIPS = ("公办", "民办", "中外合作办学")
TERMS = ("秋季学期", "春季学期")
SCREENING_KINDS = ("新生普查", "全体学生普查", "重点人群复查", "其他")
PROJECT_CATEGORIES = (
    "党建示范高校",
    "党建标杆院系",
    "党建样板支部",
    "“双带头人”教师党支部书记工作室",
    "思政工作精品项目",
    "“三全育人”综合改革",
    "“一站式”学生社区",
    "网络思政",
    "心理健康教育",
    "其他",
)
PROJECT_STAGES = ("申报", "立项", "培育建设", "中期检查", "验收", "已验收通过", "终止")
CLOSED_STAGES = ("已验收通过", "终止")

CODE_HELP = "10 位全国高校标识码，按文本填写（保留开头的 0）"
YEAR_HELP = "如 2024-2025；第二个年份须比第一个大 1"


def _code_field(header: str = "学校标识码") -> FieldSpec:
    return FieldSpec("code", header, Kind.CODE, help=CODE_HELP + "；须已在高校名录中", max_length=10)


def _reported_name(key: str = "name", header: str = "学校名称") -> FieldSpec:
    return FieldSpec(key, header, Kind.TEXT, required=False, help="可选；与高校名录不一致时给出警告")


def _count(
    key: str,
    header: str,
    *,
    required: bool = True,
    default: int | None = None,
    aliases: tuple[str, ...] = (),
    help: str = "",
) -> FieldSpec:
    return FieldSpec(
        key,
        header,
        Kind.COUNT,
        required=required,
        default=default,
        aliases=aliases,
        unit="人",
        help=help or "非负整数",
    )


def _total(row: Mapping[str, Any], *keys: str) -> int:
    """Sum of the counts ``keys`` of ``row`` (a blank counts 0). A plain loop: it runs for
    every rule of every row of a 30,000-row upload, where a generator costs ~0.3 s."""
    total = 0
    for key in keys:
        total += row.get(key) or 0
    return total


def _staff_within_students(staff_key: str) -> RowRule:
    def check(row: Mapping[str, Any]) -> bool:
        students = _total(row, "undergrad", "postgrad")
        return students == 0 or row[staff_key] <= students

    return RowRule(
        "staff_exceeds_students",
        Severity.ERROR,
        (staff_key, "undergrad", "postgrad"),
        check,
        "人数大于全日制学生总数（本专科生 + 研究生），请核对后重填",
    )


# --- the forms -----------------------------------------------------------------------

INSTITUTIONS = FormSpec(
    name="institutions",
    title="高校名录",
    sheet="高校名录",
    table="institution",
    key=("code",),
    institution_field=None,
    reported_name_field=None,
    fields=(
        FieldSpec("code", "学校标识码", Kind.CODE, help=CODE_HELP, max_length=10),
        FieldSpec("name", "学校名称", Kind.TEXT, help="学校全称"),
        FieldSpec(
            "province",
            "所在省份",
            Kind.PROVINCE,
            choices=PROVINCES,
            synonyms=PROVINCE_SYNONYMS,
            help="31 个省级行政区之一，可写简称（如 河南、广西）",
        ),
        FieldSpec(
            "level",
            "办学层次",
            Kind.ENUM,
            choices=LEVELS,
            synonyms={
                "专科": "高职（专科）",
                "高职": "高职（专科）",
                "高职高专": "高职（专科）",
                "高职(专科)": "高职（专科）",
            },
        ),
        FieldSpec("ownership", "办学性质", Kind.ENUM, choices=OWNERSHIPS),
        FieldSpec(
            "authority", "主管部门", Kind.TEXT, required=False, help="如 教育部、省教育厅、其他中央部门"
        ),
        FieldSpec("city", "所在城市", Kind.TEXT, required=False),
    ),
)

STAFFING = FormSpec(
    name="staffing",
    title="思政队伍配备情况表",
    sheet="队伍配备",
    table="staffing",
    key=("code", "year"),
    fields=(
        _code_field(),
        _reported_name(),
        FieldSpec("year", "学年", Kind.YEAR, help=YEAR_HELP),
        _count(
            "undergrad",
            "全日制本专科生数",
            aliases=("本专科生数", "全日制本专科在校生数"),
        ),
        _count("postgrad", "全日制研究生数", aliases=("研究生数",), help="非负整数，无研究生填 0"),
        _count(
            "counselors_ft",
            "专职辅导员数",
            aliases=("专职辅导员人数", "专职辅导员(人)"),
        ),
        _count("counselors_pt", "兼职辅导员数", required=False, default=0, help="可选，空白按 0"),
        _count(
            "ideo_teachers",
            "专职思政课教师数",
            required=False,
            aliases=("思政课专职教师数",),
            help="可选；空白表示未报送",
        ),
        _count(
            "psy_teachers",
            "专职心理健康教育教师数",
            required=False,
            aliases=("心理健康教育专职教师数",),
            help="可选；空白表示未报送",
        ),
    ),
    rules=tuple(
        _staff_within_students(key)
        for key in ("counselors_ft", "counselors_pt", "ideo_teachers", "psy_teachers")
    ),
)

_FLAGGED = ("high", "medium", "watch")

SCREENING = FormSpec(
    name="screening",
    title="心理健康测评筛查情况表",
    sheet="心理筛查",
    table="screening",
    key=("code", "year", "term", "kind"),
    fields=(
        _code_field(),
        _reported_name(),
        FieldSpec("year", "学年", Kind.YEAR, help=YEAR_HELP),
        FieldSpec(
            "term",
            "学期",
            Kind.ENUM,
            choices=TERMS,
            synonyms={
                "第一学期": "秋季学期",
                "上学期": "秋季学期",
                "秋季": "秋季学期",
                "秋": "秋季学期",
                "第1学期": "秋季学期",
                "第二学期": "春季学期",
                "第2学期": "春季学期",
                "下学期": "春季学期",
                "春季": "春季学期",
                "春": "春季学期",
            },
        ),
        FieldSpec(
            "kind",
            "筛查类型",
            Kind.ENUM,
            choices=SCREENING_KINDS,
            synonyms={
                "新生": "新生普查",
                "新生心理普查": "新生普查",
                "全员普查": "全体学生普查",
                "全体普查": "全体学生普查",
                "全校普查": "全体学生普查",
                "复查": "重点人群复查",
                "其它": "其他",
            },
        ),
        _count("target", "应测人数"),
        _count("screened", "实测人数", aliases=("参测人数",), help="不得大于应测人数"),
        _count("high", "高风险人数", aliases=("一级预警人数", "一级关注人数")),
        _count("medium", "中风险人数", aliases=("二级预警人数", "二级关注人数")),
        _count(
            "watch",
            "一般关注人数",
            required=False,
            default=0,
            aliases=("三级预警人数", "三级关注人数"),
            help="可选，空白按 0",
        ),
        _count("interviewed", "已约谈评估人数"),
        _count("referred", "转介就医人数", help="不得大于预警人数合计（高+中+一般关注）"),
        _count("crisis", "危机干预人数", required=False, default=0, help="可选，空白按 0"),
    ),
    rules=(
        RowRule(
            "screened_exceeds_target",
            Severity.ERROR,
            ("screened", "target"),
            lambda row: row["screened"] <= row["target"],
            "实测人数大于应测人数，请核对",
        ),
        RowRule(
            "flagged_exceeds_screened",
            Severity.ERROR,
            ("high", "medium", "screened"),
            lambda row: _total(row, *_FLAGGED) <= row["screened"],
            "高风险 + 中风险 + 一般关注人数之和大于实测人数，请核对",
        ),
        RowRule(
            "referred_exceeds_flagged",
            Severity.ERROR,
            ("referred", "high", "medium"),
            lambda row: row["referred"] <= _total(row, *_FLAGGED),
            "转介就医人数大于预警人数合计（高+中+一般关注），请核对",
            lambda row: f"转介就医 {row['referred']:,} 人，预警人数合计 {_total(row, *_FLAGGED):,} 人",
        ),
        RowRule(
            "interviewed_exceeds_flagged",
            Severity.WARNING,
            ("interviewed", "high", "medium"),
            lambda row: row["interviewed"] <= _total(row, *_FLAGGED),
            "已约谈评估人数大于预警人数合计（高+中+一般关注），请确认是否包含非预警学生",
        ),
    ),
)

PROJECTS = FormSpec(
    name="projects",
    title="重点项目进度表",
    sheet="项目进度",
    table="project",
    key=("project_id",),
    institution_field="code",
    reported_name_field="unit",
    fields=(
        FieldSpec("project_id", "项目编号", Kind.TEXT, help="项目唯一编号", max_length=64),
        FieldSpec("title", "项目名称", Kind.TEXT),
        FieldSpec(
            "category",
            "项目类别",
            Kind.ENUM,
            choices=PROJECT_CATEGORIES,
            synonyms={"其它": "其他"},
            help="引号样式不限",
        ),
        FieldSpec("batch", "批次", Kind.TEXT, required=False, help="如 第三批"),
        _code_field("承担单位标识码"),
        _reported_name("unit", "承担单位"),
        FieldSpec("start", "立项日期", Kind.DATE, help="日期，如 2024-03-01"),
        FieldSpec("due", "计划完成日期", Kind.DATE, help="日期，不得早于立项日期"),
        FieldSpec("stage", "当前阶段", Kind.ENUM, choices=PROJECT_STAGES, synonyms={"已终止": "终止"}),
        FieldSpec(
            "progress", "完成进度", Kind.PERCENT, unit="%", help="0–100，可写 85、85% 或 0.85（百分比格式）"
        ),
        FieldSpec("updated", "最近更新日期", Kind.DATE, required=False),
        FieldSpec("lead", "负责人", Kind.TEXT, required=False),
        FieldSpec("note", "备注", Kind.TEXT, required=False, max_length=1000),
    ),
    rules=(
        RowRule(
            "due_before_start",
            Severity.ERROR,
            ("due", "start"),
            lambda row: row["due"] >= row["start"],
            "计划完成日期早于立项日期，请核对",
        ),
        RowRule(
            "accepted_not_complete",
            Severity.WARNING,
            ("progress", "stage"),
            lambda row: row["stage"] != "已验收通过" or row["progress"] >= 100,
            "当前阶段为“已验收通过”但完成进度不足 100%，请确认",
        ),
    ),
)

FORMS: dict[str, FormSpec] = {form.name: form for form in (INSTITUTIONS, STAFFING, SCREENING, PROJECTS)}


def get_form(name: str) -> FormSpec:
    """The form called ``name``; KeyError names the valid choices."""
    try:
        return FORMS[name]
    except KeyError:
        raise KeyError(f"未知报表 {name!r}，可选：{', '.join(FORMS)}") from None

"""What 辅导员配备 shows: every table, figure and CSV of the staffing page, built from
the reads of :mod:`core.queries.staffing` and the metrics of :mod:`core.metrics.staffing`
with the standards in force (:func:`core.settings_store.load_standards`). Field keys
are mapped to Chinese headers here, with the headers of :mod:`core.headers`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from core.charts.points import capped, compact
from core.deadlines import previous_year
from core.formatting import in_natural_order, percent_text
from core.forms import STAFFING
from core.freshness import INSTITUTIONS_AREA, SETTINGS_AREA, STAFFING_AREA, reads
from core.headers import (
    COUNTED_COUNSELORS,
    INSTITUTION_HEADERS,
    INSTITUTION_NAME,
    INSTITUTION_NAME_HEADER,
    STAFF_HEADERS,
    STUDENTS,
)
from core.metrics import staffing as metrics
from core.metrics.boxplot import box_statistics
from core.metrics.staffing import GAP, NON_COMPLIANT, RATIO, REQUIRED, STAFF, STATUS, column
from core.queries import staffing as queries
from core.scope import Scope
from core.settings_store import load_standards
from core.standards import Standard, Standards
from core.views import supervision
from core.views.case_targets import staffing_targets
from core.views.supervision import blank_as_missing
from core.workers import offloaded

GROUPINGS = INSTITUTION_HEADERS  # 分组汇总 is by the institution's province, level or ownership


def metrics_frame(engine: Engine, scope: Scope, standards: Standards | None = None) -> pd.DataFrame:
    """Staffing rows in ``scope`` with every derived value (see core.metrics.staffing)."""
    return metrics.staffing_metrics(queries.staffing_rows(engine, scope), standards or load_standards(engine))


def _derived_headers(standard: Standard) -> dict[str, str]:
    return {
        column(standard, RATIO): f"{standard.label}师生比",
        column(standard, REQUIRED): f"{standard.label}应配数",
        column(standard, GAP): f"{standard.label}缺口",
        column(standard, STATUS): f"{standard.label}达标情况",
    }


def export_frame(engine: Engine, scope: Scope) -> pd.DataFrame:
    """The staffing CSV: stored values under canonical headers, then the derived columns
    (spec: "Derived columns in exports")."""
    standards = load_standards(engine)
    frame = metrics_frame(engine, scope, standards)
    headers = STAFFING.headers | INSTITUTION_HEADERS | {"students": STUDENTS}
    for standard in standards:
        headers |= _derived_headers(standard)
    return frame[list(headers)].rename(columns=headers)


def _ranked(frame: pd.DataFrame, standard: Standard) -> pd.DataFrame:
    """Most students per staff member first; institutions without a ratio (no students) last."""
    order = frame.sort_values(
        [column(standard, metrics.PER_STAFF), "code"], ascending=[False, True], na_position="last"
    )
    return order.assign(rank=range(1, len(order) + 1))


def _with_gap_change(engine: Engine, scope: Scope, standards: Standards) -> pd.DataFrame:
    """The metrics frame of ``scope`` plus ``gap_change``: the counselor gap change since
    the previous 学年 (empty without a previous year). Both years come in one read."""
    if not scope.year:
        frame = metrics_frame(engine, scope, standards)
        return frame.assign(gap_change=pd.Series(pd.NA, index=frame.index, dtype="Int64"))
    rows = queries.staffing_rows_of_years(engine, scope, [scope.year, previous_year(scope.year)])
    both = metrics.staffing_metrics(rows, standards)
    this_year = both["year"] == scope.year
    gap = column(standards.counselors, GAP)
    previous_gap = both.loc[~this_year].set_index("code")[gap]
    frame = both.loc[this_year].reset_index(drop=True)
    return frame.assign(gap_change=(frame[gap] - frame["code"].map(previous_gap)).astype("Int64"))


def _institution_table(frame: pd.DataFrame, standards: Standards) -> pd.DataFrame:
    """学校明细 from a metrics frame with ``gap_change`` (see :func:`institution_table`)."""
    frame = _ranked(frame, standards.counselors)
    headers = {
        "rank": "排名",
        "code": "学校标识码",
        INSTITUTION_NAME: INSTITUTION_NAME_HEADER,
        "year": "学年",
        **INSTITUTION_HEADERS,
        "students": STUDENTS,
        "counselors_ft": "专职辅导员数",
        "counselors_pt": "兼职辅导员数",
        column(standards.counselors, STAFF): COUNTED_COUNSELORS,
        **_derived_headers(standards.counselors),
        "gap_change": "辅导员缺口较上学年变化",
        "ideo_teachers": STAFF_HEADERS["ideo"],
        **_derived_headers(standards.ideo),
        "psy_teachers": STAFF_HEADERS["psy"],
        **_derived_headers(standards.psy),
    }
    return blank_as_missing(frame[list(headers)].rename(columns=headers).reset_index(drop=True))


def search_institutions(table: pd.DataFrame, search: str) -> pd.DataFrame:
    """The rows of 学校明细 whose name or code contains ``search`` (all rows when it is blank);
    the rank stays the rank among all."""
    needle = search.strip()
    if not needle:
        return table
    found = table["学校名称"].str.contains(needle, regex=False) | table["学校标识码"].str.contains(
        needle, regex=False
    )
    return table[found].reset_index(drop=True)


def institution_table(engine: Engine, scope: Scope, search: str = "") -> pd.DataFrame:
    """学校明细: every institution in scope ranked by students per counselor (worst first),
    with ratio, required, gap and status for each standard; ``search`` keeps the rows whose
    name or code contains it (the rank stays the rank among all)."""
    standards = load_standards(engine)
    return search_institutions(
        _institution_table(_with_gap_change(engine, scope, standards), standards), search
    )


def supervision_list(engine: Engine, scope: Scope, standard: str = supervision.ALL) -> pd.DataFrame:
    """督办名单: institutions not meeting at least one standard, largest counselor gap first;
    with a standard's key, those not meeting that standard (see core.views.supervision)."""
    standards = load_standards(engine)
    return supervision.supervision_lists(metrics_frame(engine, scope, standards), standards)[standard]


@offloaded
@reads(INSTITUTIONS_AREA, STAFFING_AREA, SETTINGS_AREA)
def group_table(engine: Engine, scope: Scope, by: str = "province") -> pd.DataFrame:
    """分组汇总 by 所在省份 / 办学层次 / 办学性质: per standard, compliant / applicable
    institutions, the compliance share, the group's overall ratio and the total gap."""
    standards = load_standards(engine)
    return group_summary(metrics_frame(engine, scope, standards), by, standards)


def group_summary(frame: pd.DataFrame, by: str, standards: Standards) -> pd.DataFrame:
    """:func:`group_table` of a metrics frame (see :func:`metrics_frame`)."""
    header = GROUPINGS.get(by, "学年" if by == "year" else by)
    counts = frame.groupby(by).size().rename("填报学校数")
    table = pd.DataFrame({header: counts.index, "填报学校数": counts.to_numpy()})
    for standard in standards:
        summary = metrics.rollup(frame, by, standard).set_index(by)
        label = standard.label
        table[f"{label}适用学校数"] = table[header].map(summary["applicable"]).astype("int64")
        table[f"{label}达标学校数"] = table[header].map(summary["compliant"]).astype("int64")
        table[f"{label}达标率"] = table[header].map(summary["share_text"])
        table[f"{label}总体师生比"] = table[header].map(summary["ratio"])
        table[f"{label}缺口合计"] = table[header].map(summary["gap"]).astype("int64")
    ordered = in_natural_order(table.rename(columns={header: by}), [by]).rename(columns={by: header})
    return blank_as_missing(ordered)


def compliance_trend(engine: Engine, scope: Scope, standards: Standards | None = None) -> pd.DataFrame:
    """Per 学年 of the scope (its year ignored) and standard: compliant / applicable
    institutions, counted by the database (ten years are ten rows, not 30,000)."""
    standards = standards or load_standards(engine)
    years = queries.compliance_counts(engine, scope, standards)
    parts = []
    for standard in standards:
        applicable = years[column(standard, metrics.APPLICABLE)].astype("int64")
        compliant = years[column(standard, metrics.MET)].astype("int64")
        parts.append(
            pd.DataFrame(
                {
                    "学年": years["year"],
                    "指标": standard.label,
                    "适用学校数": applicable,
                    "达标学校数": compliant,
                    "达标率": [
                        percent_text(met, applies) for met, applies in zip(compliant, applicable, strict=True)
                    ],
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


@dataclass(frozen=True)
class StandardKpi:
    """How one standard is met across a scope: ``applicable`` institutions (students and a
    reported staff count), ``compliant`` among them, ``ratio`` the scope's overall '1:N'
    ('' when none applies) and ``gap`` the staff missing in total."""

    standard: Standard
    applicable: int = 0
    compliant: int = 0
    ratio: str = ""
    gap: int = 0

    @property
    def share(self) -> float | None:
        """Compliant / applicable (0–1), None when none applies."""
        return self.compliant / self.applicable if self.applicable else None

    @property
    def share_text(self) -> str:
        """'85.0%', '' when none applies."""
        return percent_text(self.compliant, self.applicable)


@dataclass(frozen=True)
class StaffingKpis:
    """Headline figures of 辅导员配备 (also on 总览 and in 通报): ``institutions`` with
    staffing data, their ``students``, and one :class:`StandardKpi` per standard in the
    order of :class:`~core.standards.Standards`."""

    institutions: int
    students: int
    per_standard: tuple[StandardKpi, ...]

    def by_key(self, key: str) -> StandardKpi:
        """The figures of the standard with this key (counselors, ideo, psy)."""
        return next(kpi for kpi in self.per_standard if kpi.standard.key == key)

    @property
    def counselors(self) -> StandardKpi:
        """The figures of Standards.counselors (the first of the standards, as they iterate)."""
        return self.per_standard[0]


def _standard_kpi(whole: pd.DataFrame, standard: Standard) -> StandardKpi:
    """:class:`StandardKpi` of a metrics frame whose ``scope`` column is one value."""
    summary = metrics.rollup(whole, "scope", standard)
    if summary.empty:
        return StandardKpi(standard)
    row = summary.iloc[0]
    return StandardKpi(
        standard,
        applicable=int(row["applicable"]),
        compliant=int(row["compliant"]),
        ratio=row["ratio"],
        gap=int(row["gap"]),
    )


def summary_kpis(frame: pd.DataFrame, standards: Standards) -> StaffingKpis:
    """:func:`overview_kpis` of a metrics frame (see :func:`metrics_frame`)."""
    whole = frame.assign(scope="all")
    return StaffingKpis(
        institutions=int(frame["code"].nunique()),
        students=int(frame["students"].sum()),
        per_standard=tuple(_standard_kpi(whole, standard) for standard in standards),
    )


def overview_kpis(engine: Engine, scope: Scope) -> StaffingKpis:
    """Headline figures for 总览 and the staffing page (see :class:`StaffingKpis`)."""
    standards = load_standards(engine)
    return summary_kpis(metrics_frame(engine, scope, standards), standards)


def _chart_points(table: pd.DataFrame, standard: Standard) -> pd.DataFrame:
    """The institutions the students-against-staff chart draws (at most MAX_POINTS, the
    non-compliant ones always among them, see core.charts.points), with only the columns
    it shows."""
    staff, status = STAFF_HEADERS[standard.key], f"{standard.label}达标情况"
    columns = [
        "学校名称",
        "所在省份",
        STUDENTS,
        staff,
        f"{standard.label}师生比",
        f"{standard.label}缺口",
        status,
    ]
    points = table.dropna(subset=[staff, status])[columns]
    return compact(capped(points, points[status].eq(NON_COMPLIANT)), ["所在省份", status])


def _staff_ratios(table: pd.DataFrame, standard: Standard) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the box statistics of students per staff member by 办学层次·办学性质, over every
    institution; the institutions drawn one by one, as in :func:`_chart_points`, for the ticks)."""
    staff = STAFF_HEADERS[standard.key]
    data = table[(table[STUDENTS] > 0) & (table[staff] > 0)].dropna(subset=[staff])
    data = data.assign(
        per_staff=data[STUDENTS] / data[staff].astype("float64"),
        group=data["办学层次"] + "·" + data["办学性质"],
    )
    ticks = data[["group", "per_staff", "学校名称", "所在省份", f"{standard.label}师生比"]]
    first = data[f"{standard.label}达标情况"].eq(NON_COMPLIANT)
    boxes = box_statistics(data, ["group", "办学层次"], "per_staff")
    return boxes, compact(capped(ticks, first), ["group", "所在省份"])


@dataclass(frozen=True)
class StaffingPage:
    """Everything 辅导员配备 shows for one scope, built in one pass over the scope's rows.

    ``provinces`` is 分组汇总 by province (also the chart's data; the other groupings are
    read on their own with :func:`group_table` when chosen); ``points``, ``ratios`` (box
    statistics, one row per group) and ``ticks`` hold, per standard key, the (small) frames
    its charts draw; ``case_targets`` what 发起督办 offers under 督办名单 (core.views.case_targets).
    """

    standards: Standards
    kpis: StaffingKpis
    institutions: pd.DataFrame
    supervision: dict[str, pd.DataFrame]
    provinces: pd.DataFrame
    trend: pd.DataFrame
    points: dict[str, pd.DataFrame]
    ratios: dict[str, pd.DataFrame]
    ticks: dict[str, pd.DataFrame]
    case_targets: dict[str, tuple[str, str]]


@offloaded
@reads(INSTITUTIONS_AREA, STAFFING_AREA, SETTINGS_AREA)
def staffing_page(engine: Engine, scope: Scope) -> StaffingPage:
    """The 辅导员配备 page of ``scope``: one read of the scope's year and the previous one,
    the metrics computed once, every table and chart frame derived from them."""
    standards = load_standards(engine)
    frame = _with_gap_change(engine, scope, standards)
    table = _institution_table(frame, standards)
    ratios = {standard.key: _staff_ratios(table, standard) for standard in standards}
    watchlists = supervision.supervision_lists(frame, standards)
    return StaffingPage(
        standards=standards,
        kpis=summary_kpis(frame, standards),
        institutions=table,
        supervision=watchlists,
        provinces=group_summary(frame, "province", standards),
        trend=compliance_trend(engine, scope, standards),
        points={standard.key: _chart_points(table, standard) for standard in standards},
        ratios={key: boxes for key, (boxes, _) in ratios.items()},
        ticks={key: ticks for key, (_, ticks) in ratios.items()},
        case_targets=staffing_targets(watchlists[supervision.ALL], standards),
    )


def standards_met(engine: Engine, codes: list[str], years: list[str]) -> pd.DataFrame:
    """After a staffing upload: whether each institution of the file meets each standard in the
    file's 学年 (学校名称, 学校标识码, 学年, then 达标情况 and 缺口 per standard)."""
    standards = load_standards(engine)
    table = _institution_table(_with_gap_change(engine, Scope(codes=tuple(codes)), standards), standards)
    columns = ["学校名称", "学校标识码", "学年"]
    for standard in standards:
        columns += [f"{standard.label}达标情况", f"{standard.label}缺口"]
    return table.loc[table["学年"].isin(years), columns].reset_index(drop=True)

"""The sidebar's filters in the address: ``?year=2024-2025&province=河南省&level=本科&ownership=公办``
(several provinces, levels or ownerships as repeated parameters), so that F5 or a link sent to a
colleague opens the same view. 学校画像 adds its school: ``/profile?code=<学校标识码>``.

Pure functions: :func:`read_filters` turns the address's parameters into the choices a user may
make (a value the user may not choose is dropped and named, so the page can say so), and
:func:`filter_params` writes the choices back. The page's own path (总览, 辅导员配备 …) is the
address's path, kept by Streamlit's navigation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

YEAR, PROVINCE, LEVEL, OWNERSHIP = "year", "province", "level", "ownership"
CODE = "code"  # a page's own parameter (学校画像's school), kept beside the sidebar's filters
PAGE_PARAMS = (CODE,)
LABELS = {YEAR: "学年", PROVINCE: "省份", LEVEL: "办学层次", OWNERSHIP: "办学性质", CODE: "学校标识码"}


@dataclass(frozen=True)
class Filters:
    """What the address asked for, kept to what the user may choose."""

    year: str | None = None
    provinces: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    ownerships: tuple[str, ...] = ()
    dropped: tuple[str, ...] = field(default=())  # '省份“北京市”' … : asked for, not offered

    def note(self) -> str | None:
        """The Chinese note for what was dropped, or None."""
        return dropped_note(self.dropped)


def dropped_note(dropped: Sequence[str]) -> str | None:
    """'链接中的省份“北京市”不在您可选的范围内，已忽略。' for what an address asked for and was
    refused, or None."""
    if not dropped:
        return None
    return f"链接中的{'、'.join(dropped)}不在您可选的范围内，已忽略。"


def _kept(key: str, asked: Sequence[str], offered: Sequence[str], dropped: list[str]) -> tuple[str, ...]:
    kept = []
    for value in dict.fromkeys(asked):
        if value in offered:
            kept.append(value)
        else:
            dropped.append(f"{LABELS[key]}“{value[:40]}”")
    return tuple(kept)


def read_filters(
    get_all: Callable[[str], Sequence[str]],
    *,
    years: Sequence[str],
    provinces: Sequence[str],
    levels: Sequence[str],
    ownerships: Sequence[str],
) -> Filters:
    """The filters ``get_all(name)`` (the address's values of one parameter) asks for, each kept
    only when it is among the choices offered to this user (``provinces`` empty: the user has no
    province choice, so any province asked for is dropped)."""
    dropped: list[str] = []
    asked_years = _kept(YEAR, list(get_all(YEAR))[:1], years, dropped)
    return Filters(
        year=asked_years[0] if asked_years else None,
        provinces=_kept(PROVINCE, get_all(PROVINCE), provinces, dropped),
        levels=_kept(LEVEL, get_all(LEVEL), levels, dropped),
        ownerships=_kept(OWNERSHIP, get_all(OWNERSHIP), ownerships, dropped),
        dropped=tuple(dropped),
    )


def read_code(
    get_all: Callable[[str], Sequence[str]], offered: Sequence[str]
) -> tuple[str | None, str | None]:
    """(the school the address's ``?code=`` names when it is among ``offered``, the note for a
    code dropped): 学校画像 opens on that school; a code outside the user's limits is dropped."""
    dropped: list[str] = []
    kept = _kept(CODE, list(get_all(CODE))[:1], offered, dropped)
    return (kept[0] if kept else None), dropped_note(dropped)


def filter_params(
    year: str | None, provinces: Sequence[str], levels: Sequence[str], ownerships: Sequence[str]
) -> Mapping[str, list[str]]:
    """The address's parameters for these choices (nothing for a filter left open)."""
    chosen = {YEAR: [year] if year else [], PROVINCE: list(provinces), LEVEL: list(levels)}
    chosen[OWNERSHIP] = list(ownerships)
    return {key: values for key, values in chosen.items() if values}

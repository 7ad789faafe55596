"""The scope every read is made in: which year, provinces, institution kinds.

A frozen, hashable value, so it can key caches. Empty tuples mean "no limit".
Later it will also carry the signed-in user's limits (``codes``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from core.forms import PROVINCE_SYNONYMS, PROVINCES


@dataclass(frozen=True)
class Scope:
    year: str | None = None
    provinces: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    ownerships: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()  # limit to these institutions (a user's own school, a profile)

    def all_years(self) -> Scope:
        return replace(self, year=None)

    def describe(self) -> str:
        """On-screen wording: 河南省、江苏省 · 2024-2025 学年 · 本科 …"""
        parts = ["、".join(self.provinces) if self.provinces else "全部省份"]
        parts.append(f"{self.year} 学年" if self.year else "全部学年")
        for chosen in (self.levels, self.ownerships):
            if chosen:
                parts.append("、".join(chosen))
        if self.codes:
            parts.append(f"{len(self.codes)} 所学校")
        return " · ".join(parts)

    def label(self) -> str:
        """Short text for file names and titles: 河南省_2024-2025, 全国_全部学年 …"""
        place = "、".join(self.provinces) if self.provinces else "全部省份"
        parts = [place, self.year or "全部学年"]
        parts += list(self.levels) + list(self.ownerships)
        if self.codes:
            parts.append(f"{len(self.codes)}所学校")
        return "_".join(parts)


def canonical_province(name: str) -> str | None:
    """河南 / 河南省 → 河南省; None when the text names no provincial unit."""
    cleaned = (name or "").strip()
    if cleaned in PROVINCES:
        return cleaned
    return PROVINCE_SYNONYMS.get(cleaned)

"""Where things are in a TOML definition: tomllib gives values only, so a refusal that names the
line finds it here (which ``[[field]]`` table, which ``key =`` line)."""

from __future__ import annotations

import re

_TABLE = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_]+)\s*\]\]")
_ASSIGNMENT = re.compile(r"^\s*\"?([A-Za-z0-9_]+)\"?\s*=")


class LineIndex:
    def __init__(self, text: str) -> None:
        self._tables: dict[str, list[int]] = {}  # section → header line of each of its tables
        self._keys: dict[tuple[str, int | None], dict[str, int]] = {("", None): {}}
        where: tuple[str, int | None] = ("", None)
        for number, line in enumerate(text.splitlines(), start=1):
            if table := _TABLE.match(line):
                starts = self._tables.setdefault(table[1], [])
                starts.append(number)
                where = (table[1], len(starts) - 1)
                self._keys[where] = {}
            elif assignment := _ASSIGNMENT.match(line):
                self._keys[where].setdefault(assignment[1], number)

    def line(self, section: str, index: int | None, key: str) -> int:
        """The line of ``key =`` in the ``index``-th ``[[section]]`` table (the top of the file for
        section ""), else the table's header line, else 1."""
        if (number := self._keys.get((section, index), {}).get(key)) is not None:
            return number
        if section and index is None:
            return self._tables.get(section, [1])[0] if section in self._tables else self._keys_top(key)
        starts = self._tables.get(section, [])
        return starts[index] if index is not None and index < len(starts) else 1

    def _keys_top(self, key: str) -> int:
        return self._keys[("", None)].get(key, 1)

"""The declarations of the four forms of spec/forms.md, as data: TOML files in core/formdefs/declared/
in the definition format (core.formdefs.definition) plus the few things only built-in forms have
(kinds code/province/year, a field's default and max_length, the table, key and institution columns).
core.forms builds its FormSpecs from them; their row rules, metrics and standards stay in code.

This module reads the files only (it imports nothing of core.forms, which imports it)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

DECLARED_DIR = Path(__file__).parent / "declared"


def declaration(name: str) -> dict[str, Any]:
    """The parsed declaration of built-in form ``name``."""
    return tomllib.loads((DECLARED_DIR / f"{name}.toml").read_text(encoding="utf-8"))

"""A choice among thousands (every school on a national 督办名单, every project) without sending
all of them to the browser on every rerun: a 查找 box and the first matches."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

MAX_OFFERED = 100
T = TypeVar("T")


def offered(options: list[T], label: Callable[[T], str], *, key: str, what: str) -> list[T]:
    """``options`` when there are at most ``MAX_OFFERED``; otherwise a 查找 box (``<key>_search``)
    and the first ``MAX_OFFERED`` options whose ``label`` contains what is typed, in the list's
    own order (the most urgent first)."""
    if len(options) <= MAX_OFFERED:
        return options
    search = st.text_input(f"查找{what}", key=f"{key}_search", placeholder="输入名称或编号的一部分").strip()
    matching = [option for option in options if search in label(option)]
    shown = matching[:MAX_OFFERED]
    st.caption(
        f"共 {len(options):,} 个{what}，{'符合查找的有' + format(len(matching), ',') + ' 个，' if search else ''}"
        f"下框列出前 {len(shown):,} 个；输入名称或编号的一部分可查找其余的。"
    )
    return shown

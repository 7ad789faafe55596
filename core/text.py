"""Text from data shown as text: user-supplied strings escaped before Streamlit renders Markdown.

``st.markdown``, ``st.header``, ``st.error``, widget labels and captions all render
Markdown (and Streamlit's own ``:red[…]``, ``:material/…:`` and ``$…$``), so an institution
named ``![x](http://host/t.png)`` would make every viewer's browser fetch that address.
:func:`md_escape` backslash-escapes what can start markup — brackets, emphasis, code, HTML,
headings, tables, LaTeX, a list marker at the start, the ``://`` of a web address, ``www.``,
``@`` (mail autolinks) and Streamlit's ``:name:`` directives — and folds line breaks, so the
string renders as written; ordinary text (2024-2025, 1:200, 10:30) is left as it is.
"""

from __future__ import annotations

import re

_MARKUP = re.compile(
    r"""([\\`*_{}\[\]<>()#!|~$@])"""  # always markup, or the start of it
    r"""|(:)(?=//|[A-Za-z_/+-]+:)"""  # the colon of http:// and of :material/…: or :smile:
    r"""|(?<=[Ww]{3})(\.)"""  # www.example.com
    r"""|^(\s*[-+=])"""  # a list marker at the start
    r"""|^(\s*\d+)([.])""",  # 1. an ordered list
)
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


def _escaped(match: re.Match[str]) -> str:
    if match[5] is not None:
        return f"{match[5]}\\{match[6]}"
    text = next(group for group in match.groups() if group is not None)
    return f"{text[:-1]}\\{text[-1]}"


def md_escape(text: object) -> str:
    """``text`` (any value; None → '') as Markdown that renders as exactly this text."""
    if text is None:
        return ""
    return _MARKUP.sub(_escaped, _LINE_BREAKS.sub(" ", str(text)))

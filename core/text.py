"""Text from data shown as text: user-supplied strings escaped before Streamlit renders Markdown.

``st.markdown``, ``st.header``, ``st.error``, widget labels and captions all render
Markdown (and Streamlit's own ``:red[…]``, ``:material/…:`` and ``$…$``), so an institution
named ``![x](http://host/t.png)`` would make every viewer's browser fetch that address.
:func:`md_escape` backslash-escapes every ASCII punctuation character (CommonMark allows
that for all of them) and folds line breaks, so the string renders exactly as written.
"""

from __future__ import annotations

import re
import string

_MARKUP = re.compile("([" + re.escape(string.punctuation) + "])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


def md_escape(text: object) -> str:
    """``text`` (any value; None → '') as Markdown that renders as exactly this text."""
    if text is None:
        return ""
    return _MARKUP.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(text)))

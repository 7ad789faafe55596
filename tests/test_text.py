"""md_escape: user text renders as text, and unexpected errors get an id and a Chinese message."""

from __future__ import annotations

import logging
import re

import pytest

from core.incidents import record_unexpected, unexpected_message
from core.text import md_escape


@pytest.mark.parametrize(
    "text",
    [
        "![x](http://127.0.0.1:9/t.png)",  # case: an image that the browser would fetch
        "[a](javascript:alert(1))",  # case: a link
        "<img src=x onerror=alert(1)>",  # case: raw HTML
        "**粗体** _斜体_ `代码` # 标题",  # case: emphasis, code, heading
        ":red[红色] :material/home: $x^2$",  # case: Streamlit's colour, icon and LaTeX directives
        "http://127.0.0.1:9/t.png www.example.com",  # case: bare addresses (autolinks)
        "第一行\n- 列表",  # case: a line break that would start a list
        "- 列表 1. 有序",  # case: a list marker at the start
        "张三@example.com",  # case: a mail autolink
        "示例大学（4141010001）",  # case: ordinary text
    ],
)
def test_no_markup_is_left_unescaped(text: str) -> None:
    escaped = md_escape(text)

    bare = re.sub(r"\\.", "", escaped)  # what is left after every backslash escape
    assert not set(bare) & set("[]()<>!*_`#$@\n")
    assert "://" not in bare and "www." not in bare.lower() and not bare.startswith("-")
    assert ":red[" not in bare and ":material/" not in bare
    assert re.sub(r"\\(.)", r"\1", escaped) == text.replace("\n", " ")  # nothing else changed


def test_escaping_keeps_the_text() -> None:
    for plain in ("示例大学（4141010001）", "2024-2025 学年", "1:200 10:30", "工作表“Sheet1”"):
        assert md_escape(plain) == plain
    assert md_escape(None) == ""
    assert md_escape("1. 第一") == "1\\. 第一"


def test_an_unexpected_error_is_logged_with_its_id(caplog: pytest.LogCaptureFixture) -> None:
    try:
        raise RuntimeError("SELECT secret FROM users")
    except RuntimeError as error:
        with caplog.at_level(logging.ERROR):
            error_id = record_unexpected(error)

    assert error_id in caplog.text and "SELECT secret" in caplog.text
    message = unexpected_message(error_id)
    assert error_id in message and "SELECT" not in message and "错误编号" in message

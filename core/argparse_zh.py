"""argparse's own messages (usage, errors, help headings) in Chinese for ``python -m core.cli``."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator

# argparse marks its own messages for translation (gettext); these are their Chinese, so that
# a mistyped command is answered in the language of every other message of the product.
_ARGPARSE_CHINESE = {
    "usage: ": "用法：",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s（用 --help 查看用法）\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的取值 %(value)r，可选：%(choices)s",
    "invalid %(type)s value: %(value)r": "无效的取值 %(value)r",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "后面需要一个取值",
    "expected at most one argument": "后面最多一个取值",
    "expected at least one argument": "后面至少需要一个取值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
}


@contextlib.contextmanager
def argparse_in_chinese() -> Iterator[None]:
    """argparse's messages in Chinese while this command line parses (plural ones, rare here,
    go through ngettext and stay English)."""
    original = argparse._
    argparse._ = lambda message: _ARGPARSE_CHINESE.get(message, message)
    try:
        yield
    finally:
        argparse._ = original

"""The CJK font a 通报 is drawn with: found on the system (fontconfig, then known paths).

ReportLab embeds TrueType outlines only (.ttf / .ttc), so OpenType-CFF fonts (.otf, such
as Noto Sans CJK) are passed over. Without any, :class:`FontMissing` says how to install one.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

INSTALL_HINT = "apt-get install fonts-wqy-microhei"
# (path, family, index in a collection), tried when fontconfig is absent or finds nothing.
KNOWN_FONTS = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "WenQuanYi Micro Hei", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "WenQuanYi Zen Hei", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", "AR PL UMing CN", 0),
)
_TRUETYPE = (".ttf", ".ttc")


class FontMissing(Exception):
    """No Chinese TrueType font on this machine; the message says how to install one."""

    def __init__(self) -> None:
        super().__init__(
            f"未找到中文字体，无法生成通报。请先安装中文字体：{INSTALL_HINT}（需 root 权限），然后重试。"
        )


@dataclass(frozen=True)
class CjkFont:
    path: Path
    family: str
    index: int  # the face's number inside a .ttc collection

    @property
    def directory(self) -> Path:
        return self.path.parent


def _fontconfig_fonts() -> list[CjkFont]:
    if shutil.which("fc-list") is None:
        return []
    listing = subprocess.run(
        ["fc-list", ":lang=zh", "-f", "%{file}|%{family[0]}|%{index}\n"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    fonts = []
    for line in sorted(listing.splitlines()):
        path, family, index = (line.split("|") + ["", "0"])[:3]
        if path.lower().endswith(_TRUETYPE) and "Mono" not in family:
            fonts.append(CjkFont(Path(path), family, int(index or 0)))
    return fonts


@cache
def find_cjk_font() -> CjkFont:
    """The first Chinese TrueType font found; :class:`FontMissing` when there is none."""
    known = [CjkFont(Path(path), family, index) for path, family, index in KNOWN_FONTS]
    for font in [*known, *_fontconfig_fonts()]:
        if font.path.is_file():
            return font
    raise FontMissing

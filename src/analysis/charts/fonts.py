"""The bundled Chinese font, found without importing matplotlib (the report build needs it too)."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

CJK_FONT_PACKAGE = "pylopdf_fonts_zh_cn"
CJK_FONT_FILE = "NotoSansSC-Regular.otf"  # the simplified-Chinese face of Noto Sans CJK (OFL)
CJK_FONT_FAMILY = "Noto Sans SC"


class MissingCJKFont(RuntimeError):
    """The bundled Chinese font is not installed."""


def cjk_font_path() -> Path:
    """Path of the bundled Noto Sans SC font file."""
    try:
        path = Path(str(importlib.resources.files(CJK_FONT_PACKAGE) / CJK_FONT_FILE))
    except ModuleNotFoundError as err:
        raise MissingCJKFont(
            f"the font package '{CJK_FONT_PACKAGE}' is not installed; run 'make setup' (it is pinned in uv.lock)"
        ) from err
    if not path.is_file():
        raise MissingCJKFont(f"{path} is missing from the '{CJK_FONT_PACKAGE}' package")
    return path

"""Chinese text in the HTML reports renders offline: the bundled font, cut to the characters used, embedded."""

from __future__ import annotations

import base64
import functools
import hashlib
import io
from pathlib import Path

import fontTools
from fontTools import subset

from analysis import paths
from analysis.atomic import atomic_path
from analysis.charts.fonts import cjk_font_path

FONT_FAMILY = "Report CJK"
# Subsets already cut, one file per (font, fontTools, this module, characters): cutting one costs about a second
# (the 8 MB font is parsed whole), and a rebuilt page nearly always needs the subset it had before.
SUBSET_CACHE = paths.BUILD / "font-subsets"


def non_ascii_characters(text: str) -> str:
    """The distinct non-ASCII characters of `text`, sorted (so the subset is the same for the same text)."""
    return "".join(sorted({c for c in text if ord(c) > 127}))


@functools.cache
def _cache_prefix() -> str:
    """What a subset is a function of besides its characters: the font's bytes, fontTools' version, this code."""
    h = hashlib.sha256()
    for part in (cjk_font_path().read_bytes(), fontTools.version.encode(), Path(__file__).read_bytes()):
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def subset_font(characters: str) -> bytes:
    """The bundled Noto Sans SC reduced to `characters` (an OpenType font), cut once per distinct input."""
    key = hashlib.sha256(f"{_cache_prefix()}\0{characters}".encode()).hexdigest()
    cached = SUBSET_CACHE / f"{key}.otf"
    if cached.is_file():
        return cached.read_bytes()
    data = cut_subset(characters)
    with atomic_path(cached) as tmp:  # parallel workers may cut the same subset: each rename is whole
        tmp.write_bytes(data)
    return data


def cut_subset(characters: str) -> bytes:
    """The bundled Noto Sans SC reduced to `characters`, cut now."""
    options = subset.Options()
    options.recalc_timestamp = False  # keep the source font's timestamp: byte-identical rebuilds
    font = subset.load_font(str(cjk_font_path()), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return buffer.getvalue()


def font_face_css(text: str) -> str:
    """CSS that embeds the font for the characters of `text`, first in every font list.

    The subset holds only non-ASCII characters, so Latin text still falls through to the system
    fonts; listing it first keeps Chromium from drawing CJK with a system font that lacks it.
    """
    characters = non_ascii_characters(text)
    if not characters:
        return ""
    data = base64.b64encode(subset_font(characters)).decode("ascii")
    ui = f'"{FONT_FAMILY}", system-ui, -apple-system, "Segoe UI", Helvetica, Arial, "Noto Sans CJK SC", sans-serif'
    code = f'"{FONT_FAMILY}", "Source Code Pro", Menlo, Consolas, "DejaVu Sans Mono", monospace'
    return (
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url(data:font/otf;base64,{data}) format("opentype"); }}\n'
        f":root {{ --jp-content-font-family: {ui}; --jp-ui-font-family: {ui}; --jp-code-font-family: {code}; }}\n"
        f"body {{ font-family: {ui}; }}\n"
    )

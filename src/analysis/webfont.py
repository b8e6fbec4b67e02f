"""Chinese text in the HTML reports renders offline: the bundled font, cut to the characters used, embedded."""

from __future__ import annotations

import base64
import io

from fontTools import subset

from analysis.fonts import cjk_font_path

FONT_FAMILY = "Report CJK"


def non_ascii_characters(text: str) -> str:
    """The distinct non-ASCII characters of `text`, sorted (so the subset is the same for the same text)."""
    return "".join(sorted({c for c in text if ord(c) > 127}))


def subset_font(characters: str) -> bytes:
    """The bundled Noto Sans SC reduced to `characters` (an OpenType font)."""
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
    """CSS that embeds the font for the characters of `text` and adds it as the last fallback."""
    characters = non_ascii_characters(text)
    if not characters:
        return ""
    data = base64.b64encode(subset_font(characters)).decode("ascii")
    fallback = f'"{FONT_FAMILY}", "Noto Sans SC", "Noto Sans CJK SC", sans-serif'
    return (
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url(data:font/otf;base64,{data}) format("opentype"); }}\n'
        f":root {{ --jp-content-font-family: system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, {fallback};"
        f" --jp-ui-font-family: system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, {fallback};"
        f" --jp-code-font-family: 'Source Code Pro', Menlo, Consolas, 'DejaVu Sans Mono', monospace, {fallback}; }}\n"
        f"body {{ font-family: system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, {fallback}; }}\n"
    )

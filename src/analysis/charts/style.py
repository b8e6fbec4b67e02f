"""House style for figures: a bundled CJK font, fixed size and DPI, byte-stable saving."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure

from analysis.atomic import atomic_path
from analysis.charts.fonts import CJK_FONT_FAMILY, cjk_font_path
from analysis.charts.labels import label

FIGURE_SIZE = (7.5, 4.2)
DPI = 150
PALETTE = ["#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6", "#a5a5a5", "#d4a017", "#17becf", "#c00000"]


def _register_bundled_font() -> None:
    """Register the bundled font and drop any other copy of the same family, so ours always wins."""
    path = cjk_font_path()
    manager = font_manager.fontManager
    manager.ttflist = [entry for entry in manager.ttflist if entry.name != CJK_FONT_FAMILY]
    manager.addfont(str(path))  # also clears matplotlib's font lookup cache


def use_house_style() -> None:
    """Reset matplotlib to the project's style, ignoring any user matplotlibrc."""
    matplotlib.rcdefaults()
    _register_bundled_font()
    matplotlib.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [CJK_FONT_FAMILY, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.titlesize": 12,
            "axes.labelsize": 10,
            "figure.figsize": FIGURE_SIZE,
            "figure.dpi": 100,
            "savefig.dpi": DPI,
            # Fixed ids and glyphs drawn as paths make SVG output byte-stable and font-independent.
            "svg.hashsalt": "policy-research",
            "svg.fonttype": "path",
        }
    )


# An axis reads in 万 (10,000) once its largest value reaches this; below, in plain units.
WAN = 10_000


def axis_scale(*values: float) -> float:
    """What an axis divides its values by: 10,000 (万) when the largest reaches 10,000, else 1 (131 a day stays 131)."""
    finite = [abs(float(v)) for v in values if v == v and abs(float(v)) != float("inf")]
    return float(WAN) if max(finite, default=0.0) >= WAN else 1.0


def new_figure(width: float = FIGURE_SIZE[0], height: float = FIGURE_SIZE[1]) -> Figure:
    """A figure in the house style, outside pyplot so that only the saved file is displayed."""
    use_house_style()
    return Figure(figsize=(width, height))


def add_source_line(fig: Figure, text: str, lang: str = "en") -> None:
    """Write the source line under the figure."""
    fig.text(
        0.01,
        0.005,
        label("publish.source_prefix", lang, text=text),
        fontsize=7,
        color="#555555",
        ha="left",
        va="bottom",
        wrap=True,
    )


def save_figure(fig: Figure, stem: Path) -> list[Path]:
    """Save `fig` as PNG and SVG next to `stem`, with no timestamps or version strings."""
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    written = []
    for suffix, metadata in ((".png", {"Software": None}), (".svg", {"Date": None, "Creator": None})):
        target = Path(stem).with_suffix(suffix)
        with atomic_path(target) as tmp:
            fig.savefig(tmp, format=suffix[1:], metadata=metadata)
        written.append(target)
    return written


def glyph_warnings(messages: Iterable[str]) -> list[str]:
    """The matplotlib warnings among `messages` that report a glyph missing from every font."""
    return [m for m in messages if "missing from font" in m]

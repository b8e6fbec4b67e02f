"""Comparison charts: each region's measures as a dot and the interval its printing allows, one panel per measure."""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from analysis.charts.labels import label
from analysis.charts.style import PALETTE, WAN, axis_scale, new_figure
from analysis.topics.compare import Trend, fitted_line, period_text

# Measures drawn as percentages.
PERCENT_MEASURES = ("rate", "net_rate")
PANEL_HEIGHT, ROW_HEIGHT = 0.55, 0.32
# The least room between two x tick labels, in points: close dates (a month apart) would otherwise overprint.
LABEL_GAP_POINTS = 6.0


def dot_interval_chart(measured: pd.DataFrame, rows: pd.DataFrame, topic: str, lang: str) -> Figure:
    """One panel per measure, one row per region: the value as a dot, the printed interval as a bar.

    `measured` holds the numbers (compare.measures), `rows` the same rows in words (compare.measure_table).
    An open end (≥ or ≤) is drawn as an arrow to the panel's edge.
    """
    panels = list(measured.groupby(["group", "measure"], sort=True).groups.items())
    height = 1.0 + sum(PANEL_HEIGHT + ROW_HEIGHT * len(index) for _, index in panels)
    fig = new_figure(7.5, max(2.5, height))
    if not panels:
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, label("compare.chart.empty", lang), ha="center", va="center")
        ax.set_axis_off()
        return fig
    grid = fig.add_gridspec(len(panels), 1, height_ratios=[PANEL_HEIGHT + ROW_HEIGHT * len(i) for _, i in panels])
    for n, ((_group, measure), index) in enumerate(panels):
        ax = fig.add_subplot(grid[n])
        part, words = measured.loc[index], rows.loc[index]
        percent = measure in PERCENT_MEASURES
        finite = [v for v in (*part["low"], *part["high"], *part["value"]) if math.isfinite(v)]
        scale = 0.01 if percent else axis_scale(*finite)
        lo, hi = min(finite) / scale, max(finite) / scale
        pad = (hi - lo) * 0.1 or abs(hi) * 0.1 or 1.0
        left, right = lo - pad, hi + pad
        for y, r in enumerate(part.itertuples()):
            colour = PALETTE[y % len(PALETTE)]
            low = r.low / scale if math.isfinite(r.low) else left
            high = r.high / scale if math.isfinite(r.high) else right
            ax.hlines(y, low, high, color=colour, linewidth=5, alpha=0.45)
            ax.plot([r.value / scale], [y], "o", color=colour, markersize=5)
            if not (math.isfinite(r.low) and math.isfinite(r.high)):
                ax.annotate(
                    "",
                    (high if not math.isfinite(r.high) else low, y),
                    (r.value / scale, y),
                    arrowprops={"arrowstyle": "->", "color": colour},
                )
        ax.set_yticks(range(len(part)), [f"{w.region} · {w.period}" for w in words.itertuples()], fontsize=7)
        ax.set_ylim(-0.6, len(part) - 0.4)
        ax.set_xlim(left, right)
        ax.invert_yaxis()
        title = words["measure"].iloc[0]
        suffix = " (%)" if percent else (label("compare.chart.wan", lang) if scale == WAN else "")
        ax.set_title(title + suffix, fontsize=9, loc="left")
        ax.tick_params(axis="x", labelsize=7)
        ax.ticklabel_format(axis="x", useOffset=False, style="plain")
    fig.suptitle(label("compare.chart.title", lang, topic=label(f"compare.topic.{topic}", lang)), fontsize=11)
    return fig


def trend_chart(trend: Trend, lang: str) -> Figure:
    """A trend's points (volume a day or stock, with the interval their printing allows) and its fitted line.

    A point no page prints (the base a printed change implies) is drawn hollow and named in the legend.
    """
    fig = new_figure(7.5, 3.6)
    ax = fig.add_subplot()
    points = trend.points
    flow = trend.model == "quasi_poisson"
    days = points["days"].to_numpy(dtype=float) if flow else 1.0
    values, lows, highs = (points[c].to_numpy(dtype=float) / days for c in ("value", "low", "high"))
    years, fitted = fitted_line(trend)
    scale = axis_scale(*values, *fitted)
    implied = points["implied"].astype(bool).to_numpy()
    for x, v, lo, hi, hollow in zip(years, values, lows, highs, implied, strict=True):
        top = hi if math.isfinite(hi) else max(values) * 1.2
        ax.vlines(x, lo / scale, top / scale, color=PALETTE[0], linewidth=5, alpha=0.4)
        ax.plot([x], [v / scale], "o", color=PALETTE[0], markerfacecolor="white" if hollow else PALETTE[0])
    if implied.any():
        ax.plot([], [], "o", color=PALETTE[0], label=label("compare.chart.printed_point", lang))
        ax.plot([], [], "o", color=PALETTE[0], markerfacecolor="white", label=label("compare.chart.implied", lang))
    ax.plot(years, fitted / scale, "--", color=PALETTE[1], label=label(f"compare.model.{trend.model}", lang))
    ticks = [period_text(s, e) if flow else e for s, e in zip(points["start"], points["end"], strict=True)]
    ax.set_xticks(years, ticks, fontsize=7)
    ax.set_xticks(years, spaced_labels(fig, ax, ticks), fontsize=7)
    unit = label("compare.chart.per_day" if flow else "compare.chart.stock", lang)
    ax.set_ylabel(unit + (label("compare.chart.wan", lang) if scale == WAN else ""))
    ax.ticklabel_format(axis="y", useOffset=False, style="plain")
    ax.legend(frameon=False, fontsize=8)
    return fig


def spaced_labels(fig: Figure, ax: Axes, ticks: list[str]) -> list[str]:
    """The x tick labels with any label that would overprint the last one kept left blank (its tick stays).

    Measured on the drawn figure, left to right; the first label is always kept. Laying the figure out for
    saving only widens the axes, which leaves the kept labels further apart.
    """
    fig.draw_without_rendering()
    gap = LABEL_GAP_POINTS * fig.dpi / 72
    kept, right = [], -math.inf
    for text, tick in zip(ax.get_xticklabels(), ticks, strict=True):
        box = text.get_window_extent()
        if box.x0 >= right + gap:
            kept.append(tick)
            right = box.x1
        else:
            kept.append("")
    return kept

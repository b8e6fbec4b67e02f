"""Hotline charts: volume per day by printed period and the unexplained remainder, on the data's own scale."""

from __future__ import annotations

from datetime import date

import pandas as pd
from matplotlib.figure import Figure

from analysis.charts.labels import label, region_name
from analysis.charts.style import PALETTE, WAN, axis_scale, new_figure

# The y axis reaches this multiple of the highest value: room for the legend.
LEGEND_HEADROOM = 1.4


def calls_per_day_chart(volumes: pd.DataFrame, unexplained: pd.DataFrame | None, region: str, lang: str) -> Figure:
    """Volume per day in each printed period, and the range of the per-day rate of any unexplained remainder.

    Legends name what is counted by its indicator's name (indicators.csv) when the region prints more than one.
    """
    fig = new_figure()
    ax = fig.add_subplot()
    bounds = [] if unexplained is None else [*unexplained["per_day_low"], *unexplained["per_day_high"]]
    scale = axis_scale(*volumes["per_day"], *bounds)
    several = "indicator" in volumes and volumes["indicator"].nunique() > 1
    for position, row in enumerate(volumes.itertuples()):
        start, end = date.fromisoformat(row.period_start), date.fromisoformat(row.period_end)
        bound = row.qualifier == "at_least"
        ax.hlines(
            row.per_day / scale,
            start,
            end,
            color=PALETTE[position % len(PALETTE)],
            linewidth=4,
            linestyle=":" if bound else "-",
            label=label(
                "hotline.chart.legend" if several else "hotline.chart.legend_one",
                lang,
                name=getattr(row, "name", ""),
                period=row.period,
                printed=row.as_printed
                + (label("hotline.chart.a_day", lang) if getattr(row, "printed_average", False) else ""),
            ),
        )
    if unexplained is not None:
        low = unexplained["per_day_low"].min() / scale
        high = unexplained["per_day_high"].max() / scale
        band = "hotline.chart.unexplained_per_day" if scale == WAN else "hotline.chart.unexplained_per_day_plain"
        ax.axhspan(low, high, color=PALETTE[-1], alpha=0.3, label=label(band, lang))
    ax.set_title(label("hotline.chart.hotline_title", lang, region=region_name(region, lang)))
    ax.set_xlabel(label("hotline.chart.period", lang))
    ax.set_ylabel(label("hotline.chart.calls_per_day" if scale == WAN else "hotline.chart.calls_per_day_plain", lang))
    # Headroom above the highest line, so the legend in the upper left covers none of them.
    ax.set_ylim(bottom=0, top=max([*volumes["per_day"], *bounds, 0.0]) / scale * LEGEND_HEADROOM or None)
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return fig


def unexplained_chart(
    unexplained: pd.DataFrame, total_printed: str, reference_per_day: float, reference_label: str, lang: str
) -> Figure:
    """The unexplained volume per day (low to high), against the assumed end of the cumulative window."""
    fig = new_figure(7.5, 3.8)
    ax = fig.add_subplot()
    ends = [date.fromisoformat(d) for d in unexplained["window_end"]]
    scale = axis_scale(*unexplained["per_day_high"], reference_per_day)
    ax.fill_between(
        ends, unexplained["per_day_low"] / scale, unexplained["per_day_high"] / scale, color=PALETTE[0], alpha=0.3
    )
    ax.plot(ends, unexplained["per_day_low"] / scale, color=PALETTE[0], marker="o", markersize=3)
    ax.plot(ends, unexplained["per_day_high"] / scale, color=PALETTE[0], marker="o", markersize=3)
    ax.axhline(reference_per_day / scale, color=PALETTE[1], linestyle="--", linewidth=1)
    ax.annotate(
        reference_label, (ends[0], reference_per_day / scale), textcoords="offset points", xytext=(2, 4), fontsize=8
    )
    ax.set_title(label("hotline.chart.unexplained_title", lang, total=total_printed))
    ax.set_xlabel(label("hotline.chart.window_end", lang))
    unexplained_label = (
        "hotline.chart.unexplained_per_day" if scale == WAN else "hotline.chart.unexplained_per_day_plain"
    )
    ax.set_ylabel(label(unexplained_label, lang))
    ax.set_ylim(bottom=0)
    fig.autofmt_xdate()
    return fig

"""Hotline charts: calls per day by printed period and the unexplained remainder."""

from __future__ import annotations

from datetime import date

import pandas as pd
from matplotlib.figure import Figure

from analysis.charts.labels import label, region_name
from analysis.charts.style import PALETTE, new_figure

LABELS = {
    "calls_per_day": {"en": "Volume per day (10,000)", "zh": "日均量（万）"},
    "period": {"en": "Period", "zh": "时期"},
    "hotline_title": {"en": "{region}: hotline volume per day by printed period", "zh": "{region}热线各公布时期日均量"},
    "window_end": {"en": "Assumed end of the cumulative window", "zh": "累计窗口的假设截止日"},
    "unexplained_per_day": {"en": "Unexplained calls per day, at least (10,000)", "zh": "未说明时期日均来电下限（万个）"},
    "unexplained_title": {"en": "What the stated periods leave unexplained in the cumulative {total}", "zh": "累计{total}中未被公布时期覆盖的部分"},
}


def calls_per_day_chart(volumes: pd.DataFrame, unexplained: pd.DataFrame | None, region: str, lang: str) -> Figure:
    """Volume per day in each printed period, and the lower-bound rate of any unexplained remainder."""
    fig = new_figure()
    ax = fig.add_subplot()
    for position, row in enumerate(volumes.itertuples()):
        start, end = date.fromisoformat(row.period_start), date.fromisoformat(row.period_end)
        bound = row.qualifier == "at_least"
        ax.hlines(row.per_day / 1e4, start, end, color=PALETTE[position % len(PALETTE)], linewidth=4,
                  linestyle=":" if bound else "-", label=f"{row.period} ({row.as_printed})")
    if unexplained is not None:
        low = unexplained["unexplained_per_day_at_least"].min() / 1e4
        high = unexplained["unexplained_per_day_at_least"].max() / 1e4
        ax.axhspan(low, high, color=PALETTE[-1], alpha=0.3, label=label(LABELS, "unexplained_per_day", lang))
    ax.set_title(label(LABELS, "hotline_title", lang, region=region_name(region, lang)))
    ax.set_xlabel(label(LABELS, "period", lang))
    ax.set_ylabel(label(LABELS, "calls_per_day", lang))
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return fig


def unexplained_chart(unexplained: pd.DataFrame, total_printed: str, reference_per_day: float,
                      reference_label: str, lang: str) -> Figure:
    """Lower bound on the unexplained volume per day, against the assumed end of the cumulative window."""
    fig = new_figure(7.5, 3.8)
    ax = fig.add_subplot()
    ends = [date.fromisoformat(d) for d in unexplained["window_end"]]
    ax.plot(ends, unexplained["unexplained_per_day_at_least"] / 1e4, color=PALETTE[0], marker="o", markersize=3)
    ax.axhline(reference_per_day / 1e4, color=PALETTE[1], linestyle="--", linewidth=1)
    ax.annotate(reference_label, (ends[0], reference_per_day / 1e4), textcoords="offset points", xytext=(2, 4),
                fontsize=8)
    ax.set_title(label(LABELS, "unexplained_title", lang, total=total_printed))
    ax.set_xlabel(label(LABELS, "window_end", lang))
    ax.set_ylabel(label(LABELS, "unexplained_per_day", lang))
    ax.set_ylim(bottom=0)
    fig.autofmt_xdate()
    return fig

"""Service-satisfaction charts: Wilson intervals by n, the review loop, delivery intensity."""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from analysis.charts.labels import label, region_name
from analysis.charts.style import PALETTE, new_figure

# A log axis where the measures differ by more than this factor (services per village and per month).
LOG_FROM = 20.0


def wilson_by_n_chart(curves: dict[str, pd.DataFrame], threshold: float, lang: str) -> Figure:
    """Wilson 95% intervals around each printed rate, as if it came from n responses (names from the data)."""
    fig = new_figure()
    ax = fig.add_subplot()
    for position, (name, curve) in enumerate(curves.items()):
        colour = PALETTE[position % len(PALETTE)]
        ax.fill_between(curve["n"], curve["low"], curve["high"], color=colour, alpha=0.2)
        ax.plot(curve["n"], curve["low"], color=colour, label=name)
    ax.axhline(threshold, color="#555555", linestyle="--", linewidth=1)
    ax.set_xscale("log")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(label("satisfaction.chart.wilson_title", lang))
    ax.set_xlabel(label("satisfaction.chart.sample_size", lang))
    ax.set_ylabel(label("satisfaction.chart.rate", lang))
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    return fig


def funnel_chart(steps: pd.DataFrame, region: str, lang: str) -> Figure:
    """The review loop: each printed rate as a bar, each step labelled as printed (an unprinted one says so)."""
    fig = new_figure(7.5, 3.6)
    ax = fig.add_subplot()
    shares = steps["share"].fillna(0.0)
    ax.barh(steps["step"], shares, color=PALETTE[0], alpha=0.75)
    for y, (share, text) in enumerate(zip(shares, steps["printed"])):
        inside = share > 0.2
        ax.annotate(
            text,
            (0.01 if inside else float(share), y),
            textcoords="offset points",
            xytext=(4, -3),
            fontsize=9,
            color="white" if inside else "#333333",
        )
    ax.invert_yaxis()
    ax.set_xlim(0, 1.05)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(label("satisfaction.chart.funnel_title", lang, region=region_name(region, lang)))
    ax.set_xlabel(label("satisfaction.chart.rate", lang))
    return fig


def intensity_chart(intensity: pd.DataFrame, region: str, lang: str) -> Figure:
    """Services handled per unit and per month: each a range over the printed rounding (and period end), labelled."""
    fig = new_figure(8.0, 4.2)
    ax = fig.add_subplot()
    values, lows, highs = (intensity[c].astype(float) for c in ("value", "low", "high"))
    y = range(len(intensity))
    ax.errorbar(values, y, xerr=[values - lows, highs - values], fmt="o", color=PALETTE[2], capsize=3)
    for position, text in enumerate(intensity["display"]):
        ax.annotate(
            text, (float(highs.iloc[position]), position), textcoords="offset points", xytext=(6, -3), fontsize=9
        )
    ax.set_yticks(list(y), [textwrap.fill(m, 32) for m in intensity["measure"]], fontsize=8)
    ax.invert_yaxis()
    if float(highs.max()) > LOG_FROM * float(lows.min()) > 0:
        ax.set_xscale("log")
        ax.set_xlim(float(lows.min()) / 2, float(highs.max()) * 8)
    else:
        ax.set_xlim(0, float(highs.max()) * 1.4)
    ax.set_title(label("satisfaction.chart.intensity_title", lang, region=region_name(region, lang)))
    return fig

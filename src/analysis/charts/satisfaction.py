"""Service-satisfaction charts: Wilson intervals by n, the review loop, delivery intensity."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from analysis.charts.labels import label, region_name
from analysis.charts.style import PALETTE, new_figure


def wilson_by_n_chart(curves: dict[str, pd.DataFrame], threshold: float, lang: str) -> Figure:
    """Wilson 95% intervals around each printed rate, as if it came from n responses."""
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
    """The good/bad-review closed loop: each step's printed figure, bounds marked."""
    fig = new_figure(7.5, 3.6)
    ax = fig.add_subplot()
    ax.barh(steps["step"], steps["share"], color=PALETTE[0], alpha=0.75)
    for y, text in enumerate(steps["printed"]):
        ax.annotate(text, (0.01, y), textcoords="offset points", xytext=(4, -3), fontsize=9, color="white")
    ax.invert_yaxis()
    ax.set_xlim(0, 1.05)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(label("satisfaction.chart.funnel_title", lang, region=region_name(region, lang)))
    ax.set_xlabel(label("satisfaction.chart.rate", lang))
    return fig


def intensity_chart(intensity: pd.DataFrame, region: str, lang: str) -> Figure:
    """Services handled per unit, with the range over the possible end of the counting period."""
    fig = new_figure(7.5, 3.6)
    ax = fig.add_subplot()
    ax.barh(intensity["measure"], intensity["value"], color=PALETTE[2])
    for y, text in enumerate(intensity["display"]):
        ax.annotate(
            text, (float(intensity["value"].iloc[y]), y), textcoords="offset points", xytext=(4, -3), fontsize=9
        )
    ax.invert_yaxis()
    ax.set_xlim(0, float(intensity["value"].max()) * 1.4)
    ax.set_title(label("satisfaction.chart.intensity_title", lang, region=region_name(region, lang)))
    return fig

"""Caseload-registry charts: exit curves and hazard ratios."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from analysis.charts.labels import label
from analysis.charts.style import PALETTE, new_figure


def exit_curves_chart(curves: dict[str, pd.DataFrame], prefix: str, lang: str) -> Figure:
    """Kaplan-Meier curves per group with their bands (already cut where fewer than 10 remain at risk)."""
    fig = new_figure()
    ax = fig.add_subplot()
    for position, (name, curve) in enumerate(curves.items()):
        colour = PALETTE[position % len(PALETTE)]
        ax.step(curve["time"], curve["still_on_file"], where="post", color=colour, label=name)
        ax.fill_between(curve["time"], curve["low"], curve["high"], step="post", color=colour, alpha=0.15)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylim(0, 1.02)
    ax.set_title(label("survival.chart.km_title", lang, prefix=prefix))
    ax.set_xlabel(label("survival.chart.years_on_file", lang))
    ax.set_ylabel(label("survival.chart.still_on_file", lang))
    ax.legend(frameon=False, fontsize=8)
    return fig


def hazard_ratio_chart(ratios: pd.DataFrame, prefix: str, lang: str) -> Figure:
    """Hazard ratios with intervals against the reference levels, on a log axis."""
    fig = new_figure(7.5, 3.8)
    ax = fig.add_subplot()
    y = np.arange(len(ratios))
    ax.errorbar(
        ratios["hazard_ratio"],
        y,
        xerr=[ratios["hazard_ratio"] - ratios["low"], ratios["high"] - ratios["hazard_ratio"]],
        fmt="o",
        color=PALETTE[0],
        capsize=3,
    )
    ax.axvline(1, color="#555555", linestyle="--", linewidth=1)
    ax.set_yticks(y, ratios["term"])
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_title(label("survival.chart.hr_title", lang, prefix=prefix))
    ax.set_xlabel(label("survival.chart.hazard_ratio", lang))
    return fig

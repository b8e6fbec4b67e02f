"""Caseload-registry charts: exit curves, hazard ratios and the return to the file after an exit."""

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


def held(curve: pd.DataFrame, column: str) -> np.ndarray:
    """A step curve's column with its last value repeated, so the step is drawn on to the curve's stop."""
    return np.append(curve[column].to_numpy(float), curve[column].iloc[-1])


def return_curve_chart(curve: pd.DataFrame, stop: float, prefix: str, lang: str) -> Figure:
    """The cumulative share of exits followed by a return, with its 95% band, drawn to `stop` and no further
    (`topics.survival.return_curve`: where fewer exits than the disclosure threshold remain followed)."""
    fig = new_figure()
    ax = fig.add_subplot()
    times = np.append(curve["time"].to_numpy(float), stop)
    ax.step(
        times, held(curve, "returned"), where="post", color=PALETTE[1], label=label("survival.chart.returned", lang)
    )
    ax.fill_between(
        times,
        held(curve, "low"),
        held(curve, "high"),
        step="post",
        color=PALETTE[1],
        alpha=0.2,
        label=label("survival.chart.band", lang),
    )
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlim(0, stop)
    ax.set_ylim(0, max(0.05, float(curve["high"].max()) * 1.15))
    ax.set_title(label("survival.chart.return_title", lang, prefix=prefix))
    ax.set_xlabel(label("survival.chart.years_since_exit", lang))
    ax.set_ylabel(label("survival.chart.returned_share", lang))
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return fig

"""Caseload-registry charts: exit curves and hazard ratios."""

from __future__ import annotations


import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from analysis.charts.labels import label
from analysis.charts.style import PALETTE, new_figure

LABELS = {
    "years_on_file": {"en": "Years since entering the caseload", "zh": "在档年数"},
    "still_on_file": {"en": "Share still on file", "zh": "仍在档比例"},
    "km_title": {"en": "{prefix}Exit curves by main cause (Kaplan-Meier, 95% band)", "zh": "{prefix}按主要致困原因的退出曲线（Kaplan-Meier，95%区间）"},
    "hazard_ratio": {"en": "Hazard ratio of exit (log scale)", "zh": "退出风险比（对数刻度）"},
    "hr_title": {"en": "{prefix}Exit hazard ratios (Cox model, 95% CI)", "zh": "{prefix}退出风险比（Cox模型，95%置信区间）"},
}


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
    ax.set_title(label(LABELS, "km_title", lang, prefix=prefix))
    ax.set_xlabel(label(LABELS, "years_on_file", lang))
    ax.set_ylabel(label(LABELS, "still_on_file", lang))
    ax.legend(frameon=False, fontsize=8)
    return fig


def hazard_ratio_chart(ratios: pd.DataFrame, prefix: str, lang: str) -> Figure:
    """Hazard ratios with intervals against the reference levels, on a log axis."""
    fig = new_figure(7.5, 3.8)
    ax = fig.add_subplot()
    y = np.arange(len(ratios))
    ax.errorbar(ratios["hazard_ratio"], y, xerr=[ratios["hazard_ratio"] - ratios["low"],
                                                 ratios["high"] - ratios["hazard_ratio"]],
                fmt="o", color=PALETTE[0], capsize=3)
    ax.axvline(1, color="#555555", linestyle="--", linewidth=1)
    ax.set_yticks(y, ratios["term"])
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_title(label(LABELS, "hr_title", lang, prefix=prefix))
    ax.set_xlabel(label(LABELS, "hazard_ratio", lang))
    return fig

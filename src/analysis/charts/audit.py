"""Data-audit charts: what each source contributes."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.charts.labels import label
from analysis.charts.style import PALETTE, new_figure


def figures_by_source_chart(counts: pd.DataFrame, lang: str) -> Figure:
    """Stacked bars: how many figures each source contributes to each topic."""
    fig = new_figure()
    ax = fig.add_subplot()
    left = np.zeros(len(counts))
    for position, topic in enumerate(counts.columns):
        ax.barh(counts.index, counts[topic], left=left, color=PALETTE[position % len(PALETTE)], label=topic)
        left += counts[topic].to_numpy()
    ax.invert_yaxis()
    ax.set_title(label("audit.chart.figures_per_source", lang))
    ax.set_xlabel(label("audit.chart.figure_count", lang))
    ax.set_ylabel(label("audit.chart.source", lang))
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    return fig

"""Call-log charts: monthly volume, STL decomposition, forecast and satisfaction."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from analysis.charts.labels import label
from analysis.charts.style import PALETTE, new_figure


def monthly_by_category_chart(monthly: pd.DataFrame, prefix: str, lang: str) -> Figure:
    """Stacked monthly volume by category."""
    fig = new_figure()
    ax = fig.add_subplot()
    bottom = np.zeros(len(monthly))
    for position, category in enumerate(monthly.columns):
        ax.bar(
            monthly.index,
            monthly[category] / 1e4,
            bottom=bottom,
            width=25,
            color=PALETTE[position % len(PALETTE)],
            label=category,
        )
        bottom += monthly[category].to_numpy() / 1e4
    ax.set_title(label("calllog.chart.monthly_title", lang, prefix=prefix))
    ax.set_xlabel(label("calllog.chart.month", lang))
    ax.set_ylabel(label("calllog.chart.monthly_calls", lang))
    ax.legend(frameon=False, fontsize=7, ncol=3, loc="upper left")
    return fig


def decomposition_chart(parts: pd.DataFrame, prefix: str, lang: str) -> Figure:
    """Observed, trend, seasonal and remainder panels."""
    fig = new_figure(7.5, 6.0)
    for position, column in enumerate(["observed", "trend", "seasonal", "resid"], 1):
        ax = fig.add_subplot(4, 1, position)
        ax.plot(parts.index, parts[column] / 1e4, color=PALETTE[position - 1])
        ax.set_ylabel(column, fontsize=8)
        if position == 1:
            ax.set_title(label("calllog.chart.stl_title", lang, prefix=prefix))
    ax.set_xlabel(label("calllog.chart.month", lang))
    return fig


def forecast_chart(history: pd.Series, forecast: pd.DataFrame, prefix: str, lang: str) -> Figure:
    """The last weeks before the holdout, the holdout, the forecast with its interval and the naive forecast."""
    fig = new_figure()
    ax = fig.add_subplot()
    ax.plot(history.index, history, color="#777777", linewidth=1)
    ax.plot(forecast.index, forecast["actual"], color=PALETTE[0], label="actual")
    ax.plot(forecast.index, forecast["forecast"], color=PALETTE[1], label="exponential smoothing")
    ax.fill_between(forecast.index, forecast["low"], forecast["high"], color=PALETTE[1], alpha=0.2)
    ax.plot(forecast.index, forecast["naive"], color=PALETTE[2], linestyle="--", label="seasonal naive")
    ax.set_title(label("calllog.chart.forecast_title", lang, prefix=prefix))
    ax.set_ylabel(label("calllog.chart.daily_calls", lang))
    ax.legend(frameon=False, fontsize=8)
    fig.autofmt_xdate()
    return fig


def satisfaction_chart(table: pd.DataFrame, prefix: str, lang: str) -> Figure:
    """Satisfied share per category with its Wilson interval."""
    shown = table.dropna(subset=["satisfied_share"]).sort_values("satisfied_share")
    fig = new_figure(7.5, 4.0)
    ax = fig.add_subplot()
    y = np.arange(len(shown))
    share = shown["satisfied_share"].astype(float)
    ax.errorbar(
        share,
        y,
        xerr=[share - shown["low"].astype(float), shown["high"].astype(float) - share],
        fmt="o",
        color=PALETTE[0],
        capsize=3,
    )
    ax.set_yticks(y, shown["category"])
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(label("calllog.chart.satisfaction_title", lang, prefix=prefix))
    ax.set_xlabel(label("calllog.chart.satisfied_share", lang))
    return fig

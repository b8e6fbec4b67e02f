"""Call-log charts: monthly volume, STL decomposition, forecast and satisfaction.

Each chart is drawn three times when saved (the layout, the PNG, the SVG), in both of a call-log report's languages,
on the edited-figure loop's longest chain (issue 27). They are drawn with few artists: a category's monthly bars are one
collection of rectangles (not one patch per bar, most of the stacked chart's time), and the date axes take fixed ticks
(on every n-th month) and the decomposition's panels share theirs, labelled once under the last (AutoDateLocator's
search and every panel's own tick labels were most of its time). They look as before.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, PercentFormatter

from analysis.charts.labels import label
from analysis.charts.style import PALETTE, new_figure

# A month's bar, in days, centred on the month's first day.
BAR_DAYS = 25


# Month steps a date axis may tick at, and the most ticks it shows (AutoDateLocator's choice on these spans).
TICK_MONTHS = (1, 2, 3, 6, 12, 24, 60, 120)
MAX_TICKS = 9


def month_ticks(ax: Axes, index: pd.DatetimeIndex) -> None:
    """Fixed ticks on the first day of every n-th month of the year within `index`'s span (n the smallest step of
    TICK_MONTHS giving at most MAX_TICKS: six for the SYNTHETIC log's 44 months), labelled year-month."""
    first, last = index.min(), index.max()
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next((n for n in TICK_MONTHS if months / n <= MAX_TICKS), TICK_MONTHS[-1])
    ticks = [day for day in pd.date_range(f"{first.year}-01-01", last, freq="MS") if (day.month - 1) % step == 0]
    ax.xaxis.set_major_locator(FixedLocator(mdates.date2num(ticks)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))


def monthly_by_category_chart(monthly: pd.DataFrame, prefix: str, lang: str) -> Figure:
    """Stacked monthly volume by category: each category's bars one collection of rectangles."""
    fig = new_figure()
    ax = fig.add_subplot()
    centre = mdates.date2num(monthly.index)
    left, right = centre - BAR_DAYS / 2, centre + BAR_DAYS / 2
    bottom = np.zeros(len(monthly))
    for position, category in enumerate(monthly.columns):
        top = bottom + monthly[category].to_numpy() / 1e4
        corners = [(left, bottom), (left, top), (right, top), (right, bottom)]  # each bar's, clockwise
        ax.add_collection(
            PolyCollection(
                np.stack([np.column_stack(corner) for corner in corners], axis=1),
                facecolors=PALETTE[position % len(PALETTE)],
                edgecolors="none",
                linewidths=0,
                label=category,
            )
        )
        bottom = top
    ax.xaxis_date()
    ax.autoscale_view()
    ax.set_ylim(bottom=0)  # bars stand on the axis, as ax.bar's do
    month_ticks(ax, monthly.index)
    ax.set_title(label("calllog.chart.monthly_title", lang, prefix=prefix))
    ax.set_xlabel(label("calllog.chart.month", lang))
    ax.set_ylabel(label("calllog.chart.monthly_calls", lang))
    ax.legend(frameon=False, fontsize=7, ncol=3, loc="upper left")
    return fig


def decomposition_chart(parts: pd.DataFrame, prefix: str, lang: str) -> Figure:
    """Observed, trend, seasonal and remainder panels."""
    fig = new_figure(7.5, 6.0)
    axes = fig.subplots(4, 1, sharex=True)
    for position, (ax, column) in enumerate(zip(axes, ["observed", "trend", "seasonal", "resid"])):
        ax.plot(parts.index, parts[column] / 1e4, color=PALETTE[position])
        ax.set_ylabel(column, fontsize=8)
    axes[0].set_title(label("calllog.chart.stl_title", lang, prefix=prefix))
    month_ticks(axes[-1], parts.index)
    axes[-1].set_xlabel(label("calllog.chart.month", lang))
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

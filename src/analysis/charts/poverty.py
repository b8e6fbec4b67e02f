"""Caseload-exit charts: published stocks, net paths, the assumed-inflow range and composition."""

from __future__ import annotations

from datetime import date

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from analysis import calendar, language
from analysis.charts.labels import dimension_title, label, region_name
from analysis.charts.style import PALETTE, new_figure


def caseload_chart(
    stocks: pd.DataFrame,
    paths: list[tuple[str, pd.DataFrame]],
    projection: pd.DataFrame,
    region: str,
    lang: str,
    *,
    name: str,
    counts: str,
) -> Figure:
    """Published totals, the constant-net-rate path across each exact change, and the projection band after.

    `name` is the stock's name (indicators.csv) in `lang`, `counts` what one unit of it is."""
    fig = new_figure()
    ax = fig.add_subplot()
    for position, (start, path) in enumerate(paths):
        ax.plot(
            calendar.dates_after(start, path["years"]),
            path["households"],
            color=PALETTE[0],
            label=label("poverty.chart.net_path", lang) if position == 0 else None,
        )
    future = calendar.dates_after(stocks["date"].iloc[-1], projection["years_ahead"])
    ax.fill_between(
        future,
        projection["band_low"],
        projection["band_high"],
        color=PALETTE[1],
        alpha=0.25,
        label=label("poverty.chart.projection_band", lang),
    )
    ax.plot(future, projection["least_inflow"], color=PALETTE[0], linestyle="--")
    ax.scatter(
        [date.fromisoformat(d) for d in stocks["date"]],
        stocks["value"],
        color=PALETTE[1],
        zorder=3,
        label=label("poverty.chart.published_stock", lang),
    )
    for d, n in zip(stocks["date"], stocks["value"]):
        ax.annotate(f"{int(n):,}", (date.fromisoformat(d), n), textcoords="offset points", xytext=(6, 6), fontsize=9)
    ax.set_title(capitalised(label("poverty.chart.caseload_title", lang, name=name, region=region_name(region, lang))))
    ax.set_xlabel(label("poverty.chart.date", lang))
    ax.set_ylabel(unit_label(counts, lang))
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=8)
    return fig


def capitalised(title: str) -> str:
    """A title whose first word is a name from the data ('struggling-worker households …') starts with a capital."""
    return title[:1].upper() + title[1:]


def unit_label(counts: str, lang: str) -> str:
    """What one unit of a stock is, in `lang` ('households', '户'); an undeclared one as the data says."""
    key = f"poverty.noun.{counts}"
    return label(key, lang) if key in language.catalogue() else counts.replace("_", " ")


def lower_bound_chart(stocks: pd.DataFrame, region: str, lang: str, *, name: str, counts: str) -> Figure:
    """A stock known only as a lower bound: a bar with an open top."""
    fig = new_figure(7.5, 3.6)
    ax = fig.add_subplot()
    dates = [date.fromisoformat(d) for d in stocks["date"]]
    ax.bar(
        dates,
        stocks["value"],
        width=40,
        color=PALETTE[0],
        alpha=0.6,
        label=label("poverty.chart.lower_bound_stock", lang),
    )
    for d, n in zip(dates, stocks["value"]):
        ax.annotate("", xy=(d, n * 1.35), xytext=(d, n), arrowprops={"arrowstyle": "->"})
        ax.annotate(f"≥ {int(n):,}", (d, n), textcoords="offset points", xytext=(14, 0), fontsize=9)
    ax.set_title(capitalised(label("poverty.chart.caseload_title", lang, name=name, region=region_name(region, lang))))
    ax.set_xlabel(label("poverty.chart.date", lang))
    ax.set_ylabel(unit_label(counts, lang))
    ax.set_ylim(0, float(stocks["value"].max()) * 1.6)
    ax.legend(frameon=False, fontsize=8)
    return fig


def sensitivity_chart(sensitivity: pd.DataFrame, region: str, lang: str, *, counts: str) -> Figure:
    """For each assumed yearly inflow: the implied gross annual exit probability and the entrants' share of the end stock."""
    fig = new_figure()
    ax = fig.add_subplot()
    x = sensitivity["inflow_per_year"]
    ax.plot(
        x, sensitivity["annual_exit_probability"], color=PALETTE[0], label=label("poverty.chart.exit_probability", lang)
    )
    ax.plot(
        x,
        sensitivity["entrant_share"],
        color=PALETTE[1],
        linestyle="--",
        label=label("poverty.chart.entrant_share", lang),
    )
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylim(0, 1)
    ax.set_title(label("poverty.chart.sensitivity_title", lang, region=region_name(region, lang)))
    ax.set_xlabel(label("poverty.chart.inflow", lang, noun=unit_label(counts, lang)))
    ax.legend(frameon=False, fontsize=8)
    return fig


def composition_chart(
    panels: list[tuple[str, pd.DataFrame]], on_date: str, region: str, lang: str, *, name: str, counts: str
) -> Figure:
    """Each printed breakdown of one date's stock, side by side: every part's share of the total, each alone."""
    fig = new_figure(8.5, 4.0)
    for position, (dimension, table) in enumerate(panels, 1):
        ax = fig.add_subplot(1, len(panels), position)
        ordered = table.iloc[::-1]
        ax.barh(ordered["category"], ordered["share"], color=PALETTE[(position - 1) % len(PALETTE)])
        for y, (share, n) in enumerate(zip(ordered["share"], ordered["count"])):
            ax.annotate(f"{share:.0%} ({n:,})", (share, y), textcoords="offset points", xytext=(3, -3), fontsize=8)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlim(0, float(table["share"].max()) * 1.35)
        ax.set_title(dimension_title(dimension, lang), fontsize=10)
        ax.set_xlabel(label("poverty.chart.share", lang, noun=unit_label(counts, lang)))
    fig.suptitle(
        capitalised(
            label("poverty.chart.composition_title", lang, date=on_date, name=name, region=region_name(region, lang))
        ),
        fontsize=11,
    )
    return fig

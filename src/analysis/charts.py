"""The reports' charts: data in, house-style Figure out (labels follow `lang`)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from analysis.labels import label, region_name
from analysis.plotting import PALETTE, new_figure


def _to_date(start: str, years: np.ndarray) -> list[date]:
    origin = date.fromisoformat(start)
    return [origin + timedelta(days=float(y) * 365.25) for y in years]


def caseload_chart(stocks: pd.DataFrame, net_path: pd.DataFrame, projection: pd.DataFrame,
                   region: str, lang: str) -> Figure:
    """Published stocks, the constant-hazard path between them, and the projection band after."""
    fig = new_figure()
    ax = fig.add_subplot()
    start, end = stocks["date"].iloc[0], stocks["date"].iloc[-1]
    ax.plot(_to_date(start, net_path["years"]), net_path["households"], color=PALETTE[0],
            label=label("net_path", lang))
    future = _to_date(end, projection["years_ahead"])
    ax.fill_between(future, projection["band_low"], projection["band_high"], color=PALETTE[1],
                    alpha=0.25, label=label("projection_band", lang))
    ax.plot(future, projection["no_inflow"], color=PALETTE[0], linestyle="--")
    ax.scatter([date.fromisoformat(d) for d in stocks["date"]], stocks["households"], color=PALETTE[1],
               zorder=3, label=label("published_stock", lang))
    for d, n in zip(stocks["date"], stocks["households"]):
        ax.annotate(f"{int(n):,}", (date.fromisoformat(d), n), textcoords="offset points",
                    xytext=(6, 6), fontsize=9)
    ax.set_title(label("caseload_title", lang, region=region_name(region, lang)))
    ax.set_xlabel(label("date", lang))
    ax.set_ylabel(label("households", lang))
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=8)
    return fig


def lower_bound_chart(stocks: pd.DataFrame, region: str, lang: str) -> Figure:
    """A stock known only as a lower bound: a bar with an open top."""
    fig = new_figure(7.5, 3.6)
    ax = fig.add_subplot()
    dates = [date.fromisoformat(d) for d in stocks["date"]]
    ax.bar(dates, stocks["households"], width=40, color=PALETTE[0], alpha=0.6,
           label=label("lower_bound_stock", lang))
    for d, n in zip(dates, stocks["households"]):
        ax.annotate("", xy=(d, n * 1.35), xytext=(d, n), arrowprops={"arrowstyle": "->"})
        ax.annotate(f"≥ {int(n):,}", (d, n), textcoords="offset points", xytext=(14, 0), fontsize=9)
    ax.set_title(label("caseload_title", lang, region=region_name(region, lang)))
    ax.set_xlabel(label("date", lang))
    ax.set_ylabel(label("households", lang))
    ax.set_ylim(0, float(stocks["households"].max()) * 1.6)
    ax.legend(frameon=False, fontsize=8)
    return fig


def sensitivity_chart(sensitivity: pd.DataFrame, region: str, lang: str) -> Figure:
    """Implied gross annual exit probability against the assumed yearly inflow."""
    fig = new_figure()
    ax = fig.add_subplot()
    ax.plot(sensitivity["inflow_per_year"], sensitivity["annual_exit_probability"], color=PALETTE[0])
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(label("sensitivity_title", lang, region=region_name(region, lang)))
    ax.set_xlabel(label("inflow", lang))
    ax.set_ylabel(label("exit_probability", lang))
    return fig


def composition_chart(by_type: pd.DataFrame, by_cause: pd.DataFrame, on_date: str, region: str,
                      lang: str) -> Figure:
    """Shares of the remaining caseload by household type and by main cause, side by side."""
    fig = new_figure(8.5, 4.0)
    total = int(by_type["households"].sum())
    for position, (table, key) in enumerate(((by_type, "household_type"), (by_cause, "main_cause")), 1):
        ax = fig.add_subplot(1, 2, position)
        ordered = table.iloc[::-1]
        ax.barh(ordered["category"], ordered["share"], color=PALETTE[position - 1])
        for y, (share, n) in enumerate(zip(ordered["share"], ordered["households"])):
            ax.annotate(f"{share:.0%} ({n})", (share, y), textcoords="offset points", xytext=(3, -3),
                        fontsize=8)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlim(0, float(table["share"].max()) * 1.35)
        ax.set_title(label(key, lang), fontsize=10)
        ax.set_xlabel(label("share", lang))
    fig.suptitle(label("composition_title", lang, date=on_date, region=region_name(region, lang),
                       total=total), fontsize=11)
    return fig


def figures_by_source_chart(counts: pd.DataFrame, lang: str) -> Figure:
    """Stacked bars: how many figures each source contributes to each topic."""
    fig = new_figure()
    ax = fig.add_subplot()
    left = np.zeros(len(counts))
    for position, topic in enumerate(counts.columns):
        ax.barh(counts.index, counts[topic], left=left, color=PALETTE[position % len(PALETTE)], label=topic)
        left += counts[topic].to_numpy()
    ax.invert_yaxis()
    ax.set_title(label("figures_per_source", lang))
    ax.set_xlabel(label("figure_count", lang))
    ax.set_ylabel(label("source", lang))
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    return fig


def calls_per_day_chart(volumes: pd.DataFrame, unexplained: pd.DataFrame, lang: str) -> Figure:
    """Calls per day in each printed period, and the lower-bound rate of the unexplained remainder."""
    fig = new_figure()
    ax = fig.add_subplot()
    for position, row in enumerate(volumes.itertuples()):
        start, end = date.fromisoformat(row.period_start), date.fromisoformat(row.period_end)
        bound = row.qualifier == "at_least"
        ax.hlines(row.calls_per_day / 1e4, start, end, color=PALETTE[position % len(PALETTE)], linewidth=4,
                  linestyle=":" if bound else "-",
                  label=f"{row.period_as_printed} ({'≥ ' if bound else ''}{row.calls / 1e4:,.0f}万)")
    low = unexplained["unexplained_per_day_at_least"].min() / 1e4
    high = unexplained["unexplained_per_day_at_least"].max() / 1e4
    ax.axhspan(low, high, color=PALETTE[-1], alpha=0.3, label=label("unexplained_per_day", lang))
    ax.set_title(label("hotline_title", lang))
    ax.set_xlabel(label("period", lang))
    ax.set_ylabel(label("calls_per_day", lang))
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return fig


def unexplained_chart(unexplained: pd.DataFrame, reference_per_day: float, lang: str) -> Figure:
    """Lower bound on the unexplained calls per day, against the assumed end of the cumulative window."""
    fig = new_figure(7.5, 3.8)
    ax = fig.add_subplot()
    ends = [date.fromisoformat(d) for d in unexplained["window_end"]]
    ax.plot(ends, unexplained["unexplained_per_day_at_least"] / 1e4, color=PALETTE[0], marker="o", markersize=3)
    ax.axhline(reference_per_day / 1e4, color=PALETTE[1], linestyle="--", linewidth=1)
    ax.annotate("2021", (ends[0], reference_per_day / 1e4), textcoords="offset points", xytext=(2, 4), fontsize=8)
    ax.set_title(label("unexplained_title", lang))
    ax.set_xlabel(label("window_end", lang))
    ax.set_ylabel(label("unexplained_per_day", lang))
    ax.set_ylim(bottom=0)
    fig.autofmt_xdate()
    return fig


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
    ax.set_title(label("wilson_title", lang))
    ax.set_xlabel(label("sample_size", lang))
    ax.set_ylabel(label("rate", lang))
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    return fig


def funnel_chart(steps: pd.DataFrame, lang: str) -> Figure:
    """The good/bad-review closed loop: each step's printed figure, bounds marked."""
    fig = new_figure(7.5, 3.6)
    ax = fig.add_subplot()
    ax.barh(steps["step"], steps["share"], color=PALETTE[0], alpha=0.75)
    for y, text in enumerate(steps["printed"]):
        ax.annotate(text, (0.01, y), textcoords="offset points", xytext=(4, -3), fontsize=9, color="white")
    ax.invert_yaxis()
    ax.set_xlim(0, 1.05)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(label("funnel_title", lang))
    ax.set_xlabel(label("rate", lang))
    return fig


def intensity_chart(intensity: pd.DataFrame, lang: str) -> Figure:
    """Services handled per unit, with the range over the possible end of the counting period."""
    fig = new_figure(7.5, 3.6)
    ax = fig.add_subplot()
    ax.barh(intensity["measure"], intensity["value"], color=PALETTE[2])
    for y, text in enumerate(intensity["display"]):
        ax.annotate(text, (float(intensity["value"].iloc[y]), y), textcoords="offset points", xytext=(4, -3),
                    fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, float(intensity["value"].max()) * 1.4)
    ax.set_title(label("intensity_title", lang))
    return fig


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
    ax.set_title(label("km_title", lang, prefix=prefix))
    ax.set_xlabel(label("years_on_file", lang))
    ax.set_ylabel(label("still_on_file", lang))
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
    ax.set_title(label("hr_title", lang, prefix=prefix))
    ax.set_xlabel(label("hazard_ratio", lang))
    return fig


def monthly_by_category_chart(monthly: pd.DataFrame, prefix: str, lang: str) -> Figure:
    """Stacked monthly volume by category."""
    fig = new_figure()
    ax = fig.add_subplot()
    bottom = np.zeros(len(monthly))
    for position, category in enumerate(monthly.columns):
        ax.bar(monthly.index, monthly[category] / 1e4, bottom=bottom, width=25,
               color=PALETTE[position % len(PALETTE)], label=category)
        bottom += monthly[category].to_numpy() / 1e4
    ax.set_title(label("monthly_title", lang, prefix=prefix))
    ax.set_xlabel(label("month", lang))
    ax.set_ylabel(label("monthly_calls", lang))
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
            ax.set_title(label("stl_title", lang, prefix=prefix))
    ax.set_xlabel(label("month", lang))
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
    ax.set_title(label("forecast_title", lang, prefix=prefix))
    ax.set_ylabel(label("daily_calls", lang))
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
    ax.errorbar(share, y, xerr=[share - shown["low"].astype(float), shown["high"].astype(float) - share],
                fmt="o", color=PALETTE[0], capsize=3)
    ax.set_yticks(y, shown["category"])
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(label("satisfaction_title", lang, prefix=prefix))
    ax.set_xlabel(label("satisfied_share", lang))
    return fig

"""Poverty-exit charts: published stocks, exit paths, inflow sensitivity and composition."""

from __future__ import annotations

from datetime import date

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from analysis import calendar
from analysis.charts.labels import label, region_name
from analysis.charts.style import PALETTE, new_figure

LABELS = {
    "households": {"en": "Households on file", "zh": "在档户数（户）"},
    "date": {"en": "Date", "zh": "日期"},
    "caseload_title": {"en": "Struggling-worker households on file, {region}", "zh": "{region}在档困难职工家庭户数"},
    "published_stock": {"en": "Published stock", "zh": "公布的在档户数"},
    "net_path": {"en": "Constant net hazard, no inflow", "zh": "恒定净退出率（无新增）"},
    "projection_band": {"en": "Projection band over assumed inflows", "zh": "不同新增假设下的预测区间"},
    "lower_bound_stock": {"en": "Published lower bound", "zh": "公布的下限"},
    "inflow": {"en": "Assumed new households per year", "zh": "假设每年新增户数"},
    "exit_probability": {"en": "Implied annual exit probability (gross)", "zh": "隐含年退出概率（毛）"},
    "sensitivity_title": {"en": "Gross exit rate implied by an assumed inflow, {region}", "zh": "{region}：不同新增假设下的毛退出率"},
    "share": {"en": "Share of households on file", "zh": "占在档户数比例"},
    "household_type": {"en": "By household type", "zh": "按家庭类型"},
    "main_cause": {"en": "By main cause of hardship", "zh": "按主要致困原因"},
    "composition_title": {"en": "Remaining caseload on {date}, {region} (n = {total})", "zh": "{region}{date}在档困难职工家庭构成（共{total}户）"},
}


def caseload_chart(stocks: pd.DataFrame, paths: list[tuple[str, pd.DataFrame]], projection: pd.DataFrame,
                   region: str, lang: str) -> Figure:
    """Published totals, the constant-hazard path across each exact change, and the projection band after."""
    fig = new_figure()
    ax = fig.add_subplot()
    for position, (start, path) in enumerate(paths):
        ax.plot(calendar.dates_after(start, path["years"]), path["households"], color=PALETTE[0],
                label=label(LABELS, "net_path", lang) if position == 0 else None)
    future = calendar.dates_after(stocks["date"].iloc[-1], projection["years_ahead"])
    ax.fill_between(future, projection["band_low"], projection["band_high"], color=PALETTE[1],
                    alpha=0.25, label=label(LABELS, "projection_band", lang))
    ax.plot(future, projection["no_inflow"], color=PALETTE[0], linestyle="--")
    ax.scatter([date.fromisoformat(d) for d in stocks["date"]], stocks["value"], color=PALETTE[1],
               zorder=3, label=label(LABELS, "published_stock", lang))
    for d, n in zip(stocks["date"], stocks["value"]):
        ax.annotate(f"{int(n):,}", (date.fromisoformat(d), n), textcoords="offset points",
                    xytext=(6, 6), fontsize=9)
    ax.set_title(label(LABELS, "caseload_title", lang, region=region_name(region, lang)))
    ax.set_xlabel(label(LABELS, "date", lang))
    ax.set_ylabel(label(LABELS, "households", lang))
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize=8)
    return fig


def lower_bound_chart(stocks: pd.DataFrame, region: str, lang: str) -> Figure:
    """A stock known only as a lower bound: a bar with an open top."""
    fig = new_figure(7.5, 3.6)
    ax = fig.add_subplot()
    dates = [date.fromisoformat(d) for d in stocks["date"]]
    ax.bar(dates, stocks["value"], width=40, color=PALETTE[0], alpha=0.6,
           label=label(LABELS, "lower_bound_stock", lang))
    for d, n in zip(dates, stocks["value"]):
        ax.annotate("", xy=(d, n * 1.35), xytext=(d, n), arrowprops={"arrowstyle": "->"})
        ax.annotate(f"≥ {int(n):,}", (d, n), textcoords="offset points", xytext=(14, 0), fontsize=9)
    ax.set_title(label(LABELS, "caseload_title", lang, region=region_name(region, lang)))
    ax.set_xlabel(label(LABELS, "date", lang))
    ax.set_ylabel(label(LABELS, "households", lang))
    ax.set_ylim(0, float(stocks["value"].max()) * 1.6)
    ax.legend(frameon=False, fontsize=8)
    return fig


def sensitivity_chart(sensitivity: pd.DataFrame, region: str, lang: str) -> Figure:
    """Implied gross annual exit probability against the assumed yearly inflow."""
    fig = new_figure()
    ax = fig.add_subplot()
    ax.plot(sensitivity["inflow_per_year"], sensitivity["annual_exit_probability"], color=PALETTE[0])
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(label(LABELS, "sensitivity_title", lang, region=region_name(region, lang)))
    ax.set_xlabel(label(LABELS, "inflow", lang))
    ax.set_ylabel(label(LABELS, "exit_probability", lang))
    return fig


def composition_chart(panels: list[tuple[str, pd.DataFrame]], on_date: str, region: str, lang: str) -> Figure:
    """Shares of one date's caseload by each printed breakdown, side by side (shares of the listed parts)."""
    fig = new_figure(8.5, 4.0)
    total = int(panels[0][1]["count"].sum())
    for position, (dimension, table) in enumerate(panels, 1):
        ax = fig.add_subplot(1, len(panels), position)
        ordered = table.iloc[::-1]
        ax.barh(ordered["category"], ordered["share"], color=PALETTE[(position - 1) % len(PALETTE)])
        for y, (share, n) in enumerate(zip(ordered["share"], ordered["count"])):
            ax.annotate(f"{share:.0%} ({n:,})", (share, y), textcoords="offset points", xytext=(3, -3),
                        fontsize=8)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlim(0, float(table["share"].max()) * 1.35)
        title = LABELS[dimension][lang] if dimension in LABELS else dimension.replace("_", " ")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(label(LABELS, "share", lang))
    fig.suptitle(label(LABELS, "composition_title", lang, date=on_date, region=region_name(region, lang),
                       total=total), fontsize=11)
    return fig

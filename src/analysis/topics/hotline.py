"""Hotline volume: calls per period, per day and per resident, checked against printed claims."""

from __future__ import annotations

import pandas as pd

from analysis.calendar import period_days


def per_day(volume: float, days: int) -> float:
    """Average calls per day over a period."""
    return volume / days


def ratio_holds(recomputed: float, printed: float, decimals: int) -> bool:
    """Whether a recomputed ratio rounds to the printed one at the printed precision."""
    return abs(recomputed - printed) <= 0.5 * 10 ** (-decimals) + 1e-12


def printed_decimals(printed: float) -> int:
    """Decimal places of a printed number such as 1.5 (1) or 3 (0)."""
    text = f"{printed:g}"
    return len(text.split(".")[1]) if "." in text else 0


def unexplained_volume(cumulative_at_least: float, window_start: str, stated: pd.DataFrame,
                       window_ends: list[str]) -> pd.DataFrame:
    """Calls in the cumulative window not covered by the stated periods, for each possible window end.

    `stated` has columns period_start, period_end, calls; the cumulative total is a lower bound,
    so every number here is a lower bound too.
    """
    stated_volume = float(stated["calls"].sum())
    stated_days = int(sum(period_days(s, e) for s, e in zip(stated["period_start"], stated["period_end"])))
    rows = []
    for end in window_ends:
        window_days = period_days(window_start, end)
        other_days = window_days - stated_days
        rows.append({"window_end": end, "window_days": window_days, "unexplained_days": other_days,
                     "unexplained_calls_at_least": cumulative_at_least - stated_volume,
                     "unexplained_per_day_at_least": (cumulative_at_least - stated_volume) / other_days})
    return pd.DataFrame(rows)


CALLS = "hotline_calls_received"
POPULATION = "resident_population"


def call_volumes(table: pd.DataFrame, region: str) -> pd.DataFrame:
    """The region's printed call volumes with their periods, days and calls per day."""
    rows = table[(table["region"] == region) & (table["indicator"] == CALLS)
                 & (table["breakdown_dimension"] == "")]
    volumes = rows[["figure_id", "period_start", "period_end", "days", "value", "qualifier",
                    "period_as_printed"]].rename(columns={"value": "calls"})
    volumes = volumes.assign(calls=volumes["calls"].astype(float),
                             calls_per_day=volumes["calls"].astype(float) / volumes["days"])
    return volumes.sort_values(["period_start", "period_end"], kind="stable").reset_index(drop=True)


def split_cumulative(volumes: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """The widest window (the cumulative total) and the exact periods stated inside it."""
    cumulative = volumes.loc[volumes["days"].idxmax()]
    inside = volumes[(volumes.index != cumulative.name) & (volumes["qualifier"] == "exact")
                     & (volumes["period_start"] >= cumulative["period_start"])]
    return cumulative, inside.reset_index(drop=True)


def calls_per_resident(calls: float, population_at_least: float) -> float:
    """Calls per resident; with a population printed as a lower bound this is an upper bound."""
    return calls / population_at_least

"""Poverty exit: how fast households leave the caseload, and what the remaining caseload is made of."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from analysis.calendar import DAYS_PER_YEAR

@dataclass(frozen=True)
class HazardEstimate:
    """A constant exit hazard and what it implies."""

    rate_per_year: float
    annual_exit_probability: float
    half_life_years: float


def net_exit_fraction(start_stock: int, end_stock: int) -> Fraction:
    """Share of the starting stock no longer on file at the end, exactly."""
    return 1 - Fraction(end_stock, start_stock)


def hazard_from_rate(rate_per_year: float) -> HazardEstimate:
    """Annual exit probability and half-life for a constant hazard."""
    return HazardEstimate(rate_per_year, 1 - math.exp(-rate_per_year), math.log(2) / rate_per_year)


def net_constant_hazard(start_stock: int, end_stock: int, days: int) -> HazardEstimate:
    """The exponential exit rate that takes start_stock to end_stock in `days`, with no inflow."""
    years = days / DAYS_PER_YEAR
    return hazard_from_rate(math.log(start_stock / end_stock) / years)


def stock_with_inflow(start_stock: float, rate_per_year: float, inflow_per_year: float,
                      years: np.ndarray | float) -> np.ndarray | float:
    """Stock after `years` under dN/dt = inflow - rate * N (closed form)."""
    steady = inflow_per_year / rate_per_year
    return steady + (start_stock - steady) * np.exp(-rate_per_year * np.asarray(years))


def gross_hazard(start_stock: int, end_stock: int, days: int, inflow_per_year: float) -> float:
    """The exit rate that, with a constant yearly inflow, takes start_stock to end_stock in `days`."""
    years = days / DAYS_PER_YEAR
    if inflow_per_year == 0:
        return math.log(start_stock / end_stock) / years

    def gap(rate: float) -> float:
        return float(stock_with_inflow(start_stock, rate, inflow_per_year, years)) - end_stock

    # The stock at the end falls as the rate rises: from start + inflow*years (rate -> 0)
    # towards 0 (rate -> infinity), so one root lies between.
    return brentq(gap, 1e-9, 1e3, xtol=1e-14, rtol=1e-12)


def inflow_sensitivity(start_stock: int, end_stock: int, days: int,
                       inflows: np.ndarray) -> pd.DataFrame:
    """Gross exit hazard implied by each assumed yearly inflow of new households."""
    rows = [{"inflow_per_year": float(i),
             **vars(hazard_from_rate(gross_hazard(start_stock, end_stock, days, float(i))))}
            for i in inflows]
    return pd.DataFrame(rows)


def project_stock(end_stock: int, sensitivity: pd.DataFrame, years_ahead: np.ndarray) -> pd.DataFrame:
    """Future stock for each (inflow, hazard) pair, with the band over all pairs."""
    paths = np.vstack([stock_with_inflow(end_stock, r.rate_per_year, r.inflow_per_year, years_ahead)
                       for r in sensitivity.itertuples()])
    no_inflow = sensitivity.index[sensitivity["inflow_per_year"] == 0]
    central = paths[no_inflow[0]] if len(no_inflow) else np.full(len(years_ahead), np.nan)
    return pd.DataFrame({"years_ahead": years_ahead, "no_inflow": central,
                         "band_low": paths.min(axis=0), "band_high": paths.max(axis=0)})


def composition(caseload: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Households and shares of the total by one breakdown, largest first."""
    parts = caseload[caseload["breakdown_dimension"] == dimension]
    total = int(parts["households"].sum())
    table = pd.DataFrame({"category": parts["breakdown_value"],
                          "households": parts["households"].astype(int),
                          "share": parts["households"] / total,
                          "figure_id": parts["figure_id"]})
    return table.sort_values("households", ascending=False, kind="stable").reset_index(drop=True)


def stocks(caseload: pd.DataFrame, region: str) -> pd.DataFrame:
    """The region's total caseload on each published date, oldest first."""
    rows = caseload[(caseload["region"] == region) & (caseload["breakdown_dimension"] == "")]
    return rows.sort_values("date", kind="stable").reset_index(drop=True)


def net_path(start_stock: int, end_stock: int, days: int, points: int = 60) -> pd.DataFrame:
    """The constant-net-hazard path between two published stocks."""
    years = np.linspace(0, days / DAYS_PER_YEAR, points)
    rate = math.log(start_stock / end_stock) / (days / DAYS_PER_YEAR)
    return pd.DataFrame({"years": years, "households": start_stock * np.exp(-rate * years)})


def two_exact_stocks(stocks: pd.DataFrame) -> bool:
    """Whether the region has the two exact, dated totals a net exit rate needs."""
    exact = stocks[stocks["qualifier"] == "exact"]
    return len(exact) >= 2 and exact["date"].nunique() >= 2

"""Service satisfaction: rates with Wilson intervals where n is printed, and what n would buy where not."""

from __future__ import annotations

import pandas as pd
from statsmodels.stats.proportion import proportion_confint

N_NOT_REPORTED = "n not reported"


def wilson_interval(successes: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """Wilson score interval for a proportion (statsmodels)."""
    low, high = proportion_confint(successes, n, alpha=alpha, method="wilson")
    return float(low), float(high)


def rate_interval_text(rate: float, n: int | None, alpha: float = 0.05) -> str:
    """The interval to print beside a rate, or 'n not reported' when the source gives no n."""
    if n is None:
        return N_NOT_REPORTED
    low, high = wilson_interval(round(rate * n), n, alpha)
    return f"{low:.1%} – {high:.1%}"


def interval_by_sample_size(rate: float, sizes: list[int], alpha: float = 0.05) -> pd.DataFrame:
    """How the Wilson interval around a printed rate would narrow as n grows."""
    rows = []
    for n in sizes:
        low, high = wilson_interval(round(rate * n), n, alpha)
        rows.append({"n": n, "low": low, "high": high})
    return pd.DataFrame(rows)


def smallest_n_with_lower_bound_above(rate: float, threshold: float, alpha: float = 0.05,
                                      n_max: int = 1_000_000) -> int:
    """The least n at which the Wilson lower bound around `rate` exceeds `threshold`."""
    for n in range(1, n_max + 1):
        if wilson_interval(round(rate * n), n, alpha)[0] > threshold:
            return n
    raise ValueError(f"no n up to {n_max} puts the lower bound above {threshold}")


def per_thousand(count: float, population: float) -> float:
    """Count per thousand of a population."""
    return 1000 * count / population


def per_month(count: float, days: int) -> float:
    """Count per average month (365.25 / 12 days)."""
    return count / days * (365.25 / 12)


def rates_table(table: pd.DataFrame) -> pd.DataFrame:
    """Every printed rate with its interval, or 'n not reported' where the source gives no n."""
    rates = table[table["kind"] == "rate"]
    return pd.DataFrame({
        "figure_id": rates["figure_id"], "region": rates["region"], "indicator": rates["indicator"],
        "period_end": rates["period_end"], "rate": rates["value"].astype(float),
        "qualifier": rates["qualifier"],
        "interval_95": [rate_interval_text(float(r), None) for r in rates["value"]],
    }).reset_index(drop=True)


def value_of(table: pd.DataFrame, region: str, indicator: str, qualifier: str | None = None) -> pd.Series:
    """The single row printed for a region and indicator (optionally with a given qualifier)."""
    rows = table[(table["region"] == region) & (table["indicator"] == indicator)]
    if qualifier is not None:
        rows = rows[rows["qualifier"] == qualifier]
    if len(rows) != 1:
        raise LookupError(f"expected one printed figure for {region}/{indicator}, found {len(rows)}")
    return rows.iloc[0]

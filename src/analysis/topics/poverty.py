"""Poverty exit: how fast households leave the caseload, and what the remaining caseload is made of."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from analysis import numbers
from analysis.calendar import DAYS_PER_YEAR, days_between
from analysis.evidence.audit import rows_involving
from analysis.evidence.names import region_name
from analysis.language import dimension_name, say
from analysis.numbers import Finding, KeyNumber


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


def stock_with_inflow(
    start_stock: float, rate_per_year: float, inflow_per_year: float, years: np.ndarray | float
) -> np.ndarray | float:
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


def inflow_sensitivity(start_stock: int, end_stock: int, days: int, inflows: np.ndarray) -> pd.DataFrame:
    """Gross exit hazard implied by each assumed yearly inflow of new households."""
    rows = [
        {"inflow_per_year": float(i), **vars(hazard_from_rate(gross_hazard(start_stock, end_stock, days, float(i))))}
        for i in inflows
    ]
    return pd.DataFrame(rows)


def project_stock(end_stock: int, sensitivity: pd.DataFrame, years_ahead: np.ndarray) -> pd.DataFrame:
    """Future stock for each (inflow, hazard) pair, with the band over all pairs."""
    paths = np.vstack(
        [
            stock_with_inflow(end_stock, r.rate_per_year, r.inflow_per_year, years_ahead)
            for r in sensitivity.itertuples()
        ]
    )
    no_inflow = sensitivity.index[sensitivity["inflow_per_year"] == 0]
    central = paths[no_inflow[0]] if len(no_inflow) else np.full(len(years_ahead), np.nan)
    return pd.DataFrame(
        {
            "years_ahead": years_ahead,
            "no_inflow": central,
            "band_low": paths.min(axis=0),
            "band_high": paths.max(axis=0),
        }
    )


def net_path(start_stock: int, end_stock: int, days: int, points: int = 60) -> pd.DataFrame:
    """The constant-net-hazard path between two published stocks."""
    years = np.linspace(0, days / DAYS_PER_YEAR, points)
    rate = math.log(start_stock / end_stock) / (days / DAYS_PER_YEAR)
    return pd.DataFrame({"years": years, "households": start_stock * np.exp(-rate * years)})


# Categories the sources name as the hard core of hardship, hardest to lift out (大病, 残疾).
HARD_CORE_CAUSES = ("大病", "残疾")
EXIT_ROUTE = "exit_route"
# Households and persons are different units: a stock indicator names which it counts.
STOCK_SUFFIX = "_on_file"
EXIT_RATE_SUFFIX = "_exit_rate"


def stock_indicators(caseload: pd.DataFrame) -> list[str]:
    """The region's stock indicators (households or persons on file), most dated totals first."""
    totals = caseload[(caseload["breakdown_dimension"] == "") & caseload["indicator"].str.endswith(STOCK_SUFFIX)]
    counts = totals.groupby("indicator")["date"].nunique()
    return sorted(counts.index, key=lambda i: (-counts[i], i))


def stocks(caseload: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """One indicator's printed totals on each date, oldest first."""
    rows = caseload[(caseload["indicator"] == indicator) & (caseload["breakdown_dimension"] == "")]
    return rows.sort_values(["date", "figure_id"], kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class StockChange:
    """A stock change between two dated totals: exact, or bounded where a total is printed as a bound."""

    start: pd.Series
    end: pd.Series
    days: int

    @property
    def exact(self) -> bool:
        return self.start["qualifier"] == "exact" and self.end["qualifier"] == "exact"

    def hazard_range(self) -> tuple[float, float]:
        """The net hazards a year the printed intervals of both stocks allow (an open end is infinite)."""
        years = self.days / DAYS_PER_YEAR
        low = _log_ratio(self.start["value_low"], self.end["value_high"]) / years
        high = _log_ratio(self.start["value_high"], self.end["value_low"]) / years
        return low, high


def _log_ratio(numerator: float, denominator: float) -> float:
    if math.isinf(numerator) or denominator == 0:
        return math.inf
    if math.isinf(denominator) or numerator == 0:
        return -math.inf
    return math.log(numerator / denominator)


def consecutive_intervals(stock_table: pd.DataFrame) -> list[StockChange]:
    """Each pair of consecutive dated totals."""
    rows = [r for _, r in stock_table.drop_duplicates("date", keep="first").iterrows()]
    return [StockChange(a, b, days_between(a["date"], b["date"])) for a, b in itertools.pairwise(rows)]


def composition(caseload: pd.DataFrame, indicator: str, date: str, dimension: str) -> pd.DataFrame:
    """One breakdown of a stock on a date: counts and shares of the listed parts, largest first."""
    parts = caseload[
        (caseload["indicator"] == indicator)
        & (caseload["date"] == date)
        & (caseload["breakdown_dimension"] == dimension)
    ]
    listed = float(parts["value"].sum())
    table = pd.DataFrame(
        {
            "category": parts["breakdown_value"],
            "count": parts["value"].astype(int),
            "share": parts["value"].astype(float) / listed,
            "qualifier": parts["qualifier"],
            "figure_id": parts["figure_id"],
        }
    )
    return table.sort_values("count", ascending=False, kind="stable").reset_index(drop=True)


def breakdowns(caseload: pd.DataFrame) -> list[tuple[str, str, str]]:
    """Every (indicator, date, dimension) the region breaks down, in date order."""
    parts = caseload[caseload["breakdown_dimension"] != ""]
    keys = parts[["indicator", "date", "breakdown_dimension"]].drop_duplicates()
    return [tuple(k) for k in keys.sort_values(["date", "indicator", "breakdown_dimension"]).itertuples(index=False)]


def printed_exit_rates(caseload: pd.DataFrame) -> pd.DataFrame:
    """Exit rates the region prints itself (a share of the caseload leaving in a year)."""
    return caseload[caseload["indicator"].str.endswith(EXIT_RATE_SUFFIX)].reset_index(drop=True)


def half_life_of_annual_exit(probability: float) -> float:
    """Years until half the caseload has left, at a constant annual exit probability."""
    return math.log(2) / -math.log(1 - probability)


@dataclass
class PovertyAnalysis:
    """What one region's published caseload figures allow: findings and key numbers, in the author's order."""

    region: str
    indicator: str | None
    stocks: pd.DataFrame
    intervals: list[StockChange]
    exit_rates: pd.DataFrame
    compositions: dict[tuple[str, str, str], pd.DataFrame]
    audit: pd.DataFrame
    findings: list[Finding]
    key_numbers: list[KeyNumber]

    @property
    def figure_ids(self) -> list[str]:
        """Every figure of the region's caseload the report rests on."""
        ids = set(self.stocks["figure_id"]) | set(self.exit_rates["figure_id"])
        return sorted(ids.union(*(set(t["figure_id"]) for t in self.compositions.values())))


def unit_noun(indicator: str) -> str:
    """'households' or 'persons': what a stock indicator counts."""
    return "persons" if "person" in indicator else "households"


def analyse(caseload: pd.DataFrame, region: str, audit: pd.DataFrame) -> PovertyAnalysis:
    """Everything the region prints about its caseload, and nothing more."""
    rows = caseload[caseload["region"] == region].reset_index(drop=True)
    indicators = stock_indicators(rows)
    indicator = indicators[0] if indicators else None
    stock_table = stocks(rows, indicator) if indicator else rows.iloc[0:0]
    intervals = consecutive_intervals(stock_table)
    exit_rates = printed_exit_rates(rows)
    compositions = {key: composition(rows, *key) for key in breakdowns(rows)}
    ids = set(rows["figure_id"])
    region_audit = rows_involving(audit, ids)
    analysis = PovertyAnalysis(
        region, indicator, stock_table, intervals, exit_rates, compositions, region_audit, [], []
    )
    analysis.findings, analysis.key_numbers = stock_findings(analysis)
    for finding, numbers_ in (inflow_findings(analysis), exit_rate_findings(analysis), composition_findings(analysis)):
        analysis.findings += finding
        analysis.key_numbers += numbers_
    return analysis


def span_of(start: str, end: str) -> str:
    """A period as the reader writes it: 2016-10-31 to 2019-11-21, or 2016年10月31日至2019年11月21日."""
    return say("common.span", start=numbers.date(start), end=numbers.date(end))


def stock_findings(a: PovertyAnalysis) -> tuple[list[Finding], list[KeyNumber]]:
    """What the dated totals say: a net rate between exact stocks, bounds otherwise, or just the stock."""
    region = region_name(a.region)
    if a.indicator is None:
        return [Finding(say("poverty.finding.no_total", region=region))], []
    unit = unit_noun(a.indicator)
    noun = say(f"poverty.noun.{unit}")
    if not a.intervals:
        only = a.stocks.iloc[-1]
        shown = numbers.bounded(only["value"], only["qualifier"])
        kind = say(
            "poverty.finding.kind_one_total" if only["qualifier"] == "exact" else "poverty.finding.kind_one_bound"
        )
        date = numbers.date(only["date"])
        return (
            [
                Finding(
                    say("poverty.finding.one_total", region=region, kind=kind, shown=shown, noun=noun, date=date),
                    (only["figure_id"],),
                )
            ],
            [
                KeyNumber(
                    "stock",
                    say("poverty.key.stock", noun=noun, date=date),
                    int(only["value"]),
                    unit,
                    shown,
                    (only["figure_id"],),
                    low=only["value_low"],
                    high=only["value_high"],
                )
            ],
        )
    findings, key_numbers = [], []
    for interval in a.intervals:
        ids = (interval.start["figure_id"], interval.end["figure_id"])
        span = span_of(interval.start["date"], interval.end["date"])
        if interval.exact:
            n0, n1 = int(interval.start["value"]), int(interval.end["value"])
            fraction = net_exit_fraction(n0, n1)
            net = net_constant_hazard(n0, n1, interval.days)
            findings.append(
                Finding(
                    say(
                        "poverty.finding.net_change",
                        region=region,
                        change=say(f"poverty.finding.{'fell' if n1 < n0 else 'rose'}"),
                        n0=numbers.count(n0),
                        n1=numbers.count(n1),
                        noun=noun,
                        span=span,
                        days=interval.days,
                        fraction=fraction,
                        fraction_share=numbers.share(float(fraction)),
                        rate=f"{net.rate_per_year:.4f}",
                        probability=numbers.share(net.annual_exit_probability),
                        half_life=numbers.years(net.half_life_years),
                    ),
                    ids,
                )
            )
            key_numbers += [
                KeyNumber(
                    f"net_exit_fraction_{interval.end['date']}",
                    say("poverty.key.net_exit_fraction", span=span),
                    float(fraction),
                    "fraction",
                    f"{fraction} = {numbers.share(float(fraction))}",
                    ids,
                    derivation=say("poverty.derivation.net_fraction"),
                ),
                KeyNumber(
                    f"net_annual_exit_probability_{interval.end['date']}",
                    say("poverty.key.net_annual_exit_probability", span=span),
                    net.annual_exit_probability,
                    "fraction",
                    numbers.share(net.annual_exit_probability),
                    ids,
                    derivation=say("poverty.derivation.net_probability"),
                ),
                KeyNumber(
                    f"half_life_years_{interval.end['date']}",
                    say("poverty.key.half_life", span=span),
                    net.half_life_years,
                    "years",
                    numbers.years(net.half_life_years),
                    ids,
                    derivation=say("poverty.derivation.half_life"),
                ),
            ]
        else:
            low, high = interval.hazard_range()
            probability = (
                (1 - math.exp(-low), 1 - math.exp(-high)) if low > -math.inf else (-math.inf, 1 - math.exp(-high))
            )
            shown = numbers.interval(*probability, show=numbers.share)
            findings.append(Finding(say("poverty.finding.bounded_change", span=span, shown=shown), ids))
            key_numbers.append(
                KeyNumber(
                    f"net_annual_exit_probability_{interval.end['date']}",
                    say("poverty.key.bounded_probability", span=span),
                    None,
                    "fraction",
                    shown,
                    ids,
                    low=probability[0],
                    high=probability[1],
                    derivation=say("poverty.derivation.bounds"),
                )
            )
    return findings, key_numbers


def inflow_findings(a: PovertyAnalysis) -> tuple[list[Finding], list[KeyNumber]]:
    """How much faster households must have left if some joined: the gross rate at an inflow of about 15% of the start."""
    changes = [c for c in a.intervals if c.exact]
    if not changes:
        return [], []
    change = changes[-1]
    n0, n1 = int(change.start["value"]), int(change.end["value"])
    inflow = max(50, round(0.15 * n0 / 50) * 50)
    gross = hazard_from_rate(gross_hazard(n0, n1, change.days, float(inflow)))
    ids = (change.start["figure_id"], change.end["figure_id"])
    noun = say(f"poverty.noun.{unit_noun(a.indicator)}")
    probability = numbers.share(gross.annual_exit_probability)
    return (
        [
            Finding(
                say(
                    "poverty.finding.inflow",
                    inflow=numbers.count(inflow),
                    noun=noun,
                    n1=numbers.count(n1),
                    probability=probability,
                ),
                ids,
            )
        ],
        [
            KeyNumber(
                f"gross_exit_probability_at_{inflow}",
                say("poverty.key.gross_probability", inflow=numbers.count(inflow), noun=noun),
                gross.annual_exit_probability,
                "fraction",
                probability,
                ids,
                derivation=say("poverty.derivation.gross"),
            )
        ],
    )


def exit_rate_findings(a: PovertyAnalysis) -> tuple[list[Finding], list[KeyNumber]]:
    """A printed exit rate, with the half-life it implies."""
    findings, key_numbers = [], []
    for rate in a.exit_rates.itertuples():
        half_life = half_life_of_annual_exit(float(rate.value))
        span = span_of(rate.period_start, rate.date)
        sentence = say(
            "poverty.finding.printed_rate",
            rate=numbers.share(float(rate.value)),
            span=span,
            half_life=numbers.years(half_life),
        )
        latest = a.stocks[a.stocks["qualifier"] == "exact"].tail(1)
        ids = (rate.figure_id, *latest["figure_id"])
        if len(latest):
            unit = unit_noun(a.indicator)
            after_year = float(latest["value"].iloc[0]) * (1 - float(rate.value))
            sentence += say(
                "poverty.finding.printed_rate_projection",
                stock=numbers.count(latest["value"].iloc[0]),
                noun=say(f"poverty.noun.{unit}"),
                date=numbers.date(latest["date"].iloc[0]),
                after=numbers.count(after_year),
            )
            key_numbers.append(
                KeyNumber(
                    f"projected_at_printed_rate_{rate.date}",
                    say("poverty.key.projected"),
                    after_year,
                    unit,
                    numbers.count(after_year),
                    ids,
                    derivation=say("poverty.derivation.projected"),
                )
            )
        findings.append(Finding(sentence + say("poverty.finding.end"), ids))
        key_numbers += [
            KeyNumber(
                f"printed_exit_rate_{rate.date}",
                say("poverty.key.printed_rate", span=span),
                float(rate.value),
                "fraction",
                numbers.share(float(rate.value)),
                (rate.figure_id,),
            ),
            KeyNumber(
                f"half_life_at_printed_rate_{rate.date}",
                say("poverty.key.half_life_printed"),
                half_life,
                "years",
                numbers.years(half_life),
                (rate.figure_id,),
                derivation=say("poverty.derivation.half_life_printed"),
            ),
        ]
    return findings, key_numbers


def composition_findings(a: PovertyAnalysis) -> tuple[list[Finding], list[KeyNumber]]:
    """Who remains (or how those who left, left), and whether each breakdown adds up to its total."""
    findings, key_numbers = [], []
    for (indicator, date, dimension), table in a.compositions.items():
        listed = int(table["count"].sum())
        ids = tuple(table["figure_id"])
        top = table.iloc[0]
        shown_date = numbers.date(date)
        what = (
            say("poverty.finding.those_who_left")
            if dimension == EXIT_ROUTE
            else say("poverty.finding.on_file", noun=say(f"poverty.noun.{unit_noun(indicator)}"), date=shown_date)
        )
        sentence = say(
            "poverty.finding.composition",
            dimension=dimension_name(dimension),
            what=what,
            category=top["category"],
            count=numbers.count(top["count"]),
            listed=numbers.count(listed),
            share=numbers.share(top["share"]),
        )
        total = a.stocks[a.stocks["date"] == date] if indicator == a.indicator else a.stocks.iloc[0:0]
        if len(total) and int(total["value"].iloc[0]) != listed and total["qualifier"].iloc[0] == "exact":
            sentence += say(
                "poverty.finding.parts_short", listed=numbers.count(listed), total=numbers.count(total["value"].iloc[0])
            )
        findings.append(Finding(sentence, ids))
        hard_core = table[table["category"].isin(HARD_CORE_CAUSES)]
        if dimension == "main_cause" and len(hard_core):
            share = float(hard_core["count"].sum()) / listed
            findings.append(
                Finding(
                    say(
                        "poverty.finding.hard_core",
                        share=numbers.share(share),
                        count=numbers.count(hard_core["count"].sum()),
                    ),
                    ids,
                )
            )
            key_numbers.append(
                KeyNumber(
                    f"hard_core_share_{date}",
                    say("poverty.key.hard_core_share", date=shown_date),
                    share,
                    "fraction",
                    numbers.share(share),
                    ids,
                    derivation=say("poverty.derivation.hard_core"),
                )
            )
        else:
            key_numbers.append(
                KeyNumber(
                    f"largest_{dimension}_{date}",
                    say(
                        "poverty.key.largest",
                        dimension=dimension_name(dimension),
                        date=shown_date,
                        category=top["category"],
                    ),
                    float(top["share"]),
                    "fraction",
                    numbers.share(top["share"]),
                    ids,
                )
            )
    return findings, key_numbers


def exact_changes(a: PovertyAnalysis) -> list[StockChange]:
    """The changes between two exact totals: the ones a net hazard can be computed for."""
    return [c for c in a.intervals if c.exact]


def inflow_scenarios(change: StockChange, step: int = 50) -> pd.DataFrame:
    """Gross exit hazards for assumed yearly inflows from none up to a fifth of the starting stock."""
    n0, n1 = int(change.start["value"]), int(change.end["value"])
    return inflow_sensitivity(n0, n1, change.days, np.arange(0, round(n0 * 0.2) + 1, step))


def net_paths(a: PovertyAnalysis) -> list[tuple[str, pd.DataFrame]]:
    """The constant-net-hazard path across each exact change, with the date it starts from."""
    return [(c.start["date"], net_path(int(c.start["value"]), int(c.end["value"]), c.days)) for c in exact_changes(a)]


def scenario_at(sensitivity: pd.DataFrame, inflow: float) -> pd.Series | None:
    """The scenario row for one assumed inflow, if it was computed."""
    rows = sensitivity[sensitivity["inflow_per_year"] == inflow]
    return rows.iloc[0] if len(rows) else None


def compositions_by_date(a: PovertyAnalysis) -> dict[str, list[tuple[str, pd.DataFrame]]]:
    """The breakdowns of each date, as chart panels (dimension, table)."""
    panels: dict[str, list[tuple[str, pd.DataFrame]]] = {}
    for (_, date, dimension), table in a.compositions.items():
        panels.setdefault(date, []).append((dimension, table))
    return panels

"""Caseload exit: what printed stocks of a file (households or persons on file) identify, and how it is composed.

Which figures are stocks, rates or breakdowns, what one unit counts and how a breakdown's parts relate to its
total are looked up in the declared meaning (evidence.meaning: data/raw/indicators.csv and breakdowns.csv),
never read from names. Two stocks identify a net change; with inflow ≥ 0 (returners counted as on file) they
bound the first cohort's exits from below. Everything else (a constant hazard, an assumed inflow) is labelled
as an assumption.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from analysis import numbers
from analysis.calendar import DAYS_PER_YEAR, days_between, period_days
from analysis.evidence.audit import rows_involving
from analysis.evidence.meaning import Meaning
from analysis.evidence.names import region_name
from analysis.language import catalogue, current, dimension_name, say
from analysis.numbers import Finding, KeyNumber

# What a caseload's stocks count: the units a file of households or persons is kept in.
STOCK_COUNTS = ("households", "persons")
# A survivor share is shown as a fraction (1/13) when its reduced denominator is at most this.
SIMPLE_DENOMINATOR = 100
# The inflow grid: this many steps above the lowest inflow the stocks allow, up to the inflow at which about this
# share of the end stock would have joined during the period.
INFLOW_STEPS = 6
TOP_ENTRANT_SHARE = 0.9
# Points of the fine grid the sensitivity chart draws (the same range as the labelled grid).
CHART_POINTS = 61


# ---------------------------------------------------------------- arithmetic


@dataclass(frozen=True)
class HazardEstimate:
    """A constant exit hazard and what it implies (a zero hazard has an infinite half-life)."""

    rate_per_year: float
    annual_exit_probability: float
    half_life_years: float


def net_exit_fraction(start_stock: int, end_stock: int) -> Fraction:
    """Share of the starting stock no longer on file at the end, net of entries, exactly."""
    return 1 - Fraction(end_stock, start_stock)


def hazard_from_rate(rate_per_year: float) -> HazardEstimate:
    """Annual exit probability and half-life for a constant hazard."""
    half_life = math.log(2) / rate_per_year if rate_per_year > 0 else math.inf
    return HazardEstimate(rate_per_year, 1 - math.exp(-rate_per_year), half_life)


def net_constant_hazard(start_stock: int, end_stock: int, days: int) -> HazardEstimate:
    """The exponential exit rate that takes start_stock to end_stock in `days`, with no inflow."""
    years = days / DAYS_PER_YEAR
    return hazard_from_rate(math.log(start_stock / end_stock) / years)


def least_exit_probability(start: float, end: float, years: float) -> float:
    """The lower bound on the first cohort's mean annual exit probability: 1 − (N₁/N₀)^(1/t), for N₁ ≤ N₀."""
    if start <= 0 or math.isinf(start):
        return 0.0 if start <= 0 else 1.0
    if math.isinf(end):
        return -math.inf
    return 1 - (end / start) ** (1 / years)


def stock_with_inflow(
    start_stock: float, rate_per_year: float, inflow_per_year: float, years: np.ndarray | float
) -> np.ndarray | float:
    """Stock after `years` under dN/dt = inflow − rate·N (closed form; at rate 0, start + inflow·years)."""
    t = np.asarray(years, dtype=float)
    if rate_per_year == 0:
        return start_stock + inflow_per_year * t
    steady = inflow_per_year / rate_per_year
    return steady + (start_stock - steady) * np.exp(-rate_per_year * t)


def least_inflow(start_stock: float, end_stock: float, days: int) -> float:
    """The smallest constant yearly inflow that can reach the end stock: (N₁ − N₀)/t for a rise, else 0."""
    return max(0.0, (end_stock - start_stock) / (days / DAYS_PER_YEAR))


def gross_hazard(start_stock: int, end_stock: int, days: int, inflow_per_year: float) -> float:
    """The exit rate that, with a constant yearly inflow, takes start_stock to end_stock in `days`.

    The end stock falls as the rate rises, from start + inflow·t (rate 0) towards 0: one root, or none when
    the inflow is below `least_inflow` (ValueError, named).
    """
    years = days / DAYS_PER_YEAR
    reach = start_stock + inflow_per_year * years
    if end_stock > reach + 1e-9 * max(1.0, reach) or end_stock <= 0:
        raise ValueError(
            f"no exit rate takes {start_stock} to {end_stock} in {days} days with {inflow_per_year} joining a year"
        )
    if end_stock >= reach - 1e-12 * max(1.0, reach):
        return 0.0
    if inflow_per_year == 0:
        return math.log(start_stock / end_stock) / years

    def gap(rate: float) -> float:
        return float(stock_with_inflow(start_stock, rate, inflow_per_year, years)) - end_stock

    high = 1.0
    while gap(high) > 0:
        high *= 2
    return brentq(gap, 0.0, high, xtol=1e-14, rtol=1e-12)


def entrant_share(start_stock: float, end_stock: float, days: int, rate_per_year: float) -> float:
    """Share of the end stock that joined during the period: 1 − N₀·e^(−λt)/N₁."""
    return 1 - start_stock * math.exp(-rate_per_year * days / DAYS_PER_YEAR) / end_stock


def inflow_for_entrant_share(start_stock: float, end_stock: float, days: int, share: float) -> float:
    """The constant yearly inflow at which `share` of the end stock joined during the period (closed form).

    The first cohort's survivors are the rest, (1 − share)·N₁ = N₀·e^(−λt), which fixes λ; then
    N₁ = I·(1 − e^(−λt))/λ + N₀·e^(−λt) gives I = share·N₁·λ / (1 − e^(−λt)). A share at or below the least the
    stocks allow (1 − N₀/N₁ for a rise) needs only the least inflow.
    """
    years = days / DAYS_PER_YEAR
    survivors = (1 - share) * end_stock
    if survivors >= start_stock:
        return least_inflow(start_stock, end_stock, days)
    rate = math.log(start_stock / survivors) / years
    return share * end_stock * rate / -math.expm1(-rate * years)


def round_step_below(value: float) -> float:
    """The largest round step not above `value`: 1, 2 or 5 times a power of ten (123 -> 100, 276,000 -> 200,000)."""
    power = 10.0 ** math.floor(math.log10(value))
    return max(m * power for m in (1, 2, 5) if m * power <= value * (1 + 1e-12))


def inflow_grid(start_stock: int, end_stock: int, days: int) -> np.ndarray:
    """Assumed yearly inflows scaled to what they illustrate: from the least the stocks allow up to the inflow at
    which about TOP_ENTRANT_SHARE of the end stock would be entrants, in INFLOW_STEPS equal round (1-2-5) steps,
    so the entrants' share runs over a readable range whatever the file's size and the period's length."""
    lowest = least_inflow(start_stock, end_stock, days)
    least_share = max(0.0, 1 - start_stock / end_stock)
    top_share = max(TOP_ENTRANT_SHARE, (1 + least_share) / 2)
    top = inflow_for_entrant_share(start_stock, end_stock, days, top_share)
    step = round_step_below((top - lowest) / INFLOW_STEPS)
    first = math.floor(lowest / step) + 1
    return np.array([lowest] + [step * k for k in range(first, first + INFLOW_STEPS)])


def inflow_sensitivity(start_stock: int, end_stock: int, days: int, inflows: np.ndarray) -> pd.DataFrame:
    """For each assumed yearly inflow: the gross exit hazard, its annual probability, and the entrants' share of
    the end stock."""
    rows = []
    for inflow in inflows:
        hazard = hazard_from_rate(gross_hazard(start_stock, end_stock, days, float(inflow)))
        rows.append(
            {
                "inflow_per_year": float(inflow),
                **vars(hazard),
                "entrant_share": entrant_share(start_stock, end_stock, days, hazard.rate_per_year),
            }
        )
    return pd.DataFrame(rows)


def project_stock(end_stock: int, sensitivity: pd.DataFrame, years_ahead: np.ndarray) -> pd.DataFrame:
    """Future stock for each (inflow, hazard) pair, with the band over all pairs; `least_inflow` is the lowest
    inflow's path (none for a falling file)."""
    paths = np.vstack(
        [
            stock_with_inflow(end_stock, r.rate_per_year, r.inflow_per_year, years_ahead)
            for r in sensitivity.itertuples()
        ]
    )
    return pd.DataFrame(
        {
            "years_ahead": years_ahead,
            "least_inflow": paths[0],
            "band_low": paths.min(axis=0),
            "band_high": paths.max(axis=0),
        }
    )


def net_path(start_stock: int, end_stock: int, days: int, points: int = 60) -> pd.DataFrame:
    """The constant-net-rate path between two published stocks (a fall, a rise or a flat line)."""
    years = np.linspace(0, days / DAYS_PER_YEAR, points)
    rate = math.log(start_stock / end_stock) / (days / DAYS_PER_YEAR)
    return pd.DataFrame({"years": years, "households": start_stock * np.exp(-rate * years)})


def annualised(probability: float, years: float) -> float:
    """A probability over `years` as the annual one of the same constant hazard: 1 − (1 − p)^(1/T)."""
    if probability >= 1:
        return 1.0
    return 1 - math.exp(math.log1p(-probability) / years)


# ---------------------------------------------------------------- display of bounds


def at_least_share(value: float) -> str:
    """A lower bound as a percentage, rounded down so the shown figure is still a bound."""
    return numbers.share(math.floor(value * 1000 + 1e-9) / 1000)


def at_most_share(value: float) -> str:
    """An upper bound as a percentage, rounded up."""
    return numbers.share(math.ceil(value * 1000 - 1e-9) / 1000)


def probability_shown(value: float) -> str:
    """A probability as a percentage that never rounds to a certainty it is not: '>99.9%' below 1, '<0.1%' above 0."""
    shown = numbers.share(value)
    if value < 1 and shown == numbers.share(1):
        return say("poverty.finding.almost_certain", share=numbers.share(0.999))
    if value > 0 and shown == numbers.share(0):
        return say("poverty.finding.almost_never", share=numbers.share(0.001))
    return shown


def at_least_count(value: float) -> str:
    """A lower bound on a count, rounded down."""
    return numbers.count(math.floor(value + 1e-9))


def fraction_shown(low: float, high: float, exact: Fraction | None) -> str:
    """'1/13 = 7.7%' for a simple exact fraction, else its share (an interval where the totals are bounds)."""
    if exact is not None and exact.denominator <= SIMPLE_DENOMINATOR:
        return f"{exact} = {numbers.share(float(exact))}"
    return numbers.interval(low, high, show=numbers.share)


# ---------------------------------------------------------------- the region's figures, by meaning


def noun(counts: str) -> str:
    """What one unit is, as a unit beside a number ('households', '户'); an undeclared one as the data says."""
    key = f"poverty.noun.{counts}"
    return say(key) if key in catalogue() else counts.replace("_", " ")


def indicator_label(meaning: Meaning, indicator: str) -> str:
    """The indicator's name in the report's language, from indicators.csv."""
    table = meaning.indicators
    column = f"name_{current()}"
    if indicator in table.index and column in table.columns and str(table.at[indicator, column]):
        return str(table.at[indicator, column])
    return indicator.replace("_", " ")


def stock_indicators(caseload: pd.DataFrame, meaning: Meaning) -> list[str]:
    """The region's stocks of households or persons (by declared kind and counts), most dated totals first."""
    totals = meaning.rows(caseload, totals=True, kind="stock", counts=STOCK_COUNTS)
    dated = totals.groupby("indicator")["date"].nunique()
    return sorted(dated.index, key=lambda i: (-dated[i], i))


def stocks(caseload: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """One indicator's printed totals on each date, oldest first."""
    rows = caseload[(caseload["indicator"] == indicator) & (caseload["breakdown_dimension"] == "")]
    return rows.sort_values(["date", "figure_id"], kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class StockChange:
    """Two dated totals of one stock: exact, or bounded where a total is printed as a bound."""

    start: pd.Series
    end: pd.Series
    days: int

    @property
    def exact(self) -> bool:
        return self.start["qualifier"] == "exact" and self.end["qualifier"] == "exact"

    @property
    def years(self) -> float:
        return self.days / DAYS_PER_YEAR

    @property
    def ids(self) -> tuple[str, str]:
        return (self.start["figure_id"], self.end["figure_id"])

    def bounds(self, which: str) -> tuple[float, float]:
        row = self.start if which == "start" else self.end
        return float(row["value_low"]), float(row["value_high"])

    def decline(self) -> tuple[float, float]:
        """N₀ − N₁ over the printed intervals: (lowest, highest)."""
        (s_lo, s_hi), (e_lo, e_hi) = self.bounds("start"), self.bounds("end")
        return s_lo - e_hi, s_hi - e_lo

    def direction(self) -> str:
        """fell, rose, flat, or unclear when the printed bounds allow both."""
        low, high = self.decline()
        if low > 0:
            return "fell"
        if high < 0:
            return "rose"
        if low == high == 0:
            return "flat"
        return "unclear"


def consecutive_intervals(stock_table: pd.DataFrame) -> list[StockChange]:
    """Each pair of consecutive dated totals."""
    rows = [r for _, r in stock_table.drop_duplicates("date", keep="first").iterrows()]
    return [StockChange(a, b, days_between(a["date"], b["date"])) for a, b in itertools.pairwise(rows)]


@dataclass(frozen=True)
class PrintedFlows:
    """The entries into and exits from a stock printed for the period between two of its totals (None: not printed).

    A flow is the stock's by declaration (indicators.csv: `direction` in or out, `of` the stock) and covers the
    period from the first total's date (or the day after it) to the second's.
    """

    entries: pd.Series | None
    exits: pd.Series | None

    @property
    def printed(self) -> bool:
        return self.entries is not None or self.exits is not None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(str(r["figure_id"]) for r in (self.entries, self.exits) if r is not None)

    @staticmethod
    def bounds(row: pd.Series) -> tuple[float, float]:
        return float(row["value_low"]), float(row["value_high"])


def period_flows(rows: pd.DataFrame, meaning: Meaning, indicator: str, change: StockChange) -> PrintedFlows:
    """The region's printed entries and exits of one stock over exactly the period of one change."""
    flows = meaning.rows(rows, totals=True, kind="flow", of=indicator)
    start = str(change.start["date"])
    day_after = (date.fromisoformat(start) + timedelta(days=1)).isoformat()
    over = flows[(flows["date"] == change.end["date"]) & flows["period_start"].isin([start, day_after])]
    by_direction = {meaning.direction(r["indicator"]): r for _, r in over.iterrows()}
    return PrintedFlows(by_direction.get("in"), by_direction.get("out"))


@dataclass(frozen=True)
class Series:
    """One stock of the region's file: its indicator, what one unit counts, its dated totals and their changes."""

    indicator: str
    counts: str
    stocks: pd.DataFrame
    intervals: list[StockChange]


def composition(
    caseload: pd.DataFrame, indicator: str, date_: str, dimension: str, meaning: Meaning
) -> tuple[pd.DataFrame, float | None, str | None, str]:
    """One breakdown on a date: each part's count and its share of the base, largest first; the base; the
    base's figure id (none for a sum of parts); the parts' relation (exhaustive, partial, overlapping, top).

    The base is the printed exact total of the same date (or, for an exhaustive breakdown without one, the sum
    of its parts); overlapping parts are each a share of the total alone and are never added. No base: no shares.
    """
    parts = caseload[
        (caseload["indicator"] == indicator)
        & (caseload["date"] == date_)
        & (caseload["breakdown_dimension"] == dimension)
    ]
    relation = meaning.parts(indicator, dimension)
    total = caseload[
        (caseload["indicator"] == indicator)
        & (caseload["date"] == date_)
        & (caseload["breakdown_dimension"] == "")
        & (caseload["qualifier"] == "exact")
    ]
    base_id = str(total["figure_id"].iloc[0]) if len(total) else None
    if len(total):
        base: float | None = float(total["value"].iloc[0])
        base_low, base_high = float(total["value_low"].iloc[0]), float(total["value_high"].iloc[0])
    elif meaning.is_exhaustive(indicator, dimension):
        base = float(parts["value"].sum())
        base_low, base_high = float(parts["value_low"].sum()), float(parts["value_high"].sum())
    else:
        base = base_low = base_high = None
    table = pd.DataFrame(
        {
            "category": parts["breakdown_value"],
            "count": parts["value"].astype(int),
            "share": parts["value"].astype(float) / base if base else np.nan,
            # the share over the printed intervals of the part and of the base (a sum of parts moves with its part)
            "low": parts["value_low"].astype(float) / base_high if base_high else np.nan,
            "high": parts["value_high"].astype(float) / base_low if base_low else np.nan,
            "qualifier": parts["qualifier"],
            "figure_id": parts["figure_id"],
        }
    )
    table = table.sort_values("count", ascending=False, kind="stable").reset_index(drop=True)
    return table, base, base_id, relation


def breakdowns(caseload: pd.DataFrame) -> list[tuple[str, str, str]]:
    """Every (indicator, date, dimension) the region breaks down, in date order."""
    parts = caseload[caseload["breakdown_dimension"] != ""]
    keys = parts[["indicator", "date", "breakdown_dimension"]].drop_duplicates()
    return [tuple(k) for k in keys.sort_values(["date", "indicator", "breakdown_dimension"]).itertuples(index=False)]


def printed_rates(caseload: pd.DataFrame, meaning: Meaning) -> pd.DataFrame:
    """The rates the region prints about its file (declared kind `rate`), totals only."""
    return meaning.rows(caseload, totals=True, kind="rate").reset_index(drop=True)


def half_life_of_annual_exit(probability: float) -> float:
    """Years until half the caseload has left, at a constant annual exit probability."""
    return math.log(2) / -math.log(1 - probability)


@dataclass(frozen=True)
class Composition:
    """A breakdown of one indicator on a date: the parts, the base of their shares and how they relate."""

    indicator: str
    date: str
    dimension: str
    table: pd.DataFrame
    base: float | None
    base_id: str | None
    relation: str


@dataclass
class PovertyAnalysis:
    """What one region's published caseload figures allow: findings and key numbers, in the author's order."""

    region: str
    series: list[Series]
    exit_rates: pd.DataFrame
    compositions: dict[tuple[str, str, str], Composition]
    audit: pd.DataFrame
    meaning: Meaning
    rows: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    key_numbers: list[KeyNumber] = field(default_factory=list)

    @property
    def indicator(self) -> str | None:
        """The stock the charts follow: the one with most dated totals."""
        return self.series[0].indicator if self.series else None

    @property
    def stocks(self) -> pd.DataFrame:
        return self.series[0].stocks if self.series else pd.DataFrame(columns=["date", "value", "figure_id"])

    @property
    def intervals(self) -> list[StockChange]:
        return self.series[0].intervals if self.series else []

    def figures_of(self, c: Composition) -> pd.DataFrame:
        """The region's rows of one breakdown's parts."""
        return self.rows[self.rows["figure_id"].isin(set(c.table["figure_id"]))]

    @property
    def figure_ids(self) -> list[str]:
        """Every figure of the region's caseload the report rests on."""
        ids = set(self.exit_rates["figure_id"]).union(*(set(s.stocks["figure_id"]) for s in self.series))
        return sorted(ids.union(*(set(c.table["figure_id"]) for c in self.compositions.values())))


def unit_noun(meaning: Meaning, indicator: str) -> str:
    """'households' or 'persons': what a stock counts, as declared (never guessed from its name)."""
    return meaning.counts(indicator)


def analyse(caseload: pd.DataFrame, region: str, audit: pd.DataFrame, meaning: Meaning) -> PovertyAnalysis:
    """Everything the region prints about its caseload, and nothing more."""
    rows = caseload[caseload["region"] == region].reset_index(drop=True)
    series = []
    for indicator in stock_indicators(rows, meaning):
        table = stocks(rows, indicator)
        series.append(Series(indicator, meaning.counts(indicator), table, consecutive_intervals(table)))
    compositions = {key: Composition(*key, *composition(rows, *key, meaning=meaning)) for key in breakdowns(rows)}
    region_audit = rows_involving(audit, set(rows["figure_id"]))
    a = PovertyAnalysis(region, series, printed_rates(rows, meaning), compositions, region_audit, meaning, rows)
    if not series:
        a.findings.append(Finding(say("poverty.finding.no_total", region=region_name(region))))
    for s in series:
        for findings, key_numbers in (stock_findings(a, s), inflow_findings(a, s)):
            a.findings += findings
            a.key_numbers += key_numbers
    for findings, key_numbers in (exit_rate_findings(a), composition_findings(a)):
        a.findings += findings
        a.key_numbers += key_numbers
    return a


def span_of(start: str, end: str) -> str:
    """A period as the reader writes it: 2016-10-31 to 2019-11-21, or 2016年10月31日至2019年11月21日."""
    return say("common.span", start=numbers.date(start), end=numbers.date(end))


def every_digit(value: float) -> str:
    """A count with every digit (never 41.67万 for 416,682), as sums of printed counts are shown beside them."""
    return numbers.count(value, exact=True)


def shown_stock(row: pd.Series) -> str:
    """A printed total with its qualifier (≥ 2,000) and every printed digit."""
    return numbers.bounded(row["value"], row["qualifier"], show=lambda v: numbers.count(v, exact=True))


# ---------------------------------------------------------------- findings


def stock_findings(a: PovertyAnalysis, s: Series) -> tuple[list[Finding], list[KeyNumber]]:
    """What the dated totals identify: the net change and, for a fall, the bounds on the first cohort's exits."""
    region, unit, name = region_name(a.region), noun(s.counts), indicator_label(a.meaning, s.indicator)
    if not s.intervals:
        only = s.stocks.iloc[-1]
        shown = shown_stock(only)
        kind = say(
            "poverty.finding.kind_one_total" if only["qualifier"] == "exact" else "poverty.finding.kind_one_bound"
        )
        day = numbers.date(only["date"])
        text = say("poverty.finding.one_total", region=region, kind=kind, name=name, shown=shown, noun=unit, date=day)
        number = KeyNumber(
            f"stock_{s.indicator}_{only['date']}" if len(a.series) > 1 else "stock",
            say("poverty.key.stock", name=name, date=day),
            int(only["value"]),
            s.counts,
            shown,
            (only["figure_id"],),
            low=only["value_low"],
            high=only["value_high"],
        )
        return [Finding(text, (only["figure_id"],))], [number]
    findings, key_numbers = [], []
    for change in s.intervals:
        f, k = change_findings(a, s, change, region, unit, name)
        findings += f
        key_numbers += k
    return findings, key_numbers


def _count_key(
    key: str,
    label: str,
    counts: str,
    bounds: tuple[float, float],
    ids: tuple[str, ...] | list[str],
    derivation: str,
    display: str | None = None,
) -> KeyNumber:
    """A count the stocks bound to [low, high]: a value only where the bounds meet, shown as its interval."""
    low, high = bounds
    return KeyNumber(
        key,
        label,
        low if low == high else None,
        counts,
        numbers.interval(low, high) if display is None else display,
        ids,
        low=low,
        high=high,
        derivation=derivation,
    )


def _key(a: PovertyAnalysis, s: Series, stem: str, day: str) -> str:
    """A key number's key: the stem and date, and the indicator where the region prints more than one stock."""
    return f"{stem}_{s.indicator}_{day}" if len(a.series) > 1 else f"{stem}_{day}"


def change_findings(
    a: PovertyAnalysis, s: Series, change: StockChange, region: str, unit: str, name: str
) -> tuple[list[Finding], list[KeyNumber]]:
    """One change between two dated totals: what it identifies, by its direction."""
    start, end = change.start, change.end
    fields = {
        "region": region,
        "name": name,
        "noun": unit,
        "n0": shown_stock(start),
        "n1": shown_stock(end),
        "span": span_of(start["date"], end["date"]),
        "start": numbers.date(start["date"]),
        "end": numbers.date(end["date"]),
        "days": numbers.count(change.days),
    }
    flows = period_flows(a.rows, a.meaning, s.indicator, change)
    text, keys = direction_findings(a, s, change, fields, unit, flows)
    if flows.printed:
        added, flow_keys = flow_findings(a, s, change, fields, flows)
        text, keys = text + added, keys + flow_keys
    return [Finding(text, (*change.ids, *flows.ids))], keys


def direction_findings(
    a: PovertyAnalysis, s: Series, change: StockChange, fields: dict[str, str], unit: str, flows: PrintedFlows
) -> tuple[str, list[KeyNumber]]:
    """What the two totals alone identify, by the change's direction; a printed flow replaces the bound the totals
    give on it (exits for a fall, entries for a rise)."""
    start, end = change.start, change.end
    day, t = end["date"], change.years
    (s_lo, s_hi), (e_lo, e_hi) = change.bounds("start"), change.bounds("end")
    d_lo, d_hi = change.decline()
    direction = change.direction()
    exact = Fraction(int(end["value"]), int(start["value"])) if change.exact and start["value"] else None
    ids = change.ids
    exits_printed = flows.exits is not None  # then the exits are printed, not bounded
    if direction == "fell":
        survive_lo, survive_hi = e_lo / s_hi, (e_hi / s_lo if s_lo else math.inf)
        p_lo, p_hi = least_exit_probability(s_lo, e_hi, t), least_exit_probability(s_hi, e_lo, t)
        point = least_exit_probability(float(start["value"]), float(end["value"]), t)
        net = {
            "decline": numbers.interval(d_lo, d_hi),
            "fraction": fraction_shown(1 - survive_hi, 1 - survive_lo, None if exact is None else 1 - exact),
        }
        text = say(
            "poverty.finding.net_fell" if exits_printed else "poverty.finding.fell",
            **fields,
            **net,
            survivors=fraction_shown(survive_lo, survive_hi, exact) if exact is not None else at_most_share(survive_hi),
            probability=at_least_share(p_lo),
            exits=at_least_count(d_lo),
            per_year=at_least_count(d_lo / t),
        )
        keys = [
            _count_key(
                _key(a, s, "net_decline", day),
                say("poverty.key.net_decline", span=fields["span"], noun=unit),
                s.counts,
                (d_lo, d_hi),
                ids,
                say("poverty.derivation.net_decline"),
            ),
            KeyNumber(
                _key(a, s, "still_on_file_at_most", day),
                say("poverty.key.still_on_file", start=fields["start"], end=fields["end"]),
                float(exact) if exact is not None else None,
                "fraction",
                fraction_shown(survive_lo, survive_hi, exact),
                ids,
                low=survive_lo,
                high=survive_hi,
                derivation=say("poverty.derivation.still_on_file"),
            ),
            KeyNumber(
                _key(a, s, "exit_probability_at_least", day),
                say("poverty.key.exit_probability", start=fields["start"], span=fields["span"]),
                point if change.exact else None,
                "fraction",
                at_least_share(p_lo) if p_lo == p_hi else numbers.interval(p_lo, p_hi, show=numbers.share),
                ids,
                low=p_lo,
                high=p_hi,
                derivation=say("poverty.derivation.exit_probability"),
            ),
            _count_key(
                _key(a, s, "exits_a_year_at_least", day),
                say("poverty.key.exits_a_year", span=fields["span"], noun=unit),
                s.counts,
                (d_lo / t, d_hi / t),
                ids,
                say("poverty.derivation.exits_a_year"),
                display=at_least_count(d_lo / t),
            ),
        ]
        return text, keys[:1] if exits_printed else keys
    if direction == "rose":
        r_lo, r_hi = -d_hi, -d_lo
        text = say(
            "poverty.finding.net_rose" if flows.entries is not None else "poverty.finding.rose",
            **fields,
            rise=numbers.interval(r_lo, r_hi),
            joined=at_least_count(r_lo),
            per_year=at_least_count(r_lo / t),
        )
        keys = [
            _count_key(
                _key(a, s, "net_rise", day),
                say("poverty.key.net_rise", span=fields["span"], noun=unit),
                s.counts,
                (r_lo, r_hi),
                ids,
                say("poverty.derivation.net_rise"),
            ),
            _count_key(
                _key(a, s, "joined_a_year_at_least", day),
                say("poverty.key.joined_a_year", span=fields["span"], noun=unit),
                s.counts,
                (r_lo / t, r_hi / t),
                ids,
                say("poverty.derivation.joined_a_year"),
                display=at_least_count(r_lo / t),
            ),
        ]
        return text, keys[:1] if flows.entries is not None else keys
    if direction == "flat":
        text = say("poverty.finding.net_flat" if flows.printed else "poverty.finding.flat", **fields)
        return text, [
            KeyNumber(
                _key(a, s, "net_change", day),
                say("poverty.key.net_change", span=fields["span"], noun=unit),
                0,
                s.counts,
                numbers.count(0),
                ids,
                low=0,
                high=0,
                derivation=say("poverty.derivation.net_decline"),
            )
        ]
    text = say("poverty.finding.unclear", **fields, change=numbers.interval(-d_hi, -d_lo))
    return text, [
        KeyNumber(
            _key(a, s, "net_change", day),
            say("poverty.key.net_change", span=fields["span"], noun=unit),
            None,
            s.counts,
            numbers.interval(-d_hi, -d_lo),
            ids,
            low=-d_hi,
            high=-d_lo,
            derivation=say("poverty.derivation.net_rise"),
        )
    ]


def flow_findings(
    a: PovertyAnalysis, s: Series, change: StockChange, fields: dict[str, str], flows: PrintedFlows
) -> tuple[str, list[KeyNumber]]:
    """The period's printed entries and exits: as printed, checked against the totals (start + in − out = end,
    over the printed intervals), and the gross exit probability over the period, exits / (start + entries),
    a point where both are printed and an upper bound where entries are not (those who joined could also leave)."""
    (s_lo, s_hi), (e_lo, e_hi) = change.bounds("start"), change.bounds("end")
    day = change.end["date"]
    ids = (*change.ids, *flows.ids)
    unit = fields["noun"]
    some = flows.entries if flows.entries is not None else flows.exits
    here = {**fields, "period": span_of(str(some["period_start"]), str(some["date"]))}
    keys = [
        KeyNumber(
            _key(a, s, f"{stem}_printed", day),
            say(f"poverty.key.{stem}_printed", span=here["period"], noun=unit),
            float(row["value"]),
            s.counts,
            shown_stock(row),
            (str(row["figure_id"]),),
            low=float(row["value_low"]),
            high=float(row["value_high"]),
        )
        for stem, row in (("entries", flows.entries), ("exits", flows.exits))
        if row is not None
    ]
    if flows.entries is not None and flows.exits is not None:
        (i_lo, i_hi), (o_lo, o_hi) = flows.bounds(flows.entries), flows.bounds(flows.exits)
        expected_lo, expected_hi = s_lo + i_lo - o_hi, s_hi + i_hi - o_lo
        gap_lo, gap_hi = e_lo - expected_hi, e_hi - expected_lo  # the printed end total less start + in − out
        if gap_lo <= 0 <= gap_hi:
            check = say("poverty.finding.flows_consistent")
        else:
            check = say("poverty.finding.flows_inconsistent", by=numbers.count(gap_lo if gap_lo > 0 else -gap_hi))
        text = say(
            "poverty.finding.flows_both",
            **here,
            entries=shown_stock(flows.entries),
            exits=shown_stock(flows.exits),
            expected=numbers.interval(expected_lo, expected_hi, show=every_digit),
            check=check,
        )
        keys.append(
            _count_key(
                _key(a, s, "stock_flow_gap", day),
                say("poverty.key.stock_flow_gap", span=here["period"], noun=unit),
                s.counts,
                (gap_lo, gap_hi),
                ids,
                say("poverty.derivation.stock_flow_gap"),
            )
        )
        base_lo, base_hi = s_lo + i_lo, s_hi + i_hi
        p_lo, p_hi = o_lo / base_hi, o_hi / base_lo
        text += say(
            "poverty.finding.gross_point",
            **here,
            base=numbers.interval(base_lo, base_hi, show=every_digit),
            exits=shown_stock(flows.exits),
            probability=numbers.interval(p_lo, p_hi, show=probability_shown),
        )
        point = float(flows.exits["value"]) / (float(change.start["value"]) + float(flows.entries["value"]))
        derivation = "poverty.derivation.gross_point"
    elif flows.exits is not None:
        o_lo, o_hi = flows.bounds(flows.exits)
        joined_lo, joined_hi = max(0.0, e_lo - s_hi + o_lo), max(0.0, e_hi - s_lo + o_hi)
        p_lo, p_hi = 0.0, o_hi / s_lo
        text = say(
            "poverty.finding.flows_exits",
            **here,
            exits=shown_stock(flows.exits),
            implied=numbers.interval(joined_lo, joined_hi, show=every_digit),
        ) + say(
            "poverty.finding.gross_at_most", **here, exits=shown_stock(flows.exits), probability=at_most_share(p_hi)
        )
        point, derivation = None, "poverty.derivation.gross_at_most"
    else:
        i_lo, i_hi = flows.bounds(flows.entries)
        left_lo, left_hi = max(0.0, s_lo + i_lo - e_hi), max(0.0, s_hi + i_hi - e_lo)
        text = say(
            "poverty.finding.flows_entries",
            **here,
            entries=shown_stock(flows.entries),
            implied=numbers.interval(left_lo, left_hi, show=every_digit),
        )
        return text, keys
    keys.append(
        KeyNumber(
            _key(a, s, "gross_exit_probability_over_period", day),
            say("poverty.key.gross_over_period", span=here["period"]),
            point,
            "fraction",
            numbers.interval(p_lo, p_hi, show=probability_shown) if point is not None else at_most_share(p_hi),
            ids,
            low=p_lo,
            high=p_hi,
            derivation=say(derivation),
        )
    )
    return text, keys


def exact_changes(a: PovertyAnalysis) -> list[StockChange]:
    """The changes between two exact totals of the charted stock, with a stock left at the end."""
    return [c for c in a.intervals if c.exact and c.end["value"] > 0]


def assumed_inflow_change(a: PovertyAnalysis, s: Series) -> StockChange | None:
    """The change the assumed inflows illustrate: the last between two exact totals with a stock left at the end,
    unless the source prints that period's entries (then nothing about them need be assumed)."""
    changes = [c for c in s.intervals if c.exact and c.end["value"] > 0]
    if not changes or period_flows(a.rows, a.meaning, s.indicator, changes[-1]).entries is not None:
        return None
    return changes[-1]


def inflow_scenarios(change: StockChange, points: int | None = None) -> pd.DataFrame:
    """Gross exit hazards and entrants' shares over the inflow grid (`points`: a fine grid over the same range)."""
    n0, n1 = int(change.start["value"]), int(change.end["value"])
    grid = inflow_grid(n0, n1, change.days)
    if points:
        grid = np.linspace(grid[0], grid[-1], points)
    return inflow_sensitivity(n0, n1, change.days, grid)


def inflow_findings(a: PovertyAnalysis, s: Series) -> tuple[list[Finding], list[KeyNumber]]:
    """The labelled range of assumed inflows for the last exact change: each one's gross exit probability and the
    share of the end stock that joined meanwhile (an assumption, not a finding of the data)."""
    change = assumed_inflow_change(a, s)
    if change is None:
        return [], []
    table = inflow_scenarios(change)
    unit = noun(s.counts)
    first, last = table.iloc[0], table.iloc[-1]
    rows = say("poverty.finding.inflow_item_sep").join(
        say(
            "poverty.finding.inflow_item",
            inflow=numbers.count(r.inflow_per_year),
            probability=probability_shown(r.annual_exit_probability),
            entrants=numbers.share(r.entrant_share, 0),
        )
        for r in table.itertuples()
    )
    text = say(
        "poverty.finding.inflow",
        noun=unit,
        n1=numbers.count(change.end["value"], exact=True),
        end=numbers.date(change.end["date"]),
        start=numbers.date(change.start["date"]),
        rows=rows,
    )
    ids = change.ids
    day = change.end["date"]
    inflows = numbers.interval(first.inflow_per_year, last.inflow_per_year)
    return [Finding(text, ids)], [
        KeyNumber(
            _key(a, s, "gross_exit_probability_over_assumed_inflows", day),
            say("poverty.key.gross_probability", inflows=inflows, noun=unit),
            None,
            "fraction",
            numbers.interval(first.annual_exit_probability, last.annual_exit_probability, show=probability_shown),
            ids,
            low=float(first.annual_exit_probability),
            high=float(last.annual_exit_probability),
            derivation=say("poverty.derivation.gross"),
        ),
        KeyNumber(
            _key(a, s, "entrant_share_over_assumed_inflows", day),
            say("poverty.key.entrant_share", inflows=inflows, noun=unit, end=numbers.date(day)),
            None,
            "fraction",
            numbers.interval(first.entrant_share, last.entrant_share, show=lambda v: numbers.share(v, 0)),
            ids,
            low=float(first.entrant_share),
            high=float(last.entrant_share),
            derivation=say("poverty.derivation.entrant_share"),
        ),
    ]


def base_stock(a: PovertyAnalysis, rate: pd.Series) -> pd.Series | None:
    """The stock a printed rate is a share of: its declared `of` (else a stock counting the same units), printed
    at the start of the rate's period (or the day before, the end of the previous period); None if none is."""
    declared = a.meaning.of(rate["indicator"])
    candidates = [s for s in a.series if s.indicator == declared] if declared else []
    if not declared:
        counts = a.meaning.counts(rate["indicator"])
        candidates = [s for s in a.series if s.counts == counts]
    start = str(rate["period_start"])
    day_before = (date.fromisoformat(start) - timedelta(days=1)).isoformat()
    for s in candidates:
        on = s.stocks[s.stocks["date"].isin([start, day_before])]
        if len(on):
            return on.sort_values("date").iloc[-1]
    return None


def exit_rate_findings(a: PovertyAnalysis) -> tuple[list[Finding], list[KeyNumber]]:
    """A printed rate: as printed, annualised by the period it covers (unless indicators.csv says it is printed as a
    rate a year, `per` = year), and applied to the stock of its own date."""
    findings, key_numbers = [], []
    for _, rate in a.exit_rates.iterrows():
        own: list[KeyNumber] = []
        p, p_lo, p_hi = float(rate["value"]), float(rate["value_low"]), float(rate["value_high"])
        days = period_days(rate["period_start"], rate["date"]) if rate["period_start"] != rate["date"] else 0
        span = span_of(rate["period_start"], rate["date"]) if days else numbers.date(rate["date"])
        name = indicator_label(a.meaning, rate["indicator"])
        shown = rate["as_printed"] or numbers.share(p)
        sentence = say("poverty.finding.printed_rate", name=name, rate=shown, span=span)
        ids: tuple[str, ...] = (rate["figure_id"],)
        if a.meaning.per(rate["indicator"]) == "year":  # printed a year: its period says when, not over how long
            sentence += say(
                "poverty.finding.printed_rate_yearly",
                hazard=numbers.ratio(-math.log1p(-p), 3) if p < 1 else "∞",
            )
        elif days:
            years = days / DAYS_PER_YEAR
            yearly = annualised(p, years)
            y_lo, y_hi = annualised(p_lo, years), annualised(p_hi, years)
            sentence += say(
                "poverty.finding.printed_rate_annual",
                years=numbers.years(years),
                annual=numbers.interval(y_lo, y_hi, show=numbers.share),
                hazard=numbers.ratio(-math.log1p(-p) / years, 3) if p < 1 else "∞",
            )
            own.append(
                KeyNumber(
                    f"annual_at_printed_rate_{rate['figure_id']}",
                    say("poverty.key.annual_printed", name=name, span=span),
                    yearly,
                    "fraction",
                    numbers.interval(y_lo, y_hi, show=numbers.share),
                    ids,
                    low=y_lo,
                    high=y_hi,
                    derivation=say("poverty.derivation.annualised"),
                )
            )
        base = base_stock(a, rate)
        if base is not None:
            ids = (rate["figure_id"], base["figure_id"])
            n, n_lo, n_hi = float(base["value"]), float(base["value_low"]), float(base["value_high"])
            unit = noun(a.meaning.counts(base["indicator"]))
            sentence += say(
                "poverty.finding.printed_rate_applied",
                stock=shown_stock(base),
                noun=unit,
                date=numbers.date(base["date"]),
                count=numbers.interval(p_lo * n_lo, p_hi * n_hi),
            )
            own.append(
                KeyNumber(
                    f"count_at_printed_rate_{rate['figure_id']}",
                    say("poverty.key.applied", name=name, date=numbers.date(base["date"]), noun=unit),
                    p * n,
                    a.meaning.counts(base["indicator"]),
                    numbers.interval(p_lo * n_lo, p_hi * n_hi),
                    ids,
                    low=p_lo * n_lo,
                    high=p_hi * n_hi,
                    derivation=say("poverty.derivation.applied"),
                )
            )
        else:
            sentence += say("poverty.finding.printed_rate_no_base")
        findings.append(Finding(sentence + say("poverty.finding.end"), ids))
        key_numbers.append(
            KeyNumber(
                f"printed_rate_{rate['figure_id']}",
                say("poverty.key.printed_rate", name=name, span=span),
                p,
                "fraction",
                shown,
                (rate["figure_id"],),
                low=p_lo,
                high=p_hi,
            )
        )
        key_numbers += own
    return findings, key_numbers


def composition_findings(a: PovertyAnalysis) -> tuple[list[Finding], list[KeyNumber]]:
    """Each breakdown: its largest part and that part's share of the base; overlapping parts each alone."""
    findings, key_numbers = [], []
    for c in a.compositions.values():
        table = c.table
        ids = (*table["figure_id"], *([c.base_id] if c.base_id else []))
        top = table.iloc[0]
        shown_date = numbers.date(c.date)
        unit = noun(a.meaning.counts(c.indicator))
        start = str(a.figures_of(c)["period_start"].iloc[0])
        when = (
            say("poverty.finding.when_on", date=shown_date)
            if start == c.date
            else say("poverty.finding.when_over", date=span_of(start, c.date))
        )
        fields = {
            "dimension": dimension_name(c.dimension),
            "name": indicator_label(a.meaning, c.indicator),
            "when": when,
            "category": top["category"],
            "count": numbers.count(top["count"], exact=True),
            "noun": unit,
        }
        # 'largest' only where the parts partition the total, or among two or more printed parts; a single printed
        # part of a partial breakdown is stated alone
        if c.relation == "exhaustive":
            form = "composition"
        elif len(table) >= 2:
            form = "composition_printed"
        else:
            form = "composition_single"
        if c.base is None:
            sentence = say(f"poverty.finding.{form}_no_base", **fields)
        else:
            sentence = say(
                f"poverty.finding.{form}",
                **fields,
                base=numbers.count(c.base, exact=True),
                share=numbers.share(top["share"]),
            )
        if c.relation != "exhaustive":  # an exhaustive breakdown's parts partition the total: nothing to add
            sentence += say(f"poverty.finding.parts_{c.relation}")
        listed = int(table["count"].sum())
        if c.relation == "exhaustive" and c.base is not None and listed != int(c.base):
            sentence += say(
                "poverty.finding.parts_short", listed=numbers.count(listed), total=numbers.count(c.base, exact=True)
            )
        findings.append(Finding(sentence, ids))
        if c.base is not None:
            key_numbers.append(
                KeyNumber(
                    f"largest_{c.dimension}_{c.date}",
                    say(
                        "poverty.key.largest", dimension=fields["dimension"], date=shown_date, category=top["category"]
                    ),
                    float(top["share"]),
                    "fraction",
                    numbers.share(top["share"]),
                    (top["figure_id"], c.base_id) if c.base_id else ids,
                    low=float(top["low"]),
                    high=float(top["high"]),
                    derivation=say("poverty.derivation.largest" if c.base_id else "poverty.derivation.largest_of_sum"),
                )
            )
    return findings, key_numbers


def limitations(a: PovertyAnalysis) -> list[str]:
    """The report's limitations, naming only what the page shows: what they say about entries depends on whether
    the region prints them, and only a page with two totals has a change to bound; only one with an exact change
    shows the table of assumed inflows and the five-year curve (the notebook's `exact_changes` sections)."""
    printed = [
        period_flows(a.rows, a.meaning, s.indicator, c).entries is not None for s in a.series for c in s.intervals
    ]
    if not printed:
        return [say(f"poverty.limitation.{key}") for key in ("keeper", "one_total")]
    if all(printed):
        return [say(f"poverty.limitation.{key}") for key in ("keeper", "flows_all", "one_total")]
    flows = say("poverty.limitation." + ("flows_some" if any(printed) else "flows_none"))
    if exact_changes(a):
        flows += " " + say("poverty.limitation.assumed_inflows")
    return [say("poverty.limitation.keeper"), flows, say("poverty.limitation.one_total")]


# ---------------------------------------------------------------- for the charts


def net_paths(a: PovertyAnalysis) -> list[tuple[str, pd.DataFrame]]:
    """The constant-net-rate path across each exact change, with the date it starts from."""
    return [(c.start["date"], net_path(int(c.start["value"]), int(c.end["value"]), c.days)) for c in exact_changes(a)]


def scenario_at(sensitivity: pd.DataFrame, inflow: float) -> pd.Series | None:
    """The scenario row for one assumed inflow, if it was computed."""
    rows = sensitivity[sensitivity["inflow_per_year"] == inflow]
    return rows.iloc[0] if len(rows) else None


def compositions_by_date(a: PovertyAnalysis) -> dict[str, list[Composition]]:
    """The breakdowns of each date with a base for their shares, as chart panels."""
    panels: dict[str, list[Composition]] = {}
    for c in a.compositions.values():
        if c.base is not None:
            panels.setdefault(c.date, []).append(c)
    return panels

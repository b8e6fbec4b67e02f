"""Across regions and over time: compare only what is comparable, and fit trends with their intervals.

Two regions' figures are set side by side only when they are figures of the same quantity: the same indicator.
The declared meaning (`evidence.meaning`: kind, what one unit counts, scope, per, of) says what two figures
have in common, not that they are one quantity: it has no column for what is done to the unit. Work orders
received and work orders closed, calls answered and calls made, households entering and households leaving a
register all share kind, unit and scope, yet setting one region's against another's compares two different
things. An indicator row is the one place the data declare "this is the same quantity wherever it is printed"
(a page's figure is entered under an existing indicator only when it is that quantity, data/raw/README.md), so
the indicator is the rule, and the meaning is checked on top of it (a pair of one indicator shares it by
construction). Pairs of one kind that differ are listed with the reason, from the meaning: another unit,
another scope, or (same unit and scope) different quantities, each named.

Flows are compared per day, stocks as levels on their dates and as net rates annualised over their own spans,
rates as printed (with their printed digits, their interval clipped to 0–100%). Each number carries the
interval its printing allows (value_low, value_high), with the audit's interval arithmetic; two overlapping
intervals are called indistinguishable.

Levels are also set per resident where a region prints its resident population (`Meaning.population`):
per 10,000 residents, the interval of the level over the interval of the population, so a province and a city
inside it are compared per resident though not in level; a region that prints no population is named. A region
lies inside another by its name ('A:B' in 'A') or by regions.csv `within` (a province within its country).

A region with three or more periods (dates) of one indicator gets a trend: volumes by a Poisson GLM with
log(days) as offset and its scale taken from the Pearson statistic where the data are overdispersed
(quasi-Poisson); stocks by a log-linear least-squares fit over the dates, whose interval is autocorrelation-
robust (Newey–West HAC, Bartlett kernel, `hac_lags` lags, small-sample correction, t on n − 2 df: a long annual
series of a stock is autocorrelated, and the plain OLS interval would be too narrow), with the Durbin–Watson
statistic of its residuals and a note where it suggests positive autocorrelation. Two points give a change in
volume per day (a signed percentage, the form of a printed change; one rule, however large) or a net rate, with the
gap between the periods stated. A printed change (同比 or 环比, `evidence.derived.previous_period`)
whose base period is printed is set against that figure; where the base is printed nowhere, the change implies
it (value / (1 + change), the change written with its printed digits, with the interval its printing allows) and
the series uses it, marked implied. Series whose periods (a stock's dates) cover different months of the year carry
a note that season may be part of the estimate, and unevenly spaced ones say so with the days between points.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.stattools import durbin_watson

from analysis import language, numbers
from analysis.calendar import DAYS_PER_YEAR, days_between, period_days
from analysis.evidence.audit import Interval
from analysis.evidence.derived import previous_period
from analysis.evidence.meaning import Meaning
from analysis.evidence.names import indicator_name, region_name
from analysis.language import say
from analysis.numbers import Finding, KeyNumber
from analysis.topics.satisfaction import interval_text as share_interval_text
from analysis.topics.satisfaction import printed_decimals, share_text

# The processed table each comparison reads (reports.yml `reads`, first table), by topic.
TOPIC_TABLES = {"poverty_exit": "poverty_caseload", "hotline": "hotline_volume", "satisfaction": "service_satisfaction"}
# Kinds whose figures are levels two regions can share; any other kind is listed as not compared.
COMPARED_KINDS = ("flow", "stock", "rate", "average")
# Kinds that add up over a region's parts: a region is not compared with a region inside it.
LEVEL_KINDS = ("flow", "stock")
# Trends need this many points; fewer give a pairwise comparison.
TREND_POINTS = 3
CONFIDENCE = 0.95
# A Durbin–Watson statistic below this suggests positive autocorrelation (the rule of thumb; the tabulated
# critical bounds start at 6 points for one regressor, more than most printed series have).
DW_POSITIVE = 1.5
# A series whose longest step between points exceeds this many times its shortest is said to be unevenly spaced
# (year-ends of 365 and 366 days, or months of 28 to 31, are even).
UNEVEN = 1.5
# Below this a derived count per day keeps three significant digits (3.58 elevators a day, not 4).
SMALL = 100
# Levels per resident are shown per this many residents (每万人).
PER_RESIDENTS = 10_000
# The measures a level is set per resident from, and the measure it gives.
PER_RESIDENT = {"per_day": "per_day_per_resident", "level": "level_per_resident"}
# Measures read as levels: a region is not compared in them with a region inside it.
LEVEL_MEASURES = ("per_day", "level")
# The bases of a printed change (indicators.csv `per`): the same period a year earlier, or the previous period.
CHANGE_BASES = ("year", "period")

MEASURE_COLUMNS = [
    "group",
    "measure",
    "region",
    "indicator",
    "kind",
    "counts",
    "scope",
    "start",
    "end",
    "value",
    "low",
    "high",
    "figure_ids",
    "as_printed",
    "qualifier",
    "population",
    "population_date",
]


def observations(table: pd.DataFrame, meaning: Meaning) -> pd.DataFrame:
    """The totals of a topic table with their declared meaning, period (start, end, days) and printed interval."""
    rows = table[table["breakdown_dimension"].fillna("") == ""].copy()
    end_column = "period_end" if "period_end" in rows.columns else "date"
    rows["start"] = rows["period_start"].astype(str)
    rows["end"] = rows[end_column].astype(str)
    rows["days"] = [period_days(s, e) for s, e in zip(rows["start"], rows["end"], strict=True)]
    for column in ("kind", "counts", "scope", "per", "of"):
        rows[column] = [getattr(meaning, column)(i) or "" for i in rows["indicator"]]
    rows["low"] = rows["value_low"].astype(float)
    rows["high"] = rows["value_high"].astype(float)
    rows["source_id"] = rows["source_id"].astype(str) if "source_id" in rows.columns else ""
    rows["figure_ids"] = [(i,) for i in rows["figure_id"]]
    rows["implied"] = False
    columns = ["figure_id", "region", "indicator", "kind", "counts", "scope", "per", "of", "start", "end", "days"]
    extra = ["source_id", "figure_ids", "implied"]
    return rows[[*columns, "value", "low", "high", "as_printed", "qualifier", *extra]].reset_index(drop=True)


def group_key(row: pd.Series) -> str:
    """What makes two figures one quantity: the same indicator (with its declared kind, unit, scope, per, of)."""
    parts = [row["kind"], row["counts"], row["scope"], row["per"], row["of"], row["indicator"]]
    return "|".join(str(p) for p in parts)


def contains(outer: pd.Series, inner: pd.Series) -> bool:
    """Whether one period covers another and is longer."""
    return outer["start"] <= inner["start"] and inner["end"] <= outer["end"] and outer["days"] > inner["days"]


def overlapping(a: pd.Series, b: pd.Series) -> bool:
    """Whether two periods share a day."""
    return a["start"] <= b["end"] and b["start"] <= a["end"]


def series_points(obs: pd.DataFrame) -> pd.DataFrame:
    """A region's periods of one indicator that do not overlap: shorter periods first, so a cumulative total drops."""
    chosen: list[pd.Series] = []
    for _, row in obs.sort_values(["days", "start", "figure_id"]).iterrows():
        if not any(overlapping(row, c) for c in chosen):
            chosen.append(row)
    return pd.DataFrame(chosen).sort_values("start").reset_index(drop=True) if chosen else obs.iloc[0:0]


def per_day_interval(row: pd.Series) -> Interval:
    """A flow's printed interval over the days of its period."""
    return Interval(row["low"], row["high"]) / Interval(row["days"], row["days"])


def printed_interval(row: pd.Series) -> Interval:
    """The interval a figure's printing allows; a rate's within 0–100% (a printed 100% is 99.5%–100%, not more)."""
    if row["kind"] == "rate":
        return Interval(max(float(row["low"]), 0.0), min(float(row["high"]), 1.0))
    return Interval(row["low"], row["high"])


def net_rate(earlier: pd.Series, later: pd.Series) -> tuple[float, Interval, float]:
    """The annualised net rate from one stock to a later one, the interval the printing allows, and the years."""
    years = days_between(earlier["end"], later["end"]) / DAYS_PER_YEAR
    value = (later["value"] / earlier["value"]) ** (1 / years) - 1
    ratio = Interval(later["low"], later["high"]) / Interval(earlier["low"], earlier["high"])
    low = ratio.low ** (1 / years) - 1 if ratio.low >= 0 else -1.0
    high = ratio.high ** (1 / years) - 1 if math.isfinite(ratio.high) else math.inf
    return value, Interval(low, high), years


def _measure(row: pd.Series, group: str, measure: str, value: float, interval: Interval, ids: tuple[str, ...]) -> dict:
    return {
        "group": group,
        "measure": measure,
        "region": row["region"],
        "indicator": row["indicator"],
        "kind": row["kind"],
        "counts": row["counts"],
        "scope": row["scope"],
        "start": row["start"],
        "end": row["end"],
        "value": value,
        "low": interval.low,
        "high": interval.high,
        "figure_ids": ids,
        "as_printed": row["as_printed"],
        "qualifier": row["qualifier"],
        "population": "",
        "population_date": "",
    }


def measures(obs: pd.DataFrame) -> pd.DataFrame:
    """One row per region and measure: flows per day, stocks as levels and net rates a year, rates and averages.

    Each region is represented by its latest figure of each comparable group (the shortest period among ties);
    a stock printed on two or more dates adds its net rate a year between the first and the last.
    """
    rows = []
    compared = obs[obs["kind"].isin(COMPARED_KINDS)].copy()
    compared["group"] = [group_key(r) for _, r in compared.iterrows()]
    for (group, _region), part in compared.groupby(["group", "region"], sort=True):
        # A flow's latest period among those that do not overlap: a cumulative total does not stand for a region.
        candidates = series_points(part) if part["kind"].iloc[0] == "flow" else part
        latest = candidates.sort_values(["end", "days", "figure_id"], ascending=[False, True, True]).iloc[0]
        ids = (latest["figure_id"],)
        if latest["kind"] == "flow":
            rows.append(
                _measure(latest, group, "per_day", latest["value"] / latest["days"], per_day_interval(latest), ids)
            )
        else:
            measure = "level" if latest["kind"] == "stock" else latest["kind"]
            rows.append(_measure(latest, group, measure, latest["value"], printed_interval(latest), ids))
        if latest["kind"] == "stock":
            dated = part.sort_values("end")
            if dated["end"].nunique() >= 2:
                first, last = dated.iloc[0], dated.iloc[-1]
                value, interval, _years = net_rate(first, last)
                row = {**last.to_dict(), "start": first["end"]}
                rows.append(
                    _measure(
                        pd.Series(row), group, "net_rate", value, interval, (first["figure_id"], last["figure_id"])
                    )
                )
    return pd.DataFrame(rows, columns=MEASURE_COLUMNS)


def populations(table: pd.DataFrame, meaning: Meaning, regions: list[str]) -> pd.DataFrame:
    """Each region's printed resident populations (totals): region, date, value, interval, figure, as printed."""
    rows = []
    for region in regions:
        for _, p in meaning.population(table, region).iterrows():
            rows.append(
                {
                    "region": region,
                    "date": str(p["period_end"] if "period_end" in p.index else p["date"]),
                    "value": float(p["value"]),
                    "low": float(p["value_low"]),
                    "high": float(p["value_high"]),
                    "figure_id": p["figure_id"],
                    "as_printed": p["as_printed"],
                    "indicator": p["indicator"],
                }
            )
    return pd.DataFrame(
        rows, columns=["region", "date", "value", "low", "high", "figure_id", "as_printed", "indicator"]
    )


def per_resident(measured: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """Each level (a flow per day, a stock) per 10,000 residents where its region prints a population.

    The population is the one printed nearest the level's date; the interval is the level's over the
    population's (interval arithmetic), so a bound on either carries through.
    """
    rows = []
    levels = measured[measured["measure"].isin(list(PER_RESIDENT)) & ~measured["indicator"].isin(people["indicator"])]
    for _, m in levels.iterrows():
        own = people[people["region"] == m["region"]]
        if own.empty:
            continue
        distance = [abs(days_between(d, m["end"])) for d in own["date"]]
        p = own.iloc[int(np.argmin(distance))]
        scale = Interval(PER_RESIDENTS, PER_RESIDENTS)
        interval = Interval(m["low"], m["high"]) / Interval(p["low"], p["high"]) * scale
        rows.append(
            {
                **m.to_dict(),
                "measure": PER_RESIDENT[m["measure"]],
                "value": m["value"] / p["value"] * PER_RESIDENTS,
                "low": interval.low,
                "high": interval.high,
                "figure_ids": (*m["figure_ids"], p["figure_id"]),
                "population": p["as_printed"],
                "population_date": p["date"],
            }
        )
    return pd.DataFrame(rows, columns=MEASURE_COLUMNS)


def without_population(measured: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """The levels of regions that print no resident population: they are compared only as printed."""
    levels = measured[measured["measure"].isin(list(PER_RESIDENT)) & ~measured["indicator"].isin(people["indicator"])]
    return levels[~levels["region"].isin(people["region"])]


def enclosing(region: str, within: dict[str, str] | None = None) -> set[str]:
    """Every region that encloses `region`: by its name ('A' encloses 'A:B') and by regions.csv `within`
    (a province within its country), followed outward from each."""
    within = within or {}
    found: set[str] = set()
    todo = [region]
    while todo:
        r = todo.pop()
        for outer in ([r.rsplit(":", 1)[0]] if ":" in r else []) + ([within[r]] if within.get(r) else []):
            if outer not in found and outer != region:
                found.add(outer)
                todo.append(outer)
    return found


def nested(a: str, b: str, within: dict[str, str] | None = None) -> bool:
    """Whether one region lies inside the other ('A' and 'A:B', or a region regions.csv says lies within)."""
    return a != b and (a in enclosing(b, within) or b in enclosing(a, within))


def region_within() -> dict[str, str]:
    """The processed regions table's `within` column: region -> the region it lies within (where declared)."""
    from analysis.evidence.catalogue import load_processed

    regions = load_processed("regions")
    if "within" not in regions.columns:
        return {}
    return {r: w for r, w in zip(regions["region"], regions["within"]) if w}


@dataclass(frozen=True)
class Comparison:
    """Two regions' values of one measure: their intervals and whether they can be told apart."""

    measure: str
    group: str
    a: pd.Series
    b: pd.Series
    distinguishable: bool
    nested: bool = False
    outer: str = ""  # of a nested pair, the region that encloses the other

    @property
    def inner(self) -> str:
        """Of a nested pair, the region that lies within the other."""
        return self.b["region"] if self.outer == self.a["region"] else self.a["region"]

    @property
    def figure_ids(self) -> tuple[str, ...]:
        return tuple(sorted({*self.a["figure_ids"], *self.b["figure_ids"]}))


def comparisons(measured: pd.DataFrame, within: dict[str, str] | None = None) -> list[Comparison]:
    """Every pair of regions with the same measure of the same group, their intervals set against each other;
    `within` (regions.csv) says which regions lie inside others beyond what their names say."""
    found = []
    for (group, measure), part in measured.groupby(["group", "measure"], sort=True):
        part = part.sort_values("region")
        for (_, a), (_, b) in itertools.combinations(part.iterrows(), 2):
            # Per resident (and as net rates) a region is compared with a region inside it; in levels it is not.
            inside = measure in LEVEL_MEASURES and nested(a["region"], b["region"], within)
            apart = not Interval(a["low"], a["high"]).overlaps(Interval(b["low"], b["high"]))
            outer = (a["region"] if a["region"] in enclosing(b["region"], within) else b["region"]) if inside else ""
            found.append(Comparison(measure, group, a, b, apart, inside, outer))
    return found


def not_compared(obs: pd.DataFrame) -> pd.DataFrame:
    """Pairs of regions' figures of one kind that are not one quantity, with the reason: unit, scope or quantity."""
    rows = []
    compared = obs[obs["kind"].isin(COMPARED_KINDS)].copy()
    compared["group"] = [group_key(r) for _, r in compared.iterrows()]
    firsts = compared.sort_values("figure_id").drop_duplicates(["group", "region"])
    for (_, a), (_, b) in itertools.combinations(firsts.sort_values(["region", "group"]).iterrows(), 2):
        if a["region"] == b["region"] or a["kind"] != b["kind"] or a["group"] == b["group"]:
            continue
        if a["counts"] != b["counts"]:
            reason = "units"
        elif a["scope"] != b["scope"]:
            reason = "scope"
        else:
            reason = "quantity"  # same unit and scope, another indicator: a different quantity
        rows.append(
            {
                "region_a": a["region"],
                "indicator_a": a["indicator"],
                "region_b": b["region"],
                "indicator_b": b["indicator"],
                "kind": a["kind"],
                "reason": reason,
                "counts_a": a["counts"],
                "counts_b": b["counts"],
                "scope_a": a["scope"],
                "scope_b": b["scope"],
                "figure_ids": (a["figure_id"], b["figure_id"]),
            }
        )
    columns = ["region_a", "indicator_a", "region_b", "indicator_b", "kind", "reason"]
    return pd.DataFrame(rows, columns=[*columns, "counts_a", "counts_b", "scope_a", "scope_b", "figure_ids"])


def other_kinds(obs: pd.DataFrame) -> pd.DataFrame:
    """Figures of kinds no comparison reads (ratios, changes, rules ...), listed rather than left out."""
    return obs[~obs["kind"].isin(COMPARED_KINDS)].reset_index(drop=True)


@dataclass(frozen=True)
class Trend:
    """A log-linear trend: growth a year with its 95% interval, the model and the points it rests on."""

    region: str
    indicator: str
    model: str  # "quasi_poisson" or "log_linear"
    growth: float
    low: float
    high: float
    scale: float
    points: pd.DataFrame
    residuals: tuple[float, ...] = field(default_factory=tuple)
    durbin_watson: float | None = None  # of a log-linear fit's residuals
    lags: int = 0  # Newey–West lags of a log-linear fit's interval

    @property
    def autocorrelated(self) -> bool:
        """Whether the Durbin–Watson statistic suggests positive autocorrelation of the residuals."""
        return self.durbin_watson is not None and self.durbin_watson < DW_POSITIVE

    @property
    def figure_ids(self) -> tuple[str, ...]:
        return _flat(self.points["figure_ids"])

    @property
    def implied(self) -> pd.DataFrame:
        """The points no page prints: bases implied by a printed change."""
        return self.points[self.points["implied"].astype(bool)]


def _flat(groups: object) -> tuple[str, ...]:
    """Figure ids of several rows, in order, each once."""
    out: list[str] = []
    for ids in groups:  # type: ignore[attr-defined]
        out += [i for i in ids if i not in out]
    return tuple(out)


def midpoint_years(starts: pd.Series, ends: pd.Series) -> np.ndarray:
    """Each inclusive period's midpoint (start + days / 2), in years after the first period's midpoint."""
    mids = [pd.Timestamp(s) + pd.Timedelta(days=period_days(s, e) / 2) for s, e in zip(starts, ends, strict=True)]
    return np.array([(m - mids[0]).total_seconds() / 86_400 / DAYS_PER_YEAR for m in mids])


def poisson_trend(counts: np.ndarray, days: np.ndarray, years: np.ndarray) -> tuple[float, float, float, float]:
    """Growth a year of a Poisson log-linear GLM with log(days) offset: (growth, low, high, scale).

    The scale is the Pearson chi-square over its degrees of freedom where that exceeds 1 (overdispersion,
    quasi-Poisson, t intervals on the residual degrees of freedom), else 1 (Poisson, normal intervals).
    """
    exog = sm.add_constant(np.asarray(years, dtype=float))
    offset = np.log(np.asarray(days, dtype=float))
    model = sm.GLM(np.asarray(counts, dtype=float), exog, family=sm.families.Poisson(), offset=offset)
    fitted = model.fit()
    dof = len(counts) - 2
    pearson = float(fitted.pearson_chi2 / dof) if dof > 0 else 1.0
    scale = max(1.0, pearson)
    refit = model.fit(scale=scale)
    slope, se = float(refit.params[1]), float(refit.bse[1])
    quantile = stats.t.ppf(0.5 + CONFIDENCE / 2, dof) if scale > 1 else stats.norm.ppf(0.5 + CONFIDENCE / 2)
    return math.expm1(slope), math.expm1(slope - quantile * se), math.expm1(slope + quantile * se), scale


def hac_lags(n: int) -> int:
    """Newey–West lags for n points: floor(4 (n / 100)^(2/9)) (Newey and West 1994), at least 1."""
    return max(1, math.floor(4 * (n / 100) ** (2 / 9)))


@dataclass(frozen=True)
class LogLinearFit:
    """Growth a year of a log-linear fit, its 95% HAC interval, residuals, Durbin–Watson statistic and lags."""

    growth: float
    low: float
    high: float
    residuals: np.ndarray
    durbin_watson: float
    lags: int


def log_linear_trend(values: np.ndarray, years: np.ndarray) -> LogLinearFit:
    """Growth a year of log(stock) fitted linearly in years by least squares, with a Newey–West interval.

    The interval is HAC (Bartlett kernel, `hac_lags` lags, small-sample correction) with t quantiles on the
    residual degrees of freedom: successive year-ends of a stock are autocorrelated, and the plain OLS interval
    assumes they are not.
    """
    logs, exog = np.log(np.asarray(values, dtype=float)), sm.add_constant(np.asarray(years, dtype=float))
    lags = hac_lags(len(logs))
    fitted = sm.OLS(logs, exog).fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True}, use_t=True)
    low, high = fitted.conf_int(alpha=1 - CONFIDENCE)[1]
    resid = np.asarray(fitted.resid)
    return LogLinearFit(
        math.expm1(fitted.params[1]), math.expm1(low), math.expm1(high), resid, float(durbin_watson(resid)), lags
    )


def fitted_line(t: Trend) -> tuple[np.ndarray, np.ndarray]:
    """The trend's fitted values at its points: volume a day (Poisson) or stock (log-linear), from its slope.

    The intercept follows from the slope: a Poisson GLM with an intercept fits the total exactly
    (sum of counts = sum of fitted counts); least squares passes through the means.
    """
    slope = math.log1p(t.growth)
    if t.model == "quasi_poisson":
        years = midpoint_years(t.points["start"], t.points["end"])
        days = t.points["days"].to_numpy(dtype=float)
        level = t.points["value"].round().sum() / (days * np.exp(slope * years)).sum()
        return years, level * np.exp(slope * years)
    years = midpoint_years(t.points["end"], t.points["end"])
    logs = np.log(t.points["value"].to_numpy(dtype=float))
    return years, np.exp(logs.mean() + slope * (years - years.mean()))


@dataclass(frozen=True)
class Pairwise:
    """Two periods (dates) of one region and indicator: per-day ratio or net rate, and how far apart they are."""

    region: str
    indicator: str
    kind: str
    earlier: pd.Series
    later: pd.Series
    value: float
    interval: Interval
    gap_days: int  # days between the end of the earlier and the start of the later (0: adjacent)

    @property
    def figure_ids(self) -> tuple[str, ...]:
        return _flat([self.earlier["figure_ids"], self.later["figure_ids"]])

    @property
    def points(self) -> pd.DataFrame:
        return pd.DataFrame([self.earlier, self.later])


@dataclass(frozen=True)
class ChangeCheck:
    """A printed change (同比 or 环比) and its base: a printed figure it is set against, or the base it implies."""

    change: pd.Series
    current: pd.Series
    previous: pd.Series | None  # the base period's printed figure; None: printed nowhere, implied
    expected: Interval  # current / previous − 1 (checked), or the implied base current / (1 + change)
    value: float  # the same, from the printed values

    @property
    def implied(self) -> bool:
        return self.previous is None

    @property
    def holds(self) -> bool:
        return not self.implied and self.expected.overlaps(Interval(self.change["low"], self.change["high"]))

    @property
    def figure_ids(self) -> tuple[str, ...]:
        rows = [self.change, self.current] + ([] if self.previous is None else [self.previous])
        return tuple(r["figure_id"] for r in rows)


def changes(obs: pd.DataFrame) -> tuple[list[ChangeCheck], pd.DataFrame]:
    """Each printed change of a flow against its base period: the printed figure of that period, on any page, or
    where none is printed the base it implies, value / (1 + change), as a point marked implied."""
    checks, implied = [], []
    printed = obs[obs["kind"] == "flow"]
    for _, c in obs[(obs["kind"] == "change") & obs["per"].isin(CHANGE_BASES)].sort_values("figure_id").iterrows():
        same = printed[(printed["indicator"] == c["of"]) & (printed["region"] == c["region"])]
        current = same[(same["start"] == c["start"]) & (same["end"] == c["end"])].sort_values("figure_id")
        if current.empty:
            continue  # nothing printed for the period the change is of: no base follows
        now = current.iloc[0]
        start, end = previous_period(c["start"], c["end"], c["per"])
        base = same[(same["start"] == start) & (same["end"] == end)].sort_values("figure_id")
        change = Interval(c["low"], c["high"])
        if len(base):
            before = base.iloc[0]
            expected = Interval(now["low"], now["high"]) / Interval(before["low"], before["high"]) + Interval(-1, -1)
            checks.append(ChangeCheck(c, now, before, expected, now["value"] / before["value"] - 1))
            continue
        interval = Interval(now["low"], now["high"]) / (change + Interval(1, 1))
        value = now["value"] / (1 + c["value"])
        check = ChangeCheck(c, now, None, interval, value)
        if any(p["start"] == start and p["end"] == end and p["region"] == c["region"] for p in implied):
            continue  # two changes imply one base: the first (by figure) stands for it
        checks.append(check)
        implied.append(
            {
                **now.to_dict(),
                "figure_id": c["figure_id"],
                "start": start,
                "end": end,
                "days": period_days(start, end),
                "value": value,
                "low": interval.low,
                "high": interval.high,
                "as_printed": "",
                "qualifier": "implied",
                "source_id": c["source_id"],
                "figure_ids": (c["figure_id"], now["figure_id"]),
                "implied": True,
            }
        )
    return checks, pd.DataFrame(implied, columns=obs.columns)


def months_of_year(start: str, end: str) -> frozenset[int]:
    """The calendar months (1-12) an inclusive period touches."""
    return frozenset(pd.period_range(start, end, freq="M").month)


def recurring_months(points: pd.DataFrame) -> tuple[bool, list[int]]:
    """Whether a flow's periods cover different months of the year, and the months printed in more than one year."""
    profiles = {months_of_year(s, e) for s, e in zip(points["start"], points["end"], strict=True)}
    years: dict[int, set[int]] = {}
    for s, e in zip(points["start"], points["end"], strict=True):
        for period in pd.period_range(s, e, freq="M"):
            years.setdefault(period.month, set()).add(period.year)
    return len(profiles) > 1, sorted(m for m, ys in years.items() if len(ys) > 1)


def series(obs: pd.DataFrame, implied: pd.DataFrame | None = None) -> tuple[list[Trend], list[Pairwise]]:
    """Per region and indicator (flows and stocks): a trend from three or more points, else a pairwise comparison.

    A flow's series includes the bases implied by printed changes (`changes`), marked implied.
    """
    trends, pairs = [], []
    levels = obs[obs["kind"].isin(LEVEL_KINDS)]
    if implied is not None and len(implied):
        levels = pd.concat([levels, implied], ignore_index=True)
    for (region, indicator), part in levels.groupby(["region", "indicator"], sort=True):
        kind = part["kind"].iloc[0]
        points = series_points(part) if kind == "flow" else part.sort_values("end").drop_duplicates("end")
        points = points.reset_index(drop=True)
        if len(points) >= TREND_POINTS:
            if kind == "flow":
                years = midpoint_years(points["start"], points["end"])
                growth, low, high, scale = poisson_trend(points["value"].round(), points["days"], years)
                trends.append(Trend(region, indicator, "quasi_poisson", growth, low, high, scale, points))
            else:
                fit = log_linear_trend(points["value"], midpoint_years(points["end"], points["end"]))
                trends.append(
                    Trend(
                        region,
                        indicator,
                        "log_linear",
                        fit.growth,
                        fit.low,
                        fit.high,
                        1.0,
                        points,
                        tuple(fit.residuals),
                        fit.durbin_watson,
                        fit.lags,
                    )
                )
        elif len(points) == 2:
            earlier, later = points.iloc[0], points.iloc[1]
            if kind == "flow":
                interval = per_day_interval(later) / per_day_interval(earlier)
                value = (later["value"] / later["days"]) / (earlier["value"] / earlier["days"])
                gap = days_between(earlier["end"], later["start"]) - 1
            else:
                value, interval, _ = net_rate(earlier, later)
                gap = days_between(earlier["end"], later["end"])
            pairs.append(Pairwise(region, indicator, kind, earlier, later, value, interval, gap))
    return trends, pairs


# ---- words -----------------------------------------------------------------------------------------------


def period_text(start: str, end: str) -> str:
    """A period as its dates ('2021-01-01 to 2021-12-31'), or one date for a stock."""
    if start == end:
        return numbers.date(end)
    return say("common.span", start=numbers.date(start), end=numbers.date(end))


def value_text(row: pd.Series) -> str:
    """A measure's value in its one format; a printed rate with its printed digits and qualifier (0.015%, 100%)."""
    measure, value = row["measure"], row["value"]
    if measure == "rate":
        decimals = printed_decimals(row["as_printed"])
        return numbers.bounded(value, row["qualifier"], lambda v: share_text(v, decimals))
    if measure in ("net_rate", "growth"):
        return numbers.share(value)
    if measure == "average" or measure in PER_RESIDENT.values() or (measure == "per_day" and abs(value) < SMALL):
        return f"{value:,.3g}"
    return numbers.count(value, exact=measure == "level")


def interval_text(row: pd.Series) -> str:
    """A measure's interval: a printed rate's to one digit past its printed ones (as the region pages show it),
    counts with separators."""
    measure, low, high = row["measure"], row["low"], row["high"]
    if measure in ("net_rate", "growth"):
        return numbers.interval(low, high, numbers.share)
    if measure == "rate":
        return share_interval_text(low, high, printed_decimals(row["as_printed"]) + 1)
    if measure == "average" or measure in PER_RESIDENT.values() or (measure == "per_day" and abs(high) < SMALL):
        return numbers.interval(low, high, lambda v: f"{v:,.3g}")
    return numbers.interval(low, high, lambda v: numbers.count(v, exact=measure == "level"))


def measure_name(row: pd.Series) -> str:
    """'calls per day', 'households on file (level)': the indicator's name and the measure taken of it."""
    return say(f"compare.measure.{row['measure']}", indicator=indicator_name(row["indicator"]))


def words(code: str, table: str = "counts") -> str:
    """A declared unit (`table` "counts") or scope ("scope") in words, else the code with spaces.

    A unit's words are vocabulary (the message catalogue's compare.counts: `counts` is a closed list that
    data/raw/README.md documents); a scope's are meaning, data (data/raw/scopes.csv).
    """
    from analysis.language import catalogue

    if table == "scope":
        return scope_words().get(code, {}).get(language.current(), str(code).replace("_", " "))
    key = f"compare.{table}.{code}"
    return say(key) if key in catalogue() else str(code).replace("_", " ")


@cache
def scope_words() -> dict[str, dict[str, str]]:
    """Each declared scope in words, by language, from data/processed/scopes.csv."""
    from analysis.evidence.catalogue import load_processed

    return {r.scope: {"en": r.name_en, "zh": r.name_zh} for r in load_processed("scopes").itertuples()}


def headed(frame: pd.DataFrame) -> pd.DataFrame:
    """A table with this topic's own columns under their headers in the current language (the rest as they are)."""
    from analysis.language import catalogue

    return frame.rename(
        columns={c: say(f"compare.header.{c}") for c in frame.columns if f"compare.header.{c}" in catalogue()}
    )


def observation_table(obs: pd.DataFrame) -> pd.DataFrame:
    """The figures read, in words: region, indicator, declared kind, unit and scope, period, as printed."""
    return pd.DataFrame(
        {
            "figure_id": list(obs["figure_id"]),
            "region": [region_name(r) for r in obs["region"]],
            "indicator": list(obs["indicator"]),
            "meaning": [
                say(f"compare.kind.{k}") if f"compare.kind.{k}" in _catalogue() else words(k) for k in obs["kind"]
            ],
            "counts": [words(c) for c in obs["counts"]],
            "scope": [words(c, "scope") for c in obs["scope"]],
            "period": [period_text(s, e) for s, e in zip(obs["start"], obs["end"], strict=True)],
            "as_printed": list(obs["as_printed"]),
            "qualifier": list(obs["qualifier"]),
        }
    )


def _catalogue() -> dict:
    from analysis.language import catalogue

    return catalogue()


def measure_table(measured: pd.DataFrame) -> pd.DataFrame:
    """The chart's rows as a table: region, measure, period or date, value, interval and the figures."""
    return pd.DataFrame(
        {
            "region": [region_name(r) for r in measured["region"]],
            "measure": [measure_name(r) for _, r in measured.iterrows()],
            "period": [measured_period(r) for _, r in measured.iterrows()],
            "shown": [value_text(r) for _, r in measured.iterrows()],
            "interval": [interval_text(r) for _, r in measured.iterrows()],
            "figure_ids": list(measured["figure_ids"]),
        }
    )


def measured_period(row: pd.Series) -> str:
    """A measure's period or date, and for a level per resident the population it is set against."""
    period = period_text(row["start"], row["end"])
    if not row.get("population"):
        return period
    return say(
        "compare.finding.with_population",
        period=period,
        population=row["population"],
        date=numbers.date(row["population_date"]),
    )


def comparison_finding(c: Comparison) -> Finding:
    """One sentence on two regions' values of one measure: which is higher, or that they cannot be told apart."""
    a, b = c.a, c.b
    fields = {
        "measure": measure_name(a),
        "a": region_name(a["region"]),
        "b": region_name(b["region"]),
        "a_value": interval_text(a),
        "b_value": interval_text(b),
        "a_period": measured_period(a),
        "b_period": measured_period(b),
    }
    if c.nested:
        where = {"inner": region_name(c.inner), "outer": region_name(c.outer)}
        return Finding(say("compare.finding.nested", **fields, **where), c.figure_ids)
    if not c.distinguishable:
        return Finding(say("compare.finding.indistinguishable", **fields), c.figure_ids)
    higher, lower = (a, b) if a["low"] > b["high"] else (b, a)
    fields = {
        **fields,
        "higher": region_name(higher["region"]),
        "lower": region_name(lower["region"]),
    }
    return Finding(say("compare.finding.apart", **fields), c.figure_ids)


def difference_words(row: pd.Series) -> dict[str, str]:
    """What each side of a pair not compared is, counts and covers, in words (the reason's and the finding's fields)."""
    return {
        "a_indicator": indicator_name(row["indicator_a"]),
        "b_indicator": indicator_name(row["indicator_b"]),
        "a_counts": words(row["counts_a"]),
        "b_counts": words(row["counts_b"]),
        "a_scope": words(row["scope_a"], "scope"),
        "b_scope": words(row["scope_b"], "scope"),
    }


def not_compared_finding(row: pd.Series) -> Finding:
    """Why two regions' figures of one kind are not set side by side: unit, scope or a different quantity (each named)."""
    return Finding(
        say(
            f"compare.finding.not_compared_{row['reason']}",
            a=region_name(row["region_a"]),
            b=region_name(row["region_b"]),
            **difference_words(row),
        ),
        row["figure_ids"],
    )


def trend_finding(t: Trend) -> Finding:
    """A trend's growth a year with its interval, the model and its points."""
    first, last = t.points.iloc[0], t.points.iloc[-1]
    return Finding(
        say(
            f"compare.finding.trend_{t.model}",
            region=region_name(t.region),
            indicator=indicator_name(t.indicator),
            n=len(t.points),
            first=period_text(first["start"], first["end"])
            if t.model == "quasi_poisson"
            else numbers.date(first["end"]),
            last=period_text(last["start"], last["end"]) if t.model == "quasi_poisson" else numbers.date(last["end"]),
            growth=numbers.share(t.growth),
            interval=numbers.interval(t.low, t.high, numbers.share),
            scale=f"{t.scale:.3g}",
            bounds=say("compare.finding.trend_bounds", k=bounded) if (bounded := _bounded(t.points)) else "",
            notes=series_notes(t.points) if t.model == "quasi_poisson" else stock_notes(t),
            lags=t.lags,
            dw=f"{t.durbin_watson:.2f}" if t.durbin_watson is not None else "",
        ),
        t.figure_ids,
    )


def stock_notes(t: Trend) -> str:
    """A stock trend's qualifications: uneven spacing of its dates, their months of the year, autocorrelation."""
    dates = t.points.assign(start=t.points["end"])
    return spacing_note(dates) + season_note(dates, "dates") + autocorrelation_note(t)


def spacing_note(points: pd.DataFrame) -> str:
    """Where a series' points are unevenly spaced (the longest step over UNEVEN times the shortest): the days
    between successive midpoints, so the reader sees which steps the fit rests on."""
    mids = midpoint_years(points["start"], points["end"]) * DAYS_PER_YEAR
    steps = [round(b - a) for a, b in itertools.pairwise(mids)]
    if len(steps) < 2 or max(steps) <= UNEVEN * min(steps):
        return ""
    return say(
        "compare.finding.uneven",
        n=len(points),
        steps=say("compare.finding.list_separator").join(f"{d:,}" for d in steps),
    )


def autocorrelation_note(t: Trend) -> str:
    """Where a stock trend's Durbin–Watson statistic suggests positive autocorrelation: said, with its weakness."""
    return say("compare.finding.autocorrelated", n=len(t.points)) if t.autocorrelated else ""


def gap_days(points: pd.DataFrame) -> int:
    """Days that lie between consecutive periods of a flow's series and belong to none (0: adjacent)."""
    ends, starts = list(points["end"])[:-1], list(points["start"])[1:]
    return sum(max(0, days_between(e, s) - 1) for e, s in zip(ends, starts, strict=True))


def month_names(months: list[int]) -> str:
    """Calendar months in words, consecutive ones as a range: 'January–June, September' (1月–6月、9月)."""
    from babel.dates import format_date

    locale = "zh_CN" if language.current() == "zh" else "en"

    def name(m: int) -> str:
        return format_date(pd.Timestamp(2000, m, 1).date(), "LLLL", locale=locale)

    runs: list[list[int]] = []
    for m in months:
        if runs and m == runs[-1][-1] + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    parts = [name(r[0]) if len(r) == 1 else f"{name(r[0])}{numbers.DASH}{name(r[-1])}" for r in runs]
    return say("compare.finding.list_separator").join(parts)


def season_note(points: pd.DataFrame, what: str = "periods") -> str:
    """Where a series' periods (or a stock's dates, `what` "dates") cover different months of the year: season
    may be part of the estimate."""
    differ, recurring = recurring_months(points)
    if not differ:
        return ""
    prefix = "" if what == "periods" else "dates_"
    if recurring:
        return say(f"compare.finding.{prefix}season_recurring", months=month_names(recurring))
    months = sorted({m for s, e in zip(points["start"], points["end"], strict=True) for m in months_of_year(s, e)})
    return say(f"compare.finding.{prefix}season", months=month_names(months))


def implied_note(points: pd.DataFrame) -> str:
    """Which points of a series no page prints: bases implied by a printed change."""
    implied = points[points["implied"].astype(bool)]
    if implied.empty:
        return ""
    periods = say("compare.finding.separator").join(period_text(s, e) for s, e in zip(implied["start"], implied["end"]))
    return say("compare.finding.implied_points", n=len(implied), periods=periods)


def series_notes(points: pd.DataFrame) -> str:
    """A flow series' qualifications: gaps between its periods, implied points, season."""
    gaps = gap_days(points)
    notes = say("compare.finding.trend_gaps", gap=gaps) if gaps else ""
    return notes + spacing_note(points) + implied_note(points) + season_note(points)


def figure_stem(prefix: str, figure_ids: tuple[str, ...] | list[str]) -> str:
    """A short, deterministic file stem for a chart of these figures: prefix plus 10 hex digits of their SHA-1.

    Joining every figure id made stems longer than a file name may be (17 year-ends: OSError).
    """
    digest = hashlib.sha1("|".join(sorted(figure_ids)).encode("utf-8")).hexdigest()[:10]
    return f"{prefix}_{digest}"


def trend_caption(t: Trend) -> str:
    """The caption of a trend's chart."""
    return say("compare.chart.trend_caption", region=region_name(t.region), indicator=indicator_name(t.indicator))


def trend_method(t: Trend) -> str:
    """How a trend was fitted, in one line."""
    return say(f"compare.derivation.{t.model}")


def _bounded(points: pd.DataFrame) -> int:
    """How many points are printed as a bound (余, 多, 超过 ...) rather than to their digit (implied ones aside)."""
    return int(((points["qualifier"] != "exact") & ~points["implied"].astype(bool)).sum())


def pairwise_finding(p: Pairwise) -> Finding:
    """Two periods of one region set against each other, saying how far apart they are."""
    earlier, later = p.earlier, p.later
    fields = {
        "region": region_name(p.region),
        "indicator": indicator_name(p.indicator),
        "earlier": period_text(earlier["start"], earlier["end"]),
        "later": period_text(later["start"], later["end"]),
        "gap": p.gap_days,
        "years": f"{p.gap_days / DAYS_PER_YEAR:.2f}",
    }
    if p.kind == "flow":
        key = "pairwise_adjacent" if p.gap_days == 0 else "pairwise_apart"
        notes = implied_note(p.points) + season_note(p.points)
        change = interval_words(p.interval.low - 1, p.interval.high - 1, signed_share)
        return Finding(
            say(f"compare.finding.{key}", change=signed_share(p.value - 1), interval=change, notes=notes, **fields),
            p.figure_ids,
        )
    return Finding(
        say(
            "compare.finding.net_rate",
            rate=numbers.share(p.value),
            interval=interval_words(p.interval.low, p.interval.high, numbers.share),
            **fields,
        ),
        p.figure_ids,
    )


def signed_share(value: float) -> str:
    """A change as a signed percentage, one decimal: +13.6%, -2.0% (a per-day change of two periods)."""
    return ("+" if value > 0 else "") + numbers.share(value)


def interval_words(low: float, high: float, show: object = numbers.count) -> str:
    """'interval a–b'; where both ends display alike, the one value 'to the digits shown' (not 'interval 3.06',
    which reads as a range of one point). `numbers.interval` writes such an interval as one value."""
    shown = numbers.interval(low, high, show)
    alike = math.isfinite(low) and math.isfinite(high) and show(low) == show(high)  # type: ignore[operator]
    return say("compare.finding.interval_point" if alike else "compare.finding.interval_range", interval=shown)


def change_finding(c: ChangeCheck) -> Finding:
    """A printed change set against its base period's printed figure (holds or not), or the base it implies."""
    ch, now = c.change, c.current
    base_start, base_end = previous_period(ch["start"], ch["end"], ch["per"])
    fields = {
        "region": region_name(ch["region"]),
        "indicator": indicator_name(now["indicator"]),
        "change": ch["as_printed"],
        "printed": numbers.interval(ch["low"], ch["high"], numbers.share),
        "base": say(f"compare.base.{ch['per']}"),
        "period": period_text(ch["start"], ch["end"]),
        "base_period": period_text(base_start, base_end),
        "current": now["as_printed"],
    }
    if c.implied:
        # The base's dates are not printed (a festival week's 同期 is not the same calendar dates): assumed, said so.
        fields["base_period"] = say(f"compare.finding.assumed_base.{ch['per']}", dates=fields["base_period"])
        return Finding(
            say(
                "compare.finding.change_implied",
                implied=numbers.count(c.value),
                interval=interval_words(c.expected.low, c.expected.high),
                factor=growth_factor(ch["as_printed"]),
                **fields,
            ),
            c.figure_ids,
        )
    before = c.previous
    assert before is not None
    page = "same_page" if before["source_id"] == ch["source_id"] else "other_page"
    return Finding(
        say(
            f"compare.finding.change_{'holds' if c.holds else 'fails'}",
            previous=before["as_printed"],
            where=say(f"compare.finding.{page}"),
            expected=numbers.interval(c.expected.low, c.expected.high, numbers.share),
            **fields,
        ),
        c.figure_ids,
    )


def growth_factor(printed_change: str) -> str:
    """'1 + 17.42%' or '1 − 0.21%': one plus a printed change, with its printed digits, so that the reader's
    current / (1 + change) gives the implied point."""
    text = printed_change.strip()
    if text.startswith(("-", "−")):
        return f"1 − {text[1:]}"
    return f"1 + {text.removeprefix('+')}"


def no_population_finding(levels: pd.DataFrame) -> Finding | None:
    """The regions whose levels are compared only as printed: they print no resident population."""
    if levels.empty:
        return None
    regions = sorted(set(levels["region"]))
    return Finding(
        say(
            "compare.finding.no_population",
            n=len(regions),
            regions=say("compare.finding.list_separator").join(region_name(r) for r in regions),
        ),
        tuple(sorted({i for ids in levels["figure_ids"] for i in ids})),
    )


def alone_finding(measured: pd.DataFrame) -> Finding | None:
    """The measures only one region prints: listed, as there is nothing to compare them with."""
    counts = measured.groupby(["group", "measure"])["region"].transform("nunique")
    alone = measured[counts == 1]
    if alone.empty:
        return None
    items = say("compare.finding.separator").join(
        say(
            "compare.finding.alone_item_population" if r["population"] else "compare.finding.alone_item",
            region=region_name(r["region"]),
            measure=measure_name(r),
            period=measured_period(r),
        )
        for _, r in alone.iterrows()
    )
    ids = tuple(sorted({i for ids in alone["figure_ids"] for i in ids}))
    return Finding(say("compare.finding.alone", n=len(alone), items=items), ids)


@dataclass(frozen=True)
class ComparisonAnalysis:
    """A topic's comparison across regions and over time: measures, pairs, reasons, series, findings."""

    topic: str
    observations: pd.DataFrame
    measures: pd.DataFrame
    comparisons: list[Comparison]
    not_compared: pd.DataFrame
    other_kinds: pd.DataFrame
    trends: list[Trend]
    pairs: list[Pairwise]
    findings: list[Finding]
    key_numbers: list[KeyNumber]
    series_findings: list[Finding] = field(default_factory=list)
    changes: list[ChangeCheck] = field(default_factory=list)
    populations: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def figure_ids(self) -> list[str]:
        people = set(self.populations["figure_id"]) if len(self.populations) else set()
        return sorted(set(self.observations["figure_id"]) | people)


def summary_finding(
    topic: str, obs: pd.DataFrame, found: list[Comparison], skipped: pd.DataFrame, trends: list[Trend]
) -> Finding:
    """The one line the index shows: regions, comparisons told apart or not, pairs not compared, trends."""
    told = sum(c.distinguishable and not c.nested for c in found)
    return Finding(
        say(
            "compare.finding.summary",
            topic=say(f"compare.topic.{topic}"),
            regions=obs["region"].nunique(),
            compared=sum(not c.nested for c in found),
            apart=told,
            together=sum(not c.distinguishable and not c.nested for c in found),
            skipped=len(skipped),
            trends=len(trends),
        ),
        tuple(sorted(set(obs["figure_id"]))),
    )


def number_key(measure: str, region: str, indicator: str, *rest: str) -> str:
    """A key number's key: what it is, 'level:<region>:<indicator>', not which figures it rests on."""
    return ":".join([measure, region, indicator, *rest])


def key_numbers(
    measured: pd.DataFrame, trends: list[Trend], pairs: list[Pairwise], checks: list[ChangeCheck] | None = None
) -> list[KeyNumber]:
    """Every measure, trend, pairwise value and base implied by a printed change, with its interval and figures.

    A key names what the number is (measure, region, indicator), so it stays the same when a figure is added to
    a series; the figures it is computed from are its `figure_ids`, and only those.
    """
    numbers_ = [
        KeyNumber(
            number_key(r["measure"], r["region"], r["indicator"]),
            say("compare.key.measure", region=region_name(r["region"]), measure=measure_name(r)),
            float(r["value"]),
            say(f"compare.unit.{r['measure']}"),
            value_text(r),
            tuple(r["figure_ids"]),
            low=float(r["low"]),
            high=float(r["high"]),
            derivation=say(f"compare.derivation.{r['measure']}"),
        )
        for _, r in measured.iterrows()
    ]
    numbers_ += [
        KeyNumber(
            number_key("trend", t.region, t.indicator),
            say("compare.key.trend", region=region_name(t.region), indicator=indicator_name(t.indicator)),
            t.growth,
            say("compare.unit.growth"),
            numbers.share(t.growth),
            t.figure_ids,
            low=t.low,
            high=t.high,
            derivation=say(f"compare.derivation.{t.model}"),
        )
        for t in trends
    ]
    for p in pairs:
        flow = p.kind == "flow"
        numbers_.append(
            KeyNumber(
                number_key("pair", p.region, p.indicator),
                say(
                    "compare.key.pair_flow" if flow else "compare.key.pair_stock",
                    region=region_name(p.region),
                    indicator=indicator_name(p.indicator),
                ),
                p.value - 1 if flow else p.value,
                say("compare.unit.change_per_day" if flow else "compare.unit.net_rate"),
                signed_share(p.value - 1) if flow else numbers.share(p.value),
                p.figure_ids,
                low=p.interval.low - 1 if flow else p.interval.low,
                high=p.interval.high - 1 if flow else p.interval.high,
                derivation=say("compare.derivation.pair_flow" if flow else "compare.derivation.net_rate"),
            )
        )
    for c in checks or []:
        if not c.implied:
            continue
        base_start, _base_end = previous_period(c.change["start"], c.change["end"], c.change["per"])
        numbers_.append(
            KeyNumber(
                number_key("implied", c.change["region"], c.current["indicator"], base_start),
                say(
                    "compare.key.implied",
                    region=region_name(c.change["region"]),
                    indicator=indicator_name(c.current["indicator"]),
                    period=period_text(*previous_period(c.change["start"], c.change["end"], c.change["per"])),
                ),
                c.value,
                say("compare.unit.implied"),
                numbers.count(c.value),
                c.figure_ids,
                low=c.expected.low,
                high=c.expected.high,
                derivation=say("compare.derivation.implied"),
            )
        )
    return numbers_


def analyse(
    topic: str,
    table: pd.DataFrame,
    meaning: Meaning,
    population: pd.DataFrame | None = None,
    within: dict[str, str] | None = None,
) -> ComparisonAnalysis:
    """Compare a topic's figures across regions and over time, in the current language.

    `population` is the table the regions' resident populations are looked up in (the processed figures:
    a region prints its population on any page); by default the topic's own table. `within` maps a region to
    the region it lies within where its name does not say so; by default regions.csv's `within` column.

    The findings open with what is substantive (comparisons told apart, then those that cannot be, then the
    series) and end with the lists and the tally.
    """
    obs = observations(table, meaning)
    printed = measures(obs)
    people = populations(table if population is None else population, meaning, sorted(set(obs["region"])))
    extra = per_resident(printed, people)
    measured = pd.concat([printed, extra], ignore_index=True) if len(extra) else printed
    found = comparisons(measured, region_within() if within is None else within)
    skipped = not_compared(obs)
    checks, implied = changes(obs)
    trends, pairs = series(obs, implied)
    ordered = sorted(found, key=lambda c: (c.nested, not c.distinguishable))
    findings = [comparison_finding(c) for c in ordered if not c.nested]
    over_time = [trend_finding(t) for t in trends] + [pairwise_finding(p) for p in pairs]
    over_time += [change_finding(c) for c in checks]
    findings += over_time
    findings += [comparison_finding(c) for c in ordered if c.nested]
    findings += [not_compared_finding(r) for _, r in skipped.iterrows() if r["reason"] != "units" or _same_scope(r)]
    if (alone := alone_finding(measured)) is not None:
        findings.append(alone)
    if (unpeopled := no_population_finding(without_population(printed, people))) is not None:
        findings.append(unpeopled)
    findings.append(summary_finding(topic, obs, found, skipped, trends))
    # The tally counts every row of the table of pairs not compared: pairs whose unit, scope or quantity differ
    # and pairs set aside because one region lies within the other; it rests on the figures of all of them.
    tallied = [list(ids) for ids in skipped["figure_ids"]] + [list(c.figure_ids) for c in found if c.nested]
    if tallied:
        pair_ids = tuple(sorted({i for ids in tallied for i in ids}))
        findings.append(Finding(say("compare.finding.not_compared_count", n=len(tallied)), pair_ids))
    return ComparisonAnalysis(
        topic,
        obs,
        measured,
        found,
        skipped,
        other_kinds(obs),
        trends,
        pairs,
        findings,
        key_numbers(measured, trends, pairs, checks),
        over_time,
        checks,
        people,
    )


def title(topic: str) -> str:
    """The comparison report's title in the current language."""
    return say("compare.title", topic=say(f"compare.topic.{topic}"))


def _same_scope(row: pd.Series) -> bool:
    """A pair that differs in unit inside one scope (households and persons of one register): worth a sentence."""
    return row["scope_a"] == row["scope_b"]


def not_compared_table(skipped: pd.DataFrame, found: list[Comparison] | None = None) -> pd.DataFrame:
    """The pairs not compared, in words: regions, indicators, and the reason; with `found`, also the levels of one
    region not set against a region inside it (the reason names which lies within which)."""
    inside = [
        {
            "region_a": region_name(c.a["region"]),
            "indicator_a": indicator_name(c.a["indicator"]),
            "region_b": region_name(c.b["region"]),
            "indicator_b": indicator_name(c.b["indicator"]),
            "reason": say(
                "compare.reason.within",
                measure=measure_name(c.a),
                inner=region_name(c.inner),
                outer=region_name(c.outer),
            ),
            "figure_ids": c.figure_ids,
        }
        for c in found or []
        if c.nested
    ]
    differ = pd.DataFrame(
        {
            "region_a": [region_name(r) for r in skipped["region_a"]],
            "indicator_a": [indicator_name(i) for i in skipped["indicator_a"]],
            "region_b": [region_name(r) for r in skipped["region_b"]],
            "indicator_b": [indicator_name(i) for i in skipped["indicator_b"]],
            "reason": [
                say(
                    f"compare.reason.{r['reason']}",
                    **difference_words(r),
                )
                for _, r in skipped.iterrows()
            ],
            "figure_ids": list(skipped["figure_ids"]),
        }
    )
    return pd.concat([differ, pd.DataFrame(inside, columns=differ.columns)], ignore_index=True) if inside else differ


def trend_table(trends: list[Trend]) -> pd.DataFrame:
    """Each trend's points: period or date, printed value (or the base a printed change implies, marked implied),
    fitted model and residual where there is one."""
    rows = []
    for t in trends:
        for n, p in enumerate(t.points.itertuples()):
            rows.append(
                {
                    "region": region_name(t.region),
                    "indicator": t.indicator,
                    "period": period_text(p.start, p.end),
                    "as_printed": say(
                        "compare.implied.as_printed",
                        value=numbers.count(p.value),
                        interval=numbers.interval(p.low, p.high),
                    )
                    if p.implied
                    else p.as_printed,
                    "model": say(f"compare.model.{t.model}"),
                    "residual": f"{t.residuals[n]:+.3f}" if t.residuals else "",
                    "figure_id": p.figure_ids if p.implied else p.figure_id,
                }
            )
    return pd.DataFrame(rows, columns=["region", "indicator", "period", "as_printed", "model", "residual", "figure_id"])

"""Service satisfaction: printed rates shown as printed, read as declared (census share or estimate), with the
intervals and sample sizes their printed digits and the page's own counts allow.

Every role is looked up in data/raw/indicators.csv (`analysis.evidence.meaning.Meaning`): a rate is an
indicator of kind `rate`, read as a `census` share or an `estimate` (`reading`); the counts a rate's n can be
bounded by are the printed flows of the same units in the same scope; a review loop is the chain of a scope's
flows and rates linked by `of`; service delivery is a flow of cases put against the region's stocks.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd
from scipy.stats import beta, norm
from statsmodels.stats.proportion import proportion_confint

from analysis import numbers
from analysis.calendar import period_days
from analysis.evidence.audit import rows_involving
from analysis.evidence.meaning import Meaning
from analysis.evidence.names import indicator_name, region_name
from analysis.language import say
from analysis.numbers import Finding, KeyNumber

ALPHA = 0.05  # every interval and bound is at 95%
PRECISION = 0.01  # 'n needed' for a rate below 100%: the 95% interval reaches less than 1 point below it
FULL_THRESHOLD = 0.95  # 'n needed' for a 100% rate: the one-sided lower bound exceeds 95%
VACUOUS_BELOW = 0.5  # below 50% the n-needed criterion says nothing a reader needs: none is given
N_SEARCH = 1_000_000  # the largest n searched for the smallest n that can print a rate
UNION_SPAN = 200_000  # at most this many values of a printed n's range are searched for the union of intervals


# ---------------------------------------------------------------- what the printed digits allow


def printed_decimals(as_printed: str) -> int:
    """The decimals of a printed percentage: '99.99%' -> 2, '100%' -> 0."""
    match = re.search(r"\d+(?:\.(\d+))?", str(as_printed))
    return len(match.group(1) or "") if match else 1


def printed_band(low: float, high: float, decimals: int) -> tuple[Fraction, Fraction]:
    """The printed rounding (value_low..value_high of data/processed) as exact fractions, float noise removed."""
    places = decimals + 3  # a fraction with half a unit of the last printed percentage digit
    return Fraction(str(round(low, places))), Fraction(str(round(high, places))) if math.isfinite(high) else Fraction(
        10**9
    )


def share_text(value: float, decimals: int) -> str:
    """A share at the printed precision: 0.9999 -> 99.99%, 1.0 -> 100%."""
    return numbers.share(value, decimals)


def interval_text(low: float, high: float, decimals: int) -> str:
    """An interval of shares; one value where both ends print alike (never 'a–a')."""
    return numbers.interval(low, high, show=lambda v: share_text(v, decimals))


def consistent_successes(n: int, low: Fraction, high: Fraction) -> tuple[int, int] | None:
    """The least and greatest k with k/n within the printed rounding, or None if no whole k rounds to it."""
    k_min = max(0, math.ceil(low * n))
    k_max = min(n, math.floor(high * n))
    return (k_min, k_max) if k_min <= k_max else None


def smallest_n_printing(low: Fraction, high: Fraction, n_max: int = N_SEARCH) -> int | None:
    """The smallest n with some whole k such that k/n rounds to the printed rate (99.99% needs n ≥ 6,667)."""
    for n in range(1, n_max + 1):
        if consistent_successes(n, low, high) is not None:
            return n
    return None


def wilson_interval(successes, n, alpha: float = ALPHA):
    """Wilson score interval for a proportion (statsmodels); vectorised over arrays."""
    low, high = proportion_confint(successes, n, alpha=alpha, method="wilson")
    return (float(low), float(high)) if np.ndim(low) == 0 else (low, high)


def exact_lower_bound(successes, n, alpha: float = ALPHA):
    """The exact one-sided (1 − alpha) lower bound (Clopper–Pearson): 0.05^(1/n) when every one succeeded."""
    k, n = np.asarray(successes, dtype=float), np.asarray(n, dtype=float)
    bound = np.where(k > 0, beta.ppf(alpha, np.maximum(k, 1), n - k + 1), 0.0)
    return float(bound) if bound.ndim == 0 else bound


def candidate_sizes(n_low: float, n_high: float) -> np.ndarray:
    """The whole n a printed count allows (at most UNION_SPAN of them from its lower end)."""
    start = max(1, math.ceil(n_low))
    stop = math.floor(n_high) if math.isfinite(n_high) else start + UNION_SPAN - 1
    return np.arange(start, min(stop, start + UNION_SPAN - 1) + 1)


def union_interval(
    n_low: float, n_high: float, low: Fraction, high: Fraction, full: bool
) -> tuple[float, float] | None:
    """The union of the 95% intervals over every n the printed count allows and every k that prints the rate.

    Two-sided Wilson; at a printed 100%, the exact one-sided lower bound and 1. None: no (n, k) prints the rate.
    """
    sizes = candidate_sizes(n_low, n_high)
    k_min = np.maximum(0, np.ceil(sizes * float(low) - 1e-9))
    k_max = np.minimum(sizes, np.floor(sizes * float(high) + 1e-9))
    ok = k_min <= k_max
    if not ok.any():
        return None
    sizes, k_min, k_max = sizes[ok], k_min[ok], k_max[ok]
    if full:
        return float(exact_lower_bound(k_min, sizes).min()), 1.0
    lows, _ = wilson_interval(k_min, sizes)
    _, highs = wilson_interval(k_max, sizes)
    return float(lows.min()), float(highs.max())


def n_needed_within(rate: float, low: Fraction, high: Fraction, precision: float = PRECISION) -> int | None:
    """The smallest N from which, for every n ≥ N and every k with k/n within the printed rounding (`low`..`high`),
    the 95% Wilson interval reaches less than `precision` below the rate (an n no k prints has nothing to check);
    None where the rounding itself reaches that far below, so that no n settles it."""
    target = rate - precision
    if low <= Fraction(str(target)):
        return None
    # At each n the worst count is the least that prints, k = ⌈low·n⌉: Wilson's lower end rises with k. As k/n ≥ low,
    # that end is at least Wilson's lower end at the share `low`, the lower root of (low − π)² = z²π(1 − π)/n; as n
    # grows the right side falls at every π, so the root rises, and it is above the target exactly when
    # n > z²·t(1 − t)/(low − t)². Past that n the criterion holds for good: only the n up to it are checked.
    z = norm.ppf(1 - ALPHA / 2)
    stop = math.floor(z * z * target * (1 - target) / float(low - Fraction(str(target))) ** 2) + 1
    sizes = np.arange(1, stop + 1, dtype=np.int64)
    k_least = -((-low.numerator * sizes) // low.denominator)  # ⌈low·n⌉ in whole numbers: no float at the edge
    k_most = np.minimum(sizes, (high.numerator * sizes) // high.denominator)
    prints = k_least <= k_most
    lows, _ = wilson_interval(np.where(prints, k_least, sizes), sizes)
    failing = sizes[prints & (lows <= target)]
    return int(failing.max()) + 1 if len(failing) else 1


def n_needed_full(low: Fraction, threshold: float = FULL_THRESHOLD) -> int | None:
    """The smallest N from which, for every n ≥ N and every k that prints the rate, the exact one-sided 95% lower
    bound exceeds `threshold` (a 100% rate: 0.05^(1/n) > 0.95 from n = 59); None where the printing allows a
    share at or below the threshold (近100%), so that no n settles it."""
    if low <= Fraction(str(threshold)):
        return None
    # Past `stop` the criterion holds for every n: k/n is at least `low`, and the bound at k = low·n rises with n.
    stop = 64
    while exact_lower_bound(float(low) * stop, stop) <= threshold and stop < 10**7:
        stop *= 2
    sizes = np.arange(1, stop + 1)
    k_min = np.maximum(0, np.ceil(sizes * float(low) - 1e-9))
    ok = k_min <= sizes
    bounds = np.where(ok, exact_lower_bound(np.minimum(k_min, sizes), sizes), 1.0)
    failing = sizes[bounds <= threshold]
    return int(failing.max()) + 1 if len(failing) else 1


def interval_by_sample_size(rate: float, sizes: list[int], alpha: float = ALPHA) -> pd.DataFrame:
    """How the Wilson interval around a printed rate would narrow as n grows (k the count nearest the rate)."""
    rows = []
    for n in sizes:
        low, high = wilson_interval(round(rate * n), n, alpha)
        rows.append({"n": n, "low": low, "high": high})
    return pd.DataFrame(rows)


def per_month(count: float, days: int) -> float:
    """Count per average month (365.25 / 12 days)."""
    return count / days * (365.25 / 12)


# ---------------------------------------------------------------- the page's counts


def sample_size_text(n_low: float, qualifier: str) -> str:
    """The printed n beside an interval: 'n = 1,000', or 'n ≥ 150,000' where n is printed as a lower bound."""
    key = "satisfaction.n_at_least" if qualifier == "at_least" else "satisfaction.n_exact"
    return say(key, n=numbers.count(n_low))


def printed_bases(audit: pd.DataFrame, figures: pd.DataFrame) -> dict[str, str]:
    """The figure printing each rate's n, from a `base` relation (n) or a `share` relation (its denominator)."""
    known = set(figures["figure_id"])
    bases = {}
    for relation in audit[audit["kind"].isin(["base", "share"])].itertuples():
        result, *operands = relation.figures.split()
        if result in known and operands[-1] in known:
            bases[result] = operands[-1]
    return bases


def declared_bounds(audit: pd.DataFrame, figures: pd.DataFrame, meaning: Meaning) -> dict[str, list[str]]:
    """For each rate, the printed flows relations.csv declares its cases a part of (`part_of`: the flow the result,
    the rate an operand), of whatever topic: a satisfaction rate among a hotline page's 4.04万 requests."""
    known = meaning.indicators.index
    kind = {f: meaning.kind(i) for f, i in zip(figures["figure_id"], figures["indicator"]) if i in known}
    out: dict[str, list[str]] = {}
    for relation in audit[audit["kind"] == "part_of"].itertuples():
        whole, *parts = relation.figures.split()
        if kind.get(whole) == "flow":
            for part in parts:
                if kind.get(part) == "rate":
                    out.setdefault(part, []).append(whole)
    return out


def count_bound(rows: pd.DataFrame, rate: pd.Series, meaning: Meaning) -> pd.Series | None:
    """The page's printed count that bounds a rate's n: the nearest printed flow up its `of` chain (a rate of the
    rectified bad reviews has n ≤ the bad reviews), else the largest printed flow of what the rate counts in its
    scope, over a period covering the rate's (follow-ups ≤ rectified ≤ bad reviews ≤ evaluations)."""
    indicator = rate["indicator"]
    flows = meaning.rows(
        rows, totals=True, kind="flow", counts=meaning.counts(indicator), scope=meaning.scope(indicator)
    )
    flows = flows[(flows["period_start"] <= rate["period_start"]) & (flows["period_end"] >= rate["period_end"])]
    if flows.empty:
        return None
    seen = [indicator]
    while (parent := meaning.of(seen[-1])) and parent not in seen:
        seen.append(parent)
        printed = flows[flows["indicator"] == parent]
        if len(printed):
            return printed.sort_values("value_high").iloc[-1]
    return flows.sort_values("value_high").iloc[-1]


# ---------------------------------------------------------------- the rates


RATE_COLUMNS = [
    "figure_id",
    "indicator",
    "breakdown_value",
    "period",
    "rate",
    "as_printed",
    "qualifier",
    "decimals",
    "reading",
    "full",
    "band_low",
    "band_high",
    "n_low",
    "n_high",
    "n_qualifier",
    "n_figure_id",
    "n_source",
    "n_min",
    "possible",
    "low",
    "high",
    "n_needed",
]


def tightest_bound(
    rate: pd.Series, rows: pd.DataFrame, by_id: pd.DataFrame, declared: list[str], meaning: Meaning
) -> str:
    """The figure id of the smallest printed count bounding a rate's n ('' if none): the page's own count of its
    topic (`count_bound`) or a flow relations.csv declares it a part of (any topic), over a period covering the
    rate's."""
    own = count_bound(rows, rate, meaning)
    candidates = [] if own is None else [str(own["figure_id"])]
    candidates += [
        i
        for i in declared
        if by_id.at[i, "period_start"] <= rate["period_start"] and by_id.at[i, "period_end"] >= rate["period_end"]
    ]
    return min(candidates, key=lambda i: float(by_id.at[i, "value_high"]), default="")


def rate_row(
    r: pd.Series,
    rows: pd.DataFrame,
    by_id: pd.DataFrame,
    bases: dict[str, str],
    meaning: Meaning,
    declared: dict[str, list[str]],
) -> dict:
    """One printed rate: its printed rounding, reading, n (printed or bounded by the page's counts) and interval."""
    decimals = printed_decimals(r["as_printed"])
    low, high = printed_band(float(r["value_low"]), float(r["value_high"]), decimals)
    census = meaning.is_census(r["indicator"])
    n_id, n_source = bases.get(r["figure_id"], ""), "printed"
    if not n_id:
        n_id = tightest_bound(r, rows, by_id, declared.get(r["figure_id"], []), meaning)
        n_source = "bound" if n_id else ""
    n_row = by_id.loc[n_id] if n_id else None
    n_low = float(n_row["value_low"]) if n_source == "printed" else 1.0
    n_high = float(n_row["value_high"]) if n_row is not None else math.inf
    n_min = smallest_n_printing(low, high)
    rate = float(r["value"])
    full = rate >= 1  # a printed 100%: the question is one-sided
    possible = n_min is not None and n_min <= n_high
    interval = None
    if n_source == "printed" and possible:
        interval = union_interval(max(n_low, n_min), n_high, low, high, full)
        possible = interval is not None
    if census:
        interval = None
    needed = None
    if n_source != "printed" and not census and possible and rate >= VACUOUS_BELOW:
        needed = n_needed_full(low) if full else n_needed_within(rate, low, high)
        needed = max(needed, n_min) if needed is not None else None  # below n_min no n prints the rate at all
    return {
        "figure_id": r["figure_id"],
        "indicator": r["indicator"],
        "breakdown_value": r["breakdown_value"],
        "period": say("common.span", start=numbers.date(r["period_start"]), end=numbers.date(r["period_end"])),
        "rate": rate,
        "as_printed": r["as_printed"],
        "qualifier": r["qualifier"],
        "decimals": decimals,
        "reading": "census" if census else "estimate",
        "full": full,
        "band_low": max(float(low), 0.0),  # a printed 0% is 0% to 0.5%: no share lies below nothing
        "band_high": min(float(high), 1.0),
        "n_low": n_low if n_row is not None else None,
        "n_high": n_high if n_row is not None else None,
        "n_qualifier": str(n_row["qualifier"]) if n_row is not None else "",
        "n_figure_id": n_id,
        "n_source": n_source,
        "n_min": n_min,
        "possible": possible,
        "low": interval[0] if interval else None,
        "high": interval[1] if interval else None,
        "n_needed": needed,
    }


def rates_table(
    rows: pd.DataFrame,
    figures: pd.DataFrame,
    bases: dict[str, str],
    meaning: Meaning,
    declared: dict[str, list[str]],
) -> pd.DataFrame:
    """Every printed rate of the region, as printed, with what its reading, its digits and the page's counts allow
    (its own topic's counts, and those of any topic relations.csv ties to it)."""
    by_id = figures.set_index("figure_id")
    rates = meaning.rows(rows, kind="rate")
    out = [rate_row(r, rows, by_id, bases, meaning, declared) for _, r in rates.iterrows()]
    return pd.DataFrame(out, columns=RATE_COLUMNS)


# ---------------------------------------------------------------- the review loop and service delivery


def review_loop(rows: pd.DataFrame, meaning: Meaning) -> pd.DataFrame:
    """The region's review loop: a printed rate's `of` chain, after the printed wholes of its scope and unit.

    A rate that is `of` another indicator starts a loop; its steps are the scope's printed flows of the rate's unit
    (the whole first), then the chain from the top down (the flow a rate is a share of, that rate, the rate `of` it,
    ...). A declared step the region does not print is shown as not printed, never filled in.
    """
    printed = meaning.rows(rows, totals=True)
    chained = [i for i in meaning.rows(printed, kind="rate")["indicator"].unique() if meaning.of(i)]
    steps: list[dict] = []
    for scope in dict.fromkeys(meaning.scope(i) for i in chained):
        rates = [i for i in chained if meaning.scope(i) == scope]
        counts = meaning.counts(rates[0])
        ancestry: dict[str, int] = {}
        for indicator in rates:
            depth, seen = 0, [indicator]
            while (parent := meaning.of(seen[-1])) and parent not in seen:
                seen.append(parent)
            for depth, step in enumerate(reversed(seen)):
                ancestry[step] = min(ancestry.get(step, depth), depth)
        wholes = meaning.rows(printed, kind="flow", counts=counts, scope=scope)
        wholes = wholes.sort_values("value", ascending=False)["indicator"].unique()
        order = [w for w in wholes if w not in ancestry] + sorted(ancestry, key=lambda i: (ancestry[i], i not in rates))
        for indicator in order:
            found = printed[printed["indicator"] == indicator]
            row = found.sort_values("period_end").iloc[-1] if len(found) else None
            steps.append(
                {
                    "step": indicator_name(indicator),
                    "share": float(row["value"]) if row is not None and meaning.kind(indicator) == "rate" else None,
                    "printed": row["as_printed"] if row is not None else say("satisfaction.not_printed"),
                    "figure_id": row["figure_id"] if row is not None else "",
                }
            )
    return pd.DataFrame(steps, columns=["step", "share", "printed", "figure_id"])


def per_unit_scale(value: float) -> int:
    """The unit count a per-unit figure is shown per: 1, or 1,000 where it is below 1 a unit."""
    return 1 if value >= 1 else 1000


def delivery_intensity(rows: pd.DataFrame, meaning: Meaning, earliest_end: dict[str, str]) -> pd.DataFrame:
    """Services handled (the region's flow of cases) per unit of each printed stock (persons, villages), and per
    month over the range of possible period ends: each an interval over the printed figures' rounding."""
    columns = ["measure", "value", "low", "high", "display", "figure_ids"]
    flows = meaning.rows(rows, totals=True, kind="flow", counts="cases")
    if flows.empty:
        return pd.DataFrame(columns=columns)
    services = flows.sort_values("period_end").iloc[-1]
    handled, handled_low, handled_high = (float(services[c]) for c in ("value", "value_low", "value_high"))
    stocks = meaning.rows(rows, totals=True, kind="stock", counts=("persons", "villages"))
    out, names = [], []
    for _, unit in stocks.iterrows():
        value = handled / float(unit["value"])
        scale = per_unit_scale(value)
        low = handled_low / float(unit["value_high"]) * scale
        high = handled_high / float(unit["value_low"]) * scale
        names.append(f"per_{unit['indicator']}")
        out.append(
            {
                "measure": say(
                    "satisfaction.measure.per_unit" if scale == 1 else "satisfaction.measure.per_thousand",
                    units=numbers.count(float(unit["value"]), exact=True),
                    name=indicator_name(unit["indicator"]),
                ),
                "value": value * scale,
                "low": low,
                "high": high,
                "display": numbers.interval(low, high, show=lambda v: numbers.ratio(v, 1)),
                "figure_ids": (services["figure_id"], unit["figure_id"]),
            }
        )
    end = earliest_end.get(services["source_id"], services["period_end"])
    longest = int(services["days"])
    shortest = period_days(services["period_start"], max(end, services["period_start"]))
    slowest, fastest = per_month(handled_low, longest), per_month(handled_high, shortest)
    names.append("per_month")
    out.append(
        {
            "measure": say("satisfaction.measure.per_month"),
            "value": per_month(handled, longest),
            "low": slowest,
            "high": fastest,
            "display": numbers.interval(slowest, fastest),
            "figure_ids": (services["figure_id"],),
        }
    )
    return pd.DataFrame(out, columns=columns, index=pd.Index(names, name="name"))


# ---------------------------------------------------------------- the analysis


@dataclass
class SatisfactionAnalysis:
    """What one region's printed service rates and counts allow."""

    region: str
    rates: pd.DataFrame
    loop: pd.DataFrame
    intensity: pd.DataFrame
    audit: pd.DataFrame
    findings: list[Finding]
    key_numbers: list[KeyNumber]
    figure_ids: list[str]


def analyse(
    table: pd.DataFrame,
    region: str,
    audit: pd.DataFrame,
    figures: pd.DataFrame,
    earliest_end: dict[str, str],
    meaning: Meaning,
) -> SatisfactionAnalysis:
    """Every printed rate of the region as printed and read as declared, its review loop and delivery counts."""
    rows = table[table["region"] == region].reset_index(drop=True)
    ids = set(rows["figure_id"])
    rates = rates_table(rows, figures, printed_bases(audit, figures), meaning, declared_bounds(audit, figures, meaning))
    a = SatisfactionAnalysis(
        region,
        rates,
        review_loop(rows, meaning),
        delivery_intensity(rows, meaning, earliest_end),
        rows_involving(audit, ids),
        [],
        [],
        sorted(ids),
    )
    for findings, key_numbers in (rate_findings(a), intensity_findings(a)):
        a.findings += findings
        a.key_numbers += key_numbers
    if not a.findings:
        a.findings.append(Finding(say("satisfaction.finding.nothing", region=region_name(region))))
    return a


def rate_label(r) -> str:
    """The rate's name from the data, with its breakdown part where it is one."""
    name = indicator_name(r.indicator)
    return say("satisfaction.part_label", name=name, part=r.breakdown_value) if r.breakdown_value else name


def rate_shown(r) -> str:
    """The rate with every printed digit and its qualifier: 99.99%, 100%, ≥ 90%."""
    return numbers.bounded(r.rate, r.qualifier, lambda v: share_text(v, r.decimals))


def n_text(r) -> str:
    """What the page says about n: printed, bounded by its counts, or not reported."""
    if r.n_source == "printed":
        return sample_size_text(r.n_low, r.n_qualifier)
    if r.n_source == "bound":
        return say("satisfaction.n_bounded", n=numbers.count(r.n_high))
    return say("satisfaction.n_not_reported")


def rate_sentence(r) -> str:
    """The one sentence a rate gets: as printed, read as declared, with what its digits and counts allow."""
    label, rate = rate_label(r), rate_shown(r)
    band = interval_text(r.band_low, r.band_high, r.decimals + 1)
    fields = {"label": label, "rate": rate, "band": band, "n": n_text(r), "n_min": numbers.count(r.n_min or 0)}
    if not r.possible:
        return say("satisfaction.finding.impossible", **fields)
    at_all = say("satisfaction.finding.n_min", n_min=fields["n_min"], rate=rate) if (r.n_min or 1) > 1 else ""
    if r.reading == "census":
        return say("satisfaction.finding.census", **fields, at_all=at_all)
    if pd.notna(r.low):
        if r.full:
            return say("satisfaction.finding.full_bound", **fields, low=share_text(r.low, max(r.decimals, 1)))
        return say("satisfaction.finding.wilson", **fields, interval=interval_text(r.low, r.high, max(r.decimals, 1)))
    if r.rate < VACUOUS_BELOW:
        return say("satisfaction.finding.vacuous", **fields, at_all=at_all)
    if pd.isna(r.n_needed):
        return say("satisfaction.finding.unsettled", **fields, at_all=at_all)
    key = "satisfaction.finding.full_needs_n" if r.full else "satisfaction.finding.rate_needs_n"
    return say(key, **fields, needed=numbers.count(r.n_needed), at_all=at_all)


def rate_findings(a: SatisfactionAnalysis) -> tuple[list[Finding], list[KeyNumber]]:
    """Each rate once, as a sentence with its figures; a key number each (its interval where one is given)."""
    findings, key_numbers = [], []
    for r in a.rates.itertuples():
        ids = (r.figure_id, r.n_figure_id) if r.n_figure_id else (r.figure_id,)
        findings.append(Finding(rate_sentence(r), ids))
        label, rate = rate_label(r), rate_shown(r)
        has_interval = pd.notna(r.low)
        low, high = (r.low, r.high) if has_interval else (r.band_low, r.band_high)
        key_numbers.append(
            KeyNumber(
                r.indicator if not r.breakdown_value else f"{r.indicator}:{r.breakdown_value}",
                say("satisfaction.key.rate_with_interval" if has_interval else "satisfaction.key.rate", label=label),
                r.rate,
                "fraction",
                say(
                    "common.value_with_interval",
                    value=rate,
                    low=share_text(low, max(r.decimals, 1) if has_interval else r.decimals + 1),
                    high=share_text(high, max(r.decimals, 1) if has_interval else r.decimals + 1),
                )
                if r.possible
                else rate,
                ids,
                low=low if r.possible else None,
                high=high if r.possible else None,
                derivation=say(
                    ("satisfaction.key.exact_derivation" if r.full else "satisfaction.key.wilson_derivation")
                    if has_interval
                    else "satisfaction.key.band_derivation"
                ),
                extra={"reading": r.reading, "n_min": r.n_min, "n_needed": r.n_needed, "possible": bool(r.possible)},
            )
        )
    return findings, key_numbers


def intensity_findings(a: SatisfactionAnalysis) -> tuple[list[Finding], list[KeyNumber]]:
    """Services handled per unit where the region prints the count and its units."""
    if a.intensity.empty:
        return [], []
    parts = say("common.list_separator").join(
        say("satisfaction.finding.services_part", display=r.display, measure=r.measure)
        for r in a.intensity.itertuples()
    )
    findings = [
        Finding(
            say("satisfaction.finding.services", region=region_name(a.region), parts=parts),
            tuple(dict.fromkeys(i for ids in a.intensity["figure_ids"] for i in ids)),
        )
    ]
    key_numbers = [
        KeyNumber(
            f"services_{r.Index}",
            say("satisfaction.key.services", measure=r.measure),
            r.value,
            "services",
            r.display,
            r.figure_ids,
            low=r.low,
            high=r.high,
            derivation=say("satisfaction.key.services_derivation"),
        )
        for r in a.intensity.itertuples()
    ]
    return findings, key_numbers

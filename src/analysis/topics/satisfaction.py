"""Service satisfaction: rates with Wilson intervals where n is printed, and what n would buy where not."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from analysis import numbers
from analysis.calendar import period_days
from analysis.evidence.audit import rows_involving
from analysis.numbers import Finding, KeyNumber

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


def printed_bases(audit: pd.DataFrame, figures: pd.DataFrame) -> dict[str, tuple[float, str, str]]:
    """The n printed for a rate, from a `base` relation (n) or a `share` relation (its denominator): rate id -> (n, qualifier, n's id)."""
    by_id = figures.set_index("figure_id")
    bases = {}
    for relation in audit[audit["kind"].isin(["base", "share"])].itertuples():
        result, *operands = relation.figures.split()
        n_id = operands[-1]
        if result in by_id.index and n_id in by_id.index:
            bases[result] = (float(by_id.at[n_id, "value"]), str(by_id.at[n_id, "qualifier"]), n_id)
    return bases


def rates_table(table: pd.DataFrame, bases: dict[str, tuple[float, str, str]]) -> pd.DataFrame:
    """Every printed rate with its Wilson 95% interval where n is printed, 'n not reported' where not.

    Where n is printed as a lower bound, the interval is computed at that bound: the widest it can be.
    """
    rows = []
    for rate in table[table["kind"] == "rate"].itertuples():
        n, n_qualifier, n_id = bases.get(rate.figure_id, (None, "", ""))
        low, high = wilson_interval(round(float(rate.value) * n), int(n)) if n else (None, None)
        rows.append({"figure_id": rate.figure_id, "region": rate.region, "indicator": rate.indicator,
                     "period": f"{rate.period_start} to {rate.period_end}", "rate": float(rate.value),
                     "as_printed": rate.as_printed, "qualifier": rate.qualifier,
                     "n": int(n) if n else None, "n_qualifier": n_qualifier, "n_figure_id": n_id,
                     "low": low, "high": high,
                     "interval_95": (N_NOT_REPORTED if n is None else
                                     f"{low:.1%} – {high:.1%} (n {'≥ ' if n_qualifier == 'at_least' else '= '}{int(n):,})")})
    return pd.DataFrame(rows, columns=["figure_id", "region", "indicator", "period", "rate", "as_printed", "qualifier",
                                       "n", "n_qualifier", "n_figure_id", "low", "high", "interval_95"])


# The steps of a good/bad-review (好差评) loop, in order, by the indicator that prints each.
REVIEW_LOOP = (("evaluations_received", "evaluations received"), ("bad_reviews_received", "bad reviews"),
               ("bad_review_rectified_on_time_rate", "rectified on time"),
               ("follow_up_good_review_rate", "follow-up reviews good"))
# Village service delivery: the count handled and the units it can be put against.
DELIVERY = "village_services_handled"
DELIVERY_UNITS = (("farmers_covered", "per 1,000 farmers", 1000.0), ("administrative_villages", "per village", 1.0),
                  ("village_agents", "per agent", 1.0))


def indicator_row(rows: pd.DataFrame, indicator: str) -> pd.Series | None:
    """The region's single printed figure of an indicator (the latest if several)."""
    found = rows[rows["indicator"] == indicator]
    return found.sort_values("period_end").iloc[-1] if len(found) else None


def review_loop(rows: pd.DataFrame) -> pd.DataFrame:
    """The steps of the review loop the region prints, each as printed; the unprinted ones say so."""
    steps = []
    for indicator, step in REVIEW_LOOP:
        row = indicator_row(rows, indicator)
        steps.append({"step": step, "share": float(row["value"]) if row is not None and row["kind"] == "rate" else None,
                      "printed": row["as_printed"] if row is not None else "not printed",
                      "figure_id": row["figure_id"] if row is not None else ""})
    return pd.DataFrame(steps)


def delivery_intensity(rows: pd.DataFrame, earliest_end: str) -> pd.DataFrame:
    """Services handled per unit, and per month over the range of possible period ends."""
    services = indicator_row(rows, DELIVERY)
    if services is None:
        return pd.DataFrame(columns=["measure", "value", "display", "figure_ids"])
    handled = float(services["value"])
    out = []
    for indicator, measure, scale in DELIVERY_UNITS:
        unit = indicator_row(rows, indicator)
        if unit is not None:
            value = handled / float(unit["value"]) * scale
            out.append({"measure": measure, "value": value, "display": f"{value:,.1f}",
                        "figure_ids": (services["figure_id"], unit["figure_id"])})
    longest = int(services["days"])
    shortest = period_days(services["period_start"], max(earliest_end, services["period_start"]))
    fastest, slowest = per_month(handled, shortest), per_month(handled, longest)
    out.append({"measure": "per month (range over the possible end of the period)", "value": fastest,
                "display": numbers.interval(slowest, fastest), "figure_ids": (services["figure_id"],)})
    return pd.DataFrame(out)


@dataclass
class SatisfactionAnalysis:
    """What one region's printed service rates and counts allow."""

    region: str
    rates: pd.DataFrame
    loop: pd.DataFrame
    intensity: pd.DataFrame
    audit: pd.DataFrame
    findings: list[str]
    key_numbers: list[KeyNumber]
    figure_ids: list[str]


def analyse(table: pd.DataFrame, region: str, audit: pd.DataFrame, figures: pd.DataFrame,
            earliest_end: dict[str, str]) -> SatisfactionAnalysis:
    """Every printed rate of the region with honest uncertainty, its review loop and delivery counts."""
    rows = table[table["region"] == region].reset_index(drop=True)
    ids = set(rows["figure_id"])
    region_audit = rows_involving(audit, ids)
    rates = rates_table(rows, printed_bases(audit, figures))
    loop = review_loop(rows)
    services = indicator_row(rows, DELIVERY)
    intensity = delivery_intensity(rows, earliest_end.get(services["source_id"], services["period_end"])
                                   if services is not None else "")
    a = SatisfactionAnalysis(region, rates, loop, intensity, region_audit, [], [], sorted(ids))
    for findings, key_numbers in (rate_findings(a), intensity_findings(a)):
        a.findings += findings
        a.key_numbers += key_numbers
    if not a.findings:
        a.findings.append(f"{region} prints no service rate or delivery count.")
    return a


def rate_findings(a: SatisfactionAnalysis) -> tuple[list[str], list[KeyNumber]]:
    """Each rate with its interval where n is printed; what n would buy where it is not."""
    findings, key_numbers = [], []
    for r in a.rates.itertuples():
        label = r.indicator.replace("_", " ")
        if r.n is not None:
            findings.append(Finding(f"{label}: {numbers.share(r.rate)}, 95% Wilson interval {numbers.share(r.low)}–"
                            f"{numbers.share(r.high)} (n {'≥ ' if r.n_qualifier == 'at_least' else '= '}{numbers.count(r.n)}).", (r.figure_id, r.n_figure_id)))
            key_numbers.append(KeyNumber(r.indicator, f"{label} (95% Wilson interval)", r.rate, "fraction",
                                         f"{numbers.share(r.rate)} ({numbers.share(r.low)}–{numbers.share(r.high)})",
                                         (r.figure_id, r.n_figure_id), low=r.low, high=r.high,
                                         derivation="Wilson score interval, statsmodels proportion_confint"))
            continue
        if r.rate >= 1:
            needed = smallest_n_with_lower_bound_above(r.rate, 0.95)
            findings.append(Finding(f"{label}: {numbers.share(r.rate)}, n not reported; a 100% rate clears a 95% Wilson "
                            f"lower bound only from n = {needed}.", (r.figure_id,)))
        else:
            needed = smallest_n_with_lower_bound_above(r.rate, r.rate - 0.01)
            findings.append(Finding(f"{label}: {numbers.share(r.rate)}, n not reported; only n ≥ {numbers.count(needed)} "
                            f"would put its 95% lower bound within 1 point.", (r.figure_id,)))
        key_numbers.append(KeyNumber(r.indicator, f"{label} (n not reported)", r.rate, "fraction",
                                     numbers.share(r.rate), (r.figure_id,)))
    return findings, key_numbers


def intensity_findings(a: SatisfactionAnalysis) -> tuple[list[str], list[KeyNumber]]:
    """Services handled per unit where the region prints the count and its units."""
    if a.intensity.empty:
        return [], []
    parts = "; ".join(f"{r.display} {r.measure}" for r in a.intensity.itertuples())
    findings = [Finding(f"{a.region}: services handled, {parts}.",
                        tuple(i for ids in a.intensity["figure_ids"] for i in ids))]
    key_numbers = [KeyNumber(f"services_{r.measure.split(' (')[0].replace(' ', '_').replace(',', '')}",
                             f"services handled {r.measure}", r.value, "services", r.display, r.figure_ids)
                   for r in a.intensity.itertuples()]
    return findings, key_numbers
def value_of(table: pd.DataFrame, region: str, indicator: str, qualifier: str | None = None) -> pd.Series:
    """The single row printed for a region and indicator (optionally with a given qualifier)."""
    rows = table[(table["region"] == region) & (table["indicator"] == indicator)]
    if qualifier is not None:
        rows = rows[rows["qualifier"] == qualifier]
    if len(rows) != 1:
        raise LookupError(f"expected one printed figure for {region}/{indicator}, found {len(rows)}")
    return rows.iloc[0]

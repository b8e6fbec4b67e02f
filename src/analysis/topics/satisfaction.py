"""Service satisfaction: rates with Wilson intervals where n is printed, and what n would buy where not."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from analysis import numbers
from analysis.calendar import period_days
from analysis.evidence.audit import rows_involving
from analysis.evidence.names import indicator_name, region_name
from analysis.language import say
from analysis.numbers import Finding, KeyNumber


def sample_size_text(n: float, qualifier: str) -> str:
    """The printed n beside an interval: 'n = 1,000', or 'n ≥ 1,000' where n is printed as a lower bound."""
    return say("satisfaction.n_at_least" if qualifier == "at_least" else "satisfaction.n_exact", n=numbers.count(n))


def wilson_interval(successes: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """Wilson score interval for a proportion (statsmodels)."""
    low, high = proportion_confint(successes, n, alpha=alpha, method="wilson")
    return float(low), float(high)


def rate_interval_text(rate: float, n: int | None, alpha: float = 0.05) -> str:
    """The interval to print beside a rate, or 'n not reported' when the source gives no n."""
    if n is None:
        return say("satisfaction.n_not_reported")
    low, high = wilson_interval(round(rate * n), n, alpha)
    return say("satisfaction.interval", low=numbers.share(low), high=numbers.share(high))


def interval_by_sample_size(rate: float, sizes: list[int], alpha: float = 0.05) -> pd.DataFrame:
    """How the Wilson interval around a printed rate would narrow as n grows."""
    rows = []
    for n in sizes:
        low, high = wilson_interval(round(rate * n), n, alpha)
        rows.append({"n": n, "low": low, "high": high})
    return pd.DataFrame(rows)


def smallest_n_with_lower_bound_above(
    rate: float, threshold: float, alpha: float = 0.05, n_max: int = 1_000_000
) -> int:
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
        rows.append(
            {
                "figure_id": rate.figure_id,
                "region": rate.region,
                "indicator": rate.indicator,
                "period": say("common.span", start=numbers.date(rate.period_start), end=numbers.date(rate.period_end)),
                "rate": float(rate.value),
                "as_printed": rate.as_printed,
                "qualifier": rate.qualifier,
                "n": int(n) if n else None,
                "n_qualifier": n_qualifier,
                "n_figure_id": n_id,
                "low": low,
                "high": high,
                "interval_95": (
                    say("satisfaction.n_not_reported")
                    if n is None
                    else say(
                        "satisfaction.interval_with_n",
                        low=numbers.share(low),
                        high=numbers.share(high),
                        n=sample_size_text(int(n), n_qualifier),
                    )
                ),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "figure_id",
            "region",
            "indicator",
            "period",
            "rate",
            "as_printed",
            "qualifier",
            "n",
            "n_qualifier",
            "n_figure_id",
            "low",
            "high",
            "interval_95",
        ],
    )


# The steps of a good/bad-review (好差评) loop, in order, by the indicator that prints each (named in
# messages/satisfaction.yml, step).
REVIEW_LOOP = (
    "evaluations_received",
    "bad_reviews_received",
    "bad_review_rectified_on_time_rate",
    "follow_up_good_review_rate",
)
# Village service delivery: the count handled and the units it can be put against, each with the measure it
# gives (named in messages/satisfaction.yml, measure) and its scale.
DELIVERY = "village_services_handled"
DELIVERY_UNITS = (
    ("farmers_covered", "per_1000_farmers", 1000.0),
    ("administrative_villages", "per_village", 1.0),
    ("village_agents", "per_agent", 1.0),
)
PER_MONTH = "per_month"


def indicator_row(rows: pd.DataFrame, indicator: str) -> pd.Series | None:
    """The region's single printed figure of an indicator (the latest if several)."""
    found = rows[rows["indicator"] == indicator]
    return found.sort_values("period_end").iloc[-1] if len(found) else None


def review_loop(rows: pd.DataFrame) -> pd.DataFrame:
    """The steps of the review loop the region prints, each as printed; the unprinted ones say so."""
    steps = []
    for indicator in REVIEW_LOOP:
        row = indicator_row(rows, indicator)
        steps.append(
            {
                "step": say(f"satisfaction.step.{indicator}"),
                "share": float(row["value"]) if row is not None and row["kind"] == "rate" else None,
                "printed": row["as_printed"] if row is not None else say("satisfaction.not_printed"),
                "figure_id": row["figure_id"] if row is not None else "",
            }
        )
    return pd.DataFrame(steps)


def delivery_intensity(rows: pd.DataFrame, earliest_end: str) -> pd.DataFrame:
    """Services handled per unit, and per month over the range of possible period ends.

    Rows are indexed by the measure's language-independent name (per_village, ...); `measure` is its text.
    """
    services = indicator_row(rows, DELIVERY)
    if services is None:
        return pd.DataFrame(columns=["measure", "value", "display", "figure_ids"])
    handled = float(services["value"])
    out, names = [], []
    for indicator, name, scale in DELIVERY_UNITS:
        unit = indicator_row(rows, indicator)
        if unit is not None:
            value = handled / float(unit["value"]) * scale
            names.append(name)
            out.append(
                {
                    "measure": say(f"satisfaction.measure.{name}"),
                    "value": value,
                    "display": f"{value:,.1f}",
                    "figure_ids": (services["figure_id"], unit["figure_id"]),
                }
            )
    longest = int(services["days"])
    shortest = period_days(services["period_start"], max(earliest_end, services["period_start"]))
    fastest, slowest = per_month(handled, shortest), per_month(handled, longest)
    names.append(PER_MONTH)
    out.append(
        {
            "measure": say(f"satisfaction.measure.{PER_MONTH}"),
            "value": fastest,
            "display": numbers.interval(slowest, fastest),
            "figure_ids": (services["figure_id"],),
        }
    )
    return pd.DataFrame(out, index=pd.Index(names, name="name"))


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
    table: pd.DataFrame, region: str, audit: pd.DataFrame, figures: pd.DataFrame, earliest_end: dict[str, str]
) -> SatisfactionAnalysis:
    """Every printed rate of the region with honest uncertainty, its review loop and delivery counts."""
    rows = table[table["region"] == region].reset_index(drop=True)
    ids = set(rows["figure_id"])
    region_audit = rows_involving(audit, ids)
    rates = rates_table(rows, printed_bases(audit, figures))
    loop = review_loop(rows)
    services = indicator_row(rows, DELIVERY)
    intensity = delivery_intensity(
        rows, earliest_end.get(services["source_id"], services["period_end"]) if services is not None else ""
    )
    a = SatisfactionAnalysis(region, rates, loop, intensity, region_audit, [], [], sorted(ids))
    for findings, key_numbers in (rate_findings(a), intensity_findings(a)):
        a.findings += findings
        a.key_numbers += key_numbers
    if not a.findings:
        a.findings.append(Finding(say("satisfaction.finding.nothing", region=region_name(region))))
    return a


def rate_findings(a: SatisfactionAnalysis) -> tuple[list[Finding], list[KeyNumber]]:
    """Each rate with its interval where n is printed; what n would buy where it is not."""
    findings, key_numbers = [], []
    for r in a.rates.itertuples():
        label, rate = indicator_name(r.indicator), numbers.share(r.rate)
        if pd.notna(r.n):  # a rate without a printed n has NaN here once another rate has one
            low, high = numbers.share(r.low), numbers.share(r.high)
            findings.append(
                Finding(
                    say(
                        "satisfaction.finding.wilson",
                        label=label,
                        rate=rate,
                        low=low,
                        high=high,
                        n=sample_size_text(r.n, r.n_qualifier),
                    ),
                    (r.figure_id, r.n_figure_id),
                )
            )
            key_numbers.append(
                KeyNumber(
                    r.indicator,
                    say("satisfaction.key.rate_with_interval", label=label),
                    r.rate,
                    "fraction",
                    say("common.value_with_interval", value=rate, low=low, high=high),
                    (r.figure_id, r.n_figure_id),
                    low=r.low,
                    high=r.high,
                    derivation=say("satisfaction.key.wilson_derivation"),
                )
            )
            continue
        if r.rate >= 1:
            needed = smallest_n_with_lower_bound_above(r.rate, 0.95)
            findings.append(
                Finding(
                    say("satisfaction.finding.full_rate_needs_n", label=label, rate=rate, needed=needed), (r.figure_id,)
                )
            )
        else:
            needed = smallest_n_with_lower_bound_above(r.rate, r.rate - 0.01)
            findings.append(
                Finding(
                    say("satisfaction.finding.rate_needs_n", label=label, rate=rate, needed=numbers.count(needed)),
                    (r.figure_id,),
                )
            )
        key_numbers.append(
            KeyNumber(
                r.indicator,
                say("satisfaction.key.rate_without_n", label=label),
                r.rate,
                "fraction",
                rate,
                (r.figure_id,),
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
            tuple(i for ids in a.intensity["figure_ids"] for i in ids),
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
        )
        for r in a.intensity.itertuples()
    ]
    return findings, key_numbers


def value_of(table: pd.DataFrame, region: str, indicator: str, qualifier: str | None = None) -> pd.Series:
    """The single row printed for a region and indicator (optionally with a given qualifier)."""
    rows = table[(table["region"] == region) & (table["indicator"] == indicator)]
    if qualifier is not None:
        rows = rows[rows["qualifier"] == qualifier]
    if len(rows) != 1:
        raise LookupError(f"expected one printed figure for {region}/{indicator}, found {len(rows)}")
    return rows.iloc[0]

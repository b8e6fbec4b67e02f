"""The audit engine: every identity declared in relations.csv, evaluated with interval arithmetic.

Each printed figure stands for the interval its printing allows (`evidence.tidy` computes
`value_low`/`value_high` from the last printed digit and the qualifier); a relation holds when
the intervals are compatible. A failed relation is a finding about the sources, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd

AUDIT_COLUMNS = ["relation_id", "kind", "figures", "expected", "observed", "holds", "explanation"]
# Rates are compared as fractions; a little slack absorbs float noise, never a printed digit.
EPSILON = 1e-12


@dataclass(frozen=True)
class Interval:
    """The closed range of values a printed figure, or an expression of figures, allows."""

    low: float
    high: float

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.low + other.low, self.high + other.high)

    def __mul__(self, other: Interval) -> Interval:
        products = [a * b for a in (self.low, self.high) for b in (other.low, other.high)]
        return Interval(min(products), max(products))

    def __truediv__(self, other: Interval) -> Interval:
        if other.low <= 0 <= other.high:
            return Interval(float("-inf"), float("inf"))
        quotients = [a / b for a in (self.low, self.high) for b in (other.low, other.high)]
        return Interval(min(quotients), max(quotients))

    def overlaps(self, other: Interval) -> bool:
        return self.low <= other.high + EPSILON and other.low <= self.high + EPSILON

    def gap(self, other: Interval) -> float:
        """How far apart two disjoint intervals are (0 when they overlap)."""
        return max(0.0, self.low - other.high, other.low - self.high)


def interval_of(row: pd.Series) -> Interval:
    """The interval a tidy figure row allows."""
    return Interval(float(row["value_low"]), float(row["value_high"]))


def show(value: float, kind: str) -> str:
    """A number in an explanation: rates as percentages, other values with separators."""
    if value in (float("inf"), float("-inf")):
        return "unbounded"
    if kind == "rate":
        return f"{value * 100:.4f}".rstrip("0").rstrip(".") + "%"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.4g}"


def show_interval(interval: Interval, kind: str) -> str:
    """'a' for a point, 'a to b' for a range."""
    if interval.low == interval.high:
        return show(interval.low, kind)
    return f"{show(interval.low, kind)} to {show(interval.high, kind)}"


@dataclass(frozen=True)
class Evaluation:
    """What a relation expected, what the figures give, and whether they agree."""

    expected: Interval
    observed: Interval
    holds: bool
    explanation: str


class Figures:
    """Look-ups into the tidy figures table by id."""

    def __init__(self, table: pd.DataFrame):
        self.table = table.set_index("figure_id", drop=False)

    def row(self, figure_id: str) -> pd.Series:
        return self.table.loc[figure_id]

    def interval(self, figure_id: str) -> Interval:
        return interval_of(self.row(figure_id))

    def kind(self, figure_id: str) -> str:
        return str(self.row(figure_id)["kind"])

    def printed(self, figure_id: str) -> str:
        return str(self.row(figure_id)["as_printed"])


def total(intervals: list[Interval]) -> Interval:
    """The interval of a sum."""
    result = Interval(0.0, 0.0)
    for interval in intervals:
        result = result + interval
    return result


def compare(expected: Interval, observed: Interval, kind: str, what: str, verb: str = "gives") -> Evaluation:
    """A relation whose printed result (`observed`) should be compatible with what the operands imply."""
    holds = expected.overlaps(observed)
    verdict = "compatible with" if holds else f"off by at least {show(expected.gap(observed), kind)} from"
    return Evaluation(expected, observed, holds,
                      f"{what} {verb} {show_interval(expected, kind)}, {verdict} the printed "
                      f"{show_interval(observed, kind)}")


def evaluate_sum(f: Figures, result: str, operands: list[str]) -> Evaluation:
    parts = total([f.interval(o) for o in operands])
    if len(operands) > 1:
        return compare(parts, f.interval(result), f.kind(result), "the parts", verb="add up to")
    return compare(parts, f.interval(result), f.kind(result), "the same quantity printed again", verb="is")


def evaluate_part_of(f: Figures, result: str, operands: list[str]) -> Evaluation:
    whole = f.interval(result)
    too_large = [o for o in operands if f.interval(o).low > whole.high + EPSILON]
    largest = max((f.interval(o) for o in operands), key=lambda i: i.low)
    explanation = (f"each part is at most the whole ({show_interval(whole, f.kind(result))})" if not too_large else
                   f"{', '.join(too_large)} exceed the whole ({show_interval(whole, f.kind(result))})")
    return Evaluation(Interval(float("-inf"), whole.high), largest, not too_large, explanation)


def evaluate_ratio(f: Figures, result: str, operands: list[str]) -> Evaluation:
    numerator, denominator = operands
    return compare(f.interval(numerator) / f.interval(denominator), f.interval(result), "ratio",
                   f"{f.printed(numerator)} / {f.printed(denominator)}")


def evaluate_share(f: Figures, result: str, operands: list[str],
                   parts_of: dict[str, list[str]] | None = None) -> Evaluation:
    numerator, denominator = operands
    evaluation = compare(f.interval(numerator) / f.interval(denominator), f.interval(result), "rate",
                         f"{f.printed(numerator)} / {f.printed(denominator)}")
    if evaluation.holds:
        return evaluation
    return Evaluation(evaluation.expected, evaluation.observed, False,
                      evaluation.explanation + other_bases(f, result, numerator, denominator, parts_of))


def other_bases(f: Figures, result: str, numerator: str, denominator: str,
                parts_of: dict[str, list[str]] | None = None) -> str:
    """Which other base reproduces a failing share: the sum of the denominator's listed parts, or another printed count."""
    fits = []
    parts = (parts_of or {}).get(denominator)
    if parts and (f.interval(numerator) / total([f.interval(p) for p in parts])).overlaps(f.interval(result)):
        fits.append(f"the sum of the listed parts of {denominator} ({' + '.join(parts)})")
    source = f.row(result)["source_id"]
    same_source = f.table[(f.table["source_id"] == source) & (f.table["kind"] == "count")]
    fits += [c for c in same_source["figure_id"] if c not in (numerator, denominator)
             and (f.interval(numerator) / f.interval(c)).overlaps(f.interval(result))]
    return f"; the printed share fits the base {', '.join(fits)} instead" if fits else ""


def evaluate_per_day(f: Figures, result: str, operands: list[str]) -> Evaluation:
    (volume,) = operands
    days = float(f.row(volume)["days"])
    return compare(f.interval(volume) / Interval(days, days), f.interval(result), f.kind(result),
                   f"{f.printed(volume)} over {days:.0f} days")


def evaluate_change(f: Figures, result: str, operands: list[str]) -> Evaluation:
    change = f.interval(result)
    if len(operands) == 1:  # only the current value is printed: derive the previous one, nothing to check
        implied = f.interval(operands[0]) / (change + Interval(1.0, 1.0))
        return Evaluation(implied, change, True,
                          f"implies a previous value of {show_interval(implied, f.kind(operands[0]))} "
                          f"(derived, not checked)")
    current, previous = operands
    return compare(f.interval(current) / f.interval(previous) + Interval(-1.0, -1.0), change, "rate",
                   f"{f.printed(current)} / {f.printed(previous)} − 1")


def evaluate_covers(f: Figures, result: str, operands: list[str]) -> Evaluation:
    parts = total([f.interval(o) for o in operands])
    cumulative = f.interval(result)
    holds = cumulative.high + EPSILON >= parts.low
    kind = f.kind(result)
    left = Interval(max(0.0, cumulative.low - parts.high), cumulative.high - parts.low)
    explanation = (f"the periods inside it add up to {show_interval(parts, kind)}, leaving "
                   f"{show_interval(left, kind)} for the rest of the window" if holds else
                   f"the periods inside it add up to {show_interval(parts, kind)}, more than the cumulative "
                   f"{show_interval(cumulative, kind)}")
    return Evaluation(parts, cumulative, holds, explanation)


def evaluate_per_unit_range(f: Figures, result: str, operands: list[str]) -> Evaluation:
    units, low, high = operands
    allowed = Interval(f.interval(low).low, f.interval(high).high)
    return compare(allowed, f.interval(result) / f.interval(units), "ratio",
                   f"the printed range per unit ({f.printed(low)} to {f.printed(high)})")


def evaluate_count_rule(f: Figures, result: str, operands: list[str]) -> Evaluation:
    units, per_unit = operands
    return compare(f.interval(units) * f.interval(per_unit), f.interval(result), f.kind(result),
                   f"{f.printed(units)} × {f.printed(per_unit)}")


def evaluate_base(f: Figures, result: str, operands: list[str]) -> Evaluation:
    (n,) = operands
    cases = f.interval(result) * f.interval(n)
    whole = int(cases.high) >= cases.low - EPSILON
    return Evaluation(cases, f.interval(n), whole,
                      f"{f.printed(result)} of n = {f.printed(n)} is {show_interval(cases, 'count')} cases"
                      + ("" if whole else ", which contains no whole number"))


EVALUATORS: dict[str, Callable[[Figures, str, list[str]], Evaluation]] = {
    "sum": evaluate_sum, "part_of": evaluate_part_of, "share": evaluate_share, "base": evaluate_base,
    "ratio": evaluate_ratio, "per_day": evaluate_per_day, "change": evaluate_change, "covers": evaluate_covers,
    "per_unit_range": evaluate_per_unit_range, "count_rule": evaluate_count_rule,
}


def run_audit(tidy: pd.DataFrame, relations: pd.DataFrame) -> pd.DataFrame:
    """One row per declared relation: the figures, what was expected and observed, and the verdict."""
    f = Figures(tidy)
    # A failing share is also tried against the sum of its denominator's declared parts.
    parts_of = {r.result: r.operands.split() for r in relations.itertuples(index=False) if r.kind == "sum"}
    rows = []
    for relation in relations.itertuples(index=False):
        operands = relation.operands.split()
        if relation.kind == "share":
            evaluation = evaluate_share(f, relation.result, operands, parts_of)
        else:
            evaluation = EVALUATORS[relation.kind](f, relation.result, operands)
        kind = f.kind(relation.result)
        rows.append({"relation_id": relation.relation_id, "kind": relation.kind,
                     "figures": " ".join([relation.result, *operands]),
                     "expected": show_interval(evaluation.expected, kind),
                     "observed": show_interval(evaluation.observed, kind),
                     "holds": evaluation.holds, "explanation": evaluation.explanation})
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS)


def rates_without_base(figures: pd.DataFrame, audit: pd.DataFrame) -> pd.DataFrame:
    """Printed rates that no `base` or `share` relation gives an n for."""
    with_base = {row.figures.split()[0] for row in audit.itertuples() if row.kind in ("base", "share")}
    rates = figures[figures["kind"] == "rate"]
    return rates[~rates["figure_id"].isin(with_base)].reset_index(drop=True)


def audit_findings(figures: pd.DataFrame, audit: pd.DataFrame) -> tuple[list[str], list["KeyNumber"]]:
    """What the audit establishes: how many figures and relations, which relations fail, what is only bounded."""
    from analysis.numbers import Finding, KeyNumber

    failing = audit[~audit["holds"].astype(bool)]
    bounds = figures[figures["qualifier"] != "exact"]
    no_base = rates_without_base(figures, audit)
    findings = [Finding(f"{len(figures)} figures from {figures['source_id'].nunique()} sources; {len(audit)} relations checked, "
                f"{len(failing)} fail" + (f" ({'; '.join(failing['relation_id'])})" if len(failing) else "") + ".", tuple(figures["figure_id"]))]
    findings += [Finding(f"{row.relation_id}: {row.explanation}.", tuple(row.figures.split()))
                 for row in failing.itertuples()]
    findings.append(Finding(f"{len(bounds)} figures are printed as bounds or approximations; {len(no_base)} of "
                            f"{int((figures['kind'] == 'rate').sum())} printed rates have no printed n.",
                            tuple(bounds["figure_id"]) + tuple(no_base["figure_id"])))
    every = tuple(figures["figure_id"])
    key_numbers = [
        KeyNumber("figures", "figures entered", len(figures), "figures", f"{len(figures):,}", every),
        KeyNumber("relations", "relations checked", len(audit), "relations", f"{len(audit):,}",
                  tuple(i for f in audit["figures"] for i in f.split())),
        KeyNumber("failing", "relations that fail", len(failing), "relations", f"{len(failing):,}",
                  tuple(i for f in failing["figures"] for i in f.split())),
        KeyNumber("bounds", "figures printed as bounds or approximations", len(bounds), "figures", f"{len(bounds):,}",
                  tuple(bounds["figure_id"])),
        KeyNumber("rates_without_n", "printed rates with no printed n", len(no_base), "rates", f"{len(no_base):,}",
                  tuple(no_base["figure_id"])),
    ]
    return findings, key_numbers


def rows_involving(audit: pd.DataFrame, figure_ids: set[str]) -> pd.DataFrame:
    """The audit rows that involve any of these figures (a region's rows)."""
    mask = [bool(figure_ids & set(figures.split())) for figures in audit["figures"]]
    return audit.loc[pd.Series(mask, index=audit.index, dtype=bool)].reset_index(drop=True)

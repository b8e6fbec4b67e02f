"""Identities that follow from what the figures mean, derived as relation rows and audited apart.

relations.csv declares the identities a reader sees on a page. Others follow from the declared meaning
(evidence.meaning) and are found here, across pages: each part of a breakdown within its total, an exhaustive
breakdown summing to its total (a part printed more than once counted once), each repeated printing of a part
against the others, a per-day average against its flow and its period's days, and a printed change
against the printed figures of the periods it compares (the same period a year earlier for 同比, the adjacent
period of the same length for 环比). A derived relation that repeats a declared one (same kind, result and
operands) is left out, so no identity is counted twice. The audit engine (evidence.audit) evaluates them.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from analysis.evidence import audit
from analysis.evidence.meaning import ADDITIVE_KINDS, Meaning

RELATION_COLUMNS = ["relation_id", "kind", "result", "operands", "note", "rule"]
# Kinds whose operands are a set (their order does not matter) when comparing with a declared relation.
UNORDERED = ("sum", "part_of", "covers")
RULES = ("exhaustive_sum", "part_within_total", "printed_twice", "per_day_average", "printed_change")


def _key(kind: str, result: str, operands: list[str]) -> tuple:
    if kind == "sum" and len(operands) == 1:  # one figure equal to another: the same identity either way round
        return (kind, frozenset([result, *operands]))
    return (kind, result, frozenset(operands) if kind in UNORDERED else tuple(operands))


def _relation(relation_id: str, kind: str, result: str, operands: list[str], note: str, rule: str) -> dict:
    return {
        "relation_id": relation_id,
        "kind": kind,
        "result": result,
        "operands": " ".join(operands),
        "note": note,
        "rule": rule,
    }


PERIOD = ["region", "indicator", "period_start", "period_end"]
BREAKDOWN = ["breakdown_dimension", "breakdown_value"]


def most_precise_printing(printings: pd.DataFrame) -> str:
    """The figure_id of the most precise of several printings of one quantity: the one whose interval
    (value_high - value_low) is narrowest, the first by figure_id among equally narrow ones, so the choice does not
    depend on the rows' order. 51723件 (an interval of one value) is chosen over 5.1万件 (50,500 to 51,500).

    `printings` are rows of a figures table (figure_id, value_low, value_high) that print the same quantity; the
    repeated parts of a breakdown here, and a hotline volume printed twice (topics.hotline), are each shown and
    checked by this one printing.
    """
    width = printings["value_high"].astype(float) - printings["value_low"].astype(float)
    ranked = printings.assign(width=width).sort_values(["width", "figure_id"], kind="stable")
    return str(ranked["figure_id"].iloc[0])


def _agree(printings: pd.DataFrame) -> bool:
    return audit.agree([audit.interval_of(p) for _, p in printings.iterrows()])


def one_per_part(parts: pd.DataFrame) -> list[str] | None:
    """One figure per part of a breakdown (the most precise where a part is printed more than once), in the
    parts' order; None when some part's printings disagree (repeat_relations reports that)."""
    chosen = set()
    for _, printings in parts.groupby("breakdown_value", sort=False):
        if not _agree(printings):
            return None
        chosen.add(most_precise_printing(printings))
    return [f for f in parts["figure_id"] if f in chosen]


def _same_printing(a: pd.Series, b: pd.Series) -> bool:
    """Two figures read from one printed phrase of one page (the two ends of a range, 1至5), not two printings."""
    return a["source_id"] == b["source_id"] and a["locator"] == b["locator"]


def repeat_relations(figures: pd.DataFrame) -> list[dict]:
    """Each part of a breakdown printed more than once (same indicator, region, period and part) against its most
    precise printing: the printings must agree within their intervals."""
    parts = figures[figures["breakdown_dimension"] != ""]
    out = []
    for _, printings in parts.groupby([*PERIOD, *BREAKDOWN], sort=True):
        if len(printings) < 2:
            continue
        kept = printings.set_index("figure_id", drop=False)
        first = most_precise_printing(printings)
        out += [
            _relation(
                f"derived_repeat_{first}_{other}",
                "sum",
                first,
                [other],
                f"the {kept.at[first, 'breakdown_value']} part of the {kept.at[first, 'breakdown_dimension']} "
                "breakdown is printed more than once: one quantity, so the printings agree",
                "printed_twice",
            )
            for other in printings["figure_id"]
            if other != first and not _same_printing(kept.loc[first], kept.loc[other])
        ]
    return out


def breakdown_relations(figures: pd.DataFrame, meaning: Meaning) -> list[dict]:
    """Each breakdown of an indicator that counts units, against every printed total of the same region and period.

    Exhaustive parts must add up to the total, each part counted once however often it is printed (one part alone
    is the whole); other parts (partial, overlapping, a top list), and the parts of an exhaustive breakdown some
    part of which is printed twice with different values (which printing to add is unknown: repeat_relations
    reports it), each lie within it.
    """
    parts = figures[figures["breakdown_dimension"] != ""]
    totals = figures[figures["breakdown_dimension"] == ""]
    out = []
    for (region, indicator, start, end, dimension), group in parts.groupby([*PERIOD, "breakdown_dimension"], sort=True):
        if meaning.kind(indicator) not in ADDITIVE_KINDS:
            continue
        matching = totals[
            (totals["region"] == region)
            & (totals["indicator"] == indicator)
            & (totals["period_start"] == start)
            & (totals["period_end"] == end)
        ]
        once = one_per_part(group)
        exhaustive = meaning.is_exhaustive(indicator, dimension)
        summed = exhaustive and once is not None
        within = (
            f"a part of the exhaustive {dimension} breakdown is printed twice with different values, so which to add "
            "is unknown: each printed part lies within the total"
            if exhaustive
            else f"each part of the {meaning.parts(indicator, dimension)} {dimension} breakdown lies within the total"
        )
        for total in matching["figure_id"]:
            if summed:
                operands = once
                out.append(
                    _relation(
                        f"derived_sum_{total}_{dimension}",
                        "sum",
                        total,
                        operands,
                        f"the {dimension} breakdown is exhaustive (breakdowns.csv): its parts add up to the total",
                        "exhaustive_sum",
                    )
                )
            else:
                operands = list(group["figure_id"])
                out.append(
                    _relation(
                        f"derived_part_of_{total}_{dimension}",
                        "part_of",
                        total,
                        operands,
                        within,
                        "part_within_total",
                    )
                )
    return out


def per_day_relations(figures: pd.DataFrame, meaning: Meaning) -> list[dict]:
    """Each per-day average against the printed flow it averages over the same period (indicators.csv `of`)."""
    out = []
    for average in meaning.indicators_where(kind="average", per="day"):
        flow = meaning.of(average)
        if flow is None:
            continue
        for a in figures[figures["indicator"] == average].itertuples(index=False):
            same = figures[
                (figures["indicator"] == flow)
                & (figures["region"] == a.region)
                & (figures["period_start"] == a.period_start)
                & (figures["period_end"] == a.period_end)
                & (figures["breakdown_dimension"] == a.breakdown_dimension)
                & (figures["breakdown_value"] == a.breakdown_value)
            ]
            out += [
                _relation(
                    f"derived_per_day_{a.figure_id}_{volume}",
                    "per_day",
                    a.figure_id,
                    [volume],
                    "a per-day average is its flow divided by the days of its period",
                    "per_day_average",
                )
                for volume in same["figure_id"]
            ]
    return out


def _month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


def _months(start: date, end: date) -> int | None:
    """Whole calendar months an inclusive period spans, or None when it does not span whole months."""
    if start.day != 1 or not _month_end(end):
        return None
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _shift_months(day: date, months: int, *, to_month_end: bool) -> date:
    stamp = pd.Timestamp(day) + pd.DateOffset(months=months)
    if to_month_end:
        stamp = stamp + pd.offsets.MonthEnd(0)
    return stamp.date()


def previous_period(start: str, end: str, base: str) -> tuple[str, str]:
    """The period a change compares with: the same period a year earlier (year, 同比), or the adjacent earlier
    period of the same length (period, 环比): as many whole months, or else as many days."""
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    months = _months(first, last)
    if base == "year":
        return (
            _shift_months(first, -12, to_month_end=False).isoformat(),
            _shift_months(last, -12, to_month_end=_month_end(last)).isoformat(),
        )
    previous_end = first - timedelta(days=1)
    if months is not None:
        return _shift_months(first, -months, to_month_end=False).isoformat(), previous_end.isoformat()
    return (previous_end - (last - first)).isoformat(), previous_end.isoformat()


def change_relations(figures: pd.DataFrame, meaning: Meaning) -> list[dict]:
    """Each printed change against the printed figures, on any page, of the periods it compares."""
    out = []
    for change in meaning.indicators_where(kind="change", per=("year", "period")):
        measured = meaning.of(change)
        if measured is None:
            continue
        base = meaning.per(change)
        of = figures[figures["indicator"] == measured]
        for c in figures[figures["indicator"] == change].itertuples(index=False):
            same = of[
                (of["region"] == c.region)
                & (of["breakdown_dimension"] == c.breakdown_dimension)
                & (of["breakdown_value"] == c.breakdown_value)
            ]
            earlier_start, earlier_end = previous_period(c.period_start, c.period_end, str(base))
            current = same[(same["period_start"] == c.period_start) & (same["period_end"] == c.period_end)]
            previous = same[(same["period_start"] == earlier_start) & (same["period_end"] == earlier_end)]
            out += [
                _relation(
                    f"derived_change_{c.figure_id}_{p}",
                    "change",
                    c.figure_id,
                    [n, p],
                    "同比: against the same period a year earlier"
                    if base == "year"
                    else "环比: against the adjacent earlier period of the same length",
                    "printed_change",
                )
                for n in current["figure_id"]
                for p in previous["figure_id"]
            ]
    return out


def derive(figures: pd.DataFrame, meaning: Meaning, declared: pd.DataFrame) -> pd.DataFrame:
    """Every identity the declared meaning implies that relations.csv does not already declare."""
    seen = {_key(r.kind, r.result, r.operands.split()) for r in declared.itertuples(index=False)}
    rows = []
    for relation in (
        breakdown_relations(figures, meaning)
        + repeat_relations(figures)
        + per_day_relations(figures, meaning)
        + change_relations(figures, meaning)
    ):
        key = _key(relation["kind"], relation["result"], relation["operands"].split())
        if key in seen:
            continue
        seen.add(key)
        rows.append(relation)
    return pd.DataFrame(rows, columns=RELATION_COLUMNS)


def audit_derived(figures: pd.DataFrame, derived: pd.DataFrame) -> pd.DataFrame:
    """The audit of the derived relations, with the rule that derived each."""
    table = audit.run_audit(figures, derived)
    return table.assign(rule=list(derived["rule"]))

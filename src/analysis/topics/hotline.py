"""Hotline volume: calls, requests or work orders per period, per day and per resident, checked against printed claims.

What a figure is comes from data (evidence.meaning): volumes are the flows that count the hotline's contacts,
the population is the stock of residents. Calls, requests and work orders are never added or compared with
each other. Every derived number carries the interval its printed figures allow (value_low/value_high).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import pandas as pd

from analysis import numbers
from analysis.calendar import date_range, period_days
from analysis.evidence.audit import FAILS, Interval, rows_involving
from analysis.evidence.derived import most_precise_printing, previous_period
from analysis.evidence.meaning import HOTLINE_CONTACTS, Meaning
from analysis.evidence.names import indicator_name, region_name
from analysis.language import current, say
from analysis.numbers import Finding, KeyNumber
from analysis.topics.compare import ChangeCheck, changes, observations

# Relation kinds (relations.csv) that compare two volumes.
COMPARISON_KINDS = ("ratio", "change")
# Relation kinds whose failing verdict puts a total in doubt: its volume sentence is warned, worded by the relation
# (parts that miss it, another printing of it, or another relation: rejection_shape).
TOTAL_KINDS = ("sum", "part_of", "covers")
# What makes two volumes one quantity printed twice (volumes carry no breakdown).
SAME_QUANTITY = ["indicator", "period_start", "period_end"]
# Relation kinds whose operands are parts of their result: an operand that is a volume is a subset of another.
PART_KINDS = ("sum", "part_of")


def per_day(volume: float, days: int) -> float:
    """Average volume per day over a period."""
    return volume / days


def interval(row: pd.Series | object) -> Interval:
    """The interval a tidy figure row's printing allows (value_low to value_high)."""
    get = row.__getitem__ if isinstance(row, pd.Series) else lambda c: getattr(row, c)
    return Interval(float(get("value_low")), float(get("value_high")))


def outward(low: float, high: float, digits: int = 3) -> tuple[float, float]:
    """An interval rounded outward to `digits` significant digits of its larger end: 0.67523–0.70786 -> 0.675–0.708."""
    finite = [abs(v) for v in (low, high) if math.isfinite(v) and v != 0]
    if not finite:
        return low, high
    step = 10.0 ** (math.floor(math.log10(max(finite))) - digits + 1)
    down = math.floor(low / step + 1e-9) * step if math.isfinite(low) else low
    up = math.ceil(high / step - 1e-9) * step if math.isfinite(high) else high
    return down, up


def decimals_of(step_of: float, digits: int = 3) -> int:
    """Decimals that show `digits` significant digits of a value of this size."""
    if not math.isfinite(step_of) or step_of == 0:
        return 0
    return max(0, digits - 1 - math.floor(math.log10(abs(step_of))))


def ratio_range(low: float, high: float, digits: int = 3) -> str:
    """A derived ratio's interval with the digits it supports: 0.675–0.708; one value when both ends show alike."""
    a, b = outward(low, high, digits)
    places = decimals_of(max(abs(a), abs(b)), digits)
    return numbers.interval(a, b, lambda v: numbers.ratio(v, places))


def change_range(low: float, high: float) -> str:
    """A derived change as a percentage at one decimal: +8.4%, or 25.0%–25.1%."""
    return numbers.interval(low, high, lambda v: f"{v:+.1%}")


def count_range(low: float, high: float, exact: bool = False) -> str:
    """A derived count's interval: 26,600,000–27,620,000 (2660万–2762万 in Chinese)."""
    return numbers.interval(low, high, lambda v: numbers.count(v, exact=exact))


def unexplained_volume(
    total: Interval, window_start: str, stated: pd.DataFrame, window_ends: list[str]
) -> pd.DataFrame:
    """Volume in the cumulative window not covered by the stated periods, for each possible window end.

    `stated` has columns period_start, period_end, value_low, value_high; the remainder is the audit's
    interval (max(0, total low − stated high) to total high − stated low), spread over the uncovered days
    (not a number where none is uncovered).
    """
    parts = Interval(float(stated["value_low"].sum()), float(stated["value_high"].sum()))
    left = Interval(max(0.0, total.low - parts.high), total.high - parts.low)
    stated_days = int(sum(period_days(s, e) for s, e in zip(stated["period_start"], stated["period_end"])))
    rows = []
    for end in window_ends:
        window_days = period_days(window_start, end)
        other_days = window_days - stated_days
        rows.append(
            {
                "window_end": end,
                "window_days": window_days,
                "unexplained_days": other_days,
                "unexplained_low": left.low,
                "unexplained_high": left.high,
                "per_day_low": left.low / other_days if other_days > 0 else math.nan,
                "per_day_high": left.high / other_days if other_days > 0 else math.nan,
            }
        )
    return pd.DataFrame(rows)


VOLUME_COLUMNS = [
    "figure_id",
    "source_id",
    "indicator",
    "counts",
    "period_start",
    "period_end",
    "days",
    "value",
    "value_low",
    "value_high",
    "qualifier",
    "period_as_printed",
    "as_printed",
]


def volume_series(table: pd.DataFrame, region: str, meaning: Meaning) -> pd.DataFrame:
    """Every printed volume of the region (flows of calls, requests or work orders, no breakdown), per day.

    A printed per-day average of such a flow stands in for it (average × days) where the flow itself is not
    printed for that period (`printed_average`); where it is, the audit checks the one against the other.
    """
    rows = meaning.rows(table, region=region, totals=True, kind="flow", counts=HOTLINE_CONTACTS)
    volumes = rows.assign(counts=[meaning.counts(i) for i in rows["indicator"]])[VOLUME_COLUMNS].copy()
    volumes["printed_average"] = False
    averages = printed_averages(table, region, meaning, volumes)
    if len(averages):
        volumes = pd.concat([volumes, averages], ignore_index=True) if len(volumes) else averages
    for column in ("value", "value_low", "value_high"):
        volumes[column] = volumes[column].astype(float)
    volumes["days"] = volumes["days"].astype(int)
    volumes["per_day"] = volumes["value"] / volumes["days"]
    volumes["per_day_low"] = volumes["value_low"] / volumes["days"]
    volumes["per_day_high"] = volumes["value_high"] / volumes["days"]
    volumes["period"] = [period_label(s, e) for s, e in zip(volumes["period_start"], volumes["period_end"])]
    volumes["name"] = [named(meaning, i) for i in volumes["indicator"]]
    return volumes.sort_values(["indicator", "period_start", "period_end"], kind="stable").reset_index(drop=True)


def printed_averages(table: pd.DataFrame, region: str, meaning: Meaning, flows: pd.DataFrame) -> pd.DataFrame:
    """The region's per-day averages of a contact flow (indicators.csv: kind average, per day, `of` that flow)
    for periods whose flow is not printed, as rows of that flow: value, low and high are the average × days."""
    rows = meaning.rows(table, region=region, totals=True, kind="average", per="day", counts=HOTLINE_CONTACTS)
    out = []
    for r in rows.itertuples(index=False):
        flow = meaning.of(r.indicator)
        if flow is None or flow not in meaning.indicators.index or meaning.kind(flow) != "flow":
            continue
        printed = flows[
            (flows["indicator"] == flow)
            & (flows["period_start"] == r.period_start)
            & (flows["period_end"] == r.period_end)
        ]
        if len(printed):
            continue
        days = int(r.days)
        out.append(
            {
                "figure_id": r.figure_id,
                "source_id": r.source_id,
                "indicator": flow,
                "counts": meaning.counts(flow),
                "period_start": r.period_start,
                "period_end": r.period_end,
                "days": days,
                "value": float(r.value) * days,
                "value_low": float(r.value_low) * days,
                "value_high": float(r.value_high) * days,
                "qualifier": r.qualifier,
                "period_as_printed": r.period_as_printed,
                "as_printed": r.as_printed,
                "printed_average": True,
            }
        )
    return pd.DataFrame(out, columns=[*VOLUME_COLUMNS, "printed_average"])


def named(meaning: Meaning, indicator: str) -> str:
    """An indicator's name in the current language, from the declared meaning's table (indicators.csv)."""
    column = f"name_{current()}"
    if column in meaning.indicators.columns and meaning.indicators.at[indicator, column]:
        return str(meaning.indicators.at[indicator, column])
    return indicator_name(indicator)


# Whole-month spans within one year that have a name of their own (hotline.period.<name>).
NAMED_SPANS = {(1, 12): "year", (1, 6): "h1", (7, 12): "h2", (1, 3): "q1", (4, 6): "q2", (7, 9): "q3", (10, 12): "q4"}


def period_label(start: str, end: str) -> str:
    """A label that names only what the dates cover, in the current language.

    English: 2021, 2022 H1, 2022 Q3, 2022-03, or the dates themselves; Chinese: 2021年, 2022年上半年,
    2022年第三季度, 2022年3月, or 2022年1月1日至2022年8月31日.
    """
    y0, m0, d0 = start.split("-")
    y1, m1, _d1 = end.split("-")
    whole_months = d0 == "01" and _is_month_end(end)
    if y0 == y1 and whole_months:
        months = (int(m0), int(m1))
        if months in NAMED_SPANS:
            return say(f"hotline.period.{NAMED_SPANS[months]}", year=y0)
        if months[0] == months[1]:
            return say("hotline.period.month", year=y0, month=months[0])
    return say("common.span", start=numbers.date(start), end=numbers.date(end))


def _is_month_end(day: str) -> bool:
    year, month, date_ = (int(x) for x in day.split("-"))
    following = pd.Timestamp(year=year, month=month, day=date_) + pd.Timedelta(days=1)
    return following.day == 1


def contains(outer: pd.Series, inner: pd.Series) -> bool:
    """Whether one printed period strictly contains another."""
    return (
        outer["period_start"] <= inner["period_start"]
        and inner["period_end"] <= outer["period_end"]
        and outer["days"] > inner["days"]
    )


def one_printing_each(volumes: pd.DataFrame) -> pd.DataFrame:
    """One row per quantity (indicator and period): a volume printed twice (716535件 and 71.6万件) is one volume,
    shown by its most precise printing, the rule the audit's derived relations use for a repeated part."""
    kept = {most_precise_printing(printings) for _, printings in volumes.groupby(SAME_QUANTITY, sort=False)}
    return volumes[volumes["figure_id"].isin(kept)]


def split_series(volumes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cumulative totals (periods containing another printed period of the same indicator) and the stated periods,
    each quantity once."""
    volumes = one_printing_each(volumes)
    rows = [r for _, r in volumes.iterrows()]
    cumulative = [any(contains(r, o) for o in rows if o["indicator"] == r["indicator"]) for r in rows]
    mask = pd.Series(cumulative, index=volumes.index, dtype=bool)
    return volumes[mask].reset_index(drop=True), volumes[~mask].reset_index(drop=True)


def comparable(a: pd.Series, b: pd.Series) -> bool:
    """Consecutive periods of about the same length of one indicator (a week with a week, a year with a year)."""
    return (
        a["indicator"] == b["indicator"]
        and a["period_end"] < b["period_start"]
        and abs(a["days"] - b["days"]) <= 0.1 * max(a["days"], b["days"])
    )


def per_day_interval(row: pd.Series) -> Interval:
    """The interval of a volume's average per day."""
    return Interval(float(row["per_day_low"]), float(row["per_day_high"]))


def consecutive_growth(stated: pd.DataFrame) -> pd.DataFrame:
    """Per-day growth between each pair of consecutive comparable exact periods, with its interval."""
    exact = [r for _, r in stated[stated["qualifier"] == "exact"].iterrows()]
    rows = []
    for a, b in itertools.pairwise(exact):
        if comparable(a, b):
            growth = per_day_interval(b) / per_day_interval(a)
            rows.append(
                {
                    "earlier": a["period"],
                    "later": b["period"],
                    "per_day_earlier": a["per_day"],
                    "per_day_later": b["per_day"],
                    "growth": b["per_day"] / a["per_day"],
                    "low": growth.low,
                    "high": growth.high,
                    "figure_ids": (a["figure_id"], b["figure_id"]),
                }
            )
    columns = ["earlier", "later", "per_day_earlier", "per_day_later", "growth", "low", "high", "figure_ids"]
    return pd.DataFrame(rows, columns=columns)


def comparison_name(kind: str, later: pd.Series, earlier: pd.Series) -> str:
    """What a printed comparison is: a ratio, a year-on-year (同比) change (the same period a year earlier, leap
    days handled), a period-on-period (环比) change (the adjacent earlier period of the same length), or a change."""
    if kind != "change":
        return "ratio"
    compared = (str(earlier["period_start"]), str(earlier["period_end"]))
    if previous_period(str(later["period_start"]), str(later["period_end"]), "year") == compared:
        return "year_on_year"
    if previous_period(str(later["period_start"]), str(later["period_end"]), "period") == compared:
        return "period_on_period"
    return "change"


def apart(later: pd.Series, earlier: pd.Series) -> str:
    """How two compared periods lie: their lengths and the days between them (said where no 同比/环比 names it)."""
    gap = period_days(str(earlier["period_end"]), str(later["period_start"])) - 2
    fields = {"later_days": int(later["days"]), "earlier_days": int(earlier["days"]), "gap": gap}
    if gap == 0:
        return say("hotline.finding.apart.adjacent", **fields)
    if gap < 0:
        return say("hotline.finding.apart.overlap", **fields)
    return say("hotline.finding.apart.gap", **fields)


def printed_comparisons(volumes: pd.DataFrame, audit: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Each printed ratio or change (relations.csv) between two volumes of one count, recomputed with its interval,
    and its per-day counterpart (a ratio's is a ratio, a change's a change)."""
    by_id = volumes.set_index("figure_id")
    printed = figures.set_index("figure_id")
    rows = []
    for relation in audit[audit["kind"].isin(COMPARISON_KINDS)].itertuples():
        result, *operands = relation.figures.split()
        if len(operands) != 2 or not all(o in by_id.index for o in operands) or result not in printed.index:
            continue
        later, earlier = by_id.loc[operands[0]], by_id.loc[operands[1]]
        if later["counts"] != earlier["counts"]:
            continue  # calls, requests and work orders are never compared with each other
        shift = -1.0 if relation.kind == "change" else 0.0
        recomputed = interval(later) / interval(earlier) + Interval(shift, shift)
        daily = per_day_interval(later) / per_day_interval(earlier) + Interval(shift, shift)
        rows.append(
            {
                "relation_id": relation.relation_id,
                "kind": relation.kind,
                "name": comparison_name(relation.kind, later, earlier),
                "printed": printed.at[result, "as_printed"],
                "compares": say("hotline.period.compares", later=later["period"], earlier=earlier["period"]),
                "recomputed": later["value"] / earlier["value"] + shift,
                "low": recomputed.low,
                "high": recomputed.high,
                "per_day": later["per_day"] / earlier["per_day"] + shift,
                "per_day_low": daily.low,
                "per_day_high": daily.high,
                "same_length": later["days"] == earlier["days"],
                "holds": relation.verdict == "holds",
                "figure_ids": (result, *operands),
            }
        )
    columns = [
        "relation_id",
        "kind",
        "name",
        "printed",
        "compares",
        "recomputed",
        "low",
        "high",
        "per_day",
        "per_day_low",
        "per_day_high",
        "same_length",
        "holds",
        "figure_ids",
    ]
    return pd.DataFrame(rows, columns=columns)


def remainders(cumulative: pd.DataFrame, stated: pd.DataFrame) -> list[tuple[pd.Series, pd.DataFrame, pd.DataFrame]]:
    """For each cumulative total: the exact periods inside it and the unexplained remainder by window end.

    The window may end any day from the last stated period's end to the cumulative total's recorded end.
    """
    out = []
    for _, total in cumulative.iterrows():
        inside = stated[
            [
                contains(total, r) and r["qualifier"] == "exact" and r["indicator"] == total["indicator"]
                for _, r in stated.iterrows()
            ]
        ]
        if inside.empty:
            continue
        ends = date_range(inside["period_end"].max(), total["period_end"], 7)
        table = unexplained_volume(interval(total), total["period_start"], inside, ends)
        # A window end the stated periods cover to the last day leaves no day to spread a remainder over
        # (the audit's covers relation still compares the totals).
        table = table[table["unexplained_days"] > 0].reset_index(drop=True)
        if len(table):
            out.append((total, inside.reset_index(drop=True), table))
    return out


def population(table: pd.DataFrame, region: str, meaning: Meaning) -> pd.Series | None:
    """The region's printed resident population (indicators.csv: a stock of persons among the residents), the latest."""
    rows = meaning.population(table, region)
    return rows.sort_values("period_end", kind="stable").iloc[-1] if len(rows) else None


@dataclass
class HotlineAnalysis:
    """What one region's printed hotline volumes allow: findings and key numbers, in the author's order."""

    region: str
    volumes: pd.DataFrame
    cumulative: pd.DataFrame
    stated: pd.DataFrame
    growth: pd.DataFrame
    comparisons: pd.DataFrame
    remainders: list[tuple[pd.Series, pd.DataFrame, pd.DataFrame]]
    population: pd.Series | None
    audit: pd.DataFrame
    implied_bases: list[ChangeCheck]
    findings: list[Finding]
    key_numbers: list[KeyNumber]

    @property
    def figure_ids(self) -> list[str]:
        """Every figure the report rests on."""
        ids = set(self.volumes["figure_id"]) | {i for t in self.comparisons["figure_ids"] for i in t}
        ids |= {i for c in self.implied_bases for i in c.figure_ids}
        return sorted(ids | ({self.population["figure_id"]} if self.population is not None else set()))


def analyse(table: pd.DataFrame, region: str, audit: pd.DataFrame, meaning: Meaning) -> HotlineAnalysis:
    """Everything the region prints about its hotline volume, and nothing more."""
    volumes = volume_series(table, region, meaning)
    cumulative, stated = split_series(volumes)
    region_ids = set(table.loc[table["region"] == region, "figure_id"])
    region_audit = rows_involving(audit, region_ids)
    a = HotlineAnalysis(
        region,
        volumes,
        cumulative,
        stated,
        consecutive_growth(stated),
        printed_comparisons(volumes, region_audit, table),
        remainders(cumulative, stated),
        population(table, region, meaning),
        region_audit,
        implied_bases(table, region, region_audit, meaning),
        [],
        [],
    )
    for findings, key_numbers in (
        series_findings(a, meaning),
        growth_findings(a),
        comparison_findings(a),
        implied_base_findings(a),
        remainder_findings(a),
        resident_findings(a),
    ):
        a.findings += findings
        a.key_numbers += key_numbers
    return a


def implied_bases(table: pd.DataFrame, region: str, audit: pd.DataFrame, meaning: Meaning) -> list[ChangeCheck]:
    """The region's printed 同比/环比 changes whose base period's figure is printed nowhere: the base each implies
    (current / (1 + change), on both printings' intervals), as the comparison topic derives it. A change that
    relations.csv sets against a printed figure has a printed base (`printed_comparisons` recomputes it)."""
    compared = {ids[0] for ids in (f.split() for f in audit.loc[audit["kind"] == "change", "figures"]) if len(ids) == 3}
    checks, _points = changes(observations(table[table["region"] == region], meaning))
    return [c for c in checks if c.implied and c.change["figure_id"] not in compared]


def failed_totals(audit: pd.DataFrame, volumes: pd.DataFrame) -> dict[str, pd.Series]:
    """For each figure the audit rejects as a total (its printed parts are incompatible with it), the first such row.

    A quantity printed twice is shown once: its shown printing carries a failing repeat relation whichever of the
    two printings the relation names first."""
    failing = audit[(audit["verdict"] == FAILS) & audit["kind"].isin(TOTAL_KINDS)]
    out: dict[str, pd.Series] = {}
    for _, relation in failing.iterrows():
        result, *operands = relation["figures"].split()
        out.setdefault(result, relation)
        if rejection_shape(relation, volumes) == "repeat":
            out.setdefault(operands[0], relation)
    return out


def wholes(audit: pd.DataFrame, table: pd.DataFrame, meaning: Meaning) -> dict[str, str]:
    """For each indicator declared a part of another quantity, that quantity's indicator: its meaning row's `of`,
    or the result of a sum or part_of relation (relations.csv) one of its figures is an operand of."""
    indicator_of = dict(zip(table["figure_id"], table["indicator"]))
    out = {i: str(meaning.of(i)) for i in meaning.indicators.index if meaning.of(i)}
    for relation in audit[audit["kind"].isin(PART_KINDS)].itertuples():
        result, *operands = relation.figures.split()
        whole = indicator_of.get(result)
        for operand in operands:
            part = indicator_of.get(operand)
            if whole is not None and part is not None and part != whole:
                out.setdefault(part, whole)
    return out


def noun(counts: str) -> str:
    """What a volume counts (indicators.csv `counts`: calls, requests, work orders), in the current language."""
    return say(f"hotline.noun.{counts if counts in HOTLINE_CONTACTS else 'other'}")


def counted(counts: str) -> str:
    """The same after a number: 2,661万 calls, 2,661万次来电."""
    return say(f"hotline.counted.{counts if counts in HOTLINE_CONTACTS else 'other'}")


def times(value: float) -> str:
    """A ratio shown as a multiple: 3.06×, 3.06倍."""
    return say("hotline.display.times", value=numbers.ratio(value))


def series_findings(a: HotlineAnalysis, meaning: Meaning) -> tuple[list[Finding], list[KeyNumber]]:
    """The printed volumes per day, by period, one sentence for each indicator.

    Where two of the region's indicators count the same thing (work orders created, closed, forwarded), each
    sentence and key number names its indicator, so that one is never read as another's volume."""
    region = region_name(a.region)
    if a.volumes.empty:
        return [Finding(say("hotline.finding.no_volume", region=region))], []
    findings, key_numbers = [], []
    shared = a.stated.groupby("counts")["indicator"].nunique()
    part_of = wholes(a.audit, a.volumes, meaning)
    rejected = failed_totals(a.audit, a.volumes)
    for indicator, rows in a.stated.groupby("indicator", sort=False):
        what = noun(rows["counts"].iloc[0])
        if indicator in part_of:  # a subset of another quantity is never read as the volume
            whole = named(meaning, part_of[indicator]) if part_of[indicator] in meaning.indicators.index else ""
            what = say("hotline.finding.part_noun", name=named(meaning, indicator), whole=whole)
        elif shared[rows["counts"].iloc[0]] > 1:
            what = say("hotline.finding.named_noun", name=named(meaning, indicator), noun=what)
        listed = say("hotline.finding.list_separator").join(
            per_day_item(r, rejected, a.volumes) for r in rows.itertuples()
        )
        findings.append(
            Finding(
                say("hotline.finding.per_day", region=region, noun=what, count=len(rows), listed=listed),
                tuple(rows["figure_id"]),
            )
        )
        key_numbers += [
            KeyNumber(
                f"per_day_{r.figure_id}",
                say("hotline.key.per_day", noun=what, period=r.period),
                r.per_day,
                say("hotline.unit.per_day", noun=what),
                numbers.bounded(r.per_day, r.qualifier),
                (r.figure_id,),
                low=r.per_day_low,
                high=r.per_day_high,
                derivation=say(
                    "hotline.derivation.printed_per_day" if r.printed_average else "hotline.derivation.per_day",
                    printed=r.as_printed,
                    days=r.days,
                )
                + (rejected_derivation(rejected[r.figure_id], a.volumes) if r.figure_id in rejected else ""),
            )
            for r in rows.itertuples()
        ]
    return findings, key_numbers


def per_day_item(r: object, rejected: dict[str, pd.Series], volumes: pd.DataFrame) -> str:
    """One period's volume per day, warned in place where the audit rejects the total it is derived from."""
    item = say("hotline.finding.per_day_item", period=r.period, value=numbers.bounded(r.per_day, r.qualifier))
    if r.figure_id not in rejected:
        return item
    relation = rejected[r.figure_id]
    fields = {"item": item, "relation_id": relation["relation_id"], "explanation": relation["explanation"]}
    shape = rejection_shape(relation, volumes)
    if shape != "repeat":
        return say(f"hotline.finding.failed_{shape}", **fields)
    pair = relation["figures"].split()[:2]
    # `this` is the printing shown; the relation may name either printing first.
    shown, unshown = (pair[0], pair[1]) if pair[0] == r.figure_id else (pair[1], pair[0])
    this, other = (volumes.set_index("figure_id").loc[i] for i in (shown, unshown))
    # A printing is exact where its interval is one value (716535件), not where it rounds (71.6万件).
    this_exact, other_exact = (p["value_low"] == p["value_high"] for p in (this, other))
    settled = {(True, True): "both", (True, False): "this", (False, True): "other"}.get(
        (this_exact, other_exact), "neither"
    )
    return say(
        "hotline.finding.failed_repeat",
        where=say("hotline.finding.repeat_where." + ("page" if this["source_id"] == other["source_id"] else "other")),
        other=other["as_printed"],
        exact=say(f"hotline.finding.repeat_exact.{settled}", this=this["as_printed"], other=other["as_printed"]),
        **fields,
    )


def rejection_shape(relation: pd.Series, volumes: pd.DataFrame) -> str:
    """What a failing total relation says is wrong: 'parts' (a sum of two or more printed parts misses the total),
    'repeat' (one quantity printed twice, the printings disagreeing: audit.evaluate_sum) or 'other'."""
    result, *operands = relation["figures"].split()
    if relation["kind"] == "sum" and len(operands) > 1:
        return "parts"
    ids = set(volumes["figure_id"])
    if relation["kind"] != "sum" or result not in ids or operands[0] not in ids:
        return "other"
    # Volumes are totals only (no breakdown): one indicator over one period is one quantity.
    this, other = (volumes.set_index("figure_id").loc[i, SAME_QUANTITY] for i in (result, operands[0]))
    return "repeat" if tuple(this) == tuple(other) else "other"


def rejected_derivation(relation: pd.Series, volumes: pd.DataFrame) -> str:
    """The key number's note that the audit rejects the figure, worded by what the failing relation is."""
    return say(f"hotline.derivation.failed_{rejection_shape(relation, volumes)}", relation_id=relation["relation_id"])


def implied_base_findings(a: HotlineAnalysis) -> tuple[list[Finding], list[KeyNumber]]:
    """Each printed 同比/环比 change whose base period's figure is printed nowhere: the change as printed and the
    base value it implies, with the interval both printings allow, marked implied, not printed."""
    findings, key_numbers = [], []
    for c in a.implied_bases:
        change, now = c.change, c.current
        base_start, base_end = previous_period(str(change["start"]), str(change["end"]), str(change["per"]))
        # The base's dates are not printed (a festival week's 同期 is not the same calendar dates): assumed, said so.
        dates = period_label(base_start, base_end)
        base_period = say(f"hotline.finding.assumed_base.{change['per']}", dates=dates)
        shown = count_range(c.expected.low, c.expected.high)
        fields = {
            "change": change["as_printed"],
            "base": say(f"hotline.finding.base.{change['per']}"),
            "current": now["as_printed"],
            "period": period_label(str(now["start"]), str(now["end"])),
            "base_period": base_period,
            "implied": shown,
            "noun": counted(str(now["counts"])),
        }
        findings.append(Finding(say("hotline.finding.implied_base", **fields), c.figure_ids))
        key_numbers.append(
            KeyNumber(
                f"implied_base_{change['figure_id']}",
                say(
                    "hotline.key.implied_base",
                    noun=noun(str(now["counts"])),
                    period=say(f"hotline.key.assumed_base.{change['per']}", dates=dates),
                ),
                float(c.value),
                say("hotline.unit.volume", noun=noun(str(now["counts"]))),
                shown,
                c.figure_ids,
                low=float(c.expected.low),
                high=float(c.expected.high),
                derivation=say(
                    "hotline.derivation.implied_base", current=now["as_printed"], change=change["as_printed"]
                ),
            )
        )
    return findings, key_numbers


def growth_findings(a: HotlineAnalysis) -> tuple[list[Finding], list[KeyNumber]]:
    """Growth between consecutive periods of about the same length."""
    findings, key_numbers = [], []
    for g in a.growth.itertuples():
        shown = numbers.interval(g.low, g.high, numbers.ratio)
        findings.append(
            Finding(say("hotline.finding.growth", later=g.later, earlier=g.earlier, growth=shown), g.figure_ids)
        )
        key_numbers.append(
            KeyNumber(
                f"growth_{g.figure_ids[1]}",
                say("hotline.key.growth", later=g.later, earlier=g.earlier),
                g.growth,
                say("hotline.unit.ratio"),
                say("hotline.display.times", value=shown),
                g.figure_ids,
                low=g.low,
                high=g.high,
                derivation=say("hotline.derivation.growth"),
            )
        )
    return findings, key_numbers


def shown_comparison(kind: str, low: float, high: float) -> str:
    """A recomputed ratio at three decimals (1.515–1.517), a change as a percentage (+25.0%)."""
    return change_range(low, high) if kind == "change" else numbers.interval(low, high, lambda v: numbers.ratio(v, 3))


def comparison_findings(a: HotlineAnalysis) -> tuple[list[Finding], list[KeyNumber]]:
    """Each printed ratio or change, recomputed, named 同比 or 环比 only where the periods are, with its per-day
    counterpart (of the same kind) where the periods differ in days."""
    findings, key_numbers = [], []
    by_id = a.volumes.set_index("figure_id")
    for c in a.comparisons.itertuples():
        later, earlier = by_id.loc[c.figure_ids[1]], by_id.loc[c.figure_ids[2]]
        daily = (
            change_range(c.per_day_low, c.per_day_high)
            if c.kind == "change"
            else say("hotline.display.times", value=numbers.interval(c.per_day_low, c.per_day_high, numbers.ratio))
        )
        per_day_clause = (
            ""
            if c.same_length
            else say(
                f"hotline.finding.per_day_counterpart.{c.kind}",
                later_days=int(later["days"]),
                earlier_days=int(earlier["days"]),
                value=daily,
            )
        )
        recomputed = shown_comparison(c.kind, c.low, c.high)
        sentence = say(
            f"hotline.finding.comparison.{c.name}",
            printed=c.printed,
            later=later["period"],
            earlier=earlier["period"],
            apart=apart(later, earlier) if c.name in ("ratio", "change") else "",
            recomputed=recomputed,
            verdict=say("hotline.finding.holds" if c.holds else "hotline.finding.does_not_hold"),
            per_day=per_day_clause,
        )
        findings.append(Finding(sentence, c.figure_ids))
        key_numbers += [
            KeyNumber(
                f"printed_{c.relation_id}",
                say("hotline.key.printed", printed=c.printed, compares=c.compares),
                c.recomputed,
                say(f"hotline.unit.{c.kind}"),
                say("hotline.display.recomputed", recomputed=recomputed, printed=c.printed),
                c.figure_ids,
                low=c.low,
                high=c.high,
                derivation=say("hotline.derivation.relation", relation_id=c.relation_id),
            ),
            KeyNumber(
                f"per_day_{c.relation_id}",
                say(f"hotline.key.per_day_{c.kind}", compares=c.compares),
                c.per_day,
                say(f"hotline.unit.{c.kind}"),
                daily,
                c.figure_ids,
                low=c.per_day_low,
                high=c.per_day_high,
                derivation=say(f"hotline.derivation.per_day_{c.kind}"),
            ),
        ]
    return findings, key_numbers


def floor_ceil(low: float, high: float) -> tuple[float, float]:
    """A derived count's interval in whole units, rounded outward."""
    return (math.floor(low) if math.isfinite(low) else low, math.ceil(high) if math.isfinite(high) else high)


def remainder_findings(a: HotlineAnalysis) -> tuple[list[Finding], list[KeyNumber]]:
    """What a printed cumulative total leaves unexplained by the periods stated inside it, over every window end."""
    findings, key_numbers = [], []
    for total, inside, table in a.remainders:
        low, high = float(table["unexplained_low"].iloc[0]), float(table["unexplained_high"].iloc[0])
        point = float(total["value"]) - float(inside["value"].sum())
        day_low, day_high = floor_ceil(float(table["per_day_low"].min()), float(table["per_day_high"].max()))
        first, last = table.iloc[0], table.iloc[-1]
        what = counted(total["counts"])
        ids = (total["figure_id"], *inside["figure_id"])
        left = count_range(low, high, exact=True)
        per_day_shown = numbers.interval(day_low, day_high)
        window = (
            say("hotline.finding.window.recorded", days=int(last["unexplained_days"]))
            if len(table) == 1
            else say(
                "hotline.finding.window.range",
                first=numbers.date(first["window_end"]),
                last=numbers.date(last["window_end"]),
                days_low=int(first["unexplained_days"]),
                days_high=int(last["unexplained_days"]),
            )
        )
        findings.append(
            Finding(
                say(
                    "hotline.finding.remainder",
                    printed=total["as_printed"],
                    period=total["period"],
                    count=len(inside),
                    left=left,
                    noun=what,
                    per_day=per_day_shown,
                    window=window,
                ),
                ids,
            )
        )
        key_numbers += [
            KeyNumber(
                f"unexplained_{total['figure_id']}",
                say("hotline.key.unexplained", noun=noun(total["counts"])),
                point,
                say("hotline.unit.volume", noun=noun(total["counts"])),
                left,
                ids,
                low=low,
                high=high,
                derivation=say("hotline.derivation.unexplained"),
            ),
            KeyNumber(
                f"unexplained_per_day_{total['figure_id']}",
                say("hotline.key.unexplained_per_day", noun=noun(total["counts"])),
                point / float(last["unexplained_days"]),
                say("hotline.unit.per_day", noun=noun(total["counts"])),
                per_day_shown,
                ids,
                low=day_low,
                high=day_high,
                derivation=say("hotline.derivation.unexplained_per_day"),
            ),
        ]
    return findings, key_numbers


def within(day: str, row: pd.Series | object) -> bool:
    """Whether a date lies in a row's period."""
    return str(row.period_start) <= day <= str(row.period_end)


def resident_findings(a: HotlineAnalysis) -> tuple[list[Finding], list[KeyNumber]]:
    """Volumes per resident, only where the region prints a population, each with the interval both printings allow."""
    if a.population is None or a.stated.empty:
        return [], []
    people = interval(a.population)
    dated = str(a.population["period_end"])
    findings, key_numbers = [], []
    for r in a.stated[a.stated["qualifier"] == "exact"].itertuples():
        value = float(r.value) / float(a.population["value"])
        each = interval(r) / people
        shown = ratio_range(each.low if math.isfinite(people.high) else -math.inf, each.high)
        other_date = "" if within(dated, r) else say("hotline.finding.population_dated", date=numbers.date(dated))
        ids = (r.figure_id, a.population["figure_id"])
        findings.append(
            Finding(
                say(
                    "hotline.finding.per_resident",
                    period=r.period,
                    value=shown,
                    noun=counted(r.counts),
                    printed=r.as_printed,
                    population=a.population["as_printed"],
                    dated=other_date,
                ),
                ids,
            )
        )
        key_numbers.append(
            KeyNumber(
                f"per_resident_{r.figure_id}",
                say("hotline.key.per_resident", noun=noun(r.counts), period=r.period),
                value,
                say("hotline.unit.per_resident", noun=noun(r.counts)),
                shown,
                ids,
                low=each.low,
                high=each.high,
                derivation=say(
                    "hotline.derivation.per_resident", printed=r.as_printed, population=a.population["as_printed"]
                ),
            )
        )
    return findings, key_numbers


def context_figures(table: pd.DataFrame, region: str, a: HotlineAnalysis) -> pd.DataFrame:
    """The region's other hotline figures (shares, counts of topics, units), not part of the volume analysis."""
    used = set(a.figure_ids)
    rows = table[(table["region"] == region) & ~table["figure_id"].isin(used)]
    return rows.reset_index(drop=True)

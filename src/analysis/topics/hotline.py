"""Hotline volume: calls per period, per day and per resident, checked against printed claims."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pandas as pd

from analysis import numbers
from analysis.calendar import date_range, period_days
from analysis.evidence.audit import rows_involving
from analysis.evidence.names import region_name
from analysis.language import say
from analysis.numbers import Finding, KeyNumber


def per_day(volume: float, days: int) -> float:
    """Average calls per day over a period."""
    return volume / days


def ratio_holds(recomputed: float, printed: float, decimals: int) -> bool:
    """Whether a recomputed ratio rounds to the printed one at the printed precision."""
    return abs(recomputed - printed) <= 0.5 * 10 ** (-decimals) + 1e-12


def printed_decimals(printed: float) -> int:
    """Decimal places of a printed number such as 1.5 (1) or 3 (0)."""
    text = f"{printed:g}"
    return len(text.split(".")[1]) if "." in text else 0


def unexplained_volume(
    cumulative_at_least: float, window_start: str, stated: pd.DataFrame, window_ends: list[str]
) -> pd.DataFrame:
    """Calls in the cumulative window not covered by the stated periods, for each possible window end.

    `stated` has columns period_start, period_end, calls; the cumulative total is a lower bound,
    so every number here is a lower bound too.
    """
    stated_volume = float(stated["calls"].sum())
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
                "unexplained_calls_at_least": cumulative_at_least - stated_volume,
                "unexplained_per_day_at_least": (cumulative_at_least - stated_volume) / other_days,
            }
        )
    return pd.DataFrame(rows)


# Volume indicators; the noun a report uses for each (calls, requests (诉求), work orders (工单) differ) is
# the message hotline.noun.<indicator>.
VOLUME_INDICATORS = ("hotline_calls_received", "hotline_requests_received", "hotline_work_orders")
PER_DAY_SUFFIX = "_per_day"
POPULATION = "resident_population"
COMPARISON_KINDS = ("ratio", "change")


def volume_series(table: pd.DataFrame, region: str) -> pd.DataFrame:
    """Every printed volume of the region (any volume indicator, no breakdown), with days and per-day rates."""
    rows = table[
        (table["region"] == region) & table["indicator"].isin(VOLUME_INDICATORS) & (table["breakdown_dimension"] == "")
    ]
    volumes = rows[
        [
            "figure_id",
            "indicator",
            "period_start",
            "period_end",
            "days",
            "value",
            "qualifier",
            "period_as_printed",
            "as_printed",
        ]
    ].copy()
    volumes["value"] = volumes["value"].astype(float)
    volumes["per_day"] = volumes["value"] / volumes["days"]
    volumes["period"] = [period_label(s, e) for s, e in zip(volumes["period_start"], volumes["period_end"])]
    return volumes.sort_values(["indicator", "period_start", "period_end"], kind="stable").reset_index(drop=True)


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


def split_series(volumes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cumulative totals (periods containing another printed period) and the stated periods."""
    rows = [r for _, r in volumes.iterrows()]
    cumulative = [any(contains(r, o) for o in rows if o["indicator"] == r["indicator"]) for r in rows]
    mask = pd.Series(cumulative, index=volumes.index, dtype=bool)
    return volumes[mask].reset_index(drop=True), volumes[~mask].reset_index(drop=True)


def comparable(a: pd.Series, b: pd.Series) -> bool:
    """Consecutive periods of about the same length (a week with a week, a year with a year)."""
    return (
        a["indicator"] == b["indicator"]
        and a["period_end"] < b["period_start"]
        and abs(a["days"] - b["days"]) <= 0.1 * max(a["days"], b["days"])
    )


def consecutive_growth(stated: pd.DataFrame) -> pd.DataFrame:
    """Per-day growth between each pair of consecutive comparable exact periods."""
    exact = [r for _, r in stated[stated["qualifier"] == "exact"].iterrows()]
    rows = []
    for a, b in itertools.pairwise(exact):
        if comparable(a, b):
            rows.append(
                {
                    "earlier": a["period"],
                    "later": b["period"],
                    "per_day_earlier": a["per_day"],
                    "per_day_later": b["per_day"],
                    "growth": b["per_day"] / a["per_day"],
                    "figure_ids": (a["figure_id"], b["figure_id"]),
                }
            )
    return pd.DataFrame(rows, columns=["earlier", "later", "per_day_earlier", "per_day_later", "growth", "figure_ids"])


def printed_comparisons(volumes: pd.DataFrame, audit: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Each printed ratio or change (relations.csv) between two of the region's volumes, recomputed and per day."""
    by_id = volumes.set_index("figure_id")
    printed = figures.set_index("figure_id")
    rows = []
    for relation in audit[audit["kind"].isin(COMPARISON_KINDS)].itertuples():
        result, *operands = relation.figures.split()
        if len(operands) != 2 or not all(o in by_id.index for o in operands):
            continue
        later, earlier = by_id.loc[operands[0]], by_id.loc[operands[1]]
        rows.append(
            {
                "relation_id": relation.relation_id,
                "kind": relation.kind,
                "printed": printed.at[result, "as_printed"],
                "compares": say("hotline.period.compares", later=later["period"], earlier=earlier["period"]),
                "recomputed": later["value"] / earlier["value"] - (1 if relation.kind == "change" else 0),
                "per_day_ratio": later["per_day"] / earlier["per_day"],
                "same_length": later["days"] == earlier["days"],
                "holds": relation.verdict == "holds",
                "figure_ids": (result, *operands),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "relation_id",
            "kind",
            "printed",
            "compares",
            "recomputed",
            "per_day_ratio",
            "same_length",
            "holds",
            "figure_ids",
        ],
    )


def comparison_name(kind: str, later: pd.Series, earlier: pd.Series) -> str:
    """What a printed comparison is: a ratio, a year-on-year (同比) or period-on-period (环比) change, or a change."""
    if kind != "change":
        return "ratio"
    shifted = (
        pd.Timestamp(earlier["period_start"]) + pd.DateOffset(years=1),
        pd.Timestamp(earlier["period_end"]) + pd.DateOffset(years=1),
    )
    if shifted == (pd.Timestamp(later["period_start"]), pd.Timestamp(later["period_end"])):
        return "year_on_year"
    if pd.Timestamp(earlier["period_end"]) + pd.Timedelta(days=1) == pd.Timestamp(later["period_start"]):
        return "period_on_period"
    return "change"


def remainders(cumulative: pd.DataFrame, stated: pd.DataFrame) -> list[tuple[pd.Series, pd.DataFrame, pd.DataFrame]]:
    """For each cumulative total: the exact periods inside it and the unexplained remainder by window end."""
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
        table = unexplained_volume(
            total["value"], total["period_start"], inside.rename(columns={"value": "calls"}), ends
        )
        out.append((total, inside.reset_index(drop=True), table))
    return out


def population(table: pd.DataFrame, region: str) -> pd.Series | None:
    """The region's printed resident population, if any (the latest)."""
    rows = table[(table["region"] == region) & (table["indicator"] == POPULATION)]
    return rows.sort_values("period_end").iloc[-1] if len(rows) else None


def calls_per_resident(calls: float, population_at_least: float) -> float:
    """Calls per resident; with a population printed as a lower bound this is an upper bound."""
    return calls / population_at_least


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
    findings: list[Finding]
    key_numbers: list[KeyNumber]

    @property
    def figure_ids(self) -> list[str]:
        """Every figure the report rests on."""
        ids = set(self.volumes["figure_id"]) | {i for t in self.comparisons["figure_ids"] for i in t}
        return sorted(ids | ({self.population["figure_id"]} if self.population is not None else set()))


def analyse(table: pd.DataFrame, region: str, audit: pd.DataFrame) -> HotlineAnalysis:
    """Everything the region prints about its hotline volume, and nothing more."""
    volumes = volume_series(table, region)
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
        population(table, region),
        region_audit,
        [],
        [],
    )
    for findings, key_numbers in (
        series_findings(a),
        growth_findings(a),
        comparison_findings(a),
        remainder_findings(a),
        resident_findings(a),
    ):
        a.findings += findings
        a.key_numbers += key_numbers
    return a


def noun(indicator: str) -> str:
    """What a volume indicator counts (calls, 来电), in the current language."""
    return say(f"hotline.noun.{indicator if indicator in VOLUME_INDICATORS else 'other'}")


def counted(indicator: str) -> str:
    """The same after a number: 2,661万 calls, 2,661万次来电."""
    return say(f"hotline.counted.{indicator if indicator in VOLUME_INDICATORS else 'other'}")


def times(value: float) -> str:
    """A ratio shown as a multiple: 3.06×, 3.06倍."""
    return say("hotline.display.times", value=numbers.ratio(value))


def series_findings(a: HotlineAnalysis) -> tuple[list[Finding], list[KeyNumber]]:
    """The printed volumes per day, by period."""
    region = region_name(a.region)
    if a.volumes.empty:
        return [Finding(say("hotline.finding.no_volume", region=region))], []
    findings, key_numbers = [], []
    for indicator, rows in a.stated.groupby("indicator", sort=False):
        listed = say("hotline.finding.list_separator").join(
            say("hotline.finding.per_day_item", period=r.period, value=numbers.bounded(r.per_day, r.qualifier))
            for r in rows.itertuples()
        )
        findings.append(
            Finding(
                say("hotline.finding.per_day", region=region, noun=noun(indicator), count=len(rows), listed=listed),
                tuple(rows["figure_id"]),
            )
        )
        key_numbers += [
            KeyNumber(
                f"per_day_{r.figure_id}",
                say("hotline.key.per_day", noun=noun(indicator), period=r.period),
                r.per_day,
                say("hotline.unit.per_day", noun=noun(indicator)),
                numbers.bounded(r.per_day, r.qualifier),
                (r.figure_id,),
                derivation=say("hotline.derivation.per_day", printed=r.as_printed, days=r.days),
            )
            for r in rows.itertuples()
        ]
    return findings, key_numbers


def growth_findings(a: HotlineAnalysis) -> tuple[list[Finding], list[KeyNumber]]:
    """Growth between consecutive periods of the same length."""
    findings, key_numbers = [], []
    for g in a.growth.itertuples():
        findings.append(
            Finding(
                say("hotline.finding.growth", later=g.later, earlier=g.earlier, growth=numbers.ratio(g.growth)),
                g.figure_ids,
            )
        )
        key_numbers.append(
            KeyNumber(
                f"growth_{g.figure_ids[1]}",
                say("hotline.key.growth", later=g.later, earlier=g.earlier),
                g.growth,
                say("hotline.unit.ratio"),
                times(g.growth),
                g.figure_ids,
                derivation=say("hotline.derivation.growth"),
            )
        )
    return findings, key_numbers


def comparison_findings(a: HotlineAnalysis) -> tuple[list[Finding], list[KeyNumber]]:
    """Each printed ratio or change, recomputed, with its per-day counterpart where the periods differ in length."""
    findings, key_numbers = [], []
    by_id = a.volumes.set_index("figure_id")
    for c in a.comparisons.itertuples():
        later, earlier = by_id.loc[c.figure_ids[1]], by_id.loc[c.figure_ids[2]]
        per_day = "" if c.same_length else say("hotline.finding.per_day_ratio", ratio=numbers.ratio(c.per_day_ratio))
        sentence = say(
            f"hotline.finding.comparison.{comparison_name(c.kind, later, earlier)}",
            printed=c.printed,
            later=later["period"],
            earlier=earlier["period"],
            recomputed=f"{c.recomputed:.3f}",
            verdict=say("hotline.finding.holds" if c.holds else "hotline.finding.does_not_hold"),
            per_day=per_day,
        )
        findings.append(Finding(sentence, c.figure_ids))
        key_numbers += [
            KeyNumber(
                f"printed_{c.relation_id}",
                say("hotline.key.printed", printed=c.printed, compares=c.compares),
                c.recomputed,
                say(f"hotline.unit.{c.kind}"),
                say("hotline.display.recomputed", recomputed=f"{c.recomputed:.3f}", printed=c.printed),
                c.figure_ids,
                derivation=say("hotline.derivation.relation", relation_id=c.relation_id),
            ),
            KeyNumber(
                f"per_day_{c.relation_id}",
                say("hotline.key.per_day_ratio", compares=c.compares),
                c.per_day_ratio,
                say("hotline.unit.ratio"),
                times(c.per_day_ratio),
                c.figure_ids,
                derivation=say("hotline.derivation.per_day_ratio"),
            ),
        ]
    return findings, key_numbers


def remainder_findings(a: HotlineAnalysis) -> tuple[list[Finding], list[KeyNumber]]:
    """What a printed cumulative total leaves unexplained by the periods stated inside it."""
    findings, key_numbers = [], []
    for total, inside, table in a.remainders:
        left = float(table["unexplained_calls_at_least"].iloc[0])
        at_least = total["qualifier"] == "at_least"
        bound = say("hotline.finding.at_least") if at_least else ""
        ids = (total["figure_id"], *inside["figure_id"])
        findings.append(
            Finding(
                say(
                    "hotline.finding.remainder",
                    printed=total["as_printed"],
                    period=total["period"],
                    count=len(inside),
                    bound=bound,
                    left=numbers.count(left),
                    noun=counted(total["indicator"]),
                    low=numbers.count(table["unexplained_per_day_at_least"].min()),
                    high=numbers.count(table["unexplained_per_day_at_least"].max()),
                ),
                ids,
            )
        )
        key_numbers.append(
            KeyNumber(
                f"unexplained_{total['figure_id']}",
                say(
                    "hotline.key.unexplained",
                    noun=noun(total["indicator"]),
                    bound=say("hotline.key.at_least") if at_least else "",
                ),
                left,
                say("hotline.unit.volume", noun=noun(total["indicator"])),
                numbers.count(left),
                ids,
                derivation=say("hotline.derivation.unexplained"),
            )
        )
    return findings, key_numbers


def resident_findings(a: HotlineAnalysis) -> tuple[list[Finding], list[KeyNumber]]:
    """Volumes per resident, only where the region prints a population."""
    if a.population is None or a.stated.empty:
        return [], []
    at_most = a.population["qualifier"] == "at_least"
    bound = say("hotline.finding.at_most") if at_most else ""
    findings, key_numbers = [], []
    for r in a.stated[a.stated["qualifier"] == "exact"].itertuples():
        value = calls_per_resident(r.value, float(a.population["value"]))
        findings.append(
            Finding(
                say(
                    "hotline.finding.per_resident",
                    period=r.period,
                    bound=bound,
                    value=numbers.ratio(value),
                    noun=counted(r.indicator),
                    population=a.population["as_printed"],
                ),
                (r.figure_id, a.population["figure_id"]),
            )
        )
        key_numbers.append(
            KeyNumber(
                f"per_resident_{r.figure_id}",
                say(
                    "hotline.key.per_resident",
                    noun=noun(r.indicator),
                    period=r.period,
                    bound=say("hotline.key.at_most") if at_most else "",
                ),
                value,
                say("hotline.unit.per_resident", noun=noun(r.indicator)),
                numbers.ratio(value),
                (r.figure_id, a.population["figure_id"]),
            )
        )
    return findings, key_numbers


def context_figures(table: pd.DataFrame, region: str, a: HotlineAnalysis) -> pd.DataFrame:
    """The region's other hotline figures (shares, counts of topics, units), not part of the volume analysis."""
    used = set(a.figure_ids)
    rows = table[(table["region"] == region) & ~table["figure_id"].isin(used)]
    return rows.reset_index(drop=True)

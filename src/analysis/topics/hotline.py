"""Hotline volume: calls per period, per day and per resident, checked against printed claims."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import numbers
from analysis.evidence.audit import rows_involving
from analysis.numbers import Finding, KeyNumber

from analysis.calendar import date_range, period_days


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


def unexplained_volume(cumulative_at_least: float, window_start: str, stated: pd.DataFrame,
                       window_ends: list[str]) -> pd.DataFrame:
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
        rows.append({"window_end": end, "window_days": window_days, "unexplained_days": other_days,
                     "unexplained_calls_at_least": cumulative_at_least - stated_volume,
                     "unexplained_per_day_at_least": (cumulative_at_least - stated_volume) / other_days})
    return pd.DataFrame(rows)


# Volume indicators and the noun a report uses for them: calls, requests (诉求) and work orders (工单) differ.
VOLUME_NOUNS = {"hotline_calls_received": "calls", "hotline_requests_received": "requests (诉求)",
                "hotline_work_orders": "work orders (工单)"}
PER_DAY_SUFFIX = "_per_day"
POPULATION = "resident_population"
COMPARISON_KINDS = ("ratio", "change")


def volume_series(table: pd.DataFrame, region: str) -> pd.DataFrame:
    """Every printed volume of the region (any volume indicator, no breakdown), with days and per-day rates."""
    rows = table[(table["region"] == region) & table["indicator"].isin(VOLUME_NOUNS)
                 & (table["breakdown_dimension"] == "")]
    volumes = rows[["figure_id", "indicator", "period_start", "period_end", "days", "value", "qualifier",
                    "period_as_printed", "as_printed"]].copy()
    volumes["value"] = volumes["value"].astype(float)
    volumes["per_day"] = volumes["value"] / volumes["days"]
    volumes["period"] = [period_label(s, e) for s, e in zip(volumes["period_start"], volumes["period_end"])]
    return volumes.sort_values(["indicator", "period_start", "period_end"], kind="stable").reset_index(drop=True)


def period_label(start: str, end: str) -> str:
    """A label that names only what the dates cover: 2021, 2022 H1, 2022 Q3, 2022-03, or the dates themselves."""
    y0, m0, d0 = start.split("-")
    y1, m1, d1 = end.split("-")
    whole_months = d0 == "01" and _is_month_end(end)
    if y0 == y1 and whole_months:
        months = (int(m0), int(m1))
        named = {(1, 12): "", (1, 6): " H1", (7, 12): " H2", (1, 3): " Q1", (4, 6): " Q2", (7, 9): " Q3",
                 (10, 12): " Q4"}
        if months in named:
            return f"{y0}{named[months]}"
        if months[0] == months[1]:
            return f"{y0}-{m0}"
    return f"{start} to {end}"


def _is_month_end(day: str) -> bool:
    year, month, date_ = (int(x) for x in day.split("-"))
    following = pd.Timestamp(year=year, month=month, day=date_) + pd.Timedelta(days=1)
    return following.day == 1


def contains(outer: pd.Series, inner: pd.Series) -> bool:
    """Whether one printed period strictly contains another."""
    return (outer["period_start"] <= inner["period_start"] and inner["period_end"] <= outer["period_end"]
            and outer["days"] > inner["days"])


def split_series(volumes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cumulative totals (periods containing another printed period) and the stated periods."""
    rows = [r for _, r in volumes.iterrows()]
    cumulative = [any(contains(r, o) for o in rows if o["indicator"] == r["indicator"]) for r in rows]
    mask = pd.Series(cumulative, index=volumes.index, dtype=bool)
    return volumes[mask].reset_index(drop=True), volumes[~mask].reset_index(drop=True)


def comparable(a: pd.Series, b: pd.Series) -> bool:
    """Consecutive periods of about the same length (a week with a week, a year with a year)."""
    return (a["indicator"] == b["indicator"] and a["period_end"] < b["period_start"]
            and abs(a["days"] - b["days"]) <= 0.1 * max(a["days"], b["days"]))


def consecutive_growth(stated: pd.DataFrame) -> pd.DataFrame:
    """Per-day growth between each pair of consecutive comparable exact periods."""
    exact = [r for _, r in stated[stated["qualifier"] == "exact"].iterrows()]
    rows = []
    for a, b in zip(exact, exact[1:]):
        if comparable(a, b):
            rows.append({"earlier": a["period"], "later": b["period"], "per_day_earlier": a["per_day"],
                         "per_day_later": b["per_day"], "growth": b["per_day"] / a["per_day"],
                         "figure_ids": (a["figure_id"], b["figure_id"])})
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
        rows.append({"relation_id": relation.relation_id, "kind": relation.kind,
                     "printed": printed.at[result, "as_printed"], "compares": f"{later['period']} with {earlier['period']}",
                     "recomputed": later["value"] / earlier["value"] - (1 if relation.kind == "change" else 0),
                     "per_day_ratio": later["per_day"] / earlier["per_day"], "same_length": later["days"] == earlier["days"],
                     "holds": relation.holds, "figure_ids": (result, *operands)})
    return pd.DataFrame(rows, columns=["relation_id", "kind", "printed", "compares", "recomputed", "per_day_ratio",
                                       "same_length", "holds", "figure_ids"])


def remainders(cumulative: pd.DataFrame, stated: pd.DataFrame) -> list[tuple[pd.Series, pd.DataFrame, pd.DataFrame]]:
    """For each cumulative total: the exact periods inside it and the unexplained remainder by window end."""
    out = []
    for _, total in cumulative.iterrows():
        inside = stated[[contains(total, r) and r["qualifier"] == "exact" and r["indicator"] == total["indicator"]
                         for _, r in stated.iterrows()]]
        if inside.empty:
            continue
        ends = date_range(inside["period_end"].max(), total["period_end"], 7)
        table = unexplained_volume(total["value"], total["period_start"],
                                   inside.rename(columns={"value": "calls"}), ends)
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
    findings: list[str]
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
    a = HotlineAnalysis(region, volumes, cumulative, stated, consecutive_growth(stated),
                        printed_comparisons(volumes, region_audit, table), remainders(cumulative, stated),
                        population(table, region), region_audit, [], [])
    for findings, key_numbers in (series_findings(a), growth_findings(a), comparison_findings(a),
                                  remainder_findings(a), resident_findings(a)):
        a.findings += findings
        a.key_numbers += key_numbers
    return a


def noun(indicator: str) -> str:
    """What a volume indicator counts."""
    return VOLUME_NOUNS.get(indicator, "items")


def series_findings(a: HotlineAnalysis) -> tuple[list[str], list[KeyNumber]]:
    """The printed volumes per day, by period."""
    if a.volumes.empty:
        return [f"{a.region} prints no hotline volume, so nothing about its growth can be said."], []
    findings, key_numbers = [], []
    for indicator, rows in a.stated.groupby("indicator", sort=False):
        listed = "; ".join(f"{r.period}: {numbers.bounded(r.per_day, r.qualifier)} a day"
                           for r in rows.itertuples())
        findings.append(Finding(f"{a.region} prints {noun(indicator)} for {len(rows)} period(s); per day, {listed}.", tuple(rows["figure_id"])))
        key_numbers += [KeyNumber(f"per_day_{r.figure_id}", f"{noun(indicator)} per day, {r.period}", r.per_day,
                                  f"{noun(indicator)} per day", numbers.bounded(r.per_day, r.qualifier), (r.figure_id,),
                                  derivation=f"{r.as_printed} / {r.days} days") for r in rows.itertuples()]
    return findings, key_numbers


def growth_findings(a: HotlineAnalysis) -> tuple[list[str], list[KeyNumber]]:
    """Growth between consecutive periods of the same length."""
    findings, key_numbers = [], []
    for g in a.growth.itertuples():
        findings.append(Finding(f"Per day, {g.later} ran at {numbers.ratio(g.growth)} times {g.earlier}.", g.figure_ids))
        key_numbers.append(KeyNumber(f"growth_{g.figure_ids[1]}", f"per-day growth, {g.later} over {g.earlier}",
                                     g.growth, "ratio", f"{numbers.ratio(g.growth)}×", g.figure_ids,
                                     derivation="per day in the later period / per day in the earlier"))
    return findings, key_numbers


def comparison_findings(a: HotlineAnalysis) -> tuple[list[str], list[KeyNumber]]:
    """Each printed ratio or change, recomputed, with its per-day counterpart where the periods differ in length."""
    findings, key_numbers = [], []
    for c in a.comparisons.itertuples():
        verdict = "holds" if c.holds else "does not hold"
        sentence = (f"The printed {c.printed} compares {c.compares}: recomputed {c.recomputed:.3f}, which {verdict} "
                    f"at the printed precision")
        if not c.same_length:
            sentence += f"; the periods differ in length, and per day the ratio is {numbers.ratio(c.per_day_ratio)}"
        findings.append(Finding(sentence + ".", c.figure_ids))
        key_numbers += [KeyNumber(f"printed_{c.relation_id}", f"printed {c.printed} recomputed ({c.compares})",
                                  c.recomputed, c.kind, f"{c.recomputed:.3f} vs {c.printed}", c.figure_ids,
                                  derivation=f"relations.csv {c.relation_id}"),
                        KeyNumber(f"per_day_{c.relation_id}", f"per-day ratio, {c.compares}", c.per_day_ratio, "ratio",
                                  f"{numbers.ratio(c.per_day_ratio)}×", c.figure_ids,
                                  derivation="per day in each period, divided")]
    return findings, key_numbers


def remainder_findings(a: HotlineAnalysis) -> tuple[list[str], list[KeyNumber]]:
    """What a printed cumulative total leaves unexplained by the periods stated inside it."""
    findings, key_numbers = [], []
    for total, inside, table in a.remainders:
        left = float(table["unexplained_calls_at_least"].iloc[0])
        bound = "at least " if total["qualifier"] == "at_least" else ""
        ids = (total["figure_id"], *inside["figure_id"])
        findings.append(Finding(f"The cumulative {total['as_printed']} ({total['period']}) exceeds the {len(inside)} period(s) "
                        f"stated inside it by {bound}{numbers.wan(left)} {noun(total['indicator'])}, "
                        f"{bound}{numbers.count(table['unexplained_per_day_at_least'].min())}–"
                        f"{numbers.count(table['unexplained_per_day_at_least'].max())} a day over the days they leave "
                        f"uncovered, depending on when the window ends.", ids))
        key_numbers.append(KeyNumber(f"unexplained_{total['figure_id']}", f"{noun(total['indicator'])} of the cumulative "
                                     f"total outside the stated periods{', at least' if bound else ''}", left,
                                     noun(total["indicator"]), numbers.count(left), ids,
                                     derivation="cumulative − sum of the stated periods inside it"))
    return findings, key_numbers


def resident_findings(a: HotlineAnalysis) -> tuple[list[str], list[KeyNumber]]:
    """Volumes per resident, only where the region prints a population."""
    if a.population is None or a.stated.empty:
        return [], []
    bound = "at most " if a.population["qualifier"] == "at_least" else ""
    findings, key_numbers = [], []
    for r in a.stated[a.stated["qualifier"] == "exact"].itertuples():
        value = calls_per_resident(r.value, float(a.population["value"]))
        findings.append(Finding(f"In {r.period}, {bound}{numbers.ratio(value)} {noun(r.indicator)} per resident "
                        f"(population {a.population['as_printed']}).", (r.figure_id, a.population["figure_id"])))
        key_numbers.append(KeyNumber(f"per_resident_{r.figure_id}", f"{noun(r.indicator)} per resident, {r.period}"
                                     f"{', at most' if bound else ''}", value, f"{noun(r.indicator)} per resident",
                                     numbers.ratio(value), (r.figure_id, a.population["figure_id"])))
    return findings, key_numbers


def context_figures(table: pd.DataFrame, region: str, a: HotlineAnalysis) -> pd.DataFrame:
    """The region's other hotline figures (shares, counts of topics, units), not part of the volume analysis."""
    used = set(a.figure_ids)
    rows = table[(table["region"] == region) & ~table["figure_id"].isin(used)]
    return rows.reset_index(drop=True)

"""Consistency audit: identities the published figures allow, each a finding (holds or fails), never an error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd

AUDIT_COLUMNS = ["check", "kind", "figures", "expected", "observed", "holds", "explanation"]


@dataclass(frozen=True)
class Figures:
    """Look-ups into the tidy figures table by id."""

    table: pd.DataFrame

    def value(self, figure_id: str) -> float:
        return float(self.row(figure_id)["value"])

    def qualifier(self, figure_id: str) -> str:
        return str(self.row(figure_id)["qualifier"])

    def days(self, figure_id: str) -> int:
        return int(self.row(figure_id)["days"])

    def row(self, figure_id: str) -> pd.Series:
        rows = self.table[self.table["figure_id"] == figure_id]
        if rows.empty:
            raise KeyError(f"audit: figure '{figure_id}' is not in data/raw/figures.csv")
        return rows.iloc[0]


def _fmt(value: float) -> str:
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"


def parts_sum_to_total(f: Figures, name: str, total: str, parts: list[str]) -> dict:
    """Parts of a breakdown add up to the stated total."""
    observed = sum(f.value(p) for p in parts)
    expected = f.value(total)
    holds = observed == expected
    return {"check": name, "kind": "parts sum to total", "figures": [total, *parts],
            "expected": _fmt(expected), "observed": _fmt(observed), "holds": holds,
            "explanation": ("the parts add up to the printed total" if holds else
                            f"the parts add up to {_fmt(observed)}, not the printed {_fmt(expected)}")}


def printed_ratio(f: Figures, name: str, numerator: str, denominator: str, printed: str) -> dict:
    """A printed ratio ('1.5倍') against the ratio of the printed figures, within printed rounding."""
    from analysis.topics.hotline import printed_decimals, ratio_holds

    ratio = f.value(numerator) / f.value(denominator)
    stated = f.value(printed)
    decimals = printed_decimals(stated)
    holds = ratio_holds(ratio, stated, decimals)
    return {"check": name, "kind": "stated ratio", "figures": [printed, numerator, denominator],
            "expected": f"{stated:g}", "observed": f"{ratio:.4f}", "holds": holds,
            "explanation": (f"{_fmt(f.value(numerator))} / {_fmt(f.value(denominator))} = {ratio:.4f}, which "
                            + ("rounds to" if holds else "does not round to")
                            + f" the printed {stated:g} at {decimals} decimal(s)")}


def cumulative_covers_parts(f: Figures, name: str, cumulative: str, parts: list[str]) -> dict:
    """A cumulative total (possibly a lower bound) is at least the sum of the stated periods inside it."""
    parts_total = sum(f.value(p) for p in parts)
    cumulative_value = f.value(cumulative)
    holds = cumulative_value >= parts_total
    bound = "at least " if f.qualifier(cumulative) == "at_least" else ""
    return {"check": name, "kind": "cumulative vs periods", "figures": [cumulative, *parts],
            "expected": f">= {_fmt(parts_total)}", "observed": f"{bound}{_fmt(cumulative_value)}",
            "holds": holds,
            "explanation": (f"the stated periods sum to {_fmt(parts_total)}, leaving {bound}"
                            f"{_fmt(cumulative_value - parts_total)} for the rest of the window"
                            if holds else "the stated periods alone exceed the cumulative total")}


def per_unit_in_range(f: Figures, name: str, numerator: str, denominator: str, low: str,
                      high: str) -> dict:
    """A per-unit average (e.g. agents per village) lies inside a stated range."""
    average = f.value(numerator) / f.value(denominator)
    lo, hi = f.value(low), f.value(high)
    holds = lo <= average <= hi
    return {"check": name, "kind": "per-unit vs stated range", "figures": [numerator, denominator, low, high],
            "expected": f"{lo:g} to {hi:g}", "observed": f"{average:.2f}", "holds": holds,
            "explanation": (f"{_fmt(f.value(numerator))} / {_fmt(f.value(denominator))} = {average:.2f} per unit, "
                            + ("inside" if holds else "outside") + f" the stated {lo:g} to {hi:g}")}


def relation(f: Figures, name: str, kind: str, figure_ids: list[str], expected: str,
             observed: Callable[[Figures], float], test: Callable[[float], bool], explanation: str) -> dict:
    """Any other identity the text implies, stated with its own test and explanation."""
    value = observed(f)
    holds = bool(test(value))
    return {"check": name, "kind": kind, "figures": figure_ids, "expected": expected,
            "observed": _fmt(value), "holds": holds,
            "explanation": explanation.format(observed=_fmt(value), verdict="holds" if holds else "fails")}


def part_within_whole(f: Figures, name: str, part: str, whole: str, explanation: str) -> dict:
    """A figure the text presents as part of another is not larger than it."""
    return relation(f, name, "part within whole", [part, whole],
                    expected=f"<= {_fmt(f.value(whole))}", observed=lambda g: g.value(part),
                    test=lambda v: v <= f.value(whole), explanation=explanation)


def same_figure_agrees(f: Figures, name: str, first: str, second: str, explanation: str) -> dict:
    """A quantity printed twice has the same value both times."""
    return relation(f, name, "same figure printed twice", [first, second],
                    expected=_fmt(f.value(first)), observed=lambda g: g.value(second),
                    test=lambda v: v == f.value(first), explanation=explanation)


def count_implied_by_rule(f: Figures, name: str, count: str, units: str, per_unit: str,
                          explanation: str) -> dict:
    """A printed count against units times a printed per-unit rule ('one per village')."""
    implied = f.value(units) * f.value(per_unit)
    return relation(f, name, "count implied by a per-unit rule", [count, units, per_unit],
                    expected=_fmt(implied), observed=lambda g: g.value(count),
                    test=lambda v: v == implied, explanation=explanation)


def audit_table(rows: list[dict]) -> pd.DataFrame:
    """The audit as a table, figure ids joined by spaces."""
    table = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
    table["figures"] = table["figures"].map(" ".join)
    return table


def run_audit(tidy: pd.DataFrame) -> pd.DataFrame:
    """Every identity the published figures allow, with its verdict."""
    f = Figures(tidy)
    caseload = "bjunion2020_caseload_2019"
    rows = [
        parts_sum_to_total(f, "Beijing caseload 2019-11-21: household types add up to the total", caseload,
                           [f"{caseload}_type_{t}" for t in ("dibao", "low_income", "accident")]),
        parts_sum_to_total(f, "Beijing caseload 2019-11-21: main causes add up to the total", caseload,
                           [f"{caseload}_cause_{c}" for c in ("low_income", "illness", "disability", "schooling",
                                                              "unemployment")]),
        printed_ratio(f, "Beijing 12345: first half of 2022 printed as 1.5 times 2021",
                      "digest2022_calls_h1_2022", "digest2022_calls_2021", "digest2022_calls_ratio"),
        cumulative_covers_parts(f, "Beijing 12345: 6400余万 over 3年多 covers 2021 and the first half of 2022",
                                "digest2022_calls_cumulative", ["digest2022_calls_2021", "digest2022_calls_h1_2022"]),
        per_unit_in_range(f, "Huairou: agents per village within the printed 1 to 5",
                          "bjunion2019_huairou_agents", "bjunion2019_huairou_villages",
                          "bjunion2019_huairou_agents_per_village_min", "bjunion2019_huairou_agents_per_village_max"),
        count_implied_by_rule(
            f, "Huairou: one online agent per village", "bjunion2019_huairou_online_agents",
            "bjunion2019_huairou_villages", "bjunion2019_huairou_online_agents_per_village",
            explanation=("one online agent (网办员) is chosen in each of 316 villages, which would give 316, "
                              "but {observed} are printed ({verdict}); the text may count online agents at town "
                              "service centres too, or more than one per village")),
        part_within_whole(f, "Huairou: online agents are a subset of all agents",
                          "bjunion2019_huairou_online_agents", "bjunion2019_huairou_agents",
                          explanation="online agents are chosen from among the agents, so at most 1,508: {observed} ({verdict})"),
        same_figure_agrees(f, "Huairou: the 101 items printed twice agree",
                           "bjunion2019_huairou_items", "bjunion2019_huairou_items_list",
                           explanation="the item list's length is {observed} ({verdict})"),
        parts_sum_to_total(f, "Chaoyang: claimants by condition add up to the six teachers",
                           "bjunion2019_chaoyang_claimants",
                           ["bjunion2019_chaoyang_teachers_cancer", "bjunion2019_chaoyang_teachers_transplant"]),
        relation(f, "Chaoyang: total payout within six claimants times the printed 3万 to 7万 range",
                 "per-unit vs stated range",
                 ["bjunion2019_chaoyang_payout_total", "bjunion2019_chaoyang_claimants",
                  "bjunion2019_chaoyang_payout_min", "bjunion2019_chaoyang_payout_max"],
                 expected=(f"{f.value('bjunion2019_chaoyang_claimants') * f.value('bjunion2019_chaoyang_payout_min'):,.0f}"
                           f" to {f.value('bjunion2019_chaoyang_claimants') * f.value('bjunion2019_chaoyang_payout_max'):,.0f}"),
                 observed=lambda g: g.value("bjunion2019_chaoyang_payout_total"),
                 test=lambda v: (f.value("bjunion2019_chaoyang_claimants") * f.value("bjunion2019_chaoyang_payout_min")
                                 <= v <= f.value("bjunion2019_chaoyang_claimants")
                                 * f.value("bjunion2019_chaoyang_payout_max")),
                 explanation="the printed total of {observed} yuan lies in the range the per-claimant range allows ({verdict})"),
        relation(f, "Beijing population implied by the minority figures vs 2100多万",
                 "implied total vs stated bound",
                 ["bjunion2020_minority_population", "bjunion2020_minority_share", "digest2022_population"],
                 expected=f">= {f.value('digest2022_population'):,.0f} (2022, a lower bound)",
                 observed=lambda g: g.value("bjunion2020_minority_population") / g.value("bjunion2020_minority_share"),
                 # 80多万 means at least 80万 and below 90万: the implied total spans [80万, 90万) / 4.1%.
                 test=lambda v: v <= f.value("digest2022_population") <= v * 90 / 80,
                 explanation=("80多万 minority residents at 4.1% imply a 2020 population between {observed} and "
                              "90万 / 4.1%, a range that contains the 2022 lower bound of 2100万 ({verdict})")),
        part_within_whole(f, "Beijing institutions: residents within residents-and-staff",
                          "csnews2020_institution_residents", "csnews2020_zero_infection_persons",
                          explanation=("5万多 residents of civil-affairs institutions is a part of the 近10万 residents and "
                              "staff with no infection ({verdict}); 近 makes the larger figure approximate")),
        part_within_whole(f, "Beijing communities: urban communities within communities and villages",
                          "csnews2020_communities", "csnews2020_communities_supported",
                          explanation="3000多 urban communities are a part of the 7000多 communities and villages ({verdict})"),
        part_within_whole(f, "Beijing 吹哨报到: tasks led by the bureau within all tasks",
                          "csnews2020_whistle_tasks_led", "csnews2020_whistle_tasks",
                          explanation="{observed} of the 36 tasks ({verdict})"),
        same_figure_agrees(f, "Xinxing community: households surveyed equal households resident",
                           "digest2022_xinxing_households", "digest2022_xinxing_surveyed_households",
                           explanation="the 2021 survey reached {observed} households, every resident household ({verdict})"),
    ]
    return audit_table(rows)

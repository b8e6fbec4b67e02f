"""Tests that derive: the seed relations' audit verdicts and the seed reports' headline numbers, worked out by
hand from the figures printed in data/raw/figures.csv.

Nothing here is copied from the code's output. Each case writes the printed figures (value, unit, qualifier,
marker) as the page prints them, turns them into the interval the printing allows by the rules of
data/raw/README.md ('What a printed figure stands for'), and does the arithmetic in the test. The test then
checks three things: the printed figures are still what the derivation assumed (if a figure is corrected in
data/raw, the derivation must be redone, and the failure names the figure); the audit engine's intervals and
verdict (data/processed/audit.csv) agree with the hand derivation; the analyses' key numbers (the functions the
notebooks call, and reports/results/*.json where the reports are built) agree with the hand arithmetic.

These tests pin the seed data on purpose: they are about these figures. They never assert how many figures,
relations or regions there are, so adding a page does not break them.

The interval rules used below, in short (half = half a unit of the last printed digit):
  exact integer count in plain units (户, 名, 个, 位, 项): exact, [v, v]
  exact in 万 / 万元, or a decimal: [v − half, v + half] (1486万: ±0.5万)
  余/多 (at_least, next unit): [v, v + the unit of its last significant digit] (6400余万: 6400万..6500万)
  a range's low end (至/到): [v, inf); a range's high end: [0, v + half]
  近 (approximately): [0.9 v, v]
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import cache

import pandas as pd
import pytest

from analysis import paths
from analysis.evidence import audit
from analysis.evidence.catalogue import load_audit, load_processed
from analysis.evidence.meaning import Meaning
from analysis.evidence.provenance import earliest_period_ends
from analysis.topics import hotline, poverty, satisfaction

INF = math.inf
WAN = 10_000


@cache
def printed_figures() -> dict[str, dict[str, str]]:
    with open(paths.FIGURES_CSV, encoding="utf-8", newline="") as handle:
        return {row["figure_id"]: row for row in csv.DictReader(handle)}


def assert_printed(**figures: tuple[str, str, str, str]) -> None:
    """Each figure is printed as the derivation assumes: (value, unit, qualifier, marker)."""
    for figure_id, (value, unit, qualifier, marker) in figures.items():
        row = printed_figures().get(figure_id)
        assert row is not None, f"{figure_id} is no longer in data/raw/figures.csv: redo its derivation"
        found = (row["value"], row["unit"], row["qualifier"], row["qualifier_marker"])
        assert found == (value, unit, qualifier, marker), f"{figure_id} is printed as {found}: redo its derivation"


@cache
def tidy_figures() -> pd.DataFrame:
    return load_processed("figures")


def tidy_interval(figure_id: str) -> tuple[float, float]:
    row = tidy_figures().set_index("figure_id").loc[figure_id]
    return float(row["value_low"]), float(row["value_high"])


# ---------------------------------------------------------------- each printed figure's interval, by hand
# (value, unit, qualifier, marker) as printed, and the interval its printing allows.

PRINTED: dict[str, tuple[tuple[str, str, str, str], tuple[float, float]]] = {
    # Beijing's union file of struggling workers, 2019-11-21: integer counts in 户, exact.
    "bjunion2020_caseload_2019": (("512", "户", "exact", ""), (512, 512)),
    "bjunion2020_caseload_2019_type_dibao": (("408", "户", "exact", ""), (408, 408)),
    "bjunion2020_caseload_2019_type_low_income": (("56", "户", "exact", ""), (56, 56)),
    "bjunion2020_caseload_2019_type_accident": (("48", "户", "exact", ""), (48, 48)),
    "bjunion2020_caseload_2019_cause_low_income": (("208", "户", "exact", ""), (208, 208)),
    "bjunion2020_caseload_2019_cause_illness": (("139", "户", "exact", ""), (139, 139)),
    "bjunion2020_caseload_2019_cause_disability": (("94", "户", "exact", ""), (94, 94)),
    "bjunion2020_caseload_2019_cause_schooling": (("55", "户", "exact", ""), (55, 55)),
    "bjunion2020_caseload_2019_cause_unemployment": (("16", "户", "exact", ""), (16, 16)),
    "bjunion2020_caseload_2016": (("6656", "户", "exact", ""), (6656, 6656)),
    # 12345 calls in 万个: half a unit of the last digit is 0.5万 = 5,000.
    "digest2022_calls_2021": (("1486", "万个", "exact", ""), (1486 * WAN - 5_000, 1486 * WAN + 5_000)),
    "digest2022_calls_h1_2022": (("2253", "万个", "exact", ""), (2253 * WAN - 5_000, 2253 * WAN + 5_000)),
    # 1.5倍: one decimal printed, ±0.05.
    "digest2022_calls_ratio": (("1.5", "倍", "exact", ""), (1.45, 1.55)),
    # 6400余万: the last significant digit of 6400 is the hundreds (100万): 6400万 to 6500万.
    "digest2022_calls_cumulative": (("6400", "万个", "at_least", "余"), (6400 * WAN, 6500 * WAN)),
    # 2100多万: 2100万 to 2200万; 80多万: 80万 to 90万.
    "digest2022_population": (("2100", "万", "at_least", "多"), (2100 * WAN, 2200 * WAN)),
    "bjunion2020_minority_population": (("80", "万", "at_least", "多"), (80 * WAN, 90 * WAN)),
    # 4.1%: ±0.05 points, as a fraction 0.0405 to 0.0415.
    "bjunion2020_minority_share": (("4.1", "%", "exact", ""), (0.0405, 0.0415)),
    # Huairou: integer counts of persons and villages, exact; 1至5名 per village: at least 1, at most 5.
    "bjunion2019_huairou_agents": (("1508", "名", "exact", ""), (1508, 1508)),
    "bjunion2019_huairou_online_agents": (("896", "名", "exact", ""), (896, 896)),
    "bjunion2019_huairou_villages": (("316", "个", "exact", ""), (316, 316)),
    "bjunion2019_huairou_agents_per_village_min": (("1", "名", "at_least", "至"), (1, INF)),
    "bjunion2019_huairou_agents_per_village_max": (("5", "名", "at_most", "至"), (0, 5)),
    "bjunion2019_huairou_online_agents_per_village": (("1", "名", "exact", ""), (1, 1)),
    "bjunion2019_huairou_items": (("101", "个", "exact", ""), (101, 101)),
    "bjunion2019_huairou_items_list": (("101", "项", "exact", ""), (101, 101)),
    "bjunion2019_huairou_farmers": (("17.8", "万", "exact", ""), (17.75 * WAN, 17.85 * WAN)),
    "bjunion2019_huairou_services": (("2.1", "万件", "exact", ""), (2.05 * WAN, 2.15 * WAN)),
    # Chaoyang's mutual aid: 6 claimants (5 + 1), 30万元 paid, 3万元到7万元 each.
    "bjunion2019_chaoyang_claimants": (("6", "位", "exact", ""), (6, 6)),
    "bjunion2019_chaoyang_teachers_cancer": (("5", "位", "exact", ""), (5, 5)),
    "bjunion2019_chaoyang_teachers_transplant": (("1", "位", "exact", ""), (1, 1)),
    # 30万元: money in 万, ±0.5万; 3万元 a range's low end: at least 30,000; 7万元 its high end: at most 7.5万.
    "bjunion2019_chaoyang_payout_total": (("30", "万元", "exact", ""), (295_000, 305_000)),
    "bjunion2019_chaoyang_payout_min": (("3", "万元", "at_least", "到"), (30_000, INF)),
    "bjunion2019_chaoyang_payout_max": (("7", "万元", "at_most", "到"), (0, 75_000)),
    # China Social News 2020: 多 after a round number; 近10萬名 is 0.9 to 1.0 of 10万.
    "csnews2020_zero_infection_persons": (("10", "萬名", "approximately", "近"), (90_000, 100_000)),
    "csnews2020_institution_residents": (("5", "萬名", "at_least", "多"), (50_000, 60_000)),
    "csnews2020_communities_supported": (("7000", "個", "at_least", "多"), (7_000, 8_000)),
    "csnews2020_communities": (("3000", "個", "at_least", "多"), (3_000, 4_000)),
    "csnews2020_large_communities": (("70", "個", "exact", ""), (70, 70)),
    "csnews2020_whistle_tasks": (("36", "項", "exact", ""), (36, 36)),
    "csnews2020_whistle_tasks_led": (("15", "項", "exact", ""), (15, 15)),
    "digest2022_xinxing_households": (("4455", "户", "exact", ""), (4455, 4455)),
    "digest2022_xinxing_surveyed_households": (("4455", "户", "exact", ""), (4455, 4455)),
    # Zhejiang: 2000多户 (2000 to 3000, the thousands are its last significant digit); rates ±0.05 points.
    "zjworkers2020_caseload_2019": (("2000", "户", "at_least", "多"), (2_000, 3_000)),
    "zjworkers2020_realisation_rate": (("92.9", "%", "exact", ""), (0.9285, 0.9295)),
    "zjworkers2020_satisfaction_rate": (("97.1", "%", "exact", ""), (0.9705, 0.9715)),
    "zjworkers2020_rectified_rate": (("98.4", "%", "exact", ""), (0.9835, 0.9845)),
    "zjworkers2020_follow_up_rate": (("100", "%", "exact", ""), (0.995, 1.005)),
}


def interval(figure_id: str) -> tuple[float, float]:
    """The hand-derived interval of a printed figure (checked against figures.csv first)."""
    printed, derived = PRINTED[figure_id]
    assert_printed(**{figure_id: printed})
    return derived


@pytest.mark.parametrize("figure_id", PRINTED)
def test_each_printed_figure_stands_for_the_interval_worked_out_by_hand(figure_id):
    assert tidy_interval(figure_id) == pytest.approx(interval(figure_id))


# ---------------------------------------------------------------- each seed relation's verdict, by hand


@dataclass(frozen=True)
class Derivation:
    """What a relation's operands give (expected) and what the result is printed as (observed), by hand."""

    expected: tuple[float, float]
    observed: tuple[float, float]
    verdict: str


def lo(figure_id: str) -> float:
    return interval(figure_id)[0]


def hi(figure_id: str) -> float:
    return interval(figure_id)[1]


def seed_derivations() -> dict[str, Derivation]:
    caseload_types = ["bjunion2020_caseload_2019_type_" + t for t in ("dibao", "low_income", "accident")]
    causes = ("low_income", "illness", "disability", "schooling", "unemployment")
    caseload_causes = ["bjunion2020_caseload_2019_cause_" + c for c in causes]
    calls_2021, calls_h1 = "digest2022_calls_2021", "digest2022_calls_h1_2022"
    return {
        # 408 + 56 + 48 = 512, against the printed 512: holds.
        "bj_caseload_2019_types": Derivation(
            (sum(lo(p) for p in caseload_types), sum(hi(p) for p in caseload_types)),
            interval("bjunion2020_caseload_2019"),
            "holds",
        ),
        # 208 + 139 + 94 + 55 + 16 = 512: holds.
        "bj_caseload_2019_causes": Derivation(
            (sum(lo(p) for p in caseload_causes), sum(hi(p) for p in caseload_causes)),
            interval("bjunion2020_caseload_2019"),
            "holds",
        ),
        # 2253万 / 1486万: 22,525,000 / 14,865,000 = 1.5153 to 22,535,000 / 14,855,000 = 1.5170, within 1.45..1.55.
        "bj_12345_h1_2022_vs_2021": Derivation(
            (lo(calls_h1) / hi(calls_2021), hi(calls_h1) / lo(calls_2021)),
            interval("digest2022_calls_ratio"),
            "holds",
        ),
        # 2021 + 2022 H1 = 37,380,000 to 37,400,000, at most the 64,000,000 to 65,000,000 of 6400余万: holds.
        "bj_12345_cumulative_covers_periods": Derivation(
            (lo(calls_2021) + lo(calls_h1), hi(calls_2021) + hi(calls_h1)),
            interval("digest2022_calls_cumulative"),
            "holds",
        ),
        # 1至5 per village allows 1 to 5; 1508 agents / 316 villages = 4.772: holds.
        "huairou_agents_per_village": Derivation(
            (lo("bjunion2019_huairou_agents_per_village_min"), hi("bjunion2019_huairou_agents_per_village_max")),
            (1508 / 316, 1508 / 316),
            "holds",
        ),
        # One online agent per village: 316 × 1 = 316, but 896 are printed: fails by 896 − 316 = 580.
        "huairou_one_online_agent_per_village": Derivation((316 * 1, 316 * 1), (896, 896), "fails"),
        # 896 online agents are among the 1508 agents: 896 <= 1508, holds (the whole bounds each part above).
        "huairou_online_agents_among_agents": Derivation((-INF, 1508), (896, 896), "holds"),
        # 101个 and 101项, the same list printed twice: holds.
        "huairou_items_printed_twice": Derivation((101, 101), (101, 101), "holds"),
        # 5 + 1 = 6 claimants: holds.
        "chaoyang_claimants_by_condition": Derivation((5 + 1, 5 + 1), (6, 6), "holds"),
        # 3万元到7万元 each allows 30,000 to 75,000; 30万元 / 6 = 295,000 / 6 = 49,167 to 305,000 / 6 = 50,833: holds.
        "chaoyang_payout_per_claimant": Derivation(
            (lo("bjunion2019_chaoyang_payout_min"), hi("bjunion2019_chaoyang_payout_max")),
            (lo("bjunion2019_chaoyang_payout_total") / 6, hi("bjunion2019_chaoyang_payout_total") / 6),
            "holds",
        ),
        # 80多万 / 2100多万 = 800,000 / 22,000,000 = 3.64% to 900,000 / 21,000,000 = 4.29%; printed 4.1% (4.05 to
        # 4.15): holds.
        "bj_minority_share_of_population": Derivation(
            (80 * WAN / (2200 * WAN), 90 * WAN / (2100 * WAN)), interval("bjunion2020_minority_share"), "holds"
        ),
        # 5萬多 (50,000 to 60,000) residents within 近10萬 (90,000 to 100,000) persons: holds.
        "bj_institution_residents_within_persons": Derivation(
            (-INF, hi("csnews2020_zero_infection_persons")), interval("csnews2020_institution_residents"), "holds"
        ),
        # 3000多 (3,000 to 4,000) urban communities within 7000多 (7,000 to 8,000) supported: holds.
        "bj_communities_within_supported": Derivation(
            (-INF, hi("csnews2020_communities_supported")), interval("csnews2020_communities"), "holds"
        ),
        # 15 tasks led within 36 tasks: holds.
        "bj_whistle_tasks_led": Derivation((-INF, 36), (15, 15), "holds"),
        # 4455 households, 4455 surveyed: holds.
        "xinxing_households_surveyed": Derivation((4455, 4455), (4455, 4455), "holds"),
    }


SEED_RELATIONS = list(seed_derivations())


def evaluation(relation_id: str) -> audit.Evaluation:
    relations = pd.read_csv(paths.RELATIONS_CSV, dtype=str, keep_default_na=False).set_index("relation_id")
    relation = relations.loc[relation_id]
    return audit.EVALUATORS[relation["kind"]](
        audit.Figures(tidy_figures()), relation["result"], relation["operands"].split()
    )


@pytest.mark.parametrize("relation_id", SEED_RELATIONS)
def test_each_seed_relation_gives_the_verdict_worked_out_by_hand(relation_id):
    derived = seed_derivations()[relation_id]
    engine = evaluation(relation_id)
    assert (engine.expected.low, engine.expected.high) == pytest.approx(derived.expected)
    assert (engine.observed.low, engine.observed.high) == pytest.approx(derived.observed)
    stored = load_audit().set_index("relation_id")
    assert stored.at[relation_id, "verdict"] == derived.verdict
    assert engine.verdict == derived.verdict


def test_the_failing_seed_relation_says_by_how_much_by_hand():
    # 896 printed online agents − 316 villages × 1 = 580.
    assert (
        "off by at least 580"
        in load_audit().set_index("relation_id").at["huairou_one_online_agent_per_village", "explanation"]
    )


def test_the_cumulative_calls_leave_a_remainder_worked_out_by_hand():
    # 6400余万 − (2021 + 2022 H1): 64,000,000 − 37,400,000 = 26,600,000 to 65,000,000 − 37,380,000 = 27,620,000.
    explanation = load_audit().set_index("relation_id").at["bj_12345_cumulative_covers_periods", "explanation"]
    assert f"leaving {64_000_000 - 37_400_000:,} to {65_000_000 - 37_380_000:,}" in explanation


def test_the_derived_identity_on_the_seed_pages_holds_by_hand():
    # 70 large communities (exact) are part of the 3000多 (3,000 to 4,000) urban communities: 70 <= 4,000, holds.
    derived = load_processed("audit_derived").set_index("relation_id")
    row = derived.loc["derived_part_of_csnews2020_communities_community_size"]
    assert row["figures"].split() == ["csnews2020_communities", "csnews2020_large_communities"]
    assert interval("csnews2020_large_communities")[1] <= interval("csnews2020_communities")[1]
    assert row["verdict"] == "holds"


def test_every_seed_verdict_is_counted_once_in_the_summary():
    # The summary's counts are the verdicts of the relations, each counted once: holds + fails + derived = all.
    stored = load_audit()
    counts = audit.verdict_counts(stored)
    assert sum(counts.values()) == len(stored)
    hand = [d.verdict for d in seed_derivations().values()]
    seeded = stored[stored["relation_id"].isin(SEED_RELATIONS)]
    assert sorted(seeded["verdict"]) == sorted(hand)


# ---------------------------------------------------------------- headline numbers, by hand


def results(name: str) -> dict | None:
    """A report's results JSON where the reports are built (`make reports`), else None."""
    path = paths.ROOT / "reports" / "results" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def key_values(key_numbers) -> dict[str, float]:
    return {k.key: k.value for k in key_numbers}


def assert_in_results(report: str, key: str, value: float) -> None:
    """The built report's results JSON (if built) states the same key number."""
    built = results(report)
    if built is None:
        return
    by_key = {k["key"]: k["value"] for k in built["key_numbers"]}
    assert by_key[key] == pytest.approx(value, rel=1e-12), (report, key)


# Beijing's caseload: 6656 households on 2016-10-31, 512 on 2019-11-21.
N0, N1 = 6656, 512
# 2016-10-31 to 2019-10-31 is three years of 365 days (no 29 February inside), then 21 days of November.
DAYS = 3 * 365 + 21
YEARS = DAYS / 365.25  # 3.0554 years


def meaning() -> Meaning:
    return Meaning.from_tables(load_processed("indicators"), load_processed("breakdowns"))


def gross_rate(inflow: float) -> float:
    """The λ at which N1 = I/λ + (N0 − I/λ)·e^(−λt): bisection, written out."""

    def stock_at_end(rate: float) -> float:
        return inflow / rate + (N0 - inflow / rate) * math.exp(-rate * YEARS)

    low, high = 1e-9, 50.0  # the stock at the end falls as the hazard rises
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (middle, high) if stock_at_end(middle) > N1 else (low, middle)
    return (low + high) / 2


def test_beijing_caseload_headline_numbers_by_hand():
    assert_printed(
        bjunion2020_caseload_2016=("6656", "户", "exact", ""), bjunion2020_caseload_2019=("512", "户", "exact", "")
    )
    assert (date(2019, 11, 21) - date(2016, 10, 31)).days == DAYS == 1116
    assert N0 == 13 * N1  # 6656 = 13 × 512: at most 1/13 of the first households remain, 12/13 fell away
    rate = math.log(13) / YEARS  # ln 13 / 3.0554 = 2.5649 / 3.0554 = 0.8395 a year
    assert rate == pytest.approx(0.8395, abs=5e-5)
    # The inflow range tops out at 600 a year for Beijing (the 1-2-5 grid near N1 / 2t = 84: 0, 100, ..., 600).
    top = gross_rate(600)
    hand = {
        "net_decline_2019-11-21": (N0 - N1, N0 - N1, N0 - N1),  # 6,144 households, exact
        "still_on_file_at_most_2019-11-21": (1 / 13,) * 3,  # entrants only add to N1: at most 512/6656 remain
        "exit_probability_at_least_2019-11-21": (1 - math.exp(-rate),) * 3,  # 1 − 13^(−1/3.0554) = 0.568
        "exits_a_year_at_least_2019-11-21": ((N0 - N1) / YEARS,) * 3,  # 6,144 / 3.0554 = 2,010.8
        # No inflow is printed: a range over the assumed inflows, from none (the net bound) to 600 a year.
        "gross_exit_probability_over_assumed_inflows_2019-11-21": (None, 1 - math.exp(-rate), 1 - math.exp(-top)),
        # At 600 a year, the first cohort's survivors N0·e^(−λt) are the end stock's non-entrants.
        "entrant_share_over_assumed_inflows_2019-11-21": (None, 0.0, 1 - N0 * math.exp(-top * YEARS) / N1),
        "largest_household_type_2019-11-21": (408 / 512,) * 3,  # 低保户 408 of the 512 households: 0.797
        "largest_main_cause_2019-11-21": (208 / 512,) * 3,  # 家庭收入低 208 of 512: 0.406
    }
    analysis = poverty.analyse(load_processed("poverty_caseload"), "Beijing", load_audit(), meaning())
    got = {k.key: k for k in analysis.key_numbers}
    for key, (value, low, high) in hand.items():
        if value is None:
            assert got[key].value is None, key
        else:
            assert got[key].value == pytest.approx(value, rel=1e-9), key
            assert_in_results("poverty_exit_beijing", key, value)
        assert (got[key].low, got[key].high) == (pytest.approx(low, abs=1e-9), pytest.approx(high, rel=1e-6)), key
    text = analysis.findings[0].text
    # A lower bound is rounded down: 2,010.8 exits a year is 'at least 2,010'.
    assert "1,116 days" in text and "12/13 = 92.3%" in text and "at least 56.8%" in text
    assert (
        f"at least {N0 - N1:,} households left" in text and f"at least {math.floor((N0 - N1) / YEARS):,} a year" in text
    )


def test_zhejiang_caseload_is_one_bound_by_hand():
    # 2000多户: at least 2,000, below 3,000; one total gives no exit rate.
    analysis = poverty.analyse(load_processed("poverty_caseload"), "Zhejiang", load_audit(), meaning())
    (stock,) = [k for k in analysis.key_numbers if k.key == "stock"]
    assert (stock.low, stock.high) == interval("zjworkers2020_caseload_2019") == (2_000, 3_000)


def test_beijing_hotline_headline_numbers_by_hand():
    calls_2021, calls_h1 = 1486 * WAN, 2253 * WAN  # 14,860,000 and 22,530,000 calls, as printed
    # Printed to the 万: each is its printed value ± 5,000 calls.
    low_2021, high_2021, low_h1, high_h1 = calls_2021 - 5000, calls_2021 + 5000, calls_h1 - 5000, calls_h1 + 5000
    days_2021 = 365
    days_h1 = 31 + 28 + 31 + 30 + 31 + 30  # January to June 2022: 181 days
    # 6400余万: 64,000,000 to 65,000,000; less the two stated periods, 26,610,000 at the printed values.
    remainder = 6400 * WAN - (calls_2021 + calls_h1)
    remainder_low = 6400 * WAN - (high_2021 + high_h1)  # 26,600,000
    remainder_high = 6500 * WAN - (low_2021 + low_h1)  # 27,620,000
    # The window runs from 2019-01-01 to an end between 2022-06-30 and 2022-08-31: 2019 and 2020 (365 + 366 =
    # 731 days) are uncovered, plus July and August (62 days) if it ends on 2022-08-31.
    uncovered_shortest, uncovered_longest = 365 + 366, 365 + 366 + 31 + 31
    # 2100多万 residents: 21,000,000 to 22,000,000.
    residents_low, residents_high = 2100 * WAN, 2200 * WAN
    hand = {
        "per_day_digest2022_calls_2021": (calls_2021 / days_2021, low_2021 / days_2021, high_2021 / days_2021),
        "per_day_digest2022_calls_h1_2022": (calls_h1 / days_h1, low_h1 / days_h1, high_h1 / days_h1),
        "printed_bj_12345_h1_2022_vs_2021": (calls_h1 / calls_2021, low_h1 / high_2021, high_h1 / low_2021),
        "per_day_bj_12345_h1_2022_vs_2021": (
            (calls_h1 / days_h1) / (calls_2021 / days_2021),  # 3.06
            (low_h1 / days_h1) / (high_2021 / days_2021),
            (high_h1 / days_h1) / (low_2021 / days_2021),
        ),
        "unexplained_digest2022_calls_cumulative": (remainder, remainder_low, remainder_high),
        "per_resident_digest2022_calls_2021": (
            calls_2021 / residents_low,
            low_2021 / residents_high,
            high_2021 / residents_low,
        ),
        "per_resident_digest2022_calls_h1_2022": (
            calls_h1 / residents_low,
            low_h1 / residents_high,
            high_h1 / residents_low,
        ),
    }
    assert (round(calls_2021 / days_2021), round(calls_h1 / days_h1), remainder) == (40_712, 124_475, 26_610_000)
    analysis = hotline.analyse(load_processed("hotline_volume"), "Beijing", load_audit(), meaning())
    got = {k.key: k for k in analysis.key_numbers}
    for key, (value, low, high) in hand.items():
        assert got[key].value == pytest.approx(value, rel=1e-9), key
        assert (got[key].low, got[key].high) == (pytest.approx(low, rel=1e-9), pytest.approx(high, rel=1e-9)), key
        assert_in_results("hotline_growth_beijing", key, value)
    # The remainder a day: its least over the longest uncovered span, its most over the shortest, rounded outward.
    per_day = got["unexplained_per_day_digest2022_calls_cumulative"]
    assert (per_day.low, per_day.high) == (
        math.floor(remainder_low / uncovered_longest),  # 26,600,000 / 793 = 33,543.5
        math.ceil(remainder_high / uncovered_shortest),  # 27,620,000 / 731 = 37,783.9
    )
    remainder_text = next(f.text for f in analysis.findings if "6400余万" in f.text)
    assert (
        f"by {remainder_low:,.0f}–{remainder_high:,.0f} calls: {per_day.low:,}–{per_day.high:,} a day over the "
        f"{uncovered_shortest} to {uncovered_longest} days" in remainder_text
    )


def satisfaction_analysis(region: str):
    return satisfaction.analyse(
        load_processed("service_satisfaction"),
        region,
        load_audit(),
        tidy_figures(),
        earliest_period_ends(load_processed("sources")),
        meaning(),
    )


def test_huairou_service_intensity_by_hand():
    # 2.1万 services: 20,500 to 21,500; 17.8万 farmers: 177,500 to 178,500; the agents and villages are exact.
    services, farmers, villages, agents, online_agents = 2.1 * WAN, 17.8 * WAN, 316, 1508, 896
    services_low, services_high, farmers_low, farmers_high = 20_500, 21_500, 177_500, 178_500
    # The services run from 2018-12-01 to 'now' on a page published between 2019-03-16 and 2019-04-28:
    # December to 16 March is 31 + 31 + 28 + 16 = 106 days, to 28 April 31 + 31 + 28 + 31 + 28 = 149 days.
    month = 365.25 / 12
    hand = {
        "services_per_farmers_covered": (  # per 1,000 farmers: 118.0, 114.8 to 121.1
            1000 * services / farmers,
            1000 * services_low / farmers_high,
            1000 * services_high / farmers_low,
        ),
        "services_per_administrative_villages": (
            services / villages,
            services_low / villages,
            services_high / villages,
        ),
        "services_per_village_agents": (services / agents, services_low / agents, services_high / agents),
        "services_per_online_agents": (
            services / online_agents,
            services_low / online_agents,
            services_high / online_agents,
        ),
        # The slowest (fewest services over the longest period) to the fastest; the value at the recorded end.
        "services_per_month": (services / 149 * month, services_low / 149 * month, services_high / 106 * month),
    }
    got = {k.key: k for k in satisfaction_analysis("Beijing:Huairou").key_numbers}
    for key, (value, low, high) in hand.items():
        assert got[key].value == pytest.approx(value, rel=1e-9), key
        assert (got[key].low, got[key].high) == (pytest.approx(low, rel=1e-9), pytest.approx(high, rel=1e-9)), key
        assert_in_results("service_satisfaction_beijing_huairou", key, value)
    assert got["services_per_month"].display == f"{services_low / 149 * month:,.0f}–{services_high / 106 * month:,.0f}"


Z = 1.959963984540054  # the 97.5% point of the standard normal


def wilson_low(successes: int, n: int) -> float:
    """The Wilson score interval's lower end, the formula written out."""
    p = successes / n
    centre = p + Z**2 / (2 * n)
    spread = Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2))
    return (centre - spread) / (1 + Z**2 / n)


def n_from_which_it_always_holds(rate: float, threshold: float, decimals: int, search: int = 20_000) -> int:
    """One more than the last n (up to `search`) at which some count k whose k/n prints as the rate (within half a
    last printed digit, in exact fractions) has its lower end not above the threshold: from there on the criterion
    holds for every n searched and every count that prints the rate."""
    half = Fraction(1, 2 * 10 ** (decimals + 2))
    low, high = Fraction(str(rate)) - half, Fraction(str(rate)) + half
    failing = [
        n
        for n in range(1, search)
        if any(wilson_low(k, n) <= threshold for k in range(math.ceil(low * n), math.floor(high * n) + 1))
    ]
    return failing[-1] + 1


def smallest_printable_n(rate: float, decimals: int) -> int:
    """The least n with some whole k whose k/n prints as the rate at its printed decimals (half up)."""
    half = 0.5 * 10 ** -(decimals + 2)
    return next(n for n in range(1, 100_000) if any(rate - half <= k / n < rate + half for k in range(n + 1)))


def test_zhejiang_rates_need_these_n_by_hand():
    # A rate below 100%: within 1 point for every larger n and every count that prints the rate. 92.9% printed is
    # 92.85%..92.95%, and the worst count is the least, ⌈0.9285 n⌉. At the count nearest 92.9% alone the criterion
    # last failed at 2,951 (so 2,952 was given); at the least printing count it still fails at 3,161 (2,935 of
    # 3,161 = 92.850%, lower end 91.8996%), so n needed is 3,162; the continuous bound, (0.9285 − 0.919)² >
    # z²·0.919·0.081/n from n = 3,169, says no later n fails.
    assert wilson_low(round(0.929 * 2951), 2951) <= 0.919 < wilson_low(round(0.929 * 3161), 3161)
    assert math.ceil(0.9285 * 3161) == 2935 and wilson_low(2935, 3161) <= 0.919
    assert Z**2 * 0.919 * 0.081 / (0.9285 - 0.919) ** 2 == pytest.approx(3168.5, abs=0.5)
    estimates = {
        "zjworkers2020_realisation_rate": ("92.9%", 0.929),
        "zjworkers2020_satisfaction_rate": ("97.1%", 0.971),
    }
    texts = {f.figure_ids[0]: f.text for f in satisfaction_analysis("Zhejiang").findings if f.figure_ids}
    for figure_id, (printed, rate) in estimates.items():
        n = n_from_which_it_always_holds(rate, rate - 0.01, decimals=1)
        assert f"{printed}, n not reported" in texts[figure_id]
        assert f"for every n ≥ {n:,}" in texts[figure_id], (figure_id, n)
        assert f"printing {printed} at all needs n ≥ {smallest_printable_n(rate, 1)}" in texts[figure_id]
    assert n_from_which_it_always_holds(0.929, 0.919, decimals=1) == 3162
    # 98.4% rectified is declared a census share: no sampling interval, only its printed rounding.
    rectified = texts["zjworkers2020_rectified_rate"]
    assert "no sampling interval" in rectified and "98.35%–98.45%" in rectified
    assert f"needs n ≥ {smallest_printable_n(0.984, 1)}" in rectified  # 60/61 = 98.36%
    # 100%: the exact one-sided lower bound of n successes in n is 0.05^(1/n), above 95% from
    # n > ln 0.05 / ln 0.95 = 58.4, so n = 59; the page's 201余万 evaluations bound n above.
    assert math.log(0.05) / math.log(0.95) == pytest.approx(58.40, abs=0.01)
    follow_up = texts["zjworkers2020_follow_up_rate"]
    assert "100%, n not reported, at most 2,020,000" in follow_up
    assert f"for every n ≥ {math.ceil(math.log(0.05) / math.log(0.95))}" in follow_up


def test_the_audit_summary_counts_by_hand():
    # Counted from data/raw itself, not from the code: figures, sources, relations and the printed bounds.
    figures = list(printed_figures().values())
    with open(paths.RELATIONS_CSV, encoding="utf-8", newline="") as handle:
        relations = list(csv.DictReader(handle))
    bounds = sum(1 for f in figures if f["qualifier"] != "exact")
    sources = len({f["source_id"] for f in figures})
    stored = load_audit()
    counts = audit.verdict_counts(stored)
    from analysis.topics.audit import audit_findings

    findings, key_numbers = audit_findings(tidy_figures(), stored)
    by_key = key_values(key_numbers)
    assert by_key["figures"] == len(figures) and by_key["bounds"] == bounds
    assert by_key["relations"] == len(relations) - counts["derived"]
    assert by_key["failing"] == counts["fails"]
    assert findings[0].text.startswith(f"{len(figures)} figures from {sources} sources; of {len(relations)} relations")
    built = results("data_audit")
    if built is not None:
        assert {k["key"]: k["value"] for k in built["key_numbers"]}["figures"] == len(figures)

"""Survival functions on cases small enough to compute by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from analysis.records import registry_synthetic
from analysis.topics import survival


def test_kaplan_meier_with_left_truncation_by_hand():
    # (entry, time, exited): A (0, 2, 1), B (0, 3, 0), C (1.5, 4, 1), D (2.5, 5, 1).
    # t=2: at risk A, B, C (D enters at 2.5) -> 1 - 1/3 = 2/3.
    # t=4: at risk C, D (B censored at 3)     -> 2/3 * (1 - 1/2) = 1/3.
    # t=5: at risk D                          -> 0.
    spells = pd.DataFrame({"entry": [0, 0, 1.5, 2.5], "time": [2.0, 3, 4, 5], "exited": [1, 0, 1, 1]})
    curve = survival.kaplan_meier(spells)
    assert list(curve["time"]) == [2, 4, 5]
    assert list(curve["at_risk"]) == [3, 2, 1]
    assert curve["still_on_file"].to_numpy() == pytest.approx([2 / 3, 1 / 3, 0])
    # Ignoring the late entries would count D at risk at t=2 and give 3/4 instead.
    naive = survival.kaplan_meier(spells.assign(entry=0.0))
    assert naive["still_on_file"].iloc[0] == pytest.approx(3 / 4)


def test_band_contains_the_estimate():
    spells = pd.DataFrame(
        {"entry": np.zeros(30), "time": np.arange(1, 31, dtype=float), "exited": np.tile([1, 0, 1], 10)}
    )
    curve = survival.kaplan_meier(spells).iloc[:-1]
    assert ((curve["low"] <= curve["still_on_file"]) & (curve["still_on_file"] <= curve["high"])).all()


def test_survival_spells_truncate_and_censor():
    frame = pd.DataFrame(
        {
            "household_id": ["HH-000001", "HH-000002"],
            "entry_date": ["2016-10-21", "2017-01-01"],
            "exit_date": ["2017-10-21", ""],
        }
    )
    spells = survival.survival_spells(frame, "2016-10-31", "2019-11-21").reset_index(drop=True)
    assert spells.loc[0, "entry"] == pytest.approx(10 / 365.25)  # on file 10 days before observation began
    assert spells.loc[0, "time"] == pytest.approx(365 / 365.25) and spells.loc[0, "exited"] == 1
    assert spells.loc[1, "entry"] == 0 and spells.loc[1, "exited"] == 0
    assert spells.loc[1, "time"] == pytest.approx(
        (pd.Timestamp("2019-11-21") - pd.Timestamp("2017-01-01")).days / 365.25
    )


def test_reentry_share_and_gap_by_hand():
    frame = pd.DataFrame(
        {
            "household_id": ["HH-000001", "HH-000001", "HH-000002", "HH-000003"],
            "entry_date": ["2016-01-01", "2017-07-01", "2016-01-01", "2016-01-01"],
            "exit_date": ["2017-01-01", "", "2017-01-01", ""],
        }
    )
    result = survival.reentry(frame)
    assert result["households_left"] == 2 and result["households_returned"] == 1
    assert result["share_returned"] == 0.5
    assert result["median_years_to_return"] == pytest.approx(181 / 365.25)


def test_logrank_sees_no_difference_between_identical_groups():
    spells = pd.DataFrame(
        {
            "entry": np.zeros(40),
            "time": np.tile(np.arange(1, 21, dtype=float), 2),
            "exited": np.ones(40, dtype=int),
            "group": ["a"] * 20 + ["b"] * 20,
        }
    )
    chi2, pvalue, dof = survival.logrank(spells, "group")
    assert chi2 == pytest.approx(0, abs=1e-9) and pvalue == pytest.approx(1) and dof == 1


def test_the_published_comparison_hides_a_small_part_and_one_more():
    check = pd.DataFrame(
        {
            "figure_id": ["t16", "t19", "c1", "c2", "c3", "h1", "h2"],
            "date": ["2016-10-31"] + ["2019-11-21"] * 6,
            "breakdown": ["total", "total", "cause=a", "cause=b", "cause=c", "type=p", "type=q"],
            "published": [700, 100, 16, 30, 54, 60, 40],
            "registry": [690, 87, 3, 30, 54, 50, 37],
            "matches": [False, False, False, True, True, False, False],
        }
    )
    shown = survival.published_check_shown(check)
    # Cause parts 3 + 30 + 54 = 87 = the 2019 total: 3 < 10 is hidden, and so is the smallest other part (30),
    # else 87 - 30 - 54 = 3. Its 'matches' flag goes too (yes would give 30 back from the published column).
    # Type parts 50 + 37 = 87 are all at least 10: shown.
    assert list(shown["registry"]) == [690, 87, "x", "x", 54, 50, 37]
    assert list(shown["matches"]) == [False, False, "", "", True, False, False]


# ---- return to the file: timed from each exit, censored at the window's end ------------------------------

END = "2020-01-01"


def reentry_fixture() -> pd.DataFrame:
    """Six households (TEST FIXTURE): exits, returns and one exit and one return after the window's end."""
    rows = [
        ("H1", "2018-01-01", "2018-07-01"),  # leaves, back 184 days later, still on file
        ("H1", "2019-01-01", ""),
        ("H2", "2018-01-01", "2018-12-31"),  # leaves, never back: followed 366 days to the end
        ("H3", "2018-01-01", "2019-07-01"),  # leaves, back 92 days later, leaves again 31 days before the end
        ("H3", "2019-10-01", "2019-12-01"),
        ("H4", "2018-01-01", "2019-09-01"),  # leaves, followed 122 days
        ("H5", "2018-01-01", "2020-03-01"),  # leaves after the end: still on file in the window
        ("H6", "2017-01-01", "2017-03-01"),  # leaves, back only after the end: followed 1,036 days, censored
        ("H6", "2020-06-01", ""),
    ]
    return pd.DataFrame(rows, columns=["household_id", "entry_date", "exit_date"])


def test_reentry_spells_time_each_exit_to_the_next_entry_or_the_end():
    spells = survival.reentry_spells(reentry_fixture(), END)
    days = (spells["time"] * 365.25).round().astype(int)
    assert list(zip(spells["household_id"], days, spells["exited"], strict=True)) == [
        ("H1", 184, 1),
        ("H2", 366, 0),
        ("H3", 92, 1),
        ("H3", 31, 0),
        ("H4", 122, 0),
        ("H6", 1036, 0),
    ]


def test_return_incidence_by_hand_against_the_raw_share():
    # Times in days (return = event): 31 c, 92 e, 122 c, 184 e, 366 c, 1036 c.
    # At 92 days 5 exits are followed (all but the 31-day one): S = 4/5. At 184 days 3 are (184, 366, 1036):
    # S = 4/5 * 2/3 = 8/15. Returned within a year: 1 - 8/15 = 7/15; within two years still 7/15.
    incidence = survival.return_incidence(survival.reentry_spells(reentry_fixture(), END), [1, 2])
    assert incidence["returned"].to_numpy() == pytest.approx([7 / 15, 7 / 15])
    assert list(incidence["returns"]) == [2, 2] and list(incidence["followed"]) == [2, 1]
    assert (incidence["low"] <= incidence["returned"]).all() and (incidence["returned"] <= incidence["high"]).all()
    # The raw share at the end: H1 and H3 of the five households that left by then (H1, H2, H3, H4, H6) = 2/5;
    # ignoring the end, H6's return after it would count and H5's exit after it too: 3 of 6.
    assert survival.reentry(reentry_fixture(), END)["share_returned"] == pytest.approx(2 / 5)
    assert survival.reentry(reentry_fixture())["share_returned"] == pytest.approx(3 / 6)


def test_return_incidence_years_default_to_whole_years_still_followed_by_ten():
    # 30 exits, none returning, followed 0.5, 1.5, 2.5 years (10 each): at 1 year 20 are followed, at 2 years
    # 10, at 3 years none -> years 1 and 2.
    spells = pd.DataFrame({"entry": 0.0, "time": np.repeat([0.5, 1.5, 2.5], 10), "exited": 0})
    incidence = survival.return_incidence(spells)
    assert list(incidence["years"]) == [1, 2] and list(incidence["followed"]) == [20, 10]
    assert list(incidence["returned"]) == [0, 0]


def test_a_return_share_on_few_returns_is_not_shown():
    incidence = pd.DataFrame(
        {
            "years": [1, 2, 3],
            "returned": [0.01, 0.05, 0.06],
            "low": 0,
            "high": 1,
            "returns": [4, 12, 15],
            "followed": [500, 300, 9],
        }
    )
    # 4 returns by year 1 (< 10) and 9 exits followed at year 3 (< 10) are small counts: only year 2 is shown.
    assert list(survival.return_incidence_shown(incidence)["years"]) == [2]


# ---- the Cox model: clustered standard errors, contrasts, proportional hazards ---------------------------


def exponential_spells(n: int, ratio: float, seed: int) -> pd.DataFrame:
    """TEST FIXTURE: n households, half in group b whose exit hazard is `ratio` times group a's (rate 1),
    censored at 2 years."""
    rng = np.random.default_rng(seed)
    group = np.where(np.arange(n) % 2 == 0, "a", "b")
    times = rng.exponential(1 / np.where(group == "a", 1.0, ratio))
    return pd.DataFrame(
        {
            "household_id": [f"H{i}" for i in range(n)],
            "group": group,
            "entry": 0.0,
            "time": np.minimum(times, 2.0),
            "exited": (times < 2.0).astype(int),
        }
    )


def test_clustered_errors_see_a_household_counted_twice():
    once = exponential_spells(400, 0.5, seed=1)
    twice = pd.concat([once, once], ignore_index=True)  # each household's spell recorded twice
    ratios = survival.hazard_ratios(twice, {"group": "a"}).iloc[0]
    single = survival.hazard_ratios(once, {"group": "a"}).iloc[0]
    # Counted twice, the naive information doubles, so the naive se shrinks by about 1/sqrt(2); clustering by
    # household gives back about the single-copy se: the ratio clustered / naive is about sqrt(2) = 1.414.
    assert ratios["se"] > ratios["naive_se"]
    assert ratios["se"] / ratios["naive_se"] == pytest.approx(np.sqrt(2), rel=0.03)
    assert ratios["se"] == pytest.approx(single["naive_se"], rel=0.05)
    # Its interval is the clustered one: exp(b +- 1.96 se).
    b = np.log(ratios["hazard_ratio"])
    assert ratios["low"] == pytest.approx(np.exp(b - norm.ppf(0.975) * ratios["se"]))


def test_a_contrast_is_the_model_refitted_against_the_other_level():
    rng = np.random.default_rng(3)
    spells = exponential_spells(600, 1.0, seed=2).assign(group=rng.choice(["a", "b", "c"], 600))
    fit = survival.cox_fit(spells, {"group": "a"})
    pairs = survival.contrasts(fit, "group", "a").set_index(["level", "other"])
    # b against c from the fit against a: exp(beta_b - beta_c), var = var_b + var_c - 2 cov_bc. Refitted with c
    # as the reference, b's hazard ratio and interval are the same numbers.
    refit = survival.hazard_ratios(spells, {"group": "c"}).set_index("term").loc["group=b"]
    assert pairs.loc[("b", "c"), "hazard_ratio"] == pytest.approx(refit["hazard_ratio"], rel=1e-6)
    assert pairs.loc[("b", "c"), "low"] == pytest.approx(refit["low"], rel=1e-4)
    assert pairs.loc[("b", "c"), "high"] == pytest.approx(refit["high"], rel=1e-4)
    assert pairs.loc[("b", "a"), "hazard_ratio"] == pytest.approx(np.exp(fit.params[0]))


def pairs_of(ratios: dict[str, tuple[float, float, float]]) -> pd.DataFrame:
    """TEST FIXTURE: a contrasts table from hazard ratio (estimate, low, high) of each pair 'x>y'; the reverse
    pair is its reciprocal."""
    rows = []
    for pair, (hr, low, high) in ratios.items():
        level, other = pair.split(">")
        rows.append({"level": level, "other": other, "hazard_ratio": hr, "low": low, "high": high})
        rows.append({"level": other, "other": level, "hazard_ratio": 1 / hr, "low": 1 / high, "high": 1 / low})
    return pd.DataFrame(rows)


def test_the_slowest_is_named_only_where_its_interval_against_the_next_excludes_one():
    # d against the others: 0.8 (0.7-0.95) against e, 0.5 against f: d is below both, and even against the
    # next slowest (e, the largest of its ratios) the interval stays below 1.
    separated = pairs_of({"d>e": (0.8, 0.7, 0.95), "d>f": (0.5, 0.4, 0.6), "e>f": (0.6, 0.5, 0.7)})
    tied, decisive = survival.slowest(separated)
    assert tied == ["d"] and decisive["other"] == "e"
    # 0.8 (0.6-1.1) against e includes 1: d and e cannot be told apart.
    overlapping = pairs_of({"d>e": (0.8, 0.6, 1.1), "d>f": (0.5, 0.4, 0.6), "e>f": (0.6, 0.5, 0.7)})
    assert survival.slowest(overlapping)[0] == ["d", "e"]


def test_proportional_hazards_check_passes_proportional_and_fails_crossing_hazards():
    proportional = exponential_spells(800, 0.5, seed=4)
    fit = survival.cox_fit(proportional, {"group": "a"})
    check = survival.proportional_hazards_check(fit).set_index("term")
    assert check.loc["group=b", "p_value"] > 0.05 and check.loc["global", "df"] == 1
    # Group b: no exit in the first year, then a high hazard (rate 3); group a: rate 1 throughout. The hazard
    # ratio b/a is 0 then 3: far from constant.
    rng = np.random.default_rng(5)
    crossing = proportional.copy()
    late = 1 + rng.exponential(1 / 3, len(crossing))
    b = crossing["group"] == "b"
    crossing.loc[b, "time"] = np.minimum(late[b], 2.0)
    crossing.loc[b, "exited"] = (late[b] < 2.0).astype(int)
    check = survival.proportional_hazards_check(survival.cox_fit(crossing, {"group": "a"})).set_index("term")
    assert check.loc["group=b", "p_value"] < 0.001


def test_a_reference_merged_away_is_replaced_by_the_largest_group():
    spells = pd.DataFrame({"household_id": [f"H{i}" for i in range(30)], "cause": ["other causes"] * 12 + ["b"] * 18})
    # The vocabulary's reference 'a' was merged into 'other causes': b (18 households) > other (12) is taken.
    chosen, changed = survival.reference_levels(spells, {"cause": "a"})
    assert chosen == {"cause": "b"} and changed == [("cause", "a", "b")]
    assert survival.reference_levels(spells, {"cause": "other causes"}) == ({"cause": "other causes"}, [])
    # Told to avoid the merged group, b is taken even were the merged group the largest.
    bigger_other = spells.assign(cause=["other causes"] * 20 + ["b"] * 10)
    assert survival.reference_levels(bigger_other, {"cause": "a"}, avoid=("other causes",))[0] == {"cause": "b"}


# ---- the generator's truth is recovered within the intervals ---------------------------------------------


@pytest.fixture(scope="module")
def generated():
    calibration = registry_synthetic.calibration()
    return calibration, registry_synthetic.generate(calibration)


def test_hazard_ratios_recover_what_the_generator_was_built_to_produce(generated):
    calibration, frame = generated
    spells = survival.survival_spells(frame, calibration.start, calibration.end)
    reference = calibration.main_causes[0]  # synthetic.yml: the first main cause is the reference
    ratios = survival.hazard_ratios(spells, {"main_cause": reference}).set_index("term")
    for cause in calibration.main_causes[1:]:
        built = calibration.exit_hazard[cause] / calibration.exit_hazard[reference]  # e.g. 0.45 / 0.95 = 0.474
        row = ratios.loc[f"main_cause={cause}"]
        assert row["low"] <= built <= row["high"], (cause, built, row.to_dict())


def test_return_incidence_recovers_the_generators_return_probability(generated):
    calibration, frame = generated
    spells = survival.reentry_spells(frame, calibration.end)
    # The generator sends back a share p of first exits after 2 days plus an exponential gap of mean m years,
    # and drops a return that would fall after the end (that is censoring): by year t, p (1 - exp(-(t - 2d)/m)).
    # Second spells never return, so only first exits are timed against that.
    first = survival.return_incidence(spells[spells["spell_number"] == 1], [1, 2])
    p, m = calibration.reentry_probability, calibration.reentry_mean_years
    for row in first.itertuples():
        built = p * (1 - np.exp(-(row.years - 2 / 365.25) / m))  # 0.08 (1 - e^-0.9945) = 0.0504 at a year
        assert row.low <= built <= row.high, (row, built)


# ---- the findings -------------------------------------------------------------------------------------------


def registry_findings_in(lang: str, returned: int = 62, tied: bool = False):
    """The registry's findings on a small fixed result (TEST FIXTURES, not a fitted registry), in `lang`."""
    from analysis import language

    ratios = pd.DataFrame(
        {
            "term": ["main_cause=大病", "main_cause=残疾", "household_type=低保户"],
            "hazard_ratio": [0.47, 0.384, 0.9],
            "low": [0.42, 0.331, 0.8],
            "high": [0.52, 0.446, 1.0],
        }
    )
    between = (0.817, 0.68, 1.04) if tied else (0.817, 0.68, 0.98)
    pairs = pairs_of(
        {"残疾>大病": between, "残疾>家庭收入低": (0.384, 0.331, 0.446), "大病>家庭收入低": (0.47, 0.42, 0.52)}
    )
    check = pd.DataFrame(
        {
            "term": ["main_cause=大病", "main_cause=残疾", "global"],
            "chi2": [1.0, 20.0, 21.0],
            "df": [1, 1, 2],
            "p_value": [0.32, 0.00001, 0.00003],
        }
    )
    returns = {"households_left": 1000, "households_returned": returned, "share_returned": returned / 1000}
    incidence = pd.DataFrame(
        {
            "years": [1, 2],
            "returned": [0.0456, 0.063],
            "low": [0.0406, 0.0569],
            "high": [0.0506, 0.069],
            "returns": [40, 55],
            "followed": [700, 400],
        }
    )
    with language.using(lang):
        return survival.registry_findings(
            ratios, pairs, check, survival.reentry_shown(returns), incidence, "SYNTHETIC · "
        )


def test_registry_findings_rest_on_the_registry_not_on_published_figures():
    findings, key_numbers = registry_findings_in("en")
    # 残疾 is below every other cause (0.817 against 大病, 0.384 against 家庭收入低); against the next slowest,
    # 大病, its interval 0.68-0.98 stays below 1, so it is named, with that ratio (two decimals: 0.82, 0.68-0.98).
    # Proportional hazards: 残疾's p = 0.00001 < 0.05, 大病's 0.32 is not; global 0.00003 < 0.001.
    # Return: 62 of 1,000; 4.56% (4.06-5.06%) and 6.3% (5.69-6.9%) to one decimal.
    assert [f.text for f in findings] == [
        "SYNTHETIC · Households whose main cause is 残疾 leave the file most slowly: their exit hazard is 0.82 "
        "(0.68–0.98) times that of 大病, the next slowest cause (Cox model, 95% interval, standard errors clustered "
        "by household).",
        "SYNTHETIC · A proportional-hazards check (Grambsch–Therneau test of the Schoenfeld residuals against the "
        "rank of exit time) finds the effect of 残疾 changing with time on file (p < 0.05; global p < 0.001): for "
        "these, a hazard ratio is an average over time on file, not a constant.",
        "SYNTHETIC · 62 of 1,000 households that left came back to the file within the observation window; counted "
        "from each exit and censored at the window's end (Kaplan–Meier), the share of exits followed by a return "
        "is 4.6% (4.1%–5.1%) by year 1, 6.3% (5.7%–6.9%) by year 2.",
    ]
    # No published figure is cited: the report names its data set (ReportOutputs.write_results(dataset=...)).
    assert all(f.figure_ids == () for f in findings) and all(k.figure_ids == () for k in key_numbers)
    # Reproducing the published stocks is the generator's calibration (tests/test_registry.py), not a finding.
    assert not any("reproduces" in f.text for f in findings)
    assert [k.key for k in key_numbers] == [
        "hr_slowest_against_next",
        "hr_main_cause=大病",
        "hr_main_cause=残疾",
        "returned_within_1y",
        "returned_within_2y",
    ]
    assert key_numbers[0].display == "0.82 (0.68–0.98)" and key_numbers[1].display == "0.47 (0.42–0.52)"
    assert (key_numbers[3].value, key_numbers[3].low, key_numbers[3].high) == (0.0456, 0.0406, 0.0506)


def test_causes_whose_intervals_overlap_are_not_ranked():
    findings, _ = registry_findings_in("en", tied=True)
    # 0.817 (0.68-1.04) includes 1: 残疾 and 大病 cannot be told apart, and no cause is called slowest.
    assert findings[0].text == (
        "SYNTHETIC · Which main cause leaves the file most slowly cannot be told apart among 残疾, 大病: the exit "
        "hazard of 残疾, the lowest estimate, is 0.82 (0.68–1.04) times that of 大病, an interval that includes 1 "
        "(Cox model, 95% interval, standard errors clustered by household)."
    )
    assert not any("most slowly:" in f.text for f in findings)


def test_a_suppressed_return_count_gives_no_return_finding():
    # 7 of 1,000 came back: 7 < 10 is hidden, and 993 who did not is hidden with it (else 1,000 - 993 = 7).
    shown = survival.reentry_shown({"households_left": 1000, "households_returned": 7, "share_returned": 0.007})
    assert shown["households_returned"] == "x" and shown["households_left"] == 1000
    assert np.isnan(shown["share_returned"]) and np.isnan(shown["median_years_to_return"])
    findings, key_numbers = registry_findings_in("en", returned=7)
    assert len(findings) == 2 and not any("came back" in f.text for f in findings)
    assert not any(k.key.startswith("returned") for k in key_numbers)
    # 995 of 1,000 came back: the 5 who did not would be 1,000 - 995, so the return count is hidden too.
    shown = survival.reentry_shown({"households_left": 1000, "households_returned": 995, "share_returned": 0.995})
    assert shown["households_returned"] == "x"


def test_registry_findings_in_chinese_carry_the_same_numbers_and_keys():
    from test_satisfaction import assert_same_in_chinese

    english, english_keys = registry_findings_in("en")
    chinese, chinese_keys = registry_findings_in("zh")
    assert [f.figure_ids for f in english] == [f.figure_ids for f in chinese]
    english, chinese = [f.text for f in english], [f.text for f in chinese]
    assert_same_in_chinese(english, chinese)
    assert_same_in_chinese([k.label for k in english_keys], [k.label for k in chinese_keys])
    assert all(f.startswith("SYNTHETIC") for f in chinese)  # the mark stays as it is in every language
    assert chinese[0] == (
        "SYNTHETIC · 主要致困原因为残疾的家庭出档最慢：其出档风险为次慢的大病的0.82（0.68–0.98）倍"
        "（Cox模型，95%置信区间，标准误按家庭聚类）。"
    )
    assert [(k.key, k.value, k.figure_ids) for k in english_keys] == [
        (k.key, k.value, k.figure_ids) for k in chinese_keys
    ]
    assert chinese_keys[1].display == "0.47（0.42–0.52）"


def test_a_replaced_reference_is_said_in_words():
    from analysis import language

    with language.using("en"):
        (note,) = survival.reference_notes([("main_cause", "a", "b")])
    assert note == (
        "The reference level of main_cause named by the vocabulary, a, was merged by the disclosure gate (a group of "
        "fewer than ten households is not estimated on its own); the largest remaining group, b, is the reference "
        "instead."
    )


def test_no_exit_gives_an_empty_return_curve_and_one_level_no_ranking():
    empty = survival.reentry_spells(reentry_fixture().assign(exit_date=""), END)
    assert survival.return_incidence(empty).empty
    spells = exponential_spells(50, 1.0, seed=6).assign(group="a", other=lambda f: f["household_id"].str[-1:] > "4")
    fit = survival.cox_fit(spells.assign(other=spells["other"].map({True: "y", False: "n"})), {"other": "n"})
    assert survival.contrasts(fit, "group", "a").empty


# TEST FIXTURE: twelve exits, followed from the exit to the household's next entry (exited=1) or to the end of the
# window (censored). Returns at 0.5 and 1.0 years, one follow-up censored at 1.2, nine more that reach 2.0 to 6.0.
RETURN_FIXTURE = pd.DataFrame(
    {
        "household_id": [f"T{i:02d}" for i in range(12)],
        "entry": 0.0,
        "time": [0.5, 1.0, 1.2, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0],
        "exited": [1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    }
)


def test_the_plotted_return_curve_is_a_hand_kaplan_meier_stopped_where_fewer_than_ten_are_followed():
    from analysis.charts.survival import return_curve_chart
    from analysis.records.privacy import MIN_CELL

    assert MIN_CELL == 10  # the stop below is derived for a threshold of ten
    curve, stop = survival.return_curve(RETURN_FIXTURE)
    # By hand: at 0.5, 12 followed, 1 returns: S = 11/12, returned 1/12. At 1.0, 11 followed, 1 returns:
    # S = 11/12 * 10/11 = 10/12, returned 2/12. At 1.2 one is censored: 9 remain followed after it, fewer than
    # ten, so the curve stops at 1.2 (the tenth-longest follow-up), and the return at 2.0 (on 9) is not shown.
    assert stop == 1.2
    assert list(curve["time"]) == [0.0, 0.5, 1.0]
    assert curve["returned"].to_numpy() == pytest.approx([0, 1 / 12, 2 / 12])
    assert (curve["at_risk"] >= MIN_CELL).all()
    # The band is Greenwood's on the log scale: se(S)/S = sqrt(sum d / (n (n - d))), S·exp(±z se/S), as returns.
    z = norm.ppf(0.975)
    spread = np.exp(z * np.sqrt([1 / (12 * 11), 1 / (12 * 11) + 1 / (11 * 10)]))
    s = np.array([11 / 12, 10 / 12])
    assert curve["low"].to_numpy()[1:] == pytest.approx(1 - np.minimum(1, s * spread))
    assert curve["high"].to_numpy()[1:] == pytest.approx(1 - s / spread)
    # What the chart draws is that curve, held flat to the stop and no further.
    fig = return_curve_chart(curve, stop, "SYNTHETIC ", "en")
    ax = fig.axes[0]
    line = ax.lines[0]
    assert list(line.get_xdata()) == [0.0, 0.5, 1.0, 1.2]
    assert line.get_ydata() == pytest.approx([0, 1 / 12, 2 / 12, 2 / 12])
    assert ax.get_xlim() == (0.0, 1.2)
    assert ax.get_title() == "SYNTHETIC Return to the hardship file after an exit (Kaplan–Meier)"
    assert ax.get_xlabel() == "Years since the exit"


def test_fewer_exits_than_the_threshold_give_no_return_curve():
    curve, stop = survival.return_curve(RETURN_FIXTURE.iloc[:9])
    assert curve.empty and np.isnan(stop)


def test_the_return_curve_renders_its_chinese_labels_with_the_bundled_font(tmp_path):
    import warnings

    from analysis.charts.style import add_source_line, glyph_warnings, save_figure
    from analysis.charts.survival import return_curve_chart

    curve, stop = survival.return_curve(RETURN_FIXTURE)
    fig = return_curve_chart(curve, stop, "SYNTHETIC ", "zh")
    add_source_line(fig, "SYNTHETIC 困难职工档案", "zh")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        save_figure(fig, tmp_path / "return_curve")
    assert glyph_warnings(str(w.message) for w in caught) == []
    assert fig.axes[0].get_xlabel() == "出档后年数"

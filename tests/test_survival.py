"""Survival functions on cases small enough to compute by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

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


def test_hazard_ratios_recover_what_the_generator_was_built_to_produce():
    calibration = registry_synthetic.calibration()
    spells = survival.survival_spells(registry_synthetic.generate(calibration), calibration.start, calibration.end)
    ratios = survival.hazard_ratios(spells, {"main_cause": "家庭收入低"}).set_index("term")
    for cause in ("大病", "残疾", "子女上学", "下岗失业"):
        built = calibration.exit_hazard[cause] / calibration.exit_hazard["家庭收入低"]
        row = ratios.loc[f"main_cause={cause}"]
        assert row["low"] <= built <= row["high"], (cause, built, row.to_dict())


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


def registry_findings_in(lang: str, returned: int = 62):
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
    returns = {"households_left": 1000, "households_returned": returned, "share_returned": returned / 1000}
    with language.using(lang):
        return survival.registry_findings(ratios, survival.reentry_shown(returns), "SYNTHETIC · ")


def test_registry_findings_rest_on_the_registry_not_on_published_figures():
    findings, key_numbers = registry_findings_in("en")
    # The slowest cause is the smallest hazard ratio among main causes: 0.384 (残疾) < 0.47 (大病), shown to
    # two decimals with its interval 0.331-0.446 -> 0.33-0.45; 62 of 1,000 came back: 62 / 1000 = 6.2%.
    assert [f.text for f in findings] == [
        "SYNTHETIC · Households whose main cause is 残疾 leave most slowly: hazard ratio 0.38 "
        "(0.33–0.45) against the reference cause.",
        "SYNTHETIC · 6.2% of households that left came back.",
    ]
    # No published figure is cited: the report names its data set (ReportOutputs.write_results(dataset=...)).
    assert all(f.figure_ids == () for f in findings) and all(k.figure_ids == () for k in key_numbers)
    # Reproducing the published stocks is the generator's calibration (tests/test_registry.py), not a finding.
    assert not any("reproduces" in f.text for f in findings)
    assert [k.key for k in key_numbers] == ["hr_main_cause=大病", "hr_main_cause=残疾", "returned"]
    assert key_numbers[0].display == "0.47 (0.42–0.52)"


def test_a_suppressed_return_count_gives_no_return_finding():
    # 7 of 1,000 came back: 7 < 10 is hidden, and 993 who did not is hidden with it (else 1,000 - 993 = 7).
    shown = survival.reentry_shown({"households_left": 1000, "households_returned": 7, "share_returned": 0.007})
    assert shown["households_returned"] == "x" and shown["households_left"] == 1000
    assert np.isnan(shown["share_returned"]) and np.isnan(shown["median_years_to_return"])
    findings, key_numbers = registry_findings_in("en", returned=7)
    assert len(findings) == 1 and "came back" not in findings[0].text
    assert "returned" not in [k.key for k in key_numbers]
    # 995 of 1,000 came back: the 5 who did not would be 1,000 - 995, so the return count is hidden too.
    shown = survival.reentry_shown({"households_left": 1000, "households_returned": 995, "share_returned": 0.995})
    assert shown["households_returned"] == "x"


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
        "SYNTHETIC · 主要致困原因为残疾的家庭退出最慢：与参照致困原因相比，退出风险比为0.38（95%置信区间0.33–0.45）。"
    )
    assert [(k.key, k.value, k.figure_ids) for k in english_keys] == [
        (k.key, k.value, k.figure_ids) for k in chinese_keys
    ]
    assert chinese_keys[0].display == "0.47（0.42–0.52）"

"""Survival functions on cases small enough to compute by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.records import registry, registry_synthetic
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
    spells = pd.DataFrame({"entry": np.zeros(30), "time": np.arange(1, 31, dtype=float),
                           "exited": np.tile([1, 0, 1], 10)})
    curve = survival.kaplan_meier(spells).iloc[:-1]
    assert ((curve["low"] <= curve["still_on_file"]) & (curve["still_on_file"] <= curve["high"])).all()


def test_survival_spells_truncate_and_censor():
    frame = pd.DataFrame({"household_id": ["HH-000001", "HH-000002"], "entry_date": ["2016-10-21", "2017-01-01"],
                          "exit_date": ["2017-10-21", ""]})
    spells = survival.survival_spells(frame, "2016-10-31", "2019-11-21").reset_index(drop=True)
    assert spells.loc[0, "entry"] == pytest.approx(10 / 365.25)  # on file 10 days before observation began
    assert spells.loc[0, "time"] == pytest.approx(365 / 365.25) and spells.loc[0, "exited"] == 1
    assert spells.loc[1, "entry"] == 0 and spells.loc[1, "exited"] == 0
    assert spells.loc[1, "time"] == pytest.approx((pd.Timestamp("2019-11-21") - pd.Timestamp("2017-01-01")).days / 365.25)


def test_reentry_share_and_gap_by_hand():
    frame = pd.DataFrame({
        "household_id": ["HH-000001", "HH-000001", "HH-000002", "HH-000003"],
        "entry_date": ["2016-01-01", "2017-07-01", "2016-01-01", "2016-01-01"],
        "exit_date": ["2017-01-01", "", "2017-01-01", ""],
    })
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
    spells = pd.DataFrame({"entry": np.zeros(40), "time": np.tile(np.arange(1, 21, dtype=float), 2),
                           "exited": np.ones(40, dtype=int), "group": ["a"] * 20 + ["b"] * 20})
    chi2, pvalue, dof = survival.logrank(spells, "group")
    assert chi2 == pytest.approx(0, abs=1e-9) and pvalue == pytest.approx(1) and dof == 1

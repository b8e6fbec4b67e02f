"""Caseload-exit arithmetic and sentences, each expected value derived by hand, not copied from the code's output.

The seed tests read the two Beijing totals from data/raw/figures.csv; every other shape is a TEST FIXTURE
(region 'Testland', indicators declared in TEST_INDICATORS below, not published figures).
"""

from __future__ import annotations

import csv
import json
import math
import re
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from analysis import calendar, language, paths
from analysis.evidence import tidy
from analysis.evidence.meaning import Meaning
from analysis.topics import poverty
from evidence_fixtures import evidence, processed, row

# ---------------------------------------------------------------- TEST FIXTURES: declared meaning

COLUMNS = ["indicator", "name_en", "name_zh", "kind", "counts", "per", "of", "scope", "reading", "direction"]
TEST_INDICATORS = pd.DataFrame(
    [
        ("households_on_file", "households on file", "在档户数", "stock", "households", "", "", "test_file", "", ""),
        ("persons_on_file", "persons on file", "在档人数", "stock", "persons", "", "", "test_file", "", ""),
        ("exit_rate", "exit rate", "退出率", "rate", "households", "", "households_on_file", "test_file", "census", ""),
        ("households_left", "households that left", "退出户数", "flow", "households", "", "", "test_file", "", ""),
        ("recipients", "recipients", "救助对象", "stock", "persons", "", "", "test_register", "", ""),
        ("persons_added", "persons added", "新增人数", "flow", "persons", "", "persons_on_file", "test_file", "", "in"),
        (
            "persons_exited",
            "persons leaving",
            "退出人数",
            "flow",
            "persons",
            "",
            "persons_on_file",
            "test_file",
            "",
            "out",
        ),
    ],
    columns=COLUMNS,
)
TEST_BREAKDOWNS = pd.DataFrame(
    [
        ("households_on_file", "household_type", "exhaustive", ""),
        ("households_left", "exit_route", "exhaustive", ""),
        ("recipients", "group", "overlapping", ""),
        ("recipients", "district", "partial", ""),
    ],
    columns=["indicator", "breakdown_dimension", "parts", "note"],
)
TEST_MEANING = Meaning.from_tables(TEST_INDICATORS, TEST_BREAKDOWNS)
HOUSEHOLDS = "households_on_file"


def stock(figure_id, printed, date, indicator=HOUSEHOLDS, unit="户", **kw):
    return row(figure_id, "poverty_exit", indicator, printed, unit, date, date, **kw)


def analyse_poverty(rows, relations=()):
    figures, audit = evidence(rows, relations)
    return poverty.analyse(processed(tidy.poverty_caseload(figures)), "Testland", audit, TEST_MEANING)


def texts(a) -> list[str]:
    return [f.text for f in a.findings]


# ---------------------------------------------------------------- the seed: Beijing's two totals, by hand


def seed_totals() -> list[int]:
    with paths.FIGURES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = [
            r
            for r in csv.DictReader(handle)
            if r["topic"] == "poverty_exit" and r["region"] == "Beijing" and not r["breakdown_dimension"]
        ]
    return [int(r["value"]) for r in sorted(rows, key=lambda r: r["period_end"])]


def seed_analysis():
    from analysis.evidence.catalogue import load_audit, load_processed

    meaning = Meaning.from_tables(load_processed("indicators"), load_processed("breakdowns"))
    return poverty.analyse(load_processed("poverty_caseload"), "Beijing", load_audit(), meaning)


def test_the_seed_totals_bound_the_first_cohorts_exits():
    n0, n1 = seed_totals()
    assert (n0, n1) == (6656, 512) and n0 == 13 * n1  # so N1/N0 = 1/13 exactly
    # 2016-10-31 -> 2019-10-31: 365 * 3 = 1095 days (no 29 February in between); then 21 days to 2019-11-21.
    days = 1095 + 21
    t = days / 365.25  # 3.0554 years
    # at most 1/13 still on file; mean annual exit probability at least 1 - (1/13)^(1/t) = 1 - exp(-ln 13 / t)
    least = 1 - math.exp(-math.log(13) / t)  # ln 13 = 2.5649, / 3.0554 = 0.8395, exp(-0.8395) = 0.4319
    assert least == pytest.approx(0.56806, abs=1e-5)
    # at least 6656 - 512 = 6144 exits, 6144 / 3.0554 = 2010.8 a year: a lower bound is shown rounded down
    assert n0 - n1 == 6144 and 6144 / t == pytest.approx(2010.84, abs=0.01)
    a = seed_analysis()
    assert texts(a)[0] == (
        "Beijing's struggling-worker households on file fell from 6,656 to 512 households (2016-10-31 to "
        "2019-11-21, 1,116 days), a net decline of 6,144 (12/13 = 92.3% of the first total). Entrants only add to "
        "the second total, so at most 1/13 = 7.7% of the households on file on 2016-10-31 were still on file on "
        "2019-11-21: their mean annual exit probability was at least 56.8%, and at least 6,144 households left "
        "over the period (at least 2,010 a year)."
    )
    values = {k.key: k for k in a.key_numbers}
    assert values["still_on_file_at_most_2019-11-21"].value == pytest.approx(1 / 13)
    assert values["exit_probability_at_least_2019-11-21"].value == pytest.approx(least)
    assert values["exits_a_year_at_least_2019-11-21"].low == pytest.approx(6144 / t)
    assert values["net_decline_2019-11-21"].figure_ids == ("bjunion2020_caseload_2016", "bjunion2020_caseload_2019")


def test_every_derived_seed_number_carries_low_and_high():
    for k in seed_analysis().key_numbers:
        assert k.low is not None and k.high is not None, k.key
        assert k.low <= k.high


def test_no_judgement_of_the_source_is_stated_as_the_reports():
    joined = " ".join(texts(seed_analysis()))
    assert "hard core" not in joined and "大病或残疾" not in joined


def test_the_seed_inflow_grid_is_scaled_to_the_data():
    # The grid runs up to the inflow at which 90% of the end stock would be entrants. Then the survivors
    # 0.1 * 512 = 51.2 = 6656 e^(-λt), so e^(-λt) = 1/130 and λ = ln 130 / 3.05544 = 4.86753 / 3.05544 = 1.59307;
    # I = 0.9 * 512 * λ / (1 - 1/130) = 460.8 * 1.59307 * 130/129 = 739.8 a year. Six round steps below it:
    # 739.8 / 6 = 123.3 -> the largest 1-2-5 step not above it is 100.
    grid = poverty.inflow_grid(6656, 512, 1116)
    assert list(grid) == [0, 100, 200, 300, 400, 500, 600]
    assert poverty.inflow_for_entrant_share(6656, 512, 1116, 0.9) == pytest.approx(739.78, abs=0.01)
    # the same file ten times larger gets a grid ten times larger: nothing is tuned to one region's size
    assert list(poverty.inflow_grid(66560, 5120, 1116)) == [0, 1000, 2000, 3000, 4000, 5000, 6000]
    # a province of 5 million households losing a million in a year (t = 365/365.25 = 0.999316): e^(-λt) =
    # 400,000 / 5e6 = 0.08, λ = ln 12.5 / t = 2.52746, I = 3.6e6 * 2.52746 / 0.92 = 9.89e6; / 6 = 1.65e6 -> 1e6
    assert list(poverty.inflow_grid(5_000_000, 4_000_000, 365)) == [0, *(1e6 * k for k in range(1, 7))]


def test_a_31_day_rise_gets_a_grid_of_readable_entrant_shares_and_no_false_certainty():
    # TEST FIXTURE shaped like a monthly register: 60,682 -> 62,162 persons in 31 days (t = 31/365.25 = 0.0848734).
    n0, n1, days = 60682, 62162, 31
    t = days / 365.25
    least = (n1 - n0) / t  # 1480 / 0.0848734 = 17,437.7 a year, where 1480 / 62162 = 2.4% are entrants
    assert least == pytest.approx(17437.7, abs=0.1)
    # 90% entrants: survivors 6,216.2 = 60,682 e^(-λt): e^(-λt) = 0.102439, λ = ln(9.76191) / t = 26.8457;
    # I = 0.9 * 62162 * 26.8457 / (1 - 0.102439) = 1,673,316 a year; (1,673,316 - 17,438) / 6 = 275,980 -> 200,000
    top = 0.9 * n1 * (math.log(n0 / (0.1 * n1)) / t) / (1 - 0.1 * n1 / n0)
    assert top == pytest.approx(1_673_316, rel=1e-5)
    grid = poverty.inflow_grid(n0, n1, days)
    assert grid[0] == pytest.approx(least) and list(grid[1:]) == [200_000 * k for k in range(1, 7)]
    table = poverty.inflow_sensitivity(n0, n1, days, grid)
    # each share checked against the closed form: survivors n0 e^(-λt), the rest of n1 joined
    for r in table.itertuples():
        assert r.entrant_share == pytest.approx(1 - n0 * math.exp(-r.rate_per_year * t) / n1, rel=1e-9)
    assert table.loc[0, "entrant_share"] == pytest.approx(1480 / 62162)
    assert table["entrant_share"].is_monotonic_increasing and table["entrant_share"].iloc[-1] < 0.9
    # the 90% inflow itself yields 90% entrants (an independent check of the closed form through root-finding)
    assert poverty.inflow_sensitivity(n0, n1, days, np.array([top])).loc[0, "entrant_share"] == pytest.approx(0.9)
    a = analyse_poverty(
        [
            stock("p0", "60682", "2019-12-31", indicator="persons_on_file", unit="人"),
            stock("p1", "62162", "2020-01-31", indicator="persons_on_file", unit="人"),
        ]
    )
    grid_text = texts(a)[1].split(": ", 1)[1]
    assert grid_text.startswith("17,438 a year: 0.0%, 2% entrants; 200,000 a year: ")
    # at 1.2 million a year λ is far above ln 1000 = 6.9, so the annual probability exceeds 99.9% but is below 1
    assert table.loc[6, "rate_per_year"] > math.log(1000) and table.loc[6, "annual_exit_probability"] < 1
    assert "100.0%" not in grid_text and "1,200,000 a year: >99.9%" in grid_text


def test_a_probability_below_one_is_never_shown_as_a_certainty():
    assert poverty.probability_shown(0.9996) == ">99.9%"  # 99.96% would round to 100.0%
    assert poverty.probability_shown(1.0) == "100.0%"
    assert poverty.probability_shown(0.0004) == "<0.1%" and poverty.probability_shown(0.0) == "0.0%"
    assert poverty.probability_shown(0.949) == "94.9%"


def test_entrant_share_by_hand_at_one_inflow():
    # At I = 100 a year the solved hazard λ joins both totals; the survivors of 2016 are 6656·e^(−λt) and the
    # rest of the 512 joined: share = 1 − 6656·e^(−λt)/512. Checked against the closed form N(t).
    table = poverty.inflow_sensitivity(6656, 512, 1116, np.array([0.0, 100.0]))
    t = 1116 / 365.25
    lam = table.loc[1, "rate_per_year"]
    survivors = 6656 * math.exp(-lam * t)
    joined_and_stayed = 100 * (1 - math.exp(-lam * t)) / lam
    assert survivors + joined_and_stayed == pytest.approx(512, rel=1e-9)
    assert table.loc[1, "entrant_share"] == pytest.approx(joined_and_stayed / 512, rel=1e-9)
    assert table.loc[0, "entrant_share"] == pytest.approx(0, abs=1e-12)
    assert table["entrant_share"].is_monotonic_increasing


# ---------------------------------------------------------------- arithmetic


def test_6656_to_512_is_a_net_exit_fraction_of_exactly_twelve_thirteenths():
    assert poverty.net_exit_fraction(6656, 512) == Fraction(12, 13)


def test_days_between_the_published_dates():
    assert calendar.days_between("2016-10-31", "2019-11-21") == 1095 + 21


def test_gross_hazard_with_zero_inflow_is_the_net_hazard():
    assert poverty.gross_hazard(6656, 512, 1116, 0.0) == pytest.approx(math.log(13) / (1116 / 365.25), rel=1e-12)


def test_gross_hazard_reproduces_the_end_stock_by_euler_integration():
    rate = poverty.gross_hazard(6656, 512, 1116, inflow_per_year=800.0)
    years, steps = 1116 / 365.25, 200_000
    stock_, dt = 6656.0, years / steps
    for _ in range(steps):  # dN/dt = I - rate * N, integrated independently of the closed form
        stock_ += (800.0 - rate * stock_) * dt
    assert stock_ == pytest.approx(512, rel=1e-3)


def test_an_inflow_too_small_for_a_rise_is_refused_by_name():
    # 1000 -> 1300 in 731 days needs at least 300 / 2.0014 = 149.9 a year
    with pytest.raises(ValueError, match="no exit rate takes 1000 to 1300"):
        poverty.gross_hazard(1000, 1300, 731, 100.0)
    assert poverty.gross_hazard(1000, 1300, 731, 300 / (731 / 365.25)) == 0.0


def test_a_zero_hazard_has_an_infinite_half_life_not_a_zero_division():
    assert poverty.hazard_from_rate(0.0).half_life_years == math.inf


def test_projection_band_contains_the_least_inflow_path_and_settles_at_inflow_over_rate():
    table = poverty.inflow_sensitivity(6656, 512, 1116, np.array([0, 1000]))
    projection = poverty.project_stock(512, table, np.array([0.0, 1.0, 200.0]))
    assert (projection["band_low"] <= projection["least_inflow"] + 1e-9).all()
    assert (projection["least_inflow"] <= projection["band_high"] + 1e-9).all()
    assert projection["band_high"].iloc[-1] == pytest.approx(1000 / table.loc[1, "rate_per_year"], rel=1e-6)


# ---------------------------------------------------------------- TEST FIXTURES: a rise and a flat file


def test_a_rising_file_says_it_grew_and_the_least_that_joined_a_year():
    a = analyse_poverty([stock("s0", "1000", "2020-01-01"), stock("s1", "1300", "2022-01-01")])
    # 2020 has 366 days, 2021 365: 731 days, t = 731 / 365.25 = 2.00137; 300 / 2.00137 = 149.9 -> at least 149
    assert 300 / (731 / 365.25) == pytest.approx(149.897, abs=1e-3)
    assert texts(a)[0] == (
        "Testland's households on file grew from 1,000 to 1,300 households (2020-01-01 to 2022-01-01, 731 days), "
        "a net rise of 300: at least 300 households joined the file over the period (at least 149 a year). "
        "A growing file's totals put no lower bound on exits."
    )
    assert not any("probability of -" in t or "half-life" in t for t in texts(a))
    values = {k.key: k for k in a.key_numbers}
    assert values["joined_a_year_at_least_2022-01-01"].low == pytest.approx(300 / (731 / 365.25))
    # the assumed inflows start at the least the totals allow: λ = 0 there, and 300 of the 1,300 are entrants
    table = poverty.inflow_scenarios(a.intervals[0])
    assert table.loc[0, "inflow_per_year"] == pytest.approx(300 / (731 / 365.25))
    assert table.loc[0, "rate_per_year"] == 0 and table.loc[0, "entrant_share"] == pytest.approx(3 / 13)
    assert (table["annual_exit_probability"] >= 0).all()
    # 90% entrants: e^(-λt) = 130/1000, λ = ln(1000/130) / 2.00137 = 1.01941, I = 1170 * 1.01941 / 0.87 = 1,370.9;
    # (1,370.9 - 149.9) / 6 = 203.5 -> step 200
    assert texts(a)[1].split(": ", 1)[1].startswith("150 a year: 0.0%, 23% entrants; 200 a year:")


def test_a_flat_file_says_so_and_nothing_divides_by_zero():
    a = analyse_poverty([stock("s0", "800", "2020-01-01"), stock("s1", "800", "2021-01-01")])
    assert texts(a)[0] == (
        "Testland's households on file: 800 households on 2020-01-01 and 800 on 2021-01-01 (366 days). The totals "
        "identify no net change, and neither exits nor entries (any that left were replaced one for one)."
    )
    table = poverty.inflow_scenarios(a.intervals[0])
    assert table.loc[0, "rate_per_year"] == 0 and table.loc[0, "half_life_years"] == math.inf
    # 90% entrants: e^(-λt) = 0.1, λ = ln 10 / (366 / 365.25) = 2.29787, I = 0.9 * 800 * λ / 0.9 = 1,838.3;
    # / 6 = 306.4 -> the largest 1-2-5 step not above it is 200
    assert list(table["inflow_per_year"]) == [0, 200, 400, 600, 800, 1000, 1200]


def test_a_fall_between_a_bound_and_an_exact_total_is_bounded_by_the_printed_interval():
    # 2000多户 is read as 2000 to 3000 (evidence.tidy); then 512 exact, 731 days later (t = 2.00137)
    a = analyse_poverty(
        [stock("s0", "2000", "2020-01-01", qualifier="at_least", marker="多"), stock("s1", "512", "2022-01-01")]
    )
    t = 731 / 365.25
    least = 1 - (512 / 2000) ** (
        1 / t
    )  # the smallest first total gives the smallest bound: sqrt(0.256) = 0.506 -> 0.494
    assert least == pytest.approx(0.4938, abs=1e-4)  # the exponent 1/2.00137 < 1/2 makes it 0.4938
    assert "a net decline of 1,488–2,488" in texts(a)[0]
    assert "at most 25.6% of the households on file" in texts(a)[0]  # 512 / 2000 = 0.256
    assert "at least 49.3%" in texts(a)[0] and "at least 1,488 households left" in texts(a)[0]
    assert "(at least 743 a year)" in texts(a)[0]  # 1488 / 2.00137 = 743.5
    values = {k.key: k for k in a.key_numbers}
    assert values["exit_probability_at_least_2022-01-01"].low == pytest.approx(least)
    assert values["exit_probability_at_least_2022-01-01"].high == pytest.approx(1 - (512 / 3000) ** (1 / t))
    assert not [f for f in a.findings if "Assuming a constant yearly inflow" in f.text]  # no grid on a bound


def test_bounds_that_allow_a_fall_or_a_rise_identify_no_direction():
    a = analyse_poverty(
        [stock("s0", "2000", "2020-01-01", qualifier="at_least", marker="多"), stock("s1", "2500", "2021-01-01")]
    )
    assert "allow a change of -500–500, a fall or a rise" in texts(a)[0]  # 2500 - [2000, 3000]


# ---------------------------------------------------------------- TEST FIXTURE: a three-year printed rate


def test_a_printed_rate_is_annualised_by_its_period_and_applied_to_the_stock_of_its_date():
    a = analyse_poverty(
        [
            stock("s0", "2000", "2017-12-31"),
            row("r", "poverty_exit", "exit_rate", "30", "%", "2018-01-01", "2020-12-31"),
        ]
    )
    # 2018-01-01 to 2020-12-31 inclusive: 365 + 365 + 366 = 1096 days, T = 1096 / 365.25 = 3.00068 years
    years = 1096 / 365.25
    # 30% printed is 29.5% to 30.5%; a year: 1 - (1 - p)^(1/T)
    low, mid, high = (1 - (1 - p) ** (1 / years) for p in (0.295, 0.30, 0.305))
    assert (round(low, 4), round(mid, 4), round(high, 4)) == (
        0.1100,
        0.1121,
        0.1142,
    )  # ln 0.705 / 3.00068 = -0.11649, 1 - e^that = 0.10997
    hazard = -math.log(0.7) / years  # 0.35667 / 3.00068 = 0.1189
    assert round(hazard, 3) == 0.119
    text = next(t for t in texts(a) if t.startswith("The source prints"))
    assert text == (
        "The source prints exit rate: 30% for 2018-01-01 to 2020-12-31; over the 3.00 years it covers, that is "
        "11.0%–11.4% a year at a constant hazard (−ln(1 − p)/T = 0.119 a year); applied to the 2,000 households "
        "on file on 2017-12-31, the stock of its own date, it is 590–610 households."  # 2000 * [0.295, 0.305]
    )
    values = {k.key: k for k in a.key_numbers}
    assert values["annual_at_printed_rate_r"].value == pytest.approx(mid)
    assert (values["annual_at_printed_rate_r"].low, values["annual_at_printed_rate_r"].high) == pytest.approx(
        (low, high)
    )
    assert (values["count_at_printed_rate_r"].low, values["count_at_printed_rate_r"].high) == pytest.approx((590, 610))


def test_a_rate_printed_as_a_rate_a_year_is_taken_as_annual_whatever_the_span_of_its_period():
    # TEST FIXTURE: the exit rate declared printed as a rate a year (indicators.csv per = year, as a printed 年度
    # rate), over a period of 2019-01-01 to 2020-09-08: 365 + 252 = 617 days, 1.69 years. Annualising 30% over
    # that span would give 1 - 0.7^(1/1.69) = 19.0%; printed a year, it stays 30%, and −ln(1 − 0.30) = 0.35667,
    # shown 0.357 a year.
    yearly = TEST_INDICATORS.copy()
    yearly.loc[yearly["indicator"] == "exit_rate", "per"] = "year"
    figures, audit = evidence(
        [
            stock("s0", "2000", "2018-12-31"),
            row("r", "poverty_exit", "exit_rate", "30", "%", "2019-01-01", "2020-09-08"),
        ]
    )
    meaning = Meaning.from_tables(yearly, TEST_BREAKDOWNS)
    a = poverty.analyse(processed(tidy.poverty_caseload(figures)), "Testland", audit, meaning)
    text = next(t for t in texts(a) if t.startswith("The source prints"))
    assert text == (
        "The source prints exit rate: 30% for 2019-01-01 to 2020-09-08; printed as a rate a year, so it is taken as "
        "the yearly rate whatever the span of its period, which says when it was measured (−ln(1 − p) = 0.357 a "
        "year at a constant hazard); applied to the 2,000 households on file on 2018-12-31, the stock of its own "
        "date, it is 590–610 households."  # 2000 * [0.295, 0.305]
    )
    assert "annual_at_printed_rate_r" not in {k.key for k in a.key_numbers}  # no annualised number of it


def test_a_printed_rate_without_a_stock_of_its_date_is_applied_to_none():
    a = analyse_poverty(
        [
            stock("s0", "30000", "2020-12-31"),
            row("r", "poverty_exit", "exit_rate", "25", "%", "2020-01-01", "2020-12-31"),
        ]
    )
    text = next(t for t in texts(a) if t.startswith("The source prints"))
    assert "no stock of the date its period starts is printed, so it is applied to none" in text
    assert "30,000" not in text  # the stock of the period's end is not the base of a share of the period's start


# ---------------------------------------------------------------- breakdowns by declared relation


def test_overlapping_groups_are_each_a_share_of_the_total_alone_and_never_added():
    rows = [stock("t", "1000", "2023-12-31", indicator="recipients", unit="人")] + [
        stock(f"g{i}", n, "2023-12-31", indicator="recipients", unit="人", dimension="group", category=c)
        for i, (c, n) in enumerate([("女性", "700"), ("残疾人", "500")])
    ]
    a = analyse_poverty(rows)
    sentence = next(t for t in texts(a) if t.startswith("By group"))
    assert sentence == (
        "By group, the largest of the printed parts of the recipients on 2023-12-31 is 女性: 700 of 1,000 "
        "persons (70.0%). The groups may overlap: each is a share of the total alone, and they are not added."
    )
    c = a.compositions[("recipients", "2023-12-31", "group")]
    assert list(c.table["share"]) == [0.7, 0.5]  # 700 / 1000 and 500 / 1000, not of 700 + 500 = 1200
    assert "1,200" not in " ".join(texts(a))


def test_a_partial_breakdown_without_a_total_states_counts_but_no_shares():
    rows = [stock("d0", "120", "2023-12-31", indicator="recipients", unit="人", dimension="district", category="甲区")]
    a = analyse_poverty(rows)
    assert texts(a)[-1] == (
        "By district, one part of the recipients on 2023-12-31 is printed, 甲区: 120 persons; no total of that "
        "date is printed, so no share is stated. The parts printed are some of a partition, each a share of the "
        "total alone."
    )


def test_a_single_printed_part_of_a_partial_breakdown_is_stated_alone_never_called_the_largest():
    rows = [stock("t", "24243", "2006-12-31", indicator="recipients", unit="人")]
    rows.append(
        stock("d0", "1082", "2006-12-31", indicator="recipients", unit="人", dimension="district", category="甲")
    )
    a = analyse_poverty(rows)
    sentence = next(t for t in texts(a) if t.startswith("By district"))
    # 1082 / 24243 = 0.04463 -> 4.5%; one part of a partial breakdown is not 'the largest part'
    assert sentence == (
        "By district, one part of the recipients on 2006-12-31 is printed, 甲: 1,082 of 24,243 persons (4.5%). "
        "The parts printed are some of a partition, each a share of the total alone."
    )
    assert "largest" not in sentence


def test_exit_routes_are_a_composition_of_a_flow_over_its_period():
    rows = [stock("s0", "1000", "2019-01-01"), stock("s1", "600", "2020-01-01")]
    rows += [
        row(
            f"x{i}",
            "poverty_exit",
            "households_left",
            n,
            "户",
            "2019-01-01",
            "2020-01-01",
            dimension="exit_route",
            category=route,
        )
        for i, (route, n) in enumerate([("就业", "300"), ("救助", "100")])
    ]
    a = analyse_poverty(rows)
    assert (
        "By exit route, the largest part of the households that left over 2019-01-01 to 2020-01-01 is 就业: "
        "300 of 400 households (75.0%)."  # an exhaustive breakdown with no total: of the parts' sum, 300 / 400
    ) in texts(a)


def test_households_and_persons_are_never_mixed():
    a = analyse_poverty(
        [stock("s0", "1000", "2019-01-01"), stock("p0", "2500", "2020-01-01", indicator="persons_on_file", unit="人")]
    )
    assert texts(a) == [
        "Testland prints one total of households on file: 1,000 households on 2019-01-01; one total identifies "
        "no change.",
        "Testland prints one total of persons on file: 2,500 persons on 2020-01-01; one total identifies no change.",
    ]


def test_a_stock_of_persons_is_counted_in_persons():
    a = analyse_poverty(
        [
            stock(f"p{i}", n, d, indicator="persons_on_file", unit="人")
            for i, (n, d) in enumerate([("3000", "2020-01-01"), ("2000", "2021-01-01")])
        ]
    )
    assert texts(a)[0].startswith("Testland's persons on file fell from 3,000 to 2,000 persons")
    assert "households" not in " ".join(texts(a))


# ---------------------------------------------------------------- words, languages, the notebook


def test_the_chinese_findings_state_the_same_numbers_in_chinese():
    with language.using("zh"):
        a = analyse_poverty([stock("s0", "6656", "2016-10-31"), stock("s1", "512", "2019-11-21")])
    assert texts(a)[0] == (
        "Testland在档户数从6,656户降至512户（2016年10月31日至2019年11月21日，共1,116天），净减少6,144户（占期初总数的"
        "12/13 = 92.3%）。新进入者只会增加期末总数，因此2016年10月31日在档的户中，到2019年11月21日仍在档的至多占"
        "1/13 = 7.7%：其年均退出概率至少为56.8%，期间至少有6,144户退出（每年至少2,010户）。"
    )
    labels = [k.label for k in a.key_numbers]
    for text in [*texts(a), *labels]:
        assert not re.search(r"[A-Za-z]{3,}", text.replace("Testland", "")), text


def test_each_finding_appears_once_on_the_page_as_prose():
    nb = json.loads((paths.NOTEBOOKS / "01_poverty_exit.ipynb").read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert not any("print(finding" in s or "findings:\n    print" in s for s in sources)
    headline = [s for s in sources if s.startswith("# NBVAL_CHECK_OUTPUT")]
    assert len(headline) == 1 and "out.write_results(" in headline[0]


def test_a_fall_from_an_open_ended_bound_is_bounded_on_one_side_only():
    # 2000以上 is read as 2000 to infinity: N0 - N1 is at least 2000 - 512 = 1488, with no upper end
    a = analyse_poverty(
        [stock("s0", "2000", "2020-01-01", qualifier="at_least", marker="以上"), stock("s1", "512", "2022-01-01")]
    )
    assert "a net decline of ≥ 1,488" in texts(a)[0] and "at most 25.6%" in texts(a)[0]
    values = {k.key: k for k in a.key_numbers}
    assert values["net_decline_2022-01-01"].high == math.inf
    assert values["net_decline_2022-01-01"].as_json()["high"] is None  # JSON has no infinity


def test_a_rising_file_in_chinese():
    with language.using("zh"):
        a = analyse_poverty([stock("s0", "1000", "2020-01-01"), stock("s1", "1300", "2022-01-01")])
    assert texts(a)[0] == (  # 300 / (731 / 365.25) = 149.9: at least 149
        "Testland在档户数从1,000户增至1,300户（2020年1月1日至2022年1月1日，共731天），净增加300户：期间至少有300户"
        "新进入（每年至少149户）。在档数增长时，两个总数无法给出退出数的下限。"
    )


# ---------------------------------------------------------------- TEST FIXTURES: printed entries and exits


def register(end="75616", flows=(("in", "553"), ("out", "853"))):
    """A monthly register shaped like a provincial table: stocks at two month ends, the month's flows between."""
    rows = [
        stock("p0", "75916", "2017-06-30", indicator="persons_on_file", unit="人"),
        stock("p1", end, "2017-07-31", indicator="persons_on_file", unit="人"),
    ]
    indicator = {"in": "persons_added", "out": "persons_exited"}
    return rows + [
        row(f"f_{d}", "poverty_exit", indicator[d], n, "人", "2017-07-01", "2017-07-31", **kw)
        for d, n, *more in flows
        for kw in [dict(more[0]) if more else {}]
    ]


def test_printed_entries_and_exits_replace_the_bound_and_hold_the_stock_flow_identity():
    a = analyse_poverty(register())
    # 75,916 + 553 - 853 = 76,469 - 853 = 75,616: the printed end total exactly
    assert 75916 + 553 - 853 == 75616
    # gross exit probability over the month: 853 / (75,916 + 553) = 853 / 76,469 = 0.011155 -> 1.1%
    assert 853 / 76469 == pytest.approx(0.011155, abs=1e-6)
    assert texts(a)[0] == (
        "Testland's persons on file fell from 75,916 to 75,616 persons (2017-06-30 to 2017-07-31, 31 days), a net "
        "decline of 300 (0.4% of the first total). The source prints the period's flows (2017-07-01 to 2017-07-31): "
        "553 persons joined and 853 left; 75,916 + 553 − 853 = 75,616, consistent with the end total. Of the 76,469 "
        "persons on file at its start or joining during it, 853 left: a gross exit probability of 1.1% over the "
        "period (exits / (start + entries), assuming those who joined could also leave within the period)."
    )
    assert "at least 300" not in texts(a)[0]  # the printed exits replace the bound from the totals
    values = {k.key: k for k in a.key_numbers}
    assert "exit_probability_at_least_2017-07-31" not in values and "exits_a_year_at_least_2017-07-31" not in values
    assert values["exits_printed_2017-07-31"].value == 853 and values["entries_printed_2017-07-31"].value == 553
    assert (values["stock_flow_gap_2017-07-31"].low, values["stock_flow_gap_2017-07-31"].high) == (0, 0)
    gross = values["gross_exit_probability_over_period_2017-07-31"]
    assert gross.value == pytest.approx(853 / 76469) and gross.low == gross.high == pytest.approx(853 / 76469)
    assert set(a.findings[0].figure_ids) == {"p0", "p1", "f_in", "f_out"}
    # the inflow is printed, so no inflow is assumed for this period
    assert not [t for t in texts(a) if t.startswith("Assuming a constant yearly inflow")]
    assert poverty.limitations(a)[1].startswith("The entries and exits the source prints for each period")


def test_a_stock_flow_identity_that_fails_says_by_how_much():
    a = analyse_poverty(register(end="75600"))
    # 75,916 + 553 - 853 = 75,616 against a printed 75,600: the end total is 16 short
    assert "75,916 + 553 − 853 = 75,616, inconsistent with the end total by 16." in texts(a)[0]
    gap = {k.key: k for k in a.key_numbers}["stock_flow_gap_2017-07-31"]
    assert (gap.value, gap.low, gap.high) == (-16, -16, -16)


def test_the_identity_is_checked_within_the_printed_intervals():
    # 850多 exits is read as 850 to 860 (the next unit of its last digit): 75,916 + 553 - [850, 860] = 75,609 to
    # 75,619, which holds 75,616: consistent; the gross probability runs 850 / 76,469 = 1.11% to 860 / 76,469 = 1.12%
    a = analyse_poverty(register(flows=(("in", "553"), ("out", "850", {"qualifier": "at_least", "marker": "多"}))))
    assert "75,916 + 553 − ≥ 850 = 75,609–75,619, consistent with the end total." in texts(a)[0]
    gross = {k.key: k for k in a.key_numbers}["gross_exit_probability_over_period_2017-07-31"]
    assert (gross.low, gross.high) == pytest.approx((850 / 76469, 860 / 76469))


def test_printed_exits_without_entries_bound_the_gross_probability_from_above():
    a = analyse_poverty(register(flows=(("out", "853"),)))
    # entries by the identity: 75,616 - 75,916 + 853 = 553; at most 853 / 75,916 = 0.011236 -> rounded up, 1.2%
    assert 853 / 75916 == pytest.approx(0.011236, abs=1e-6)
    assert texts(a)[0].endswith(
        "The source prints the period's exits (2017-07-01 to 2017-07-31): 853 persons left; entries are not printed "
        "(with the totals, start + entries − exits = end implies 553 joined). The gross exit probability over the "
        "period, exits / (start + entries), is at most 853 / 75,916 = 1.2%: entries are not printed, and any would "
        "lower it (assuming those who joined could also leave within the period)."
    )
    gross = {k.key: k for k in a.key_numbers}["gross_exit_probability_over_period_2017-07-31"]
    assert gross.value is None and gross.high == pytest.approx(853 / 75916)
    # entries are unprinted here, so the grid of assumed inflows stays, and the limitation says joiners are unprinted
    assert any(t.startswith("Assuming a constant yearly inflow") for t in texts(a))
    assert poverty.limitations(a)[1].startswith("Two totals bound exits from below only; how many joined")


def test_printed_entries_without_exits_keep_the_bound_and_imply_the_exits():
    a = analyse_poverty(register(flows=(("in", "553"),)))
    # the totals still bound exits from below (at least 300); with the entries, 75,916 + 553 - 75,616 = 853 left
    assert "at least 300 persons left over the period" in texts(a)[0]
    assert texts(a)[0].endswith(
        "553 persons joined; exits are not printed (with the totals, start + entries − exits = end implies 853 left)."
    )


def test_the_seed_limitation_says_joiners_are_unprinted():
    assert poverty.limitations(seed_analysis())[1] == (
        "Two totals bound exits from below only; how many joined, and so the gross exit rate, is not printed. The "
        "table of assumed inflows shows what each would imply, without choosing one. A constant hazard ignores that "
        "the easiest cases may leave first, and the five-year curve is an illustration, not a forecast."
    )


def test_a_page_with_one_total_names_no_section_it_does_not_have():
    # One total: no change, so neither the bound on exits, nor the table of assumed inflows, nor the five-year curve.
    a = analyse_poverty([stock("s0", "512", "2022-01-01")])
    assert poverty.limitations(a) == [
        "The totals are administrative counts kept by the file's keeper; a change in the rules for entering or "
        "leaving the file between two dates would look like exit or entry.",
        "Where only one total or a bound is published, no change is stated; a second dated count is needed. A printed "
        "rate is used as printed: how the source computed it is not known.",
    ]
    with language.using("zh"):
        said = " ".join(poverty.limitations(a))
    assert "假设新增量表" not in said and "五年曲线" not in said and "两个总数只能" not in said


def test_two_totals_without_an_exact_change_bound_exits_but_name_no_table_of_assumed_inflows():
    # 2000多 (at least 2,000) on 2020-01-01 and 512 on 2022-01-01: a change, bounded, but not between exact totals,
    # so the page shows no table of assumed inflows and no five-year curve.
    a = analyse_poverty(
        [stock("s0", "2000", "2020-01-01", qualifier="at_least", marker="多"), stock("s1", "512", "2022-01-01")]
    )
    assert poverty.exact_changes(a) == []
    assert poverty.limitations(a)[1] == (
        "Two totals bound exits from below only; how many joined, and so the gross exit rate, is not printed."
    )


def test_the_stock_flow_identity_in_chinese_keeps_every_digit():
    with language.using("zh"):
        a = analyse_poverty(register())
    # 75,916 + 553 − 853 = 75,616 and 75,916 + 553 = 76,469, with every digit (not compacted to 万)
    assert "75,916 + 553 − 853 = 75,616，与期末总数一致" in texts(a)[0]
    assert "期初在档及期间新增的76,469人中，有853人退出：该期间的毛退出概率为1.1%" in texts(a)[0]

"""Comparisons across regions and over time: TEST FIXTURES only (invented regions, indicators and figures).

Expected values are worked out by hand in each test (interval arithmetic, closed forms) or by fitting the
model independently through statsmodels' formula interface.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from statsmodels.genmod.families import Poisson

from analysis import language
from analysis.calendar import DAYS_PER_YEAR
from analysis.evidence.meaning import Meaning
from analysis.topics import compare

# TEST FIXTURE meaning: two registers' stocks of households and persons, a hotline's calls and requests, a rate.
INDICATORS = pd.DataFrame(
    [
        ("test_households_on_file", "stock", "households", "", "", "test_register", ""),
        ("test_persons_on_file", "stock", "persons", "", "", "test_register", ""),
        ("test_persons_other_file", "stock", "persons", "", "", "test_other_register", ""),
        ("test_calls", "flow", "calls", "", "", "test_hotline", ""),
        ("test_work_orders_received", "flow", "work_orders", "", "", "test_hotline", ""),
        ("test_work_orders_closed", "flow", "work_orders", "", "", "test_hotline", ""),
        ("test_requests", "flow", "requests", "", "", "test_hotline", ""),
        ("test_satisfied_rate", "rate", "persons", "", "", "test_service", "estimate"),
        ("test_resolved_rate", "rate", "persons", "", "", "test_service", "estimate"),
        ("test_ratio", "ratio", "calls", "", "test_calls", "test_hotline", ""),
        ("test_calls_change_period", "change", "calls", "period", "test_calls", "test_hotline", ""),
        ("test_calls_change_year", "change", "calls", "year", "test_calls", "test_hotline", ""),
        ("test_residents", "stock", "persons", "", "", "residents", ""),
    ],
    columns=["indicator", "kind", "counts", "per", "of", "scope", "reading"],
)
BREAKDOWNS = pd.DataFrame(columns=["indicator", "breakdown_dimension", "parts", "note"])
MEANING = Meaning.from_tables(INDICATORS, BREAKDOWNS)


def fig(figure_id, region, indicator, start, end, value, low=None, high=None, qualifier="exact", source="t_page"):
    """A TEST FIXTURE row of a processed topic table, its interval written by hand."""
    return {
        "figure_id": figure_id,
        "source_id": source,
        "region": region,
        "indicator": indicator,
        "breakdown_dimension": "",
        "period_start": start,
        "period_end": end,
        "value": float(value),
        "value_low": float(value if low is None else low),
        "value_high": float(value if high is None else high),
        "as_printed": str(value),
        "qualifier": qualifier,
    }


def analyse(rows, topic="poverty_exit"):
    with language.using("en"):
        return compare.analyse(topic, pd.DataFrame(rows), MEANING)


def calls_in_testland(figure_id, start, end, value, low=None, high=None, source="t_page"):
    """A TEST FIXTURE row: Testland's hotline calls (test_calls) over one period, the rows of its series."""
    return fig(figure_id, "Testland", "test_calls", start, end, value, low, high, source=source)


def calls_1200_in_testland(figure_id, start, end, source="t_page"):
    """A TEST FIXTURE row: 1,200 of Testland's calls printed to the unit (1,199.5-1,200.5), the figure each printed
    +20% change below is printed beside."""
    return calls_in_testland(figure_id, start, end, 1200, 1199.5, 1200.5, source)


def plus_20_percent_change(figure_id, indicator, start, end, source="t_page"):
    """A TEST FIXTURE row: a change of Testland's calls printed +20% to the percent (19.5%-20.5%), 环比
    (test_calls_change_period) or 同比 (test_calls_change_year)."""
    return fig(figure_id, "Testland", indicator, start, end, 0.2, 0.195, 0.205, source=source)


def test_persons_and_households_never_share_a_comparison():
    rows = [
        fig("t_a_households", "Testland", "test_households_on_file", "2020-12-31", "2020-12-31", 500),
        fig("t_b_persons", "Otherland", "test_persons_on_file", "2020-12-31", "2020-12-31", 500),
        fig("t_b_households", "Otherland", "test_households_on_file", "2020-12-31", "2020-12-31", 800),
    ]
    a = analyse(rows)
    pairs = [{c.a["indicator"], c.b["indicator"]} for c in a.comparisons]
    # Only households with households: one comparison, Testland's 500 against Otherland's 800.
    assert pairs == [{"test_households_on_file"}]
    for c in a.comparisons:
        assert c.a["counts"] == c.b["counts"]
    # The persons-with-households pair is listed with its reason, not dropped.
    skipped = a.not_compared
    assert list(skipped["reason"]) == ["units"]
    assert set(skipped.iloc[0][["indicator_a", "indicator_b"]]) == {"test_households_on_file", "test_persons_on_file"}
    texts = " ".join(f.text for f in a.findings)
    assert "are not compared: one counts persons, the other households" in texts


def test_same_unit_in_another_scope_is_not_compared_and_says_why():
    rows = [
        fig("t_a_persons", "Testland", "test_persons_on_file", "2020-12-31", "2020-12-31", 100),
        fig("t_b_persons", "Otherland", "test_persons_other_file", "2020-12-31", "2020-12-31", 100),
    ]
    a = analyse(rows)
    assert a.comparisons == []
    assert list(a.not_compared["reason"]) == ["scope"]
    assert any("their scopes differ (test other register; test register)" in f.text for f in a.findings)


def test_calls_and_requests_are_kept_apart():
    rows = [
        fig("t_a_calls", "Testland", "test_calls", "2021-01-01", "2021-12-31", 3650),
        fig("t_b_requests", "Otherland", "test_requests", "2021-01-01", "2021-12-31", 3650),
    ]
    a = analyse(rows, "hotline")
    assert a.comparisons == []
    assert list(a.not_compared["reason"]) == ["units"]


def test_overlapping_intervals_are_called_indistinguishable():
    # 2000多户 allows 2000-3000; 25百户 printed to the hundred allows 2450-2550: they overlap.
    rows = [
        fig("t_a", "Testland", "test_households_on_file", "2020-12-31", "2020-12-31", 2000, 2000, 3000, "at_least"),
        fig("t_b", "Otherland", "test_households_on_file", "2020-12-31", "2020-12-31", 2500, 2450, 2550),
    ]
    a = analyse(rows)
    (c,) = a.comparisons
    assert not c.distinguishable
    assert any("cannot be told apart" in f.text and set(f.figure_ids) == {"t_a", "t_b"} for f in a.findings)


def test_disjoint_intervals_name_the_higher_region():
    rows = [
        fig("t_a", "Testland", "test_households_on_file", "2020-12-31", "2020-12-31", 2000, 2000, 3000, "at_least"),
        fig("t_b", "Otherland", "test_households_on_file", "2020-12-31", "2020-12-31", 512),
    ]
    (c,) = analyse(rows).comparisons
    assert c.distinguishable
    with language.using("en"):
        assert "Testland is higher than Otherland" in compare.comparison_finding(c).text


def test_flows_are_compared_per_day_with_their_intervals_divided_by_days():
    # Testland: 3650 calls in 2021 (365 days) = 10 a day; Otherland: 905 ± 5 in 2022 Q1 (90 days) = 10.0-10.1 a day.
    rows = [
        fig("t_a", "Testland", "test_calls", "2021-01-01", "2021-12-31", 3650),
        fig("t_b", "Otherland", "test_calls", "2022-01-01", "2022-03-31", 905, 900, 910),
    ]
    a = analyse(rows, "hotline")
    per_day = a.measures.set_index("region")
    assert per_day.at["Testland", "value"] == pytest.approx(10.0)
    assert per_day.at["Otherland", "low"] == pytest.approx(900 / 90)
    assert per_day.at["Otherland", "high"] == pytest.approx(910 / 90)
    (c,) = a.comparisons
    assert not c.distinguishable  # 10 lies in 10.0-10.11


def test_a_region_is_not_compared_in_levels_with_a_region_inside_it():
    rows = [
        fig("t_a", "Testland", "test_households_on_file", "2020-12-31", "2020-12-31", 5000),
        fig("t_b", "Testland:North", "test_households_on_file", "2020-12-31", "2020-12-31", 500),
    ]
    (c,) = analyse(rows).comparisons
    assert c.nested


def test_net_rate_is_annualised_over_its_own_span():
    # 1000 -> 250 over exactly two years of 365.25 days (730.5 is not whole: use 2020-01-01 -> 2022-01-01, 731 days).
    rows = [
        fig("t_1", "Testland", "test_households_on_file", "2020-01-01", "2020-01-01", 1000),
        fig("t_2", "Testland", "test_households_on_file", "2022-01-01", "2022-01-01", 250),
    ]
    a = analyse(rows)
    (pair,) = a.pairs
    years = 731 / DAYS_PER_YEAR
    assert pair.value == pytest.approx(0.25 ** (1 / years) - 1)
    assert pair.gap_days == 731


# TEST FIXTURE: 310 calls in January 2021 (31 days) and 600 in June 2021 (30 days), both printed exactly.
JANUARY_AND_JUNE_CALLS = [
    calls_in_testland("t_1", "2021-01-01", "2021-01-31", 310),
    calls_in_testland("t_2", "2021-06-01", "2021-06-30", 600),
]


def test_two_flows_far_apart_say_how_far_and_not_growth():
    a = analyse(JANUARY_AND_JUNE_CALLS, "hotline")
    (pair,) = a.pairs
    # Per day 600/30 = 20 against 310/31 = 10: ratio 2; February to May lie between: 28+31+30+31 = 120 days.
    assert pair.value == pytest.approx(2.0)
    assert pair.gap_days == 120
    (text,) = [f.text for f in a.series_findings]
    assert "120 days" in text and "not growth from one period to the next" in text


def test_a_cumulative_total_does_not_enter_the_series():
    rows = [
        calls_in_testland("t_all", "2021-01-01", "2021-12-31", 5000),
        calls_in_testland("t_1", "2021-01-01", "2021-01-31", 310),
        calls_in_testland("t_2", "2021-02-01", "2021-02-28", 280),
    ]
    (pair,) = analyse(rows, "hotline").pairs
    assert pair.figure_ids == ("t_1", "t_2")
    assert pair.gap_days == 0


@pytest.mark.filterwarnings("ignore")  # a saturated fit: statsmodels warns of its zero residual df
def test_poisson_trend_of_two_periods_has_the_closed_form_interval():
    # Two periods at t = 0 and 1 year with exposure d0, d1: the Poisson MLE is saturated, slope =
    # log((y1/d1) / (y0/d0)), its variance 1/y0 + 1/y1 (the inverse information); scale stays 1.
    y0, y1, d0, d1 = 400, 900, 100, 150
    growth, low, high, scale = compare.poisson_trend(np.array([y0, y1]), np.array([d0, d1]), np.array([0.0, 1.0]))
    slope = math.log((y1 / d1) / (y0 / d0))
    se = math.sqrt(1 / y0 + 1 / y1)
    assert scale == 1.0
    assert growth == pytest.approx(math.exp(slope) - 1)
    assert low == pytest.approx(math.exp(slope - 1.959963984540054 * se) - 1, rel=1e-6)
    assert high == pytest.approx(math.exp(slope + 1.959963984540054 * se) - 1, rel=1e-6)


def test_trend_of_three_periods_matches_a_formula_fit_by_hand():
    # Three half-years of calls, overdispersed: the interval is the quasi-Poisson one, Pearson scale, t on 1 df.
    rows = [
        calls_in_testland("t_1", "2021-01-01", "2021-06-30", 18100),
        calls_in_testland("t_2", "2021-07-01", "2021-12-31", 27600),
        calls_in_testland("t_3", "2022-01-01", "2022-06-30", 36200),
    ]
    a = analyse(rows, "hotline")
    (trend,) = a.trends
    data = pd.DataFrame(
        {
            "y": [18100, 27600, 36200],
            "days": [181, 184, 181],
            # midpoints start + days / 2: 2021-04-01 12h (Jan 1 + 90.5), 2021-10-01 0h (Jul 1 + 92),
            # 2022-04-01 12h: 182.5 and 365 days after the first
            "t": [0.0, 182.5 / DAYS_PER_YEAR, 365 / DAYS_PER_YEAR],
        }
    )
    poisson = smf.glm("y ~ t", data=data, family=Poisson(), offset=np.log(data["days"])).fit()
    scale = poisson.pearson_chi2 / 1  # 3 points, 2 parameters
    assert scale > 1  # overdispersed, so the scale is estimated
    quasi = smf.glm("y ~ t", data=data, family=Poisson(), offset=np.log(data["days"])).fit(scale=scale)
    t975_1df = 12.706204736174707
    slope, se = quasi.params["t"], quasi.bse["t"]
    assert trend.model == "quasi_poisson"
    assert trend.scale == pytest.approx(scale)
    assert trend.growth == pytest.approx(math.exp(slope) - 1)
    assert trend.low == pytest.approx(math.exp(slope - t975_1df * se) - 1, rel=1e-6)
    assert trend.high == pytest.approx(math.exp(slope + t975_1df * se) - 1, rel=1e-6)
    assert trend.low < trend.growth < trend.high
    # The drawn line is the model's fitted volume a day at each point.
    _years, per_day = compare.fitted_line(trend)
    assert per_day == pytest.approx(quasi.fittedvalues.to_numpy() / data["days"].to_numpy(), rel=1e-6)


def newey_west_slope_se(t: np.ndarray, resid: np.ndarray, lags: int) -> float:
    """The Newey–West standard error of a slope, by its formula: (X'X)^-1 S (X'X)^-1 × n / (n − 2), where
    S = sum_t e_t^2 x_t x_t' + sum_l (1 − l / (lags + 1)) sum_t e_t e_(t−l) (x_t x_(t−l)' + x_(t−l) x_t')."""
    x = np.column_stack([np.ones_like(t), t])
    n = len(t)
    s = sum(resid[i] ** 2 * np.outer(x[i], x[i]) for i in range(n))
    for lag in range(1, lags + 1):
        weight = 1 - lag / (lags + 1)
        for i in range(lag, n):
            s = s + weight * resid[i] * resid[i - lag] * (np.outer(x[i], x[i - lag]) + np.outer(x[i - lag], x[i]))
    bread = np.linalg.inv(x.T @ x)
    return math.sqrt((bread @ s @ bread)[1, 1] * n / (n - 2))


def test_stock_trend_is_a_log_linear_fit_with_a_newey_west_interval():
    rows = [
        fig("t_1", "Testland", "test_households_on_file", "2018-12-31", "2018-12-31", 1000),
        fig("t_2", "Testland", "test_households_on_file", "2019-12-31", "2019-12-31", 700),
        fig("t_3", "Testland", "test_households_on_file", "2020-12-31", "2020-12-31", 520),
    ]
    (trend,) = analyse(rows).trends
    t = np.array([0, 365, 731]) / DAYS_PER_YEAR
    y = np.log([1000, 700, 520])
    # least squares by hand: slope = Sxy / Sxx
    sxx = ((t - t.mean()) ** 2).sum()
    slope = ((t - t.mean()) * (y - y.mean())).sum() / sxx
    resid = y - (y.mean() + slope * (t - t.mean()))
    # lags: floor(4 (3 / 100)^(2/9)) = floor(1.84) = 1; t quantile on 3 − 2 = 1 df
    assert trend.lags == 1
    se = newey_west_slope_se(t, resid, 1)
    # the same interval from statsmodels directly
    direct = sm.OLS(y, sm.add_constant(t)).fit(
        cov_type="HAC", cov_kwds={"maxlags": 1, "use_correction": True}, use_t=True
    )
    assert direct.bse[1] == pytest.approx(se)
    assert trend.growth == pytest.approx(math.exp(slope) - 1)
    assert trend.low == pytest.approx(math.exp(slope - 12.706204736174707 * se) - 1, rel=1e-6)
    assert trend.high == pytest.approx(math.exp(slope + 12.706204736174707 * se) - 1, rel=1e-6)
    assert (trend.low, trend.high) == pytest.approx(tuple(np.expm1(direct.conf_int(alpha=0.05)[1])))
    assert trend.residuals == pytest.approx(tuple(resid))
    # Durbin–Watson by hand: sum of squared successive differences over the sum of squares
    assert trend.durbin_watson == pytest.approx((np.diff(resid) ** 2).sum() / (resid**2).sum())
    _years, fitted = compare.fitted_line(trend)
    assert np.log(fitted) == pytest.approx(y - resid)


def year_end_stock(values: list[float]) -> list[dict]:
    """TEST FIXTURE: one stock at consecutive year-ends from 2010."""
    return [
        fig(f"t_{2010 + n}", "Testland", "test_households_on_file", f"{2010 + n}-12-31", f"{2010 + n}-12-31", v)
        for n, v in enumerate(values)
    ]


def test_a_stock_series_with_strong_autocorrelation_carries_the_note():
    # Twelve year-ends on a curve, log stock = 0.02 (k − 5.5)^2 − 0.05 k: a straight line leaves residuals
    # positive at both ends and negative in the middle (a long run on each side), so Durbin–Watson is far below 2.
    k = np.arange(12)
    values = list(1000 * np.exp(0.02 * (k - 5.5) ** 2 - 0.05 * k))
    a = analyse(year_end_stock(values))
    (trend,) = a.trends
    days = np.array([(pd.Timestamp(f"{2010 + n}-12-31") - pd.Timestamp("2010-12-31")).days for n in k])
    t, y = days / DAYS_PER_YEAR, np.log(values)
    slope = ((t - t.mean()) * (y - y.mean())).sum() / ((t - t.mean()) ** 2).sum()
    resid = y - (y.mean() + slope * (t - t.mean()))
    dw = (np.diff(resid) ** 2).sum() / (resid**2).sum()
    assert dw < 0.5
    assert trend.durbin_watson == pytest.approx(dw)
    # lags: floor(4 (12 / 100)^(2/9)) = floor(2.50) = 2
    assert trend.lags == 2
    se = newey_west_slope_se(t, resid, 2)
    t975_10df = 2.2281388519649385
    assert trend.low == pytest.approx(math.exp(slope - t975_10df * se) - 1, rel=1e-6)
    (text,) = [f.text for f in a.series_findings]
    assert "Newey–West interval with 2 lag(s); Durbin–Watson 0." in text
    assert "suggests the residuals are positively autocorrelated" in text
    assert "with 12 points the test is weak" in text
    with language.using("zh"):
        assert "提示残差存在正自相关" in compare.trend_finding(trend).text


def test_a_stock_series_without_autocorrelation_carries_no_note():
    # Residuals alternating in sign (+, −, +, −, ...): Durbin–Watson above 2, no note.
    values = [1000 * math.exp(-0.05 * n + (0.03 if n % 2 else -0.03)) for n in range(6)]
    (trend,) = analyse(year_end_stock(values)).trends
    assert trend.durbin_watson > 2
    with language.using("en"):
        assert "autocorrelated" not in compare.trend_finding(trend).text


def test_other_kinds_are_listed_not_compared():
    rows = [
        fig("t_ratio_a", "Testland", "test_ratio", "2021-01-01", "2021-12-31", 1.5),
        fig("t_ratio_b", "Otherland", "test_ratio", "2021-01-01", "2021-12-31", 1.6),
    ]
    a = analyse(rows, "hotline")
    assert a.comparisons == []
    assert list(a.other_kinds["figure_id"]) == ["t_ratio_a", "t_ratio_b"]


def test_every_finding_but_the_tally_rests_on_figures_and_both_languages_have_every_sentence():
    rows = [
        fig("t_a", "Testland", "test_households_on_file", "2020-01-01", "2020-01-01", 1000),
        fig("t_a2", "Testland", "test_households_on_file", "2021-01-01", "2021-01-01", 900),
        fig("t_b", "Otherland", "test_persons_on_file", "2020-12-31", "2020-12-31", 500),
        fig("t_c", "Otherland", "test_satisfied_rate", "2020-01-01", "2020-12-31", 0.9, 0.895, 0.905),
    ]
    for lang in ("en", "zh"):
        with language.using(lang):
            a = compare.analyse("poverty_exit", pd.DataFrame(rows), MEANING)
            tallies = [f for f in a.findings if not f.figure_ids]
            assert len(tallies) <= 1
            assert all(k.figure_ids for k in a.key_numbers)
            compare.measure_table(a.measures)
            compare.not_compared_table(a.not_compared)
            compare.observation_table(a.observations)


# ---- printed changes: checked against a printed base, or implying one -------------------------------------


def test_a_printed_period_change_with_no_printed_base_implies_it_and_the_series_marks_it():
    # February 2022: 1,200 calls printed to the unit (1,199.5-1,200.5) and 环比 +20% printed to the percent
    # (19.5%-20.5%). January 2022 is printed nowhere: base 1,200 / 1.2 = 1,000, interval 1,199.5 / 1.205 to
    # 1,200.5 / 1.195.
    rows = [
        calls_1200_in_testland("t_feb", "2022-02-01", "2022-02-28"),
        plus_20_percent_change("t_feb_change", "test_calls_change_period", "2022-02-01", "2022-02-28"),
    ]
    a = analyse(rows, "hotline")
    (check,) = a.changes
    assert check.implied
    assert check.value == pytest.approx(1000.0)
    assert check.expected.low == pytest.approx(1199.5 / 1.205)  # 995.44
    assert check.expected.high == pytest.approx(1200.5 / 1.195)  # 1,004.60
    # The series uses it: January (implied) and February are adjacent; per day (1,200 / 28) / (1,000 / 31).
    (pair,) = a.pairs
    assert (
        bool(pair.earlier["implied"]) and pair.earlier["start"] == "2022-01-01" and pair.earlier["end"] == "2022-01-31"
    )
    assert pair.value == pytest.approx((1200 / 28) / (1000 / 31))
    assert pair.gap_days == 0
    assert pair.figure_ids == ("t_feb_change", "t_feb")
    texts = [f.text for f in a.series_findings]
    assert any(
        "the figure of the adjacent earlier period of the same length (taken as 2022-01-01 to 2022-01-31; the "
        "page does not print them) is printed nowhere"
        in t
        and "implies 1,000 for it (1200 / (1 + 0.2); interval 995–1,005" in t
        for t in texts
    )
    assert any(
        "is printed nowhere: it is the base a printed change implies, marked implied, at dates assumed for it (the "
        "page does not print them)" in t
        for t in texts
    )
    (implied,) = [k for k in a.key_numbers if k.key.startswith("implied:")]
    assert implied.value == pytest.approx(1000.0) and set(implied.figure_ids) == {"t_feb", "t_feb_change"}


def test_an_implied_point_enters_a_trend_marked_in_its_table_and_sentence():
    # January implied (1,000) from February's 1,200 at +20% 环比; March printed: three points, a trend.
    rows = [
        calls_1200_in_testland("t_feb", "2022-02-01", "2022-02-28"),
        calls_in_testland("t_mar", "2022-03-01", "2022-03-31", 1500, 1499.5, 1500.5),
        plus_20_percent_change("t_feb_change", "test_calls_change_period", "2022-02-01", "2022-02-28"),
    ]
    a = analyse(rows, "hotline")
    (trend,) = a.trends
    assert list(trend.points["value"].round()) == [1000, 1200, 1500]
    assert list(trend.implied["start"]) == ["2022-01-01"]
    with language.using("en"):
        table = compare.trend_table(a.trends)
    assert table.iloc[0]["as_printed"].startswith("not printed: 1,000 implied by a printed change")
    assert table.iloc[0]["figure_id"] == ("t_feb_change", "t_feb")
    (text,) = [f.text for f in a.series_findings if "over 3 periods" in f.text]
    assert "1 of the points (2022-01-01 to 2022-01-31) is printed nowhere" in text


def test_a_printed_change_holds_against_a_base_printed_on_another_page():
    # January's 1,000 (999.5-1,000.5) on one page, February's 1,200 and +20% on another:
    # 1,199.5 / 1,000.5 - 1 = 19.89% to 1,200.5 / 999.5 - 1 = 20.11%, inside 19.5%-20.5%: it holds.
    rows = [
        calls_in_testland("t_jan", "2022-01-01", "2022-01-31", 1000, 999.5, 1000.5, source="t_page_a"),
        calls_1200_in_testland("t_feb", "2022-02-01", "2022-02-28", source="t_page_b"),
        plus_20_percent_change("t_chg", "test_calls_change_period", "2022-02-01", "2022-02-28", source="t_page_b"),
    ]
    a = analyse(rows, "hotline")
    (check,) = a.changes
    assert not check.implied and check.holds
    assert check.expected.low == pytest.approx(1199.5 / 1000.5 - 1)
    assert check.expected.high == pytest.approx(1200.5 / 999.5 - 1)
    assert check.figure_ids == ("t_chg", "t_feb", "t_jan")
    (text,) = [f.text for f in a.series_findings if "printed change" in f.text]
    assert "holds against 1000 printed on another page for 2022-01-01 to 2022-01-31" in text
    assert "gives 19.9%–20.1%, within the printed 19.5%–20.5%" in text
    # Nothing is implied: the pair is the two printed months.
    (pair,) = a.pairs
    assert pair.figure_ids == ("t_jan", "t_feb")


def test_a_year_on_year_change_fails_against_the_same_month_printed_a_year_earlier():
    # July 2022: 1,200 at +20% 同比; July 2021 printed as 1,100: 1,199.5 / 1,100.5 - 1 = 9.0% to
    # 1,200.5 / 1,099.5 - 1 = 9.2%, outside 19.5%-20.5%: it fails, and nothing is implied.
    rows = [
        calls_in_testland("t_jul21", "2021-07-01", "2021-07-31", 1100, 1099.5, 1100.5, source="t_page_a"),
        calls_1200_in_testland("t_jul22", "2022-07-01", "2022-07-31", source="t_page_b"),
        plus_20_percent_change("t_yoy", "test_calls_change_year", "2022-07-01", "2022-07-31", source="t_page_b"),
    ]
    a = analyse(rows, "hotline")
    (check,) = a.changes
    assert not check.holds and not check.implied
    assert check.expected.high == pytest.approx(1200.5 / 1099.5 - 1)
    assert check.expected.high < 0.195
    (text,) = [f.text for f in a.series_findings if "printed change" in f.text]
    assert "does not hold against 1100 printed on another page for 2021-07-01 to 2021-07-31" in text
    assert "gives 9.0%–9.2%, outside the printed 19.5%–20.5%" in text
    # The two Julys are 334 days apart (August 2021 to June 2022): said, not presented as growth.
    (pair,) = a.pairs
    assert pair.gap_days == 334
    (pair_text,) = [f.text for f in a.series_findings if "per day, " in f.text]
    assert "334 days" in pair_text and "not growth from one period to the next" in pair_text
    assert "season" not in pair_text  # July against July: the same month of the year


# ---- seasonality ------------------------------------------------------------------------------------------


def test_two_julys_and_a_march_carry_a_season_note_in_the_trend_sentence():
    rows = [
        calls_in_testland("t_jul21", "2021-07-01", "2021-07-31", 3100),
        calls_in_testland("t_mar22", "2022-03-01", "2022-03-31", 2480),
        calls_in_testland("t_jul22", "2022-07-01", "2022-07-31", 3410),
    ]
    a = analyse(rows, "hotline")
    (trend,) = a.trends
    (text,) = [f.text for f in a.series_findings]
    assert "the periods cover different months of the year (months printed in more than one year: July)" in text
    assert "may reflect season rather than growth" in text
    # August 2021 to February 2022 (31+30+31+30+31+31+28 = 212 days) and April to June 2022 (30+31+30 = 91)
    # lie between the periods: 303 days.
    assert "303 days in all lie between them" in text
    with language.using("zh"):
        zh = compare.trend_finding(trend).text
    assert "在不止一个年份公布的月份：七月" in zh


def test_whole_years_carry_no_season_note():
    rows = [
        calls_in_testland(f"t_{y}", f"{y}-01-01", f"{y}-12-31", 3650 + 100 * n)
        for n, y in enumerate((2019, 2020, 2021))
    ]
    (text,) = [f.text for f in analyse(rows, "hotline").series_findings]
    assert "season" not in text and "lie between" not in text


# ---- per resident -----------------------------------------------------------------------------------------


def test_a_province_and_a_city_inside_it_are_compared_per_resident_with_population_intervals():
    # Province: 3,652,500 calls in 2021 (365 days) = 10,006.85 a day; population 5,000万 printed to the 10万
    # (49,950,000-50,050,000). City inside it: 730,000 calls = 2,000 a day; 1,000万 (9,950,000-10,050,000).
    # Per 10,000 residents a day: 10,006.85 / 5,005 to 10,006.85 / 4,995 = 1.9994-2.0034;
    # 2,000 / 1,005 to 2,000 / 995 = 1.9900-2.0101: they overlap, so cannot be told apart.
    rows = [
        fig("t_p_calls", "Testland", "test_calls", "2021-01-01", "2021-12-31", 3652500),
        fig("t_p_pop", "Testland", "test_residents", "2021-12-31", "2021-12-31", 5e7, 4.995e7, 5.005e7),
        fig("t_c_calls", "Testland:City", "test_calls", "2021-01-01", "2021-12-31", 730000),
        fig("t_c_pop", "Testland:City", "test_residents", "2021-12-31", "2021-12-31", 1e7, 9.95e6, 1.005e7),
        fig("t_o_calls", "Otherland", "test_calls", "2021-01-01", "2021-12-31", 36500),
    ]
    a = analyse(rows, "hotline")
    per = a.measures[a.measures["measure"] == "per_day_per_resident"].set_index("region")
    assert set(per.index) == {"Testland", "Testland:City"}
    assert per.at["Testland", "value"] == pytest.approx(3652500 / 365 / 5e7 * 10_000)
    assert per.at["Testland", "low"] == pytest.approx(3652500 / 365 / 5.005e7 * 10_000)
    assert per.at["Testland", "high"] == pytest.approx(3652500 / 365 / 4.995e7 * 10_000)
    assert per.at["Testland:City", "low"] == pytest.approx(2000 / 1.005e7 * 10_000)
    assert per.at["Testland:City", "high"] == pytest.approx(2000 / 9.95e6 * 10_000)
    assert per.at["Testland:City", "figure_ids"] == ("t_c_calls", "t_c_pop")
    by_measure = {
        c.measure: c for c in a.comparisons if {c.a["region"], c.b["region"]} == {"Testland", "Testland:City"}
    }
    assert by_measure["per_day"].nested  # in level a province is not set against a city inside it
    resident = by_measure["per_day_per_resident"]
    assert not resident.nested and not resident.distinguishable
    (text,) = [f.text for f in a.findings if "per 10,000 residents" in f.text and "cannot be told apart" in f.text]
    assert "1.99–2.01" in text and "2021-01-01 to 2021-12-31; resident population 10000000.0, 2021-12-31" in text
    # Otherland prints no population: said, with its figure.
    (none,) = [f for f in a.findings if f.text.startswith("No resident population is printed for Otherland")]
    assert none.figure_ids == ("t_o_calls",)
    # The first finding is a comparison, not the tally.
    assert "per day" in a.findings[0].text and not a.findings[0].text.startswith("Comparison of")


def test_a_city_with_a_higher_rate_per_resident_is_named_though_its_level_is_lower():
    # Province 3,650 a day over 5,000万 = 0.73 per 10,000; city 1,460 a day over 100万 = 14.6: apart.
    rows = [
        fig("t_p_calls", "Testland", "test_calls", "2021-01-01", "2021-12-31", 3650 * 365),
        fig("t_p_pop", "Testland", "test_residents", "2021-12-31", "2021-12-31", 5e7, 4.95e7, 5.05e7),
        fig("t_c_calls", "Testland:City", "test_calls", "2021-01-01", "2021-12-31", 1460 * 365),
        fig("t_c_pop", "Testland:City", "test_residents", "2021-12-31", "2021-12-31", 1e6, 9.5e5, 1.05e6),
    ]
    a = analyse(rows, "hotline")
    (c,) = [c for c in a.comparisons if c.measure == "per_day_per_resident"]
    assert c.distinguishable
    assert c.b["low"] == pytest.approx(1460 / 1.05e6 * 10_000)  # 13.9 > the province's 3,650 / 4.95e7 × 10,000 = 0.737
    assert a.findings[0].text.startswith(
        "test calls, per day per 10,000 residents: Testland:City is higher than Testland"
    )


def test_a_base_implied_a_year_earlier_is_not_presented_as_growth_without_its_distance():
    # July 2022: 1,200 at +20% 同比, July 2021 printed nowhere: implied 1,000; the pair of the two Julys is
    # 334 days apart (August 2021 to June 2022: 31+30+31+30+31+31+28+31+30+31+30), said with the implied mark.
    rows = [
        calls_1200_in_testland("t_jul22", "2022-07-01", "2022-07-31"),
        plus_20_percent_change("t_yoy", "test_calls_change_year", "2022-07-01", "2022-07-31"),
    ]
    a = analyse(rows, "hotline")
    (pair,) = a.pairs
    assert (pair.earlier["start"], pair.earlier["end"]) == ("2021-07-01", "2021-07-31")
    assert pair.gap_days == 334
    assert pair.value == pytest.approx(1.2)  # the same days in both Julys: the ratio restates the printed change
    (text,) = [f.text for f in a.series_findings if "per day, " in f.text]
    assert "334 days (0.91 years) apart, so this is not growth from one period to the next" in text
    assert "(2021-07-01 to 2021-07-31) is printed nowhere" in text


def test_chart_stem_is_short_and_deterministic_for_many_figures():
    import hashlib

    ids = tuple(f"t_year_end_{y}_with_a_long_figure_name" for y in range(2006, 2023))  # 17 ids
    stem = compare.figure_stem("trend", ids)
    # by hand: 'trend_' + first 10 hex digits of SHA-1 of the sorted ids joined by '|'
    assert stem == "trend_" + hashlib.sha1("|".join(sorted(ids)).encode()).hexdigest()[:10]
    assert len(stem) == 16 < 255
    assert compare.figure_stem("trend", tuple(reversed(ids))) == stem
    assert compare.figure_stem("trend", ids[:-1]) != stem


def test_poverty_comparison_is_worded_for_any_caseload():
    assert "struggling" not in language.say("compare.topic.poverty_exit").lower()


# ---- one quantity, not one unit -----------------------------------------------------------------------------


def test_two_different_quantities_of_one_unit_and_scope_are_not_compared_and_both_are_named():
    # Both flows of work orders on the one TEST hotline: received in one region, closed in the other.
    rows = [
        fig("t_a_received", "Testland", "test_work_orders_received", "2021-01-01", "2021-12-31", 3650),
        fig("t_b_closed", "Otherland", "test_work_orders_closed", "2021-01-01", "2021-12-31", 3650),
    ]
    a = analyse(rows, "hotline")
    assert a.comparisons == []
    (skipped,) = a.not_compared.itertuples()
    assert skipped.reason == "quantity"
    assert set(skipped.figure_ids) == {"t_a_received", "t_b_closed"}
    (finding,) = [f for f in a.findings if "different quantities" in f.text]
    # pairs are listed by region: Otherland first
    assert finding.text == (
        "Otherland's test work orders closed and Testland's test work orders received are not compared: different "
        "quantities. Both count work orders (工单) in one scope (test hotline), but test work orders closed is "
        "one quantity and test work orders received another."
    )
    assert set(finding.figure_ids) == {"t_a_received", "t_b_closed"}
    with language.using("zh"):
        zh = compare.not_compared_finding(a.not_compared.iloc[0]).text
        reason = compare.not_compared_table(a.not_compared).iloc[0]["reason"]
    assert "不作比较：二者是不同的量" in zh and "test work orders received" in zh and "test work orders closed" in zh
    assert reason.startswith("所计的量不同（test work orders closed；test work orders received）")


def test_one_quantity_in_two_regions_is_still_compared():
    rows = [
        fig("t_a_received", "Testland", "test_work_orders_received", "2021-01-01", "2021-12-31", 3650),
        fig("t_b_received", "Otherland", "test_work_orders_received", "2021-01-01", "2021-12-31", 7300),
    ]
    a = analyse(rows, "hotline")
    (c,) = a.comparisons
    assert c.distinguishable and a.not_compared.empty  # 10 a day against 20 a day


def test_two_rates_of_one_scope_are_different_quantities():
    rows = [
        fig("t_a", "Testland", "test_satisfied_rate", "2020-01-01", "2020-12-31", 0.9, 0.895, 0.905),
        fig("t_b", "Otherland", "test_resolved_rate", "2020-01-01", "2020-12-31", 0.9, 0.895, 0.905),
    ]
    a = analyse(rows, "satisfaction")
    assert a.comparisons == [] and list(a.not_compared["reason"]) == ["quantity"]


# ---- rates: clipped to 0–100%, shown with their printed digits --------------------------------------------


def printed_rate(figure_id, region, value, low, high, as_printed, qualifier="exact"):
    """A TEST FIXTURE rate with its printed text (fig() writes the value's repr)."""
    row = fig(figure_id, region, "test_satisfied_rate", "2020-01-01", "2020-12-31", value, low, high, qualifier)
    return {**row, "as_printed": as_printed}


def test_rates_keep_their_printed_digits_and_their_intervals_stay_within_0_and_100_percent():
    # 100% printed to the percent allows 99.5%–100.5%: clipped to 99.5%–100%. 0.015% printed to the thousandth
    # of a percent allows 0.0145%–0.0155%. ≥ 90% (at least, printed to the percent) allows 89.5% to no bound:
    # clipped to 89.5%–100%.
    rows = [
        printed_rate("t_full", "Testland", 1.0, 0.995, 1.005, "100%"),
        printed_rate("t_tiny", "Otherland", 0.00015, 0.000145, 0.000155, "0.015%"),
        printed_rate("t_bound", "Thirdland", 0.9, 0.895, math.inf, "90%", "at_least"),
    ]
    a = analyse(rows, "satisfaction")
    by_region = a.measures.set_index("region")
    assert (by_region.at["Testland", "low"], by_region.at["Testland", "high"]) == (pytest.approx(0.995), 1.0)
    assert by_region.at["Thirdland", "high"] == 1.0
    keys = {k.figure_ids: k for k in a.key_numbers}
    assert keys[("t_full",)].display == "100%" and keys[("t_full",)].high == 1.0
    assert keys[("t_tiny",)].display == "0.015%"
    assert (keys[("t_tiny",)].low, keys[("t_tiny",)].high) == (pytest.approx(0.000145), pytest.approx(0.000155))
    assert keys[("t_bound",)].display == "≥ 90%" and keys[("t_bound",)].high == 1.0
    with language.using("en"):
        table = compare.measure_table(a.measures).set_index("region")
    assert table.at["Testland", "shown"] == "100%"
    # the interval one digit past the printed ones, as the region pages show a printed rate's band
    assert table.at["Testland", "interval"] == "99.5%–100.0%"
    assert table.at["Otherland", "interval"] == "0.0145%–0.0155%"
    assert table.at["Thirdland", "interval"] == "89.5%–100.0%"
    # Testland's 99.5%–100% and Thirdland's 89.5%–100% overlap: they cannot be told apart.
    (c,) = [c for c in a.comparisons if {c.a["region"], c.b["region"]} == {"Testland", "Thirdland"}]
    assert not c.distinguishable


# ---- declared scopes in the report's language ---------------------------------------------------------------


def test_a_declared_scope_is_shown_in_chinese_on_a_chinese_page():
    rows = [fig("t_pop", "Testland", "test_residents", "2021-12-31", "2021-12-31", 1e6)]
    with language.using("zh"):
        a = compare.analyse("hotline", pd.DataFrame(rows), MEANING)
        table = compare.observation_table(a.observations)
    # indicators.csv declares the scope `residents`; the catalogue's zh words for it are 常住人口
    assert list(table["scope"]) == ["常住人口"]
    assert list(table["counts"]) == ["人"]


# ---- key numbers: keyed by what they are, citing the figures they are computed from -----------------------


def test_each_key_number_cites_only_the_figures_it_is_computed_from():
    rows = [
        fig("t_1", "Testland", "test_households_on_file", "2018-12-31", "2018-12-31", 1000),
        fig("t_2", "Testland", "test_households_on_file", "2019-12-31", "2019-12-31", 700),
        fig("t_3", "Testland", "test_households_on_file", "2020-12-31", "2020-12-31", 520),
        fig("t_o", "Otherland", "test_households_on_file", "2020-12-31", "2020-12-31", 800),
        fig("t_o_calls", "Otherland", "test_calls", "2021-01-01", "2021-12-31", 3650),
    ]
    a = analyse(rows)
    cited = {k.key: k.figure_ids for k in a.key_numbers}
    # by hand: the latest level of each region is its own figure; the net rate the first and last date;
    # the trend its three dates; the calls per day their one figure
    assert cited == {
        "level:Testland:test_households_on_file": ("t_3",),
        "net_rate:Testland:test_households_on_file": ("t_1", "t_3"),
        "level:Otherland:test_households_on_file": ("t_o",),
        "per_day:Otherland:test_calls": ("t_o_calls",),
        "trend:Testland:test_households_on_file": ("t_1", "t_2", "t_3"),
    }
    # A fourth year-end changes what the trend cites, not its key.
    more = analyse([*rows, fig("t_4", "Testland", "test_households_on_file", "2021-12-31", "2021-12-31", 400)])
    (trend,) = [k for k in more.key_numbers if k.key == "trend:Testland:test_households_on_file"]
    assert trend.figure_ids == ("t_1", "t_2", "t_3", "t_4")


# ---- issue 26 real-page trial: printed digits, per-day changes, stock-series notes, regions within regions ----


def test_an_implied_base_shows_the_printed_change_with_its_printed_digits_and_its_per_day_change():
    # July 2024: 180.00万 printed to the hundredth of a 万 (1,799,950-1,800,050) with 环比 17.42% printed to the
    # hundredth of a percent (17.415%-17.425%). June is printed nowhere: 1,800,000 / 1.1742 = 1,532,958.6, shown
    # 1,532,959; interval 1,799,950 / 1.17425 to 1,800,050 / 1.17415.
    rows = [
        {**calls_in_testland("t_jul", "2024-07-01", "2024-07-31", 1_800_000, 1_799_950, 1_800_050)},
        {
            **fig(
                "t_mom", "Testland", "test_calls_change_period", "2024-07-01", "2024-07-31", 0.1742, 0.17415, 0.17425
            ),
            "as_printed": "17.42%",
        },
    ]
    rows[0]["as_printed"] = "180.00万件"
    a = analyse(rows, "hotline")
    low, high = 1_799_950 / 1.17425, 1_800_050 / 1.17415
    (text,) = [f.text for f in a.series_findings if "printed nowhere;" in f.text]
    assert f"implies 1,532,959 for it (180.00万件 / (1 + 17.42%); interval {low:,.0f}–{high:,.0f})" in text
    # The reader's arithmetic gives the point: 1,800,000 / 1.1742 rounds to 1,532,959.
    assert f"{1_800_000 / 1.1742:,.0f}" == "1,532,959"
    # Per day, July (31 days) against the implied June (30): 30 / 31 x 1.1742 - 1 = 13.63%, shown +13.6%; its
    # interval (1,799,950 / 31) / (high / 30) - 1 to (1,800,050 / 31) / (low / 30) - 1 shows +13.6% at both ends.
    (pair,) = a.pairs
    assert pair.value - 1 == pytest.approx(30 / 31 * 1.1742 - 1)
    assert f"{(1_799_950 / 31) / (high / 30) - 1:.1%}" == f"{(1_800_050 / 31) / (low / 30) - 1:.1%}" == "13.6%"
    (pair_text,) = [f.text for f in a.series_findings if "per day, " in f.text]
    assert "per day, 2024-07-01 to 2024-07-31 changed +13.6% on 2024-06-01 to 2024-06-30" in pair_text
    assert "(+13.6% at both ends of its interval, to the digits shown)" in pair_text
    assert "times" not in pair_text and "interval +13.6%)" not in pair_text
    (key,) = [k for k in a.key_numbers if k.key.startswith("pair:")]
    assert key.display == "+13.6%" and key.value == pytest.approx(30 / 31 * 1.1742 - 1)


def test_a_falling_printed_change_is_written_one_minus_its_printed_digits():
    assert compare.growth_factor("-0.21%") == "1 − 0.21%"
    assert compare.growth_factor("+2.02%") == "1 + 2.02%"


def test_a_large_per_day_ratio_is_said_as_a_change_too():
    # 600 / 30 = 20 a day against 310 / 31 = 10: twice, a change of +100.0%; both printed exactly, so the interval
    # is the one value.
    (text,) = [f.text for f in analyse(JANUARY_AND_JUNE_CALLS, "hotline").series_findings]
    assert "changed +100.0% on 2021-01-01 to 2021-01-31 (+100.0% at both ends of its interval" in text


def test_a_stock_trend_over_unevenly_spaced_dates_in_different_months_says_both():
    # Four dates: two adjacent-month pairs. 2017-06-30 to 2017-07-31: 31 days; 2017-07-31 to 2019-12-31:
    # 730 (two years) + 153 (August 31 + September 30 + October 31 + November 30 + December 31) = 883;
    # 2019-12-31 to 2020-01-31: 31. The months: June, July, December, January.
    rows = [
        fig(f"t_{d}", "Testland", "test_households_on_file", d, d, v)
        for d, v in (("2017-06-30", 1000), ("2017-07-31", 998), ("2019-12-31", 960), ("2020-01-31", 962))
    ]
    (text,) = [f.text for f in analyse(rows).series_findings]
    assert "the 4 points are unevenly spaced (31, 883, 31 days between successive points)" in text
    assert "the dates fall in different months of the year (January, June–July, December)" in text
    assert "may reflect season rather than change" in text


def test_year_end_stocks_are_evenly_spaced_and_carry_no_season_note():
    rows = [
        fig(f"t_{y}", "Testland", "test_households_on_file", f"{y}-12-31", f"{y}-12-31", 1000 - 10 * n)
        for n, y in enumerate((2018, 2019, 2020))
    ]
    (text,) = [f.text for f in analyse(rows).series_findings]
    assert "unevenly" not in text and "season" not in text  # 365 and 366 days; every date a December


def test_a_region_declared_within_another_is_not_compared_in_levels_and_the_list_says_why():
    # TEST FIXTURE regions: Testprovince lies within Testcountry (regions.csv `within`), which its name cannot say.
    rows = [
        fig("t_c18", "Testcountry", "test_households_on_file", "2018-12-31", "2018-12-31", 100_000),
        fig("t_c20", "Testcountry", "test_households_on_file", "2020-12-31", "2020-12-31", 81_000),
        fig("t_p18", "Testprovince", "test_households_on_file", "2018-12-31", "2018-12-31", 1_000),
        fig("t_p20", "Testprovince", "test_households_on_file", "2020-12-31", "2020-12-31", 900),
    ]
    with language.using("en"):
        a = compare.analyse("poverty_exit", pd.DataFrame(rows), MEANING, within={"Testprovince": "Testcountry"})
        table = compare.not_compared_table(a.not_compared, a.comparisons)
    by_measure = {c.measure: c for c in a.comparisons}
    assert by_measure["level"].nested and by_measure["level"].outer == "Testcountry"
    # Net rates a year are each region's own: compared. (81,000 / 100,000)^(1/2) - 1 = -10% against
    # (900 / 1,000)^(1/2) - 1 = -5.1%, over 731 days (2020 a leap year): both near those values.
    assert not by_measure["net_rate"].nested
    (sentence,) = [f.text for f in a.findings if "not compared as levels" in f.text]
    assert "Testprovince lies within Testcountry" in sentence
    (reason,) = list(table["reason"])
    assert reason == "test households on file, level not compared as a level: Testprovince lies within Testcountry"
    # Without the declaration the two would be compared in levels.
    plain = compare.analyse("poverty_exit", pd.DataFrame(rows), MEANING, within={})
    assert not any(c.nested for c in plain.comparisons)


def test_the_tally_of_pairs_not_compared_counts_the_nested_pairs_too():
    # TEST FIXTURE: Testland and Testland:North print households on file (nested by name: not compared as a
    # level); Otherland prints persons (another unit: not compared with either). Rows of the table by hand:
    # Testland/Otherland (units), Testland:North/Otherland (units), Testland/Testland:North (within) = 3.
    rows = [
        fig("t_a", "Testland", "test_households_on_file", "2020-12-31", "2020-12-31", 5000),
        fig("t_b", "Testland:North", "test_households_on_file", "2020-12-31", "2020-12-31", 500),
        fig("t_c", "Otherland", "test_persons_on_file", "2020-12-31", "2020-12-31", 800),
    ]
    with language.using("en"):
        a = compare.analyse("poverty_exit", pd.DataFrame(rows), MEANING, within={})
        table = compare.not_compared_table(a.not_compared, a.comparisons)
    assert len(table) == 3
    (tally,) = [f for f in a.findings if f.text.startswith("In all,")]
    assert tally.text.startswith("In all, 3 pair(s) of figures")
    assert set(tally.figure_ids) == {"t_a", "t_b", "t_c"}


def test_a_tally_is_given_when_the_only_pairs_not_compared_are_nested():
    rows = [
        fig("t_a", "Testland", "test_households_on_file", "2020-12-31", "2020-12-31", 5000),
        fig("t_b", "Testland:North", "test_households_on_file", "2020-12-31", "2020-12-31", 500),
    ]
    (tally,) = [f for f in analyse(rows).findings if f.text.startswith("In all,")]
    assert tally.text.startswith("In all, 1 pair(s) of figures") and set(tally.figure_ids) == {"t_a", "t_b"}


def test_within_and_the_name_prefix_combine():
    # Testcountry encloses Testprovince (declared) and so Testprovince:City (by its name).
    within = {"Testprovince": "Testcountry"}
    assert compare.enclosing("Testprovince:City", within) == {"Testprovince", "Testcountry"}
    assert compare.nested("Testcountry", "Testprovince:City", within)
    assert not compare.nested("Testprovince", "Otherprovince", within)


def test_every_printed_indicator_appears_on_the_page():
    # Testland prints work orders received and closed (one unit, one scope); Otherland only received. Received is
    # compared across the two; closed is printed by one region only and must be listed, not dropped.
    rows = [
        fig("t_a_received", "Testland", "test_work_orders_received", "2021-01-01", "2021-12-31", 3650),
        fig("t_a_closed", "Testland", "test_work_orders_closed", "2021-01-01", "2021-12-31", 3285),
        fig("t_b_received", "Otherland", "test_work_orders_received", "2021-01-01", "2021-12-31", 7300),
    ]
    a = analyse(rows, "hotline")
    (alone,) = [f for f in a.findings if f.text.startswith("Printed by one region only")]
    assert "Testland, test work orders closed, per day" in alone.text and "t_a_closed" in alone.figure_ids
    on_page = {i for f in a.findings for i in f.figure_ids}
    assert set(a.observations["figure_id"]) <= on_page

"""Poverty-exit arithmetic, each expected value derived by hand, not copied from the code's output."""

from __future__ import annotations

import math
import re
from fractions import Fraction

import numpy as np
import pytest

from analysis import calendar
from analysis.topics import poverty


def test_6656_to_512_is_a_net_exit_fraction_of_exactly_twelve_thirteenths():
    # 6656 = 13 * 512, so 512 / 6656 = 1/13 and 1 - 1/13 = 12/13.
    assert 6656 == 13 * 512
    assert poverty.net_exit_fraction(6656, 512) == Fraction(12, 13)


def test_days_between_the_published_dates():
    # 2016-10-31 -> 2019-10-31 is 3 years with one leap day (2019-02-29 does not exist, 2016-02-29 is
    # before the start): 365 * 3 = 1095; then 21 more days to 2019-11-21.
    assert calendar.days_between("2016-10-31", "2019-11-21") == 1095 + 21


def test_net_constant_hazard_matches_the_closed_form():
    days = 1116
    rate = math.log(13) / (days / 365.25)  # ln(N0/N1) / t
    estimate = poverty.net_constant_hazard(6656, 512, days)
    assert estimate.rate_per_year == pytest.approx(rate, rel=1e-12)
    assert estimate.annual_exit_probability == pytest.approx(1 - math.exp(-rate), rel=1e-12)
    assert estimate.half_life_years == pytest.approx(math.log(2) / rate, rel=1e-12)
    # After one half-life exactly half the stock is left.
    assert 6656 * math.exp(-rate * estimate.half_life_years) == pytest.approx(3328)


def test_gross_hazard_with_zero_inflow_is_the_net_hazard():
    net = poverty.net_constant_hazard(6656, 512, 1116).rate_per_year
    assert poverty.gross_hazard(6656, 512, 1116, 0.0) == pytest.approx(net, rel=1e-12)


def test_gross_hazard_reproduces_the_end_stock_by_euler_integration():
    rate = poverty.gross_hazard(6656, 512, 1116, inflow_per_year=800.0)
    years, steps = 1116 / 365.25, 200_000
    stock, dt = 6656.0, years / steps
    for _ in range(steps):  # dN/dt = I - rate * N, integrated independently of the closed form
        stock += (800.0 - rate * stock) * dt
    assert stock == pytest.approx(512, rel=1e-3)


def test_gross_hazard_rises_with_inflow():
    table = poverty.inflow_sensitivity(6656, 512, 1116, np.array([0, 200, 600, 1200]))
    assert table["rate_per_year"].is_monotonic_increasing
    assert table["annual_exit_probability"].between(0, 1).all()


def test_projection_band_contains_the_no_inflow_path_and_settles_at_inflow_over_rate():
    table = poverty.inflow_sensitivity(6656, 512, 1116, np.array([0, 1000]))
    projection = poverty.project_stock(512, table, np.array([0.0, 1.0, 200.0]))
    assert (projection["band_low"] <= projection["no_inflow"] + 1e-9).all()
    assert (projection["no_inflow"] <= projection["band_high"] + 1e-9).all()
    steady = 1000 / table.loc[1, "rate_per_year"]
    assert projection["band_high"].iloc[-1] == pytest.approx(steady, rel=1e-6)
    assert projection["no_inflow"].iloc[0] == pytest.approx(512)


def test_the_chinese_findings_state_the_same_numbers_in_chinese():
    from analysis import language
    from analysis.evidence import tidy
    from evidence_fixtures import evidence, processed, row

    rows = [
        row(f"s{i}", "poverty_exit", "struggling_worker_households_on_file", printed, "户", date, date)
        for i, (printed, date) in enumerate((("6656", "2016-10-31"), ("512", "2019-11-21")))
    ]
    figures, audit = evidence(rows)
    with language.using("zh"):
        a = poverty.analyse(processed(tidy.poverty_caseload(figures)), "Testland", audit)
    assert a.findings[0].text.startswith(
        "Testland在档数从6,656户降至512户（2016年10月31日至2019年11月21日，共1116天）：净退出比例为12/13 = 92.3%"
    )
    assert "年退出概率为56.8%（半衰期0.83年）" in a.findings[0].text
    labels = {k.key: k.label for k in a.key_numbers}
    assert labels["net_exit_fraction_2019-11-21"] == "净退出比例，2016年10月31日至2019年11月21日"
    # Nothing English is left but the test region's name and the formulas' symbols.
    for text in [*(f.text for f in a.findings), *labels.values()]:
        assert not re.search(r"[A-Za-z]{3,}", text.replace("Testland", "")), text

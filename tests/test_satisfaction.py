"""Wilson intervals and what a sample size would buy, checked against the closed-form score interval."""

from __future__ import annotations

import math

import pytest
from scipy.stats import norm

from analysis.topics import satisfaction

Z = norm.ppf(0.975)


def wilson_by_hand(successes: int, n: int) -> tuple[float, float]:
    p = successes / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return centre - half, centre + half


@pytest.mark.parametrize("successes,n", [(90, 100), (984, 1000), (5, 5), (0, 20)])
def test_wilson_interval_matches_the_score_formula(successes, n):
    assert satisfaction.wilson_interval(successes, n) == pytest.approx(wilson_by_hand(successes, n), abs=1e-12)


def test_smallest_n_for_a_100_percent_rate_to_clear_95_percent():
    # With every response good, the Wilson lower bound is n / (n + z^2); it exceeds 0.95 once
    # n > 19 z^2 = 72.99, so n = 73.
    threshold_n = math.floor(19 * Z * Z) + 1
    assert threshold_n == 73
    assert satisfaction.smallest_n_with_lower_bound_above(1.0, 0.95) == threshold_n
    assert 72 / (72 + Z * Z) < 0.95 < 73 / (73 + Z * Z)


def test_interval_narrows_as_n_grows():
    table = satisfaction.interval_by_sample_size(0.971, [50, 500, 5000])
    widths = table["high"] - table["low"]
    assert widths.is_monotonic_decreasing


def test_no_interval_without_a_denominator():
    assert satisfaction.rate_interval_text(0.984, None) == "n not reported"
    assert satisfaction.rate_interval_text(0.9, 100) != "n not reported"


def test_per_thousand_and_per_month():
    assert satisfaction.per_thousand(21_000, 178_000) == pytest.approx(117.977, abs=1e-3)
    assert satisfaction.per_month(365.25, 365.25) == pytest.approx(1 / 12 * 365.25)

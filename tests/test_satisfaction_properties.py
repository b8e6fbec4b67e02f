"""Properties of the rate rules, checked by brute force on generated printed rates (Hypothesis).

Each property restates a rule from its definition, by hand: a k/n 'prints' a rate when it lies within the rate's
printed rounding; 'n needed' holds at every larger n; the smallest n that can print a rate has no smaller one.
"""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import beta, norm

from analysis.topics import satisfaction

Z = norm.ppf(0.975)


def wilson_low(successes: float, n: int) -> float:
    p = successes / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    return centre - Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))


def band(permyriad: int, decimals: int) -> tuple[Fraction, Fraction]:
    """The printed rounding of a rate printed as permyriad/100 % at `decimals` decimals (half a last digit)."""
    rate = Fraction(permyriad, 10_000)
    half = Fraction(1, 2 * 10**decimals) / 100
    return rate - half, rate + half


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=5_000, max_value=9_999), st.sampled_from([0, 1, 2]))
def test_no_smaller_n_prints_the_rate(permyriad, decimals):
    permyriad -= permyriad % 10 ** (2 - decimals)  # a rate printed at `decimals` decimals
    low, high = band(permyriad, decimals)
    n_min = satisfaction.smallest_n_printing(low, high)
    assert any(low <= Fraction(k, n_min) <= high for k in range(n_min + 1))
    assert not any(low <= Fraction(k, n) <= high for n in range(1, n_min) for k in range(n + 1))


def clears_a_point_below(rate: float, low: Fraction, high: Fraction, n: int) -> bool:
    """At n, every k whose k/n lies within the printed rounding has a Wilson lower end above rate − 1 point."""
    least, most = math.ceil(low * n), math.floor(high * n)  # exact: low and high are fractions
    return all(wilson_low(k, n) > rate - 0.01 for k in range(least, most + 1))


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=600, max_value=990))
def test_n_needed_holds_at_every_larger_n_and_every_printing_count_and_fails_just_below(permille):
    rate = permille / 1000
    low, high = band(permille * 10, 1)
    needed = satisfaction.n_needed_within(rate, low, high)
    assert all(clears_a_point_below(rate, low, high, n) for n in range(needed, needed + 3000))
    if needed > 1:
        assert not clears_a_point_below(rate, low, high, needed - 1)


def exact_low(k: int, n: int) -> float:
    """Clopper–Pearson one-sided 95% lower bound, by its definition: the p at which P(X ≥ k) = 0.05."""
    return float(beta.ppf(0.05, k, n - k + 1)) if k else 0.0


def test_n_needed_for_100_percent_counts_every_k_that_prints_100_percent():
    # Against 95%: 0.05^(1/n) > 0.95 from n > ln 0.05 / ln 0.95 = 58.4, so 59; from n = 200 a 100% print also
    # allows k = n − 1 (99.5%), whose bound is above 95% there, so 59 stands.
    full = Fraction(995, 1000)
    assert satisfaction.n_needed_full(full, 0.95) == math.floor(math.log(0.05) / math.log(0.95)) + 1 == 59
    # Against 99%: k = n alone would need n > ln 0.05 / ln 0.99 = 298.1, but from n = 200 a printed 100% can be
    # 199 of 200, ..., whose bound stays at or below 99% until the n found here; at every n from it, every
    # k ≥ 0.995 n clears 99%, and just below it one does not.
    needed = satisfaction.n_needed_full(full, 0.99)
    assert needed > math.log(0.05) / math.log(0.99)
    assert all(exact_low(math.ceil(full * n), n) > 0.99 for n in range(needed, needed + 2000))
    assert exact_low(math.ceil(full * (needed - 1)), needed - 1) <= 0.99

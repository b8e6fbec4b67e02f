"""Properties of the 同比/环比 naming (Hypothesis): whatever the month, length or leap year, the same period a
year earlier is year-on-year and the adjacent earlier period of the same length period-on-period."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from analysis.topics.hotline import comparison_name


def span(start: date, end: date) -> pd.Series:
    return pd.Series({"period_start": start.isoformat(), "period_end": end.isoformat()})


def month_span(year: int, month: int, months: int) -> tuple[date, date]:
    first = date(year, month, 1)
    after = pd.Timestamp(first) + pd.DateOffset(months=months)
    return first, (after - pd.Timedelta(days=1)).date()


@given(st.integers(2000, 2030), st.integers(1, 12), st.integers(1, 12))
def test_the_same_months_a_year_earlier_are_year_on_year(year, month, months):
    later = span(*month_span(year, month, months))
    earlier = span(*month_span(year - 1, month, months))  # February 2024 (29 days) against February 2023 (28)
    assert comparison_name("change", later, earlier) == "year_on_year"
    assert comparison_name("ratio", later, earlier) == "ratio"


@given(st.integers(2000, 2030), st.integers(1, 12), st.integers(1, 11))
def test_the_adjacent_months_of_the_same_count_are_period_on_period(year, month, months):
    first, last = month_span(year, month, months)
    previous_first = (pd.Timestamp(first) - pd.DateOffset(months=months)).date()
    earlier = span(previous_first, first - timedelta(days=1))
    assert comparison_name("change", span(first, last), earlier) == "period_on_period"


@given(st.dates(date(2000, 1, 2), date(2030, 12, 27)).filter(lambda d: 2 <= d.day <= 27), st.integers(1, 20))
def test_adjacent_runs_of_days_are_period_on_period_and_a_shorter_one_is_not(start, days):
    later = span(start, start + timedelta(days=days - 1))
    earlier = span(start - timedelta(days=days), start - timedelta(days=1))
    assert comparison_name("change", later, earlier) == "period_on_period"
    shorter = span(start - timedelta(days=days - 1), start - timedelta(days=1)) if days > 1 else None
    if shorter is not None:
        assert comparison_name("change", later, shorter) == "change"

"""Hotline arithmetic: per-day normalisation, printed ratios and the unexplained remainder."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import calendar
from analysis.topics import hotline


def test_printed_ratio_of_1_5_holds_for_2253_over_1486():
    ratio = 2253 / 1486  # 1.5161...
    assert hotline.printed_decimals(1.5) == 1
    assert hotline.ratio_holds(ratio, 1.5, 1)
    assert not hotline.ratio_holds(2253 / 1400, 1.5, 1)  # 1.609 would print as 1.6


def test_per_day_ratio_of_a_half_year_against_a_year():
    # 2022-01-01..06-30 has 181 days; 2021 has 365.
    per_day_ratio = hotline.per_day(2253, 181) / hotline.per_day(1486, 365)
    assert per_day_ratio == pytest.approx((2253 * 365) / (1486 * 181))
    assert per_day_ratio > 3


def test_unexplained_volume_is_a_lower_bound_spread_over_the_other_days():
    stated = pd.DataFrame({"period_start": ["2021-01-01", "2022-01-01"],
                           "period_end": ["2021-12-31", "2022-06-30"], "calls": [1486, 2253]})
    table = hotline.unexplained_volume(6400, "2019-01-01", stated, ["2022-06-30", "2022-08-31"])
    # 2019 + 2020 = 365 + 366 = 731 days outside the stated periods up to 2022-06-30; 62 more by 08-31.
    assert list(table["unexplained_days"]) == [731, 793]
    assert list(table["unexplained_calls_at_least"]) == [6400 - 1486 - 2253] * 2
    assert table["unexplained_per_day_at_least"].iloc[0] == pytest.approx(2661 / 731)


def test_date_range_ends_on_the_last_day():
    assert calendar.date_range("2022-06-30", "2022-07-10", 7) == ["2022-06-30", "2022-07-07", "2022-07-10"]

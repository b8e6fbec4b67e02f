"""Chart axes scale by the data's magnitude: a county's 131 requests a day plot as 131, not 0.01 (issue 24)."""

from __future__ import annotations

import pandas as pd

from analysis.charts import hotline as hotline_charts
from analysis.charts.style import axis_scale


def test_the_axis_reads_in_wan_only_from_ten_thousand():
    assert axis_scale(131.0, 9_999.0) == 1.0
    assert axis_scale(131.0, 10_000.0) == 10_000.0
    assert axis_scale(float("inf"), 131.0) == 1.0  # an unbounded end does not set the scale


def _volumes(per_day: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_start": ["2023-01-09"],
            "period_end": ["2023-01-15"],
            "per_day": [per_day],
            "qualifier": ["exact"],
            "period": ["TEST week"],
            "as_printed": ["917件"],
        }
    )


def test_a_county_volume_is_drawn_at_its_own_scale_and_a_city_volume_in_wan():
    county = hotline_charts.calls_per_day_chart(_volumes(131.0), None, "Testland", "en").axes[0]
    assert county.get_ylim()[1] > 131  # 917 / 7 = 131 a day, drawn as 131
    assert county.get_ylabel() == "Volume per day"
    city = hotline_charts.calls_per_day_chart(_volumes(81_000.0), None, "Testland", "en").axes[0]
    assert 8.1 < city.get_ylim()[1] < 81  # 81,000 a day drawn as 8.1 (万)
    assert city.get_ylabel() == "Volume per day (10,000)"

"""Chart axes scale by the data's magnitude: a county's 131 requests a day plot as 131, not 0.01 (issue 24);
legends name what is counted from the data (indicators.csv names), never by an id."""

from __future__ import annotations

import pandas as pd

from analysis.charts import hotline as hotline_charts
from analysis.charts.style import axis_scale


def test_the_axis_reads_in_wan_only_from_ten_thousand():
    assert axis_scale(131.0, 9_999.0) == 1.0
    assert axis_scale(131.0, 10_000.0) == 10_000.0
    assert axis_scale(float("inf"), 131.0) == 1.0  # an unbounded end does not set the scale


def _volumes(*per_day: float) -> pd.DataFrame:
    n = len(per_day)
    return pd.DataFrame(
        {
            "indicator": ["requests_in", "work_orders_in"][:n],
            "name": ["requests received", "work orders opened"][:n],
            "period_start": ["2023-01-09"] * n,
            "period_end": ["2023-01-15"] * n,
            "per_day": list(per_day),
            "qualifier": ["exact"] * n,
            "period": ["TEST week"] * n,
            "as_printed": ["917件", "300件"][:n],
        }
    )


def test_a_county_volume_is_drawn_at_its_own_scale_and_a_city_volume_in_wan():
    county = hotline_charts.calls_per_day_chart(_volumes(131.0), None, "Testland", "en").axes[0]
    assert county.get_ylim()[1] > 131  # 917 / 7 = 131 a day, drawn as 131
    assert county.get_ylabel() == "Volume per day"
    assert [t.get_text() for t in county.get_legend().get_texts()] == ["TEST week (917件)"]
    city = hotline_charts.calls_per_day_chart(_volumes(81_000.0), None, "Testland", "en").axes[0]
    assert 8.1 < city.get_ylim()[1] < 81  # 81,000 a day drawn as 8.1 (万)
    assert city.get_ylabel() == "Volume per day (10,000)"


def test_two_things_counted_are_named_by_their_indicator_names():
    axes = hotline_charts.calls_per_day_chart(_volumes(131.0, 43.0), None, "Testland", "en").axes[0]
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    assert legend == ["requests received, TEST week (917件)", "work orders opened, TEST week (300件)"]
    assert not any("requests_in" in text or "work_orders_in" in text for text in legend)


def test_a_remainder_band_below_ten_thousand_is_labelled_without_a_scale():
    band = pd.DataFrame({"per_day_low": [50.0], "per_day_high": [60.0]})
    axes = hotline_charts.calls_per_day_chart(_volumes(131.0), band, "Testland", "en").axes[0]
    assert [t.get_text() for t in axes.get_legend().get_texts()][-1] == "Unexplained per day"


def test_a_printed_daily_average_says_a_day_and_the_legend_has_headroom():
    volumes = _volumes(131.0).assign(as_printed=["131件"], printed_average=[True])
    axes = hotline_charts.calls_per_day_chart(volumes, None, "Testland", "en").axes[0]
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["TEST week (131件 a day)"]
    assert axes.get_ylim()[1] == 131.0 * hotline_charts.LEGEND_HEADROOM

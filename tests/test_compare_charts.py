"""Comparison trend charts: x tick labels never overprint, even for dates a month apart."""

from __future__ import annotations

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg

from analysis import language
from analysis.charts import compare as charts
from analysis.charts import style
from analysis.evidence.meaning import Meaning
from analysis.topics import compare

# TEST FIXTURE meaning: one register's stock of households.
INDICATORS = pd.DataFrame(
    [("test_households_on_file", "stock", "households", "", "", "test_register", "")],
    columns=["indicator", "kind", "counts", "per", "of", "scope", "reading"],
)
MEANING = Meaning.from_tables(INDICATORS, pd.DataFrame(columns=["indicator", "breakdown_dimension", "parts", "note"]))


def stock(figure_id: str, date: str, value: float) -> dict:
    """A TEST FIXTURE row of a processed topic table: an exact stock on one date."""
    return {
        "figure_id": figure_id,
        "source_id": "t_page",
        "region": "Testland",
        "indicator": "test_households_on_file",
        "breakdown_dimension": "",
        "period_start": date,
        "period_end": date,
        "value": value,
        "value_low": value,
        "value_high": value,
        "as_printed": str(int(value)),
        "qualifier": "exact",
    }


def overlapping(boxes) -> list[tuple[int, int]]:
    return [(i, j) for i, a in enumerate(boxes) for j, b in enumerate(boxes) if i < j and a.overlaps(b)]


def test_trend_chart_tick_labels_do_not_overprint_for_adjacent_months(tmp_path):
    # Two adjacent month-ends, then two more 29 months later: 2017-06-30, 2017-07-31, 2019-11-30, 2019-12-31.
    rows = [
        stock("t_1", "2017-06-30", 1000),
        stock("t_2", "2017-07-31", 990),
        stock("t_3", "2019-11-30", 800),
        stock("t_4", "2019-12-31", 790),
    ]
    with language.using("en"):
        (trend,) = compare.analyse("poverty_exit", pd.DataFrame(rows), MEANING, within={}).trends
    fig = charts.trend_chart(trend, "en")
    style.save_figure(fig, tmp_path / "trend")  # the layout the report saves
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    shown = [t for t in ax.get_xticklabels() if t.get_text()]
    # A month is about 1/29 of the axis: each pair's two dates cannot both be labelled, but one of each can.
    assert len(shown) >= 2
    assert overlapping([t.get_window_extent() for t in shown]) == []
    assert shown[0].get_text() == "2017-06-30"
    # Every point keeps its tick.
    assert len(ax.get_xticks()) == 4

"""Caseload-exit charts on TEST FIXTURES of every shape (fall, rise, flat, overlapping groups): they draw, and their
labels come from the declared meaning, not from one region's vocabulary."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.charts import poverty as charts
from analysis.topics import poverty
from test_poverty import TEST_MEANING, analyse_poverty, stock


@pytest.mark.parametrize(
    "first, second",
    [("6656", "512"), ("1000", "1300"), ("800", "800")],  # a fall, a rise, a flat file
)
def test_the_caseload_and_sensitivity_charts_draw_every_direction(first, second):
    a = analyse_poverty([stock("s0", first, "2020-01-01"), stock("s1", second, "2021-01-01")])
    change = poverty.exact_changes(a)[-1]
    fine = poverty.inflow_scenarios(change, poverty.CHART_POINTS)
    assert len(fine) == poverty.CHART_POINTS and (fine["entrant_share"].between(-1e-12, 1)).all()
    projection = poverty.project_stock(int(second), poverty.inflow_scenarios(change), np.linspace(0, 5, 11))
    fig = charts.caseload_chart(
        a.stocks, poverty.net_paths(a), projection, "Testland", "en", name="persons on file", counts="persons"
    )
    ax = fig.axes[0]
    assert ax.get_ylabel() == "persons" and ax.get_title() == "Persons on file, Testland"
    sens = charts.sensitivity_chart(fine, "Testland", "en", counts="households").axes[0]
    assert sens.get_xlabel() == "Assumed households joining per year"


def test_overlapping_groups_are_drawn_as_shares_of_the_total():
    rows = [stock("t", "1000", "2023-12-31", indicator="recipients", unit="人")] + [
        stock(f"g{i}", n, "2023-12-31", indicator="recipients", unit="人", dimension="group", category=c)
        for i, (c, n) in enumerate([("女性", "700"), ("残疾人", "500")])
    ]
    a = analyse_poverty(rows)
    panels = poverty.compositions_by_date(a)["2023-12-31"]
    fig = charts.composition_chart(
        [(c.dimension, c.table) for c in panels],
        "2023-12-31",
        "Testland",
        "zh",
        name="救助对象",
        counts=TEST_MEANING.counts("recipients"),
    )
    bars = sorted(p.get_width() for p in fig.axes[0].patches)
    assert bars == pytest.approx([0.5, 0.7])  # 500 / 1000 and 700 / 1000: never of their sum
    assert fig.axes[0].get_xlabel() == "占总数比例（人）"

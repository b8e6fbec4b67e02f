"""Printed ratios and changes on TEST FIXTURES for shapes the seed pages lack (issue 25 item 4): 同比 only for
the same period a year earlier (leap days handled), 环比 only for the adjacent period of the same length, any
other pair 'compared with' with how far apart; a change's per-day counterpart is a change. Worked by hand."""

from __future__ import annotations

import pytest

from analysis.topics import hotline
from evidence_fixtures import row
from test_hotline import analyse, calls, texts


def change(figure_id, printed, start, end, indicator="calls_mom"):
    return row(figure_id, "hotline", indicator, printed, "%", start, end)


def test_a_printed_month_on_month_change_between_months_of_different_length():
    rows = [
        calls("feb", "100", "2023-02-01", "2023-02-28", unit="件"),
        calls("mar", "120", "2023-03-01", "2023-03-31", unit="件"),
        change("mom", "20", "2023-03-01", "2023-03-31"),
    ]
    a = analyse(rows, [("change", "mom", "mar feb")])
    # 120/100 − 1 = +20.0% (exact counts), within the printed 19.5%–20.5%. Per day: (120/31)/(100/28) − 1
    # = 3360/3100 − 1 = 0.0839 = +8.4%: a change, not a ratio.
    assert texts(a)[-1] == (
        "The printed 20% is a period-on-period (环比) change, 2023-03 against the adjacent period of the same "
        "length (2023-02): recomputed +20.0%, which holds at the printed precision; the periods differ in length "
        "(31 and 28 days), and per day the change is +8.4%."
    )
    shown = {k.key: k for k in a.key_numbers}
    assert shown["per_day_fixture_0"].unit == "change" and shown["per_day_fixture_0"].display == "+8.4%"
    assert shown["per_day_fixture_0"].value == pytest.approx(3360 / 3100 - 1)


def test_a_year_on_year_change_of_a_leap_february():
    rows = [
        calls("feb23", "100", "2023-02-01", "2023-02-28", unit="件"),
        calls("feb24", "110", "2024-02-01", "2024-02-29", unit="件"),
        change("yoy", "10", "2024-02-01", "2024-02-29", indicator="calls_yoy"),
    ]
    a = analyse(rows, [("change", "yoy", "feb24 feb23")])
    # 2024-02 has 29 days, 2023-02 has 28: still the same period a year earlier. Per day (110/29)/(100/28) − 1
    # = 3080/2900 − 1 = 0.0621 = +6.2%.
    assert texts(a)[-1] == (
        "The printed 10% is a year-on-year (同比) change, 2024-02 against the same period a year earlier (2023-02): "
        "recomputed +10.0%, which holds at the printed precision; the periods differ in length (29 and 28 days), "
        "and per day the change is +6.2%."
    )
    with_zh = analyse(rows, [("change", "yoy", "feb24 feb23")], "zh")
    assert texts(with_zh)[-1].startswith("所印10%为2024年2月的同比变化（对比2023年2月）：重算为+10.0%")


def test_a_half_year_against_a_year_is_compared_with_not_year_on_year():
    # Declared per = year (as a page may call it 同比), but a half-year is not the same period as a year.
    rows = [
        calls("y2021", "1486", "2021-01-01", "2021-12-31"),
        calls("h2022", "2253", "2022-01-01", "2022-06-30"),
        change("up", "52", "2022-01-01", "2022-06-30", indicator="calls_yoy"),
    ]
    a = analyse(rows, [("change", "up", "h2022 y2021")])
    # 2252.5/1486.5 − 1 = 0.51530 and 2253.5/1485.5 − 1 = 0.51700; per day ×365/181: 2.0557 and 2.0591.
    assert texts(a)[-1] == (
        "The printed 52% is a change of 2022 H1 compared with 2021, the period just before it, neither "
        "year-on-year nor period-on-period: recomputed +51.5%–+51.7%, which holds at the printed precision; the "
        "periods differ in length (181 and 365 days), and per day the change is +205.6%–+205.9%."
    )
    assert hotline.comparison_name("change", a.volumes.iloc[1], a.volumes.iloc[0]) == "change"


def test_a_change_across_a_gap_says_how_far_apart():
    rows = [
        calls("jan", "100", "2023-01-01", "2023-01-31", unit="件"),
        calls("mar", "150", "2023-03-01", "2023-03-31", unit="件"),
        change("c", "50", "2023-03-01", "2023-03-31"),
    ]
    a = analyse(rows, [("change", "c", "mar jan")])
    # January and March have 31 days each; February's 28 lie between them: no 环比, and no per-day clause.
    assert texts(a)[-1] == (
        "The printed 50% is a change of 2023-03 compared with 2023-01, which ends 28 days before it begins, "
        "neither year-on-year nor period-on-period: recomputed +50.0%, which holds at the printed precision."
    )


def test_calls_and_requests_are_never_compared():
    rows = [
        calls("c", "1000", "2023-01-01", "2023-01-31", unit="件"),
        row("r", "hotline", "requests_in", "500", "件", "2023-02-01", "2023-02-28"),
        row("x", "hotline", "requests_ratio", "0.5", "倍", "2023-02-01", "2023-02-28"),
    ]
    a = analyse(rows, [("ratio", "x", "r c")])
    assert a.comparisons.empty
    assert texts(a) == [
        "Testland prints calls for 1 period(s); per day, 2023-01: 32 a day.",
        "Testland prints requests (诉求) for 1 period(s); per day, 2023-02: 18 a day.",
    ]  # 1000/31 = 32.3, 500/28 = 17.9; no growth between a month of calls and a month of requests


def test_a_county_week_of_requests_with_its_rounded_daily_average():
    rows = [
        row("wk", "hotline", "requests_in", "920", "件", "2023-01-09", "2023-01-15"),
        row("avg", "hotline", "requests_a_day", "131", "件", "2023-01-09", "2023-01-15"),
    ]
    a = analyse(rows, [("per_day", "avg", "wk")])
    # 920/7 = 131.43 a day: a count below 10,000, shown without any 万 scale.
    assert texts(a) == [
        "Testland prints requests (诉求) for 1 period(s); per day, 2023-01-09 to 2023-01-15: 131 a day."
    ]
    # The printed 131 a day is an average printed as an integer: 130.5 to 131.5, so it holds (exact, it would fail).
    assert a.audit.set_index("relation_id").at["fixture_0", "verdict"] == "holds"
    assert list(a.volumes["figure_id"]) == ["wk"]  # the average is not a volume


def test_the_population_is_found_by_meaning_not_by_name():
    rows = [
        calls("y", "1000", "2023-01-01", "2023-12-31", unit="件"),
        row("m", "hotline", "members", "500", "人", "2023-06-30", "2023-06-30"),
    ]
    assert analyse(rows).population is None  # union members are persons, but not the residents
    rows.append(row("p", "hotline", "people", "4000", "人", "2023-06-30", "2023-06-30"))
    a = analyse(rows)
    assert a.population["figure_id"] == "p"
    # 1000/4000 = 0.25 exactly (exact counts); the population's date lies inside 2023.
    assert texts(a)[-1] == "In 2023, 0.250 calls per resident (1000件 over a population of 4000人)."


def test_a_printed_daily_average_without_its_flow_is_the_volume_per_day():
    # A county prints only 131 requests a day for a week: 130.5 to 131.5 a day (an average printed as an integer),
    # 913.5 to 920.5 requests over the 7 days; no 万 anywhere.
    a = analyse([row("avg", "hotline", "requests_a_day", "131", "件", "2023-01-09", "2023-01-15")])
    assert texts(a) == [
        "Testland prints requests (诉求) for 1 period(s); per day, 2023-01-09 to 2023-01-15: 131 a day."
    ]
    number = a.key_numbers[0]
    assert (number.value, number.low, number.high) == (131.0, pytest.approx(130.5), pytest.approx(131.5))
    assert number.derivation == "printed per day: 131件"
    assert list(a.volumes["value_low"]) == [pytest.approx(130.5 * 7)]


def test_a_cumulative_total_its_stated_periods_cover_entirely_leaves_no_remainder_to_spread():
    rows = [
        calls("y1", "1000", "2021-01-01", "2021-12-31", unit="件"),
        calls("y2", "1200", "2022-01-01", "2022-12-31", unit="件"),
        calls("both", "2200", "2021-01-01", "2022-12-31", unit="件"),
    ]
    a = analyse(rows)  # 365 + 365 days of 730: no uncovered day, so no per-day remainder (and no division by 0)
    assert a.remainders == [] and not any("cumulative" in t for t in texts(a))

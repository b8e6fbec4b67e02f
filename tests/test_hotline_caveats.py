"""Hotline caveats on TEST FIXTURES, each stated in the sentence it qualifies: a total the audit rejects, a lone
indicator that is a part of another quantity, and a printed 同比 whose base period is printed nowhere.

Every expected sentence and number is worked out by hand beside it.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import language
from analysis.evidence import audit, tidy
from analysis.evidence.audit import localize
from analysis.evidence.meaning import Meaning
from analysis.topics import hotline
from evidence_fixtures import UNITS, processed, row
from test_hotline import TEST_INDICATORS

INDICATORS = pd.concat(
    [
        TEST_INDICATORS,
        pd.DataFrame(
            [
                (
                    "orders_sent",
                    "work orders transferred to departments",
                    "转派工单数",
                    "flow",
                    "work_orders",
                    "",
                    "",
                    "hotline",
                    "",
                )
            ],
            columns=TEST_INDICATORS.columns,
        ),
    ],
    ignore_index=True,
)
MEANING = Meaning.from_tables(INDICATORS, pd.DataFrame(columns=["indicator", "breakdown_dimension", "parts", "note"]))
NOVEMBER = ("2024-11-01", "2024-11-30")  # 30 days


def analyse(rows, relations, lang="en"):
    figures = tidy.tidy_figures(pd.DataFrame(rows), UNITS, INDICATORS)
    declared = pd.DataFrame(
        [
            {"relation_id": f"fixture_{i}", "kind": k, "result": r, "operands": o, "note": ""}
            for i, (k, r, o) in enumerate(relations)
        ],
        columns=["relation_id", "kind", "result", "operands", "note"],
    )
    with language.using(lang):
        checked = localize(audit.run_audit(figures, declared), figures)
        table = processed(tidy.topic_table(figures, "hotline"))
        return hotline.analyse(table, "Testland", checked, MEANING)


def texts(a):
    return [f.text for f in a.findings]


def year_on_year_without_its_base(calls_id, calls, change, period, lang="en"):
    """The analysis of calls printed for one period (`calls` 件) with their 同比 change printed for the same period
    (`change` %, id `yoy`), declared as the change of those calls; the period a year earlier is printed nowhere."""
    rows = [
        row(calls_id, "hotline", "calls_in", calls, "件", *period),
        row("yoy", "hotline", "calls_yoy", change, "%", *period),
    ]
    return analyse(rows, [("change", "yoy", calls_id)], lang)


# A total whose printed parts cannot sum to it (the shape of a real page that printed 5 parts not adding up to
# its total): 5000件 calls in November, by channel 3000 by phone and 2500 online. Exact counts: the parts add up
# to 3000 + 2500 = 5500, which misses 5000 by 500.
REJECTED = [
    row("total", "hotline", "calls_in", "5000", "件", *NOVEMBER),
    row("phone", "hotline", "calls_in", "3000", "件", *NOVEMBER, dimension="channel", category="phone"),
    row("web", "hotline", "calls_in", "2500", "件", *NOVEMBER, dimension="channel", category="web"),
]


def test_a_total_the_audit_rejects_is_warned_in_the_volume_sentence():
    a = analyse(REJECTED, [("sum", "total", "phone web")])
    assert a.audit.at[0, "verdict"] == "fails"
    # 5000 / 30 = 166.7, shown 167; the warning is the audit row's own explanation, in the same sentence.
    assert texts(a)[0] == (
        "Testland prints calls for 1 period(s); per day, 2024-11: 167 a day, from a total that does not equal its "
        "own printed parts (fixture_0: the parts add up to 5,500, off by at least 500 from the printed 5,000), "
        "so not a settled figure."
    )
    shown = {k.key: k for k in a.key_numbers}
    assert shown["per_day_total"].derivation == "5000件 / 30 days; the total fails the audit (fixture_0)"
    zh = analyse(REJECTED, [("sum", "total", "phone web")], "zh")
    assert "2024年11月167（所据总量与其印出的各部分不符：fixture_0，各部分合计为5,500" in texts(zh)[0]


# One quantity printed twice on one page (the shape of a real page whose headline rounds its exact count):
# 51723件 in full, and 5.1万 in the headline, which allows 50,500 to 51,500: 223 short of 51,723.
PRINTED_TWICE = [
    row("exact", "hotline", "calls_in", "51723", "件", *NOVEMBER),
    row("headline", "hotline", "calls_in", "5.1", "万", *NOVEMBER),
]


def test_a_figure_printed_twice_with_different_values_is_one_period_shown_exactly_and_warned_as_a_repeat():
    a = analyse(PRINTED_TWICE, [("sum", "headline", "exact")])
    assert a.audit.at[0, "verdict"] == "fails"
    # One quantity (calls, November), so one period, shown by its most precise printing: 51723件 (interval one
    # value) over 5.1万 (50,500 to 51,500). Per day: 51723 / 30 = 1,724.1, shown 1,724. The warning names the
    # other printing, 5.1万, and says the shown one is exact.
    assert texts(a)[0] == (
        "Testland prints calls for 1 period(s); per day, 2024-11: 1,724 a day, from a figure printed elsewhere on "
        "the page as 5.1万, which this printing does not match (fixture_0: printed twice with different values: "
        "51,723 and 50,500 to 51,500, at least 223 apart); the two printings disagree, and this printing (51723件) "
        "is the exact one."
    )
    assert "parts" not in texts(a)[0] and "settled" not in texts(a)[0]
    shown = {k.key: k for k in a.key_numbers}
    assert "per_day_headline" not in shown
    assert shown["per_day_exact"].derivation == "51723件 / 30 days; its other printing disagrees with it (fixture_0)"
    assert list(a.stated["figure_id"]) == ["exact"]
    assert set(a.figure_ids) == {"exact", "headline"}  # the report still rests on both printings
    zh = analyse(PRINTED_TWICE, [("sum", "headline", "exact")], "zh")
    assert "公布了1个时期" in texts(zh)[0]
    assert "（同一数量在同一页面另印为5.1万，与此处所印不符：fixture_0" in texts(zh)[0]
    assert "两处印出的数字不一致，此处所印（51723件）为精确数字）" in texts(zh)[0]


def test_a_figure_printed_twice_in_agreement_is_one_period_without_warning():
    # 51234件 lies within 5.1万's 50,500 to 51,500: the printings agree, so no warning; one period, per day
    # 51234 / 30 = 1,707.8, shown 1,708.
    rows = [row("exact", "hotline", "calls_in", "51234", "件", *NOVEMBER), PRINTED_TWICE[1]]
    a = analyse(rows, [("sum", "headline", "exact")])
    assert a.audit.at[0, "verdict"] != "fails"
    assert texts(a)[0] == "Testland prints calls for 1 period(s); per day, 2024-11: 1,708 a day."


def test_a_total_rejected_by_another_kind_of_relation_quotes_the_audit_without_naming_parts():
    # One operand of another quantity declared equal to the total: 5000 calls against 2500 web calls (a part).
    a = analyse(REJECTED, [("sum", "total", "web")])
    assert a.audit.at[0, "verdict"] == "fails"
    explanation = a.audit.at[0, "explanation"]
    assert texts(a)[0] == (
        f"Testland prints calls for 1 period(s); per day, 2024-11: 167 a day, a figure the audit rejects "
        f"(fixture_0: {explanation})."
    )
    assert {k.key: k for k in a.key_numbers}["per_day_total"].derivation.endswith("; the audit rejects it (fixture_0)")


def test_a_total_whose_parts_add_up_carries_no_warning():
    # 3000 + 2000 = 5000: the sum holds, and the sentence is the plain one.
    rows = [
        *REJECTED[:2],
        row("web", "hotline", "calls_in", "2000", "件", *NOVEMBER, dimension="channel", category="web"),
    ]
    a = analyse(rows, [("sum", "total", "phone web")])
    assert texts(a)[0] == "Testland prints calls for 1 period(s); per day, 2024-11: 167 a day."


def test_a_lone_part_of_the_volume_is_named_for_what_it_is():
    # 9000 requests received, of which 6000 work orders were transferred to departments (part_of): the only
    # work-order indicator, still never plain 'work orders'. 9000 / 30 = 300 and 6000 / 30 = 200 a day.
    rows = [
        row("got", "hotline", "requests_in", "9000", "件", *NOVEMBER),
        row("sent", "hotline", "orders_sent", "6000", "件", *NOVEMBER),
    ]
    a = analyse(rows, [("part_of", "got", "sent")])
    assert "Testland prints requests (诉求) for 1 period(s); per day, 2024-11: 300 a day." in texts(a)
    assert (
        "Testland prints work orders transferred to departments (a part of requests received, not the whole volume) "
        "for 1 period(s); per day, 2024-11: 200 a day."
    ) in texts(a)
    assert not any("prints work orders (工单)" in t for t in texts(a))
    labels = {k.key: k.label for k in a.key_numbers}
    assert labels["per_day_sent"].startswith("work orders transferred to departments (a part of requests received")


def test_a_printed_year_on_year_change_without_its_base_states_the_implied_base():
    # 3300件 calls in November 2024, printed 同比 +10%; November 2023 is printed nowhere. 10% printed to one digit
    # is 9.5% to 10.5%, 3300 exact: the base is 3300 / 1.105 = 2986.4 (shown 2,986) to 3300 / 1.095 = 3013.7 (3,014),
    # from 3300 / 1.1 = 3000.
    a = year_on_year_without_its_base("nov", "3300", "10", NOVEMBER)
    assert texts(a)[1] == (
        "The printed year-on-year (同比) change 10% of 3300件 (2024-11) is against the same period a year earlier "
        "(taken as 2023-11, the same dates a year earlier; the page does not print them), whose figure is printed "
        "nowhere: it implies 2,986–3,014 calls for that period (implied, not printed; the interval both printings "
        "allow)."
    )
    assert {k.key: k for k in a.key_numbers}["implied_base_yoy"].label == (
        "calls in the same period a year earlier (taken as 2023-11), implied by a printed change (not printed)"
    )
    base = {k.key: k for k in a.key_numbers}["implied_base_yoy"]
    assert base.value == pytest.approx(3000)
    assert (base.low, base.high) == (pytest.approx(3300 / 1.105), pytest.approx(3300 / 1.095))
    assert base.figure_ids == ("yoy", "nov") and "yoy" in a.figure_ids
    zh = year_on_year_without_its_base("nov", "3300", "10", NOVEMBER, "zh")
    assert "其基期为上年同期（按上年相同日期2023年11月计，页面未印出其日期）" in texts(zh)[1]
    assert "据此推算该基期为2,986–3,014次来电（系推算，并非印出" in texts(zh)[1]


def test_a_leap_february_change_is_against_the_february_a_year_earlier():
    # February 2024 has 29 days; its 同比 base is all of February 2023 (28 days), printed nowhere: 2900 / 1.45 = 2000
    # from the point; 45% is 44.5% to 45.5%, so 2900 / 1.455 = 1993.1 (1,993) to 2900 / 1.445 = 2006.9 (2,007).
    a = year_on_year_without_its_base("feb", "2900", "45", ("2024-02-01", "2024-02-29"))
    assert "(taken as 2023-02, the same dates a year earlier; the page does not print them)" in texts(a)[1]
    assert "it implies 1,993–2,007 calls for that period (implied, not printed" in texts(a)[1]


def test_a_festival_week_change_dates_its_base_only_as_an_assumption():
    # A week printed 同比 +25% (the shape of a festival week, whose 同期 a year earlier is the festival's week, not
    # the same calendar dates): 2021-02-11 to 2021-02-17, 5000件; the base's dates are printed nowhere, so they are
    # given as the same dates a year earlier, 2020-02-11 to 2020-02-17, and said to be assumed.
    # 25% is 24.5% to 25.5%: 5000 / 1.255 = 3984.1 (3,984) to 5000 / 1.245 = 4016.1 (4,016).
    a = year_on_year_without_its_base("wk", "5000", "25", ("2021-02-11", "2021-02-17"))
    assert texts(a)[1] == (
        "The printed year-on-year (同比) change 25% of 5000件 (2021-02-11 to 2021-02-17) is against the same period "
        "a year earlier (taken as 2020-02-11 to 2020-02-17, the same dates a year earlier; the page does not print "
        "them), whose figure is printed nowhere: it implies 3,984–4,016 calls for that period (implied, not printed; "
        "the interval both printings allow)."
    )


def test_a_change_whose_base_is_printed_states_no_implied_base():
    rows = [
        row("nov", "hotline", "calls_in", "3300", "件", *NOVEMBER),
        row("nov23", "hotline", "calls_in", "3000", "件", "2023-11-01", "2023-11-30"),
        row("yoy", "hotline", "calls_yoy", "10", "%", *NOVEMBER),
    ]
    a = analyse(rows, [("change", "yoy", "nov nov23")])
    assert a.implied_bases == [] and not any("implied, not printed" in t for t in texts(a))

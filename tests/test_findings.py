"""Each analysis on TEST FIXTURES of every shape a page prints: what it says, and what it refuses to say."""

from __future__ import annotations

import pytest

from analysis.evidence import tidy
from analysis.topics import satisfaction
from evidence_fixtures import evidence, processed, row
from test_poverty import analyse_poverty, stock  # the caseload fixtures and their declared meaning


def test_two_exact_stocks_give_the_net_decline_and_the_bounds_it_implies():
    a = analyse_poverty([stock("s0", "6656", "2016-10-31"), stock("s1", "512", "2019-11-21")])
    assert a.findings[0].text.startswith(
        "Testland's households on file fell from 6,656 to 512 households (2016-10-31 to 2019-11-21, "
        "1,116 days), a net decline of 6,144 (12/13 = 92.3% of the first total)."
    )
    # 1 - (1/13)^(365.25/1116) = 1 - exp(-2.5649/3.0554) = 0.568
    assert "their mean annual exit probability was at least 56.8%" in a.findings[0].text
    values = {k.key: k for k in a.key_numbers}
    assert values["still_on_file_at_most_2019-11-21"].value == pytest.approx(1 / 13)
    assert values["net_decline_2019-11-21"].figure_ids == ("s0", "s1")


def test_three_stocks_give_a_change_for_each_consecutive_pair():
    a = analyse_poverty(
        [stock("s0", "1000", "2017-01-01"), stock("s1", "500", "2018-01-01"), stock("s2", "400", "2019-01-01")]
    )
    changes = [f.text for f in a.findings if "net decline" in f.text]
    assert len(changes) == 2
    assert "from 1,000 to 500" in changes[0] and "from 500 to 400" in changes[1]


def test_one_exact_stock_is_described_as_exactly_that():
    a = analyse_poverty([stock("s0", "512", "2019-11-21")])
    assert [f.text for f in a.findings] == [
        "Testland prints one total of households on file: 512 households on 2019-11-21; one total identifies no change."
    ]


def test_one_bound_is_described_as_a_bound():
    a = analyse_poverty([stock("s0", "2000", "2019-12-31", qualifier="at_least", marker="多")])
    assert [f.text for f in a.findings] == [
        "Testland prints one bound of households on file: ≥ 2,000 households on 2019-12-31; one total "
        "identifies no change."
    ]
    assert a.key_numbers[0].low == 2000 and a.key_numbers[0].high == 3000


def test_a_breakdown_short_of_its_total_is_said_and_audited():
    rows = [stock("s0", "512", "2019-11-21")] + [
        stock(f"t{i}", n, "2019-11-21", dimension="household_type", category=c)
        for i, (c, n) in enumerate([("低保户", "400"), ("低收入户", "50")])
    ]
    a = analyse_poverty(rows, [("sum", "s0", "t0 t1")])
    assert any("The listed parts add up to 450, not the printed total 512" in f.text for f in a.findings)
    assert a.audit.set_index("relation_id").at["fixture_0", "verdict"] == "fails"


# The hotline's fixtures and their declared meaning (TEST_MEANING) live with the hotline tests.
from test_hotline import analyse as analyse_hotline  # noqa: E402
from test_hotline import calls  # noqa: E402

SEED_SHAPE = [
    calls("y2021", "1486", "2021-01-01", "2021-12-31"),
    calls("h2022", "2253", "2022-01-01", "2022-06-30"),
    calls("cum", "6400", "2019-01-01", "2022-08-31", qualifier="at_least", marker="余"),
    row("ratio", "hotline", "calls_ratio", "1.5", "倍", "2022-01-01", "2022-06-30"),
]


def test_a_year_a_half_year_and_a_cumulative_window():
    a = analyse_hotline(SEED_SHAPE, [("ratio", "ratio", "h2022 y2021")])
    assert (
        a.findings[0].text
        == "Testland prints calls for 2 period(s); per day, 2021: 40,712 a day; 2022 H1: 124,475 a day."
    )
    assert a.findings[1].text.startswith(
        "The printed 1.5倍 compares 2022 H1 with 2021, the period just before it: recomputed 1.515–1.517, which holds"
    )
    assert "the periods differ in length (181 and 365 days), and per day the ratio is 3.06×" in a.findings[1].text
    # (6400 − 1486.5 − 2253.5)万 to (6500 − 1485.5 − 2252.5)万
    assert f"by {26_600_000:,}–{27_620_000:,} calls" in a.findings[2].text
    assert a.growth.empty  # a year and a half-year are not comparable periods


def test_a_year_added_before_keeps_every_label_and_verdict_right():
    a = analyse_hotline(
        [calls("y2020", "1103.94", "2020-01-01", "2020-12-31"), *SEED_SHAPE], [("ratio", "ratio", "h2022 y2021")]
    )
    assert "2020: 30,162 a day; 2021: 40,712 a day; 2022 H1: 124,475 a day" in a.findings[0].text
    # 2020 has 366 days: 1485.5万/365 over 1103.945万/366 = 1.3493 to 1486.5万/365 over 1103.935万/366 = 1.3502,
    # both 1.35 at two decimals, so one value is shown.
    assert any(f.text == "Per day, 2021 ran at 1.35 times 2020." for f in a.findings)
    assert any("compares 2022 H1 with 2021" in f.text and "which holds" in f.text for f in a.findings)


def test_weekly_volumes_with_printed_per_day_averages():
    weeks = [
        calls(f"w{i}", n, s, e, unit="件")
        for i, (n, s, e) in enumerate([("70000", "2023-03-06", "2023-03-12"), ("77000", "2023-03-13", "2023-03-19")])
    ]
    daily = row("d1", "hotline", "calls_a_day", "11000", "件", "2023-03-13", "2023-03-19")
    a = analyse_hotline([*weeks, daily], [("per_day", "d1", "w1")])
    assert "2023-03-06 to 2023-03-12: 10,000 a day; 2023-03-13 to 2023-03-19: 11,000 a day" in a.findings[0].text
    assert "Per day, 2023-03-13 to 2023-03-19 ran at 1.10 times 2023-03-06 to 2023-03-12." in [
        f.text for f in a.findings
    ]
    assert not any("cumulative" in f.text or "per resident" in f.text for f in a.findings)
    assert a.audit.set_index("relation_id").at["fixture_0", "verdict"] == "holds"
    assert "d1" not in set(a.volumes["figure_id"])  # its flow is printed for the week: the audit checks the two


def test_a_month_with_year_on_year_and_month_on_month_changes():
    rows = [
        calls("m2", "100", "2023-02-01", "2023-02-28", unit="件"),
        calls("m3", "120", "2023-03-01", "2023-03-31", unit="件"),
        calls("m3_last_year", "96", "2022-03-01", "2022-03-31", unit="件"),
        row("yoy", "hotline", "calls_yoy", "25", "%", "2023-03-01", "2023-03-31"),
        row("mom", "hotline", "calls_mom", "20", "%", "2023-03-01", "2023-03-31"),
    ]
    a = analyse_hotline(rows, [("change", "yoy", "m3 m3_last_year"), ("change", "mom", "m3 m2")])
    # 120/96 − 1 = +25.0% against March a year earlier (31 days each: no per-day clause).
    assert any(
        f.text
        == "The printed 25% is a year-on-year (同比) change, 2023-03 against the same period a year earlier (2022-03): "
        "recomputed +25.0%, which holds at the printed precision."
        for f in a.findings
    )
    assert any(
        "The printed 20% is a period-on-period (环比) change, 2023-03 against the adjacent period of the same length "
        "(2023-02): recomputed +20.0%, which holds" in f.text
        for f in a.findings
    )


def test_no_volume_means_no_claim():
    a = analyse_hotline([row("pop", "hotline", "people", "2100", "万", "2022-01-01", "2022-01-01")])
    assert [f.text for f in a.findings] == [
        "Testland prints no hotline volume, so nothing about its growth can be said."
    ]


def analyse_satisfaction(rows, relations=()):
    from analysis.evidence.catalogue import load_processed
    from analysis.evidence.meaning import Meaning

    figures, audit = evidence(rows, relations)
    meaning = Meaning.from_tables(load_processed("indicators"), load_processed("breakdowns"))
    return satisfaction.analyse(
        processed(tidy.topic_table(figures, "satisfaction")), "Testland", audit, processed(figures), {}, meaning
    )


def test_rates_with_a_printed_n_get_a_wilson_interval():
    rows = [
        row("rate", "satisfaction", "public_satisfaction_rate", "90.0", "%", "2023-01-01", "2023-12-31"),
        row("n", "satisfaction", "evaluations_received", "1000", "件", "2023-01-01", "2023-12-31"),
    ]
    a = analyse_satisfaction(rows, [("base", "rate", "n")])
    # 90.0% is 89.95%..90.05%: out of 1,000 only k = 900 prints it, so the union is the Wilson interval at 900.
    assert [f.text for f in a.findings] == [
        "public satisfaction rate: 90.0% (n = 1,000), read as an estimate of a propensity; 95% Wilson interval "
        "88.0%–91.7%, the union over every count the printed 90.0% (the rounding 89.95%–90.05%) and n allow."
    ]
    number = a.key_numbers[0]
    # By hand: centre (0.9 + z²/2n)/(1 + z²/n) = 0.898466, half-width z·√(p(1−p)/n + z²/4n²)/(1 + z²/n) = 0.018622.
    assert number.low == pytest.approx(0.879844, abs=1e-5) and number.high == pytest.approx(0.917088, abs=1e-5)


def test_rates_without_n_say_so_and_show_what_n_would_buy():
    a = analyse_satisfaction(
        [row("rate", "satisfaction", "follow_up_good_review_rate", "100", "%", "2023-01-01", "2023-12-31")]
    )
    # One-sided question, one-sided bound: 0.05^(1/n) > 0.95 from n > ln 0.05 / ln 0.95 = 58.4, so n = 59.
    assert [f.text for f in a.findings] == [
        "follow up good review rate: 100%, n not reported; read as an estimate of a propensity, its exact "
        "one-sided 95% lower bound (Clopper–Pearson) is above 95% for every n ≥ 59 and every count that prints 100%."
    ]
    # No sampling interval: the key number carries the printed rounding (100% is 99.5% to 100%).
    assert (a.key_numbers[0].low, a.key_numbers[0].high) == (0.995, 1.0)


def test_every_finding_carries_the_figures_it_rests_on():
    a = analyse_hotline(SEED_SHAPE, [("ratio", "ratio", "h2022 y2021")])
    assert a.findings[1].figure_ids == ("ratio", "h2022", "y2021")
    b = analyse_poverty([stock("s0", "6656", "2016-10-31"), stock("s1", "512", "2019-11-21")])
    assert b.findings[0].figure_ids == ("s0", "s1")


def test_a_finding_is_a_record_not_a_string():
    from dataclasses import FrozenInstanceError

    from analysis.numbers import Finding
    from analysis.publish.outputs import findings_html

    finding = Finding("Exit 1 < 2.", ["s0", "s1"])
    assert finding.figure_ids == ("s0", "s1") and not isinstance(finding, str)
    with pytest.raises(FrozenInstanceError):
        finding.text = "changed"
    with pytest.raises(TypeError, match="a finding's text is a str"):
        Finding(Finding("nested"))
    html = findings_html([finding, Finding("Nothing printed.")])
    assert "<li class='traced'>Exit 1 &lt; 2. " in html and "<li class='untraced'>Nothing printed.</li>" in html


def test_results_refuse_a_plain_string_among_findings(tmp_path, monkeypatch):
    from analysis.numbers import Finding
    from analysis.publish import outputs

    monkeypatch.setattr(outputs.paths, "STAGING", tmp_path)
    out = outputs.ReportOutputs("test_report")
    with pytest.raises(TypeError, match="report test_report: findings must be Finding objects"):
        out.write_results(title="t", findings=[Finding("a", ["x"]), "b"], key_numbers=[], figure_ids=[])
    assert not (tmp_path / "test_report" / "results.json").exists()

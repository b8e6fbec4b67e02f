"""Service satisfaction on TEST FIXTURES (not published figures): rates as printed, read as declared, with the
intervals and sample sizes worked out by hand here (closed-form Wilson, 0.05^(1/n), k/n rounding)."""

from __future__ import annotations

import math
import re
from collections import Counter
from fractions import Fraction

import pandas as pd
import pytest
from scipy.stats import norm
from statsmodels.stats.proportion import proportion_confint

from analysis import language, numbers
from analysis.evidence import names, tidy
from analysis.evidence.meaning import Meaning
from analysis.topics import satisfaction
from evidence_fixtures import evidence, processed, row

Z = norm.ppf(0.975)


def wilson_by_hand(successes: int, n: int) -> tuple[float, float]:
    p = successes / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return centre - half, centre + half


# TEST FIXTURE indicators: what each fixture indicator is, declared as indicators.csv declares the real ones.
INDICATORS = pd.DataFrame(
    [
        # indicator, name_en, name_zh, kind, counts, per, of, scope, reading
        ("t_ratings", "ratings received", "收到评价数", "flow", "ratings", "", "", "t_review", ""),
        ("t_complaints", "complaints received", "收到投诉数", "flow", "ratings", "", "", "t_review", ""),
        (
            "t_fixed_rate",
            "complaints fixed on time",
            "投诉按期解决率",
            "rate",
            "ratings",
            "",
            "t_complaints",
            "t_review",
            "census",
        ),
        (
            "t_follow_rate",
            "good follow-up ratings",
            "回访好评率",
            "rate",
            "ratings",
            "",
            "t_fixed_rate",
            "t_review",
            "estimate",
        ),
        ("t_satisfied", "satisfied users", "满意率", "rate", "persons", "", "", "t_service", "estimate"),
        ("t_other", "other rate", "其他比率", "rate", "items", "", "", "t_other", "estimate"),
        (
            "t_channel_share",
            "ratings by channel",
            "各渠道评价占比",
            "rate",
            "ratings",
            "",
            "t_ratings",
            "t_review",
            "census",
        ),
        ("t_users", "users asked", "受访用户数", "flow", "persons", "", "", "t_service", ""),
        ("t_handled", "services handled", "办理件数", "flow", "cases", "", "", "t_village", ""),
        ("t_villages", "villages", "行政村数", "stock", "villages", "", "", "t_area", ""),
        ("t_farmers", "farmers covered", "覆盖农民数", "stock", "persons", "", "", "t_area", ""),
    ],
    columns=["indicator", "name_en", "name_zh", "kind", "counts", "per", "of", "scope", "reading"],
)
MEANING = Meaning.from_tables(INDICATORS, pd.DataFrame(columns=["indicator", "breakdown_dimension", "parts", "note"]))


@pytest.fixture(autouse=True)
def fixture_names(monkeypatch):
    """The fixture region and indicators are named in both languages, as data/processed names real ones."""
    monkeypatch.setattr(names, "region_names", lambda: {"Testland": {"en": "Testland", "zh": "测试省"}})
    table = {i.indicator: {"en": i.name_en, "zh": i.name_zh} for i in INDICATORS.itertuples()}
    monkeypatch.setattr(names, "indicator_names", lambda: table)


def analyse(rows, relations=(), earliest_end=None):
    figures, audit = evidence(rows, relations)
    return satisfaction.analyse(
        processed(tidy.topic_table(figures, "satisfaction")),
        "Testland",
        audit,
        processed(figures),
        earliest_end or {},
        MEANING,
    )


def rate(figure_id, indicator, printed, **kw):
    return row(figure_id, "satisfaction", indicator, printed, "%", "2023-01-01", "2023-12-31", **kw)


def count(figure_id, indicator, printed, unit="件", **kw):
    return row(figure_id, "satisfaction", indicator, printed, unit, "2023-01-01", "2023-12-31", **kw)


# ---------------------------------------------------------------- the printed digits


@pytest.mark.parametrize("printed,decimals", [("99.99%", 2), ("100%", 0), ("92.9%", 1), ("98.4％", 1)])
def test_printed_decimals(printed, decimals):
    assert satisfaction.printed_decimals(printed) == decimals


def test_a_printed_rate_keeps_every_digit_and_an_interval_never_reads_a_to_a():
    assert satisfaction.share_text(0.9999, 2) == "99.99%"  # not 100.0%
    assert satisfaction.share_text(1.0, 0) == "100%"
    assert satisfaction.interval_text(0.99991, 0.99994, 2) == "99.99%"  # both ends print alike: one value
    assert satisfaction.interval_text(0.9835, 0.9845, 2) == "98.35%–98.45%"


def test_the_smallest_n_that_can_print_a_rate():
    # 99.99% is 99.985%..99.995%: n − k ≥ 1 failures need (n − k)/n ≤ 0.00015, so n ≥ 1/0.00015 = 6,666.7:
    # n = 6,667 (6,666/6,667 = 0.9998500075 rounds to 99.99%); 6,666 cannot (6,665/6,666 = 0.99984999).
    low, high = satisfaction.printed_band(0.99985, 0.99995, 2)
    assert satisfaction.smallest_n_printing(low, high) == 6667
    assert 6666 / 6667 >= 0.99985 > 6665 / 6666
    # 98.4% is 98.35%..98.45%: one failure needs 1/n ≤ 0.0165, n ≥ 60.6: n = 61 (60/61 = 0.98361).
    assert satisfaction.smallest_n_printing(*satisfaction.printed_band(0.9835, 0.9845, 1)) == 61
    # 92.9%: 13/14 = 0.92857 rounds to 92.9%; no k/n with n ≤ 13 lies in 92.85%..92.95% (12/13 = 0.923).
    assert satisfaction.smallest_n_printing(*satisfaction.printed_band(0.9285, 0.9295, 1)) == 14
    assert satisfaction.consistent_successes(13, *satisfaction.printed_band(0.9285, 0.9295, 1)) is None


# ---------------------------------------------------------------- 'n needed', monotone


def every_printing_count_within_a_point(n: int, rate: float = 0.929) -> bool:
    """By brute force: at n, every k with k/n printing 92.9% (92.85% ≤ k/n ≤ 92.95%, exact fractions) has its 95%
    Wilson interval (statsmodels directly) reaching less than 1 point below 92.9%; true where no k prints."""
    least, most = -(-1857 * n // 2000), 1859 * n // 2000  # ⌈0.9285 n⌉ and ⌊0.9295 n⌋ in whole numbers
    printing = [k for k in range(least, most + 1) if Fraction(1857, 2000) <= Fraction(k, n) <= Fraction(1859, 2000)]
    return all(proportion_confint(k, n, alpha=0.05, method="wilson")[0] > rate - 0.01 for k in printing)


def test_n_needed_for_92_9_percent_honours_the_printed_rounding():
    # 92.9% printed is 92.85%..92.95%: the criterion must hold for every count that prints it, and the worst is the
    # least, k = ⌈0.9285 n⌉. A continuous check: at the share 0.9285 itself Wilson's lower end passes 91.9% once
    # (0.9285 − 0.919)² > z²·0.919·0.081/n, n > 3.8415 × 0.074439 / 0.00009025 = 3,168.5; the whole counts sit a
    # little above 0.9285 n, so the last failure comes a little earlier: at 3,161, k = ⌈2,934.99⌉ = 2,935
    # (2,935/3,161 = 92.850%), whose lower end is 91.8996% ≤ 91.9%. From 3,162 on every count clears, checked one n
    # at a time to 4,000 (from 3,169 the continuous bound above holds for good). The count nearest 92.9% alone
    # gave 2,952: at 3,161 the nearest count is 2,937, which clears.
    assert 3.8415 * 0.919 * 0.081 / (0.9285 - 0.919) ** 2 == pytest.approx(3168.5, abs=0.5)
    assert math.ceil(0.9285 * 3161) == 2935 and proportion_confint(2935, 3161, method="wilson")[0] <= 0.919
    assert not every_printing_count_within_a_point(3161)
    assert all(every_printing_count_within_a_point(n) for n in range(3162, 4001))
    assert proportion_confint(0.9285 * 3169, 3169, method="wilson")[0] > 0.919
    assert round(0.929 * 3161) == 2937 and proportion_confint(2937, 3161, method="wilson")[0] > 0.919
    band = satisfaction.printed_band(0.9285, 0.9295, 1)
    assert band == (Fraction(1857, 2000), Fraction(1859, 2000))
    assert satisfaction.n_needed_within(0.929, *band) == 3162


def test_n_needed_at_a_99_99_percent_rate_starts_where_it_can_be_printed():
    # 99.99% is 99.985%..99.995%: no n below 6,667 prints it, and at every n that does every printing count has a
    # Wilson lower end above 98.99% (at 6,666 of 6,667 it is 99.915%), so n needed is the smallest n that prints it.
    assert proportion_confint(6666, 6667, method="wilson")[0] == pytest.approx(0.99915, abs=1e-5)
    a = analyse([rate("sat", "t_satisfied", "99.99")])
    assert a.rates.iloc[0]["n_needed"] == a.rates.iloc[0]["n_min"] == 6667


def test_n_needed_for_a_100_percent_rate_is_one_sided_and_exact():
    # With every rating good the exact one-sided 95% lower bound is 0.05^(1/n) > 0.95 when
    # n > ln 0.05 / ln 0.95 = 58.40: n = 59. From n = 200 a 100% print allows one failure (199/200 = 99.5%),
    # whose bound is higher still than 0.95 (Clopper–Pearson at 199 of 200 is 0.9723).
    assert math.log(0.05) / math.log(0.95) == pytest.approx(58.404, abs=1e-3)
    assert 0.95**59 < 0.05 < 0.95**58
    assert satisfaction.n_needed_full(*satisfaction.printed_band(0.995, 1.005, 0)[:1]) == 59
    assert satisfaction.exact_lower_bound(92, 92) == pytest.approx(0.05 ** (1 / 92), abs=1e-12)


# ---------------------------------------------------------------- sentences


def test_100_percent_at_a_printed_n_of_92_gets_the_exact_one_sided_lower_bound():
    # 100% printed at 0 decimals is ≥ 99.5%: k ≥ 0.995 × 92 = 91.54, so k = 92 and the bound is
    # 0.05^(1/92) = exp(−2.995732 / 92) = exp(−0.032562) = 0.967962.
    a = analyse([rate("sat", "t_satisfied", "100"), count("n", "t_users", "92", "人")], [("base", "sat", "n")])
    assert [f.text for f in a.findings] == [
        "satisfied users: 100% (n = 92), read as an estimate of a propensity; exact one-sided 95% lower bound "
        "(Clopper–Pearson) 96.8%: with 95% confidence the rate is at least 96.8%."
    ]
    k = a.key_numbers[0]
    assert k.low == pytest.approx(math.exp(math.log(0.05) / 92), abs=1e-9) and k.high == 1.0
    assert k.display == "100% (96.8%–100.0%)"


def test_a_99_99_percent_rate_keeps_its_digits_and_needs_n_of_6667():
    a = analyse([rate("sat", "t_satisfied", "99.99")])
    (text,) = [f.text for f in a.findings]
    assert text.startswith("satisfied users: 99.99%, n not reported; read as an estimate")
    assert text.endswith("; printing 99.99% at all needs n ≥ 6,667.")
    assert "100.0%" not in text
    assert a.key_numbers[0].display == "99.99% (99.985%–99.995%)"


def test_a_99_99_percent_rate_from_1000_ratings_is_flagged_not_given_an_interval():
    # One failure among 1,000 is 99.9%; no k out of 1,000 rounds to 99.99% (it needs n ≥ 6,667).
    a = analyse([rate("sat", "t_satisfied", "99.99"), count("n", "t_users", "1000", "人")], [("base", "sat", "n")])
    assert [f.text for f in a.findings] == [
        "satisfied users: 99.99% (n = 1,000) cannot be printed from the page's own count: no whole number out of n "
        "rounds to 99.99%, which needs n ≥ 6,667; flagged, no interval given."
    ]
    assert a.key_numbers[0].low is None and a.key_numbers[0].extra["possible"] is False


def test_the_page_s_own_count_bounds_n_and_can_flag_a_rate():
    # The follow-up ratings are among the page's 1,000 ratings (same units, scope and period): n ≤ 1,000,
    # and 99.99% needs n ≥ 6,667.
    a = analyse([count("all", "t_ratings", "1000", "件"), rate("follow", "t_follow_rate", "99.99")])
    assert a.rates.iloc[0]["n_figure_id"] == "all" and a.rates.iloc[0]["n_high"] == 1000
    assert "cannot be printed from the page's own count" in a.findings[0].text
    assert "n not reported, at most 1,000 by the page's own count" in a.findings[0].text


def test_a_count_of_another_topic_declared_to_contain_the_rate_s_cases_bounds_n():
    # TEST FIXTURE: a hotline page's 4.04万 requests (hotline topic, another counts and scope), declared in
    # relations.csv to contain the satisfaction rate's cases (part_of: the requests the result, the rate an
    # operand). 4.04万 printed to 0.01万 is 40,350 to 40,450, so n ≤ 40,450. Without the relation the rate has no
    # count of its own topic: n not reported, with no bound.
    indicators = pd.concat(
        [
            INDICATORS,
            pd.DataFrame(
                [("t_requests", "requests", "诉求件数", "flow", "requests", "", "", "t_hotline", "")],
                columns=INDICATORS.columns,
            ),
        ],
        ignore_index=True,
    )
    meaning = Meaning.from_tables(
        indicators, pd.DataFrame(columns=["indicator", "breakdown_dimension", "parts", "note"])
    )
    rows = [
        row("req", "hotline", "t_requests", "4.04", "万", "2023-01-01", "2023-12-31"),
        rate("sat", "t_satisfied", "98"),
    ]

    def analysed(relations):
        figures, audit = evidence(rows, relations)
        table = processed(tidy.topic_table(figures, "satisfaction"))
        return satisfaction.analyse(table, "Testland", audit, processed(figures), {}, meaning)

    alone = analysed([])
    assert "n not reported" in alone.findings[0].text and "at most" not in alone.findings[0].text
    a = analysed([("part_of", "req", "sat")])
    assert a.audit.empty or (a.audit["verdict"] != "fails").all()
    r = a.rates.iloc[0]
    assert (r["n_figure_id"], r["n_high"]) == ("req", 40450)
    assert "n not reported, at most 40,450 by the page's own count" in a.findings[0].text


def test_the_nearest_printed_count_up_the_of_chain_bounds_n():
    # Good follow-ups are of the complaints fixed, which are of the complaints: with 5,000 ratings and 50
    # complaints printed, n ≤ 50 (not 5,000). 98% is 97.5%..98.5%: one failure needs 1/n ≤ 0.025, so n ≥ 40
    # (39/40 = 97.5%, the edge of the rounding), and 49/50 = 98% fits within n ≤ 50.
    a = analyse(
        [
            count("all", "t_ratings", "5000", "件"),
            count("bad", "t_complaints", "50", "件"),
            rate("follow", "t_follow_rate", "98"),
        ]
    )
    r = a.rates.iloc[0]
    assert (r["n_figure_id"], r["n_high"], r["n_min"], bool(r["possible"])) == ("bad", 50, 40, True)
    assert "at most 50 by the page's own count" in a.findings[0].text


def test_the_interval_is_the_union_over_the_printed_rounding():
    # 90% printed at 0 decimals is 89.5%..90.5%: with n = 1,000, k runs from 895 to 905; the union of the Wilson
    # intervals runs from the low end at 895 to the high end at 905.
    a = analyse([rate("sat", "t_satisfied", "90"), count("n", "t_users", "1000", "人")], [("base", "sat", "n")])
    k = a.key_numbers[0]
    assert k.low == pytest.approx(wilson_by_hand(895, 1000)[0], abs=1e-12)
    assert k.high == pytest.approx(wilson_by_hand(905, 1000)[1], abs=1e-12)
    # By hand: at 895/1,000 the centre is (0.895 + z²/2000)/(1 + z²/1000) = 0.89366 and the half-width
    # z·√(0.895·0.105/1000 + z²/4·10⁶)/(1 + z²/1000) = 0.01920: low 0.87446; at 905/1,000 the high end is 0.92165.
    low, high = wilson_by_hand(895, 1000)[0], wilson_by_hand(905, 1000)[1]
    assert (round(low, 4), round(high, 4)) == (0.8745, 0.9217)
    assert a.findings[0].text == (
        "satisfied users: 90% (n = 1,000), read as an estimate of a propensity; 95% Wilson interval 87.4%–92.2%, "
        "the union over every count the printed 90% (the rounding 89.5%–90.5%) and n allow."
    )


def test_n_printed_as_a_lower_bound_spans_its_range():
    # 98.4% of 15余万 (150,000 to 160,000): the widest interval is at n = 150,000, where k/n can be exactly
    # 98.35% (147,525) or 98.45% (147,675).
    a = analyse(
        [rate("sat", "t_satisfied", "98.4"), count("n", "t_users", "150000", "人", qualifier="at_least", marker="余")],
        [("base", "sat", "n")],
    )
    k = a.key_numbers[0]
    assert k.low == pytest.approx(wilson_by_hand(147_525, 150_000)[0], abs=1e-9)
    assert k.high == pytest.approx(wilson_by_hand(147_675, 150_000)[1], abs=1e-9)
    assert "(n ≥ 150,000)" in a.findings[0].text and "98.3%–98.5%" in a.findings[0].text


def test_a_census_share_gets_no_sampling_interval_and_says_which_reading():
    a = analyse([rate("fix", "t_fixed_rate", "98.4")])
    assert a.findings[0].text == (
        "complaints fixed on time: 98.4%, a share of a full count (read as a census, so no sampling interval); "
        "as printed it lies in 98.35%–98.45%; printing 98.4% at all needs n ≥ 61."
    )
    assert a.rates.iloc[0]["n_needed"] is None or pd.isna(a.rates.iloc[0]["n_needed"])


def test_a_printed_0_percent_lies_between_0_and_half_a_point_never_below():
    # A month's evaluations by grade print 不满意 as 0%: its rounding allows 0% to 0.5% (0 ± 0.5 of its last
    # digit, cut at 0, since no share is negative), shown to one digit more than printed; a census share, so no
    # sampling interval and no n.
    a = analyse([rate("none", "t_channel_share", "0", dimension="channel", category="fax")])
    assert a.findings[0].text == (
        "ratings by channel (fax): 0%, a share of a full count (read as a census, so no sampling interval); "
        "as printed it lies in 0.0%–0.5%."
    )
    assert a.rates.iloc[0]["band_low"] == 0.0 and a.rates.iloc[0]["band_high"] == pytest.approx(0.005)


def test_a_census_breakdown_share_is_named_with_its_part():
    a = analyse([rate("web", "t_channel_share", "40", dimension="channel", category="web")])
    assert a.findings[0].text.startswith("ratings by channel (web): 40%, a share of a full count")


def test_below_50_percent_no_n_is_worked_out():
    a = analyse([rate("o", "t_other", "40")])
    assert a.findings[0].text == (
        "other rate: 40%, n not reported; below 50% a lower bound near the rate says little, so no sample size is "
        "worked out; printing 40% at all needs n ≥ 5."
    )  # 40% is 39.5%..40.5%: no k/n with n ≤ 4 lies there (0, 1/4, 1/3, 1/2, 2/3, 3/4, 1); 2/5 does.
    assert a.rates.iloc[0]["n_needed"] is None or pd.isna(a.rates.iloc[0]["n_needed"])


# ---------------------------------------------------------------- the review loop, delivery, nothing


def test_the_review_loop_is_the_of_chain_not_a_list_of_ids():
    # ratings (the scope's whole) -> complaints (what the fixed rate is of) -> fixed on time -> good follow-ups
    # (of the fixed); complaints are declared but not printed, so they show as not printed.
    a = analyse(
        [
            rate("follow", "t_follow_rate", "100"),
            count("all", "t_ratings", "5000", "件"),
            rate("fix", "t_fixed_rate", "98.4"),
        ]
    )
    assert list(a.loop["step"]) == [
        "ratings received",
        "complaints received",
        "complaints fixed on time",
        "good follow-up ratings",
    ]
    assert list(a.loop["printed"]) == ["5000件", "not printed", "98.4%", "100%"]
    assert analyse([rate("sat", "t_satisfied", "90")]).loop.empty  # no `of` chain: no loop


DELIVERY_ROWS = [
    count("services", "t_handled", "2.1", "万"),
    count("farmers", "t_farmers", "17.8", "万"),
    count("villages", "t_villages", "316", "个"),
]


def test_delivery_per_unit_carries_the_interval_of_the_printed_rounding():
    # 2.1万 is 20,500..21,500 and 17.8万 is 177,500..178,500: per village 20,500/316 = 64.87 to 21,500/316 = 68.04;
    # per 1,000 farmers 20,500/178,500 × 1,000 = 114.85 to 21,500/177,500 × 1,000 = 121.13; per month over the
    # year's 365 days: 20,500/365 × 30.4375 = 1,709.503 (shown 1,710) to 21,500/365 × 30.4375 = 1,792.9.
    a = analyse(DELIVERY_ROWS)
    assert a.findings[0].text == (
        "Testland: services handled, 114.8–121.1 for each 1,000 of the 178,000 farmers covered; 64.9–68.0 for each "
        "of the 316 villages; 1,710–1,793 a month (range over the printed rounding and the possible end of the "
        "period)."
    )
    assert a.key_numbers[1].low == pytest.approx(20_500 / 316) and a.key_numbers[1].high == pytest.approx(21_500 / 316)
    with language.using("zh"):
        chinese = analyse(DELIVERY_ROWS)
    assert chinese.findings[0].text.startswith("测试省村级服务办理量：按覆盖农民数17.8万计，每千单位114.8–121.1件；")


def test_a_region_with_nothing_to_show_says_so():
    a = analyse([count("x", "t_villages", "12", "个", region="Elsewhere")])
    assert [f.text for f in a.findings] == ["Testland prints no service rate or delivery count."]
    assert a.rates.empty and a.loop.empty and a.intensity.empty


# ---------------------------------------------------------------- Chinese: the same numbers


# Words a Chinese sentence may keep in Latin letters: method names and the SYNTHETIC mark (other topics' tests
# import `assert_same_in_chinese` from here).
ALLOWED_LATIN = {"SYNTHETIC", "Wilson", "Clopper", "Pearson", "Kaplan", "Meier", "Cox", "MAPE"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def english_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z]{4,}", text) if w not in ALLOWED_LATIN]


def numbers_in(text: str) -> Counter:
    return Counter(re.findall(r"\d+(?:[.,]\d+)*[%万亿]?", text))


def chinese_numbers(english: str) -> Counter:
    """The numbers of an English sentence as a Chinese one writes them: a count from 100,000 on in 万."""
    found = Counter()
    for number, times in numbers_in(english).items():
        if re.fullmatch(r"\d{1,3}(,\d{3})+", number):
            with language.using("zh"):
                number = numbers.count(int(number.replace(",", "")))
        found[number] += times
    return found


def assert_same_in_chinese(english: list[str], chinese: list[str]) -> None:
    """Each Chinese sentence is Chinese and carries the English one's numbers, as Chinese writes them."""
    assert len(english) == len(chinese)
    for en, zh in zip(english, chinese):
        assert CJK.search(zh), zh
        assert english_words(zh) == [], zh
        # 每千 is 'for each 1,000'.
        assert not chinese_numbers(en) - numbers_in(zh.replace("每千", "每1,000")), (en, zh)


RATE_ROWS = [
    rate("sat", "t_satisfied", "90"),
    count("n", "t_users", "1000", "人"),
    rate("fix", "t_fixed_rate", "98.4"),
    rate("follow", "t_follow_rate", "100"),
    count("all", "t_ratings", "201", "万", qualifier="at_least", marker="余"),
    rate("other", "t_other", "92.9"),
    rate("tiny", "t_other", "99.99", region="Elsewhere"),
]


@pytest.mark.parametrize("rows,relations", [(RATE_ROWS, [("base", "sat", "n")]), (DELIVERY_ROWS, [])])
def test_chinese_findings_carry_the_english_numbers(rows, relations):
    english = analyse(rows, relations)
    with language.using("zh"):
        chinese = analyse(rows, relations)
    assert_same_in_chinese([f.text for f in english.findings], [f.text for f in chinese.findings])
    assert_same_in_chinese([k.label for k in english.key_numbers], [k.label for k in chinese.key_numbers])
    assert [(k.key, k.value, k.low, k.high, k.figure_ids) for k in english.key_numbers] == [
        (k.key, k.value, k.low, k.high, k.figure_ids) for k in chinese.key_numbers
    ]


def test_a_rate_printed_near_100_percent_is_not_settled_by_any_n():
    # 近100% is 90%..100%: a share of 90% prints as 近100%, and no n makes a bound above 95% hold for it.
    a = analyse([rate("sat", "t_satisfied", "100", qualifier="approximately", marker="近")])
    assert a.rates.iloc[0][["band_low", "band_high"]].tolist() == [0.9, 1.0]
    assert a.findings[0].text == (
        "satisfied users: ≈ 100%, n not reported; read as an estimate of a propensity, its printing (90.0%–100.0%) "
        "allows a share at or below 95%, so no n would settle that it exceeds 95%."
    )

"""Wilson intervals and what a sample size would buy, checked against the closed-form score interval."""

from __future__ import annotations

import math
import re
from collections import Counter

import pytest
from scipy.stats import norm

from analysis import language, numbers
from analysis.evidence import names, tidy
from analysis.topics import satisfaction
from evidence_fixtures import evidence, processed, row

Z = norm.ppf(0.975)


def wilson_by_hand(successes: int, n: int) -> tuple[float, float]:
    p = successes / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return centre - half, centre + half


@pytest.mark.parametrize("successes,n", [(90, 100), (984, 1000), (5, 5), (0, 20)])
def test_wilson_interval_matches_the_score_formula(successes, n):
    assert satisfaction.wilson_interval(successes, n) == pytest.approx(wilson_by_hand(successes, n), abs=1e-12)


def test_smallest_n_for_a_100_percent_rate_to_clear_95_percent():
    # With every response good, the Wilson lower bound is n / (n + z^2); it exceeds 0.95 once
    # n > 19 z^2 = 72.99, so n = 73.
    threshold_n = math.floor(19 * Z * Z) + 1
    assert threshold_n == 73
    assert satisfaction.smallest_n_with_lower_bound_above(1.0, 0.95) == threshold_n
    assert 72 / (72 + Z * Z) < 0.95 < 73 / (73 + Z * Z)


def test_interval_narrows_as_n_grows():
    table = satisfaction.interval_by_sample_size(0.971, [50, 500, 5000])
    widths = table["high"] - table["low"]
    assert widths.is_monotonic_decreasing


def test_no_interval_without_a_denominator():
    assert satisfaction.rate_interval_text(0.984, None) == "n not reported"
    assert satisfaction.rate_interval_text(0.9, 100) != "n not reported"


def test_per_thousand_and_per_month():
    assert satisfaction.per_thousand(21_000, 178_000) == pytest.approx(117.977, abs=1e-3)
    assert satisfaction.per_month(365.25, 365.25) == pytest.approx(1 / 12 * 365.25)


# --- Chinese reports: the same findings, numbers and keys, in Chinese (TEST FIXTURES, not published figures) ---

# Words a Chinese sentence may keep in Latin letters: method names and the SYNTHETIC mark.
ALLOWED_LATIN = {"SYNTHETIC", "Wilson", "Kaplan", "Meier", "Cox", "MAPE"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def english_words(text: str) -> list[str]:
    """Latin words of four letters or more that are not on the allow-list."""
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
    assert len(english) == len(chinese)
    for en, zh in zip(english, chinese):
        assert CJK.search(zh), zh
        assert english_words(zh) == [], zh
        # 每千名 is 'per 1,000'.
        assert not chinese_numbers(en) - numbers_in(zh.replace("每千", "每1,000")), (en, zh)


@pytest.fixture(autouse=True)
def testland_has_a_chinese_name(monkeypatch):
    """The fixture region is named in both languages, as data/processed/regions.csv names a real one."""
    monkeypatch.setattr(names, "region_names", lambda: {"Testland": {"en": "Testland", "zh": "测试省"}})


def analyse(rows, relations=(), region="Testland", earliest_end=None):
    figures, audit = evidence(rows, relations)
    return satisfaction.analyse(
        processed(tidy.topic_table(figures, "satisfaction")), region, audit, processed(figures), earliest_end or {}
    )


def rate(figure_id, indicator, printed, **kw):
    return row(figure_id, "satisfaction", indicator, printed, "%", "2023-01-01", "2023-12-31", **kw)


def count(figure_id, indicator, printed, unit="件", **kw):
    return row(figure_id, "satisfaction", indicator, printed, unit, "2023-01-01", "2023-12-31", **kw)


RATE_ROWS = [
    rate("sat", "public_satisfaction_rate", "90"),
    count("n", "evaluations_received", "1000"),
    rate("fix", "bad_review_rectified_on_time_rate", "98.4"),
    count("big", "bad_reviews_received", "150000", qualifier="at_least", marker="余"),
    rate("follow", "follow_up_good_review_rate", "100"),
    rate("other", "service_realisation_rate", "92.9"),
]
RATE_RELATIONS = [("base", "sat", "n"), ("base", "fix", "big")]
DELIVERY_ROWS = [
    count("services", "village_services_handled", "21000"),
    count("farmers", "farmers_covered", "178000", "人"),
    count("villages", "administrative_villages", "316", "个"),
    count("agents", "village_agents", "1508", "人"),
]


@pytest.mark.parametrize("rows,relations", [(RATE_ROWS, RATE_RELATIONS), (DELIVERY_ROWS, []), ([], [])])
def test_chinese_findings_carry_the_english_numbers_in_chinese(rows, relations):
    rows = rows or [count("other", "departments_on_review_platform", "12", "个")]
    english = analyse(rows, relations)
    with language.using("zh"):
        chinese = analyse(rows, relations)
    assert_same_in_chinese([f.text for f in english.findings], [f.text for f in chinese.findings])
    assert_same_in_chinese([k.label for k in english.key_numbers], [k.label for k in chinese.key_numbers])
    # The keys, values and figures are the same whatever the language.
    assert [(k.key, k.value, k.figure_ids) for k in english.key_numbers] == [
        (k.key, k.value, k.figure_ids) for k in chinese.key_numbers
    ]
    assert [f.figure_ids for f in english.findings] == [f.figure_ids for f in chinese.findings]


def test_chinese_rate_findings_read_as_a_chinese_researcher_writes_them():
    with language.using("zh"):
        a = analyse(RATE_ROWS, RATE_RELATIONS)
        assert satisfaction.rate_interval_text(0.984, None) == "样本量未公布"
    assert a.findings[0].text == "群众满意度为90.0%，95% Wilson 置信区间为88.0%–91.7%（样本量为1,000）。"
    assert "（样本量不少于15万）" in a.findings[1].text
    assert "样本量未公布" in a.findings[2].text and "73" in a.findings[2].text
    assert a.key_numbers[0].label == "群众满意度（95% Wilson 置信区间）"
    assert a.key_numbers[0].display == "90.0%（88.0%–91.7%）"
    assert a.rates["period"].iloc[0] == "2023年1月1日至2023年12月31日"
    assert a.rates["interval_95"].iloc[0] == "88.0%–91.7%（样本量为1,000）"
    assert set(a.loop["step"]) == {"收到评价", "差评", "按时整改", "回访好评"}


def test_english_rate_text_is_unchanged():
    a = analyse(RATE_ROWS, RATE_RELATIONS)
    assert (
        a.findings[1].text == "bad review rectified on time rate: 98.4%, 95% Wilson interval 98.3%–98.5% (n ≥ 150,000)."
    )
    assert a.rates["period"].iloc[0] == "2023-01-01 to 2023-12-31"
    assert a.rates["interval_95"].iloc[0] == "88.0% – 91.7% (n = 1,000)"
    assert list(a.loop["step"]) == [
        "evaluations received",
        "bad reviews",
        "rectified on time",
        "follow-up reviews good",
    ]


def test_delivery_keys_do_not_depend_on_the_language():
    english = analyse(DELIVERY_ROWS)
    assert [k.key for k in english.key_numbers] == [
        "services_per_1000_farmers",
        "services_per_village",
        "services_per_agent",
        "services_per_month",
    ]
    assert english.findings[0].text.startswith("Testland: services handled, 118.0 per 1,000 farmers; 66.5 per village;")
    with language.using("zh"):
        chinese = analyse(DELIVERY_ROWS)
    assert chinese.findings[0].text.startswith("测试省村级服务办理量：每千名农民118.0件；每个行政村66.5件；")
    assert list(chinese.intensity["measure"])[:3] == ["每千名农民", "每个行政村", "每名代办员"]


def test_indicator_names_come_from_the_data_or_the_code():
    # The printed rates' English names are their codes with spaces, so English text is the same as before
    # data/raw/indicators.csv named them.
    for rate in (
        "service_realisation_rate",
        "public_satisfaction_rate",
        "bad_review_rectified_on_time_rate",
        "follow_up_good_review_rate",
    ):
        assert names.indicator_name(rate, "en") == rate.replace("_", " ")
    with language.using("zh"):
        assert satisfaction.indicator_name("public_satisfaction_rate") == "群众满意度"
        assert satisfaction.indicator_name("brand_new_rate") == "brand new rate"

"""Hotline arithmetic on TEST FIXTURES: per-day normalisation, printed ratios and the unexplained remainder,
in English and Chinese. Expected numbers are worked by hand in each test.

`TEST_MEANING` declares what the fixture indicators are (as data/raw/indicators.csv would): the analysis
finds volumes, averages, ratios, changes and the population by that meaning, never by their names.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import calendar, language, numbers
from analysis.evidence import audit, tidy
from analysis.evidence.audit import Interval, localize
from analysis.evidence.meaning import Meaning
from analysis.topics import hotline
from evidence_fixtures import UNITS, processed, row

TEST_INDICATORS = pd.DataFrame(
    [
        ("calls_in", "calls received", "来电量", "flow", "calls", "", "", "hotline", ""),
        ("requests_in", "requests received", "诉求量", "flow", "requests", "", "", "hotline", ""),
        ("calls_ratio", "calls, one period to another", "来电量之比", "ratio", "calls", "", "calls_in", "hotline", ""),
        (
            "requests_ratio",
            "requests to calls",
            "诉求与来电之比",
            "ratio",
            "requests",
            "",
            "requests_in",
            "hotline",
            "",
        ),
        ("calls_yoy", "calls year on year", "来电量同比", "change", "calls", "year", "calls_in", "hotline", ""),
        ("calls_mom", "calls month on month", "来电量环比", "change", "calls", "period", "calls_in", "hotline", ""),
        ("calls_a_day", "calls a day", "日均来电量", "average", "calls", "day", "calls_in", "hotline", ""),
        ("requests_a_day", "requests a day", "日均诉求量", "average", "requests", "day", "requests_in", "hotline", ""),
        ("people", "resident population", "常住人口", "stock", "persons", "", "", "residents", ""),
        ("orders_made", "work orders created", "形成工单数", "flow", "work_orders", "", "", "hotline", ""),
        ("orders_closed", "work orders closed", "办结工单数", "flow", "work_orders", "", "", "hotline", ""),
        ("members", "union members", "工会会员", "stock", "persons", "", "", "union", ""),
    ],
    columns=["indicator", "name_en", "name_zh", "kind", "counts", "per", "of", "scope", "reading"],
)
TEST_MEANING = Meaning.from_tables(
    TEST_INDICATORS, pd.DataFrame(columns=["indicator", "breakdown_dimension", "parts", "note"])
)


def calls(figure_id, printed, start, end, unit="万", **kw):
    return row(figure_id, "hotline", "calls_in", printed, unit, start, end, **kw)


def hotline_evidence(rows, relations=()):
    """Tidy figures (printed integers of averages rounded, as indicators.csv says) and their audit."""
    figures = tidy.tidy_figures(pd.DataFrame(rows), UNITS, TEST_INDICATORS)
    frame = pd.DataFrame(
        [
            {"relation_id": f"fixture_{i}", "kind": k, "result": r, "operands": o, "note": ""}
            for i, (k, r, o) in enumerate(relations)
        ],
        columns=["relation_id", "kind", "result", "operands", "note"],
    )
    return figures, audit.run_audit(figures, frame)


def analyse(rows, relations=(), lang="en", region="Testland"):
    figures, checked = hotline_evidence(rows, relations)
    with language.using(lang):  # the notebooks read the audit in their language (catalogue.load_audit)
        table = processed(tidy.topic_table(figures, "hotline"))
        return hotline.analyse(table, region, localize(checked, figures), TEST_MEANING)


def texts(a):
    return [f.text for f in a.findings]


SEED = [
    calls("y2021", "1486", "2021-01-01", "2021-12-31"),
    calls("h2022", "2253", "2022-01-01", "2022-06-30"),
    calls("cum", "6400", "2019-01-01", "2022-08-31", qualifier="at_least", marker="余"),
    row("ratio", "hotline", "calls_ratio", "1.5", "倍", "2022-01-01", "2022-06-30"),
    row("pop", "hotline", "people", "2100", "万", "2022-01-01", "2022-01-01", qualifier="at_least", marker="多"),
]
SEED_RELATIONS = [("ratio", "ratio", "h2022 y2021")]


def test_per_day_ratio_of_a_half_year_against_a_year():
    # 2022-01-01..06-30 has 181 days; 2021 has 365.
    per_day_ratio = hotline.per_day(2253, 181) / hotline.per_day(1486, 365)
    assert per_day_ratio == pytest.approx((2253 * 365) / (1486 * 181))
    assert per_day_ratio > 3


def test_unexplained_volume_is_the_audit_interval_spread_over_the_other_days():
    stated = pd.DataFrame(
        {
            "period_start": ["2021-01-01", "2022-01-01"],
            "period_end": ["2021-12-31", "2022-06-30"],
            "value_low": [1485.5, 2252.5],
            "value_high": [1486.5, 2253.5],
        }
    )
    table = hotline.unexplained_volume(Interval(6400, 6500), "2019-01-01", stated, ["2022-06-30", "2022-08-31"])
    # 2019 + 2020 = 365 + 366 = 731 days outside the stated periods up to 2022-06-30; 62 more by 08-31.
    assert list(table["unexplained_days"]) == [731, 793]
    # low: 6400 − (1486.5 + 2253.5) = 2660; high: 6500 − (1485.5 + 2252.5) = 2762.
    assert list(table["unexplained_low"]) == [2660.0] * 2 and list(table["unexplained_high"]) == [2762.0] * 2
    assert table["per_day_low"].iloc[1] == pytest.approx(2660 / 793)
    assert table["per_day_high"].iloc[0] == pytest.approx(2762 / 731)


def test_date_range_ends_on_the_last_day():
    assert calendar.date_range("2022-06-30", "2022-07-10", 7) == ["2022-06-30", "2022-07-07", "2022-07-10"]


def test_the_seed_shape_in_english_with_every_interval_worked_by_hand():
    a = analyse(SEED, SEED_RELATIONS)
    assert texts(a)[0] == "Testland prints calls for 2 period(s); per day, 2021: 40,712 a day; 2022 H1: 124,475 a day."
    # 2252.5/1486.5 = 1.51530 and 2253.5/1485.5 = 1.51700; per day, ×365/181: 3.0557 and 3.0591, both 3.06.
    assert texts(a)[1] == (
        "The printed 1.5倍 compares 2022 H1 with 2021, the period just before it: recomputed 1.515–1.517, "
        "which holds at the printed precision; the periods differ in length (181 and 365 days), and per day "
        "the ratio is 3.06×."
    )
    # 6400余万 is 6400万 to 6500万: the remainder is 2660万 to 2762万 (above); per day, over 731 to 793 uncovered
    # days: 26,600,000 / 793 = 33,543.5 (down to 33,543) to 27,620,000 / 731 = 37,783.9 (up to 37,784).
    assert texts(a)[2] == (
        "The cumulative 6400余万 (2019-01-01 to 2022-08-31) exceeds the 2 period(s) stated inside it by "
        "26,600,000–27,620,000 calls: 33,543–37,784 a day over the 731 to 793 days they leave uncovered, for a "
        "window ending any day from 2022-06-30 (the last stated period's end) to 2022-08-31 (its recorded end)."
    )
    # 2100多万 is 2100万 to 2200万: 1485.5/2200 = 0.67523 (down to 0.675) to 1486.5/2100 = 0.70786 (up to 0.708);
    # the population is dated 2022-01-01, outside 2021 but inside 2022 H1.
    assert texts(a)[3] == (
        "In 2021, 0.675–0.708 calls per resident (1486万 over a population of 2100多万, printed for 2022-01-01, "
        "outside the period)."
    )
    # 2252.5/2200 = 1.0239 (down to 1.02) to 2253.5/2100 = 1.0731 (up to 1.08).
    assert texts(a)[4] == "In 2022 H1, 1.02–1.08 calls per resident (2253万 over a population of 2100多万)."
    shown = {k.key: k for k in a.key_numbers}
    assert (shown["unexplained_cum"].low, shown["unexplained_cum"].high) == (26_600_000, 27_620_000)
    assert shown["unexplained_cum"].value == 64_000_000 - 14_860_000 - 22_530_000
    assert (shown["unexplained_per_day_cum"].low, shown["unexplained_per_day_cum"].high) == (33_543, 37_784)
    resident = shown["per_resident_y2021"]
    assert resident.low == pytest.approx(14_855_000 / 22_000_000) and resident.high == pytest.approx(14_865_000 / 21e6)
    assert shown["per_day_y2021"].low == pytest.approx(14_855_000 / 365)
    assert shown["per_day_y2021"].high == pytest.approx(14_865_000 / 365)
    daily = shown["per_day_fixture_0"]
    assert (daily.low, daily.high) == (
        pytest.approx(22_525_000 * 365 / (181 * 14_865_000)),
        pytest.approx(22_535_000 * 365 / (181 * 14_855_000)),
    )
    assert a.growth.empty  # a year and a half-year are not comparable periods


def test_ratio_holds_and_printed_decimals_are_gone():
    # The audit decides whether a printed ratio holds (on intervals); the topic keeps no second rule.
    assert not hasattr(hotline, "ratio_holds") and not hasattr(hotline, "printed_decimals")


# --- Chinese reports: the same findings, in Chinese, with the same numbers written the Chinese way ---

# Identifiers a Chinese sentence may still carry: figure and relation ids (snake_case) and the relations file.
IDENTIFIER = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+|relations\.csv|Testland")
CJK = re.compile(r"[\u4e00-\u9fff]")


def english_words(text: str) -> list[str]:
    """Words of four or more Latin letters left in a text once identifiers are taken out."""
    return re.findall(r"[A-Za-z]{4,}", IDENTIFIER.sub("", text))


def assert_chinese(items):
    for text in items:
        assert CJK.search(text), text
        assert english_words(text) == [], text


def test_period_labels_in_chinese():
    with language.using("zh"):
        assert hotline.period_label("2021-01-01", "2021-12-31") == "2021年"
        assert hotline.period_label("2022-01-01", "2022-06-30") == "2022年上半年"
        assert hotline.period_label("2022-07-01", "2022-12-31") == "2022年下半年"
        assert hotline.period_label("2022-07-01", "2022-09-30") == "2022年第三季度"
        assert hotline.period_label("2023-03-01", "2023-03-31") == "2023年3月"
        assert hotline.period_label("2019-01-01", "2022-08-31") == "2019年1月1日至2022年8月31日"
    assert [
        hotline.period_label(*p)
        for p in [
            ("2021-01-01", "2021-12-31"),
            ("2022-01-01", "2022-06-30"),
            ("2022-07-01", "2022-09-30"),
            ("2023-03-01", "2023-03-31"),
            ("2019-01-01", "2022-08-31"),
        ]
    ] == ["2021", "2022 H1", "2022 Q3", "2023-03", "2019-01-01 to 2022-08-31"]


def test_chinese_findings_say_the_same_numbers_the_chinese_way():
    en = analyse(SEED, SEED_RELATIONS)
    zh = analyse(SEED, SEED_RELATIONS, "zh")
    assert len(zh.findings) == len(en.findings) == 5
    assert [f.figure_ids for f in zh.findings] == [f.figure_ids for f in en.findings]
    assert_chinese(texts(zh))
    assert texts(zh)[0] == "Testland公布了2个时期的来电量，日均分别为：2021年40,712；2022年上半年12.45万。"
    with language.using("zh"):
        assert numbers.count(124_475) == "12.45万"
    assert texts(zh)[1] == (
        "所印1.5倍为2022年上半年与2021年之比（前者紧接后者）：重算为1.515–1.517，印出的比值在其印刷精度内成立；"
        "两个时期长短不同（181天与365天），按日均计比值为3.06倍。"
    )
    # The remainder 2660万 to 2762万, every digit of the whole number (as the audit shows it); the same per-day range.
    assert "多出2660万–2762万次来电" in texts(zh)[2] and "日均33,543–37,784" in texts(zh)[2]
    assert "（2019年1月1日至2022年8月31日）" in texts(zh)[2]
    assert (
        texts(zh)[3]
        == "2021年，按常住人口2100多万（2022年1月1日的数字，不在该时期内）计，1486万合人均0.675–0.708次来电。"
    )
    assert texts(zh)[4] == "2022年上半年，按常住人口2100多万计，2253万合人均1.02–1.08次来电。"


def test_chinese_key_numbers_keep_their_keys_and_values():
    en = analyse(SEED, SEED_RELATIONS)
    zh = analyse(SEED, SEED_RELATIONS, "zh")
    assert [k.key for k in zh.key_numbers] == [k.key for k in en.key_numbers]
    assert [(k.value, k.low, k.high) for k in zh.key_numbers] == [(k.value, k.low, k.high) for k in en.key_numbers]
    assert_chinese([t for k in zh.key_numbers for t in (k.label, k.unit)])
    for k in zh.key_numbers:
        assert english_words(k.display) == [] and english_words(k.derivation) == [], k
    shown = {k.key: k for k in zh.key_numbers}
    assert shown["per_day_h2022"].label == "2022年上半年日均来电量"
    assert shown["per_day_h2022"].display == "12.45万"
    assert shown["per_day_h2022"].derivation == "2253万 ÷ 181天"
    assert shown["per_day_fixture_0"].display == "3.06倍"
    assert shown["unexplained_cum"].display == "2660万–2762万"
    assert shown["per_resident_y2021"].display == "0.675–0.708"
    assert {k.key: k.display for k in en.key_numbers}["per_day_fixture_0"] == "3.06×"


def test_chinese_tables_and_audit_rows():
    zh = analyse(SEED, SEED_RELATIONS, "zh")
    assert list(zh.volumes["period"]) == ["2019年1月1日至2022年8月31日", "2021年", "2022年上半年"]
    assert list(zh.volumes["name"]) == ["来电量"] * 3  # the indicator's name_zh (TEST_INDICATORS), never its id
    assert list(zh.comparisons["compares"]) == ["2022年上半年对比2021年"]
    assert_chinese(zh.audit["explanation"])
    assert zh.audit.at[0, "explanation"] == "2253万 ÷ 1486万得1.515至1.517，与印出的1.45至1.55相容"


def test_chinese_weekly_growth_and_no_volume():
    weeks = [
        calls(f"w{i}", n, s, e, unit="件")
        for i, (n, s, e) in enumerate([("70000", "2023-03-06", "2023-03-12"), ("77000", "2023-03-13", "2023-03-19")])
    ]
    zh = analyse(weeks, lang="zh")
    # 77000/7 over 70000/7 = 1.10 exactly (exact counts).
    assert "按日均计，2023年3月13日至2023年3月19日为2023年3月6日至2023年3月12日的1.10倍。" in texts(zh)
    assert_chinese(texts(zh))
    none = analyse([row("pop", "hotline", "people", "2100", "万", "2022-01-01", "2022-01-01")], lang="zh")
    assert texts(none) == ["Testland未公布热线总量，无从判断其增长。"]


def test_two_indicators_counting_the_same_thing_are_each_named():
    # A county prints work orders created and work orders closed for one quarter: 2025-01-01..03-31 is
    # 31 + 28 + 31 = 90 days, so 9000 created are 9000 / 90 = 100 a day and 4500 closed are 4500 / 90 = 50 a day.
    # Were both called 'work orders', a reader would take 50 a day for the county's volume.
    quarter = ("2025-01-01", "2025-03-31")
    rows = [
        row("made", "hotline", "orders_made", "9000", "件", *quarter),
        row("closed", "hotline", "orders_closed", "4500", "件", *quarter),
        calls("calls", "2", *quarter),
    ]
    a = analyse(rows)
    assert "Testland prints work orders created for 1 period(s); per day, 2025 Q1: 100 a day." in texts(a)
    assert "Testland prints work orders closed for 1 period(s); per day, 2025 Q1: 50 a day." in texts(a)
    # The only indicator counting calls keeps the plain noun: 20,000 / 90 = 222.2, shown as 222.
    assert "Testland prints calls for 1 period(s); per day, 2025 Q1: 222 a day." in texts(a)
    labels = {k.key: k.label for k in a.key_numbers}
    assert labels["per_day_made"] == "work orders created per day, 2025 Q1"
    zh = analyse(rows, lang="zh")
    assert "Testland公布了1个时期的办结工单数量，日均分别为：2025年第一季度50。" in texts(zh)

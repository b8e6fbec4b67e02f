"""Hotline arithmetic: per-day normalisation, printed ratios and the unexplained remainder."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import calendar
from analysis.evidence.audit import localize
from analysis.topics import hotline


def test_printed_ratio_of_1_5_holds_for_2253_over_1486():
    ratio = 2253 / 1486  # 1.5161...
    assert hotline.printed_decimals(1.5) == 1
    assert hotline.ratio_holds(ratio, 1.5, 1)
    assert not hotline.ratio_holds(2253 / 1400, 1.5, 1)  # 1.609 would print as 1.6


def test_per_day_ratio_of_a_half_year_against_a_year():
    # 2022-01-01..06-30 has 181 days; 2021 has 365.
    per_day_ratio = hotline.per_day(2253, 181) / hotline.per_day(1486, 365)
    assert per_day_ratio == pytest.approx((2253 * 365) / (1486 * 181))
    assert per_day_ratio > 3


def test_unexplained_volume_is_a_lower_bound_spread_over_the_other_days():
    stated = pd.DataFrame(
        {
            "period_start": ["2021-01-01", "2022-01-01"],
            "period_end": ["2021-12-31", "2022-06-30"],
            "calls": [1486, 2253],
        }
    )
    table = hotline.unexplained_volume(6400, "2019-01-01", stated, ["2022-06-30", "2022-08-31"])
    # 2019 + 2020 = 365 + 366 = 731 days outside the stated periods up to 2022-06-30; 62 more by 08-31.
    assert list(table["unexplained_days"]) == [731, 793]
    assert list(table["unexplained_calls_at_least"]) == [6400 - 1486 - 2253] * 2
    assert table["unexplained_per_day_at_least"].iloc[0] == pytest.approx(2661 / 731)


def test_date_range_ends_on_the_last_day():
    assert calendar.date_range("2022-06-30", "2022-07-10", 7) == ["2022-06-30", "2022-07-07", "2022-07-10"]


# --- Chinese reports: the same findings, in Chinese, with the same numbers written the Chinese way ---

import re  # noqa: E402

from analysis import language, numbers  # noqa: E402
from analysis.evidence import tidy  # noqa: E402
from evidence_fixtures import evidence, processed, row  # noqa: E402

# Identifiers a Chinese sentence may still carry: figure and relation ids (snake_case) and the relations file.
IDENTIFIER = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+|relations\.csv")
CJK = re.compile(r"[\u4e00-\u9fff]")


def english_words(text: str) -> list[str]:
    """Words of four or more Latin letters left in a text once identifiers are taken out."""
    return re.findall(r"[A-Za-z]{4,}", IDENTIFIER.sub("", text))


def calls(figure_id, printed, start, end, unit="万", **kw):
    return row(figure_id, "hotline", "hotline_calls_received", printed, unit, start, end, region="Beijing", **kw)


def analyse(rows, relations=(), lang="en"):
    figures, audit = evidence(rows, relations)
    with language.using(lang):  # the notebooks read the audit in their language (catalogue.load_audit)
        return hotline.analyse(processed(tidy.topic_table(figures, "hotline")), "Beijing", localize(audit, figures))


SEED = [
    calls("y2021", "1486", "2021-01-01", "2021-12-31"),
    calls("h2022", "2253", "2022-01-01", "2022-06-30"),
    calls("cum", "6400", "2019-01-01", "2022-08-31", qualifier="at_least", marker="余"),
    row("ratio", "hotline", "hotline_calls_ratio", "1.5", "倍", "2022-01-01", "2022-06-30", region="Beijing"),
    row(
        "pop",
        "hotline",
        "resident_population",
        "2100",
        "万",
        "2022-01-01",
        "2022-01-01",
        region="Beijing",
        qualifier="at_least",
        marker="多",
    ),
]


def assert_chinese(texts):
    for text in texts:
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
    en = analyse(SEED, [("ratio", "ratio", "h2022 y2021")])
    zh = analyse(SEED, [("ratio", "ratio", "h2022 y2021")], "zh")
    assert len(zh.findings) == len(en.findings) == 5
    assert [f.figure_ids for f in zh.findings] == [f.figure_ids for f in en.findings]
    assert_chinese(f.text for f in zh.findings)
    assert (
        en.findings[0].text
        == "Beijing prints calls for 2 period(s); per day, 2021: 40,712 a day; 2022 H1: 124,475 a day."
    )
    assert zh.findings[0].text == "北京市公布了2个时期的来电量，日均分别为：2021年40,712；2022年上半年12.45万。"
    with language.using("zh"):
        assert numbers.count(124_475) == "12.45万"
    # The printed ratio: the same recomputed value and per-day ratio, and the verdict in Chinese.
    assert "1.516" in en.findings[1].text and "1.516" in zh.findings[1].text
    assert "3.06" in en.findings[1].text and "按日均计比值为3.06" in zh.findings[1].text
    assert "印出的比值在其印刷精度内成立" in zh.findings[1].text and "2022年上半年与2021年之比" in zh.findings[1].text
    # The cumulative remainder, 6400万 - 1486万 - 2253万 = 2661万: 26,610,000 in English as every English
    # count is written (as its key number is), 2661万 in Chinese; the same per-day range.
    assert "by at least 26,610,000 calls, at least 33,556–36,402 a day" in en.findings[2].text
    assert "多出至少2661万次来电" in zh.findings[2].text and "日均至少33,556–36,402" in zh.findings[2].text
    assert "（2019年1月1日至2022年8月31日）" in zh.findings[2].text
    # Per resident, with a population printed as a lower bound: an upper bound.
    assert "at most 0.71 calls per resident" in en.findings[3].text and "人均至多0.71次来电" in zh.findings[3].text
    assert "人均至多1.07次来电" in zh.findings[4].text


def test_chinese_key_numbers_keep_their_keys_and_values():
    en = analyse(SEED, [("ratio", "ratio", "h2022 y2021")])
    zh = analyse(SEED, [("ratio", "ratio", "h2022 y2021")], "zh")
    assert [k.key for k in zh.key_numbers] == [k.key for k in en.key_numbers]
    assert [k.value for k in zh.key_numbers] == [k.value for k in en.key_numbers]
    assert_chinese([t for k in zh.key_numbers for t in (k.label, k.unit)])
    for k in zh.key_numbers:
        assert english_words(k.display) == [] and english_words(k.derivation) == [], k
    shown = {k.key: k for k in zh.key_numbers}
    assert shown["per_day_h2022"].label == "2022年上半年日均来电量"
    assert shown["per_day_h2022"].display == "12.45万"
    assert shown["per_day_h2022"].derivation == "2253万 ÷ 181天"
    assert shown["per_day_fixture_0"].display == "3.06倍"
    assert shown["unexplained_cum"].display == "2661万"
    assert {k.key: k.display for k in en.key_numbers}["per_day_fixture_0"] == "3.06×"


def test_chinese_tables_and_audit_rows():
    zh = analyse(SEED, [("ratio", "ratio", "h2022 y2021")], "zh")
    assert list(zh.volumes["period"]) == ["2019年1月1日至2022年8月31日", "2021年", "2022年上半年"]
    assert list(zh.comparisons["compares"]) == ["2022年上半年对比2021年"]
    assert_chinese(zh.audit["explanation"])
    assert zh.audit.at[0, "explanation"] == "2253万 ÷ 1486万得1.515至1.517，与印出的1.45至1.55相容"


def test_chinese_names_year_on_year_and_month_on_month_changes():
    rows = [
        calls("m2", "100", "2023-02-01", "2023-02-28", unit="件"),
        calls("m3", "120", "2023-03-01", "2023-03-31", unit="件"),
        calls("m3_last_year", "96", "2022-03-01", "2022-03-31", unit="件"),
        row("yoy", "hotline", "hotline_calls_change", "25", "%", "2023-03-01", "2023-03-31", region="Beijing"),
        row("mom", "hotline", "hotline_calls_change", "20", "%", "2023-03-01", "2023-03-31", region="Beijing"),
    ]
    relations = [("change", "yoy", "m3 m3_last_year"), ("change", "mom", "m3 m2")]
    en, zh = analyse(rows, relations), analyse(rows, relations, "zh")
    assert_chinese(f.text for f in zh.findings)
    yoy = next(f.text for f in zh.findings if "同比" in f.text)
    assert yoy == "所印25%为2023年3月的同比变化（对比2022年3月）：重算为0.250，印出的变化率在其印刷精度内成立。"
    assert any("2023年3月的环比变化（对比2023年2月）：重算为0.200" in f.text for f in zh.findings)
    assert any(
        "The printed 25% compares 2023-03 with 2022-03: recomputed 0.250, which holds" in f.text for f in en.findings
    )


def test_chinese_weekly_growth_and_no_volume():
    weeks = [
        calls(f"w{i}", n, s, e, unit="件")
        for i, (n, s, e) in enumerate([("70000", "2023-03-06", "2023-03-12"), ("77000", "2023-03-13", "2023-03-19")])
    ]
    zh = analyse(weeks, lang="zh")
    assert "按日均计，2023年3月13日至2023年3月19日为2023年3月6日至2023年3月12日的1.10倍。" in [
        f.text for f in zh.findings
    ]
    assert_chinese(f.text for f in zh.findings)
    none = analyse(
        [row("pop", "hotline", "resident_population", "2100", "万", "2022-01-01", "2022-01-01", region="Beijing")],
        lang="zh",
    )
    assert [f.text for f in none.findings] == ["北京市未公布热线总量，无从判断其增长。"]

"""The audit engine on relations written for the tests: interval arithmetic, each kind, and relations.csv validation."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.evidence import audit, raw, tidy
from analysis.topics import audit as audit_topic

UNITS = pd.DataFrame(
    {
        "unit": ["户", "万", "%", "倍", "个"],
        "multiplier": [1.0, 1e4, 0.01, 1.0, 1.0],
        "kind": ["count", "count", "rate", "ratio", "count"],
        "unit_en": ["h", "10k", "%", "x", "n"],
    }
)


def figure(
    figure_id: str,
    printed: str,
    unit: str = "户",
    qualifier: str = "exact",
    marker: str = "",
    start: str = "2021-01-01",
    end: str = "2021-01-01",
) -> dict:
    return {
        "figure_id": figure_id,
        "source_id": "fixture",
        "topic": "context",
        "region": "Testland",
        "indicator": figure_id,
        "breakdown_dimension": "",
        "breakdown_value": "",
        "period_start": start,
        "period_end": end,
        "period_as_printed": "",
        "period_resolution": "fixture",
        "value": float(printed),
        "value_as_printed": printed,
        "unit": unit,
        "qualifier": qualifier,
        "qualifier_marker": marker,
        "locator": figure_id,
        "note": "",
    }


def run(figures: list[dict], relations: list[tuple[str, str, str]]) -> pd.DataFrame:
    tidy_table = tidy.tidy_figures(pd.DataFrame(figures), UNITS)
    frame = pd.DataFrame(
        [
            {"relation_id": f"r{i}", "kind": k, "result": r, "operands": o, "note": ""}
            for i, (k, r, o) in enumerate(relations)
        ]
    )
    return audit.run_audit(tidy_table, frame).set_index("relation_id")


def test_printed_intervals_follow_the_last_digit_and_the_qualifier():
    assert tidy.printed_interval("1103.94", 1e4, "count", "exact", "") == pytest.approx((11039350, 11039450))
    assert tidy.printed_interval("63.72", 0.01, "rate", "exact", "") == pytest.approx((0.63715, 0.63725))
    assert tidy.printed_interval("6656", 1, "count", "exact", "") == (6656, 6656)
    assert tidy.printed_interval("6400", 1e4, "count", "at_least", "余") == (64_000_000, 65_000_000)
    assert tidy.printed_interval("80", 1e4, "count", "at_least", "多") == (800_000, 900_000)
    assert tidy.printed_interval("2000", 1, "count", "at_least", "以上")[1] == float("inf")
    assert tidy.printed_interval("10", 1e4, "count", "approximately", "近") == (90_000, 100_000)
    assert tidy.as_printed("2439501", "", "条") == "2439501条"


def test_a_breakdown_that_does_not_add_up_fails_and_says_by_how_much():
    result = run([figure("total", "512"), figure("a", "400"), figure("b", "100")], [("sum", "total", "a b")])
    assert result.at["r0", "verdict"] == "fails"
    assert "off by at least 12" in result.at["r0", "explanation"]


def test_parts_within_rounding_of_a_wan_total_hold():
    result = run(
        [figure("total", "1486", "万"), figure("a", "1000.2", "万"), figure("b", "485.6", "万")],
        [("sum", "total", "a b")],
    )
    assert result.at["r0", "verdict"] == "holds"


def test_a_share_on_another_base_fails_and_names_the_base_that_fits():
    figures = [figure("total", "1000"), figure("listed", "800"), figure("part", "200"), figure("share", "25", "%")]
    result = run(figures, [("share", "share", "part total")])
    assert result.at["r0", "verdict"] == "fails"
    assert "fits the base listed instead" in result.at["r0", "explanation"]


def test_a_share_computed_on_the_listed_parts_is_named_as_such():
    figures = [figure("total", "1000"), figure("a", "600"), figure("b", "200"), figure("share_a", "75", "%")]
    result = run(figures, [("sum", "total", "a b"), ("share", "share_a", "a total")])
    assert result.at["r1", "verdict"] == "fails"
    assert "fits the base the sum of the listed parts of total (a + b) instead" in result.at["r1", "explanation"]


def test_a_subset_larger_than_its_whole_fails():
    result = run([figure("whole", "30"), figure("top_ten", "31")], [("part_of", "whole", "top_ten")])
    assert result.at["r0", "verdict"] == "fails"


def test_a_printed_ratio_holds_within_its_printed_precision():
    figures = [figure("h1", "2253", "万"), figure("year", "1486", "万"), figure("ratio", "1.5", "倍")]
    assert run(figures, [("ratio", "ratio", "h1 year")]).at["r0", "verdict"] == "holds"
    figures[2] = figure("ratio", "1.6", "倍")
    assert run(figures, [("ratio", "ratio", "h1 year")]).at["r0", "verdict"] == "fails"


def test_a_negative_change_is_checked_and_a_lone_one_derives_the_previous_value():
    figures = [figure("now", "90"), figure("before", "100"), figure("yoy", "-10", "%")]
    result = run(figures, [("change", "yoy", "now before"), ("change", "yoy", "now")])
    assert result.at["r0", "verdict"] == "holds"
    assert (
        result.at["r1", "verdict"] == "derived" and "previous value of 99.45 to 101" in result.at["r1", "explanation"]
    )


def test_per_day_and_covers_use_the_period_days():
    figures = [
        figure("week", "7000", start="2021-03-01", end="2021-03-07"),
        figure("daily", "1000", start="2021-03-01", end="2021-03-07"),
        figure("all", "6000", qualifier="at_least", marker="以上", start="2021-01-01", end="2021-12-31"),
    ]
    result = run(figures, [("per_day", "daily", "week"), ("covers", "all", "week")])
    assert result.at["r0", "verdict"] == "holds"
    assert result.at["r1", "verdict"] == "holds"  # 6000以上 is unbounded above, so it can cover 7000


def test_a_rate_with_a_printed_base_must_give_a_whole_number_of_cases():
    assert run([figure("n", "8"), figure("rate", "50", "%")], [("base", "rate", "n")]).at["r0", "verdict"] == "holds"
    assert run([figure("n", "8"), figure("rate", "30.0", "%")], [("base", "rate", "n")]).at["r0", "verdict"] == "fails"


def test_a_share_implies_no_more_cases_than_its_base_and_no_fewer_than_none():
    # 100% is printed to the unit: 99.5% to 100.5%, but a share is at most 100%, so 99.5% to 100% of 45,705:
    # 0.995 × 45,705 = 45,476.475 to 45,705 cases (not 45,934, more cases than there are).
    full = run([figure("n", "45705"), figure("rate", "100", "%")], [("base", "rate", "n")])
    assert full.at["r0", "expected"] == "45,476 to 45,705"
    # In English the printed count drops its measure word (户): n = 45705.
    assert full.at["r0", "explanation"] == "100% of n = 45705 is 45,476 to 45,705 cases"
    # 0% is −0.5% to 0.5%, read as 0% to 0.5%: 0 to 0.005 × 45,705 = 228.525 cases, shown to the unit (not −229).
    none = run([figure("n", "45705"), figure("rate", "0", "%")], [("base", "rate", "n")])
    assert none.at["r0", "expected"] == "0 to 229" and none.at["r0", "verdict"] == "holds"


def test_a_share_is_compared_as_at_most_one_hundred_percent():
    # 45,705 / 45,705 = 100% exactly, within the printed 100% read as 99.5% to 100%.
    whole = [figure("part", "45705"), figure("total", "45705"), figure("rate", "100", "%")]
    result = run(whole, [("share", "rate", "part total")])
    assert result.at["r0", "verdict"] == "holds" and result.at["r0", "observed"] == "99.5% to 100%"
    # 45,900 / 45,705 = 100.43%: within the rounding of a printed 100 (to 100.5%), but no share exceeds 100%.
    over = [figure("part", "45900"), figure("total", "45705"), figure("rate", "100", "%")]
    assert run(over, [("share", "rate", "part total")]).at["r0", "verdict"] == "fails"


def test_a_sum_of_one_operand_says_what_the_two_figures_are():
    breakdown = {"breakdown_dimension": "list", "breakdown_value": "items on the list"}
    items = figure("items", "101")
    as_list = {**figure("items", "101"), "figure_id": "items_list", **breakdown}
    again = {**figure("items", "101"), "figure_id": "items_again"}
    surveyed = figure("surveyed", "101")
    result = run(
        [items, as_list, again, surveyed],
        [("sum", "items", "items_list"), ("sum", "items", "items_again"), ("sum", "items", "surveyed")],
    )
    assert set(result["verdict"]) == {"holds"}  # 101 = 101 each time
    assert result.at["r0", "explanation"] == "its one listed part is 101, compatible with the printed 101"
    assert result.at["r1", "explanation"] == "the same quantity printed again is 101, compatible with the printed 101"
    assert result.at["r2", "explanation"] == "the figure declared equal to it is 101, compatible with the printed 101"


def test_a_sum_of_one_operand_lists_no_parts_for_a_failing_share():
    # total = again is declared; 25% of 200 is 800, not the 1000 printed twice: no 'listed parts' are offered.
    figures = [figure("total", "1000"), figure("again", "1000"), figure("part", "200"), figure("share", "25", "%")]
    result = run(figures, [("sum", "total", "again"), ("share", "share", "part total")])
    assert result.at["r1", "verdict"] == "fails"
    assert "listed parts" not in result.at["r1", "explanation"]


@pytest.mark.parametrize(
    "row,message",
    [
        ({"result": "nosuch"}, "column 'result': must be a figure_id in figures.csv"),
        ({"kind": "average"}, "column 'kind': must be one of sum, part_of"),
        ({"kind": "ratio", "operands": "a"}, "column 'operands': wrong number of operands"),
        ({"kind": "share", "result": "total", "operands": "a total"}, "column 'result': a share, base or change"),
        ({"operands": "a nosuch"}, "column 'operands': must be figure_ids in figures.csv"),
    ],
)
def test_malformed_relations_name_file_row_column_and_rule(tmp_path, row, message):
    figures = pd.DataFrame([figure("total", "512"), figure("a", "400")])
    path = tmp_path / "relations.csv"
    fields = {"relation_id": "r", "kind": "sum", "result": "total", "operands": "a", "note": "", **row}
    pd.DataFrame([fields]).to_csv(path, index=False)
    with pytest.raises(raw.RawDataError) as caught:
        raw.load_relations(figures, UNITS, path)
    assert f"relations.csv, row 1 (line 2), {message}" in str(caught.value)


def test_a_negative_figure_must_be_declared_a_change(tmp_path):
    figures = pd.DataFrame([figure("total", "512"), figure("yoy", "-3", "%")])
    path = tmp_path / "relations.csv"
    pd.DataFrame([{"relation_id": "r", "kind": "sum", "result": "total", "operands": "total", "note": ""}]).to_csv(
        path, index=False
    )
    with pytest.raises(raw.RawDataError, match="must be >= 0 unless relations.csv declares it a change"):
        raw.load_relations(figures.set_index(pd.RangeIndex(1, 3)), UNITS, path)


# --- Chinese reports: audit explanations re-derived in the report language ---

import re  # noqa: E402

from analysis import language  # noqa: E402
from analysis.evidence.catalogue import load_processed  # noqa: E402

# Identifiers a Chinese explanation may still carry: figure and relation ids (snake_case or one short word).
IDENTIFIER = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")
CJK = re.compile(r"[\u4e00-\u9fff]")


def assert_chinese(text: str, ids: tuple[str, ...] = ()) -> None:
    assert CJK.search(text), text
    rest = IDENTIFIER.sub("", text)
    for figure_id in ids:
        rest = rest.replace(figure_id, "")
    assert not re.search(r"[A-Za-z]{4,}", rest), text


def run_zh(figures: list[dict], relations: list[tuple[str, str, str]]) -> pd.DataFrame:
    with language.using("zh"):
        return run(figures, relations)


def test_explanations_in_chinese_keep_the_verdict_and_the_numbers():
    result = run_zh([figure("total", "512"), figure("a", "400"), figure("b", "100")], [("sum", "total", "a b")])
    assert result.at["r0", "verdict"] == "fails"
    assert result.at["r0", "explanation"] == "各部分合计为500，与印出的512至少相差12"
    wan = run_zh(
        [figure("total", "1486", "万"), figure("a", "1000.2", "万"), figure("b", "485.6", "万")],
        [("sum", "total", "a b")],
    )
    # 1000.2万 + 485.6万 is 14,857,000 to 14,859,000 in English: the same digits, read in 万.
    assert wan.at["r0", "expected"] == "1485.7万至1485.9万" and wan.at["r0", "observed"] == "1485.5万至1486.5万"
    assert wan.at["r0", "explanation"] == "各部分合计为1485.7万至1485.9万，与印出的1485.5万至1486.5万相容"
    english = run(
        [figure("total", "1486", "万"), figure("a", "1000.2", "万"), figure("b", "485.6", "万")],
        [("sum", "total", "a b")],
    )
    assert english.at["r0", "expected"] == "14,857,000 to 14,859,000"


def test_a_share_on_another_base_names_it_in_chinese():
    figures = [figure("total", "1000"), figure("listed", "800"), figure("part", "200"), figure("share", "25", "%")]
    result = run_zh(figures, [("share", "share", "part total")])
    assert result.at["r0", "explanation"].endswith("；所印比例若改以listed为基数则相符")
    assert_chinese(result.at["r0", "explanation"], ("listed",))
    figures = [figure("total", "1000"), figure("a", "600"), figure("b", "200"), figure("share_a", "75", "%")]
    result = run_zh(figures, [("sum", "total", "a b"), ("share", "share_a", "a total")])
    assert "若改以total所列各部分之和（a + b）为基数则相符" in result.at["r1", "explanation"]


def test_every_kind_explains_itself_in_chinese():
    figures = [
        figure("now", "90"),
        figure("before", "100"),
        figure("yoy", "-10", "%"),
        figure("week", "7000", start="2021-03-01", end="2021-03-07"),
        figure("daily", "1000", start="2021-03-01", end="2021-03-07"),
        figure("all", "6000", qualifier="at_least", marker="以上", start="2021-01-01", end="2021-12-31"),
        figure("n", "8"),
        figure("rate", "30.0", "%"),
        figure("whole", "30"),
        figure("top", "31"),
    ]
    relations = [
        ("change", "yoy", "now before"),
        ("change", "yoy", "now"),
        ("per_day", "daily", "week"),
        ("covers", "all", "week"),
        ("base", "rate", "n"),
        ("part_of", "whole", "top"),
    ]
    en, zh = run(figures, relations), run_zh(figures, relations)
    assert list(zh["verdict"]) == list(en["verdict"])
    for text in zh["explanation"]:
        assert_chinese(text, ("top",))
    assert zh.at["r1", "explanation"] == "推得前值为99.45至101（系推算，未作核对）"
    assert en.at["r1", "explanation"] == "implies a previous value of 99.45 to 101 (derived, not checked)"
    assert zh.at["r2", "explanation"].startswith("7000户按7天平均，得1,000，与印出的1,000相容")
    assert zh.at["r4", "explanation"].endswith("区间内没有整数")
    assert zh.at["r5", "explanation"] == "top超过整体（30）"


def test_chinese_wan_keeps_every_digit():
    with language.using("zh"):
        assert audit.show(37_380_000, "count") == "3738万"
        assert audit.show(124_475, "count") == "12.4475万"
        assert audit.show(99_999, "count") == "99,999"
        assert audit.show(123_456_789_000, "count") == "1234.56789亿"
        assert audit.show(float("inf"), "count") == "无界"
        assert audit.show_interval(audit.Interval(90_000, 100_000), "count") == "9万至10万"
    assert audit.show_interval(audit.Interval(90_000, 100_000), "count") == "90,000 to 100,000"


def test_localize_reproduces_the_stored_english_audit_and_writes_it_in_chinese():
    figures, stored = load_processed("figures"), load_processed("audit")
    pd.testing.assert_frame_equal(audit.localize(stored, figures), stored)
    with language.using("zh"):
        chinese = audit.localize(stored, figures)
    pd.testing.assert_frame_equal(
        chinese.drop(columns=["expected", "observed", "explanation"]),
        stored.drop(columns=["expected", "observed", "explanation"]),
    )
    for row in chinese.itertuples():
        assert_chinese(row.explanation, tuple(row.figures.split()))
        assert not re.search(r"[A-Za-z]{4,}", row.expected + row.observed), row


def test_audit_findings_in_chinese():
    figures, stored = load_processed("figures"), load_processed("audit")
    findings, key_numbers = audit_topic.audit_findings(figures, stored)
    with language.using("zh"):
        zh_findings, zh_key_numbers = audit_topic.audit_findings(figures, stored)
    assert [f.figure_ids for f in zh_findings] == [f.figure_ids for f in findings]
    assert [(k.key, k.value, k.display) for k in zh_key_numbers] == [(k.key, k.value, k.display) for k in key_numbers]
    for finding in zh_findings:
        assert_chinese(finding.text, finding.figure_ids)
    for k in zh_key_numbers:
        assert_chinese(k.label + k.unit)
    counts = stored["verdict"].value_counts()
    assert zh_findings[0].text.startswith(
        f"共录入{len(figures)}个数字，来自{figures['source_id'].nunique()}个来源；"
        f"{len(stored)}条关系中{counts.get('holds', 0)}条成立，{counts.get('fails', 0)}条不成立"
    )


def test_a_lone_change_shows_its_implied_previous_value_as_a_count_not_a_percent():
    figures = [figure("now", "90"), figure("yoy", "-10", "%")]
    result = run(figures, [("change", "yoy", "now")])
    expected = result.at["r0", "expected"]
    assert "%" not in expected  # the previous value is households, not a rate
    assert expected in result.at["r0", "explanation"]


def test_a_range_narrower_than_its_last_shown_digit_reads_as_one_value_never_a_to_a():
    # 1,813.6 and 1,814.2 both show as 1,814 (whole counts): one value, not '1,814 to 1,814'
    assert audit.show_interval(audit.Interval(1813.6, 1814.2), "count") == "1,814"
    assert audit.show_interval(audit.Interval(1813.0, 1815.0), "count") == "1,813 to 1,815"


def test_a_difference_of_two_rates_is_in_percentage_points():
    # 0.30 - 0.10 = 0.20 apart: 20 percentage points, not '20%'
    assert audit.show_gap(0.20, "rate") == "20 percentage points"
    assert audit.show_gap(12.0, "count") == "12"


def test_a_derived_rate_is_shown_to_the_digits_its_interval_needs():
    # 80多万 / 2100多万: 800,000 / 22,000,000 = 3.6364% to 900,000 / 21,000,000 = 4.2857%. The width, 0.65 points,
    # leads in the first decimal: rounded outward there, 3.6% to 4.3% (never the four decimals 3.6364% to 4.2857%).
    figures = [
        figure("part", "80", "万", "at_least", "多"),
        figure("whole", "2100", "万", "at_least", "多"),
        figure("share", "4.1", "%"),
    ]
    result = run(figures, [("share", "share", "part whole")])
    assert result.at["r0", "expected"] == "3.6% to 4.3%"
    assert (
        result.at["r0", "explanation"]
        == "80多万 / 2100多万 gives 3.6% to 4.3%, compatible with the printed 4.05% to 4.15%"
    )
    # A narrow one needs more: 20,001 / 45,650 = 43.8138% to 20,003 / 45,650 = 43.8182% differ from the third
    # decimal (width 0.0044 points): 43.813% (floor) to 43.819% (ceil).
    assert audit.show_derived(audit.Interval(20_001 / 45_650, 20_003 / 45_650), "rate") == "43.813% to 43.819%"


def test_a_derived_rate_that_misses_its_printing_keeps_the_digits_that_show_the_gap():
    # 3.6364% to 4.2857% against a printed 4.30% (4.295% to 4.305%): the gap is 4.295 − 4.2857 = 0.0093 points,
    # led by the third decimal, so 3.636% to 4.286% (outward), and 'off by at least' 0.009 points (rounded down).
    derived, printed = audit.Interval(0.8 / 22, 0.9 / 21), audit.Interval(0.04295, 0.04305)
    assert audit.show_derived(derived, "rate", printed) == "3.636% to 4.286%"
    assert audit.show_gap(derived.gap(printed), "rate") == "0.009 percentage points"


def test_an_english_explanation_drops_the_chinese_measure_word_of_a_count():
    # 2253万个 / 1486万个: 个 is a measure word; English keeps the digits and 万 and drops it.
    figures = [figure("h1", "2253", "万个"), figure("year", "1486", "万个"), figure("ratio", "1.5", "倍")]
    units = pd.concat(
        [UNITS, pd.DataFrame({"unit": ["万个"], "multiplier": [1e4], "kind": ["count"], "unit_en": ["items"]})]
    )
    tidy_table = tidy.tidy_figures(pd.DataFrame(figures), units)
    frame = pd.DataFrame([{"relation_id": "r0", "kind": "ratio", "result": "ratio", "operands": "h1 year", "note": ""}])
    english = audit.run_audit(tidy_table, frame)
    assert english.at[0, "explanation"].startswith("2253万 / 1486万 gives 1.515 to 1.517")
    assert "个" not in english.at[0, "explanation"]
    from analysis import language

    with language.using("zh"):  # the Chinese page keeps the figure exactly as printed
        assert audit.run_audit(tidy_table, frame).at[0, "explanation"].startswith("2253万个 ÷ 1486万个")
    assert audit.printed_in_english("6400余万个") == "6400余万" and audit.printed_in_english("80多万") == "80多万"

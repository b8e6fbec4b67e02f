"""Number forms and table shapes the figure finder reads (issue 28, round t10), on short made-up strings."""

from __future__ import annotations

import pandas as pd

from analysis.evidence import drafting, finder, raw

UNITS = list(raw.load_units()["unit"])


def numbers(text: str, units: list[str] = UNITS) -> list[tuple[str, float | None, str]]:
    """(printed, value, unit) of every number the finder reads in `text`."""
    return [(n.printed, n.value, n.unit) for n in finder.find_numbers(text, units)]


def test_arabic_tenths_with_a_digit_after_cheng_are_one_number():
    # TEST (made up): a poll prints 7成2 for 72% (seven tenths and two hundredths), in 成 as printed, then the exact rate
    assert numbers("TEST滿意度7成2(71.7%),不滿意僅1成6。", [*UNITS, "成"]) == [
        ("7成2", 7.2, "成"),
        ("71.7", 71.7, "%"),
        ("1成6", 1.6, "成"),
    ]


def test_arabic_tenths_keep_a_marker_after_them():
    (n,) = finder.find_numbers("TEST支持度達9成5以上。", [*UNITS, "成"])
    assert (n.value, n.unit, n.qualifier, n.marker) == (9.5, "成", "at_least", "以上")


def test_an_english_bracket_with_a_number_is_no_pinyin_gloss():
    # TEST (made up): an English abstract's bracket prints figures; a gloss is letters with at most a tone digit
    assert [v for _p, v, _u in numbers("TEST workers (below 660 yuan a month) 20 people")] == [660, 20]


def test_a_spaced_thousands_number_after_a_closing_bracket_is_one_number():
    # TEST (made up): the bracket closes words, so the number after it is printed in prose, not a table row
    assert numbers("TEST特困户(每户200元)1 234户。") == [("200", 200, "元"), ("1234", 1234, "户")]
    assert [v for _p, v, _u in numbers("TEST households (200 yuan) 1 234 households.")] == [200, 1234]


def test_a_locator_starting_at_a_spaced_thousands_number_reads_as_the_page():
    # TEST (made up): the page's …)1 234户 and a locator 1 234户 copied from it normalise alike
    assert finder.normalise("1 234户") == "1234户"
    assert finder.covers(finder.normalise("TEST(每户200元)1 234户。"), "1 234户", finder.Number(12, 16, "1234", 1234.0))


STACKED = (
    "TEST承办情况统计表\n\n单位\n\n受理件数\n\n办结数\n\n在办数\n\n"
    "TEST甲局\n\n10\n\n8\n\n2\n\nTEST乙局\n\n7\n\n6\n\n1\n\n以上为本月情况。\n"
)


def test_a_table_printed_one_cell_per_line_without_bars_drafts_every_cell():
    # TEST table (made up): four headings, then each row's name and its three numbers, one per line, blank lines
    # between; the title above the header is no heading, and 办结数/在办数 count in 件 as 受理件数 says
    cells = drafting.stacked_table_cells(STACKED, UNITS)
    found = finder.find_numbers(STACKED, UNITS)
    got = sorted(
        (n.printed, cells[n.start].heading, cells[n.start].unit, cells[n.start].term) for n in found if n.start in cells
    )
    assert got == sorted(
        [
            ("10", "受理件数", "件", "TEST甲局"),
            ("8", "办结数", "件", "TEST甲局"),
            ("2", "在办数", "件", "TEST甲局"),
            ("7", "受理件数", "件", "TEST乙局"),
            ("6", "办结数", "件", "TEST乙局"),
            ("1", "在办数", "件", "TEST乙局"),
        ]
    )
    page = drafting.draft_all(STACKED, drafting.Source("t", "2024-05-31"), drafting.vocabulary())
    drafted = {(d.row["value"], d.row["breakdown_value"], d.row["unit"]) for d in page.drafts}
    # the last column's numbers (2, 1) are drafted too, though a name follows each with no unit between
    assert {("2", "TEST甲局", "件"), ("1", "TEST乙局", "件")} <= drafted


def test_two_numbers_under_short_lines_are_no_stacked_table():
    # TEST (made up): short lines and numbers that never make two full rows are no table
    assert drafting.stacked_table_cells("TEST甲\n\nTEST乙\n\nTEST丙\n\nTEST丁\n\n10\n\n20\n\n完。\n", UNITS) == {}


def test_a_stacked_tables_rows_that_add_up_are_sums():
    # TEST table (made up): 受理 = 办结 + 在办 in both rows (10 = 8 + 2, 7 = 6 + 1): each row's first number is a sum
    page = drafting.draft_all(STACKED, drafting.Source("t", "2024-05-31"), drafting.vocabulary())
    value = {d.row["figure_id"]: d.row["value"] for d in page.drafts}
    sums = sorted(
        (value[r["result"]], sorted(value[o] for o in r["operands"].split()))
        for r in page.relations
        if r["kind"] == "sum"
    )
    assert sums == [("10", ["2", "8"]), ("7", ["1", "6"])]


def test_a_stacked_table_whose_rows_do_not_add_up_has_no_sums():
    # TEST table (made up): 10 is not 8 + 3, so no row is read as a sum
    text = STACKED.replace("\n\n2\n\n", "\n\n3\n\n")
    page = drafting.draft_all(text, drafting.Source("t", "2024-05-31"), drafting.vocabulary())
    assert [r for r in page.relations if r["kind"] == "sum"] == []


def test_an_english_abstract_prints_the_chinese_figures_again():
    # TEST page (made up): a Chinese paragraph, then its English abstract printing the same figures (10万元 in full)
    text = "TEST全市共有困难职工4107人,帮扶资金10万元。\nTEST The city has 4107 people in hardship, aided with 100,000 yuan.\n"
    page = drafting.draft_all(text, drafting.Source("t", "2024-05-31"), drafting.vocabulary())
    rows = {d.row["locator"]: d.row for d in page.drafts}
    chinese = {r["value"]: r for loc, r in rows.items() if drafting.CJK.search(loc)}
    english = {r["value"]: r for loc, r in rows.items() if not drafting.CJK.search(loc)}
    assert (english["4107"]["unit"], english["100000"]["unit"]) == ("人", "元")
    assert english["4107"]["indicator"] == chinese["4107"]["indicator"]
    sums = {(r["result"], r["operands"]) for r in page.relations if r["kind"] == "sum"}
    for value in ("4107", "100000"):
        chinese_id = chinese["4107" if value == "4107" else "10"]["figure_id"]
        assert (chinese_id, english[value]["figure_id"]) in sums


def test_a_header_cell_naming_a_count_gives_its_column_the_unit():
    # TEST table (made up): 户数 and 人数 head columns of households and persons, 资金(万元) one of 万元
    text = "类别|标准|户数|人数|资金(万元)\nTEST甲|80元/人/月|10|20|3.5\n"
    page = drafting.draft_all(text, drafting.Source("t", "2024-05-31"), drafting.vocabulary())
    units = {d.row["value"]: d.row["unit"] for d in page.drafts}
    assert (units["10"], units["20"], units["3.5"]) == ("户", "人", "万元")


def test_two_days_of_a_month_in_a_row_are_one_span():
    # TEST (made up): 5月10、11日 is the 10th and the 11th of May, of the year printed before it
    text = finder.normalise("TEST2024年,于5月10、11日进行调查。")
    spans = [(d.period.start.isoformat(), d.period.end.isoformat()) for d in drafting.date_words(text, None)]
    assert ("2024-05-10", "2024-05-11") in spans


def test_a_survey_pages_year_cut_at_publication_takes_the_fieldwork_days():
    # TEST page (made up): a title dated by its year alone (up to the publication day, 28 May) and the fieldwork
    # days of the survey after it: the title's rate is the survey's, as the sample counted on those days
    text = "TEST2024年民调:满意度为80%。\nTEST于5月10、11日进行调查,完成1000份有效样本。\n"
    page = drafting.draft_all(text, drafting.Source("t", "2024-05-28"), drafting.vocabulary())
    spans = {d.row["value"]: (d.row["period_start"], d.row["period_end"]) for d in page.drafts}
    assert spans["80"] == spans["1000"] == ("2024-05-10", "2024-05-11")


def test_a_survey_told_as_just_released_ran_in_the_publication_month():
    # TEST page (made up): 最新出爐的調查 with no fieldwork dates: its rate is the publication month's, as after 近日
    text = "TEST最新出爐的調查顯示,TEST縣施政滿意度為75.5%。\n"
    page = drafting.draft_all(text, drafting.Source("t", "2025-12-22"), drafting.vocabulary())
    (row,) = [d.row for d in page.drafts if d.row["value"] == "75.5"]
    assert (row["period_start"], row["period_end"]) == ("2025-12-01", "2025-12-31")


def test_an_english_abstracts_markers_qualify_its_numbers():
    # TEST (made up): nearly reads as 近 (approximately, just below), less than as 不到, more than as 超过
    got = [
        (n.value, n.qualifier, n.marker)
        for n in finder.find_numbers("TEST nearly 500,000 workers earn less than 660 yuan, more than 20 people.", UNITS)
    ]
    assert got == [(500000, "approximately", "nearly"), (660, "at_most", "less than"), (20, "at_least", "more than")]


def test_below_and_above_right_before_a_number_bound_it():
    # TEST (made up): 低于2成 is at most 2 tenths, 高于90% at least 90%; 不低于 stays a floor
    got = [
        (n.value, n.qualifier, n.marker) for n in finder.find_numbers("TEST低于2成,高于90%,不低于5人。", [*UNITS, "成"])
    ]
    assert got == [(2, "at_most", "低于"), (90, "at_least", "高于"), (5, "at_least", "不低于")]


def test_a_figure_in_tenths_is_a_rate_like_a_percentage():
    # TEST (made up): 8成 of the residents are satisfied: a rate printed in tenths, not a count of what is rated
    indicators = pd.DataFrame(
        [
            {
                "indicator": "test_rate",
                "name_en": "TEST rate",
                "name_zh": "TEST施政满意度",
                "kind": "rate",
                "counts": "",
            },
            {
                "indicator": "test_items",
                "name_en": "TEST items",
                "name_zh": "TEST满意度达8成的施政项数",
                "kind": "period_count",
                "counts": "items",
            },
        ]
    )
    tenths = pd.DataFrame([{"unit": "成", "multiplier": "0.1", "kind": "rate", "unit_en": "tenths"}])
    units = pd.concat([raw.load_units(), tenths.astype(raw.load_units().dtypes.to_dict())], ignore_index=True)
    vocab = drafting.vocabulary(indicators, figures=pd.DataFrame(columns=["figure_id"]), units=units)
    page = drafting.draft_all("TEST施政满意度获8成。\n", drafting.Source("t", "2024-05-28"), vocab)
    (row,) = [d.row for d in page.drafts if d.row["value"] == "8"]
    assert (row["unit"], row["indicator"]) == ("成", "test_rate")

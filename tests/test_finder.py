"""The number finder: its grammar on short made-up strings, and the ledger of the seed pages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.evidence import drafting, exclusions, finder, markers, raw

SOURCES = paths.ROOT.parent / "shared" / "sources"
UNITS = list(raw.load_units()["unit"])


def one(text: str) -> finder.Number:
    """The single number the finder reads in `text`."""
    found = finder.find_numbers(text, UNITS)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "text, printed, value, unit",
    [
        ("共有12户家庭", "12", 12, "户"),
        ("达到3.5%", "3.5", 3.5, "%"),
        ("达到３．５％", "3.5", 3.5, "%"),  # full-width digits
        ("收到1,234件", "1,234", 1234, "件"),
        ("受理2.1万件", "2.1", 2.1, "万件"),
        ("补贴3億元", "3", 3, "億元"),
        ("约有三百万职工", "三百", 300, "万"),
        ("共二十五名", "二十五", 25, "名"),
        ("已经两年", "两", 2, "年"),
        ("二〇一九年", "二〇一九", 2019, "年"),
        ("一千零五件", "一千零五", 1005, "件"),
        ("百分之三十的人", "百分之三十", 30, "%"),
        # 成 is tenths of a whole: 五成五 = 55%, 两成半 = 25%, 七成 = 70%
        ("约占五成五,其次", "五成五", 55, "%"),
        ("兩成半的人", "兩成半", 25, "%"),
        ("超过七成。", "七成", 70, "%"),
        # 廿 = 20, 卅 = 30; Arabic digits on both sides of 萬 are one number (28萬 + 4641)
        ("廿九萬兩千多人", "廿九萬兩千", 292000, "人"),
        ("卅四人", "卅四", 34, "人"),
        ("達28萬4641人", "28萬4641", 284641, "人"),
        ("二○○九年", "二○○九", 2009, "年"),  # a circle printed for zero
        # Arabic digits times 千/百 before 万 or a count's measure word: 2千万 is 2000 of 万, 3百人 300 persons
        ("花了2千万", "2千", 2000, "万"),
        ("共3百人", "3百", 300, "人"),
        ("跑了5千米", "5", 5, ""),  # 千米 is a kilometre, not 5000
        # 万/千 alone after a qualifier is that round number: 近萬通 nearly 10000 calls
        ("每天近萬通電話", "萬", 10000, "通"),
        ("逾千人参加", "千", 1000, "人"),
        # a space between a number's thousands, words on both sides (as Hong Kong's releases print them)
        ("受助人数为326 204人。", "326204", 326204, "人"),
        ("共有1 234 567人", "1234567", 1234567, "人"),
        ("受理訴求9.67萬(wàn)件,", "9.67", 9.67, "萬件"),  # a pinyin gloss between 萬 and the unit
    ],
)
def test_values_and_units(text, printed, value, unit):
    number = one(text)
    assert (number.printed, number.value, number.unit) == (printed, value, unit)


@pytest.mark.parametrize(
    "text, value, unit, qualifier, marker",
    [
        ("出资一千余万元", 1000, "万元", "at_least", "余"),
        ("5万多名对象", 5, "万名", "at_least", "多"),
        ("6400余万个来电", 6400, "万个", "at_least", "余"),
        ("80多万人", 80, "万人", "at_least", "多"),  # the longest unit units.csv lists, as 万名 above
        ("十几名队员", 10, "名", "at_least", "几"),
        ("50%以上都是", 50, "%", "at_least", "以上"),
        ("用户超过30万", 30, "万", "at_least", "超过"),
        ("近10万名对象", 10, "万名", "approximately", "近"),
        ("每日100件左右", 100, "件", "approximately", "左右"),
        ("不到20个", 20, "个", "at_most", "不到"),
        ("在15日内", 15, "日", "at_most", "内"),
        ("不超过30万人", 30, "万人", "at_most", "不超过"),  # no more than: not 超过
        ("不低于142元", 142, "元", "at_least", "不低于"),
        ("每日均突破3000个", 3000, "个", "at_least", "突破"),
        # a traditional marker reads as its simplified form: 3年餘 as 3年余 (this one was missing from the table)
        ("已工作3年余", 3, "年", "at_least", "余"),
        ("已工作3年餘", 3, "年", "at_least", "餘"),
    ],
)
def test_qualifiers(text, value, unit, qualifier, marker):
    number = one(text)
    assert (number.value, number.unit, number.qualifier, number.marker) == (value, unit, qualifier, marker)


def test_numbers_a_space_apart_in_a_table_row_stay_two():
    # TEST row (made up) of a table printed with spaces: a space after a heading and between the cells
    assert [n.value for n in finder.find_numbers("城市低保 120 130\n", UNITS)] == [120, 130]


def test_a_percentage_then_a_count_is_no_range():
    # TEST (made up): 下跌0.6%至12 319人 fell by 0.6% to 12,319 persons: two exact figures, not a range's ends
    got = [(n.value, n.unit, n.qualifier) for n in finder.find_numbers("TEST个案下跌0.6%至12 319人。", UNITS)]
    assert got == [(0.6, "%", "exact"), (12319, "人", "exact")]


def test_range_ends_share_the_unit():
    low, high = finder.find_numbers("每村配备1至5名", UNITS)
    assert (low.value, low.unit, low.qualifier, low.marker) == (1, "名", "at_least", "至")
    assert (high.value, high.unit, high.qualifier, high.marker) == (5, "名", "at_most", "至")


@pytest.mark.parametrize(
    "text",
    [
        "業(yè)務辦理",  # pinyin gloss
        "發(fā2)放",  # a gloss with a tone digit
        "感慨万千",
        "千万不要",
        "老百姓",
        "十分重要",
        "一些问题",
        "万一出错",
        "好几趟",
        "一成不变",  # 成 after a digit, but a set phrase: no share
        "形成了工单",
    ],
)
def test_words_are_not_numbers(text):
    assert finder.find_numbers(text, UNITS) == []


def test_pinyin_gloss_does_not_hide_the_number_after_it():
    number = one("業(yè)務11.04萬件")
    assert (number.value, number.unit, number.locator) == (11.04, "萬件", "務11.04萬件")


def test_unknown_unit_is_flagged():
    number = one("运行1130列")
    assert (number.unit, number.unit_known) == ("列", False)
    assert "not in units.csv" in finder.draft_row(number, "x")["note"]


def test_calls_counted_in_tong_are_figures_not_names():
    # 通 counts calls (units.csv); before it was read, 3738通 was excluded as part of a name.
    number = one("共接听来电3738通")
    assert (number.value, number.unit, number.unit_known) == (3738, "通", True)
    drafts = _drafts("2023年全市共接听来电3738通。", "2024-01-05")
    assert drafts["3738"]["unit"] == "通"


def test_measure_word_missing_from_units_is_drafted_and_flagged():
    # 例 is not in units.csv: the count is drafted with its printed unit and a note, not excluded.
    number = one("累计救助12例")
    assert (number.value, number.unit, number.unit_known) == (12, "例", False)
    assert "not in units.csv" in finder.draft_row(number, "x")["note"]


def test_dotted_date_is_three_numbers():
    assert [n.value for n in finder.find_numbers("报2020.8.21", UNITS)] == [2020, 8, 21]


@pytest.mark.parametrize(
    "numeral, value",
    [("十", 10), ("十三", 13), ("两百", 200), ("三万五千", 35000), ("零", 0), ("几十", 20), ("十四五", None)],
)
def test_parse_chinese(numeral, value):
    assert finder.parse_chinese(numeral) == value


def test_draft_rows_are_figures_columns():
    entries = [finder.Entry(one("受理2.1万件"), "unaccounted")]
    header, row = finder.draft_csv(entries, "src").splitlines()
    assert header.split(",") == list(raw.read_csv_text(paths.FIGURES_CSV).columns)
    assert row.startswith(",src,") and "2.1,万件,exact,,受理2.1万件" in row


def test_ledger_entered_excluded_unaccounted():
    figures = pd.DataFrame({"figure_id": ["f1"], "source_id": ["s"], "value": ["6656"], "locator": ["的6656户"]})
    excluded = pd.DataFrame({"source_id": ["s"], "locator": ["2016年"], "reason": ["date"]})
    page = "从2016年的6656户减少到512户"
    status = [e.status for e in finder.ledger(page, "s", figures, excluded, UNITS)]
    assert status == ["excluded", "entered", "unaccounted"]


def test_exclusions_schema_names_row_column_rule(tmp_path):
    path = tmp_path / "exclusions.csv"
    path.write_text("source_id,locator,reason\nnope,6656户,x\ns,2016年,\ns,不在页上,date\n", encoding="utf-8")
    with pytest.raises(raw.RawDataError) as err:
        exclusions.load_exclusions(path, source_ids={"s"}, pages={"s": "2016年的6656户"})
    text = str(err.value)
    assert "row 1 (line 2), column 'source_id': must be a source_id in sources.csv" in text
    assert "row 2 (line 3), column 'reason': must not be empty" in text
    assert "row 3 (line 4), column 'locator': must occur" in text


def seed_pages() -> list[Path]:
    """The seed pages, or a skip when the shared folder is not on this machine."""
    if not SOURCES.is_dir():
        pytest.skip(f"source pages not present at {SOURCES}")
    return sorted(SOURCES.glob("*.txt"))


def test_ledger_of_seed_pages_is_complete():
    figures = raw.load_figures()
    pages = seed_pages()
    texts = {p: p.read_text(encoding="utf-8") for p in pages}
    ids = {p: finder.guess_source_id(t, figures) for p, t in texts.items()}
    assert len(set(ids.values())) == len(pages), ids
    excluded = exclusions.load_exclusions(pages={ids[p]: t for p, t in texts.items()})
    for page, text in texts.items():
        entries = finder.ledger(text, ids[page], figures, excluded, UNITS)
        open_ones = [e.number.locator for e in entries if e.status == "unaccounted"]
        assert open_ones == [], f"{page.name}: numbers neither entered nor excluded: {open_ones}"
        found, total = finder.recall(entries, figures, ids[page])
        assert found == total, f"{page.name}: only {found} of {total} figures.csv rows found"


# ---------------------------------------------------------------- whole draft rows (issue 28), on TEST pages


def _indicator_table(columns: str, *rows: tuple[str, ...]) -> pd.DataFrame:
    """TEST indicators.csv rows, one tuple per indicator, in the order of `columns` (space-separated names)."""
    return pd.DataFrame(rows, columns=columns.split())


TEST_INDICATORS = _indicator_table(
    "indicator name_en name_zh",
    ("test_requests", "TEST requests", "受理诉求量"),
    ("test_requests_share", "TEST requests (share)", "诉求占比"),
    ("test_requests_change", "TEST requests (change)", "诉求量变化率"),
    ("test_requests_per_day", "TEST requests per day", "日均受理诉求量"),
)
# TEST page (made up): a week's total, its per-day average, a decrease, and two parts with their shares.
TEST_PAGE = "2024年第28周(7月8日—7月14日),热线共受理诉求700件,日均100件,较上周下降5.5%。其中,咨询类400件,占57.1%;求助类300件,占42.9%。"


def _test_page(text: str, published: str) -> tuple[drafting.PageDrafts, dict[str, dict[str, str]]]:
    """A TEST page drafted against TEST_INDICATORS: the page's drafts and its rows by printed value."""
    page = drafting.draft_all(text, drafting.Source("t", published), drafting.vocabulary(TEST_INDICATORS))
    return page, {d.row["value"]: d.row for d in page.drafts}


def _test_drafts():
    source = drafting.Source("test", "2024-07-15", "TEST:Region")
    page = drafting.draft_all(TEST_PAGE, source, drafting.Vocabulary(TEST_INDICATORS, pd.DataFrame(), raw.load_units()))
    return page, {d.row["value"]: d.row for d in page.drafts}


def test_draft_rows_are_whole():
    page, rows = _test_drafts()
    # the dates 2024, 28, 7, 8, 7, 14 are excluded, not drafted: 700 100 5.5 400 57.1 300 42.9 remain
    assert sorted(rows) == sorted(["700", "100", "-5.5", "400", "57.1", "300", "42.9"])
    week = ("2024-07-08", "2024-07-14")  # 第28周 with its printed first and last day, year from 2024年
    assert all((r["period_start"], r["period_end"]) == week for r in rows.values())
    assert all(r["region"] == "TEST:Region" for r in rows.values())
    assert rows["700"]["indicator"] == "test_requests" and rows["700"]["breakdown_value"] == ""
    assert (rows["400"]["indicator"], rows["400"]["breakdown_value"]) == ("test_requests", "咨询类")
    assert (rows["57.1"]["indicator"], rows["57.1"]["breakdown_value"]) == ("test_requests_share", "咨询类")
    assert rows["-5.5"]["indicator"] == "test_requests_change"  # 下降: the signed value
    assert rows["100"]["indicator"] == "test_requests_per_day"
    assert "proposed" in rows["700"]["note"]
    assert [e["reason"] for e in page.exclusions] == ["date", "date"]


def test_draft_relations():
    page, rows = _test_drafts()
    ids = {v: r["figure_id"] for v, r in rows.items()}
    kinds = {(r["kind"], r["result"], r["operands"]) for r in page.relations}
    assert ("sum", ids["700"], f"{ids['400']} {ids['300']}") in kinds  # 400 + 300 = 700
    assert ("share", ids["57.1"], f"{ids['400']} {ids['700']}") in kinds
    assert ("per_day", ids["100"], ids["700"]) in kinds
    assert ("change", ids["-5.5"], ids["700"]) in kinds


def test_table_cells_draft_one_row_each():
    # TEST table (made up): years as columns, a # row is a part of the row above
    table = "项目 | 2020年 | 2021年 |\n受助人数(人) | 120 | 130 |\n#老年人 | 20 | |\n"
    indicators = pd.DataFrame({"indicator": ["test_aided"], "name_en": ["TEST aided"], "name_zh": ["受助人数"]})
    page = drafting.draft_all(
        table, drafting.Source("t", "2022-01-01"), drafting.Vocabulary(indicators, pd.DataFrame(), raw.load_units())
    )
    got = [
        (r["value"], r["unit"], r["period_start"], r["period_end"], r["breakdown_value"])
        for r in (d.row for d in page.drafts)
    ]
    assert got == [
        ("120", "人", "2020-01-01", "2020-12-31", ""),
        ("130", "人", "2021-01-01", "2021-12-31", ""),
        ("20", "人", "2020-01-01", "2020-12-31", "老年人"),
    ]
    assert all(d.row["indicator"] == "test_aided" for d in page.drafts)
    assert [(r["kind"], r["operands"]) for r in page.relations] == [("part_of", "t_n03")]


@pytest.mark.parametrize(
    "words, published, start, end",
    [
        ("11月份,受理10件", "2024-12-12", "2024-11-01", "2024-11-30"),
        ("2025年第一季度,受理10件", "2025-04-22", "2025-01-01", "2025-03-31"),
        ("今年上半年,受理10件", "2022-08-26", "2022-01-01", "2022-06-30"),
        ("2023年以来,受理10件", "2023-12-31", "2023-01-01", "2023-12-31"),
        ("截至6月底,受理10件", "2013-07-01", "2013-06-30", "2013-06-30"),
        ("受理10件", "2020-01", "2020-01-01", "2020-01-31"),  # no date words: the publication month
    ],
)
def test_periods_from_date_words(words, published, start, end):
    page = drafting.draft_all(words, drafting.Source("t", published), drafting.vocabulary(TEST_INDICATORS))
    row = page.drafts[-1].row
    assert (row["value"], row["period_start"], row["period_end"]) == ("10", start, end)


def test_ledger_matches_an_entered_negative_change():
    figures = pd.DataFrame(
        {"figure_id": ["f1"], "source_id": ["s"], "value": ["-12.35"], "locator": ["环比减少12.35%"]}
    )
    none = pd.DataFrame({"source_id": [], "locator": [], "reason": []})
    (entry,) = finder.ledger("TEST环比减少12.35%", "s", figures, none, UNITS)
    assert (entry.status, entry.by) == ("entered", "f1")


# ---------------------------------------------------------------- breakdowns, stocks, periods (issue 28, after set A)

TEST_KINDS = _indicator_table(
    "indicator name_en name_zh kind counts",
    ("test_requests", "TEST requests", "受理诉求量", "flow", "requests"),
    ("test_requests_share", "TEST requests (share)", "诉求占比", "rate", "requests"),
    ("test_households", "TEST households", "农村保障户数", "stock", "households"),
    ("test_persons", "TEST persons", "农村居民保障人数", "stock", "persons"),
)
# TEST breakdowns: the requests are declared by how they were handled and by type, in that order
TEST_BREAKDOWNS = pd.DataFrame(
    {
        "indicator": ["test_requests", "test_requests", "test_requests_share"],
        "breakdown_dimension": ["handling", "request_type", "request_type"],
        "parts": ["exhaustive", "exhaustive", "exhaustive"],
    }
)


def _drafts(text: str, published: str) -> dict[str, dict[str, str]]:
    vocab = drafting.Vocabulary(TEST_KINDS, pd.DataFrame(), raw.load_units(), TEST_BREAKDOWNS)
    page = drafting.draft_all(text, drafting.Source("t", published, "TEST:Region"), vocab)
    return {d.row["value"]: d.row for d in page.drafts}


def test_breakdown_dimension_from_declared_dimensions():
    # TEST page (made up): one total, a run of two handling parts, then a run of types with a share
    rows = _drafts("11月份,共受理诉求100件。其中,直办70件,转办30件。咨询类60件,占60.0%;求助类40件。", "2024-12-12")
    got = {v: (rows[v]["indicator"], rows[v]["breakdown_dimension"], rows[v]["breakdown_value"]) for v in rows}
    # the first run takes the first declared dimension; the run whose terms end in 类 the one naming a type
    assert got["70"] == ("test_requests", "handling", "直办")
    assert got["30"] == ("test_requests", "handling", "转办")
    assert got["60"] == ("test_requests", "request_type", "咨询类")
    assert got["40"] == ("test_requests", "request_type", "求助类")
    # the share takes its count's term and the dimension its own indicator declares
    assert rows["100"]["breakdown_dimension"] == ""  # the total has none
    assert got["60.0"] == ("test_requests_share", "request_type", "咨询类")
    assert "breakdowns.csv declares" in rows["70"]["note"]


def test_stock_in_a_year_column_is_dated_its_last_day():
    # TEST table (made up): a stock (kind in indicators.csv) by year column
    rows = _drafts("项目 | 2020年 | 2021年 |\n农村保障户数(户) | 10 | 12 |\n", "2022")
    # 2020 ends on 31 December 2020; 2021 on 31 December 2021
    assert (rows["10"]["period_start"], rows["10"]["period_end"]) == ("2020-12-31", "2020-12-31")
    assert (rows["12"]["period_start"], rows["12"]["period_end"]) == ("2021-12-31", "2021-12-31")


def test_printed_unit_chooses_between_close_names():
    # TEST: 人 counts persons, so the persons indicator, though the households name shares more characters
    rows = _drafts("2020年7月,农村保障人数99人。", "2020-08-18")
    assert rows["99"]["indicator"] == "test_persons"
    # a stock printed for a month is dated the month's last day (July has 31 days)
    assert (rows["99"]["period_start"], rows["99"]["period_end"]) == ("2020-07-31", "2020-07-31")


def test_printed_count_change_is_a_change_and_unsigned():
    # TEST: 减少8人 after a count: a change of that count in its unit; only a % change is entered negative
    vocab = drafting.Vocabulary(TEST_KINDS, pd.DataFrame(), raw.load_units(), TEST_BREAKDOWNS)
    page = drafting.draft_all("TEST农村保障人数50人,减少8人。", drafting.Source("t", "2020-06-03"), vocab)
    rows = {d.row["value"]: d.row for d in page.drafts}
    assert "8" in rows and "-8" not in rows
    assert ("change", rows["8"]["figure_id"], rows["50"]["figure_id"]) in {
        (r["kind"], r["result"], r["operands"]) for r in page.relations
    }


@pytest.mark.parametrize(
    "words, published, start, end",
    [
        # months 1 to 7 of 2020: 1 January to 31 July
        ("2020年1-7月,受理10件", "2020-08-18", "2020-01-01", "2020-07-31"),
        ("1—9月,受理10件", "2023-10-18", "2023-01-01", "2023-09-30"),
        # 今年以来 after a printed 截至9月11日 runs to that day, not to the publication's last day
        ("截至9月11日。今年以来,受理10件", "2024-09", "2024-01-01", "2024-09-11"),
        # a bare 今年 after 今年以来 is the same period
        ("截至9月11日。今年以来,今年受理10件", "2024-09", "2024-01-01", "2024-09-11"),
        # 近一个月 up to 11 September: from 12 August
        ("截至9月11日。近一个月,受理10件", "2024-09", "2024-08-12", "2024-09-11"),
        # a month printed without its year inside the page's year dates its own sentence; 从…开始 runs to the
        # year's end
        ("TEST民政局2018年工作总结。全年新增40户。从7月份开始,补贴10户", "2019-01-15", "2018-07-01", "2018-12-31"),
        ("TEST民政局2018年工作总结。7月份补贴5户。全年新增10户", "2019-01-15", "2018-01-01", "2018-12-31"),
        # nothing runs past the publication day; a span of years; 前年 the year before last
        ("TEST2012年春节期间,慰问10户", "2012-01-17", "2012-01-01", "2012-01-17"),
        ("TEST从1992年至2011年,累计慰问10户", "2012-01-17", "1992-01-01", "2011-12-31"),
        ("TEST前年受理10户", "2023-01-03", "2021-01-01", "2021-12-31"),
        # 今年 in a page dated only to an interval across a new year is the year it is about
        ("TEST2018年工作总结。今年全市救助10户", "2018-11-01/2019-03-31", "2018-01-01", "2018-12-31"),
        # TEST: 7 May 2016 is a Saturday; 上周 is the Monday-to-Sunday week before the one it is told in
        ("TEST记者5月7日获悉,上周受理10件", "2016-05-09", "2016-04-25", "2016-05-01"),
        ("TEST记者5月7日获悉,上上周受理10件", "2016-05-09", "2016-04-18", "2016-04-24"),
        # 9 May 2016 is a Monday: with no day printed, 上周 is told on the publication date
        ("TEST上周受理10件", "2016-05-09", "2016-05-02", "2016-05-08"),
        # a year-to-date period before it is no week: 上周 is still the calendar week
        ("TEST今年以来受理5件。上周受理10件", "2016-05-09", "2016-05-02", "2016-05-08"),
        ("TEST昨天发布结果,受理10件", "2009-06-03", "2009-06-02", "2009-06-02"),
        ("TEST6月3日讯,前天受理10件", "2009-06-05", "2009-06-01", "2009-06-01"),
        # 上月 with no month printed before it: the month before the publication's
        ("TEST上月受理10件", "2021-03-04", "2021-02-01", "2021-02-28"),
        # a day printed in full on a line of its own signs the notice: the table after it keeps 4月份
        ("TEST4月份受理5件。\n2022年5月18日\n附表TEST合计10件", "2022-05-18", "2022-04-01", "2022-04-30"),
        # TEST: ROC years (+1911) on a page in traditional characters or after 民國; 自…至今 runs from its start
        ("TEST服務中心自98年成立至今,受理10件", "2019-02-01", "2009-01-01", "2019-02-01"),
        ("TEST民國107年受理10件", "2019-02-01", "2018-01-01", "2018-12-31"),
        # a simplified page's 98年 is no ROC year: no period printed, the publication date
        ("TEST98年受理10件", "2019-02-01", "2019-02-01", "2019-02-01"),
        # 明年: the year after the publication's; 两年前: that many calendar years before it
        ("TEST明年计划受理10件", "2021-03-04", "2022-01-01", "2022-12-31"),
        ("TEST两年前受理10件", "2021-03-04", "2019-01-01", "2019-12-31"),
        # 两年前 does not move the year of a day printed after it; 当天 is that day
        ("TEST两年前设立。12月5日举行仪式,当天受理10件", "2017-12-12", "2017-12-05", "2017-12-05"),
        # months in Chinese numerals, and two months in a row (六、七月 is June and July, not two figures)
        ("TEST去年十月受理10件", "2021-03-04", "2020-10-01", "2020-10-31"),
        ("TEST今年六、七月受理10件", "2021-09-04", "2021-06-01", "2021-07-31"),
        ("TEST今年6、7月受理10件", "2021-09-04", "2021-06-01", "2021-07-31"),
    ],
)
def test_more_date_words(words, published, start, end):
    page = drafting.draft_all(words, drafting.Source("t", published), drafting.vocabulary(TEST_INDICATORS))
    row = page.drafts[-1].row
    assert (row["value"], row["period_start"], row["period_end"]) == ("10", start, end)


def test_a_month_without_its_year_on_a_page_dated_across_years_gives_no_period():
    # TEST (made up): the title's 五月 has no year and the page is dated only by bounds over nine years, so
    # 本月 is the month printed in full in the text (June 2015), not May of the bounds' last year; 五 is no figure
    words = "TEST热线五月情况通报\n2015年6月,共办理30件。\n二、热点\n本月共受理10件"
    page = drafting.draft_all(
        words, drafting.Source("t", "2015-07-01/2024-01-01"), drafting.vocabulary(TEST_INDICATORS)
    )
    rows = {d.row["value"]: (d.row["period_start"], d.row["period_end"]) for d in page.drafts}
    assert rows == {"30": ("2015-06-01", "2015-06-30"), "10": ("2015-06-01", "2015-06-30")}


def test_counts_in_a_bracket_after_a_total_are_its_parts():
    # TEST (made up): 30 + 20 = 50 printed in a bracket right after the total; a share elsewhere is not a part
    vocab = drafting.Vocabulary(TEST_KINDS, pd.DataFrame(), raw.load_units(), TEST_BREAKDOWNS)
    page = drafting.draft_all(
        "TEST共受理诉求50件(电话诉求30件、网络诉求20件)。", drafting.Source("t", "2024-01"), vocab
    )
    rows = {d.row["value"]: d.row for d in page.drafts}
    assert (rows["30"]["breakdown_value"], rows["20"]["breakdown_value"]) == ("电话", "网络")
    assert ("sum", rows["50"]["figure_id"], f"{rows['30']['figure_id']} {rows['20']['figure_id']}") in {
        (r["kind"], r["result"], r["operands"]) for r in page.relations
    }


def test_unit_column_table_with_thousands_and_outline_parts():
    # TEST table (made up): a 单位 column, thousands commas, the page's month, and an outline (一、 1. A)
    text = (
        "| TEST统计月报 2023年5月 | ||\n"
        "| 指标名称 | 单位 | 数量 |\n"
        "| 一、农村保障 | ||\n"
        "| 农村保障户数 | 户 | 1,500 |\n"
        "| A 甲村农村保障户数 | 户 | 1,200 |\n"
        "| B 乙村农村保障户数 | 户 | 300 |\n"
    )
    vocab = drafting.Vocabulary(TEST_KINDS, pd.DataFrame(), raw.load_units(), TEST_BREAKDOWNS)
    page = drafting.draft_all(text, drafting.Source("t", "2023-06-10", "TEST:Region"), vocab)
    rows = {d.row["value"]: d.row for d in page.drafts}
    # the values without commas, the unit from the 单位 column
    assert {v: rows[v]["unit"] for v in ("1500", "1200", "300")} == {"1500": "户", "1200": "户", "300": "户"}
    # 农村保障户数 is a stock (TEST_KINDS): May 2023 becomes its last day, 31 May
    assert (rows["1500"]["period_start"], rows["1500"]["period_end"]) == ("2023-05-31", "2023-05-31")
    assert rows["1500"]["indicator"] == rows["1200"]["indicator"] == "test_households"
    # A and B are parts of the row above; their terms drop the ending both share (农村保障户数)
    assert (rows["1200"]["breakdown_value"], rows["300"]["breakdown_value"]) == ("甲村", "乙村")
    assert rows["1500"]["breakdown_value"] == ""
    # 1,200 + 300 = 1,500: a sum
    ids = f"{rows['1200']['figure_id']} {rows['300']['figure_id']}"
    assert ("sum", rows["1500"]["figure_id"], ids) in {(r["kind"], r["result"], r["operands"]) for r in page.relations}


@pytest.mark.parametrize(
    "text, unit",
    [
        ("单位：户\n| 项目 | 2022年 | 2023年 |\n| TEST甲 | 1,234 | 1,300 |\n", "户"),  # a 单位 line above
        ("| 项目 | 2022年 | 2023年 |\n| TEST甲（万件） | 1,234 | 1,300 |\n", "万件"),  # the row heading's
    ],
)
def test_unit_printed_apart_from_a_table_cell(text, unit):
    page = drafting.draft_all(text, drafting.Source("t", "2024-02"), drafting.vocabulary(TEST_INDICATORS))
    rows = {d.row["value"]: d.row for d in page.drafts}
    assert (rows["1234"]["unit"], rows["1234"]["period_start"], rows["1234"]["period_end"]) == (
        unit,
        "2022-01-01",
        "2022-12-31",
    )


def test_unit_in_a_header_row_cell():
    # TEST: a header row whose value column is headed 件; the period from the printed month
    page = drafting.draft_all(
        "TEST2024年3月\n| 类别 | 件 |\n| 咨询 | 1,234 |\n", drafting.Source("t", "2024-04-02"), drafting.vocabulary()
    )
    (row,) = [d.row for d in page.drafts if d.row["value"] == "1234"]
    assert (row["unit"], row["period_start"], row["period_end"]) == ("件", "2024-03-01", "2024-03-31")


@pytest.mark.parametrize(
    "words, start, end",
    [
        ("2024年第3季,受理10件", "2024-07-01", "2024-09-30"),
        ("第三季度,受理10件", "2024-07-01", "2024-09-30"),  # the publication's year (2024)
        ("今年三季度,受理10件", "2024-07-01", "2024-09-30"),
        ("2024Q3,受理10件", "2024-07-01", "2024-09-30"),
        ("今年首季,受理10件", "2024-01-01", "2024-03-31"),  # 首季: the first quarter
        ("今年头3个月,受理10件", "2024-01-01", "2024-03-31"),
        ("去年下半年,受理10件", "2023-07-01", "2023-12-31"),
        ("2023年上半年,受理10件", "2023-01-01", "2023-06-30"),
    ],
)
def test_quarter_and_half_year_words(words, start, end):
    page = drafting.draft_all(words, drafting.Source("t", "2024-11-05"), drafting.vocabulary(TEST_INDICATORS))
    row = page.drafts[-1].row
    assert (row["value"], row["period_start"], row["period_end"]) == ("10", start, end)


def test_a_compared_year_is_no_period_and_a_fall_is_signed():
    # TEST: 2019's count fell 6% on 2018 and a part fell 12% (大跌): both 2019, both negative
    _page, rows = _test_page(
        "TEST2019年受理诉求100件,较2018年下跌6%。其中咨询类诉求60件,大跌12%;求助类诉求40件,较上年少3%。", "2020-01-24"
    )
    assert {v: rows[v]["period_start"] for v in ("100", "-6", "-12", "-3")} == dict.fromkeys(
        ("100", "-6", "-12", "-3"), "2019-01-01"
    )
    assert "2018" not in rows  # the compared year is a date, not a figure


def test_traditional_name_matches_a_simplified_indicator():
    # TEST: 有效評價 (traditional) is the indicator named 有效评价数 (simplified)
    indicators = pd.DataFrame(
        {"indicator": ["test_reviews"], "name_en": ["TEST valid reviews"], "name_zh": ["有效评价数"]}
    )
    assert drafting.fold("有效評價") == "有效评价"
    page = drafting.draft_all(
        "TEST今年共收到有效評價120條。", drafting.Source("t", "2024-09"), drafting.vocabulary(indicators)
    )
    (row,) = [d.row for d in page.drafts if d.row["value"] == "120"]
    assert row["indicator"] == "test_reviews"


def test_new_indicator_kind_and_counts_from_the_unit():
    # TEST: nothing in TEST_KINDS is close to 加装坡道; 户 counts households, a month's count is a flow
    vocab = drafting.Vocabulary(TEST_KINDS, pd.DataFrame(), raw.load_units(), TEST_BREAKDOWNS)
    page = drafting.draft_all("TEST2024年5月,加装坡道7户。", drafting.Source("t", "2024-06"), vocab)
    (row,) = page.indicators
    assert (row["indicator"], row["name_zh"], row["kind"], row["counts"]) == (
        "new_indicator_1",
        "加装坡道",
        "flow",
        "households",
    )


def test_a_count_is_not_proposed_a_measure_of_days():
    # TEST: 568件 counts cases; 办理天数 (days) shares its words but cannot be it
    indicators = _indicator_table(
        "indicator name_en name_zh kind counts", ("test_days", "TEST days to handle", "办理天数", "duration", "days")
    )
    page = drafting.draft_all("TEST正在办理568件。", drafting.Source("t", "2024-09"), drafting.vocabulary(indicators))
    (row,) = [d.row for d in page.drafts if d.row["value"] == "568"]
    assert row["indicator"] != "test_days"


def test_counts_that_add_up_to_the_total_before_them_are_its_parts():
    # TEST (made up): 20 + 12 = 32 printed after the total with no 其中; a sum relation
    page, rows = _test_page("TEST受理工单32件,已办结20件,正在办理12件。", "2024-05")
    assert (rows["20"]["breakdown_value"], rows["12"]["breakdown_value"]) == ("已办结", "正在办理")
    assert rows["20"]["indicator"] == rows["12"]["indicator"] == rows["32"]["indicator"]
    ids = f"{rows['20']['figure_id']} {rows['12']['figure_id']}"
    assert ("sum", rows["32"]["figure_id"], ids) in {(r["kind"], r["result"], r["operands"]) for r in page.relations}


def test_a_filler_alone_takes_its_name_from_the_clause_before():
    # TEST: 共有40件 names nothing; the clause before the comma (受理诉求量最多) names it
    _page, rows = _test_page("TEST去年受理诉求量最多,共有40件。", "2024-05")
    assert rows["40"]["indicator"] == "test_requests"


# ---------------------------------------------------------------- choices that generalise (issue 28, second tuning set)


def _vocab_drafts(text: str, indicators: dict[str, tuple[str, str, str]], breakdowns: dict[str, str]):
    """Draft rows of a TEST page against TEST indicators {slug: (name_zh, kind, counts)} and their one
    declared breakdown dimension each."""
    table = pd.DataFrame(
        [(slug, f"TEST {slug}", zh, kind, counts) for slug, (zh, kind, counts) in indicators.items()],
        columns=["indicator", "name_en", "name_zh", "kind", "counts"],
    )
    parts = pd.DataFrame(
        [(slug, dim, "partial") for slug, dim in breakdowns.items()],
        columns=["indicator", "breakdown_dimension", "parts"],
    )
    vocab = drafting.Vocabulary(table, pd.DataFrame(), raw.load_units(), parts)
    page = drafting.draft_all(text, drafting.Source("t", "2024-04-10", "TEST:Region"), vocab)
    return {d.row["value"]: d.row for d in page.drafts}


def test_a_count_followed_by_a_list_opener_starts_a_new_total():
    # TEST page (made up): two totals, each with its own 其中 list; the parts share 补贴, which no total prints
    indicators = {
        "test_aid_paid": ("救助金发放额", "amount", "yuan"),
        "test_support_paid": ("供养资金", "amount", "yuan"),
    }
    rows = _vocab_drafts(
        "一季度,发放救助金100万元,其中,春节补贴60万元,电费补贴10万元;供养资金50万元,其中春节补贴20万元。",
        indicators,
        {"test_aid_paid": "payment_item", "test_support_paid": "payment_item"},
    )
    got = {v: (r["indicator"], r["breakdown_dimension"], r["breakdown_value"]) for v, r in rows.items()}
    assert got["60"] == ("test_aid_paid", "payment_item", "春节补贴")  # 补贴 kept: the total does not print it
    assert got["10"] == ("test_aid_paid", "payment_item", "电费补贴")
    # 供养资金 is followed by 其中: a total of its own, not a third part of 救助金
    assert got["50"] == ("test_support_paid", "", "")
    assert got["20"] == ("test_support_paid", "payment_item", "春节补贴")


def test_subject_carried_over_from_the_count_before_when_the_unit_fits():
    # TEST: 累计救助 shares no character with 低保对象人次; the subject 低保 is printed with the count before it,
    # and 人次 counts person-times, what the indicator counts (units.csv 'person-times', indicators 'person_times')
    indicators = {
        "test_paid": ("低保金发放额", "amount", "yuan"),
        "test_person_times": ("低保对象人次", "flow", "person_times"),
    }
    rows = _vocab_drafts("一季度,发放低保金100万元,累计救助500人次。", indicators, {})
    assert rows["500"]["indicator"] == "test_person_times"
    assert "carried over" in rows["500"]["note"]
    assert rows["100"]["indicator"] == "test_paid"


def test_an_aside_does_not_move_parts_that_add_up_and_a_change_follows_its_rate():
    # TEST page (made up): 50 (an aside in brackets) + 240 + 60 = 350, the first total, by chance; 240 + 60 = 300,
    # the total they are printed after, so they stay its parts. 环比上升2% is printed right after the rate.
    indicators = {
        "test_received": ("接收工单数", "flow", "cases"),
        "test_closed": ("办结工单数", "flow", "cases"),
        "test_resolution_rate": ("解决率", "rate", "cases"),
        "test_resolution_rate_change": ("解决率环比变化", "change", "cases"),
    }
    text = "5月,共接收工单350件。办结工单共300件(另有50件下月办结),已解决240件,未解决60件,解决率80%,环比上升2%。"
    rows = _vocab_drafts(text, indicators, {"test_closed": "resolution_status"})
    got = {v: (r["indicator"], r["breakdown_dimension"], r["breakdown_value"]) for v, r in rows.items()}
    assert got["240"] == ("test_closed", "resolution_status", "已解决")  # 解决 kept: the total does not print it
    assert got["60"] == ("test_closed", "resolution_status", "未解决")
    assert got["80"] == ("test_resolution_rate", "", "")
    assert got["2"] == ("test_resolution_rate_change", "", "")  # the rate's change, without 未解决's term


def test_heading_that_is_a_name_with_a_prefix_is_a_part():
    # TEST table (made up): 城市低保人数 is the indicator's name 低保人数 after 城市: the part 城市
    indicators = {"test_recipients": ("低保人数", "stock", "persons")}
    text = "指标名称 | 单位 | 数量 |\nA 城市低保人数 | 人 | 30 |\nB 农村低保人数 | 人 | 70 |\n"
    rows = _vocab_drafts(text, indicators, {"test_recipients": "area"})
    assert (rows["30"]["indicator"], rows["30"]["breakdown_dimension"], rows["30"]["breakdown_value"]) == (
        "test_recipients",
        "area",
        "城市",
    )
    assert rows["70"]["breakdown_value"] == "农村"


def test_part_row_whose_heading_is_closer_to_another_name_takes_that_name():
    # TEST table (made up): 低保支出 is a part row of 社会救助 by its outline number, but its own heading is an
    # indicator's whole name (score 1), closer than 社会救助 is to 社会救助支出 (4 of its 6 characters, 3 of the
    # 5 pairs: 0.5 * 4/6 + 0.5 * 6/8 = 0.71): that indicator, and no breakdown term (the heading names the indicator itself);
    # its rows 城市低保支出 and 农村低保支出 are that name after 城市 and 农村: the parts 城市 and 农村
    indicators = {
        "test_aid_spending": ("社会救助支出", "amount", "yuan"),
        "test_dibao_spending": ("低保支出", "amount", "yuan"),
    }
    text = (
        "| 指标名称 | 单位 | 数量 |\n| (一)社会救助 | 万元 | 100 |\n| 1.低保支出 | 万元 | 60 |\n"
        "| (1)城市低保支出 | 万元 | 20 |\n| (2)农村低保支出 | 万元 | 40 |\n"
    )
    # (the outline numbers 1 and (1) are drafted too, as on any table: the values differ from them)
    rows = _vocab_drafts(text, indicators, {"test_aid_spending": "item", "test_dibao_spending": "area"})
    got = {v: (r["indicator"], r["breakdown_dimension"], r["breakdown_value"]) for v, r in rows.items()}
    assert got["100"] == ("test_aid_spending", "", "")
    assert got["60"] == ("test_dibao_spending", "", "")
    assert got["20"] == ("test_dibao_spending", "area", "城市")
    assert got["40"] == ("test_dibao_spending", "area", "农村")


def test_table_printed_one_cell_per_line_with_measure_columns():
    # TEST table (made up), one cell per line as stored pages print it: the rows are parts (甲区, 乙区) and a
    # total, the columns measures. The text cells before the first number are the header and 甲区: four
    # columns is the reading whose first two rows print numbers in the same columns.
    text = "各单位转派情况:\n责任方 |\n转派工单 |\n占比 |\n同比 |\n甲区 |\n70 |\n58% |\n-5% |\n乙区 |\n50 |\n42% |\n10% |\n总计 |\n120 |\n100% |\n2% |\n"
    indicators = {
        "test_referred": ("转派工单数", "flow", "cases"),
        "test_referred_share": ("转派工单占比", "rate", "cases"),
        "test_referred_change": ("转派工单同比变化率", "change", "cases"),
    }
    dims = dict.fromkeys(indicators, "unit")
    rows = _vocab_drafts(text, indicators, dims)
    got = {v: (r["indicator"], r["breakdown_dimension"], r["breakdown_value"]) for v, r in rows.items()}
    # the first measure names the counts; 占比 and 同比 after it name the share and the change
    assert got["70"] == ("test_referred", "unit", "甲区")
    assert got["58"] == ("test_referred_share", "unit", "甲区")
    assert got["-5"] == ("test_referred_change", "unit", "甲区")  # signed as printed
    assert got["10"] == ("test_referred_change", "unit", "乙区")
    assert got["120"] == ("test_referred", "", "")  # 总计: the total, no part
    assert got["2"] == ("test_referred_change", "", "")


def test_parts_that_add_up_take_the_exhaustive_dimension():
    # TEST page (made up): 60 + 40 = 100, all of the first total: the dimension breakdowns.csv calls exhaustive;
    # 50 of 90 is not all of the second: the partial one (both declared for the one indicator)
    table = pd.DataFrame(
        [("test_contacts", "TEST contacts", "接收件数", "flow", "cases")],
        columns=["indicator", "name_en", "name_zh", "kind", "counts"],
    )
    parts = pd.DataFrame(
        [("test_contacts", "channel", "partial"), ("test_contacts", "contact_type", "exhaustive")],
        columns=["indicator", "breakdown_dimension", "parts"],
    )
    vocab = drafting.Vocabulary(table, pd.DataFrame(), raw.load_units(), parts)
    text = "一季度共接收100件,其中投诉60件,咨询40件。二季度共接收90件,其中电话50件。"
    page = drafting.draft_all(text, drafting.Source("t", "2024-07-10", "TEST:Region"), vocab)
    rows = {d.row["value"]: d.row for d in page.drafts}
    assert rows["60"]["indicator"] == rows["50"]["indicator"] == "test_contacts"
    assert (rows["60"]["breakdown_dimension"], rows["60"]["breakdown_value"]) == ("contact_type", "投诉")
    assert (rows["40"]["breakdown_dimension"], rows["40"]["breakdown_value"]) == ("contact_type", "咨询")
    assert (rows["50"]["breakdown_dimension"], rows["50"]["breakdown_value"]) == ("channel", "电话")
    assert "add up to their total" in rows["60"]["note"]


def test_part_terms_keep_their_brackets_and_lose_the_totals_verb():
    # TEST page (made up): the 、 inside 甲(东、西)区 does not end its words; 转派, which both parts begin with,
    # is the total's verb (向各单位转派); 单位 stays in 乙单位: the total's words do not end with it
    indicators = {"test_answered": ("解答诉求件数", "flow", "cases"), "test_referred": ("转派工单数", "flow", "cases")}
    text = "5月,热线解答诉求50件,向各单位转派30件,其中转派甲(东、西)区20件、转派乙单位10件。"
    rows = _vocab_drafts(text, indicators, {"test_referred": "unit"})
    got = {v: (r["indicator"], r["breakdown_dimension"], r["breakdown_value"]) for v, r in rows.items()}
    assert got["30"] == ("test_referred", "", "")
    assert got["20"] == ("test_referred", "unit", "甲(东、西)区")
    assert got["10"] == ("test_referred", "unit", "乙单位")


# ---------------------------------------------------------------- printed structure that generalises (issue 28, tuning set 3)

EXTRA_UNITS = pd.DataFrame(
    {"unit": ["封", "通"], "multiplier": ["1", "1"], "kind": ["count", "count"], "unit_en": ["letters", "calls"]}
)


def _page_with(text: str, indicators: pd.DataFrame, published: str = "2024-04-10") -> drafting.PageDrafts:
    """A TEST page drafted against TEST indicators, with units.csv and the TEST units 封 and 通."""
    units = pd.concat([raw.load_units(), EXTRA_UNITS], ignore_index=True)
    vocab = drafting.vocabulary(
        indicators, pd.DataFrame(), pd.DataFrame(columns=["indicator", "breakdown_dimension"]), units
    )
    return drafting.draft_all(text, drafting.Source("t", published, "TEST:Region"), vocab)


def _relations_of(page: drafting.PageDrafts) -> set[tuple[str, str, str]]:
    """(kind, result value, operand values) of each drafted relation, by the printed values of its rows."""
    value = {d.row["figure_id"]: d.row["value"] for d in page.drafts}
    return {(r["kind"], value[r["result"]], " ".join(value[o] for o in r["operands"].split())) for r in page.relations}


def test_the_total_of_a_list_is_the_one_its_shares_are_shares_of():
    # TEST: 200 / 400 = 50.00% and 100 / 400 = 25.00%; 390 (the last total) and 500 reproduce neither
    page, _rows = _test_page(
        "TEST受理诉求500件,形成工单400件,办结390件。主要集中在咨询类200件,占50.00%;求助类100件,占25.00%。", "2024-05"
    )
    relations = _relations_of(page)
    assert ("part_of", "400", "200 100") in relations
    assert ("share", "50.00", "200 400") in relations
    assert not any(r[1] == "390" for r in relations)


def test_parts_are_never_given_a_total_smaller_than_their_sum():
    # TEST: 30 + 20 = 50 is more than the 8 printed before them: no total on the page is theirs
    page, _rows = _test_page("TEST共受理诉求8件。诉求集中在咨询类30件、求助类20件。", "2024-05")
    assert not any(r["kind"] in ("sum", "part_of") for r in page.relations)


def test_a_count_in_another_unit_continues_its_list_only_when_the_list_adds_up():
    # TEST: 5件 + 10封 + 15件 = 30件, one list across two count units; 150人 among 户 parts does not add up
    indicators = pd.DataFrame({"indicator": ["test_requests"], "name_en": ["TEST requests"], "name_zh": ["受理诉求量"]})
    page = _page_with("TEST共受理诉求30件,其中信箱转来5件,来信10封,网站转来15件。", indicators)
    assert ("sum", "30", "5 10 15") in _relations_of(page)
    page = _page_with("TEST建档100户,其中脱困60户,涉及人口150人;退出40户。", indicators)
    assert ("sum", "100", "60 40") in _relations_of(page)


def test_a_rate_that_is_its_count_over_an_earlier_total_is_a_share():
    # TEST: 190 / 200 = 95.00%: a share of the work orders, not a rate with its n
    page, _rows = _test_page("TEST形成工单200件,办结190件,办结率95.00%。", "2024-05")
    assert ("share", "95.00", "190 200") in _relations_of(page)
    assert not any(r["kind"] == "base" for r in page.relations)


def test_a_figure_printed_twice_is_one_figure():
    # TEST: a headline's 700件! names nothing; the text's 700件 is the requests, so the headline is too
    page, _rows = _test_page("700件!\nTEST2024年7月,热线共受理诉求700件。", "2024-08-01")
    first, second = [d.row for d in page.drafts if d.row["value"] == "700"]
    assert first["indicator"] == second["indicator"] == "test_requests"
    assert ("sum", "700", "700") in _relations_of(page)


def test_one_number_for_several_parts_drafts_a_row_for_each():
    # TEST: 各1件 is one each for 信箱 and 网站; with 电话8件 they add up to 10 (1 + 1 + 8)
    page, _rows = _test_page("TEST2024年5月,共受理诉求10件,其中信箱、网站各1件,电话8件。", "2024-06-01")
    ones = [d.row for d in page.drafts if d.row["value"] == "1"]
    assert [r["breakdown_value"] for r in ones] == ["信箱", "网站"]
    assert ("sum", "10", "1 1 8") in _relations_of(page)


def test_kinds_and_of_choose_the_indicator():
    # TEST: two per-day indicators; 热线日均来电量 prints more of the page's words, but 10通 is the average of the
    # calls printed before it, which indicators.csv says 日均来电量 is `of`; 3650通 is a count, never an average
    indicators = _indicator_table(
        "indicator name_en name_zh kind counts per of",
        ("test_a_calls", "TEST calls", "甲线来电量", "flow", "calls", "", ""),
        ("test_a_per_day", "TEST calls per day", "日均来电量", "average", "calls", "day", "test_a_calls"),
        ("test_a_line_per_day", "TEST other line per day", "热线日均来电量", "average", "calls", "day", ""),
        ("test_a_per_year", "TEST calls a year", "全年来电量", "average", "calls", "year", "test_a_calls"),
    )
    page = _page_with("TEST甲线热线全年来电3650通,日均10通。", indicators)
    rows = {d.row["value"]: d.row for d in page.drafts}
    assert rows["10"]["indicator"] == "test_a_per_day"
    assert rows["3650"]["indicator"] == "test_a_calls"


def test_a_verb_alone_takes_the_subject_before_it_when_the_verb_names_it():
    # TEST: 办结 names nothing alone; the count before it prints 非话务 (办结 is in its name); 退出 is no 新增
    indicators = _indicator_table(
        "indicator name_en name_zh",
        ("test_noncall", "TEST a", "非话务渠道诉求量"),
        ("test_noncall_done", "TEST b", "非话务渠道诉求办结量"),
        ("test_orders_done", "TEST c", "工单办结量"),
        ("test_added", "TEST d", "低保新增户数"),
        ("test_left", "TEST e", "低保退出户数"),
    )
    page = _page_with("TEST受理非话务渠道诉求20件,办结18件。城市低保新增10户,退出5户。", indicators)
    rows = {d.row["value"]: d.row for d in page.drafts}
    assert rows["18"]["indicator"] == "test_noncall_done"
    assert rows["5"]["indicator"] == "test_left"


def test_groups_of_counts_share_their_term():
    # TEST: 城市低保60户100人 and 农村低保40户80人 are the urban and rural parts of 100户 and 180人; 低保 is the
    # indicator's word, 城市/农村 the parts'
    rows = _vocab_drafts(
        "TEST全市低保100户180人,其中城市低保60户100人,农村低保40户80人。",
        {"test_hh": ("城乡低保户数", "stock", "households"), "test_p": ("城乡低保人数", "stock", "persons")},
        {"test_hh": "urban_rural", "test_p": "urban_rural"},
    )
    got = {v: (rows[v]["indicator"], rows[v]["breakdown_value"]) for v in ("60", "40", "80")}
    assert got == {"60": ("test_hh", "城市"), "40": ("test_hh", "农村"), "80": ("test_p", "农村")}
    (urban_persons,) = [r for r in rows.values() if r["value"] == "100" and r["breakdown_value"]]
    assert (urban_persons["indicator"], urban_persons["breakdown_value"]) == ("test_p", "城市")


def test_numbers_listed_with_a_pause_mark_share_one_indicator():
    # TEST: 3500元、2300元拨付生活费: both the allocation the last one's words name; their own words are the parts
    rows = _vocab_drafts(
        "TEST。集中供养每人3500元、分散供养每人2300元拨付生活费。",
        {"test_standard": ("供养标准", "rule", "yuan"), "test_alloc": ("拨付生活费标准", "rule", "yuan")},
        {"test_alloc": "support_mode"},
    )
    assert (rows["3500"]["indicator"], rows["2300"]["indicator"]) == ("test_alloc", "test_alloc")
    assert (rows["3500"]["breakdown_value"], rows["2300"]["breakdown_value"]) == ("集中供养", "分散供养")


def test_a_table_with_space_separated_thousands_reads_whole_numbers():
    # TEST: 12 345 and 1 234 567 are two cells, not four numbers
    _page, rows = _test_page("TEST单位：户\n项目 | 2021年 | 2022年 |\n保障户数 | 12 345 | 1 234 567 |\n", "2023-06-01")
    assert {"12345", "1234567"} <= set(rows)
    assert (rows["12345"]["period_end"], rows["1234567"]["period_end"]) == ("2021-12-31", "2022-12-31")


# TEST indicators for the comparison tables below: a stock with a declared change, an amount without one
COMPARED = {
    "test_cases": ("TEST保障人数", "stock", "persons", "", ""),
    "test_cases_change": ("TEST保障人数环比", "change", "persons", "period", "test_cases"),
    "test_spent": ("TEST保障支出", "amount", "yuan", "", ""),
    "test_homes": ("TEST保障户数", "stock", "households", "", ""),
}
TEST_COMPARED = _indicator_table(
    "indicator name_en name_zh kind counts per of", *((slug, f"TEST {slug}", *rest) for slug, rest in COMPARED.items())
)


def _compared(text: str) -> tuple[drafting.PageDrafts, dict[str, dict[str, str]]]:
    vocab = drafting.Vocabulary(TEST_COMPARED, pd.DataFrame(), raw.load_units())
    page = drafting.draft_all(text, drafting.Source("t", "2023-06-10", "TEST:Region"), vocab)
    return page, {d.row["value"]: d.row for d in page.drafts}


def _span(row: dict[str, str]) -> tuple[str, str]:
    return row["period_start"], row["period_end"]


def test_spaced_table_with_previous_and_change_columns():
    # TEST monthly report (made up), printed with spaces between its cells; the 户数 row prints no unit
    text = (
        "TEST统计月报 2023年5月\n指标名称 单位 数量 上期 环比\n1 2 3\n一、TEST保障\n"
        "TEST保障人数 人 1,200 1,000 20.00\nTEST保障支出 万元 50.5 40.0 26.25\nTEST保障户数 800 960 -16.67\n"
    )
    page, rows = _compared(text)
    # spaces between numbers keep them apart: 1,200 and 1,000, not 1,2001,000
    assert {"1200", "1000", "20.00", "50.5", "40.0", "26.25", "800", "960", "-16.67"} <= set(rows)
    # a stock on the month's last day; the 上期 column is the month before, on its last day
    assert (_span(rows["1200"]), _span(rows["1000"])) == (("2023-05-31", "2023-05-31"), ("2023-04-30", "2023-04-30"))
    # the 环比 column: a percentage, the change declared of the row's indicator, dated as the row's figure
    assert (rows["20.00"]["unit"], rows["20.00"]["indicator"]) == ("%", "test_cases_change")
    assert _span(rows["20.00"]) == ("2023-05-31", "2023-05-31")
    # money in a monthly report is the year to date, the previous column to the end of April
    assert (_span(rows["50.5"]), _span(rows["40.0"])) == (("2023-01-01", "2023-05-31"), ("2023-01-01", "2023-04-30"))
    # no change declared of the spending: a new indicator named after the row's, with 环比
    assert "TEST保障支出环比" in {r["name_zh"] for r in page.indicators}
    # the unit from the heading's ending (户数: 户), and a printed minus kept
    assert (rows["800"]["unit"], rows["-16.67"]["unit"]) == ("户", "%")
    relations = {(r["kind"], r["result"], r["operands"]) for r in page.relations}
    cur, prev, change = (rows[v]["figure_id"] for v in ("1200", "1000", "20.00"))
    assert ("change", change, f"{cur} {prev}") in relations


def test_table_one_cell_per_line_under_a_unit_header_reads_as_rows():
    # TEST (made up): the header and each row printed one cell per line; 上年同期 is a year before
    text = "TEST2023年5月\n指标名称 |\n单位 |\n数量 |\n上年同期 |\n同比 |\nTEST保障人数 |\n人 |\n1,200 |\n1,000 |\n20.00 |\n"
    _page, rows = _compared(text)
    assert rows["1200"]["unit"] == rows["1000"]["unit"] == "人"
    assert (_span(rows["1200"]), _span(rows["1000"])) == (("2023-05-31", "2023-05-31"), ("2022-05-31", "2022-05-31"))
    # a 同比 column is a change on the year: no change with `per` year is declared, so a new one is proposed
    assert rows["20.00"]["unit"] == "%" and rows["20.00"]["indicator"].startswith("new_indicator")


def test_roman_numbered_rows_are_parts_and_a_row_with_parts_is_no_part():
    # TEST table (made up): I and II are parts of A; A has parts of its own, so it is a total within 合计, not a
    # part; an unnumbered row under a numbered one is a sub-item, not a part
    text = (
        "TEST2023年5月\n| 指标名称 | 单位 | 数量 |\n| TEST合计 | 万元 | 90 |\n| A 城区TEST支出 | 万元 | 50 |\n"
        "| I 补助金TEST | 万元 | 30 |\n| II 临时救助TEST | 万元 | 20 |\n| B 郊区TEST支出 | 万元 | 40 |\n"
        "| 1.TEST专项 | 万元 | 15 |\n| TEST专项结余 | 万元 | 5 |\n"
    )
    page, rows = _compared(text)
    assert (rows["30"]["breakdown_value"], rows["20"]["breakdown_value"]) == (
        "补助金",
        "临时救助",
    )  # the ending both print (TEST) dropped
    assert rows["50"]["breakdown_value"] == "" and rows["5"]["breakdown_value"] == ""
    ids = {v: rows[v]["figure_id"] for v in ("50", "30", "20", "15", "5")}
    relations = {(r["kind"], r["result"], r["operands"]) for r in page.relations}
    assert ("sum", ids["50"], f"{ids['30']} {ids['20']}") in relations
    assert ("part_of", ids["15"], ids["5"]) in relations


def test_digits_a_line_break_runs_together_are_two_numbers_and_flagged():
    # TEST: a change at a line's end and an outline number at the next line's start; a page break inside 3 3.8万元
    first, second = finder.find_numbers("TEST甲 10 12.50\n1.TEST乙", UNITS)[-2:]
    assert (first.printed, second.printed, second.broken) == ("12.50", "1", "12.50")
    page = drafting.draft_all("TEST共计3\n3.8万元", drafting.Source("t", "2024-01-01"), drafting.vocabulary())
    (row,) = [d.row for d in page.drafts if d.row["value"] == "3.8"]
    assert "line break runs 3 into this number" in row["note"]


def test_long_form_of_an_abbreviated_term_matches_the_short_name():
    # TEST: 居民最低生活保障 is written 低保 in the indicator's name; a bracket that is no unit is no unit
    indicators = {
        "test_urban": ("城市低保人数", "stock", "persons"),
        "test_other": ("城市居民保障人数", "stock", "persons"),
    }
    text = "| 指标名称 | 单位 | 数量 |\n| 城市居民最低生活保障人数(TEST) | 人 | 450 |\n"
    rows = _vocab_drafts(text, indicators, {})
    assert (rows["450"]["indicator"], rows["450"]["unit"]) == ("test_urban", "人")


@pytest.mark.parametrize(
    "text, published, start, end",
    [
        ("TEST两年来,走访10万人次。", "2007-12-22", "2006-01-01", "2007-12-22"),  # this year and the one before
        ("TEST近5年来,走访10万人次。", "2021-06-01", "2017-01-01", "2021-06-01"),
        ("TEST截至目前,走访10万人次。", "2021-06-01", "2021-06-01", "2021-06-01"),
        # after a printed start (自…以来), 截至目前 runs from it
        ("TEST自2019年3月1日开通以来成效好。截至目前,走访10万人次。", "2021-06-01", "2019-03-01", "2021-06-01"),
    ],
)
def test_years_since_and_now(text, published, start, end):
    _page, rows = _test_page(text, published)
    assert _span(rows["10"]) == (start, end)


@pytest.mark.parametrize(
    "text, values",
    [
        ("TEST占比超22%", [("22", "at_least", "超")]),
        ("TEST耗时2天—4天", [("2", "at_least", "—"), ("4", "at_most", "—")]),
    ],
)
def test_more_qualifier_markers(text, values):
    found = finder.find_numbers(text, UNITS)
    assert [(n.printed, n.qualifier, n.marker) for n in found] == values


def test_a_rate_beside_an_approximate_count_is_part_of_it():
    # TEST: 近90万件 is no n for the rate, but the requests hold the completed ones
    page, rows = _test_page("TEST累计受理诉求近90万件,办结率达99.5%。", "2024-01-01")
    relation = ("part_of", rows["90"]["figure_id"], rows["99.5"]["figure_id"])
    assert relation in {(r["kind"], r["result"], r["operands"]) for r in page.relations}


@pytest.mark.parametrize(
    "text, unit, qualifier",
    [
        ("TEST救助1,200人(次)以上", "人次", "at_least"),  # the 次 in brackets: person-times, 以上 after it
        ("TEST救助12人（次）", "人次", "exact"),
        ("TEST救助12人", "人", "exact"),
    ],
)
def test_bracketed_times_is_person_times(text, unit, qualifier):
    assert (one(text).unit, one(text).qualifier) == (unit, qualifier)


def test_rows_that_add_up_in_one_column_are_a_sum_in_every_column():
    # TEST table (made up): 60 + 40 = 100 this period; the previous column's parts (70 + 40) miss its total (100),
    # but they are the same rows: a sum there too, for the audit to find failing
    text = "TEST月报 2023年5月\n| 指标名称 | 单位 | 数量 | 上期 |\n| TEST合计 | 个 | 100 | 101 |\n| 1.TEST甲 | 个 | 60 | 70 |\n| 2.TEST乙 | 个 | 40 | 41 |\n"
    page, rows = _compared(text)
    relations = {(r["kind"], r["result"], r["operands"]) for r in page.relations}
    assert ("sum", rows["101"]["figure_id"], f"{rows['70']['figure_id']} {rows['41']['figure_id']}") in relations
    assert ("sum", rows["100"]["figure_id"], f"{rows['60']['figure_id']} {rows['40']['figure_id']}") in relations


@pytest.mark.parametrize(
    "text, printed, value, unit, qualifier, marker",
    [
        # TEST: 萬 between Arabic digits with a thousands comma or a short remainder is one number
        ("TEST共3萬2,501人次", "3萬2,501", 32501, "人次", "exact", ""),
        ("TEST派工4萬690件", "4萬690", 40690, "件", "exact", ""),
        # a Chinese numeral with 點 (traditional) or 点: a decimal
        ("TEST每次二點五元", "二點五", 2.5, "元", "exact", ""),
        ("TEST每次三点七五元", "三点七五", 3.75, "元", "exact", ""),
        ("TEST已逾1,280件", "1,280", 1280, "件", "at_least", "逾"),
        # clause markers a few characters before the numeral
        ("TEST每年大概會收到8件", "8", 8, "件", "approximately", "大概"),
        ("TEST最高每次4元", "4", 4, "元", "at_most", "最高"),
        ("TEST保守統計其中有5%", "5", 5, "%", "at_least", "保守統計"),
        # the highest of several items, printed exactly: no ceiling
        ("TEST滿意度最高达53.7%", "53.7", 53.7, "%", "exact", ""),
        # too far before the numeral to qualify it
        ("TEST大概在这个甲乙丙地方有8件", "8", 8, "件", "exact", ""),
    ],
)
def test_mixed_wan_chinese_decimals_and_clause_markers(text, printed, value, unit, qualifier, marker):
    number = one(text)
    assert (number.printed, number.value, number.unit, number.qualifier, number.marker) == (
        printed,
        value,
        unit,
        qualifier,
        marker,
    )


@pytest.mark.parametrize(
    "text, indicator",
    [
        # TEST: 满意 printed without 不 is no dissatisfaction rate, however many characters the names share
        ("TEST调查:民众满意度78%。", "test_satisfied"),
        ("TEST调查:民众不满意度22%。", "test_dissatisfied"),
    ],
)
def test_a_negated_name_is_not_the_unnegated_label(text, indicator):
    indicators = _indicator_table(
        "indicator name_en name_zh",
        ("test_satisfied", "TEST satisfaction rate", "服务满意率"),
        ("test_dissatisfied", "TEST dissatisfaction rate", "民众不满意度"),
    )
    page = drafting.draft_all(text, drafting.Source("t", "2024-09"), drafting.vocabulary(indicators))
    assert page.drafts[-1].row["indicator"] == indicator


def test_wan_ending_a_line_does_not_join_the_digits_after_the_break():
    # TEST: a title ending 13万, then a dateline: 13 (万) and the date's digits, not 132011
    found = finder.find_numbers("TEST来电13万\n2011-01-31 TEST", UNITS)
    assert [(n.printed, n.value, n.unit) for n in found][:2] == [("13", 13, "万"), ("2011", 2011, "")]


def test_cells_closed_by_a_lone_bar_and_a_list_that_qi_zhong_opens():
    # TEST monthly report (made up), each cell on its own line closed by a `|` on the next line, an empty cell
    # by a `|` alone; the 其中 row and the unnumbered rows after it in its unit are parts of the row above
    # rows separated by ';', cells by '/'
    table = "指标/单位/数量;一、TEST保障//;TEST保障人数/人/1200;累计安置人次/人次/300;TEST支出合计/万元/90;"
    table += "其中:TEST甲支出/万元/50;TEST乙支出/万元/30;二、TEST当月//;当月TEST支出/万元/10"
    cells = [row.split("/") for row in table.split(";")]
    lines = ["TEST统计月报 2023年5月"] + [x for row in cells for c in row for x in ([c, "|"] if c else ["|"])]
    page, rows = _compared("\n".join(lines) + "\n")
    assert {v: rows[v]["unit"] for v in ("1200", "300", "90", "50", "10")} == {
        "1200": "人",
        "300": "人次",
        "90": "万元",
        "50": "万元",
        "10": "万元",
    }
    assert _span(rows["1200"]) == ("2023-05-31", "2023-05-31")  # a stock: the month's last day
    assert _span(rows["300"]) == ("2023-01-01", "2023-05-31")  # 累计, not a stock: the year to date
    assert _span(rows["90"]) == ("2023-01-01", "2023-05-31")  # money in a monthly report: to date
    assert _span(rows["10"]) == ("2023-05-01", "2023-05-31")  # 当月: the month alone
    ids = {v: rows[v]["figure_id"] for v in ("90", "50", "30")}
    relations = {(r["kind"], r["result"], r["operands"]) for r in page.relations}
    assert ("part_of", ids["90"], f"{ids['50']} {ids['30']}") in relations  # 50 + 30 < 90: some of its parts
    # the outline numbers 一、 and 二、 are no figures
    assert not {"1", "2"} & set(rows)


def test_outline_numbers_are_excluded_and_a_first_span_of_time_is_a_figure():
    # TEST (made up): 1. and 2、 open lines of an outline; 前5分钟 is five minutes, 前三位 an ordinal
    text = "TEST方案\n1. 试行TEST前5分钟免费,来电增长约40%。\n2、排名TEST前三位的街道共120件。\n"
    page, rows = _test_page(text, "2024-09-01")
    assert {"5", "40", "120"} <= set(rows)
    assert not {"1", "2", "3"} & set(rows)
    reasons = sorted(e["reason"] for e in page.exclusions)
    assert reasons == ["outline number", "outline number", "part of a name, not a figure"]


def test_a_count_printed_per_month_is_an_average():
    # TEST (made up): 每月 before a count names an average a month; 每人每月 what each one gets is no average
    indicators = _indicator_table(
        "indicator name_en name_zh kind per",
        ("test_calls", "TEST calls", "TEST来电量", "flow", ""),
        ("test_calls_per_month", "TEST calls a month", "TEST每月来电量", "average", "month"),
        ("test_topics", "TEST topics a month", "每月一题问题数", "period_count", ""),
    )
    text = "TEST热线今年每月多达20万通来电。TEST每人每月补助300元。"
    page = drafting.draft_all(text, drafting.Source("t", "2024-09-01"), drafting.vocabulary(indicators))
    rows = {d.row["value"]: d.row for d in page.drafts}
    assert rows["20"]["indicator"] == "test_calls_per_month"
    assert rows["300"]["indicator"] != "test_calls_per_month"


def _kind_rows(text: str, published: str, *indicators: tuple[str, str, str, str]):
    """A TEST page drafted against TEST indicators given as (indicator, name_en, name_zh, kind): its rows by value."""
    vocab = drafting.vocabulary(_indicator_table("indicator name_en name_zh kind", *indicators))
    page = drafting.draft_all(text, drafting.Source("t", published), vocab)
    return page, {d.row["value"]: d.row for d in page.drafts}


def test_a_flow_told_as_of_a_date_is_counted_up_to_it():
    # TEST (made up): 截至 dates a stock on its day; an amount or flow then runs from the start printed before
    # it (…起开通), else from the year's first day; 截止发稿日 is the publication date
    indicators = (
        ("test_on_file", "TEST recipients", "TEST低保对象人数", "stock"),
        ("test_spent", "TEST spending", "TEST低保资金支出", "amount"),
        ("test_calls", "TEST calls", "TEST热线受理量", "flow"),
    )
    _page, rows = _kind_rows("截至2019年5月底,TEST低保对象100人,支出TEST低保资金50万元。", "2019-08-01", *indicators)
    assert _span(rows["100"]) == ("2019-05-31", "2019-05-31")
    assert _span(rows["50"]) == ("2019-01-01", "2019-05-31")
    text = "TEST热线于2020年7月20日零时起开通。截止发稿日,TEST热线受理量共300件。"
    _page, rows = _kind_rows(text, "2020-08-07", *indicators)
    assert _span(rows["300"]) == ("2020-07-20", "2020-08-07")
    # 截至到 is 截至; 到 ending a change between two dates (从…减少到…) counts nothing to date
    text = "截至到2019年5月底,支出TEST低保资金50万元。TEST热线受理量从2018年的90件减少到2019年11月21日的60件。"
    _page, rows = _kind_rows(text, "2019-12-01", *indicators)
    assert (_span(rows["50"]), _span(rows["60"])) == (("2019-01-01", "2019-05-31"), ("2019-11-21", "2019-11-21"))


def test_what_each_one_gets_is_per_unit_and_a_mean_time_is_a_duration():
    # TEST (made up): 每人获得…元 is what each gets (not a part of the total paid, not that total's indicator);
    # 平均…天 a measured duration; 一名 the word 'a', not a figure
    text = "TEST工会发放救助金共10万元,其中困难职工每人获得救助金500元。一名职工说,TEST救助平均办理3天。"
    page, rows = _kind_rows(
        text,
        "2024-09-01",
        ("test_paid", "TEST aid paid", "TEST救助金发放额", "amount"),
        ("test_each", "TEST aid each", "每人救助金", "per_unit"),
        ("test_days", "TEST days to pay", "TEST救助平均办理天数", "duration"),
    )
    assert (rows["10"]["indicator"], rows["500"]["indicator"]) == ("test_paid", "test_each")
    assert not any(r["kind"] in ("sum", "part_of") for r in page.relations)
    assert rows["3"]["indicator"] == "test_days"
    assert "1" not in rows
    assert "the word one or two in a phrase, not a figure" in {e["reason"] for e in page.exclusions}


def test_terms_lose_the_words_around_them_and_an_average_has_parts():
    # TEST (made up): an average a month with 当中 has the parts after it (one printed 每月 too); a term loses
    # 以 and 另有 before it, an adverb (仅) and the noun after 类 (诉求) after it
    text = "TEST热线每月20万件当中,以公交查询的16万件占多数,设施报修类诉求每月仅占3000件;另有关怀类诉求4000件。"
    page, rows = _test_page(text, "2024-09-01")
    assert [rows[v]["breakdown_value"] for v in ("16", "3000", "4000")] == ["公交查询", "设施报修类", "关怀类"]
    ids = [rows[v]["figure_id"] for v in ("20", "16", "3000", "4000")]
    assert ("part_of", ids[0], " ".join(ids[1:])) in {(r["kind"], r["result"], r["operands"]) for r in page.relations}


@pytest.mark.parametrize(
    "text, published, value, start, end",
    [
        # 近3个月 with no 截至 before it: the three months up to the publication
        ("TEST近3个月每月受理10件", "2012-12-31", "10", "2012-10-01", "2012-12-31"),
        # a ROC year after the publication's (a plan) dates its own sentence only
        ("TEST專線102年將增至109人。目前受理10件", "2012-12-31", "109", "2013-01-01", "2013-12-31"),
        ("TEST專線102年將增至109人。目前受理10件", "2012-12-31", "10", "2012-12-31", "2012-12-31"),
    ],
)
def test_recent_months_and_a_plan_year(text, published, value, start, end):
    _page, rows = _test_page(text, published)
    assert (rows[value]["period_start"], rows[value]["period_end"]) == (start, end)


def test_times_files_quoted_names_and_slashed_days_are_no_figures():
    # TEST (made up): a dateline with a clock time, a picture's file name, 12345 before a quoted name, a day
    # printed with slashes, an ordinal year (第二年); the count after them is the one figure
    text = "发布日期:2020/08/07 11:43:58\nTEST全市12345“一号通”开通。\n图片1.png\n第二年起TEST受理10件。"
    page, rows = _test_page(text, "2020-08-07")
    assert set(rows) == {"10"}
    assert {"time of day", "file name", "part of a name, not a figure", "date"} <= {
        e["reason"] for e in page.exclusions
    }


def test_when_events_fall_is_no_period_and_growth_is_a_change():
    # TEST (made up): 集中于上半年 says when complaints fall, not the period of the figures after it; 成长约40%
    # is a change (成长, growth)
    text = "2024年,TEST投诉集中于上半年时段,占比27%。TEST受理量成长约40%。"
    indicators = _indicator_table(
        "indicator name_en name_zh kind",
        ("test_share", "TEST share", "TEST投诉占比", "rate"),
        ("test_growth", "TEST growth", "TEST受理量成长率", "change"),
    )
    page = drafting.draft_all(text, drafting.Source("t", "2025-03-01"), drafting.vocabulary(indicators))
    rows = {d.row["value"]: d.row for d in page.drafts}
    assert _span(rows["27"]) == ("2024-01-01", "2024-12-31")
    assert rows["40"]["indicator"] == "test_growth"


def test_wan_ending_a_line_before_digits_is_flagged_as_perhaps_one_number():
    # TEST: 28万 at a line's end, 4641 at the next line's start: two numbers, the second flagged
    _page, rows = _test_page("TEST共计28万\n4641人", "2021-01-01")
    assert "a line break runs 28万 into this number" in rows["4641"]["note"]


def test_a_count_of_lines_is_not_a_count_of_calls():
    # TEST (made up): 33条服务热线 counts hotlines (the noun after 条), never the calls they take
    indicators = _indicator_table(
        "indicator name_en name_zh kind counts", ("test_calls", "TEST", "TEST热线来电量", "flow", "calls")
    )
    text = "TEST全市33条服务热线整合为一条。TEST热线今年受理来电5000个。"
    page = drafting.draft_all(text, drafting.Source("t", "2021-01-01"), drafting.vocabulary(indicators))
    rows = {d.row["value"]: d.row for d in page.drafts}
    assert rows["33"]["indicator"] != "test_calls" and rows["5000"]["indicator"] == "test_calls"


def test_a_page_printed_in_narrow_columns_reads_across_its_wrapped_lines():
    # TEST page (made up), printed in a newspaper's narrow column: most lines end inside a sentence, so a line
    # break there is the column's wrap, not the end of the words naming a number or of its sentence
    filler = "TEST工会帮扶工作按照部署紧紧围绕解困目标开展各项工作取得明显成效" * 20
    lines = [filler[k : k + 12] for k in range(0, len(filler), 12)]
    body = "TEST工会系统在档困难职工家庭\n从2016年10月底的600户减少到\n2019年11月21日的50户，其中\n低保户30户，低收入户15户，\n意外致困户5户。"
    text = "\n".join(lines) + "。\n" + body + "\n"
    page, rows = _kind_rows(text, "2020-01-01", ("test_on_file", "TEST", "TEST在档困难职工家庭户数", "stock"))
    assert rows["600"]["indicator"] == "test_on_file"  # its name is on the line before
    assert [rows[v]["breakdown_value"] for v in ("30", "15", "5")] == ["低保户", "低收入户", "意外致困户"]
    ids = [rows[v]["figure_id"] for v in ("50", "30", "15", "5")]
    assert ("sum", ids[0], " ".join(ids[1:])) in {(r["kind"], r["result"], r["operands"]) for r in page.relations}


@pytest.mark.parametrize(
    "term, tidy",
    [
        ("因子女上学", "子女上学"),
        ("另有关怀类", "关怀类"),
        ("设施报修类诉求", "设施报修类"),
        ("多部门协同事项虽仅", "多部门协同事项"),
        ("交通类相关诉求", "交通类"),
        ("噪音扰民等环境保护类", "环境保护类"),  # examples, then 等 and the category
        ("各类补贴(农机、种粮)农业农村类", "农业农村类"),
    ],
)
def test_tidy_terms(term, tidy):
    # TEST terms (made up): 因 (because) before a cause, 另有 before a part, the noun after 类, an adverb after
    assert drafting._tidy_term(term) == tidy


def test_new_indicator_names_drop_dates_and_a_share_is_named_by_its_own_words():
    # TEST (made up), no indicator close enough: a change named without its years, a share by its own words
    # (not by the duration printed before it)
    indicators = _indicator_table(
        "indicator name_en name_zh kind counts", ("test_days", "TEST", "理赔办理天数", "duration", "days")
    )
    text = "2024年,TEST县消防工单较2023年增长12%,平均办结3天。TEST通道堵塞问题占19%。"
    page = drafting.draft_all(text, drafting.Source("t", "2025-01-01"), drafting.vocabulary(indicators))
    names = {r["name_zh"] for r in page.indicators}
    assert "TEST县消防工单增长" in names
    assert "TEST通道堵塞问题占比" in names and not any("天数占比" in n for n in names)


def test_a_figure_printed_again_under_a_narrower_date_is_one_figure():
    # TEST (made up): 每月20万件 dated by 近3个月, printed again in the next sentence dated only by 目前
    indicators = _indicator_table(
        "indicator name_en name_zh kind per", ("test_per_month", "TEST", "TEST热线每月受理量", "average", "month")
    )
    text = "TEST热线近3个月每月多达20万件。TEST目前有10人。TEST热线每月20万件当中,TEST查询16万件。"
    page = drafting.draft_all(text, drafting.Source("t", "2012-12-31"), drafting.vocabulary(indicators))
    first, again = (d.row["figure_id"] for d in page.drafts if d.row["value"] == "20")
    assert ("sum", again, first) in {(r["kind"], r["result"], r["operands"]) for r in page.relations}


def test_a_bare_share_takes_the_subject_of_the_clause_before():
    # TEST (made up): 占比27% alone after a clause without a number shares that clause's subject (before 集中于);
    # after a count (咨询类400件,占57.1%) the count's term stays the share's
    _page, rows = _test_page("TEST充电投诉集中于上半年时段,占比27%。TEST咨询类400件,占57.1%。", "2025-01-01")
    assert rows["27"]["breakdown_value"] == "TEST充电投诉"
    assert rows["57.1"]["breakdown_value"] == rows["400"]["breakdown_value"]


def test_a_table_of_places_gives_each_row_its_region():
    # TEST table (made up), one cell per line: a row per place. Each place's cells are that place's own figures
    # (its region), not parts of a breakdown; a place regions.csv names takes its region, another is proposed
    # inside the source's region under its printed name
    table = (
        "序号 |\n受理单位 |\n交办总量 |\n办结率 |\n1 |\n样本甲区 |\n100 |\n98.00% |\n2 |\n样本乙县 |\n50 |\n96.00% |\n"
    )
    regions = pd.DataFrame(
        {"region": ["TEST:Region:A"], "name_en": ["TEST A"], "name_zh": ["样本甲区"], "within": [""]}
    )
    vocab = drafting.vocabulary(TEST_INDICATORS, regions=regions)
    page = drafting.draft_all(table, drafting.Source("t", "2024-05-01", "TEST:Region"), vocab)
    got = {
        d.row["value"]: (d.row["region"], d.row["breakdown_dimension"], d.row["breakdown_value"]) for d in page.drafts
    }
    assert got["100"] == got["98.00"] == ("TEST:Region:A", "", "")
    assert got["50"] == got["96.00"] == ("TEST:Region:样本乙县", "", "")
    assert all("regions.csv" in d.row["note"] for d in page.drafts if d.row["value"] in ("50", "96.00"))


def test_a_printed_last_day_after_the_publication_date_is_kept():
    # TEST (made up): the page prints its period's last day (8月31日) though it is dated 11 August: the printed
    # period stands (noted); a period whose end is not printed (上半年) still ends on the publication date
    _page, rows = _test_page("2021年暑假期间(7月1日-8月31日),热线受理诉求300件。", "2021-08-11")
    assert (rows["300"]["period_start"], rows["300"]["period_end"]) == ("2021-07-01", "2021-08-31")
    assert "check" in rows["300"]["period_resolution"]
    _page, rows = _test_page("2021年上半年,热线受理诉求300件。", "2021-05-01")
    assert (rows["300"]["period_start"], rows["300"]["period_end"]) == ("2021-01-01", "2021-05-01")


def test_a_breadcrumb_is_no_date():
    # TEST (made up): 当前位置 (a web page's "you are here") is not 当前 (now)
    _page, rows = _test_page("当前位置: 首页 > 详情\nTEST热线受理诉求300件。", "2021-08-11")
    assert rows["300"]["period_as_printed"] == ""
    _page, rows = _test_page("当前TEST热线受理诉求300件。", "2021-08-11")
    assert rows["300"]["period_as_printed"] == "当前"


def test_an_area_word_before_the_indicators_name_is_the_term():
    # TEST page (made up): 农村 before 低保 (the first words of 低保户数) is the part's term; 900人 right after
    # 500户 (only 、 between) is the same part's other count; 700元 printed after the 城市 part in its clause chain
    # is that part's standard. Every indicator declares an area breakdown
    names = {
        "test_households": ("低保户数", "stock"),
        "test_persons": ("低保对象人数", "stock"),
        "test_standard": ("低保保障标准", "rule"),
    }
    indicators = _indicator_table(
        "indicator name_en name_zh kind", *((k, "TEST", zh, kind) for k, (zh, kind) in names.items())
    )
    parts = pd.DataFrame({"indicator": indicators["indicator"], "breakdown_dimension": "area"})
    vocab = drafting.vocabulary(indicators, breakdowns=parts)
    text = "TEST县共有农村低保500户、900人。城市低保对象300人,保障标准为700元。TEST热线受理诉求80件。"
    page = drafting.draft_all(text, drafting.Source("t", "2025-01-01"), vocab)
    rows = {d.row["value"]: d.row for d in page.drafts}
    got = {v: (rows[v]["breakdown_dimension"], rows[v]["breakdown_value"]) for v in ("500", "900", "300", "700", "80")}
    assert got == {
        "500": ("area", "农村"),
        "900": ("area", "农村"),
        "300": ("area", "城市"),
        "700": ("area", "城市"),
        "80": ("", ""),
    }


def test_a_surveys_percentages_have_its_count_of_answers_as_their_n():
    # TEST page (made up): a survey's count of answers, then percentages of them in later sentences: each has that
    # count as its n (base); on a page without a survey the same percentages have none
    text = "TEST调查共收到有效问卷200份。\n1、整体满意度达到90%;\n2、有30%的人员选择网上办理,70%的人员选择窗口办理。"
    page, rows = _test_page(text, "2024-05-01")
    survey = rows["200"]["figure_id"]
    based = {r["result"] for r in page.relations if r["kind"] == "base" and r["operands"] == survey}
    assert based == {rows[v]["figure_id"] for v in ("90", "30", "70")}
    page, rows = _test_page(text.replace("有效问卷", "诉求").replace("份", "件"), "2024-05-01")
    assert not [r for r in page.relations if r["kind"] == "base"]


def test_a_span_referred_back_to_and_a_change_after_its_baseline_take_the_span():
    # TEST page (made up): 这五天 refers back to the span of days printed first, not to the day printed since;
    # a rise printed after its baseline (比今年上半年…200件) is the span's; 当日 before a number names a same-day
    # rate, no date
    text = (
        "2021年7月12日至16日,TEST热线日均受理诉求300件,比今年上半年日均量200件增长了50%,"
        "其中7月14日单日达到400件;这五天的受理总量为1500件,当日100%转办。"
    )
    _page, rows = _test_page(text, "2021-07-21")
    got = {v: (rows[v]["period_start"], rows[v]["period_end"]) for v in ("300", "200", "50", "400", "1500", "100")}
    span = ("2021-07-12", "2021-07-16")
    assert got == {
        "300": span,
        "200": ("2021-01-01", "2021-06-30"),
        "50": span,
        "400": ("2021-07-14", "2021-07-14"),
        "1500": span,
        "100": span,
    }


def test_a_month_compared_with_is_a_baseline():
    # TEST (made up): 较8月份 names what the fall is measured against; the fall and the rate after it are September's
    _page, rows = _test_page("TEST热线9月份受理诉求500件,较8月份减少20件,环比下降3.8%。", "2024-10-10")
    september = ("2024-09-01", "2024-09-30")
    assert {v: (rows[v]["period_start"], rows[v]["period_end"]) for v in ("500", "20", "-3.8")} == dict.fromkeys(
        ("500", "20", "-3.8"), september
    )


def test_relations_the_printed_figures_give():
    # TEST page (made up): 5 days × 300 = 1500 (the per-day average's volume, printed after it); (300 − 240) / 240
    # = 25% and 98.50 − 98.00 = 0.5 points (each change between the figure before 比 and its baseline figure);
    # 100% printed twice in one sentence is two figures, not one printed again
    text = (
        "2024年3月4日至8日,TEST热线日均受理诉求300件,比上年同期日均量240件增长了25%;这五天的受理总量为1500件,"
        "接通率为98.50%,比上年同期接通率98.00%高出0.5个百分点。TEST工单当日100%转办、当日100%回访。"
    )
    page, rows = _test_page(text, "2024-03-10")
    ids = {v: r["figure_id"] for v, r in rows.items()}
    said = {(r["kind"], r["result"], r["operands"]) for r in page.relations}
    assert ("per_day", ids["300"], ids["1500"]) in said
    assert ("change", ids["25"], f"{ids['300']} {ids['240']}") in said
    assert ("change", ids["0.5"], f"{ids['98.50']} {ids['98.00']}") in said
    hundreds = [d.row["figure_id"] for d in page.drafts if d.row["value"] == "100"]
    assert len(hundreds) == 2 and not [r for r in page.relations if r["result"] in hundreds and r["kind"] == "sum"]


def test_a_part_that_names_another_indicator_is_that_indicators_figure():
    # TEST page (made up): 直接答复 and 转办 after a total name indicators of their own (not parts of 受理诉求);
    # the 类 parts of the 200 transferred take its indicator and, of its two type dimensions, the one of what it
    # counts (requests); the 城市 part of 低保对象 stays a part though an indicator is named after it
    names = {"received": "热线受理诉求件数", "answered": "热线直接答复件数", "transferred": "热线转办件数"}
    indicators = _indicator_table(
        "indicator name_en name_zh kind counts",
        *((f"test_requests_{k}", "TEST", zh, "flow", "requests") for k, zh in names.items()),
    )
    parts = pd.DataFrame(
        [
            ("test_requests_transferred", "handler_type", "exhaustive"),
            ("test_requests_transferred", "request_type", "exhaustive"),
        ],
        columns=["indicator", "breakdown_dimension", "parts"],
    )
    text = "TEST热线共受理诉求700件,直接答复诉求500件,转办诉求200件。其中转办诉求:咨询类120件、求助类80件。"
    page = drafting.draft_all(
        text, drafting.Source("t", "2024-05-01"), drafting.vocabulary(indicators, breakdowns=parts)
    )
    rows = {d.row["value"]: d.row for d in page.drafts}
    got = {v: (rows[v]["indicator"], rows[v]["breakdown_dimension"], rows[v]["breakdown_value"]) for v in rows}
    assert got["700"] == ("test_requests_received", "", "")
    assert got["500"] == ("test_requests_answered", "", "")
    assert got["200"] == ("test_requests_transferred", "", "")
    assert got["120"] == ("test_requests_transferred", "request_type", "咨询类")
    assert got["80"] == ("test_requests_transferred", "request_type", "求助类")
    dibao = _indicator_table(
        "indicator name_en name_zh kind counts",
        ("test_recipients", "TEST", "低保对象人数", "stock", "persons"),
        ("test_urban_recipients", "TEST", "城市低保人数", "stock", "persons"),
    )
    area = pd.DataFrame({"indicator": ["test_recipients"], "breakdown_dimension": ["area"]})
    text = "TEST县低保对象900人,其中城市低保对象300人、农村低保对象600人。"
    page = drafting.draft_all(text, drafting.Source("t", "2024-05-01"), drafting.vocabulary(dibao, breakdowns=area))
    rows = {d.row["value"]: d.row for d in page.drafts}
    assert (rows["300"]["indicator"], rows["300"]["breakdown_value"]) == ("test_recipients", "城市")


def test_parts_printed_with_shares_take_the_shares_dimension():
    # TEST page (made up): two runs of parts printed with shares whose indicator declares one dimension (topic)
    # both take it, though the first run took it already; the run without shares takes the type dimension
    indicators = _indicator_table(
        "indicator name_en name_zh kind counts per",
        ("test_orders", "TEST", "有效工单件数", "flow", "work_orders", ""),
        ("test_orders_share", "TEST", "占工单总量比例", "rate", "work_orders", ""),
    )
    parts = pd.DataFrame(
        [("test_orders", "request_type"), ("test_orders", "topic_category"), ("test_orders_share", "topic_category")],
        columns=["indicator", "breakdown_dimension"],
    )
    text = (
        "TEST热线有效工单1000件。其中,交通类相关诉求100件,占工单总量10.00%。在各类诉求中,求助类600件、咨询类400件。"
        "前两类事项分别是:环境保护类300件,占工单总量30.00%;农业农村类200件,占工单总量20.00%。"
    )
    page = drafting.draft_all(
        text, drafting.Source("t", "2024-05-01"), drafting.vocabulary(indicators, breakdowns=parts)
    )
    rows = {d.row["value"]: d.row for d in page.drafts}
    got = {v: (rows[v]["breakdown_dimension"], rows[v]["breakdown_value"]) for v in ("100", "600", "400", "300", "200")}
    assert got == {
        "100": ("topic_category", "交通类"),
        "600": ("request_type", "求助类"),
        "400": ("request_type", "咨询类"),
        "300": ("topic_category", "环境保护类"),
        "200": ("topic_category", "农业农村类"),
    }


def test_signs_of_changes_and_levels_reached():
    # TEST (made up): 按月跌幅 (a fall on the month) and 缩短 (shortened) are decreases, signed; 下降至 gives the
    # level reached, a rate, unsigned
    _page, rows = _test_page(
        "TEST个案的按月跌幅为1.7%。TEST重复派单率下降至0.7%。TEST响应时长同比缩短21%。", "2024-05-01"
    )
    assert {"-1.7", "0.7", "-21"} <= set(rows)


def test_a_headlines_round_number_is_the_exact_figure_printed_again():
    # TEST page (made up): 近4万件 in the headline, before any date, rounds the 39666件 of July printed later
    # (0.9 to 1.0 of 40000): the July figure printed again; 近6万件 would not round it
    text = "TEST热线受理诉求近4万件\n2021年7月,TEST热线共受理诉求39666件。"
    page, rows = _test_page(text, "2021-08-11")
    assert (rows["4"]["period_start"], rows["4"]["period_end"]) == ("2021-07-01", "2021-07-31")
    pair = {(r["kind"], r["result"], r["operands"]) for r in page.relations}
    assert ("sum", rows["4"]["figure_id"], rows["39666"]["figure_id"]) in pair
    page, rows = _test_page(text.replace("近4万", "近6万"), "2021-08-11")
    assert rows["6"]["period_start"] == rows["6"]["period_end"] == "2021-08-11"


def test_parts_printed_before_their_total_and_a_bracketed_year():
    # TEST page (made up): 今(2024)年 is this year, a date; 30人 and 20人, then 50人 in the same sentence: 30 + 20 = 50,
    # the parts printed before their total; 40人 after them is no sum of anything
    text = "TEST热线今(2024)年第1季,甲类来电者有30人、乙类来电者有20人,50人的通话共计100小时;另有40人。"
    page, rows = _test_page(text, "2024-04-10")
    assert "2024" not in rows and rows["50"]["period_start"] == "2024-01-01"
    sums = {(r["result"], r["operands"]) for r in page.relations if r["kind"] == "sum"}
    assert sums == {(rows["50"]["figure_id"], f"{rows['30']['figure_id']} {rows['20']['figure_id']}")}


def test_a_category_named_before_a_figure_is_its_term():
    # TEST page (made up): X類別個案 names the category each figure after it is of; two named together take the
    # figures after 分別 in turn, and the one figure before 分別 both
    indicators = _indicator_table(
        "indicator name_en name_zh kind counts",
        ("test_cases", "TEST", "类别个案数", "stock", "cases"),
        ("test_cases_change", "TEST", "个案按月跌幅", "change", "cases"),
    )
    parts = pd.DataFrame({"indicator": indicators["indicator"], "breakdown_dimension": "case_category"})
    text = (
        "TEST個案總數為1000宗。甲型類別個案的按月跌幅為1.5%,有300宗。而乙型類別個案下跌1.0%,有200宗。"
        "丙型類別個案及丁型類別個案均下跌0.5%分別至100宗及50宗。"
    )
    page = drafting.draft_all(
        text, drafting.Source("t", "2024-05-01"), drafting.vocabulary(indicators, breakdowns=parts)
    )
    terms = {d.row["value"]: d.row["breakdown_value"] for d in page.drafts}
    assert terms == {
        "1000": "",
        "-1.5": "甲型",
        "300": "甲型",
        "-1.0": "乙型",
        "200": "乙型",
        "-0.5": "丙型及丁型",
        "100": "丙型",
        "50": "丁型",
    }


# ---------------------------------------------------------------- choices that generalise (issue 28, third tuning set)


def _page_rows(text: str, published: str, indicators: list[tuple], parts: list[tuple] | None = None):
    """The drafts of a TEST page against TEST indicators (slug, name_zh, kind, counts) and declared breakdowns
    (slug, dimension, parts), by value."""
    table = pd.DataFrame(
        [(slug, f"TEST {slug}", zh, kind, counts) for slug, zh, kind, counts in indicators],
        columns=["indicator", "name_en", "name_zh", "kind", "counts"],
    )
    declared = pd.DataFrame(parts or [], columns=["indicator", "breakdown_dimension", "parts"])
    vocab = drafting.Vocabulary(table, pd.DataFrame(), raw.load_units(), declared)
    page = drafting.draft_all(text, drafting.Source("t", published, "TEST:Region"), vocab)
    return page, {d.row["value"]: d.row for d in page.drafts}


def test_yearbook_table_printed_with_spaces_under_year_columns():
    # TEST yearbook table (made up): year columns printed with spaces, an English name after each Chinese
    # heading, a heading whose numbers come on the line below, # parts, and a series that starts later
    indicators = {
        "test_recipients": ("TEST保障人数", "stock", "persons"),
        "test_spending": ("TEST保障支出", "amount", "yuan"),
        "test_newcomers": ("TEST新人员数", "stock", "persons"),
    }
    text = (
        "项目 Item 2018 2019 2020\n"
        "  TEST保障人数(人)  Persons Receiving\n  TEST Aid(person)\n500 400 300\n"
        "    #女性    Female 260 210 150\n"
        "  TEST保障支出(万元)  Spending on TEST Aid 70 80 90\n"
        "  TEST新人员数(人)  New Persons 41 42\n"
    )
    rows = _vocab_drafts(text, indicators, {"test_recipients": "group"})
    # a heading whose numbers are on the next line still heads them; the unit from its brackets
    assert (rows["500"]["indicator"], rows["500"]["unit"]) == ("test_recipients", "人")
    # each number takes its column's year: a stock on the year's last day, an amount the whole year
    assert _span(rows["500"]) == ("2018-12-31", "2018-12-31")
    assert _span(rows["300"]) == ("2020-12-31", "2020-12-31")
    assert _span(rows["80"]) == ("2019-01-01", "2019-12-31") and rows["80"]["unit"] == "万元"
    # a # row is a part of the row above: its indicator, its unit, its term as the breakdown value
    assert (rows["210"]["indicator"], rows["210"]["unit"]) == ("test_recipients", "人")
    assert (rows["210"]["breakdown_dimension"], rows["210"]["breakdown_value"]) == ("group", "女性")
    assert _span(rows["210"]) == ("2019-12-31", "2019-12-31")
    # two numbers under three year columns fill the last two years
    assert _span(rows["41"]) == ("2019-12-31", "2019-12-31")
    assert _span(rows["42"]) == ("2020-12-31", "2020-12-31")


def test_a_month_s_stock_on_a_page_of_its_middle_is_taken_on_the_publication_day():
    # TEST page (made up), published on 15 October: the October roster cannot be counted on 31 October
    indicators = [("test_recipients", "TEST保障人数", "stock", "persons"), ("test_paid", "TEST补贴", "amount", "yuan")]
    text = "2023年10月份全县共有TEST保障人数120人。2023年10月共发放TEST补贴5000元。"
    _page, rows = _page_rows(text, "2023-10-15", indicators)
    assert _span(rows["120"]) == ("2023-10-15", "2023-10-15")
    # an amount paid in the month runs from its first day up to the publication day, as before
    assert _span(rows["5000"]) == ("2023-10-01", "2023-10-15")


def test_this_year_on_a_january_page_about_the_year_just_ended_is_that_year():
    # TEST page (made up), published on 5 January 2024, titled with the year 2023's work
    indicators = [("test_recipients", "TEST救助人数", "period_count", "persons")]
    text = "TEST县召开2023年帮扶工作总结会\n\n本年度TEST救助人数88人。"
    _page, rows = _page_rows(text, "2024-01-05", indicators)
    assert _span(rows["88"]) == ("2023-01-01", "2023-12-31")
    # the same words on a page of March are that page's own year, up to its publication day
    _page, rows = _page_rows(text, "2024-03-05", indicators)
    assert _span(rows["88"]) == ("2024-01-01", "2024-03-05")


def test_a_survey_s_results_take_its_fieldwork_span():
    # TEST satisfaction report (made up), named after its year, on a page dated only to an interval: the
    # survey ran from 5 May to 20 May (自…起…至…); last year's count keeps its year
    indicators = [
        ("test_score", "TEST满意度得分", "rate", "points"),
        ("test_opinions", "TEST意见建议", "period_count", "items"),
    ]
    text = (
        "《TEST市满意度测评报告(2019年)》发布。TEST满意度得分为80.5分。"
        "调查自5月5日起持续至5月20日,覆盖TEST市9个区域。TEST意见建议从去年的120条减少到本年的60条。"
    )
    _page, rows = _page_rows(text, "2019-06-01/2029-12-31", indicators)
    # 自5月5日起…至5月20日 is one span, in the year printed before it (not the interval's last year)
    assert _span(rows["9"]) == ("2019-05-05", "2019-05-20")
    # the score dated only by the report's year takes the fieldwork span, and so does 本年's count
    assert _span(rows["80.5"]) == ("2019-05-05", "2019-05-20")
    assert _span(rows["60"]) == ("2019-05-05", "2019-05-20")
    assert _span(rows["120"]) == ("2018-01-01", "2018-12-31")


def test_what_there_is_now_is_counted_on_the_report_s_dateline():
    # TEST news report (made up), dated 3 May and published 4 May: 现有 is the dateline's day for its sentence
    # only; the month's spending after it keeps the month printed before
    indicators = [
        ("test_households", "TEST低保户数", "stock", "households"),
        ("test_paid", "TEST低保金发放额", "amount", "yuan"),
    ]
    text = "5月3日,记者获悉,2021年4月份全市发放TEST低保金300万元。全市现有TEST低保户数2000户。4月份又发放TEST低保金20万元。"
    _page, rows = _page_rows(text, "2021-05-04", indicators)
    assert _span(rows["2000"]) == ("2021-05-03", "2021-05-03")
    assert _span(rows["300"]) == _span(rows["20"]) == ("2021-04-01", "2021-04-30")


def test_a_ranking_in_brackets_names_each_figure_of_the_count_before_it():
    # TEST bulletin (made up): a total of work orders, then the units ranked by it, figures in brackets
    indicators = [
        ("test_orders", "TEST热线责任单位承办工单数", "flow", "work_orders"),
        ("test_places", "TEST区县数量", "stock", "places"),
    ]
    parts = [("test_orders", "urgency", "partial"), ("test_orders", "handling_unit", "top")]
    text = (
        "2022年3月份,TEST热线责任单位共承办工单5000件,其中急办工单300件。"
        "各区县工单办理数排在前三位的是:甲区(900件)、乙县(800件)和丙区(700件)。"
    )
    page, rows = _page_rows(text, "2022-04-10", indicators, parts)
    for value, name in (("900", "甲区"), ("800", "乙县"), ("700", "丙区")):
        row = rows[value]
        # the count before the ranking, its words sharing 工单: its indicator; the name before the bracket, the term
        assert (row["indicator"], row["breakdown_value"]) == ("test_orders", name)
        # a ranking is a top list: the dimension the indicator declares `top`, not the urgency the 其中 part took
        assert row["breakdown_dimension"] == "handling_unit"
        assert _span(row) == ("2022-03-01", "2022-03-31")
    assert rows["300"]["breakdown_dimension"] == "urgency"
    # a top list is no total's parts: no sum or part_of of them
    ranked = {rows[v]["figure_id"] for v in ("900", "800", "700")}
    assert not any(set(r["operands"].split()) & ranked for r in page.relations)


def test_type_terms_take_the_type_dimension_and_office_terms_the_unit_one():
    # TEST bulletin (made up): the types add up to the total, and so do the offices (an exhaustive
    # handling_unit); the 类 terms still name types, the towns and bureaus the units
    indicators = [("test_requests", "TEST热线受理诉求件数", "flow", "requests")]
    parts = [
        ("test_requests", "request_type", "partial"),
        ("test_requests", "handling_unit", "exhaustive"),
        ("test_requests", "requester", "partial"),
    ]
    text = (
        "2021年5月,TEST热线受理诉求件数100件。其中投诉类60件,咨询类30件,建议类10件。"
        "本月工单涉及4个单位,其中甲镇50件,乙镇20件,教育局21件,供电公司5件。"
    )
    _page, rows = _page_rows(text, "2021-06-03", indicators, parts)
    assert {rows[v]["breakdown_dimension"] for v in ("60", "30", "10")} == {"request_type"}
    # the offices print 96 of 100: they do not add up, yet they name the units, not the requesters
    assert {rows[v]["breakdown_dimension"] for v in ("50", "20", "21", "5")} == {"handling_unit"}


def test_points_are_a_known_unit_but_minutes_and_fractions_are_not_points():
    units = list(raw.load_units()["unit"])
    score, minutes = finder.find_numbers("满意度得分95.5分,平均通话时长3分钟。", units)
    assert (score.printed, score.unit, score.unit_known) == ("95.5", "分", True)
    # units.csv lists no minutes: 分钟 stays flagged, not read as points
    assert (minutes.printed, minutes.unit_known) == ("3", False)
    # the traditional 條 and 万次 are units.csv rows as 条 and 万条 are
    (items,) = finder.find_numbers("意見從去年削減到本年的74條。", units)
    (visits,) = finder.find_numbers("访问量达2687.3万次。", units)
    assert (items.unit, items.unit_known, visits.unit, visits.unit_known) == ("條", True, "万次", True)


REQUESTS = [("test_requests", "TEST热线受理诉求件数", "flow", "requests")]


@pytest.mark.parametrize(
    ("indicators", "parts", "text", "published", "column", "expected"),
    [
        # tiers explained in brackets, the first printed after the list's heading: the gloss and the heading
        # are no part of the terms
        (
            [("test_persons", "TEST供养人员人数", "stock", "persons")],
            [],
            "2022年6月底,全县共有TEST供养人员100人,其中TEST护理补贴一档(完全不能自理)人数20人;"
            "二档(部分不能自理)人数30人,三档(能够自理)人数50人。",
            "2022-07-05",
            "breakdown_value",
            {"20": "一档", "30": "二档", "50": "三档"},
        ),
        # a quarter's stock and its share of all households: the share on the stock's date
        (
            [
                ("test_households", "TEST低收入户数", "stock", "households"),
                ("test_households_share", "TEST低收入户数占比", "rate", "households"),
            ],
            [],
            "2019年第2季度TEST低收入户数有5000户,占总户数2.5%。",
            "2019-08-01",
            "period_start",
            {"5000": "2019-06-30", "2.5": "2019-06-30"},
        ),
        # the kinds of request printed without 类 are types: the type dimension, not the first declared
        (
            REQUESTS,
            [("test_requests", "requester", "partial"), ("test_requests", "request_type", "partial")],
            "2021年5月,TEST热线受理诉求件数100件,其中投诉50件,求助30件,咨询15件。",
            "2021-06-03",
            "breakdown_dimension",
            {"50": "request_type", "30": "request_type", "15": "request_type"},
        ),
        # a mean score over the cities monitored, in points: an average indicator's figure
        (
            [
                ("test_quality_score", "TEST热线运行质量得分", "average", "points"),
                ("test_calls", "TEST热线来电量", "flow", "calls"),
            ],
            [],
            "2023年TEST热线运行质量总体得分为85.5分。",
            "2023-08-01",
            "indicator",
            {"85.5": "test_quality_score"},
        ),
    ],
)
def test_one_rule_of_the_third_tuning_set(indicators, parts, text, published, column, expected):
    _page, rows = _page_rows(text, published, indicators, parts)
    assert {value: rows[value][column] for value in expected} == expected


def test_a_posting_stamp_dates_no_figure():
    # TEST (made up): a title's month, then the web page's posting stamp (a day and a time of day): the figures
    # after it are the title month's (1 to 31 March 2023), not the day the page went up
    _page, rows = _test_page(
        "2023年3月TEST热线受理诉求统计\n时间:2023-04-06 10:15\nTEST热线受理诉求300件。", "2023-04-06"
    )
    assert (rows["300"]["period_start"], rows["300"]["period_end"]) == ("2023-03-01", "2023-03-31")
    # a day printed in full with no time of day is a date in force as before
    _page, rows = _test_page("2023年3月TEST热线受理诉求统计\n2023-04-06,TEST热线受理诉求300件。", "2023-04-06")
    assert (rows["300"]["period_start"], rows["300"]["period_end"]) == ("2023-04-06", "2023-04-06")


def test_a_row_of_places_printed_with_spaces_takes_its_place():
    # TEST table (made up), cells printed with spaces under a header that names no 单位 column: a row that starts
    # with a place name and prints only numbers after it is that place's row (its region, no breakdown, and the
    # place does not name an indicator); a place regions.csv lacks is proposed inside the source's region
    table = "样本表\n地区 甲数 乙数 丙数\n样本甲镇 12  34  56\n样本乙乡 7  8  9\n"
    regions = pd.DataFrame(
        {"region": ["TEST:Region:A"], "name_en": ["A"], "name_zh": ["样本县样本甲镇"], "within": [""]}
    )
    vocab = drafting.vocabulary(TEST_INDICATORS, regions=regions)
    page = drafting.draft_all(table, drafting.Source("t", "2024-05-01", "TEST:Region"), vocab)
    rows = {d.row["value"]: d.row for d in page.drafts}
    assert [rows[v]["region"] for v in ("12", "34", "56")] == ["TEST:Region:A"] * 3
    assert [rows[v]["region"] for v in ("7", "8", "9")] == ["TEST:Region:样本乙乡"] * 3
    assert all(rows[v]["breakdown_value"] == "" and "样本" not in rows[v]["indicator"] for v in ("12", "7"))
    assert not any("样本甲镇" in r["name_zh"] for r in page.indicators)


def test_this_year_on_a_page_dated_across_years_is_its_datelines_year():
    # TEST (made up): a page known only to have been published between 2014-01-01 and 2015-08-13 opens with its
    # dateline 2014年1月; 今年 is the year it was written in, 2014 (not the last year the bounds allow, 2015)
    _page, rows = _test_page("TEST网讯 2014年1月,TEST开展活动。今年,TEST热线受理诉求300件。", "2014-01-01/2015-08-13")
    assert (rows["300"]["period_start"], rows["300"]["period_end"]) == ("2014-01-01", "2014-12-31")


def test_a_survey_told_as_recent_takes_the_publication_month():
    # TEST (made up): 近日 and a survey in its sentence, no fieldwork dates: the results after it, undated or
    # dated only by the publication's year, are the publication's month (May 2020), not its day or its year
    text = "TEST网讯 近日,TEST调查队开展了一次民意调查。2020年是关键一年,TEST满意率为90%。调查覆盖TEST村12个。"
    _page, rows = _test_page(text, "2020-05-08")
    for value in ("90", "12"):
        assert (rows[value]["period_start"], rows[value]["period_end"]) == ("2020-05-01", "2020-05-31")
    # no survey in 近日's sentence: nothing changes (the publication day, the printed year)
    _page, rows = _test_page("TEST网讯 近日,TEST召开会议。TEST热线受理诉求300件。", "2020-05-08")
    assert (rows["300"]["period_start"], rows["300"]["period_end"]) == ("2020-05-08", "2020-05-08")


def test_a_total_split_twice_in_the_next_sentence():
    # TEST page (made up): a total closes its sentence (500件); the next sentence splits it twice, 300 + 200 and
    # 450 + 50, each pair adding up to 500: both pairs are its parts, each pair one exhaustive dimension of its
    # own (the two the indicator declares, in turn), and each pair its own `sum`
    indicators = _indicator_table(
        "indicator name_en name_zh kind counts",
        ("test_orders", "TEST orders", "热线办理工单数", "flow", "tickets"),
        ("test_late_offices", "TEST offices late", "逾期回复单位数", "period_count", "units"),
    )
    parts = pd.DataFrame(
        {
            "indicator": ["test_orders", "test_orders"],
            "breakdown_dimension": ["route", "timeliness"],
            "parts": ["exhaustive", "exhaustive"],
        }
    )
    vocab = drafting.vocabulary(indicators, breakdowns=parts)
    text = "TEST热线共办理工单500件。交办责任单位300件,直接办理200件;按期回复450件、逾期回复50件。"
    page = drafting.draft_all(text, drafting.Source("t", "2024-05-01"), vocab)
    rows = {d.row["value"]: d.row for d in page.drafts}
    got = {v: (rows[v]["indicator"], rows[v]["breakdown_dimension"]) for v in ("300", "200", "450", "50")}
    # 件 counts tickets: 交办责任单位300件 is no count of offices, whatever the words 单位 and 逾期回复 say
    assert got == {
        "300": ("test_orders", "route"),
        "200": ("test_orders", "route"),
        "450": ("test_orders", "timeliness"),
        "50": ("test_orders", "timeliness"),
    }
    ids = {v: rows[v]["figure_id"] for v in rows}
    sums = {(r["result"], frozenset(r["operands"].split())) for r in page.relations if r["kind"] == "sum"}
    assert (ids["500"], frozenset([ids["300"], ids["200"]])) in sums
    assert (ids["500"], frozenset([ids["450"], ids["50"]])) in sums


def test_a_sentence_adding_up_to_an_earlier_total_splits_it():
    # TEST page (made up): the channels' sentence (400 + 100) adds up to the total printed two sentences before
    # (500), so they are its parts, named without the period printed before them (第二季度) and without 受理,
    # the ending they share that the total prints; the two counts after them add up to no earlier count and
    # stay figures of their own
    text = "TEST热线第二季度受理诉求500件。其中咨询类300件、求助类200件。第二季度电话受理400件,网络受理100件。TEST回访150件,抽查35件。"
    page, rows = _test_page(text, "2024-07-15")
    got = {v: (rows[v]["indicator"], rows[v]["breakdown_value"]) for v in ("400", "100", "150", "35")}
    assert got["400"] == ("test_requests", "电话") and got["100"] == ("test_requests", "网络")
    assert got["150"][1] == got["35"][1] == ""
    ids = {v: rows[v]["figure_id"] for v in rows}
    sums = {(r["result"], frozenset(r["operands"].split())) for r in page.relations if r["kind"] == "sum"}
    assert (ids["500"], frozenset([ids["400"], ids["100"]])) in sums
    assert not any(ids["150"] in r["operands"] or r["result"] == ids["150"] for r in page.relations)


def test_outlined_paragraphs_adding_up_are_parts_with_their_rates():
    # TEST page (made up): two paragraphs under (一), (二), each headed by a name (道路方面, 供水方面) and printing one
    # count and a satisfaction rate; 500 + 400 is the month's 900, so the counts are its parts named by their
    # headings and each rate takes its paragraph's heading; a satisfaction rate (read as an estimate, declared of
    # the tickets) beside its paragraph's tickets is within them (`part_of`), not a rate with its n
    indicators = _indicator_table(
        "indicator name_en name_zh kind counts of reading",
        ("test_orders", "TEST orders", "热线办理工单数", "flow", "tickets", "", ""),
        ("test_satisfaction", "TEST satisfaction", "热线满意率", "rate", "tickets", "test_orders", "estimate"),
    )
    vocab = drafting.vocabulary(indicators)
    text = (
        "TEST热线本月共办理工单900件。\n三、热点诉求\n(一)道路方面本月共办理工单500件、满意率90%。\n"
        "(二)供水方面本月共办理工单400件、满意率80%。\n"
    )
    page = drafting.draft_all(text, drafting.Source("t", "2024-05-01"), vocab)
    rows = {d.row["value"]: d.row for d in page.drafts}
    assert {v: rows[v]["breakdown_value"] for v in ("500", "90", "400", "80")} == {
        "500": "道路",
        "90": "道路",
        "400": "供水",
        "80": "供水",
    }
    ids = {v: rows[v]["figure_id"] for v in rows}
    said = {(r["kind"], r["result"], r["operands"]) for r in page.relations}
    assert ("part_of", ids["500"], ids["90"]) in said and ("part_of", ids["400"], ids["80"]) in said
    assert not any(kind == "base" for kind, _r, _o in said)
    sums = {(r["result"], frozenset(r["operands"].split())) for r in page.relations if r["kind"] == "sum"}
    assert (ids["900"], frozenset([ids["500"], ids["400"]])) in sums
    # paragraphs whose counts add up to no count printed before them are no parts
    page = drafting.draft_all(text.replace("400件", "300件"), drafting.Source("t", "2024-05-01"), vocab)
    assert all(d.row["breakdown_value"] == "" for d in page.drafts if d.row["value"] in ("500", "300"))


def test_a_ranking_named_after_its_rank_is_the_top_of_its_sentences_count():
    # TEST page (made up): 排名前三的部门是 opens the ranking without a colon; the first name starts after 是, a name
    # may print 和 inside it (人力资源和社会保障局) while 和 after a bracket separates names; the ranked counts take
    # the indicator of the count their own sentence prints (900, not the earlier 1000) and lie within it
    indicators = _indicator_table(
        "indicator name_en name_zh",
        ("test_requests", "TEST requests", "受理诉求量"),
        ("test_assigned", "TEST assigned", "交办诉求事项数"),
    )
    text = (
        "TEST热线受理诉求1000件。交办各部门诉求事项共900件,其中办理事项排名前三的部门是甲区公安局(300件)、"
        "人力资源和社会保障局(200件)和乙镇(100件)。"
    )
    page = drafting.draft_all(text, drafting.Source("t", "2024-05-01"), drafting.vocabulary(indicators))
    rows = {d.row["value"]: d.row for d in page.drafts}
    assert [rows[v]["breakdown_value"] for v in ("300", "200", "100")] == ["甲区公安局", "人力资源和社会保障局", "乙镇"]
    assert rows["900"]["indicator"] == "test_assigned"
    assert {rows[v]["indicator"] for v in ("300", "200", "100")} == {"test_assigned"}
    ids = {v: rows[v]["figure_id"] for v in rows}
    within = {(r["kind"], r["result"], frozenset(r["operands"].split())) for r in page.relations}
    assert ("part_of", ids["900"], frozenset(ids[v] for v in ("300", "200", "100"))) in within


def test_a_tables_year_headings_are_no_figures():
    # TEST tables (made up): the years heading a yearbook's columns (项目 2010 2015) or a `|` table's (|2019|2020)
    # date the cells below them and are drafted as exclusions, never as figures
    for table, cells in (
        ("项目 2010 2015 2020\nTEST人数(人) 100 200 300\n", {"100", "200", "300"}),
        ("指标|2019|2020\nTEST户数(户)|10|20\n", {"10", "20"}),
    ):
        page = drafting.draft_all(table, drafting.Source("t", "2024-05-01"), drafting.vocabulary(TEST_INDICATORS))
        assert {d.row["value"] for d in page.drafts} == cells
        assert sum("column heading" in e["reason"] for e in page.exclusions) == (3 if len(cells) == 3 else 2)


def test_two_neighbouring_tens_are_a_range():
    # TEST (made up): 二、三十位 is 'twenty or thirty': 20 (at least) and 30 (at most), both in 位, the 、 their
    # marker; 三、四百人 likewise 300 to 400; 二、 opening a line is its outline number, and 三十年 after it one figure
    units = list(raw.load_units()["unit"])
    got = [(n.value, n.unit, n.qualifier, n.marker) for n in finder.find_numbers("每天有二、三十位市民来电。", units)]
    assert got == [(20.0, "位", "at_least", "、"), (30.0, "位", "at_most", "、")]
    got = [(n.value, n.qualifier) for n in finder.find_numbers("约有三、四百人参加。", units)]
    assert got == [(300.0, "at_least"), (400.0, "at_most")]
    got = [(n.value, n.qualifier) for n in finder.find_numbers("概况\n二、三十年来的变化\n", units)]
    assert got == [(30.0, "exact")]
    # 一、 before 二十名 is the range's low end (10), not the word 一 nor an outline number
    _page, rows = _test_page("TEST现有一、二十名志愿者。", "2024-05-01")
    assert (rows["10"]["qualifier"], rows["20"]["qualifier"]) == ("at_least", "at_most")
    assert markers.qualifiers_of("、") == {"at_least", "at_most"}


def test_counts_after_names_in_quotes_are_their_parts():
    # TEST (made up): two quoted names each followed by counts (1期1件次, 2期2件次): each count's term is the name
    # before it, the second count of a pair included; one quoted name alone names no part
    _page, rows = _test_page("TEST承办“甲直播间”1期3件次,“乙电台栏目”2期4件次。", "2024-05-01")
    assert [rows[v]["breakdown_value"] for v in ("1", "3", "2", "4")] == [
        "甲直播间",
        "甲直播间",
        "乙电台栏目",
        "乙电台栏目",
    ]
    _page, rows = _test_page("TEST承办“甲直播间”5期。", "2024-05-01")
    assert rows["5"]["breakdown_value"] == ""


def test_the_signs_of_a_floor_and_a_ceiling_qualify():
    # TEST (made up): ≥ before a rate is a floor (at least), ≤ before a length of time a ceiling (at most)
    units = list(raw.load_units()["unit"])
    got = [(n.value, n.qualifier, n.marker) for n in finder.find_numbers("标准要求满意率≥90%,办结时限≤5天。", units)]
    assert got == [(90.0, "at_least", "≥"), (5.0, "at_most", "≤")]
    assert markers.qualifiers_of("≥") == {"at_least"} and markers.qualifiers_of("≤") == {"at_most"}


def test_a_standards_percentage_is_a_rules_figure():
    # TEST (made up): a percentage printed after 标准 (最低标准90%) or behind ≥ is the standard, the rule indicator
    # closest to its words; the measured rate beside it keeps the rate indicator
    indicators = _indicator_table(
        "indicator name_en name_zh kind",
        ("test_satisfaction", "TEST satisfaction", "群众满意率", "rate"),
        ("test_satisfaction_floor", "TEST satisfaction floor", "群众满意率最低标准", "rule"),
    )
    vocab = drafting.vocabulary(indicators)
    text = "TEST热线群众满意率为95%,高于群众满意率最低标准90%。TEST要求群众满意率≥85%。"
    page = drafting.draft_all(text, drafting.Source("t", "2024-05-01"), vocab)
    rows = {d.row["value"]: d.row for d in page.drafts}
    assert [rows[v]["indicator"] for v in ("95", "90", "85")] == [
        "test_satisfaction",
        "test_satisfaction_floor",
        "test_satisfaction_floor",
    ]


def test_a_rate_named_after_a_part_is_its_share_of_the_total():
    # TEST (made up): 办结率 after 受理500件, 办结420件, 在办80件 is 办结 over 受理 (420 / 500 = 84%), a `share` with
    # both; a rate cut, not rounded, at its last digit (333 / 400 = 83.25%, printed 83.2%) as well
    for text, (rate, part, whole) in (
        ("TEST热线受理诉求500件,办结420件,在办80件,办结率84%。", ("84", "420", "500")),
        ("TEST热线受理诉求400件,办结333件,在办67件,办结率83.2%。", ("83.2", "333", "400")),
    ):
        page, rows = _test_page(text, "2024-05-01")
        ids = {v: rows[v]["figure_id"] for v in rows}
        said = {(r["kind"], r["result"], r["operands"]) for r in page.relations}
        assert ("share", ids[rate], f"{ids[part]} {ids[whole]}") in said


def test_shares_printed_in_a_row_are_one_wholes_parts():
    # TEST (made up): three answers' shares in a row: the first term loses the subject before the ending the
    # others share (满意), 认为 is no part of a term, and 不满意 (which negates the name's 满意) takes the indicator
    # of the shares before it
    indicators = _indicator_table(
        "indicator name_en name_zh kind",
        ("test_answers_share", "TEST answers (share)", "服务满意程度占比", "rate"),
    )
    text = "TEST调查显示,受访居民对TEST服务满意的占70%,基本满意的占20%,认为不满意的占10%。"
    page = drafting.draft_all(text, drafting.Source("t", "2024-05-01"), drafting.vocabulary(indicators))
    rows = {d.row["value"]: d.row for d in page.drafts}
    assert [rows[v]["breakdown_value"] for v in ("70", "20", "10")] == ["满意", "基本满意", "不满意"]
    assert {rows[v]["indicator"] for v in ("70", "20", "10")} == {"test_answers_share"}


def test_what_is_done_each_year_and_both_ends_of_its_range():
    # TEST (made up): 每年…1次至2次走访 (no 平均) is what is done each year, the per-year `per_unit` indicator named
    # 每年走访次数 rather than the flow of visits; the range's low end (1次至) takes its high end's indicator
    indicators = _indicator_table(
        "indicator name_en name_zh kind per",
        ("test_visits", "TEST visits", "TEST走访户数", "flow", ""),
        ("test_visits_per_year", "TEST visits a year", "每年走访次数", "per_unit", "year"),
    )
    text = "TEST工会每年开展1次至2次走访活动。"
    page = drafting.draft_all(text, drafting.Source("t", "2024-05-01"), drafting.vocabulary(indicators))
    rows = {d.row["value"]: d.row for d in page.drafts}
    assert (rows["1"]["qualifier"], rows["2"]["qualifier"]) == ("at_least", "at_most")
    assert rows["1"]["indicator"] == rows["2"]["indicator"] == "test_visits_per_year"


def test_a_share_after_a_list_is_the_whole_lists():
    # TEST (made up): 60% after the top three (300 + 200 + 100 = 600 of 1000) is the three together's share of
    # 1000, not the last one's: the three lie within 1000, and the share has no term and no `share` with 100
    text = (
        "TEST热线共办理工单1000件,按期回复900件、逾期回复100件。"
        "位居前三的工单:甲类300件、乙类200件、丙类100件,占工单总量的60%。"
    )
    page, rows = _test_page(text, "2024-05-01")
    ids = {v: rows[v]["figure_id"] for v in rows}
    said = {(r["kind"], r["result"], frozenset(r["operands"].split())) for r in page.relations}
    assert ("part_of", ids["1000"], frozenset(ids[v] for v in ("300", "200", "100"))) in said
    assert rows["60"]["breakdown_value"] == ""
    assert not any(kind == "share" and result == ids["60"] for kind, result, _o in said)


def test_a_headlines_whole_rate_is_the_exact_rate_printed_again():
    # TEST (made up): the headline's 满意率达94% (before any date) is the body's 满意率为93.91% rounded: it takes that
    # rate's indicator and period (the survey's month, May 2020) and is the same figure printed again (a `sum`)
    text = "TEST测评报告出炉满意率达94%\n近日,TEST调查队开展了民意调查,TEST对服务的满意率为93.91%。"
    page, rows = _test_page(text, "2020-05-08")
    assert rows["94"]["indicator"] == rows["93.91"]["indicator"]
    assert (rows["94"]["period_start"], rows["94"]["period_end"]) == ("2020-05-01", "2020-05-31")
    pairs = {(r["kind"], frozenset([r["result"], *r["operands"].split()])) for r in page.relations}
    assert ("sum", frozenset([rows["94"]["figure_id"], rows["93.91"]["figure_id"]])) in pairs

"""What a figure means is data (issue 24): indicators.csv's kinds, breakdowns.csv, the derived identities.

Fixture rows (region 'Testland') are TEST data, not published figures; expected values are worked by hand.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from analysis.evidence import audit, derived, meaning, raw, tidy
from evidence_fixtures import UNITS, row

INDICATOR_COLUMNS = ["indicator", "name_en", "name_zh", "kind", "counts", "per", "of", "scope", "reading", "direction"]


def rows_of(path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines(keepends=True)))


def write(path, rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0].keys()), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def problems(call) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(raw.RawDataError) as caught:
        call()
    return [(p.row, p.column, p.rule) for p in caught.value.problems]


# ---------------------------------------------------------------- indicators.csv


def _first(rows, kind):
    return next(i for i, r in enumerate(rows) if r["kind"] == kind)


@pytest.mark.parametrize(
    "case, change, column, rule_starts",
    [
        ("unknown kind", lambda rows: rows[0].update(kind="level"), "kind", "must be one of stock, flow"),
        ("of not an indicator", lambda rows: rows[0].update(kind="rate", of="no_such", reading="census"), "of", ""),
        ("of on a stock", lambda rows: rows[0].update(of=rows[1]["indicator"]), "of", "only a rate"),
        ("rate without reading", lambda rows: rows[_first(rows, "rate")].update(reading=""), "reading", "a rate"),
        ("reading on a stock", lambda rows: rows[0].update(reading="census"), "reading", "only a rate"),
        ("average without per", lambda rows: rows[_first(rows, "average")].update(per=""), "per", "an average"),
        ("per on a stock", lambda rows: rows[0].update(per="day"), "per", "only an average"),
        # A rate may be printed as a rate a year (per = year), never per day or per unit.
        ("rate per day", lambda rows: rows[_first(rows, "rate")].update(per="day"), "per", "an average"),
        ("counts blank", lambda rows: rows[0].update(counts=""), "counts", "must say what one unit is"),
    ],
)
def test_a_malformed_meaning_names_file_row_column_and_rule(tmp_path, case, change, column, rule_starts):
    rows = rows_of(raw.paths.INDICATORS_CSV)
    change(rows)
    changed = next(i for i, (a, b) in enumerate(zip(rows, rows_of(raw.paths.INDICATORS_CSV))) if a != b) + 1
    path = tmp_path / "indicators.csv"
    write(path, rows)
    found = problems(lambda: raw.load_indicators(path))
    assert [(r, c) for r, c, _ in found] == [(changed, column)], case
    assert found[0][2].startswith(rule_starts) if rule_starts else "indicators.csv" in found[0][2]


def _register(**exits_changes: str) -> list[dict[str, str]]:
    """TEST FIXTURE rows: the committed indicators, a stock of a register and a flow of exits from it."""
    rows = rows_of(raw.paths.INDICATORS_CSV)
    blank = dict.fromkeys(rows[0], "")
    register = {**blank, "indicator": "test_register_persons", "name_en": "persons on a test register"}
    register |= {"name_zh": "测试名册人数", "kind": "stock", "counts": "persons", "scope": "test_register"}
    exits = {**register, "indicator": "test_register_exits", "name_en": "persons leaving a test register"}
    exits |= {"name_zh": "测试名册退出人数", "kind": "flow", "of": "test_register_persons", "direction": "out"}
    return [*rows, register, {**exits, **exits_changes}]


def test_a_rate_printed_as_a_rate_a_year_is_declared_by_per_year(tmp_path):
    rows = rows_of(raw.paths.INDICATORS_CSV)
    rows[_first(rows, "rate")].update(per="year")
    path = tmp_path / "indicators.csv"
    write(path, rows)
    assert raw.load_indicators(path).loc[lambda t: t["kind"] == "rate", "per"].iloc[0] == "year"


def test_a_flow_out_of_a_stock_is_declared_by_its_direction_and_of(tmp_path):
    path = tmp_path / "indicators.csv"
    write(path, _register())
    loaded = raw.load_indicators(path)
    m = meaning.Meaning.from_tables(loaded, TEST_BREAKDOWNS)
    assert (m.direction("test_register_exits"), m.of("test_register_exits")) == ("out", "test_register_persons")
    assert m.direction("test_register_persons") is None


DIRECTION_RULE = (
    "a flow with a direction must name in `of` the stock it enters or leaves: an indicator of kind stock that "
    "counts the same units in the same scope"
)


@pytest.mark.parametrize(
    "case, changes, column, rule_starts",
    [
        ("another scope", {"scope": "test_other_register"}, "direction", DIRECTION_RULE),
        ("other units", {"counts": "households"}, "direction", DIRECTION_RULE),
        ("of not a stock", {"of": "hotline_calls_received"}, "direction", DIRECTION_RULE),
        ("no of", {"of": ""}, "direction", DIRECTION_RULE),
        ("unknown value", {"direction": "up"}, "direction", "must be in, out or empty"),
        ("on a stock", {"kind": "stock", "of": ""}, "direction", "only a flow has a direction"),
        ("of without a direction", {"direction": ""}, "of", "only a rate"),
    ],
)
def test_a_malformed_direction_names_file_row_column_and_rule(tmp_path, case, changes, column, rule_starts):
    rows = _register(**changes)
    path = tmp_path / "indicators.csv"
    write(path, rows)
    with pytest.raises(raw.RawDataError) as caught:
        raw.load_indicators(path)
    found = [(p.row, p.column, p.rule) for p in caught.value.problems]
    # the flow is the last row: row len(rows) of the file, on line len(rows) + 1 after the header
    assert [(r, c) for r, c, _ in found] == [(len(rows), column)], (case, found)
    assert found[0][2].startswith(rule_starts), case
    assert f"indicators.csv, row {len(rows)} (line {len(rows) + 1}), column '{column}': {rule_starts}" in str(
        caught.value
    )


def test_the_committed_indicators_declare_a_meaning_for_every_figure():
    indicators = raw.load_indicators()
    figures = raw.load_figures(indicators=indicators)
    assert list(indicators.columns) == INDICATOR_COLUMNS
    assert raw.check_figure_meaning(figures, indicators, raw.load_units()) is figures


# ---------------------------------------------------------------- figures against their indicator's kind


@pytest.fixture(scope="module")
def committed():
    indicators = raw.load_indicators()
    return raw.load_figures(indicators=indicators), indicators, raw.load_units()


def _row_where(figures: pd.DataFrame, **values) -> int:
    mask = pd.Series(True, index=figures.index)
    for column, value in values.items():
        mask &= figures[column] == value
    return int(figures.index[mask][0])


def _meaning_problems(committed, row: int, **changes):
    figures, indicators, units = committed
    edited = figures.copy()
    for column, value in changes.items():
        edited.loc[row, column] = value
    return problems(lambda: raw.check_figure_meaning(edited, indicators, units))


def test_a_rate_printed_in_households_is_named(committed):
    figures, indicators, _ = committed
    rates = set(indicators.loc[indicators["kind"] == "rate", "indicator"])
    row_ = int(figures.index[figures["indicator"].isin(rates)][0])
    assert _meaning_problems(committed, row_, unit="户") == [
        (row_, "unit", raw.figure_meaning_schema().checks[0].error)
    ]


def test_a_stock_printed_in_percent_is_named(committed):
    row_ = 1  # the first figure is a stock of households (indicators.csv)
    assert committed[1].set_index("indicator").at[committed[0].at[1, "indicator"], "kind"] == "stock"
    found = _meaning_problems(committed, row_, unit="%")
    assert [(r, c) for r, c, _ in found] == [(1, "unit")]
    assert found[0][2].startswith("a figure printed in % must be")


def test_a_stock_over_a_printed_period_and_a_flow_on_an_undated_day_are_named(committed):
    figures, indicators, _ = committed
    stock = 1  # printed 2016年10月底: a date
    flows = set(indicators.loc[indicators["kind"] == "flow", "indicator"])
    flow = int(figures.index[figures["indicator"].isin(flows) & (figures["period_start"] != figures["period_end"])][0])
    edited = figures.copy()
    edited.loc[stock, "period_start"] = "2016-10-01"
    edited.loc[flow, ["period_start", "period_as_printed"]] = [edited.at[flow, "period_end"], ""]
    found = problems(lambda: raw.check_figure_meaning(edited, indicators, committed[2]))
    assert [(r, c) for r, c, _ in found] == sorted([(stock, "period_start"), (flow, "period_end")])
    assert "a stock is on a date" in {(r, c): t for r, c, t in found}[(stock, "period_start")]


def test_an_undated_stock_may_bracket_its_date(committed):
    """No date words printed: the period is the range of dates the stock could refer to (an undated page's month)."""
    figures, indicators, units = committed
    edited = figures.copy()
    edited.loc[1, ["period_start", "period_as_printed"]] = ["2016-10-01", ""]
    assert raw.check_figure_meaning(edited, indicators, units) is edited


# ---------------------------------------------------------------- breakdowns.csv


def test_every_breakdown_used_is_declared_and_every_declared_one_used(tmp_path, committed):
    figures, indicators, _ = committed
    rows = rows_of(raw.paths.BREAKDOWNS_CSV)
    dropped = rows.pop(0)
    rows.append({**rows[0], "breakdown_dimension": "not_used_anywhere"})
    rows.insert(0, rows.pop())  # the unused row is row 1 of the file
    path = tmp_path / "breakdowns.csv"
    write(path, rows)
    uses = [
        int(i)
        for i in figures.index
        if (figures.at[i, "indicator"], figures.at[i, "breakdown_dimension"])
        == (dropped["indicator"], dropped["breakdown_dimension"])
    ]
    found = problems(lambda: raw.load_breakdowns(figures, indicators, path))
    assert [(r, c) for r, c, _ in found] == [(i, "breakdown_dimension") for i in uses] + [(1, "breakdown_dimension")]
    assert all("must be declared in breakdowns.csv" in rule for _, _, rule in found[:-1])
    assert found[-1][2] == "is not used by any figure of this indicator in figures.csv"


def test_an_unknown_parts_value_is_named(tmp_path, committed):
    rows = rows_of(raw.paths.BREAKDOWNS_CSV)
    rows[2]["parts"] = "some"
    path = tmp_path / "breakdowns.csv"
    write(path, rows)
    assert problems(lambda: raw.load_breakdowns(committed[0], committed[1], path)) == [
        (3, "parts", "must be one of exhaustive, partial, overlapping, top")
    ]


# ---------------------------------------------------------------- the look-ups

TEST_INDICATORS = pd.DataFrame(
    [
        ("requests", "requests", "诉求", "flow", "requests", "", "", "hotline_12345", ""),
        ("requests_a_day", "requests a day", "日均诉求", "average", "requests", "day", "requests", "hotline_12345", ""),
        (
            "requests_yoy",
            "requests year on year",
            "诉求同比",
            "change",
            "requests",
            "year",
            "requests",
            "hotline_12345",
            "",
        ),
        (
            "requests_mom",
            "requests month on month",
            "诉求环比",
            "change",
            "requests",
            "period",
            "requests",
            "hotline_12345",
            "",
        ),
        ("elevators", "elevators", "电梯", "flow", "elevators", "", "", "elevator_retrofit", ""),
        ("people", "residents", "常住人口", "stock", "persons", "", "", "residents", ""),
        ("recipients", "recipients", "低保人数", "stock", "persons", "", "", "dibao", ""),
    ],
    columns=INDICATOR_COLUMNS[:-1],
).assign(direction="")  # none of these flows enters or leaves a stock
TEST_BREAKDOWNS = pd.DataFrame(
    [
        ("recipients", "area", "exhaustive", ""),
        ("recipients", "group", "overlapping", ""),
        ("recipients", "district", "partial", ""),
    ],
    columns=["indicator", "breakdown_dimension", "parts", "note"],
)
TEST_MEANING = meaning.Meaning.from_tables(TEST_INDICATORS, TEST_BREAKDOWNS)


def test_analyses_ask_by_kind_counts_and_scope():
    m = TEST_MEANING
    assert m.indicators_where(kind="stock", counts="persons") == ["people", "recipients"]
    assert m.indicators_where(kind="flow", counts=meaning.HOTLINE_CONTACTS) == ["requests"]
    assert m.indicators_where(kind="average", per="day", of="requests") == ["requests_a_day"]
    assert (m.of("requests_a_day"), m.per("requests_yoy"), m.per("requests")) == ("requests", "year", None)
    assert m.is_exhaustive("recipients", "area") and not m.is_exhaustive("recipients", "group")
    assert (m.may_add("recipients", "area"), m.may_add("recipients", "district"), m.may_add("recipients", "group")) == (
        True,
        True,
        False,
    )
    with pytest.raises(KeyError, match="breakdowns.csv"):
        m.parts("recipients", "age")


def test_the_population_is_the_stock_of_persons_among_the_residents():
    figures = tidy.tidy_figures(
        pd.DataFrame(
            [
                row("pop", "hotline", "people", "52", "万", "2023-12-31", "2023-12-31"),
                row("rec", "poverty_exit", "recipients", "3100", "人", "2023-12-31", "2023-12-31"),
            ]
        ),
        UNITS,
    )
    assert list(TEST_MEANING.population(figures, "Testland")["figure_id"]) == ["pop"]
    assert TEST_MEANING.population(figures, "Elsewhere").empty


def test_figures_no_analysis_of_their_topic_reads_are_listed():
    figures = pd.DataFrame(
        [
            row("wo", "hotline", "requests", "917", "件", "2023-01-09", "2023-01-15"),
            row("el", "hotline", "elevators", "12", "个", "2023-01-01", "2023-06-30"),
            row("ctx", "context", "elevators", "3", "个", "2023-01-01", "2023-06-30"),
        ]
    )
    unread = meaning.unread_figures(figures, TEST_MEANING)
    assert list(unread["figure_id"]) == ["el"]  # context figures have no analysis to read them
    lines = meaning.unread_report(figures, TEST_MEANING)
    assert lines[0].startswith("hotline: 1 figure(s) no hotline analysis reads (it reads flow of calls/")
    assert lines[1] == "  elevators (flow of elevators): el"


def test_the_seed_hotline_figures_of_other_things_are_listed_as_unread():
    indicators = raw.load_indicators()
    figures = raw.load_figures(indicators=indicators)
    m = meaning.Meaning.from_tables(indicators, raw.load_breakdowns(figures, indicators))
    unread = meaning.unread_figures(figures, m)
    assert "digest2022_elevators_2022" in set(unread["figure_id"])  # 871 elevators retrofitted: not a volume
    assert not {"digest2022_calls_2021", "digest2022_population"} & set(unread["figure_id"])


# ---------------------------------------------------------------- printed precision of averages


def test_an_average_printed_as_an_integer_is_rounded_and_a_count_is_exact():
    frame = pd.DataFrame(
        [
            row("week", "hotline", "requests", "920", "件", "2023-01-09", "2023-01-15", as_printed="上周"),
            row("avg", "hotline", "requests_a_day", "131", "件", "2023-01-09", "2023-01-15", as_printed="上周"),
        ]
    )
    figures = tidy.tidy_figures(frame, UNITS, TEST_INDICATORS).set_index("figure_id")
    assert (figures.at["avg", "value_low"], figures.at["avg", "value_high"]) == (130.5, 131.5)
    assert (figures.at["week", "value_low"], figures.at["week", "value_high"]) == (920, 920)
    # 920 / 7 = 131.43 a day: the printed 131 holds once it is read as rounded, and would not as exact.
    relations = derived.derive(figures.reset_index(), TEST_MEANING, pd.DataFrame(columns=derived.RELATION_COLUMNS))
    assert list(zip(relations["kind"], relations["result"], relations["operands"])) == [("per_day", "avg", "week")]
    assert list(derived.audit_derived(figures.reset_index(), relations)["verdict"]) == ["holds"]
    as_exact = tidy.tidy_figures(frame, UNITS)
    assert list(audit.run_audit(as_exact, relations)["verdict"]) == ["fails"]


# ---------------------------------------------------------------- derived identities


def _recipients(*parts: tuple[str, str, str, str]) -> pd.DataFrame:
    rows = [row("total", "poverty_exit", "recipients", "100", "人", "2023-12-31", "2023-12-31")]
    rows += [
        row(fid, "poverty_exit", "recipients", value, "人", "2023-12-31", "2023-12-31", dimension=dim, category=cat)
        for fid, dim, cat, value in parts
    ]
    return tidy.tidy_figures(pd.DataFrame(rows), UNITS, TEST_INDICATORS)


NO_RELATIONS = pd.DataFrame(columns=["relation_id", "kind", "result", "operands", "note"])


def test_breakdowns_give_sums_and_parts_within_totals_and_overlapping_parts_are_never_added():
    figures = _recipients(
        ("urban", "area", "城市", "60"),
        ("rural", "area", "农村", "40"),
        ("women", "group", "女性", "70"),
        ("disabled", "group", "残疾人", "50"),
        ("big", "district", "甲区", "120"),
    )
    relations = derived.derive(figures, TEST_MEANING, NO_RELATIONS)
    got = {(r.kind, r.operands, r.rule) for r in relations.itertuples()}
    assert got == {
        ("sum", "urban rural", "exhaustive_sum"),  # 60 + 40 = 100
        ("part_of", "women disabled", "part_within_total"),  # 70 and 50 each within 100; 120 together is no error
        ("part_of", "big", "part_within_total"),  # 120 > 100: fails
    }
    verdicts = dict(zip(relations["operands"], derived.audit_derived(figures, relations)["verdict"] == "holds"))
    assert verdicts == {"urban rural": True, "women disabled": True, "big": False}


def test_a_derived_identity_already_declared_is_left_out():
    figures = _recipients(("urban", "area", "城市", "60"), ("rural", "area", "农村", "40"))
    declared = pd.DataFrame(
        [{"relation_id": "declared", "kind": "sum", "result": "total", "operands": "rural urban", "note": ""}]
    )
    assert derived.derive(figures, TEST_MEANING, declared).empty


@pytest.mark.parametrize(
    "start, end, base, previous",
    [
        ("2023-03-01", "2023-03-31", "period", ("2023-02-01", "2023-02-28")),  # a month after a shorter month
        ("2023-04-01", "2023-06-30", "period", ("2023-01-01", "2023-03-31")),  # a quarter
        ("2023-01-09", "2023-01-15", "period", ("2023-01-02", "2023-01-08")),  # a week
        ("2024-02-01", "2024-02-29", "year", ("2023-02-01", "2023-02-28")),  # a leap February a year on
        ("2023-01-01", "2023-06-30", "year", ("2022-01-01", "2022-06-30")),
    ],
)
def test_the_period_a_change_compares_with(start, end, base, previous):
    assert derived.previous_period(start, end, base) == previous


def test_printed_changes_are_checked_against_the_periods_they_compare_across_pages():
    rows = [
        row("q1_2023", "hotline", "requests", "1200", "件", "2023-01-01", "2023-03-31", as_printed="一季度"),
        row("q1_2022", "hotline", "requests", "1000", "件", "2022-01-01", "2022-03-31", as_printed="一季度"),
        row("yoy", "hotline", "requests_yoy", "20", "%", "2023-01-01", "2023-03-31"),
        row("mar", "hotline", "requests", "310", "件", "2023-03-01", "2023-03-31", as_printed="3月"),
        row("feb", "hotline", "requests", "280", "件", "2023-02-01", "2023-02-28", as_printed="2月"),
        row("mom", "hotline", "requests_mom", "10.7", "%", "2023-03-01", "2023-03-31"),
        row("mom_wrong", "hotline", "requests_mom", "12.0", "%", "2023-03-01", "2023-03-31"),
    ]
    rows[1]["source_id"] = "another_page"  # the year before is printed on another page
    figures = tidy.tidy_figures(pd.DataFrame(rows), UNITS, TEST_INDICATORS)
    relations = derived.derive(figures, TEST_MEANING, NO_RELATIONS)
    assert list(zip(relations["result"], relations["operands"])) == [
        ("yoy", "q1_2023 q1_2022"),
        ("mom", "mar feb"),
        ("mom_wrong", "mar feb"),
    ]
    # 1200 / 1000 - 1 = 20%; 310 / 280 - 1 = 10.71%, within 10.65%..10.75% and not within 11.95%..12.05%.
    assert list(derived.audit_derived(figures, relations)["verdict"]) == ["holds", "holds", "fails"]

"""Issue 23: each crash and wrong refusal on real printing, reproduced on TEST rows, and the verdicts' honesty.

Every figure below is a TEST FIXTURE written for the test (not a published figure); the expected values are
worked out by hand in the comments beside them.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from analysis.evidence import audit, catalogue, finder, markers, raw, tidy
from analysis.topics import audit as audit_topic
from analysis.topics import calllog as calllog_stats
from conftest import make
from test_audit import UNITS, figure, run
from test_raw_schema import csv_bytes, make_data_with, read_rows, workspace  # noqa: F401  (a fixture)

# ---------------------------------------------------------------- three verdicts


def test_a_lone_change_is_derived_not_counted_as_holding():
    # 90 now and a printed change of -10% (±0.05 points) imply a previous value of 90 / (1 - 0.1005 .. 1 - 0.0995)
    # = 90 / 0.8995 .. 90 / 0.9005 = 99.94 .. 100.06: derived, and nothing about it is checked.
    figures = [figure("now", "90"), figure("before", "100"), figure("yoy", "-10", "%")]
    result = run(figures, [("change", "yoy", "now before"), ("change", "yoy", "now")])
    assert result.at["r0", "verdict"] == "holds"  # 90 / 100 - 1 = -0.1, inside -0.1005 .. -0.0995
    assert result.at["r1", "verdict"] == "derived"
    assert audit.verdict_counts(result) == {"holds": 1, "fails": 0, "derived": 1}


def test_the_summary_counts_holding_failing_and_derived_apart():
    figures = [
        figure("total", "512"),
        figure("a", "400"),
        figure("b", "100"),  # 400 + 100 = 500 != 512: fails
        figure("c", "112"),  # 400 + 112 = 512: holds
        figure("yoy", "5", "%"),  # with `a` alone: derived
    ]
    result = run(figures, [("sum", "total", "a b"), ("sum", "total", "a c"), ("change", "yoy", "a")])
    tidy_table = tidy.tidy_figures(pd.DataFrame(figures), UNITS)
    findings, keys = audit_topic.audit_findings(tidy_table, result.reset_index())
    assert "of 3 relations, 1 hold, 1 fail (r0) and 1 are derived, not checked" in findings[0].text
    by_key = {k.key: k.value for k in keys}
    assert by_key["relations"] == 2 and by_key["failing"] == 1 and by_key["derived"] == 1


def calllog_days(total: int, start: str = "2021-01-01", end: str = "2021-01-10") -> pd.DataFrame:
    """A TEST daily aggregate: `total` calls spread over the days from start to end (the rest on the first day)."""
    days = pd.date_range(start, end, freq="D")
    per_day = [total // len(days)] * len(days)
    per_day[0] += total - sum(per_day)
    return pd.DataFrame({"day": days, "calls": per_day})


def printed_volume(value: str, qualifier: str, marker: str, unit: str = "万") -> pd.DataFrame:
    row = figure("vol", value, unit, qualifier, marker, start="2021-01-01", end="2021-01-10")
    table = tidy.tidy_figures(pd.DataFrame([row]), UNITS)
    return table.assign(period_as_printed="TEST")


@pytest.mark.parametrize(
    "printed, qualifier, marker, log, holds",
    [
        # 6400余万 allows 64,000,000 .. 65,000,000 (余: up to the next unit of its last significant digit, 100万).
        ("6400", "at_least", "余", 64_000_000, True),
        ("6400", "at_least", "余", 65_000_000, True),
        ("6400", "at_least", "余", 65_000_001, False),  # before: accepted (any log >= 64 million)
        ("6400", "at_least", "余", 63_999_999, False),
        # 近10万: 90,000 .. 100,000 (近: within 10% below).
        ("10", "approximately", "近", 95_000, True),
        ("10", "approximately", "近", 100_001, False),  # before: `approximately` always held
        ("10", "approximately", "近", 89_999, False),
        # an exact 1486万 is 14,855,000 .. 14,865,000 (half a unit of the last printed digit, 0.5万).
        ("1486", "exact", "", 14_860_000, True),
        ("1486", "exact", "", 14_857_000, True),  # before: refused (only 14,860,000 exactly)
        ("1486", "exact", "", 14_866_000, False),
    ],
)
def test_the_published_check_uses_both_ends_of_the_printed_interval(printed, qualifier, marker, log, holds):
    check = calllog_stats.published_check(calllog_days(log), printed_volume(printed, qualifier, marker), 1.0)
    assert bool(check.at[0, "holds"]) is holds


def test_the_published_check_scales_both_ends():
    # A 1/1000 log of 6400余万: 64,000 .. 65,000 calls.
    published = printed_volume("6400", "at_least", "余")
    assert bool(calllog_stats.published_check(calllog_days(64_999), published, 0.001).at[0, "holds"])
    assert not bool(calllog_stats.published_check(calllog_days(65_001), published, 0.001).at[0, "holds"])


# ---------------------------------------------------------------- crashes and wrong refusals


def test_a_base_on_a_rate_printed_with_yishang_does_not_crash():
    # 50%以上 is at least 50% and, as a share, at most 100%: 8 × [0.5, 1] = [4, 8] cases, whole numbers among them.
    # Before: read as [4, inf), int(inf) raised OverflowError and stopped `make data`.
    result = run([figure("n", "8"), figure("rate", "50", "%", "at_least", "以上")], [("base", "rate", "n")])
    assert result.at["r0", "verdict"] == "holds"
    assert result.at["r0", "expected"] == "4 to 8"


def test_zero_times_an_unbounded_interval_is_zero_not_nan():
    # Before: 0 × inf was nan, and a nan first in the list of corner products made the whole interval nan.
    # [0, 5] × (-inf, 3]: 0 × -inf = 0, 0 × 3 = 0, 5 × -inf = -inf, 5 × 3 = 15, so (-inf, 15] (before: nan to nan).
    assert audit.Interval(0.0, 5.0) * audit.Interval(-math.inf, 3.0) == audit.Interval(-math.inf, 15.0)
    # 0 × (-inf, inf) = 0 (before: nan to nan); 0 × [1, inf) = 0.
    assert audit.Interval(0.0, 0.0) * audit.Interval(-math.inf, math.inf) == audit.Interval(0.0, 0.0)
    assert audit.Interval(0.0, 0.0) * audit.Interval(1.0, math.inf) == audit.Interval(0.0, 0.0)
    # [0, 2] × [3, inf) = [0, inf): 0 × 3 = 0, 0 × inf = 0, 2 × 3 = 6, 2 × inf = inf.
    assert audit.Interval(0.0, 2.0) * audit.Interval(3.0, math.inf) == audit.Interval(0.0, math.inf)
    # [1, inf) / [2, inf) = [0, inf): 1/inf = 0, inf/2 = inf; inf/inf carries no bound.
    assert audit.Interval(1.0, math.inf) / audit.Interval(2.0, math.inf) == audit.Interval(0.0, math.inf)


def test_a_zero_count_times_an_unbounded_rate_in_a_count_rule_holds():
    # 0 units × 5以上 per unit = 0 × [5, inf) = 0, compatible with a printed 0.
    figures = [figure("units", "0"), figure("per_unit", "5", "个", "at_least", "以上"), figure("total", "0")]
    result = run(figures, [("count_rule", "total", "units per_unit")])
    assert result.at["r0", "verdict"] == "holds" and result.at["r0", "expected"] == "0"


def relations_file(tmp_path, rows: list[dict]) -> object:
    path = tmp_path / "relations.csv"
    pd.DataFrame(rows, columns=["relation_id", "kind", "result", "operands", "note"]).to_csv(path, index=False)
    return path


def indexed(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows).set_index(pd.RangeIndex(1, len(rows) + 1))


def test_a_declared_change_above_100_percent_is_accepted(tmp_path):
    # 同比增长133.1%: 233.1 now against 100 before is 233.1 / 100 - 1 = 1.331 (before: refused, capped at ±100).
    figures = indexed([figure("now", "233.1"), figure("before", "100"), figure("yoy", "133.1", "%")])
    path = relations_file(tmp_path, [{"relation_id": "r", "kind": "change", "result": "yoy", "operands": "now before"}])
    relations = raw.load_relations(figures, UNITS, path)
    result = run(
        [figure("now", "233.1"), figure("before", "100"), figure("yoy", "133.1", "%")],
        [(r.kind, r.result, r.operands) for r in relations.itertuples()],
    )
    assert result.at["r0", "verdict"] == "holds"


def test_a_percentage_above_100_that_is_not_a_change_is_refused_by_file_row_column_rule(tmp_path):
    figures = indexed([figure("total", "512"), figure("share", "133.1", "%")])
    path = relations_file(tmp_path, [{"relation_id": "r", "kind": "sum", "result": "total", "operands": "total"}])
    with pytest.raises(raw.RawDataError) as caught:
        raw.load_relations(figures, UNITS, path)
    assert "figures.csv, row 2 (line 3), column 'value': a percentage must lie in 0..100 unless relations.csv" in str(
        caught.value
    )


def test_a_change_below_minus_100_percent_is_refused(tmp_path):
    # Nothing falls by more than all of itself: -100% is the floor.
    figures = indexed([figure("now", "1"), figure("yoy", "-100.5", "%")])
    path = relations_file(tmp_path, [{"relation_id": "r", "kind": "change", "result": "yoy", "operands": "now"}])
    with pytest.raises(
        raw.RawDataError, match=r"row 2 \(line 3\), column 'value': a change \(同比/环比\) must be >= -100%"
    ):
        raw.load_relations(figures, UNITS, path)


def test_a_region_missing_from_regions_csv_names_file_row_column_and_rule(tmp_path):
    # Before: accepted silently, and a typo ('Bejing') started a new family of reports.
    path = tmp_path / "figures.csv"
    rows = read_rows(raw.paths.FIGURES_CSV)
    rows[2]["region"] = "Bejing"
    path.write_bytes(csv_bytes(rows, list(rows[0].keys())))
    with pytest.raises(raw.RawDataError) as caught:
        raw.load_figures(path)
    assert [(p.row, p.column, p.rule, p.value) for p in caught.value.problems] == [
        (3, "region", raw.UNLISTED_REGION, "Bejing")
    ]
    assert "figures.csv, row 3 (line 4), column 'region': must be a region listed in regions.csv" in str(caught.value)


def test_every_region_of_figures_csv_is_listed():
    assert set(raw.load_figures()["region"]) <= set(raw.load_regions()["region"])


def test_make_data_refuses_a_figure_in_an_unlisted_region(workspace):  # noqa: F811
    rows = read_rows(workspace / "data/raw/figures.csv")
    rows[0]["region"] = "Bejing"
    result = make_data_with(workspace, "data/raw/figures.csv", csv_bytes(rows, list(rows[0].keys())))
    assert "data/raw/figures.csv, row 1 (line 2), column 'region': must be a region listed in regions.csv" in (
        result.stderr
    )


def test_make_data_validates_exclusions_csv(workspace):  # noqa: F811
    # Before: make data never read exclusions.csv; a row with an unknown source passed until the finder ran.
    rows = read_rows(workspace / "data/raw/exclusions.csv")
    rows[1]["source_id"] = "nosuchpaper2020"
    rows[3]["reason"] = " "
    result = make_data_with(workspace, "data/raw/exclusions.csv", csv_bytes(rows, ["source_id", "locator", "reason"]))
    assert "data/raw/exclusions.csv, row 2 (line 3), column 'source_id': must be a source_id in sources.csv" in (
        result.stderr
    )
    assert "data/raw/exclusions.csv, row 4 (line 5), column 'reason': must not be blank" in result.stderr


def test_a_make_data_error_is_the_last_thing_make_says(workspace):  # noqa: F811
    # Before: every error ended with "No rule to make target 'build/data.stamp', needed by ...".
    rows = read_rows(workspace / "data/raw/figures.csv")
    rows[0]["unit"] = "斤"
    result = make_data_with(workspace, "data/raw/figures.csv", csv_bytes(rows, list(rows[0].keys())))
    assert "No rule to make target" not in result.stderr
    problem, last = result.stderr.strip().splitlines()[-2:]
    assert "column 'unit': must be a unit in units.csv" in problem
    assert re.match(r"make(\[\d+\])?: \*\*\* \[", last) and "build/data.stamp] Error 2" in last


def test_jin_has_one_reading_in_the_finder_and_the_tidy_tables():
    # 近10万名: the finder drafts `approximately`; the tidy tables read approximately 近 as 90,000 .. 100,000.
    (number,) = finder.find_numbers("近10万名对象", ["万名"])
    assert (number.qualifier, number.marker) == ("approximately", "近")
    assert tidy.printed_interval("10", 1e4, "count", number.qualifier, number.marker) == (90_000, 100_000)
    for marker in markers.MARKERS:
        assert finder.qualifier_of(marker.text) in markers.qualifiers_of(marker.text), marker
    assert finder.PREFIX_MARKERS is markers.PREFIX_MARKERS and finder.SUFFIX_MARKERS is markers.SUFFIX_MARKERS


def test_a_qualifier_contradicting_its_marker_names_file_row_column_and_rule(tmp_path):
    path = tmp_path / "figures.csv"
    rows = read_rows(raw.paths.FIGURES_CSV)
    index = next(i for i, r in enumerate(rows) if r["qualifier_marker"] == "近")
    rows[index]["qualifier"] = "at_most"  # the finder's old reading of 近
    path.write_bytes(csv_bytes(rows, list(rows[0].keys())))
    with pytest.raises(raw.RawDataError) as caught:
        raw.load_figures(path)
    assert f"figures.csv, row {index + 1} (line {index + 2}), column 'qualifier': {raw.MARKER_READING}" in str(
        caught.value
    )


def test_the_committed_tables_build(tmp_path):
    tables = catalogue.build_tables()
    assert set(tables["audit"]["verdict"]) <= set(audit.VERDICTS)


@pytest.mark.slow
def test_changing_synthetic_yml_plans_the_registry_and_its_reports_rebuilt(built_repository, tmp_path):
    """Before: mk/registry.mk listed only the generator's code, so a new synthetic.yml left a stale registry."""
    from conftest import copy_built

    root = copy_built(built_repository, tmp_path / "repo")
    config = root / "synthetic.yml"
    config.write_bytes(config.read_bytes() + b"\n# TEST: a changed assumption\n")
    result = make(root, "-n", "reports")
    assert "analysis.records.registry_synthetic" in result.stdout

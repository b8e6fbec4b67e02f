"""The researcher's loop on the SYNTHETIC call log (issue 27): an edited volume redraws only the months it changes,
and the aggregate validates and aggregates only the files that changed, with the result a full run gives."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from analysis.records import calllog, calllog_aggregate, calllog_synthetic

# TEST FIXTURES: three printed periods of a small log (calls per period), and a mix of two categories and districts.
PERIODS = {("2021-01-01", "2021-02-28"): 5900, ("2021-03-01", "2021-04-30"): 6100, ("2021-05-01", "2021-06-30"): 6100}
SETTINGS = {
    "categories": {"疫情防控": {"weight": 0, "satisfied": 0.8}, "其他": {"weight": 1, "satisfied": 0.9}},
    "surge_category": "疫情防控",
    "reference_category": "其他",
    "districts": {"东城区": 1, "西城区": 2},
}
WINDOW = ("2021-01-01", "2021-06-30")
MONTHS = [f"month=2021-0{m}/part-0.parquet" for m in range(1, 7)]


@pytest.fixture
def fixture_log(monkeypatch, tmp_path):
    """generate(log, periods): the generator on the fixture's periods instead of the published volumes."""
    monkeypatch.setattr(calllog_synthetic, "calibration", lambda: SETTINGS)
    monkeypatch.setattr(calllog_synthetic, "load_processed", lambda name: None)

    def generate(log, periods):
        monkeypatch.setattr(calllog_synthetic, "period_volumes", lambda published, settings: dict(periods))
        return calllog_synthetic.generate(log, 1.0)

    return generate


def inodes(log):
    return {part: (log / part).stat().st_ino for part in MONTHS}


def same_bytes(log, other):
    return all((log / part).read_bytes() == (other / part).read_bytes() for part in MONTHS)


def regenerate_edited(fixture_log, tmp_path, period, calls):
    """The log generated, then again with one period's calls edited: the log, its files' inodes before the edit, and
    whether its files are byte for byte those a run from nothing writes for the edited periods."""
    log = tmp_path / "hotline_calls_SYNTHETIC_t"
    fixture_log(log, PERIODS)
    before = inodes(log)
    edited = {**PERIODS, period: calls}
    fixture_log(log, edited)
    fresh = tmp_path / "fresh" / "hotline_calls_SYNTHETIC_t"
    fixture_log(fresh, edited)
    return log, before, same_bytes(log, fresh)


def test_an_edited_last_period_redraws_only_its_months(fixture_log, tmp_path):
    log, before, as_from_nothing = regenerate_edited(fixture_log, tmp_path, ("2021-05-01", "2021-06-30"), 6101)
    assert as_from_nothing
    after = inodes(log)
    # January to April are the files written before (linked, not drawn again); of May and June, only a month whose
    # days' volumes the extra call changed is drawn again (call ids are per month: none shifts in the other).
    redrawn = [part for part in MONTHS if after[part] != before[part]]
    assert redrawn and set(redrawn) <= set(MONTHS[4:])
    assert calllog.validate(log, WINDOW) == 5900 + 6100 + 6101


def test_an_edited_first_period_redraws_only_its_months(fixture_log, tmp_path):
    """Call ids are per month: one call more in January shifts no id of a later month, so March to June are kept."""
    log, before, as_from_nothing = regenerate_edited(fixture_log, tmp_path, ("2021-01-01", "2021-02-28"), 5901)
    assert as_from_nothing
    after = inodes(log)
    redrawn = [part for part in MONTHS if after[part] != before[part]]
    assert redrawn and set(redrawn) <= set(MONTHS[:2])
    assert calllog.validate(log, WINDOW) == 5901 + 6100 + 6100
    # Each month numbers its calls from 1 after its year and month: March's first call is 2021-03's call 1.
    assert pq.read_table(log / MONTHS[2])["call_id"][0].as_py() == 202103_000000001
    february = pq.read_table(log / MONTHS[1])["call_id"].to_pylist()
    assert february[0] == 202102_000000001 and february == list(
        range(202102_000000001, 202102_000000001 + len(february))
    )


def test_a_log_without_its_generation_record_is_drawn_whole(fixture_log, tmp_path):
    log = tmp_path / "hotline_calls_SYNTHETIC_t"
    fixture_log(log, PERIODS)
    before = inodes(log)
    calllog_synthetic.generation_path(log).unlink()
    fixture_log(log, PERIODS)
    assert all(inodes(log)[part] != before[part] for part in MONTHS)


def test_the_aggregate_by_file_equals_the_whole_log_query_and_reuses_unchanged_files(
    fixture_log, tmp_path, monkeypatch
):
    log = tmp_path / "hotline_calls_SYNTHETIC_t"
    fixture_log(log, PERIODS)
    vocabulary = calllog_synthetic.write_vocabulary(log)
    assert vocabulary.is_file()
    validated = []
    real_validate = calllog_aggregate.validate_file
    monkeypatch.setattr(
        calllog_aggregate,
        "validate_file",
        lambda log, file, *a: validated.append(file.parent.name) or real_validate(log, file, *a),
    )
    assert calllog_aggregate.build_by_file(log, WINDOW, tmp_path / "parts").equals(calllog_aggregate.build(log, WINDOW))
    assert len(validated) == 6
    validated.clear()
    fixture_log(log, {**PERIODS, ("2021-05-01", "2021-06-30"): 6099})
    assert calllog_aggregate.build_by_file(log, WINDOW, tmp_path / "parts").equals(calllog_aggregate.build(log, WINDOW))
    validated.clear()
    calllog_aggregate.build_by_file(log, WINDOW, tmp_path / "parts")
    assert validated == []  # nothing changed since: nothing read again
    before = inodes(log)
    fixture_log(log, {**PERIODS, ("2021-05-01", "2021-06-30"): 6000})
    redrawn = [part.split("/")[0] for part in MONTHS if inodes(log)[part] != before[part]]
    assert redrawn and set(redrawn) <= {"month=2021-05", "month=2021-06"}
    assert calllog_aggregate.build_by_file(log, WINDOW, tmp_path / "parts").equals(calllog_aggregate.build(log, WINDOW))
    assert sorted(validated) == redrawn  # computed on every core: in any order
    # Only the current files' parts are kept (a summary and a table each): the replaced files' parts are removed.
    assert len(list((tmp_path / "parts").iterdir())) == 2 * 6


def test_a_changed_file_is_validated_again(fixture_log, tmp_path, monkeypatch):
    """A kept summary never hides a bad record: a file rewritten with a duplicate call id fails the build."""
    log = tmp_path / "hotline_calls_SYNTHETIC_t"
    fixture_log(log, PERIODS)
    calllog_aggregate.build_by_file(log, WINDOW, tmp_path / "parts")
    march = log / MONTHS[2]
    table = pq.read_table(march)
    ids = table["call_id"].to_pylist()
    ids[1] = ids[0]
    march.unlink()  # a new file (as an export is replaced), not the linked one written to
    pq.write_table(table.set_column(0, "call_id", __import__("pyarrow").array(ids, "int64")), march)
    with pytest.raises(calllog.RawDataError, match="month=2021-03/part-0.parquet.*record 2.*call_id"):
        calllog_aggregate.build_by_file(log, WINDOW, tmp_path / "parts")


def test_the_log_and_its_aggregate_are_brought_up_to_date_in_one_process(fixture_log, tmp_path, monkeypatch):
    """`calllog_aggregate generate` (the full log's make recipe): the log regenerated, then its cached aggregate, equal
    to one query over the whole new log; the aggregate's own step afterwards finds it current and computes nothing."""
    monkeypatch.setattr(calllog_aggregate.paths, "SYNTHETIC", tmp_path / "synthetic")
    monkeypatch.setattr(calllog_aggregate.paths, "PROCESSED", tmp_path / "processed")
    monkeypatch.setattr(calllog_aggregate, "calibration", lambda: {**SETTINGS, "window": list(WINDOW)})
    log = calllog_aggregate.paths.synthetic_calllog("full")
    for periods, total in ((PERIODS, 5900 + 6100 + 6100), ({**PERIODS, ("2021-03-01", "2021-04-30"): 6111}, 18111)):
        monkeypatch.setattr(calllog_synthetic, "period_volumes", lambda published, settings, p=periods: dict(p))
        calllog_aggregate.generate_and_aggregate("full")
        cache = calllog_aggregate.paths.calllog_aggregate(log)
        kept = pq.read_table(cache)
        assert kept.equals(calllog_aggregate.calllog_duckdb.aggregate(log))  # the whole new log, queried at once
        assert sum(kept["calls"].to_pylist()) == total  # the fixture's periods, as printed
        with monkeypatch.context() as patch:
            patch.setattr(calllog_aggregate, "build", lambda *a: pytest.fail("the aggregate was computed again"))
            assert calllog_aggregate.cached_aggregate(log, WINDOW) == cache

"""The call log: a calibrated deterministic partitioned generator, clear errors on bad records, a cached aggregate
that DuckDB and Dask compute byte for byte alike."""

from __future__ import annotations

import os
import pickle
from datetime import datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.evidence import raw
from analysis.records import calllog, calllog_aggregate, calllog_duckdb, calllog_synthetic, vocabulary
from analysis.topics import calllog as calllog_stats

SCALE = calllog_synthetic.SCALES["small"]


WINDOW = ("2019-01-01", "2022-08-31")


@pytest.fixture(scope="module")
def small_log(tmp_path_factory):
    path = tmp_path_factory.mktemp("calllog") / "hotline_calls_SYNTHETIC_small"
    calllog_synthetic.generate(path, SCALE)
    return path


@pytest.fixture(scope="module")
def scheduler():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def test_generator_is_deterministic(small_log, tmp_path):
    again = tmp_path / "again"
    calllog_synthetic.generate(again, SCALE)
    files = [file.relative_to(small_log) for file in calllog.dataset_files(small_log)]
    assert files == [file.relative_to(again) for file in calllog.dataset_files(again)]
    assert all((small_log / file).read_bytes() == (again / file).read_bytes() for file in files)


def test_generator_writes_one_partition_per_month(small_log):
    months = sorted(path.name for path in small_log.iterdir())
    assert months[0] == "month=2019-01" and months[-1] == "month=2022-08" and len(months) == 44
    assert [file.relative_to(small_log).as_posix() for file in calllog.dataset_files(small_log)][:2] == [
        "month=2019-01/part-0.parquet",
        "month=2019-02/part-0.parquet",
    ]
    files = calllog.dataset_files(small_log)
    assert calllog.validate(small_log, WINDOW) == sum(pq.ParquetFile(file).metadata.num_rows for file in files)


def test_published_volumes_are_reproduced_exactly_at_scale(small_log):
    days = pq.read_table(small_log, columns=["received_at"]).column(0).to_pandas().dt.floor("D")
    per_day = days.value_counts()
    assert per_day[(per_day.index >= "2021-01-01") & (per_day.index <= "2021-12-31")].sum() == round(14_860_000 * SCALE)
    assert per_day[(per_day.index >= "2022-01-01") & (per_day.index <= "2022-06-30")].sum() == round(22_530_000 * SCALE)
    assert len(days) >= 64_000_000 * SCALE


def test_epidemic_control_surges_in_2022_and_weekends_are_quieter(small_log):
    log = pq.read_table(small_log, columns=["received_at", "category"]).to_pandas()
    year = log["received_at"].dt.year
    epidemic = log["category"].astype(str) == "疫情防控"
    assert epidemic[year == 2022].mean() > 3 * epidemic[year == 2021].mean()
    assert epidemic[year == 2019].sum() == 0
    weekend = log["received_at"].dt.day_of_week >= 5
    assert weekend.mean() < 2 / 7


def test_aggregate_equals_a_pandas_groupby(small_log):
    log = pq.read_table(small_log).to_pandas()
    log["day"] = log["received_at"].dt.date
    expected = (
        log.groupby(["day", log["category"].astype(str), log["district"].astype(str)])
        .agg(
            calls=("call_id", "size"),
            rated=("satisfaction", "count"),
            satisfied=("satisfaction", "sum"),
            resolved=("resolved", "sum"),
        )
        .reset_index()
    )
    got = calllog_duckdb.aggregate(small_log).to_pandas()
    assert calllog_duckdb.aggregate(small_log).schema == calllog_duckdb.AGGREGATE_SCHEMA
    assert "call_id" not in got.columns
    assert len(got) == len(expected)
    for column in ("calls", "rated", "satisfied", "resolved"):
        assert got[column].sum() == expected[column].sum()
    merged = got.merge(expected, on=["day", "category", "district"], suffixes=("", "_pandas"))
    assert len(merged) == len(got)
    for column in ("calls", "rated", "satisfied", "resolved"):
        assert (merged[column] == merged[f"{column}_pandas"]).all()


def copy_log(source, target):
    for file in calllog.dataset_files(source):
        (target / file.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
        (target / file.relative_to(source)).write_bytes(file.read_bytes())
    vocabulary.path_for(target).write_bytes(vocabulary.path_for(source).read_bytes())
    return target


def test_the_synthetic_log_has_its_labelled_vocabulary_beside_it(small_log):
    path = vocabulary.path_for(small_log)
    assert path.name == "hotline_calls_SYNTHETIC_small.vocabulary.yml"
    assert path.read_text(encoding="utf-8").startswith("# SYNTHETIC vocabulary")
    vocab = calllog.load_vocabulary(small_log)
    assert vocab.label == "SYNTHETIC"
    # Every category and district the log holds is listed (the validation above already says so), and more:
    log = pq.read_table(small_log, columns=["category", "district"]).to_pandas()
    assert set(log["category"].astype(str)) <= set(vocab.values("category"))
    assert set(log["district"].astype(str)) == set(vocab.values("district"))


def test_cache_is_reused_until_the_log_changes(small_log, monkeypatch, tmp_path):
    log = copy_log(small_log, tmp_path / "hotline_calls_SYNTHETIC_small")
    monkeypatch.setattr(calllog_aggregate.paths, "PROCESSED", tmp_path / "processed")
    cache = calllog_aggregate.cached_aggregate(log)
    written = cache.stat().st_mtime_ns
    calls = []
    monkeypatch.setattr(
        calllog_aggregate, "build", lambda *args: calls.append(args) or calllog_duckdb.AGGREGATE_SCHEMA.empty_table()
    )
    assert calllog_aggregate.cached_aggregate(log).stat().st_mtime_ns == written
    assert calls == []
    part = calllog.dataset_files(log)[5]
    os.utime(part, ns=(written + 10**9, written + 10**9))  # one partition changed
    calllog_aggregate.cached_aggregate(log)
    assert len(calls) == 1


def test_cache_is_recomputed_when_the_sql_or_the_window_changes(small_log, monkeypatch, tmp_path):
    log = copy_log(small_log, tmp_path / "hotline_calls_SYNTHETIC_small")
    monkeypatch.setattr(calllog_aggregate.paths, "PROCESSED", tmp_path / "processed")
    calllog_aggregate.cached_aggregate(log, WINDOW)
    monkeypatch.setattr(
        calllog_duckdb,
        "AGGREGATE_SQL",
        calllog_duckdb.AGGREGATE_SQL.replace("count(*) AS calls", "count(call_id) AS calls"),
    )
    calls = []
    monkeypatch.setattr(
        calllog_aggregate, "build", lambda *args: calls.append(args) or calllog_duckdb.AGGREGATE_SCHEMA.empty_table()
    )
    calllog_aggregate.cached_aggregate(log, WINDOW)
    calllog_aggregate.cached_aggregate(log, WINDOW)
    assert len(calls) == 1
    calllog_aggregate.cached_aggregate(log, ("2019-01-01", "2022-12-31"))
    assert len(calls) == 2


def test_engines_write_byte_identical_aggregates(small_log, scheduler, monkeypatch, tmp_path):
    written = {}
    for engine in ("duckdb", "dask"):
        monkeypatch.setattr(calllog_aggregate.paths, "PROCESSED", tmp_path / engine)
        written[engine] = calllog_aggregate.cached_aggregate(small_log, WINDOW, engine, scheduler).read_bytes()
    by_partition = tmp_path / "by_partition.parquet"
    calllog_aggregate.write_aggregate(calllog_duckdb.aggregate_by_partition(small_log, WINDOW), by_partition)
    assert written["duckdb"] == written["dask"] == by_partition.read_bytes()
    assert pq.read_table(tmp_path / "dask" / "calllog_daily_hotline_calls_SYNTHETIC_small.parquet")[
        "calls"
    ].to_numpy().sum() == calllog.validate(small_log)


def test_dask_scheduler_address_comes_from_the_environment(small_log, scheduler, monkeypatch):
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", scheduler)
    assert calllog_aggregate.build(small_log, WINDOW, "dask").equals(calllog_duckdb.aggregate(small_log))


# TEST vocabulary of the logs below: the categories and districts they use.
TEST_VOCABULARY = """\
columns:
  category: {values: [住房物业, 教育, 其他], reference: 其他}
  district: {values: [海淀区, 朝阳区, 东城区]}
"""
LISTED = "must be one of the 3 values listed for it in export.vocabulary.yml"


def write_vocabulary(log):
    vocabulary.path_for(log).write_text(TEST_VOCABULARY, encoding="utf-8")
    return log


def write_log(path, **changes):
    rows = {
        "call_id": [1, 2, 3],
        "received_at": [datetime(2021, 5, 1, 9), datetime(2021, 5, 1, 10), datetime(2021, 5, 2, 11)],
        "category": ["住房物业", "教育", "其他"],
        "district": ["海淀区", "朝阳区", "东城区"],
        "resolved": [True, False, True],
        "satisfaction": [1, None, 0],
    }
    rows.update(changes)
    table = pa.table({k: v for k, v in rows.items() if v is not None})
    if "category" in table.column_names and pa.types.is_string(table["category"].type):
        table = table.set_column(
            table.column_names.index("category"), "category", table["category"].dictionary_encode()
        )
    pq.write_table(table, path)
    return path


BAD_LOGS = {
    "unknown category": (
        {"category": ["住房物业", "天气", "其他"]},
        f"record 2, column 'category': {LISTED} (住房物业, 教育, 其他)",
    ),
    "unknown district": (
        {"district": ["海淀区", "朝阳区", "浦东新区"]},
        f"record 3, column 'district': {LISTED} (海淀区, 朝阳区, 东城区)",
    ),
    "satisfaction out of range": (
        {"satisfaction": [1, 5, 0]},
        "record 2, column 'satisfaction': must be 0, 1 or empty",
    ),
    "call outside the window": (
        {"received_at": [datetime(2021, 5, 1), datetime(2018, 1, 1), datetime(2021, 5, 2)]},
        "record 2, column 'received_at': must lie between 2019-01-01 and 2022-08-31",
    ),
    "duplicate call id": ({"call_id": [1, 2, 2]}, "record 3, column 'call_id': must be unique and increasing"),
    "missing resolved flag": ({"resolved": [True, None, True]}, "record 2, column 'resolved': must not be empty"),
    "missing column": ({"district": None}, "column 'district': required column is missing"),
    "wrong type": ({"call_id": ["a", "b", "c"]}, "column 'call_id': must be of type int64"),
}


@pytest.mark.parametrize("case", BAD_LOGS, ids=list(BAD_LOGS))
def test_bad_records_name_file_record_field_and_rule(tmp_path, case):
    changes, message = BAD_LOGS[case]
    path = write_vocabulary(write_log(tmp_path / "export.parquet", **changes))
    with pytest.raises(raw.RawDataError) as caught:
        calllog.validate(path, ("2019-01-01", "2022-08-31"))
    assert f"export.parquet, {message}" in str(caught.value)


def test_a_good_log_validates(tmp_path):
    assert calllog.validate(write_vocabulary(write_log(tmp_path / "export.parquet"))) == 3


def test_a_single_file_log_is_cached_like_a_dataset(monkeypatch, tmp_path):
    monkeypatch.setattr(calllog_aggregate.paths, "PROCESSED", tmp_path / "processed")
    cache = calllog_aggregate.cached_aggregate(write_vocabulary(write_log(tmp_path / "export.parquet")), WINDOW)
    assert cache.name == "calllog_daily_export.parquet"
    assert pq.read_table(cache)["calls"].to_pylist() == [1, 1, 1]


def write_dataset(log, bad_part=None, **changes):
    """A three-partition log, the second of two files; `changes` go to the `bad_part` file."""
    days = {
        "month=2021-04/part-0.parquet": datetime(2021, 4, 3, 9),
        "month=2021-05/part-0.parquet": datetime(2021, 5, 1, 9),
        "month=2021-05/part-1.parquet": datetime(2021, 5, 20, 9),
    }
    for number, (part, day) in enumerate(days.items()):
        (log / part).parent.mkdir(parents=True, exist_ok=True)
        rows = {"call_id": [3 * number + 1, 3 * number + 2, 3 * number + 3], "received_at": [day, day, day]}
        write_log(log / part, **{**rows, **(changes if part == bad_part else {})})
    return write_vocabulary(log)


BAD_PARTITIONS = {
    "unknown district": (
        {"district": ["海淀区", "浦东新区", "东城区"]},
        "record 2, column 'district': must be one of the 3 values listed for it in export.vocabulary.yml",
    ),
    "call id not above the previous partition's": (
        {"call_id": [5, 10, 11]},
        "record 1, column 'call_id': must be unique and increasing",
    ),
}


@pytest.mark.parametrize("engine", ["duckdb", "dask"])
@pytest.mark.parametrize("case", BAD_PARTITIONS, ids=list(BAD_PARTITIONS))
def test_a_bad_record_in_one_partition_names_that_file_and_leaves_the_cache(
    tmp_path, monkeypatch, scheduler, engine, case
):
    monkeypatch.setattr(calllog_aggregate.paths, "PROCESSED", tmp_path / "processed")
    log = write_dataset(tmp_path / "export")
    cache = calllog_aggregate.cached_aggregate(log, WINDOW, engine, scheduler)
    before = cache.read_bytes()
    changes, message = BAD_PARTITIONS[case]
    write_dataset(log, "month=2021-05/part-1.parquet", **changes)
    with pytest.raises(raw.RawDataError) as caught:
        calllog_aggregate.cached_aggregate(log, WINDOW, engine, scheduler)
    assert f"month=2021-05/part-1.parquet, {message}" in str(caught.value)
    assert cache.read_bytes() == before
    assert sorted(path.name for path in cache.parent.iterdir()) == sorted([cache.name, cache.with_suffix(".json").name])


def test_the_validation_error_survives_pickling():
    error = raw.RawDataError(
        [raw.Problem("month=2021-05/part-0.parquet", 2, "district", "must be one of the 3 values", in_csv=False)]
    )
    assert str(pickle.loads(pickle.dumps(error))) == str(error)


def test_satisfaction_cells_under_ten_are_suppressed():
    # 教育: 9 rated < 10. 交通出行: 200 rated but 195 satisfied, so 200 - 195 = 5 unsatisfied < 10 (its share
    # 97.5% and 200 would give the 5 back). 其他: 200 rated, 150 satisfied, 50 not: estimated, 150 / 200 = 0.75.
    daily = pd.DataFrame({"category": ["教育", "交通出行", "其他"], "rated": [9, 200, 200], "satisfied": [9, 195, 150]})
    table = calllog_stats.satisfaction_by_category(daily).set_index("category")
    for hidden in ("教育", "交通出行"):
        assert table.loc[hidden, "rated"] == "x" and pd.isna(table.loc[hidden, "satisfied_share"])
    assert table.loc["其他", "satisfied_share"] == pytest.approx(0.75)


def test_monthly_growth_hides_a_small_month_and_every_rate_on_it():
    monthly = pd.Series([100, 5, 200, 300], index=pd.date_range("2021-01-01", periods=4, freq="MS"))
    shown = calllog_stats.growth_shown(calllog_stats.growth(monthly).reset_index())
    # February (5 calls) is hidden; its own rate (5 / 100 - 1) and March's (200 / 5 - 1), which with 200
    # would give 5 back, are blanked; April's 300 / 200 - 1 = 0.5 stays.
    assert list(shown["calls"]) == [100, "x", 200, 300]
    assert shown["month_on_month"].iloc[1] == "" and shown["month_on_month"].iloc[2] == ""
    assert shown["month_on_month"].iloc[3] == pytest.approx(0.5)


def test_a_month_by_category_cell_under_ten_is_hidden_with_one_more_of_its_month():
    months = pd.date_range("2021-01-01", periods=2, freq="MS")
    calls = pd.DataFrame({"a": [100, 5], "b": [50, 60], "c": [300, 20]}, index=months)
    shown = calllog_stats.calls_by_month_and_category_shown(calls)
    # February: 5 < 10; its total 85 is drawn (decomposition), so the smallest other cell, 20 (c), goes too.
    assert shown.loc[months[1]].isna().tolist() == [True, False, True]
    assert shown.loc[months[0]].tolist() == [100, 50, 300]


def test_seasonal_naive_is_exact_on_a_purely_weekly_series():
    index = pd.date_range("2021-01-04", periods=7 * 30, freq="D")
    series = pd.Series(np.tile([100, 120, 130, 125, 110, 60, 50], 30).astype(float), index=index)
    _, scores = calllog_stats.forecast_against_naive(series, holdout_days=14)
    assert scores["naive_mae"] == 0
    assert scores["ets_mape"] < 0.05


def test_a_corrupt_parquet_file_is_named_with_its_path(tmp_path):
    path = tmp_path / "export.parquet"
    path.write_bytes(b"not parquet at all")
    write_vocabulary(path)
    with pytest.raises(raw.RawDataError, match="export.parquet: is not a readable Parquet file"):
        calllog.validate(path)


def test_validation_messages_carry_no_record_values(tmp_path):
    path = write_log(tmp_path / "export.parquet", category=["住房物业", "天气", "其他"], call_id=[11, 22, 33])
    write_vocabulary(path)
    with pytest.raises(raw.RawDataError) as caught:
        calllog.validate(path)
    assert "天气" not in str(caught.value) and "22" not in str(caught.value)


def log_findings_in(lang: str, better: bool, synthetic: bool = False):
    """The log's findings on a small fixed result (TEST FIXTURES, not a generated log), in `lang`."""
    from analysis import language

    daily = pd.DataFrame({"calls": [1_234_567, 20]})
    check = pd.DataFrame({"holds": [True, False, True], "figure_id": ["a", "b", "c"]})
    by_category = pd.DataFrame({"category": ["教育", "其他", "医疗"], "satisfied_share": [None, 0.8, 0.7123]})
    scores = {"ets_mape": 0.05 if better else 0.2, "naive_mape": 0.1}
    with language.using(lang):
        return calllog_stats.log_findings(daily, check, scores, by_category, "SYNTHETIC · ", synthetic)


@pytest.mark.parametrize("better", [True, False])
def test_log_findings_in_chinese_carry_the_same_numbers_and_keys(better):
    from test_satisfaction import assert_same_in_chinese

    english, english_keys = log_findings_in("en", better)
    chinese, chinese_keys = log_findings_in("zh", better)
    assert [f.figure_ids for f in english] == [f.figure_ids for f in chinese]
    english, chinese = [f.text for f in english], [f.text for f in chinese]
    # Checks that hold: True, False, True -> 2 of 3.
    assert english[0] == "SYNTHETIC · The log reproduces 2 of 3 published volume checks."
    assert english[2] == "SYNTHETIC · 医疗 calls satisfy least (71.2%)."
    assert english_keys[0].display == "1,234,587" and chinese_keys[0].display == "123.46万"  # 1,234,567 + 20
    assert_same_in_chinese(english, chinese)
    assert_same_in_chinese([k.label for k in english_keys], [k.label for k in chinese_keys])
    assert chinese[2] == "SYNTHETIC · 医疗类来电的满意率最低（71.2%）。"
    assert [(k.key, k.value) for k in english_keys] == [(k.key, k.value) for k in chinese_keys]


def test_log_numbers_cite_only_the_figures_they_rest_on():
    findings, key_numbers = log_findings_in("en", better=True)
    cited = {k.key: k.figure_ids for k in key_numbers}
    # Only the volume check rests on the printed volumes; the total, the forecast errors and the
    # satisfaction share rest on the log (the report names its data set).
    assert cited.pop("published") == ("a", "b", "c")
    assert all(ids == () for ids in cited.values())
    assert findings[0].figure_ids == ("a", "b", "c") and all(f.figure_ids == () for f in findings[1:])


def test_on_a_synthetic_log_the_volume_check_is_calibration_not_a_finding():
    findings, key_numbers = log_findings_in("en", better=True, synthetic=True)
    assert not any("reproduces" in f.text for f in findings)
    assert "published" not in [k.key for k in key_numbers]


def rated_cells(rho: float, ratings: int = 50, districts: int = 20, days: int = 100, seed: int = 25) -> pd.DataFrame:
    """TEST FIXTURE daily aggregate: two categories, `ratings` rated calls a category in each district-day. Each
    district-day moves each category's satisfied share up or down by d = √(ρ·p(1 − p)) (a fair coin), so ratings
    of one district-day correlate with intraclass correlation ρ (the between-cell variance d² over p(1 − p))."""
    rng = np.random.default_rng(seed)
    district, day = np.meshgrid(np.arange(districts), np.arange(days), indexing="ij")
    parts = []
    for category, share in (("其他", 0.8), ("交通出行", 0.7)):
        shift = np.sqrt(rho * share * (1 - share)) * rng.choice([-1.0, 1.0], size=(districts, days))
        parts.append(
            pd.DataFrame(
                {
                    "day": pd.Timestamp("2023-01-01") + pd.to_timedelta(day.ravel(), unit="D"),
                    "category": category,
                    "district": [f"区{d}" for d in district.ravel()],
                    "calls": ratings,
                    "rated": ratings,
                    "satisfied": rng.binomial(ratings, share + shift).ravel(),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


@pytest.mark.parametrize("rho", [0.0, 0.05])
def test_satisfaction_odds_ratios_are_clustered_by_district_day(rho):
    # The estimate is the unclustered fit's: category alone in the model, so the odds ratio is the ratio of the
    # observed odds over all cells (a 2 × 2 table), whose naive standard error is Woolf's √(1/a + 1/b + 1/c + 1/d).
    daily = rated_cells(rho)
    totals = daily.groupby("category")[["rated", "satisfied"]].sum()
    sat, unsat = totals["satisfied"], totals["rated"] - totals["satisfied"]
    observed = (sat["交通出行"] / unsat["交通出行"]) / (sat["其他"] / unsat["其他"])
    naive_se = np.sqrt((1 / sat + 1 / unsat).sum())
    (row,) = calllog_stats.satisfaction_glm(daily, "其他").itertuples()
    assert row.term == "交通出行" and row.odds_ratio == pytest.approx(observed, rel=1e-9)
    # Each cell's 50 ratings share their district-day's shift: the variance of a cell's share is inflated by the
    # design effect 1 + (m − 1)ρ = 1 + 49 × 0.05 = 3.45, so the standard errors by √3.45 = 1.86 (1 without
    # the shift). Estimated from 2,000 district-days: within 10%.
    assert row.se_ratio == pytest.approx(np.sqrt(1 + 49 * rho), rel=0.10)
    z = 1.959963984540054
    assert (row.low, row.high) == (
        pytest.approx(observed * np.exp(-z * row.se_ratio * naive_se), rel=1e-6),
        pytest.approx(observed * np.exp(z * row.se_ratio * naive_se), rel=1e-6),
    )
    naive_low, naive_high = observed * np.exp(-z * naive_se), observed * np.exp(z * naive_se)
    if rho:
        assert row.low < naive_low and row.high > naive_high  # the naive interval is too narrow


def records_odds_ratios(log, reference):
    """Each category's odds ratio of satisfaction against `reference`, from the log's records (not its aggregate):
    category alone in the model, the binomial GLM's estimate is the ratio of the observed odds."""
    records = pq.read_table(log, columns=["category", "satisfaction"]).to_pandas()
    rated = records.dropna(subset=["satisfaction"])
    sat = rated.groupby(rated["category"].astype(str))["satisfaction"].sum()
    unsat = rated.groupby(rated["category"].astype(str))["satisfaction"].count() - sat
    odds = sat / unsat
    return (odds / odds[reference]).drop(reference)


def daily_of(log):
    daily = calllog_duckdb.aggregate(log).to_pandas()
    return daily.assign(day=pd.to_datetime(daily["day"]))


def test_a_shared_fit_is_computed_once_and_again_when_a_partition_changes(small_log, tmp_path, monkeypatch):
    log = copy_log(small_log, tmp_path / "hotline_calls_SYNTHETIC_small")
    reference = calllog.load_vocabulary(log).reference("category")
    store = tmp_path / "shared"
    fits = []
    fit = calllog_stats.satisfaction_glm
    monkeypatch.setattr(calllog_stats, "satisfaction_glm", lambda *a: fits.append(a) or fit(*a))
    first = calllog_stats.computed_once(calllog_stats.satisfaction_glm, daily_of(log), reference, store=store)
    again = calllog_stats.computed_once(calllog_stats.satisfaction_glm, daily_of(log), reference, store=store)
    assert len(fits) == 1 and again.equals(first)  # the second report reads the first one's, exactly
    expected = records_odds_ratios(log, reference)
    assert dict(zip(first["term"], first["odds_ratio"])) == pytest.approx(expected.to_dict(), rel=1e-8)
    # One partition really changed: a month's rated calls all marked satisfied (its file rewritten).
    part = calllog.dataset_files(log)[30]
    table = pq.read_table(part)
    rated = pa.compute.is_valid(table["satisfaction"])
    satisfied = pa.compute.if_else(rated, pa.scalar(1, pa.int8()), pa.scalar(None, pa.int8()))
    pq.write_table(table.set_column(table.schema.get_field_index("satisfaction"), "satisfaction", satisfied), part)
    changed = calllog_stats.computed_once(calllog_stats.satisfaction_glm, daily_of(log), reference, store=store)
    assert len(fits) == 2
    changed_expected = records_odds_ratios(log, reference)
    assert dict(zip(changed["term"], changed["odds_ratio"])) == pytest.approx(changed_expected.to_dict(), rel=1e-8)
    assert not changed["odds_ratio"].equals(first["odds_ratio"])
    assert len(list(store.glob("*.pickle"))) == 2  # the older aggregate's is kept too, under its own key


def test_a_process_asking_while_another_computes_waits_and_reads_its_result(tmp_path):
    import threading
    import time

    calls = []

    def slow_total(series):
        calls.append(1)
        time.sleep(0.5)
        return float(series.sum())

    series = pd.Series([1.0, 2.0, 4.0], index=pd.date_range("2021-01-01", periods=3), name="calls")
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(calllog_stats.computed_once(slow_total, series, store=tmp_path)))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [7.0, 7.0] and len(calls) == 1
    other = series.copy()
    other.iloc[2] = 5.0  # another content, another key
    assert calllog_stats.computed_once(slow_total, other, store=tmp_path) == 8.0 and len(calls) == 2

"""Record-level hotline call log: Parquet schema and validation, a SYNTHETIC generator, cached aggregates.

Usage: python -m analysis.calllog generate full|small | aggregate full|small
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from analysis import paths
from analysis.atomic import atomic_path, write_text
from analysis.raw import Problem, RawDataError

SEED = 12345
START, END = "2019-01-01", "2022-08-31"  # the reform's start to the latest end of the '3年多' window
CATEGORIES = ("疫情防控", "住房物业", "城市管理", "交通出行", "市场监管", "劳动社保", "医疗卫生", "教育", "其他")
DISTRICTS = ("东城区", "西城区", "朝阳区", "丰台区", "石景山区", "海淀区", "门头沟区", "房山区", "通州区",
             "顺义区", "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区")
# Resident population by district (10,000s, 2020 census rounded): calls are drawn in proportion.
DISTRICT_WEIGHTS = np.array([71, 111, 345, 202, 57, 313, 39, 131, 184, 132, 227, 199, 44, 46, 53, 35], float)
# Exact period volumes. 2021 and the first half of 2022 are the published figures; the others are the
# generator's choice, set so that the whole window clears the published lower bound of 64,000,000.
PERIOD_VOLUMES = {
    ("2019-01-01", "2019-12-31"): 9_000_000,
    ("2020-01-01", "2020-12-31"): 11_600_000,
    ("2021-01-01", "2021-12-31"): 14_860_000,
    ("2022-01-01", "2022-06-30"): 22_530_000,
    ("2022-07-01", "2022-08-31"): 6_200_000,
}
PUBLISHED_CUMULATIVE_AT_LEAST = 64_000_000
SCALES = {"full": 1.0, "small": 0.001}
SATISFACTION_RESPONSE = 0.6  # share of calls whose caller rated the handling
SATISFIED_BY_CATEGORY = dict(zip(CATEGORIES, (0.86, 0.78, 0.84, 0.88, 0.9, 0.83, 0.87, 0.89, 0.91)))

SCHEMA = pa.schema([
    ("call_id", pa.int64()),
    ("received_at", pa.timestamp("s")),
    ("category", pa.dictionary(pa.int8(), pa.string())),
    ("district", pa.dictionary(pa.int8(), pa.string())),
    ("resolved", pa.bool_()),
    ("satisfaction", pa.int8()),  # 1 satisfied, 0 not satisfied, null: not rated
])


def synthetic_log(size: str) -> Path:
    """Where the SYNTHETIC log of a size lives."""
    return paths.SYNTHETIC / f"hotline_calls_SYNTHETIC_{size}.parquet"


def aggregate_cache(log: Path) -> Path:
    """Where a log's cached daily aggregate lives."""
    return paths.PROCESSED / f"calllog_daily_{log.stem}.parquet"


def resolve(log_path: str | None, size: str = "full") -> tuple[Path, bool]:
    """The log a report reads (relative to the repository) and whether it is SYNTHETIC."""
    if log_path is None:
        return synthetic_log(size), True
    path = paths.ROOT / log_path
    return path, "SYNTHETIC" in path.name


def _days(start: str, end: str) -> list[date]:
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _day_weight(day: date) -> float:
    """Relative volume of a day: fewer calls at weekends, a summer and a January peak, the 2022 surge."""
    weekly = 0.78 if day.weekday() >= 5 else 1.0
    day_of_year = day.timetuple().tm_yday
    yearly = 1 + 0.12 * np.cos(2 * np.pi * (day_of_year - 200) / 365.25) + 0.06 * np.cos(4 * np.pi * day_of_year / 365.25)
    surge = 1 + (1.6 * np.exp(-((day - date(2022, 5, 10)).days / 28) ** 2) if day.year == 2022 else 0)
    return float(weekly * yearly * surge)


def daily_volumes(scale: float) -> dict[date, int]:
    """Calls per day, summing exactly to each period's (scaled) volume by largest remainders."""
    volumes = {}
    for (start, end), total in PERIOD_VOLUMES.items():
        days = _days(start, end)
        weights = np.array([_day_weight(d) for d in days])
        target = int(round(total * scale))
        raw = weights / weights.sum() * target
        counts = np.floor(raw).astype(int)
        counts[np.argsort(-(raw - counts), kind="stable")[: target - counts.sum()]] += 1
        volumes.update(zip(days, counts.tolist()))
    return volumes


def _category_mix(day: date) -> np.ndarray:
    """Category probabilities: epidemic-control calls appear in 2020 and surge in 2022."""
    epidemic = {2019: 0.0, 2020: 0.18, 2021: 0.08, 2022: 0.40 if day.month <= 6 else 0.25}[day.year]
    base = np.array([0, 0.22, 0.17, 0.12, 0.12, 0.1, 0.09, 0.07, 0.11])
    mix = base / base.sum() * (1 - epidemic)
    mix[0] = epidemic
    return mix


def _month_table(days: list[date], volumes: dict[date, int], first_id: int, rng: np.random.Generator) -> pa.Table:
    counts = np.array([volumes[d] for d in days])
    n = int(counts.sum())
    day_index = np.repeat(np.arange(len(days)), counts)
    seconds = (np.array([np.datetime64(d, "s").astype(np.int64) for d in days])[day_index]
               + np.clip(rng.normal(13.5 * 3600, 4 * 3600, n), 0, 86399).astype(np.int64))
    category = np.empty(n, np.int8)
    for i, d in enumerate(days):
        where = day_index == i
        category[where] = rng.choice(len(CATEGORIES), int(where.sum()), p=_category_mix(d))
    district = rng.choice(len(DISTRICTS), n, p=DISTRICT_WEIGHTS / DISTRICT_WEIGHTS.sum()).astype(np.int8)
    satisfied_p = np.array([SATISFIED_BY_CATEGORY[c] for c in CATEGORIES])[category]
    rated = rng.random(n) < SATISFACTION_RESPONSE
    satisfaction = pa.array((rng.random(n) < satisfied_p).astype(np.int8), mask=~rated)
    return pa.table({
        "call_id": pa.array(np.arange(first_id, first_id + n, dtype=np.int64)),
        "received_at": pa.array(seconds, pa.timestamp("s")),
        "category": pa.DictionaryArray.from_arrays(pa.array(category), pa.array(CATEGORIES)),
        "district": pa.DictionaryArray.from_arrays(pa.array(district), pa.array(DISTRICTS)),
        "resolved": pa.array(rng.random(n) < 0.93),
        "satisfaction": satisfaction,
    }, schema=SCHEMA)


def generate(path: Path, scale: float, seed: int = SEED) -> int:
    """Write the SYNTHETIC log month by month (one row group each, bounded memory); return its rows."""
    volumes = daily_volumes(scale)
    months: dict[tuple[int, int], list[date]] = {}
    for day in volumes:
        months.setdefault((day.year, day.month), []).append(day)
    written = 0
    with atomic_path(path) as tmp:
        with pq.ParquetWriter(tmp, SCHEMA, compression="zstd") as writer:
            for (year, month), days in sorted(months.items()):
                rng = np.random.default_rng([seed, year, month])  # each month reproducible on its own
                table = _month_table(days, volumes, written + 1, rng)
                writer.write_table(table, row_group_size=len(table) or 1)
                written += len(table)
    return written


def check_columns(path: Path) -> None:
    """Refuse a log whose columns or types differ from SCHEMA (read from the Parquet footer only)."""
    name = path.name
    file = pq.ParquetFile(path)
    expected = {f.name: f.type for f in SCHEMA}
    found = {f.name: f.type for f in file.schema_arrow}
    problems = [Problem(name, None, column, "required column is missing") for column in expected if column not in found]
    problems += [Problem(name, None, column, "unknown column") for column in found if column not in expected]
    problems += [Problem(name, None, column, f"must be of type {expected[column]}", str(found[column]))
                 for column in expected if column in found and not _compatible(found[column], expected[column])]
    if problems:
        raise RawDataError(problems)


def validate(path: Path) -> int:
    """Check every record, streaming by row group, and name the first bad one; return the row count."""
    check_columns(path)
    name = path.name
    file = pq.ParquetFile(path)
    offset, seen_max = 0, None
    start, end = np.datetime64(START, "s"), np.datetime64(END, "s") + np.timedelta64(86399, "s")
    for group in range(file.num_row_groups):
        table = file.read_row_group(group)
        rules = {
            "call_id": (table["call_id"].is_null().to_numpy(zero_copy_only=False), "must not be empty"),
            "received_at": (_outside(table["received_at"], start, end), f"must lie between {START} and {END}"),
            "category": (_not_in(table["category"], CATEGORIES), f"must be one of {', '.join(CATEGORIES)}"),
            "district": (_not_in(table["district"], DISTRICTS), "must be a Beijing district"),
            "resolved": (table["resolved"].is_null().to_numpy(zero_copy_only=False), "must not be empty"),
            "satisfaction": (_not_in(table["satisfaction"], (0, 1), allow_null=True), "must be 0, 1 or empty"),
        }
        for column, (bad, rule) in rules.items():
            if bad.any():
                row = int(np.argmax(bad))
                raise RawDataError([Problem(name, offset + row + 1, column,
                                            f"{rule} (call_id {table['call_id'][row].as_py()})",
                                            str(table[column][row].as_py()), in_csv=False)])
        ids = table["call_id"].to_numpy()
        if seen_max is not None and ids.size and ids.min() <= seen_max or np.any(np.diff(ids) <= 0):
            row = int(np.argmax(np.diff(np.concatenate([[seen_max or ids[0] - 1], ids])) <= 0))
            raise RawDataError([Problem(name, offset + row + 1, "call_id",
                                        "must be unique and increasing (sort the export by call_id)", str(ids[row]),
                                        in_csv=False)])
        seen_max = int(ids.max()) if ids.size else seen_max
        offset += table.num_rows
    return offset


def _compatible(found: pa.DataType, expected: pa.DataType) -> bool:
    if pa.types.is_timestamp(expected):
        return pa.types.is_timestamp(found)  # Parquet may store seconds as milliseconds
    if pa.types.is_integer(expected):
        return pa.types.is_integer(found)  # exports widen small integers
    if pa.types.is_dictionary(expected):
        return found == expected or pa.types.is_string(found) or (
            pa.types.is_dictionary(found) and pa.types.is_string(found.value_type))
    return found == expected


def _outside(column: pa.ChunkedArray, start: np.datetime64, end: np.datetime64) -> np.ndarray:
    values = column.cast(pa.timestamp("s")).to_numpy(zero_copy_only=False)
    return np.isnat(values) | (values < start) | (values > end)


def _not_in(column: pa.ChunkedArray, allowed: tuple, allow_null: bool = False) -> np.ndarray:
    values = column.cast(column.type.value_type) if pa.types.is_dictionary(column.type) else column
    known = np.asarray(pa.compute.is_in(values, value_set=pa.array(allowed)))
    missing = np.asarray(values.is_null())
    return ~known & ~(missing & allow_null)


AGGREGATE_SQL = """
SELECT CAST(received_at AS DATE) AS day, CAST(category AS VARCHAR) AS category,
       CAST(district AS VARCHAR) AS district, count(*) AS calls,
       count(satisfaction) AS rated, coalesce(sum(satisfaction), 0)::BIGINT AS satisfied,
       count(*) FILTER (WHERE resolved)::BIGINT AS resolved
FROM read_parquet(?)
GROUP BY ALL
ORDER BY day, category, district
"""


def aggregate(log: Path) -> pa.Table:
    """Daily calls, ratings and resolutions by category and district, in one streaming DuckDB pass."""
    import duckdb

    check_columns(log)
    with duckdb.connect() as connection:
        return connection.sql(AGGREGATE_SQL, params=[str(log)]).to_arrow_table()


def fingerprint(log: Path) -> dict[str, object]:
    """What identifies a log's content cheaply: name, size, modification time and row count."""
    stat = log.stat()
    return {"log": log.name, "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns,
            "rows": pq.ParquetFile(log).metadata.num_rows}


def cached_aggregate(log: Path) -> Path:
    """The daily aggregate of `log`, validated and recomputed only when the log's fingerprint changed.

    Record-level validation (every value, unique call ids) and the aggregation each read the log
    once per change; editing a notebook reads only the small cached table.
    """
    cache = aggregate_cache(log)
    stamp = cache.with_suffix(".json")
    current = fingerprint(log)
    if cache.exists() and stamp.exists() and json.loads(stamp.read_text(encoding="utf-8")) == current:
        return cache
    validate(log)
    table = aggregate(log)
    with atomic_path(cache) as tmp:
        pq.write_table(table, tmp, compression="zstd")
    write_text(stamp, json.dumps(current, sort_keys=True) + "\n")
    return cache


def main(argv: list[str]) -> None:
    """Command line: generate full|small | aggregate full|small."""
    match argv:
        case ["generate", size] if size in SCALES:
            rows = generate(synthetic_log(size), SCALES[size])
            print(f"wrote {synthetic_log(size).relative_to(paths.ROOT)}: {rows:,} calls")
        case ["aggregate", size] if size in SCALES:
            print(f"cached {cached_aggregate(synthetic_log(size)).relative_to(paths.ROOT)}")
        case _:
            raise SystemExit("usage: python -m analysis.calllog generate full|small | aggregate full|small")


if __name__ == "__main__":
    main(sys.argv[1:])

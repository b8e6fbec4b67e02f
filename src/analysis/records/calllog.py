"""Record-level hotline call log: Parquet schema, streaming validation, and the cached daily aggregate.

Usage: python -m analysis.records.calllog aggregate full|small
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from analysis import paths
from analysis.atomic import atomic_path, write_text
from analysis.evidence.raw import Problem, RawDataError
from analysis.records.vocabulary import CALL_CATEGORIES, DISTRICTS

CATEGORIES = CALL_CATEGORIES

SCHEMA = pa.schema([
    ("call_id", pa.int64()),
    ("received_at", pa.timestamp("s")),
    ("category", pa.dictionary(pa.int8(), pa.string())),
    ("district", pa.dictionary(pa.int8(), pa.string())),
    ("resolved", pa.bool_()),
    ("satisfaction", pa.int8()),  # 1 satisfied, 0 not satisfied, null: not rated
])


def resolve(log_path: str | None, size: str = "full") -> tuple[Path, bool]:
    """The log a report reads (relative to the repository) and whether it is SYNTHETIC."""
    if log_path is None:
        return paths.synthetic_calllog(size), True
    path = paths.ROOT / log_path
    return path, "SYNTHETIC" in path.name














def open_parquet(path: Path) -> pq.ParquetFile:
    """The Parquet file, or a RawDataError naming it when it is missing or not Parquet."""
    try:
        return pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as err:
        raise RawDataError([Problem(paths.relative(path), None, None, f"is not a readable Parquet file ({err})")]) from None


def check_columns(path: Path) -> None:
    """Refuse a log whose columns or types differ from SCHEMA (read from the Parquet footer only)."""
    name = path.name
    file = open_parquet(path)
    expected = {f.name: f.type for f in SCHEMA}
    found = {f.name: f.type for f in file.schema_arrow}
    problems = [Problem(name, None, column, "required column is missing") for column in expected if column not in found]
    problems += [Problem(name, None, column, "unknown column") for column in found if column not in expected]
    problems += [Problem(name, None, column, f"must be of type {expected[column]}", str(found[column]))
                 for column in expected if column in found and not _compatible(found[column], expected[column])]
    if problems:
        raise RawDataError(problems)


def validate(path: Path, window: tuple[str, str] | None = None) -> int:
    """Check every record, streaming by row group, and name the first bad one; return the row count.

    `window` (first and last ISO day) bounds the call times where the export's period is known.
    """
    check_columns(path)
    name = path.name
    file = open_parquet(path)
    offset, seen_max = 0, None
    first, last = window or ("1970-01-01", "2999-12-31")
    start, end = np.datetime64(first, "s"), np.datetime64(last, "s") + np.timedelta64(86399, "s")
    for group in range(file.num_row_groups):
        table = file.read_row_group(group)
        rules = {
            "call_id": (table["call_id"].is_null().to_numpy(zero_copy_only=False), "must not be empty"),
            "received_at": (_outside(table["received_at"], start, end), f"must lie between {first} and {last}"),
            "category": (_not_in(table["category"], CATEGORIES), f"must be one of {', '.join(CATEGORIES)}"),
            "district": (_not_in(table["district"], DISTRICTS), "must be a Beijing district"),
            "resolved": (table["resolved"].is_null().to_numpy(zero_copy_only=False), "must not be empty"),
            "satisfaction": (_not_in(table["satisfaction"], (0, 1), allow_null=True), "must be 0, 1 or empty"),
        }
        for column, (bad, rule) in rules.items():
            if bad.any():
                row = int(np.argmax(bad))
                # No value and no call id in the message: it may reach a log or a kept notebook.
                raise RawDataError([Problem(name, offset + row + 1, column, rule, in_csv=False)])
        ids = table["call_id"].to_numpy()
        if seen_max is not None and ids.size and ids.min() <= seen_max or np.any(np.diff(ids) <= 0):
            row = int(np.argmax(np.diff(np.concatenate([[seen_max or ids[0] - 1], ids])) <= 0))
            raise RawDataError([Problem(name, offset + row + 1, "call_id",
                                        "must be unique and increasing (sort the export by call_id)", in_csv=False)])
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


def cached_aggregate(log: Path, window: tuple[str, str] | None = None) -> Path:
    """The daily aggregate of `log`, validated and recomputed only when the log's fingerprint changed.

    Record-level validation (every value, unique call ids) and the aggregation each read the log
    once per change; editing a notebook reads only the small cached table.
    """
    cache = paths.calllog_aggregate(log)
    stamp = cache.with_suffix(".json")
    current = fingerprint(log)
    if cache.exists() and stamp.exists() and json.loads(stamp.read_text(encoding="utf-8")) == current:
        return cache
    validate(log, window)
    table = aggregate(log)
    with atomic_path(cache) as tmp:
        pq.write_table(table, tmp, compression="zstd")
    write_text(stamp, json.dumps(current, sort_keys=True) + "\n")
    return cache


def main(argv: list[str]) -> None:
    """Command line: aggregate full|small (validate the SYNTHETIC log and cache its daily aggregate)."""
    match argv:
        case ["aggregate", ("full" | "small") as size]:
            from analysis.records.calllog_synthetic import calibration

            window = tuple(calibration()["window"])
            print(f"cached {paths.relative(cached_aggregate(paths.synthetic_calllog(size), window))}")
        case _:
            raise SystemExit("usage: python -m analysis.records.calllog aggregate full|small")


if __name__ == "__main__":
    main(sys.argv[1:])

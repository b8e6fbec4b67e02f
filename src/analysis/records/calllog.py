"""Record-level hotline call log: Parquet schema, streaming validation, and the cached daily aggregate.

A log is one Parquet file or a Hive-partitioned dataset (`<log>/month=YYYY-MM/part-0.parquet`, one or
more files per partition); the aggregate is computed by DuckDB in process or by Dask tasks.

Usage: python -m analysis.records.calllog aggregate full|small|x10 [duckdb|dask]
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from analysis import paths
from analysis.atomic import atomic_path, write_text
from analysis.evidence.raw import Problem, RawDataError
from analysis.records import vocabulary
from analysis.records.vocabulary import CALL_CATEGORIES, DISTRICTS

CATEGORIES = CALL_CATEGORIES

SCHEMA = pa.schema(
    [
        ("call_id", pa.int64()),
        ("received_at", pa.timestamp("s")),
        ("category", pa.dictionary(pa.int8(), pa.string())),
        ("district", pa.dictionary(pa.int8(), pa.string())),
        ("resolved", pa.bool_()),
        ("satisfaction", pa.int8()),  # 1 satisfied, 0 not satisfied, null: not rated
    ]
)


def resolve(log_path: str | None, size: str = "full") -> tuple[Path, bool]:
    """The log a report reads (relative to the repository) and whether it is SYNTHETIC."""
    if log_path is None:
        return paths.synthetic_calllog(size), True
    path = paths.ROOT / log_path
    return path, "SYNTHETIC" in path.name


def dataset_files(log: Path) -> list[Path]:
    """The log's Parquet files in partition order: the file itself, or every data file of the dataset."""
    if log.is_file():
        return [log]
    files = [
        file
        for file in log.rglob("*.parquet")
        if not any(part.startswith((".", "_")) for part in file.relative_to(log).parts)
    ]
    if not files:
        raise RawDataError([Problem(log.name, None, None, "holds no Parquet file", in_csv=False)])
    return sorted(files, key=lambda file: _natural_key(file.relative_to(log).as_posix()))


def partitions(log: Path) -> list[list[Path]]:
    """The log's files grouped by partition directory, in partition order."""
    grouped: dict[Path, list[Path]] = {}
    for file in dataset_files(log):
        grouped.setdefault(file.parent, []).append(file)
    return list(grouped.values())


def display_name(log: Path, file: Path) -> str:
    """How messages name a file: its path relative to the dataset, or its name for a single-file log."""
    return file.name if file == log else file.relative_to(log).as_posix()


def _natural_key(name: str) -> list[object]:
    return [int(piece) if piece.isdigit() else piece for piece in re.split(r"(\d+)", name)]


def open_parquet(path: Path, name: str) -> pq.ParquetFile:
    """The Parquet file, or a RawDataError naming it when it is missing or not Parquet."""
    try:
        return pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as err:
        raise RawDataError([Problem(name, None, None, f"is not a readable Parquet file ({err})")]) from None


def check_columns(log: Path, file: Path) -> None:
    """Refuse a file whose columns or types differ from SCHEMA (read from the Parquet footer only)."""
    name = display_name(log, file)
    expected = {f.name: f.type for f in SCHEMA}
    found = {f.name: f.type for f in open_parquet(file, name).schema_arrow}
    problems = [Problem(name, None, column, "required column is missing") for column in expected if column not in found]
    problems += [Problem(name, None, column, "unknown column") for column in found if column not in expected]
    problems += [
        Problem(name, None, column, f"must be of type {expected[column]}", str(found[column]))
        for column in expected
        if column in found and not _compatible(found[column], expected[column])
    ]
    if problems:
        raise RawDataError(problems)


ID_RULE = "must be unique and increasing across the log in partition order (sort the export by call_id)"


@dataclass(frozen=True)
class FileSummary:
    """What validating one file found: its name in messages, its rows and its first and last call id."""

    name: str
    rows: int
    first_id: int | None
    last_id: int | None


def validate_file(log: Path, file: Path, window: tuple[str, str] | None = None) -> FileSummary:
    """Check every record of one file, streaming by row group, and name the first bad one.

    `window` (first and last ISO day) bounds the call times where the export's period is known.
    """
    check_columns(log, file)
    name = display_name(log, file)
    parquet = open_parquet(file, name)
    offset, first_id, seen_max = 0, None, None
    first, last = window or ("1970-01-01", "2999-12-31")
    start, end = np.datetime64(first, "s"), np.datetime64(last, "s") + np.timedelta64(86399, "s")
    for group in range(parquet.num_row_groups):
        table = parquet.read_row_group(group)
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
        if (seen_max is not None and ids.size and ids.min() <= seen_max) or np.any(np.diff(ids) <= 0):
            row = int(np.argmax(np.diff(np.concatenate([[ids[0] - 1 if seen_max is None else seen_max], ids])) <= 0))
            raise RawDataError([Problem(name, offset + row + 1, "call_id", ID_RULE, in_csv=False)])
        if ids.size:
            first_id = int(ids[0]) if first_id is None else first_id
            seen_max = int(ids[-1])
        offset += table.num_rows
    return FileSummary(name, offset, first_id, seen_max)


def check_sequence(summaries: Iterable[FileSummary]) -> int:
    """Check that call ids keep increasing from file to file (summaries consumed in partition order); return the rows."""
    rows, last_id = 0, None
    for summary in summaries:
        if last_id is not None and summary.first_id is not None and summary.first_id <= last_id:
            raise RawDataError([Problem(summary.name, 1, "call_id", ID_RULE, str(summary.first_id), in_csv=False)])
        rows += summary.rows
        last_id = last_id if summary.last_id is None else summary.last_id
    return rows


def validate(log: Path, window: tuple[str, str] | None = None) -> int:
    """Check every record of the log, file by file in partition order, and name the first bad one; return the rows."""
    return check_sequence(validate_file(log, file, window) for file in dataset_files(log))


def _compatible(found: pa.DataType, expected: pa.DataType) -> bool:
    if pa.types.is_timestamp(expected):
        return pa.types.is_timestamp(found)  # Parquet may store seconds as milliseconds
    if pa.types.is_integer(expected):
        return pa.types.is_integer(found)  # exports widen small integers
    if pa.types.is_dictionary(expected):
        return (
            found == expected
            or pa.types.is_string(found)
            or (pa.types.is_dictionary(found) and pa.types.is_string(found.value_type))
        )
    return found == expected


def _outside(column: pa.ChunkedArray, start: np.datetime64, end: np.datetime64) -> np.ndarray:
    values = column.cast(pa.timestamp("s")).to_numpy(zero_copy_only=False)
    return np.isnat(values) | (values < start) | (values > end)


def _not_in(column: pa.ChunkedArray, allowed: tuple, allow_null: bool = False) -> np.ndarray:
    known = np.concatenate([_known(chunk, allowed) for chunk in column.chunks] or [np.zeros(0, bool)])
    missing = np.asarray(column.is_null())
    return ~known & ~(missing & allow_null)


def _known(chunk: pa.Array, allowed: tuple) -> np.ndarray:
    """Which values are allowed; a dictionary chunk is checked through its dictionary, without decoding it."""
    if not pa.types.is_dictionary(chunk.type):
        return np.asarray(pa.compute.is_in(chunk, value_set=pa.array(allowed)))
    known_entries = np.asarray(pa.compute.is_in(chunk.dictionary, value_set=pa.array(allowed)))
    indices = chunk.indices.fill_null(0).to_numpy()
    return known_entries[indices] & np.asarray(chunk.is_valid())


AGGREGATE_SQL = """
SELECT CAST(received_at AS DATE) AS day, CAST(category AS VARCHAR) AS category,
       CAST(district AS VARCHAR) AS district, count(*) AS calls,
       count(satisfaction) AS rated, coalesce(sum(satisfaction), 0)::BIGINT AS satisfied,
       count(*) FILTER (WHERE resolved)::BIGINT AS resolved
FROM read_parquet(?, hive_partitioning = false)
GROUP BY ALL
"""
AGGREGATE_SCHEMA = pa.schema(
    [
        ("day", pa.date32()),
        ("category", pa.string()),
        ("district", pa.string()),
        ("calls", pa.int64()),
        ("rated", pa.int64()),
        ("satisfied", pa.int64()),
        ("resolved", pa.int64()),
    ]
)
KEYS = ["day", "category", "district"]
ENGINES = ("duckdb", "dask")


COMBINE_SQL = """
SELECT day, category, district, sum(calls)::BIGINT AS calls, sum(rated)::BIGINT AS rated,
       sum(satisfied)::BIGINT AS satisfied, sum(resolved)::BIGINT AS resolved
FROM parts
GROUP BY ALL
"""


def _duckdb(sql: str, params: list | None = None, parts: pa.Table | None = None) -> pa.Table:
    """Run one DuckDB query (over `parts` where given) and type its result as AGGREGATE_SCHEMA."""
    import duckdb

    with duckdb.connect() as connection:
        try:  # no progress bar in build logs; inside Jupyter without ipywidgets DuckDB refuses the setting
            connection.execute("SET enable_progress_bar = false")
        except duckdb.InvalidInputException:
            pass
        if parts is not None:
            connection.register("parts", parts)
        table = connection.sql(sql, params=params).to_arrow_table()
    return table.select(AGGREGATE_SCHEMA.names).cast(AGGREGATE_SCHEMA)


def aggregate_files(files: list[Path]) -> pa.Table:
    """Daily calls, ratings and resolutions by category and district of some files, in one streaming DuckDB pass."""
    return _duckdb(AGGREGATE_SQL, [[str(file) for file in files]])


def aggregate(log: Path) -> pa.Table:
    """The log's daily aggregate in a single DuckDB query over all its files, sorted by day, category, district."""
    files = dataset_files(log)
    for file in files:
        check_columns(log, file)
    return _sorted(aggregate_files(files))


def combine(tables: list[pa.Table]) -> pa.Table:
    """Add up partial daily aggregates (the aggregate is additive), sorted by day, category, district."""
    return _sorted(_duckdb(COMBINE_SQL, parts=pa.concat_tables(tables)))


def _sorted(table: pa.Table) -> pa.Table:
    return table.sort_by([(key, "ascending") for key in KEYS]).combine_chunks()


PartitionResult = tuple[list[FileSummary], pa.Table]


def summarise_partition(log: Path, files: list[Path], window: tuple[str, str] | None) -> PartitionResult:
    """Validate one partition's files and aggregate them with DuckDB: the work of one Dask task."""
    return [validate_file(log, file, window) for file in files], aggregate_files(files)


def combine_partitions(results: Iterable[PartitionResult]) -> pa.Table:
    """Check call ids across partitions and add up their aggregates, consuming results lazily in partition order."""
    tables: list[pa.Table] = []

    def summaries() -> Iterator[FileSummary]:
        for file_summaries, table in results:
            tables.append(table)
            yield from file_summaries

    check_sequence(summaries())
    return combine(tables)


def aggregate_by_partition(log: Path, window: tuple[str, str] | None = None) -> pa.Table:
    """Validate and aggregate the log partition by partition in this process, then combine."""
    return combine_partitions(summarise_partition(log, files, window) for files in partitions(log))


def build(
    log: Path, window: tuple[str, str] | None = None, engine: str = "duckdb", scheduler: str | None = None
) -> pa.Table:
    """Validate the log and compute its daily aggregate with `engine` ('duckdb' or 'dask' at `scheduler`)."""
    if engine == "dask":
        from analysis.records import calllog_dask

        return calllog_dask.build(log, window, scheduler)
    if engine != "duckdb":
        raise ValueError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    validate(log, window)
    return aggregate(log)


def write_aggregate(table: pa.Table, target: Path) -> None:
    """Write an aggregate atomically with fixed writer options, so equal tables give equal bytes."""
    with atomic_path(target) as tmp:
        pq.write_table(table, tmp, compression="zstd")


CODE = (Path(__file__), Path(__file__).with_name("calllog_dask.py"), Path(vocabulary.__file__))


def fingerprint(log: Path, window: tuple[str, str] | None = None) -> dict[str, object]:
    """What the aggregate depends on: each file's name, size, mtime and rows, the SQL, the code and the window."""
    files = [
        [
            display_name(log, file),
            file.stat().st_size,
            file.stat().st_mtime_ns,
            open_parquet(file, display_name(log, file)).metadata.num_rows,
        ]
        for file in dataset_files(log)
    ]
    return {
        "log": log.name,
        "files": _sha256(json.dumps(files).encode()),
        "rows": sum(f[3] for f in files),
        "sql": _sha256((AGGREGATE_SQL + COMBINE_SQL).encode()),
        "code": _sha256(b"".join(path.read_bytes() for path in CODE)),
        "window": list(window) if window else None,
    }


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cached_aggregate(
    log: Path, window: tuple[str, str] | None = None, engine: str = "duckdb", scheduler: str | None = None
) -> Path:
    """The daily aggregate of `log`, validated and recomputed only when its fingerprint changed.

    Record-level validation (every value, unique call ids) and the aggregation each read the log
    once per change; editing a notebook reads only the small cached table. A failure leaves the
    cached table as it was.
    """
    cache = paths.calllog_aggregate(log)
    stamp = cache.with_suffix(".json")
    current = fingerprint(log, window)
    if cache.exists() and stamp.exists() and json.loads(stamp.read_text(encoding="utf-8")) == current:
        return cache
    write_aggregate(build(log, window, engine, scheduler), cache)
    write_text(stamp, json.dumps(current, sort_keys=True) + "\n")
    return cache


def main(argv: list[str]) -> None:
    """Command line: aggregate SIZE [ENGINE] (validate the SYNTHETIC log and cache its daily aggregate)."""
    from analysis.records.calllog_synthetic import SCALES, calibration

    match argv:
        case ["aggregate", size, *engine] if size in SCALES and len(engine) <= 1 and set(engine) <= set(ENGINES):
            window = tuple(calibration()["window"])
            cache = cached_aggregate(paths.synthetic_calllog(size), window, *engine)
            print(f"cached {paths.relative(cache)}")
        case _:
            raise SystemExit(
                f"usage: python -m analysis.records.calllog aggregate {'|'.join(SCALES)} [{'|'.join(ENGINES)}]"
            )


if __name__ == "__main__":
    main(sys.argv[1:])

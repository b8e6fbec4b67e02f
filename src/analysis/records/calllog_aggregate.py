"""The call log's cached daily aggregate: the engine chosen (DuckDB in process or Dask tasks), the fingerprint
that decides when to recompute it, and the command line.

Usage: python -m analysis.records.calllog_aggregate aggregate full|small|x10 [duckdb|dask]
       python -m analysis.records.calllog_aggregate generate full|small|x10 [duckdb|dask]
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from analysis import paths
from analysis.atomic import atomic_path, write_text
from analysis.evidence.raw import RawDataError
from analysis.records import calllog, calllog_dask, calllog_duckdb, vocabulary
from analysis.records.calllog import (
    FileSummary,
    check_sequence,
    dataset_files,
    display_name,
    open_parquet,
    validate,
    validate_file,
)
from analysis.records.calllog_synthetic import SCALES, calibration, generate

ENGINES = ("duckdb", "dask")


def build(
    log: Path,
    window: tuple[str, str] | None = None,
    engine: str = "duckdb",
    scheduler: str | None = None,
    parts: Path | None = None,
) -> pa.Table:
    """Validate the log and compute its daily aggregate with `engine` ('duckdb' or 'dask' at `scheduler`); with
    DuckDB and a `parts` folder, file by file, each file's result kept there (build_by_file)."""
    if engine == "dask":
        return calllog_dask.build(log, window, scheduler)
    if engine != "duckdb":
        raise ValueError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    if parts is not None:
        return build_by_file(log, window, parts)
    validate(log, window)
    return calllog_duckdb.aggregate(log)


def parts_directory(cache: Path) -> Path:
    """Where each file's validation summary and partial aggregate are kept (build_by_file): in the build folder of
    the tree the cache belongs to (bookkeeping, not a processed table), else beside the cache's folder."""
    if cache.is_relative_to(paths.ROOT):
        return paths.BUILD / "calllog-parts" / cache.stem
    return cache.parent.with_name(f"{cache.parent.name}-calllog-parts") / cache.stem


def file_key(log: Path, file: Path, window: tuple[str, str] | None, shared: str) -> str:
    """What one file's summary and partial aggregate depend on: its name, size, mtime and rows, and `shared`
    (the SQL, the code, the vocabulary and the window, as in `fingerprint`)."""
    stat = file.stat()
    name = display_name(log, file)
    rows = open_parquet(file, name).metadata.num_rows
    return _sha256(json.dumps([name, stat.st_size, stat.st_mtime_ns, rows, shared, window]).encode())


def build_by_file(log: Path, window: tuple[str, str] | None, store: Path) -> pa.Table:
    """The DuckDB build, one file at a time, each file's summary and partial aggregate kept: a file whose key
    (file_key) is unchanged is neither validated nor aggregated again. Its checks and their order are `validate`'s
    (each file's records, then its ids against the file before it, in partition order), and the daily aggregate,
    being additive, is the sum of the files' (a day split across files added up by `combine`): `aggregate`'s table,
    equal row for row."""
    vocab = calllog.load_vocabulary(log)
    shared = _sha256(
        json.dumps(
            [
                calllog_duckdb.AGGREGATE_SQL,
                calllog_duckdb.COMBINE_SQL,
                fingerprint_code(),
                _sha256(vocab.path.read_bytes()),
            ]
        ).encode()
    )
    kept: set[str] = set()
    tables: list[pa.Table] = []

    def part(file: Path) -> tuple[list[str], FileSummary, pa.Table]:
        key = file_key(log, file, window, shared)
        summary_path, table_path = store / f"{key}.json", store / f"{key}.parquet"
        try:
            summary = FileSummary(**json.loads(summary_path.read_text(encoding="utf-8")))
            table = pq.read_table(table_path)
        except (OSError, ValueError, TypeError, pa.ArrowException):  # not kept (or being replaced): computed
            summary = validate_file(log, file, window, vocab)
            table = calllog_duckdb.aggregate_files([file])
            write_aggregate(table, table_path)
            write_text(summary_path, json.dumps(dataclasses.asdict(summary)) + "\n")
        return [summary_path.name, table_path.name], summary, table

    files = dataset_files(log)
    # Files are computed ahead on every core (reading Parquet, numpy's checks and DuckDB release the GIL), and taken
    # in partition order: the first bad file in that order is the one named, as `validate` names it.
    with ThreadPoolExecutor(max_workers=max(1, min(len(files), os.cpu_count() or 1))) as pool:
        futures = [pool.submit(part, file) for file in files]

        def summaries() -> Iterator[FileSummary]:
            for future in futures:
                names, summary, table = future.result()
                kept.update(names)
                tables.append(table)
                yield summary

        try:
            check_sequence(summaries())
        finally:
            for future in futures:
                future.cancel()
    result = calllog_duckdb.combine(tables)
    for stale in store.iterdir() if store.is_dir() else ():  # the parts of files the log no longer holds
        if stale.name not in kept:
            stale.unlink(missing_ok=True)
    return result


def write_aggregate(table: pa.Table, target: Path) -> None:
    """Write an aggregate atomically with fixed writer options, so equal tables give equal bytes."""
    with atomic_path(target) as tmp:
        pq.write_table(table, tmp, compression="zstd")


# The aggregate is recomputed when the code that validates, aggregates or chooses the engine changes.
CODE = (Path(__file__), *(Path(m.__file__) for m in (calllog, calllog_duckdb, calllog_dask, vocabulary)))


def fingerprint_code() -> str:
    return _sha256(b"".join(path.read_bytes() for path in CODE))


def fingerprint(log: Path, window: tuple[str, str] | None = None) -> dict[str, object]:
    """What the aggregate depends on: each file's name, size, mtime and rows, the SQL, the code, the vocabulary
    beside the log and the window."""
    vocab = calllog.load_vocabulary(log)  # a missing or malformed vocabulary is named before anything is read
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
        "sql": _sha256((calllog_duckdb.AGGREGATE_SQL + calllog_duckdb.COMBINE_SQL).encode()),
        "code": fingerprint_code(),
        "vocabulary": _sha256(vocab.path.read_bytes()),
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
    write_aggregate(build(log, window, engine, scheduler, parts_directory(cache)), cache)
    write_text(stamp, json.dumps(current, sort_keys=True) + "\n")
    return cache


def generate_and_aggregate(size: str, engine: str = "duckdb") -> None:
    """Regenerate the SYNTHETIC log of `size` (calllog_synthetic.generate: only its changed months drawn) and, in the
    same process, bring its cached aggregate up to date (cached_aggregate: validated and aggregated by its fingerprint,
    its unchanged files' parts reused), as the aggregate's own rule would (mk/calllog.mk).

    The edit of a volume the log is calibrated to reaches its reports through both, one after the other: a second
    process started, imported pyarrow, pandas and the catalogue's schemas again (about 1 s) and read every file's
    metadata again on that chain. The aggregate's rule, which runs next, finds its table newer than everything it
    depends on and starts nothing. A log that fails its validation is kept as generated and the aggregate as it was:
    the aggregate's rule then runs as before and names the bad record."""
    log = paths.synthetic_calllog(size)
    rows = generate(log, SCALES[size])
    print(f"wrote {paths.relative(log)}: {rows:,} calls")
    try:
        cache = cached_aggregate(log, tuple(calibration()["window"]), engine)
    except RawDataError:
        print(f"{paths.relative(log)}: not aggregated here (its validation failed; the aggregate's rule reports it)")
        return
    print(f"cached {paths.relative(cache)}")


def main(argv: list[str]) -> None:
    """Command line: aggregate SIZE [ENGINE] (validate the SYNTHETIC log and cache its daily aggregate), or generate
    SIZE [ENGINE] (regenerate the log, then the same)."""
    match argv:
        case ["aggregate", size, *engine] if size in SCALES and len(engine) <= 1 and set(engine) <= set(ENGINES):
            window = tuple(calibration()["window"])
            cache = cached_aggregate(paths.synthetic_calllog(size), window, *engine)
            print(f"cached {paths.relative(cache)}")
        case ["generate", size, *engine] if size in SCALES and len(engine) <= 1 and set(engine) <= set(ENGINES):
            generate_and_aggregate(size, *engine)
        case _:
            raise SystemExit(
                f"usage: python -m analysis.records.calllog_aggregate aggregate|generate {'|'.join(SCALES)} "
                f"[{'|'.join(ENGINES)}]"
            )


if __name__ == "__main__":
    main(sys.argv[1:])

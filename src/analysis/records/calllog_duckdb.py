"""The call log's daily aggregate with DuckDB: one streaming query over the files, or one per partition combined.

`calllog_dask` runs `summarise_partition` as its tasks; `calllog_aggregate` chooses the engine and caches the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa

from analysis.records.calllog import (
    FileSummary,
    check_columns,
    check_sequence,
    dataset_files,
    load_vocabulary,
    partitions,
    validate_file,
)
from analysis.records.vocabulary import Vocabulary

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


def summarise_partition(
    log: Path, files: list[Path], window: tuple[str, str] | None, vocab: Vocabulary | None = None
) -> PartitionResult:
    """Validate one partition's files and aggregate them with DuckDB: the work of one Dask task."""
    return [validate_file(log, file, window, vocab) for file in files], aggregate_files(files)


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
    vocab = load_vocabulary(log)
    return combine_partitions(summarise_partition(log, files, window, vocab) for files in partitions(log))

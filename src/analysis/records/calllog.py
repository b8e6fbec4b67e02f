"""Record-level hotline call log: its Parquet schema and streaming validation.

A log is one Parquet file or a Hive-partitioned dataset (`<log>/month=YYYY-MM/part-0.parquet`, one or
more files per partition). Its daily aggregate is computed by the engines in `calllog_duckdb` (in process)
and `calllog_dask` (tasks), and cached by `calllog_aggregate`, which is also the command line. The
SYNTHETIC generator (`calllog_synthetic`) imports this module only.

Its categories and districts are the export's own, listed in the vocabulary file beside the log
(`<log>.vocabulary.yml`, analysis.records.vocabulary).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from analysis import paths
from analysis.evidence.raw import Problem, RawDataError
from analysis.records import vocabulary
from analysis.records.vocabulary import LISTED, Vocabulary

# What a log's vocabulary must list: its call categories and districts.
VOCABULARY = {"category": LISTED, "district": LISTED}

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


def load_vocabulary(log: Path) -> Vocabulary:
    """The vocabulary beside a log (file or dataset directory); RawDataError naming it when missing or malformed."""
    return vocabulary.load(log, VOCABULARY)


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


def validate_file(
    log: Path, file: Path, window: tuple[str, str] | None = None, vocab: Vocabulary | None = None
) -> FileSummary:
    """Check every record of one file, streaming by row group, and name the first bad one.

    `window` (first and last ISO day) bounds the call times where the export's period is known; `vocab`
    (by default the file beside the log) lists the categories and districts it may hold.
    """
    vocab = load_vocabulary(log) if vocab is None else vocab
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
            "category": (_not_in(table["category"], vocab.values("category")), vocab.values_rule("category")),
            "district": (_not_in(table["district"], vocab.values("district")), vocab.values_rule("district")),
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


def validate(log: Path, window: tuple[str, str] | None = None, vocab: Vocabulary | None = None) -> int:
    """Check every record of the log, file by file in partition order, and name the first bad one; return the rows.

    Categories and districts are checked against `vocab`, by default the vocabulary file beside the log.
    """
    vocab = load_vocabulary(log) if vocab is None else vocab
    return check_sequence(validate_file(log, file, window, vocab) for file in dataset_files(log))


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

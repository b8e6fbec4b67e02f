"""Benchmark the call-log aggregation on the full 64-million-call SYNTHETIC log.

Run with `make bench-calllog`. Each variant runs in its own Python process, so its wall time and
peak resident memory are its own. Prints one table.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from analysis.records import calllog  # noqa: E402
from analysis.topics import calllog as calllog_stats  # noqa: E402

HAND_WRITTEN_SQL = """
SELECT CAST(received_at AS DATE) AS day, category, district, count(*) AS calls,
       count(satisfaction) AS rated, sum(satisfaction) AS satisfied, count(*) FILTER (WHERE resolved) AS resolved
FROM read_parquet(?) GROUP BY ALL
"""
COLUMNS = ["received_at", "category", "district", "resolved", "satisfaction"]


def project(log: Path) -> int:
    return calllog.aggregate(log).num_rows


def project_validation(log: Path) -> int:
    return calllog.validate(log)


def hand_written_duckdb(log: Path) -> int:
    import duckdb

    with duckdb.connect() as connection:
        return len(connection.sql(HAND_WRITTEN_SQL, params=[str(log)]).fetchall())


def plain_pandas(log: Path) -> int:
    import pyarrow.parquet as pq

    frame = pq.read_table(log, columns=COLUMNS).to_pandas()
    frame["day"] = frame["received_at"].dt.floor("D")
    grouped = frame.groupby(["day", "category", "district"], observed=True).agg(
        calls=("resolved", "size"), rated=("satisfaction", "count"), satisfied=("satisfaction", "sum"),
        resolved=("resolved", "sum"))
    return len(grouped)


def read_needed_columns(log: Path) -> int:
    import pyarrow.parquet as pq

    rows = 0
    for batch in pq.ParquetFile(log).iter_batches(columns=COLUMNS, batch_size=1 << 20):
        rows += batch.num_rows
    return rows


def notebook_data_access(log: Path) -> int:
    """What a report rebuild after a notebook edit reads: the cached aggregate (warm cache)."""
    return len(calllog_stats.load_daily(log))


VARIANTS = {
    "project aggregation (calllog.aggregate)": project,
    "hand-written DuckDB query": hand_written_duckdb,
    "plain pandas (read columns, groupby)": plain_pandas,
    "floor: read only the needed columns": read_needed_columns,
    "project record-level validation (calllog.validate, once per log)": project_validation,
    "report rebuild: data access from the cache": notebook_data_access,
}


def run_variant(name: str, log: Path) -> None:
    start = time.perf_counter()
    result = VARIANTS[name](log)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024, "result": result}))


def main() -> None:
    log = calllog.paths.synthetic_calllog("full")
    if not log.exists():
        raise SystemExit(f"{log} is missing: run make synthetic-calllog")
    calllog.cached_aggregate(log)  # warm the cache for the last variant
    measured = {}
    for name in VARIANTS:
        output = subprocess.run([sys.executable, __file__, "--variant", name, str(log)], check=True,
                                capture_output=True, text=True).stdout
        measured[name] = json.loads(output.strip().splitlines()[-1])
    rows = calllog.pq.ParquetFile(log).metadata.num_rows
    print(f"call-log benchmark: {rows:,} rows, {log.stat().st_size / 2**20:,.0f} MiB Parquet")
    print(f"{'variant':<70}{'wall (s)':>10}{'peak (MiB)':>12}")
    for name, m in measured.items():
        print(f"{name:<70}{m['seconds']:>10.2f}{m['peak_mib']:>12.0f}")
    ratio = measured[next(iter(VARIANTS))]["seconds"] / measured["hand-written DuckDB query"]["seconds"]
    peak = measured[next(iter(VARIANTS))]["peak_mib"]
    access = measured["report rebuild: data access from the cache"]["seconds"]
    print(f"project / hand-written DuckDB = {ratio:.2f} (target <= 1.2: {'met' if ratio <= 1.2 else 'NOT met'}); "
          f"project peak {peak:.0f} MiB (target < 1024: {'met' if peak < 1024 else 'NOT met'}); "
          f"data access on rebuild {access:.3f} s (target < 1 s: {'met' if access < 1 else 'NOT met'})")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--variant"]:
        run_variant(sys.argv[2], Path(sys.argv[3]))
    else:
        main()

"""Benchmark the call-log build at 64 million calls (`full`) and 640 million (`x10`, SYNTHETIC, benchmark only).

Run with `make bench-calllog`. Each variant runs in its own Python process; its wall time, and its peak
memory as the largest resident set of the whole process tree (sampled every 50 ms, Dask workers
included) and of any single process (getrusage), are its own. The project variants write their
aggregate with the cache's writer, and the table says whether their bytes are identical.
Prints one Markdown table with the scaling factor from 64 to 640 million calls.
"""

from __future__ import annotations

import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from analysis import paths  # noqa: E402
from analysis.records import calllog_aggregate, calllog_duckdb  # noqa: E402
from analysis.records.calllog_synthetic import calibration  # noqa: E402

SIZES = ("full", "x10")
HAND_WRITTEN_SQL = """
SELECT CAST(received_at AS DATE) AS day, category, district, count(*) AS calls,
       count(satisfaction) AS rated, sum(satisfaction) AS satisfied, count(*) FILTER (WHERE resolved) AS resolved
FROM read_parquet(?) GROUP BY ALL
"""
TIME_GOAL, MEMORY_GOAL_MIB = 11.0, 2048


def single_query(log: Path, window: tuple[str, str]) -> object:
    return calllog_aggregate.build(log, window, "duckdb")


def single_query_only(log: Path, window: tuple[str, str]) -> object:
    return calllog_duckdb.aggregate(log)


def per_partition(log: Path, window: tuple[str, str]) -> object:
    return calllog_duckdb.aggregate_by_partition(log, window)


def dask_local_cluster(log: Path, window: tuple[str, str]) -> object:
    return calllog_aggregate.build(log, window, "dask")


def hand_written_duckdb(log: Path, window: tuple[str, str]) -> object:
    import duckdb

    with duckdb.connect() as connection:
        return connection.sql(HAND_WRITTEN_SQL, params=[f"{log}/**/*.parquet"]).to_arrow_table()


VARIANTS = {
    "DuckDB single query over the dataset (engine duckdb: validate, aggregate)": single_query,
    "DuckDB per partition, combined (in process: validate, aggregate)": per_partition,
    "Dask LocalCluster, 2 workers (engine dask: validate, aggregate)": dask_local_cluster,
    "DuckDB single query, aggregation only (calllog_duckdb.aggregate)": single_query_only,
    "hand-written DuckDB query (reference, aggregation only)": hand_written_duckdb,
}
PROJECT = list(VARIANTS)[:3]


def run_variant(name: str, log: Path, output: Path) -> None:
    """Time one variant in this process and print its wall time, peak RSS and the hash of what it wrote."""
    window = tuple(calibration()["window"])
    start = time.perf_counter()
    table = VARIANTS[name](log, window)
    seconds = time.perf_counter() - start
    calllog_aggregate.write_aggregate(table, output)
    peak_kib = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    digest = hashlib.sha256(output.read_bytes()).hexdigest()
    print(json.dumps({"seconds": seconds, "process_mib": peak_kib / 1024, "rows": table.num_rows, "sha256": digest}))


def tree_rss(process: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants now."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def measure(name: str, log: Path, output: Path) -> dict:
    """Run one variant in a fresh interpreter, sampling its process tree's memory."""
    command = [sys.executable, __file__, "--variant", name, str(log), str(output)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    watched, peak = psutil.Process(child.pid), 0
    while child.poll() is None:
        peak = max(peak, tree_rss(watched))
        time.sleep(0.05)
    stdout = child.stdout.read()
    if child.returncode:
        raise SystemExit(f"variant {name!r} failed on {log.name}")
    return {**json.loads(stdout.strip().splitlines()[-1]), "tree_mib": peak / 2**20}


def table(measured: dict[str, dict[str, dict]], rows: dict[str, int]) -> str:
    """The Markdown table of both sizes, with the scaling factor of time and memory."""
    lines = [
        f"| variant | {rows['full']:,} calls: s | peak MiB | {rows['x10']:,} calls: s | peak MiB "
        "| time 1x→10x | memory 1x→10x |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in VARIANTS:
        small, large = measured["full"][name], measured["x10"][name]
        lines.append(
            f"| {name} | {small['seconds']:.1f} | {small['tree_mib']:.0f} | {large['seconds']:.1f} "
            f"| {large['tree_mib']:.0f} | {large['seconds'] / small['seconds']:.1f}x "
            f"| {large['tree_mib'] / small['tree_mib']:.1f}x |"
        )
    return "\n".join(lines)


def main() -> None:
    """Measure every variant at both sizes and print the table and the goals."""
    logs = {size: paths.synthetic_calllog(size) for size in SIZES}
    missing = [str(log) for log in logs.values() if not log.exists()]
    if missing:
        raise SystemExit(f"missing {', '.join(missing)}: run make bench-calllog")
    rows = {size: calllog_aggregate.fingerprint(log)["rows"] for size, log in logs.items()}
    measured: dict[str, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for size, log in logs.items():
            measured[size] = {
                name: measure(name, log, Path(scratch) / f"{size}-{index}.parquet")
                for index, name in enumerate(VARIANTS)
            }
            print(f"{size}: " + json.dumps(measured[size]), file=sys.stderr)
    print(table(measured, rows))
    print(
        "\npeak MiB: largest resident set of the variant's whole process tree (Dask scheduler and workers "
        "included), sampled every 50 ms; no variant's single process exceeded "
        f"{max(m['process_mib'] for size in SIZES for m in measured[size].values()):.0f} MiB (getrusage)."
    )
    for size in SIZES:
        digests = {measured[size][name]["sha256"] for name in PROJECT}
        print(
            f"{size}: project variants' aggregates {'byte-identical' if len(digests) == 1 else 'DIFFER'} "
            f"(sha256 {sorted(digests)[0][:16]}…)"
        )
    for name in PROJECT:
        factor = measured["x10"][name]["seconds"] / measured["full"][name]["seconds"]
        peak = max(measured[size][name]["tree_mib"] for size in SIZES)
        print(
            f"{name}: {factor:.1f}x time (goal <= {TIME_GOAL:.0f}x: {'met' if factor <= TIME_GOAL else 'NOT met'}), "
            f"peak {peak:.0f} MiB (goal < {MEMORY_GOAL_MIB}: {'met' if peak < MEMORY_GOAL_MIB else 'NOT met'})"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--variant"]:
        run_variant(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        main()

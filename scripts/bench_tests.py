"""Benchmark: the test suite as `make test` runs it, then each of its long parts alone.

Run with `make bench-tests` (after `make reports`, as `make test` runs it); `make bench-tests
BENCH_PARTS=parts` runs the parts alone (not the whole suite first), `BENCH_PARTS="nbval browser"` the parts
named so (PARTS' keys). For each run it prints the wall time,
the core-seconds (user + system CPU) of the run's own processes (pytest, its workers, the kernels and
builds they start: the other processes of a shared machine do not count) and the load average before it.
The parts show where the suite's time goes: with two cores, the whole run cannot take less than its
core-seconds divided by two, and only that if both workers stay busy to the end: for the whole run it also prints
when each worker ran its last test (tests/conftest.py writes each test's start and end to TESTS_TIMELINE), so a
serial tail shows as one worker finishing long before the other.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTEST = [str(ROOT / ".venv/bin/python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
CLEAN_BUILD = "tests/test_build.py::test_two_clean_builds_give_identical_bytes"
XDIST = ["-n", str((os.cpu_count() or 2) + 1), "--dist", "loadscope", "--no-loadscope-reorder"]
SECOND_COPY = "tests/test_build.py::TestOnASecondCopy"
PROPERTIES = ["tests/test_properties.py", "tests/test_hotline_properties.py", "tests/test_satisfaction_properties.py"]
BROWSER = ["tests/test_browser.py"]
SLOW_ALONE = [
    "tests/test_build.py",
    "tests/test_diff.py",
    "tests/test_hostile.py",
    "tests/test_lab.py",
    "tests/test_disclosure.py",
    "tests/test_dependencies.py",
]
# Each part by its short name (BENCH_PARTS=nbval browser: those alone). The parts after the first partition
# the suite: their core-seconds add up to about the whole run's.
PARTS = {
    "whole": ("the whole suite, as make test runs it", XDIST),
    "clean": ("clean rebuild, compared byte for byte", [CLEAN_BUILD]),
    "first": (
        "incremental builds, first copy (and test_build's others)",
        ["tests/test_build.py", "--deselect", CLEAN_BUILD, "--deselect", SECOND_COPY],
    ),
    "second": ("incremental builds, second copy", [SECOND_COPY]),
    "diff": ("make diff test", ["tests/test_diff.py"]),
    "hostile": ("hostile-input tests", ["tests/test_hostile.py"]),
    "disclosure": ("disclosure tests (a TEST registry report built)", ["tests/test_disclosure.py"]),
    "dependencies": ("declared dependencies (deptry, imports)", ["tests/test_dependencies.py"]),
    "lab": ("JupyterLab tests", ["tests/test_lab.py", "tests/test_lab_browser.py"]),
    # With tests/conftest.py, as make test runs them: the project kernel, its kernel manager and warm template.
    "nbval": ("notebook tests (nbval)", ["notebooks", "tests/conftest.py"]),
    "properties": ("property tests", PROPERTIES),
    "browser": ("browser tests of the built pages", [*XDIST, *BROWSER]),
    "other": (
        "all other tests (unit, schema, other slow ones)",
        [
            *XDIST,
            "tests",
            *[f"--ignore={path}" for path in (*PROPERTIES, *BROWSER, *SLOW_ALONE, "tests/test_lab_browser.py")],
        ],
    ),
}


def children_cpu() -> float:
    """User and system CPU seconds of the finished child processes and everything they waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def measure(args: list[str], timeline: Path | None = None) -> tuple[float, float, bool]:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "TESTS_TIMELINE")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as under make
    if timeline:
        env["TESTS_TIMELINE"] = str(timeline)
    busy, start = children_cpu(), time.perf_counter()
    result = subprocess.run([*PYTEST, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, children_cpu() - busy, result.returncode == 0


def worker_ends(timeline: Path) -> str:
    """When each worker finished its last test, in seconds from the first test's start."""
    rows = [line.split("\t") for line in timeline.read_text(encoding="utf-8").splitlines()]
    if not rows:
        return "no tests ran"
    first = min(float(start) for _, start, *_ in rows)
    ends: dict[str, float] = {}
    for worker, _start, end, *_ in rows:
        ends[worker] = max(ends.get(worker, 0.0), float(end) - first)
    shown = ", ".join(f"{worker} {end:.0f} s" for worker, end in sorted(ends.items()))
    return f"last test ended: {shown} (tail: {max(ends.values()) - min(ends.values()):.0f} s with a worker idle)"


def main(argv: list[str]) -> None:
    cores = os.cpu_count() or 2
    whole = "whole"
    if unknown := set(argv) - {"parts", *PARTS}:
        raise SystemExit(f"unknown part(s) {', '.join(sorted(unknown))}: parts, {', '.join(PARTS)}")
    keys = [k for k in PARTS if k != whole] if argv == ["parts"] else argv or list(PARTS)
    parts = {PARTS[k][0]: PARTS[k][1] for k in keys}
    whole = PARTS[whole][0]  # its name as printed
    print(f"test suite benchmark: {cores} cores")
    print(f"{'run':<58}{'wall (s)':>10}{'core-s':>10}  passed  load before")
    runs = {}
    with tempfile.TemporaryDirectory() as scratch:
        for name, args in parts.items():
            before = load()
            timeline = Path(scratch) / "timeline.tsv" if name == whole else None
            wall, cpu, passed = runs[name] = measure(args, timeline)
            print(f"{name:<58}{wall:>10.1f}{cpu:>10.0f}  {'yes' if passed else 'NO ':<6}  {before}", flush=True)
            if timeline:
                print(f"  {worker_ends(timeline) if timeline.exists() else 'no timeline written'}", flush=True)
    if parts_run := [cpu for name, (_, cpu, _) in runs.items() if name != whole]:
        print(f"{'the parts together (core-s)':<68}{sum(parts_run):>10.0f}")
    if whole in runs:
        wall, cpu, _ = runs[whole]
        print(
            f"target: make test <= 180 s -> {'met' if wall <= 180 else 'NOT met'} ({wall:.0f} s; its work "
            f"alone needs at least {cpu / cores:.0f} s on {cores} cores)"
        )
    sys.exit(0 if all(passed for _, _, passed in runs.values()) else 1)


if __name__ == "__main__":
    main(sys.argv[1:])

"""Benchmark: the test suite as `make test` runs it, then each of its long parts alone.

Run with `make bench-tests` (after `make reports`, as `make test` runs it). For each run it prints the
wall time and the machine's busy core-seconds over that time (Linux /proc/stat: every process counts,
so run it on an otherwise quiet machine). The parts show where the suite's time goes: with two cores,
the whole run cannot take less than its core-seconds divided by two.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTEST = [str(ROOT / ".venv/bin/python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
CLEAN_BUILD = "tests/test_build.py::test_two_clean_builds_give_identical_bytes"
XDIST = ["-n", str(os.cpu_count() or 2), "--dist", "loadscope", "--no-loadscope-reorder"]
PARTS = {
    "the whole suite, as make test runs it": XDIST,
    "clean rebuild, compared byte for byte": [CLEAN_BUILD],
    "incremental-build tests": ["tests/test_build.py", "--deselect", CLEAN_BUILD],
    "make diff test": ["tests/test_diff.py"],
    "hostile-input tests": ["tests/test_hostile.py"],
    "JupyterLab tests": ["tests/test_lab.py", "tests/test_lab_browser.py"],
    "all other tests (unit, schema, notebook, browser)": [*XDIST, "-m", "not slow"],
}


def busy_core_seconds() -> float:
    """CPU time the whole machine has spent outside idle and I/O wait since boot."""
    fields = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq = fields[:7]
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def measure(args: list[str]) -> tuple[float, float, bool]:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as under make
    busy, start = busy_core_seconds(), time.perf_counter()
    result = subprocess.run([*PYTEST, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, busy_core_seconds() - busy, result.returncode == 0


def main() -> None:
    cores = os.cpu_count() or 2
    print(f"test suite benchmark: {cores} cores")
    print(f"{'run':<52}{'wall (s)':>10}{'core-s':>10}  passed")
    runs = {}
    for name, args in PARTS.items():
        wall, cpu, passed = runs[name] = measure(args)
        print(f"{name:<52}{wall:>10.1f}{cpu:>10.0f}  {'yes' if passed else 'NO'}", flush=True)
    wall, cpu, _ = runs[next(iter(PARTS))]
    print(
        f"target: make test <= 150 s -> {'met' if wall <= 150 else 'NOT met'} ({wall:.0f} s; its work "
        f"alone needs at least {cpu / cores:.0f} s on {cores} cores)"
    )
    sys.exit(0 if all(passed for _, _, passed in runs.values()) else 1)


if __name__ == "__main__":
    main()

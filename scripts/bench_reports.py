"""Benchmark: the project's report build against the naive papermill-CLI-then-nbconvert-CLI pipeline.

Run with `make bench-reports`. Each variant runs in its own scratch copy of the repository, from the
same processed data, so the timings compare report building only. It also times `make setup` in a
fresh clone of the committed tree, with the user's uv cache and with an empty one. Prints one table.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from analysis.environment import KERNEL_NAME  # noqa: E402
from analysis.publish.config import load_config  # noqa: E402
from conftest import copy_repository  # noqa: E402

VENV = ROOT / ".venv"
ENV = {**os.environ, "PYTHONPATH": "", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
ENV.pop("MAKEFLAGS", None)


def timed(command: list[str], cwd: Path, env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env or ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def fresh_copy(parent: Path, name: str) -> Path:
    """A copy with no reports, but with processed data and the record-level inputs ready."""
    root = copy_repository(parent / name)
    prepare = ["make", "--no-print-directory", f"VENV={VENV}"]
    subprocess.run([*prepare, "clean"], cwd=root, env=ENV, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*prepare, "data"], cwd=root, env=ENV, check=True, stdout=subprocess.DEVNULL)
    # Generated once, not timed: copied after the tables they are calibrated on, and marked newer than
    # them, so make does not generate them again.
    shutil.copytree(ROOT / "data/synthetic", root / "data/synthetic")
    for generated in (root / "data/synthetic").iterdir():
        os.utime(generated)
    subprocess.run(
        [*prepare, "synthetic-registry", "data/processed/calllog_daily_hotline_calls_SYNTHETIC_full.parquet"],
        cwd=root,
        env=ENV,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return root


def make_reports(root: Path, jobs: int) -> float:
    return timed(["make", "--no-print-directory", f"VENV={VENV}", f"JOBS={jobs}", "reports"], root)


def naive_pipeline(root: Path) -> float:
    """papermill's CLI then nbconvert's CLI for each report, one after the other."""
    env = {**ENV, "PYTHONPATH": str(root / "src")}
    out = root / "naive"
    out.mkdir()
    start = time.perf_counter()
    for entry in load_config():
        executed = out / f"{entry.name}.ipynb"
        parameters = [arg for key, value in entry.run_parameters().items() for arg in ("-p", key, str(value))]
        subprocess.run(
            [
                str(VENV / "bin/papermill"),
                str(root / "notebooks" / entry.notebook),
                str(executed),
                "-k",
                KERNEL_NAME,
                "--cwd",
                str(root / "notebooks"),
                "--no-progress-bar",
                *parameters,
            ],
            cwd=root,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        subprocess.run(
            [str(VENV / "bin/jupyter"), "nbconvert", "--to", "html", str(executed)],
            cwd=root,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return time.perf_counter() - start


def fresh_clone_setup(parent: Path, name: str, env: dict) -> float:
    """`make setup` (uv bootstrap and .venv from uv.lock) in an empty clone of the committed tree."""
    clone = parent / name
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, env=ENV)
    return timed(["make", "--no-print-directory", "setup"], clone, env)


def main() -> None:
    reports = len(load_config())
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as scratch:
        parent = Path(scratch)
        setup_warm = fresh_clone_setup(parent, "clone-warm", ENV)
        setup_cold = fresh_clone_setup(parent, "clone-cold", {**ENV, "UV_CACHE_DIR": str(parent / "uv-cache")})
        for clone in ("clone-warm", "clone-cold", "uv-cache"):
            shutil.rmtree(parent / clone, ignore_errors=True)
        naive = naive_pipeline(fresh_copy(parent, "naive"))
        serial_root = fresh_copy(parent, "serial")
        serial = make_reports(serial_root, jobs=1)
        parallel_root = fresh_copy(parent, "parallel")
        jobs = os.cpu_count() or 2
        parallel = make_reports(parallel_root, jobs=jobs)
        noop = min(make_reports(parallel_root, jobs=jobs) for _ in range(3))
        shutil.rmtree(parent, ignore_errors=True)
    print(f"report build benchmark: {reports} reports, {os.cpu_count()} cores")
    print(f"{'pipeline':<52}{'wall time (s)':>14}{'vs naive':>10}")
    for name, seconds in (
        ("naive: papermill CLI + nbconvert CLI, serial", naive),
        ("make reports, JOBS=1 (cold)", serial),
        (f"make reports, JOBS={jobs} (cold, the default)", parallel),
        ("make reports, no-op rebuild (best of 3)", noop),
    ):
        print(f"{name:<52}{seconds:>14.2f}{seconds / naive:>10.2f}")
    print(f"{'make setup in a fresh clone (uv cache as is)':<52}{setup_warm:>14.2f}")
    print(f"{'make setup in a fresh clone (empty uv cache)':<52}{setup_cold:>14.2f}")
    print(
        f"targets: cold build <= 0.35 x naive -> {'met' if parallel <= 0.35 * naive else 'NOT met'}; "
        f"JOBS=1 <= 0.6 x naive -> {'met' if serial <= 0.6 * naive else 'NOT met'}; "
        f"no-op < 0.5 s -> {'met' if noop < 0.5 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()

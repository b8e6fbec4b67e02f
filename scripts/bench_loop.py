"""Benchmark: the researcher's loop (issue 27), from an edited input to its rebuilt pages.

Run with `make bench-loop` in a built checkout (`make bench-loop CASES=figure`: only the cases whose label
contains that word; `CASES="--trace Beijing"`: also every line the timed `make reports` prints, with the seconds
since it started, so the chain of steps an edit waits for can be read off: the SYNTHETIC log's regeneration and
aggregate, each batch's start, each report's kernel). It copies the checkout (with its build and the SYNTHETIC
inputs, every timestamp kept) to a scratch folder and, there, makes one change at a time, times one
`make reports` and counts the reports it rebuilt; then it undoes the change and brings the copy up to
date again (not timed) before the next one. Wall times on a shared machine are noisy: it prints the load
average before each run and the core-seconds (user + system CPU) of the run's processes, which the other
processes on the machine do not inflate as much, and each rebuilt report's own time (`built in N s`). The
core-seconds include the report kernels' since the kernel template waits for them (publish.kernels.reap_kernels);
figures measured before that counted each report's bookkeeping but not its kernel, and are lower.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from conftest import copy_repository  # noqa: E402

BUILT = re.compile(r"^building (\S+)$", re.MULTILINE)  # printed by the build for each report it runs
REPORT_TIME = re.compile(r"^report (\S+): built in ([0-9.]+) s$", re.MULTILINE)
GENERATED = re.compile(r"^wrote (data/synthetic/[^\s:]+)", re.MULTILINE)  # printed by the SYNTHETIC generators
ENV = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
# The figure the issue edits: Beijing's hotline calls received in 2021, printed as 1486 (万个).
HOTLINE = {"region": "Beijing", "topic": "hotline", "period_start": "2021-01-01", "period_end": "2021-12-31"}
OLD, NEW = "1486", "1487"
# A figure no SYNTHETIC generator is calibrated to, so the loop's time is its readers' alone: Zhejiang's printed
# service realisation rate, 92.9 (%).
SATISFACTION = {"region": "Zhejiang", "topic": "satisfaction", "indicator": "service_realisation_rate"}
RATE_OLD, RATE_NEW = "92.9", "93.0"
MODULE = "src/analysis/charts/satisfaction.py"


def make(root: Path, *args: str, trace: bool = False) -> subprocess.CompletedProcess:
    command = ["make", "--no-print-directory", f"VENV={ROOT / '.venv'}", *args]
    if trace:
        result = traced(command, root)
    else:
        result = subprocess.run(command, cwd=root, env=ENV, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"make {' '.join(args)} failed in {root}:\n{result.stderr[-3000:]}")
    return result


def traced(command: list[str], root: Path) -> subprocess.CompletedProcess:
    """Run `command`, printing each line of its output (stdout and stderr together) as it comes, after the seconds since
    it started; return it as subprocess.run would (stdout holding every line, stderr empty)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=root, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    for line in process.stdout:
        lines.append(line)
        print(f"    {time.perf_counter() - start:6.2f}  {line.rstrip()[:160]}", flush=True)
    return subprocess.CompletedProcess(command, process.wait(), "".join(lines), "")


def edit_hotline_figure(root: Path) -> None:
    """1486 -> 1487 in the one row of data/raw/figures.csv that prints Beijing's 2021 hotline volume."""
    edit_figure(root, HOTLINE, OLD, NEW)


def edit_satisfaction_figure(root: Path) -> None:
    """92.9 -> 93.0 in the one row of data/raw/figures.csv that prints Zhejiang's service realisation rate."""
    edit_figure(root, SATISFACTION, RATE_OLD, RATE_NEW)


def edit_figure(root: Path, where: dict[str, str], old: str, new: str) -> None:
    """old -> new in the value (and locator) of the one row of data/raw/figures.csv matching `where`."""
    path = root / "data/raw/figures.csv"
    text = path.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    matches = [r for r in rows if r["value"] == old and all(r[k] == v for k, v in where.items())]
    if len(matches) != 1:
        raise SystemExit(f"{path}: expected one row with value {old} and {where}, found {len(matches)}")
    row = matches[0]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for r in rows:
        if r is row:
            r = {**r, "value": new, "locator": r["locator"].replace(old, new)}
        writer.writerow(r)
    # Only that row's line changes: the rest of the file is written back as it was read.
    lines = text.splitlines(keepends=True)
    old_line = next(line for line in lines if line.startswith(row["figure_id"] + ","))
    new_line = next(
        line for line in out.getvalue().splitlines(keepends=True) if line.startswith(row["figure_id"] + ",")
    )
    path.write_text(text.replace(old_line, new_line, 1), encoding="utf-8")
    print(f"  edited {row['figure_id']}: {old} -> {new}")


def edit_notebook_markdown(root: Path) -> None:
    """One word more in the first markdown cell of notebook 03."""
    path = root / "notebooks/03_service_satisfaction.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    source = "".join(cell["source"])
    cell["source"] = source + " (edited)"
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def touch_module(root: Path) -> None:
    (root / MODULE).touch()


def rewrite_figures_unchanged(root: Path) -> None:
    path = root / "data/raw/figures.csv"
    path.write_bytes(path.read_bytes())


def edit_module(root: Path) -> None:
    path = root / MODULE
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited by the benchmark\n", encoding="utf-8")


def nothing(root: Path) -> None:
    pass


CASES: list[tuple[str, Callable[[Path], None], list[str]]] = [
    ("nothing (no-op `make reports`)", nothing, []),
    ("one Beijing hotline figure (2021: 1486 -> 1487 万)", edit_hotline_figure, ["data/raw/figures.csv"]),
    ("one Zhejiang satisfaction figure (92.9 -> 93.0%)", edit_satisfaction_figure, ["data/raw/figures.csv"]),
    ("the markdown of notebook 03", edit_notebook_markdown, ["notebooks/03_service_satisfaction.ipynb"]),
    (f"`{MODULE}` touched", touch_module, []),
    ("`figures.csv` rewritten with the same content", rewrite_figures_unchanged, []),
    (f"one module edited (`{MODULE}`, a comment)", edit_module, [MODULE]),
]


def adopt_orphans() -> None:
    """Make this process the reaper of every process the runs leave behind (Linux: PR_SET_CHILD_SUBREAPER), so
    their CPU counts too: a process whose parent exits first (a kernel template outliving its build) is otherwise
    reaped by init, and its time, and its kernels', would be missing from the core-seconds."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def reap_orphans() -> None:
    """Wait for the adopted processes still running or not yet reaped."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def children_cpu() -> float:
    """User and system CPU seconds of the finished child processes (make and everything it ran, orphans included)."""
    reap_orphans()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main(argv: list[str]) -> None:
    trace = "--trace" in argv
    argv = [word for word in argv if word != "--trace"]
    cases = [case for case in CASES if not argv or any(word in case[0] for word in argv)]
    adopt_orphans()
    scratch = Path(tempfile.mkdtemp(prefix="bench-loop-"))
    try:
        root = copy_repository(scratch / "repo", with_synthetic=True)
        make(root, "reports")  # the copy is up to date (as the checkout should be); not timed
        from analysis.publish.config import load_config

        count = len(load_config())
        rows = []
        for label, change, changed in cases:
            saved = {p: (root / p).read_bytes() for p in changed}
            print(f"{label}  (load average {load()})", flush=True)
            change(root)
            cpu, start = children_cpu(), time.perf_counter()
            result = make(root, "reports", trace=trace)
            wall, cpu = time.perf_counter() - start, children_cpu() - cpu
            built = sorted(set(BUILT.findall(result.stdout)))
            generated = sorted(set(GENERATED.findall(result.stdout)))
            rows.append((label, built, generated, wall, cpu))
            print(f"  {len(built)} of {count} rebuilt in {wall:.1f} s ({cpu:.0f} core-s)", flush=True)
            for name, seconds in REPORT_TIME.findall(result.stdout):
                print(f"    {name}: {seconds} s", flush=True)
            if generated:
                print(f"  regenerated: {' '.join(generated)}", flush=True)
            for p, content in saved.items():  # undo, and bring the copy up to date again (not timed)
                (root / p).write_bytes(content)
            if saved:
                make(root, "reports")
        print()
        print("| change | reports rebuilt | SYNTHETIC regenerated | wall | core-s |")
        print("|---|---:|---|---:|---:|")
        for label, built, generated, wall, cpu in rows:
            print(f"| {label} | {len(built)} of {count} | {', '.join(generated) or '-'} | {wall:.1f} s | {cpu:.0f} |")
        print(f"\n{os.cpu_count()} cores; load average at the end: {load()} (shared machine: wall times are noisy)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])

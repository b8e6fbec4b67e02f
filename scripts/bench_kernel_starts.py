"""Benchmark: how often a report kernel fails to start when many start at once, by how it is started.

Run with `make bench-kernel-starts` (optionally KERNELS=<per manager>, default 800). Each manager runs
that many one-cell notebooks through papermill on four forked workers, as a busy build or test run
starts kernels, and the script prints the failures and the wall time:

- tcp: jupyter_client's own manager (five TCP ports picked as free, bound by the kernel a moment later);
- build: the build's manager, launched kernels over Unix socket files;
- template: the build's manager with kernels forked from the warm template (what `make reports` uses).

A failure is a kernel that died before it answered, the error that made a CI run fail. The kernels' own
output (a dead kernel's traceback says why it died) goes to build/kernel-starts.log.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

from analysis.environment import KERNEL_NAME
from analysis.publish import kernels

WORKERS = 4
MANAGERS = {"tcp": None, "build": kernels.BuildKernelManager, "template": kernels.TemplateKernelManager}
NOTEBOOK = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("answer = 42")])


def run_one(manager_name: str, scratch: str, index: int) -> str | None:
    """One notebook on a fresh kernel: None, or the error that stopped it."""
    import papermill

    manager = MANAGERS[manager_name]
    try:
        papermill.execute_notebook(
            NOTEBOOK,
            str(Path(scratch) / f"{index}.ipynb"),
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            shutdown_kernel="immediate",
            **({"kernel_manager_class": manager} if manager else {}),
        )
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None


def main() -> None:
    count = int(os.environ.get("KERNELS", "800"))
    kernels.start_template(KERNEL_NAME)  # as run_reports does, before forking its workers
    import papermill  # noqa: F401 - imported before the fork, as in a build

    print(f"{count} kernels per manager, {WORKERS} workers")
    for name in MANAGERS:
        with tempfile.TemporaryDirectory() as scratch:
            started = time.perf_counter()
            with ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("fork")) as pool:
                errors = [e for e in pool.map(run_one, [name] * count, [scratch] * count, range(count)) if e]
            seconds = time.perf_counter() - started
        print(
            f"{name:>8}: {len(errors)} of {count} failed to start, {seconds:.0f} s"
            + "".join(f"\n          {e}" for e in sorted(set(errors))),
            flush=True,
        )


if __name__ == "__main__":
    main()

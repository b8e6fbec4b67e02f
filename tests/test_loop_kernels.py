"""The researcher's loop (issue 27): the warm kernel template `make reports` starts before `make data` serves the
build's kernels as a build's own template would, only to the interpreter it runs, and goes when it is ended."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

import test_kernels
from analysis.environment import KERNEL_NAME
from analysis.publish import kernels
from analysis.publish.kernels import KernelTemplate, SharedTemplate, TemplateKernelManager

PROBE = [
    "import os\nimport pandas as pd",
    "print(os.getppid(), os.getcwd())",
    "pd.DataFrame({'region': ['Zhejiang'], 'rate': [93.0]})",
]


@pytest.fixture
def shared(tmp_path, monkeypatch):
    """The template as `make reports` starts it (`python -m analysis.publish template`), its socket's prefix in the
    environment as the recipe exports it: the template's process, and the prefix."""
    where = str(Path("/tmp") / f"loop-test-{os.getpid()}-{time.monotonic_ns()}")  # a socket path is short
    monkeypatch.setenv(kernels.SOCKET_VARIABLE, where)
    process = subprocess.Popen([sys.executable, "-m", "analysis.publish", "template", where])
    interpreter = kernels.spec_interpreter(KERNEL_NAME)
    socket_file = Path(kernels.socket_path(where, interpreter))
    deadline = time.monotonic() + 60
    while not socket_file.is_socket():
        assert process.poll() is None and time.monotonic() < deadline, "the template never listened"
        time.sleep(0.05)
    KernelTemplate._instance = None
    yield process, socket_file
    KernelTemplate.stop()
    KernelTemplate._instance = None
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)


def run(tmp_path, name: str, **engine) -> nbformat.NotebookNode:
    """test_kernels' run, on this file's probe."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(test_kernels, "PROBE", PROBE)
        return test_kernels.run(tmp_path, name, **engine)


def test_the_build_forks_its_kernels_from_the_template_make_started(shared, tmp_path):
    process, _ = shared
    assert kernels.shared_template(KERNEL_NAME)
    forked = run(tmp_path, "forked", kernel_manager_class=TemplateKernelManager)
    launched = run(tmp_path, "launched")
    parent, cwd = forked.cells[1].outputs[0]["text"].split()
    # The kernel is a child of make's template (the process the fixture started, run again on the kernel spec's
    # interpreter in place), in the notebook's folder; a launched kernel is this process's child.
    assert int(parent) == process.pid and cwd == str(tmp_path)
    assert launched.cells[1].outputs[0]["text"].split() == [str(os.getpid()), str(tmp_path)]
    assert forked.cells[2].outputs == launched.cells[2].outputs


def test_the_build_processes_one_after_another_share_it(shared, tmp_path):
    process, _ = shared
    first = run(tmp_path, "first", kernel_manager_class=TemplateKernelManager)
    KernelTemplate.stop()  # the first build process lets go (its connection closed), as a batch's does at its end
    assert KernelTemplate._instance is None
    second = run(tmp_path, "second", kernel_manager_class=TemplateKernelManager)
    assert first.cells[1].outputs == second.cells[1].outputs  # both kernels forked by the same template
    assert int(second.cells[1].outputs[0]["text"].split()[0]) == process.pid


def test_another_interpreter_never_reaches_it(shared):
    assert SharedTemplate.connect([sys.executable, "-Xno_such_flag"]) is None
    assert SharedTemplate.connect(kernels.spec_interpreter(KERNEL_NAME)) is not None


def test_without_it_a_single_report_starts_no_template(monkeypatch, tmp_path):
    monkeypatch.setenv(kernels.SOCKET_VARIABLE, str(tmp_path / "none"))
    KernelTemplate._instance = None
    assert not kernels.shared_template(KERNEL_NAME)
    assert KernelTemplate._instance is None  # nothing started: the report's kernel is launched


def test_ended_it_removes_its_socket(shared):
    process, socket_file = shared
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    assert not socket_file.exists()


NICENESS = ["import os\nprint(os.nice(0))"]


def test_a_kernel_runs_at_the_priority_of_the_process_that_asked_for_it(shared, tmp_path, monkeypatch):
    """The tables batch runs niced beside the records batch (publish.makerules): its kernels, forked by the template
    make started at the build's own priority, must run niced too, or the niceness would cover only the batch's
    bookkeeping. A process asking at its own niceness gets a kernel at the template's (the fixture's, this one's)."""
    own = os.nice(0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(test_kernels, "PROBE", NICENESS)
        plain = test_kernels.run(tmp_path, "plain", kernel_manager_class=TemplateKernelManager)
        asked = kernels.kernel_request
        # As a batch run under `nice -n 7` asks: its request names its niceness, seven above this process's.
        monkeypatch.setattr(kernels, "kernel_request", lambda *a: {**asked(*a), "nice": own + 7})
        niced = test_kernels.run(tmp_path, "niced", kernel_manager_class=TemplateKernelManager)
    assert plain.cells[0].outputs[0]["text"].split() == [str(own)]
    assert niced.cells[0].outputs[0]["text"].split() == [str(min(own + 7, 19))]


BURN = ["import time\nstart = time.process_time()\nwhile time.process_time() - start < 1.5:\n    pass"]


def children_seconds(pid: int) -> float:
    """CPU seconds of the children process `pid` has waited for (cutime + cstime of /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads /proc")
def test_a_kernels_cpu_time_counts_as_the_templates_and_so_the_builds(shared, tmp_path):
    """The template waits for its kernels (it ignored SIGCHLD, and Linux then drops a child's CPU time): what a kernel
    burns is added to the template's children's time, which reaches make (and `make bench-loop`) when make's recipe
    waits for the template."""
    process, _ = shared
    before = children_seconds(process.pid)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(test_kernels, "PROBE", BURN)
        test_kernels.run(tmp_path, "burn", kernel_manager_class=TemplateKernelManager)
    deadline = time.monotonic() + 30  # the kernel is killed at the end of the run; the template waits for it
    while children_seconds(process.pid) - before < 1.5 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert children_seconds(process.pid) - before >= 1.5

"""Build kernels behave as launched kernels: same outputs, nothing shared, no TCP ports to lose to a race."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import sys
from pathlib import Path

import nbformat
import papermill

from analysis.environment import KERNEL_NAME
from analysis.publish.execute import scrub_notebook
from analysis.publish.kernels import BuildKernelManager, ForkedKernel, KernelTemplate, TemplateKernelManager

PROBE = [
    "import os, sys\nimport matplotlib\nimport matplotlib.pyplot as plt\nimport pandas as pd",
    "print(os.getcwd(), os.environ.get('MPLBACKEND'), matplotlib.get_backend(), matplotlib.rcParams['figure.dpi'])",
    "fig, ax = plt.subplots(figsize=(2, 1))\nax.plot([1, 3, 2])\nplt.show()",  # drawn by the inline backend
    "pd.DataFrame({'region': ['Beijing'], 'calls': [22_500_000]})",  # a rich display, as report tables are
    "print(pd.get_option('display.max_rows'), 'leftover' in globals())",
    "pd.set_option('display.max_rows', 3)\nleftover = True",  # state a later kernel must not see
    "print(sorted(k for k in os.environ if k.startswith('JPY_')))",
]


def run(tmp_path, name: str, **engine) -> nbformat.NotebookNode:
    source = tmp_path / f"{name}.in.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code in PROBE]), source)
    output = tmp_path / f"{name}.ipynb"
    papermill.execute_notebook(
        str(source),
        str(output),
        kernel_name=KERNEL_NAME,
        cwd=str(tmp_path),
        progress_bar=False,
        shutdown_kernel="immediate",
        **engine,
    )
    return scrub_notebook(nbformat.read(output, as_version=4))


def outputs(nb: nbformat.NotebookNode) -> list:
    return [cell.outputs for cell in nb.cells]


def test_a_build_kernel_gives_the_outputs_of_a_launched_one(tmp_path):
    launched = run(tmp_path, "launched")  # jupyter_client's own manager, over TCP
    build = run(tmp_path, "build", kernel_manager_class=BuildKernelManager)
    forked = run(tmp_path, "forked", kernel_manager_class=TemplateKernelManager)
    again = run(tmp_path, "again", kernel_manager_class=TemplateKernelManager)
    assert outputs(forked) == outputs(launched) == outputs(build) == outputs(again)
    assert outputs(forked)[1][0]["text"].startswith(f"{tmp_path} module://matplotlib_inline.backend_inline")
    assert outputs(forked)[2][0]["output_type"] == "display_data" and "image/png" in outputs(forked)[2][0]["data"]
    assert outputs(again)[4][0]["text"] == "60 False\n"  # the first forked kernel's settings stayed with it


def test_one_template_per_worker_which_stops_when_the_worker_lets_go():
    template = KernelTemplate.for_command([sys.executable])
    assert KernelTemplate.for_command([sys.executable]) is template
    template.process.stdin.close()  # what the worker's exit does
    assert template.process.wait(timeout=60) == 0
    assert KernelTemplate.for_command([sys.executable]) is not template  # a new one on next use


def test_a_build_kernel_listens_on_socket_files_it_removes_when_stopped():
    async def start_and_stop() -> tuple[dict, list[bool], list[bool]]:
        manager = TemplateKernelManager(kernel_name=KERNEL_NAME)
        await manager.start_kernel()
        client = manager.client()
        client.start_channels()
        await client.wait_for_ready(timeout=60)
        info = manager.get_connection_info()
        sockets = [
            Path(f"{info['ip']}-{info[f'{channel}_port']}") for channel in ("shell", "iopub", "stdin", "control", "hb")
        ]
        while_running = [path.is_socket() for path in sockets]
        client.stop_channels()
        await manager.shutdown_kernel(now=True)
        return info, while_running, [path.exists() for path in sockets]

    info, while_running, after = asyncio.run(start_and_stop())
    assert info["transport"] == "ipc"
    assert while_running == [True] * 5
    assert after == [False] * 5


def test_notebook_tests_start_their_kernels_over_unix_sockets(tmp_path):
    from nbval.kernel import RunningKernel  # as nbval starts a notebook's kernel

    kernel = RunningKernel(KERNEL_NAME, cwd=str(tmp_path))
    try:
        assert kernel.km.get_connection_info()["transport"] == "ipc"
    finally:
        kernel.stop()


def shared_template_pid(interpreter: list[str]) -> int:
    return KernelTemplate.for_command(interpreter).process.pid


def test_a_build_worker_uses_the_template_its_build_started():
    template = KernelTemplate.for_command([sys.executable])
    with multiprocessing.get_context("fork").Pool(1) as worker:  # as run_reports forks its workers
        assert worker.apply(shared_template_pid, ([sys.executable],)) == template.process.pid
    assert KernelTemplate.for_command([sys.executable]) is template


def test_a_forked_kernel_that_fails_to_start_says_why(tmp_path, capfd):
    unreachable = tmp_path / "no such folder" / "kernel"  # the kernel cannot create its socket files there
    connection = tmp_path / "kernel.json"
    connection.write_text(
        json.dumps(
            {
                "transport": "ipc",
                "ip": str(unreachable),
                "key": "",
                "signature_scheme": "hmac-sha256",
                **{f"{channel}_port": n for n, channel in enumerate(("shell", "iopub", "stdin", "control", "hb"), 1)},
            }
        )
    )
    template = KernelTemplate([sys.executable])  # its own, so its output goes to this test's captured stderr
    try:
        kernel = ForkedKernel(template.fork(["-f", str(connection)], {"PATH": "/usr/bin:/bin"}, str(tmp_path)))
        kernel.wait(timeout=60)
    finally:
        template.process.stdin.close()
        template.process.wait(timeout=60)
    error = capfd.readouterr().err
    assert "Traceback" in error and "ZMQError" in error

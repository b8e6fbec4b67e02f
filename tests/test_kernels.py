"""Report kernels forked from the warm template behave as launched kernels: same outputs, nothing shared."""

from __future__ import annotations

import sys

import nbformat
import papermill

from analysis.environment import KERNEL_NAME
from analysis.publish.execute import scrub_notebook
from analysis.publish.kernels import KernelTemplate, TemplateKernelManager

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
    papermill.execute_notebook(str(source), str(output), kernel_name=KERNEL_NAME, cwd=str(tmp_path),
                               progress_bar=False, shutdown_kernel="immediate", **engine)
    return scrub_notebook(nbformat.read(output, as_version=4))


def outputs(nb: nbformat.NotebookNode) -> list:
    return [cell.outputs for cell in nb.cells]


def test_a_forked_kernel_gives_the_outputs_of_a_launched_one(tmp_path):
    launched = run(tmp_path, "launched")
    forked = run(tmp_path, "forked", kernel_manager_class=TemplateKernelManager)
    again = run(tmp_path, "again", kernel_manager_class=TemplateKernelManager)
    assert outputs(forked) == outputs(launched) == outputs(again)
    assert outputs(forked)[1][0]["text"].startswith(f"{tmp_path} module://matplotlib_inline.backend_inline")
    assert outputs(forked)[2][0]["output_type"] == "display_data" and "image/png" in outputs(forked)[2][0]["data"]
    assert outputs(again)[4][0]["text"] == "60 False\n"  # the first forked kernel's settings stayed with it


def test_one_template_per_worker_which_stops_when_the_worker_lets_go():
    template = KernelTemplate.for_command([sys.executable])
    assert KernelTemplate.for_command([sys.executable]) is template
    template.process.stdin.close()  # what the worker's exit does
    assert template.process.wait(timeout=60) == 0
    assert KernelTemplate.for_command([sys.executable]) is not template  # a new one on next use

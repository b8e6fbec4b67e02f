"""Source-notebook hygiene: no outputs in git except the headline cells nbval checks, saved as Lab saves.

Usage: python -m analysis.publish.notebooks strip | normalise | headlines
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import nbformat

from analysis import paths
from analysis.atomic import write_text_if_changed
from analysis.environment import KERNEL_NAME
from analysis.publish.execute import merge_streams

CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"


def is_headline(cell: nbformat.NotebookNode) -> bool:
    """A code cell whose output nbval compares with the stored reference."""
    return cell.cell_type == "code" and CHECK_MARKER in cell.source


def strip(nb: nbformat.NotebookNode, reference: nbformat.NotebookNode | None = None) -> nbformat.NotebookNode:
    """Clear outputs and counts; headline cells keep theirs, or take `reference`'s when given.

    nbval treats a cell with outputs but no execution count as unrun, so headline cells keep
    their count too.
    """
    reference_cells = {c.get("id"): c for c in reference.cells} if reference is not None else {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if not is_headline(cell):
            cell.execution_count = None
            cell.outputs = []
            continue
        source = reference_cells.get(cell.get("id"), cell)
        cell.execution_count = source.get("execution_count")
        cell.outputs = merge_streams(source.get("outputs", []))
    return nb


def kernel_metadata() -> tuple[dict, dict]:
    """The kernelspec and language_info JupyterLab records when the project kernel starts.

    Lab copies the kernel's kernel_info reply into the notebook on open and marks it modified when
    that differs from what is stored; the kernel runs this interpreter, so its reply is known here.
    """
    from ipykernel.ipkernel import IPythonKernel
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    kernelspec = {"display_name": spec.display_name, "language": spec.language, "name": KERNEL_NAME}
    return kernelspec, dict(IPythonKernel.language_info)


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Put the notebook in the form JupyterLab saves right after opening it, so opening changes nothing."""
    kernelspec, language_info = kernel_metadata()
    nb.metadata.kernelspec = nbformat.from_dict(kernelspec)
    nb.metadata.language_info = nbformat.from_dict(language_info)
    nb.nbformat, nb.nbformat_minor = 4, 5
    for index, cell in enumerate(nb.cells):
        cell.setdefault("id", f"cell-{index:02d}")  # Lab would add a random one
    return nb


def source_notebooks() -> list[Path]:
    """Every notebook in notebooks/."""
    return sorted(paths.NOTEBOOKS.glob("*.ipynb"))


def write(nb: nbformat.NotebookNode, path: Path) -> bool:
    """Write a notebook as Jupyter's contents manager does (sorted keys, one-space indent, final newline), only if it changed."""
    return write_text_if_changed(path, nbformat.writes(nb) + "\n")


def record_headlines(path: Path) -> None:
    """Run the notebook with its default parameters and store its headline cells' outputs."""
    import papermill

    with tempfile.TemporaryDirectory() as scratch:
        executed = Path(scratch) / path.name
        papermill.execute_notebook(
            str(path), str(executed), kernel_name=KERNEL_NAME, cwd=str(paths.NOTEBOOKS), progress_bar=False
        )
        reference = nbformat.read(executed, as_version=4)
    write(normalise(strip(nbformat.read(path, as_version=4), reference)), path)


def main(argv: list[str]) -> None:
    """Command line: strip | normalise | headlines."""
    match argv:
        case ["strip"]:
            for path in source_notebooks():
                write(normalise(strip(nbformat.read(path, as_version=4))), path)
        case ["normalise"]:
            for path in source_notebooks():
                write(normalise(nbformat.read(path, as_version=4)), path)
        case ["headlines"]:
            for path in source_notebooks():
                record_headlines(path)
        case _:
            raise SystemExit("usage: python -m analysis.publish.notebooks strip | normalise | headlines")


if __name__ == "__main__":
    main(sys.argv[1:])

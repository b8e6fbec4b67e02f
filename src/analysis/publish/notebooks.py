"""Source-notebook hygiene: no outputs in git except the headline cells nbval checks.

Usage: python -m analysis.publish.notebooks strip | headlines
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import nbformat

from analysis import paths
from analysis.atomic import write_text_if_changed
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


def source_notebooks() -> list[Path]:
    """Every notebook in notebooks/."""
    return sorted(paths.NOTEBOOKS.glob("*.ipynb"))


def write(nb: nbformat.NotebookNode, path: Path) -> bool:
    """Write a notebook in nbformat's canonical layout, only if it changed."""
    return write_text_if_changed(path, nbformat.writes(nb) + "\n")


def record_headlines(path: Path) -> None:
    """Run the notebook with its default parameters and store its headline cells' outputs."""
    import papermill

    with tempfile.TemporaryDirectory() as scratch:
        executed = Path(scratch) / path.name
        papermill.execute_notebook(str(path), str(executed), kernel_name="policy-research",
                                   cwd=str(paths.NOTEBOOKS), progress_bar=False)
        reference = nbformat.read(executed, as_version=4)
    write(strip(nbformat.read(path, as_version=4), reference), path)


def main(argv: list[str]) -> None:
    """Command line: strip | headlines."""
    match argv:
        case ["strip"]:
            for path in source_notebooks():
                write(strip(nbformat.read(path, as_version=4)), path)
        case ["headlines"]:
            for path in source_notebooks():
                record_headlines(path)
        case _:
            raise SystemExit("usage: python -m analysis.publish.notebooks strip | headlines")


if __name__ == "__main__":
    main(sys.argv[1:])

"""Run one report: papermill executes the notebook, outputs are promoted only on success."""

from __future__ import annotations

import re
import shutil
import sys
from typing import Any

from analysis import paths
from analysis.atomic import write_text
from analysis.environment import KERNEL_NAME
from analysis.publish.config import ReportEntry, load_config
from analysis.publish.render import render_html
from analysis.publish.webfont import font_face_css

ANSI = re.compile(r"\x1b\[[0-9;]*m")
# papermill and nbclient record wall-clock times and absolute paths; they would make two
# builds of the same inputs differ, so they are dropped from executed notebooks.
VOLATILE_NOTEBOOK_KEYS = ("start_time", "end_time", "duration", "input_path", "output_path")

def scrub_notebook(nb: Any) -> Any:
    """Remove run times, absolute paths and random ids that papermill and nbclient record."""
    for key in VOLATILE_NOTEBOOK_KEYS:
        nb.metadata.get("papermill", {}).pop(key, None)
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives it a random id
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
        for key in VOLATILE_NOTEBOOK_KEYS:
            cell.metadata.get("papermill", {}).pop(key, None)
    return nb


def merge_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) chunks: how a print loop is chunked depends on timing."""
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (output.get("output_type") == "stream" and previous is not None
                and previous.get("output_type") == "stream" and previous.get("name") == output.get("name")):
            previous["text"] = previous["text"] + output["text"]
        else:
            merged.append(output)
    return merged


def remove_outputs(entry: ReportEntry) -> None:
    """Delete every published output of a report, so nothing stale passes for fresh."""
    for path in (entry.html, entry.code_html, entry.results, entry.executed):
        path.unlink(missing_ok=True)
    shutil.rmtree(entry.figures, ignore_errors=True)


def promote_staging(entry: ReportEntry) -> None:
    """Move the figures and results a successful run staged to their published places."""
    staging = paths.STAGING / entry.name
    results = staging / "results.json"
    if not results.is_file():
        raise RuntimeError(f"report '{entry.name}': the notebook wrote no results (ReportOutputs.write_results)")
    shutil.rmtree(entry.figures, ignore_errors=True)
    entry.figures.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(staging / "figures"), str(entry.figures))
    entry.results.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(results), str(entry.results))
    shutil.rmtree(staging, ignore_errors=True)


def failure_message(entry: ReportEntry, error: Exception) -> str:
    """Which report failed, in which cell, with the cell's traceback."""
    ename = getattr(error, "ename", type(error).__name__)
    evalue = getattr(error, "evalue", str(error))
    cell = getattr(error, "exec_count", None)
    traceback = ANSI.sub("", "\n".join(getattr(error, "traceback", []) or []))
    where = f"cell [{cell}]" if cell is not None else "the run"
    return (f"report '{entry.name}' ({entry.notebook}) failed in {where}: {ename}: {evalue}\n"
            f"{traceback}\nThe failed notebook is kept at {paths.relative(entry.failed)}")


def run_report(name: str) -> None:
    """Execute one report's notebook, then publish its HTML, figures and results, or nothing."""
    import nbformat
    import papermill

    entries = {e.name: e for e in load_config()}
    if name not in entries:
        raise SystemExit(f"unknown report '{name}'; reports.yml lists: {', '.join(entries)}")
    entry = entries[name]
    remove_outputs(entry)
    entry.failed.unlink(missing_ok=True)
    running = paths.EXECUTED / f".{entry.name}.running.ipynb"
    running.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            str(paths.NOTEBOOKS / entry.notebook), str(running),
            parameters=entry.run_parameters(), kernel_name=KERNEL_NAME,
            cwd=str(paths.NOTEBOOKS), progress_bar=False, log_output=False,
        )
    except Exception as error:  # noqa: BLE001 - any failure of the run is reported the same way
        entry.failed.parent.mkdir(parents=True, exist_ok=True)
        if running.is_file():
            shutil.move(str(running), str(entry.failed))
        shutil.rmtree(paths.STAGING / entry.name, ignore_errors=True)
        # The index would still list this report as built; it is rebuilt once every report succeeds.
        paths.REPORT_INDEX.unlink(missing_ok=True)
        print(failure_message(entry, error), file=sys.stderr)
        raise SystemExit(1) from None
    nb = scrub_notebook(nbformat.read(running, as_version=4))
    running.unlink()
    promote_staging(entry)
    text = nbformat.writes(nb) + "\n"
    write_text(entry.executed, text)
    # Every character either page can show is in the notebook or the title: one font subset serves both.
    font_css = font_face_css(entry.title + text)
    write_text(entry.code_html, render_html(nb, entry, with_code=True, font_css=font_css))
    # The main HTML is written last: make judges the report fresh by it.
    write_text(entry.html, render_html(nb, entry, with_code=False, font_css=font_css))

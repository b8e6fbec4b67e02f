"""Run one report: papermill executes the notebook, outputs are promoted only on success."""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.atomic import write_text
from analysis.environment import KERNEL_NAME
from analysis.language import LANGUAGES
from analysis.publish import inputs
from analysis.publish.config import ReportEntry, load_config
from analysis.publish.render import index_name, navigation_text, render_html
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
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] = previous["text"] + output["text"]
        else:
            merged.append(output)
    return merged


def remove_tree(path: Path, owner: Path) -> None:
    """Delete a folder the build owns; a delete that fails is an error, not something to skip."""
    target = paths.inside(path, owner)
    if target.exists():
        shutil.rmtree(target)


def remove_outputs(entry: ReportEntry) -> None:
    """Delete every published output of a failed report, and the index that links it, so nothing stale passes for fresh."""
    for path, owner in (
        (entry.html, paths.REPORT_HTML),
        (entry.code_html, paths.REPORT_HTML),
        (entry.results, paths.REPORT_RESULTS),
        (entry.executed, paths.EXECUTED),
    ):
        paths.inside(path, owner).unlink(missing_ok=True)
    remove_tree(entry.figures, paths.REPORT_FIGURES)
    # The index links this page; a changes page describes a build that is being replaced.
    indexes = [paths.REPORTS / index_name(lang) for lang in LANGUAGES]
    for stale in (*indexes, paths.REPORTS / "changes.html", paths.REPORTS / "changes.md"):
        stale.unlink(missing_ok=True)


def promote_staging(entry: ReportEntry) -> None:
    """Move the figures and results a successful run staged to their published places."""
    staging = paths.inside(paths.STAGING / entry.name, paths.STAGING)
    results = staging / "results.json"
    if not results.is_file():
        raise RuntimeError(f"report '{entry.name}': the notebook wrote no results (ReportOutputs.write_results)")
    remove_tree(entry.figures, paths.REPORT_FIGURES)
    entry.figures.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(staging / "figures"), str(paths.inside(entry.figures, paths.REPORT_FIGURES)))
    entry.results.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(results), str(paths.inside(entry.results, paths.REPORT_RESULTS)))
    remove_tree(staging, paths.STAGING)


def failure_message(entry: ReportEntry, error: Exception) -> str:
    """Which report failed, in which cell, with the cell's traceback."""
    ename = getattr(error, "ename", type(error).__name__)
    evalue = getattr(error, "evalue", str(error))
    cell = getattr(error, "exec_count", None)
    traceback = ANSI.sub("", "\n".join(getattr(error, "traceback", []) or []))
    where = f"cell [{cell}]" if cell is not None else "the run"
    return (
        f"report '{entry.name}' ({entry.notebook}) failed in {where}: {ename}: {evalue}\n"
        f"{traceback}\nThe failed notebook is kept at {paths.relative(entry.failed)}"
    )


# How report kernels start: launched, or forked from the build's warm template when run_reports has
# more reports than workers (analysis.publish.kernels).
kernel_manager_class: type | None = None


def run_reports(names: list[str], jobs: int) -> None:
    """Run several reports in one long-lived build: `jobs` worker processes, forked once after the
    build's imports (papermill, nbconvert and its templates load once per worker, not once per report),
    each report on a fresh kernel. A failed report does not stop the others; any failure exits 1.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global kernel_manager_class
    known = {e.name for e in load_config()}
    if unknown := [n for n in names if n not in known]:
        raise SystemExit(f"unknown report(s) {', '.join(unknown)}; reports.yml lists: {', '.join(sorted(known))}")
    if not names:
        return
    workers = max(1, min(jobs, len(names)))
    from analysis.publish import kernels

    # The template `make reports` started is warm already (or warming): every kernel forks from it. Without it, the
    # build starts its own when it has more reports than one: it imports (3 s) once, while this process does.
    if kernels.shared_template(KERNEL_NAME) or len(names) > 1:
        kernels.start_template(KERNEL_NAME)  # shared by all workers
        kernel_manager_class = kernels.TemplateKernelManager
    import papermill  # noqa: F401 - imported before the fork, so every worker has it

    from analysis.publish.render import warm_up

    warm_up()
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            built = list(pool.map(run_in_worker, names))
    finally:
        from analysis.publish.kernels import KernelTemplate

        KernelTemplate.stop()
    if not all(built):
        raise SystemExit(1)


def run_in_worker(name: str) -> bool:
    """One report in a build worker: whether it was published (a failure is reported by run_report)."""
    started = time.perf_counter()
    progress(f"building {name}")
    try:
        run_report(name)
    except SystemExit:
        progress(f"report {name}: FAILED")
        return False
    progress(f"report {name}: built in {time.perf_counter() - started:.1f} s")
    return True


def progress(line: str) -> None:
    """One line on stdout in a single write, so lines from parallel workers never interleave."""
    os.write(sys.stdout.fileno(), (line + "\n").encode())


def run_report(name: str) -> None:
    """Execute one report's notebook, then publish its HTML, figures and results, or nothing."""
    import nbformat

    entries = {e.name: e for e in load_config()}
    if name not in entries:
        raise SystemExit(f"unknown report '{name}'; reports.yml lists: {', '.join(entries)}")
    entry = entries[name]
    # The pages are replaced only when the run succeeds (a page older than its manifest is out of date
    # for make, so an interrupted run leaves nothing that passes for fresh). A changes page describes
    # the build this run replaces.
    for stale in (paths.REPORTS / "changes.html", paths.REPORTS / "changes.md"):
        stale.unlink(missing_ok=True)
    paths.inside(entry.failed, paths.FAILED).unlink(missing_ok=True)
    # What make judged the page by; kept beside it once the page is built, for `make why`.
    manifest = inputs.manifest_path(entry.name)
    built_from = manifest.read_text(encoding="utf-8") if manifest.is_file() else None
    running = paths.inside(paths.EXECUTED / f".{entry.name}.running.ipynb", paths.EXECUTED)
    running.parent.mkdir(parents=True, exist_ok=True)
    try:
        execute(entry, running)
        nb = scrub_notebook(nbformat.read(running, as_version=4))
        promote_staging(entry)
        publish_pages(entry, nb)
    except Exception as error:
        keep_failed(entry, running)
        print(failure_message(entry, error), file=sys.stderr)
        raise SystemExit(1) from None
    running.unlink()
    if built_from is not None:
        write_text(inputs.built_path(entry.name), built_from)
    else:
        inputs.built_path(entry.name).unlink(missing_ok=True)


def in_language(notebook: Path, lang: str) -> Any:
    """The notebook with only `lang`'s narrative: cells tagged lang-<other> removed by nbconvert's preprocessor.

    Narrative cells carry a tag per language (lang-en, lang-zh), so a researcher edits both side by
    side; untagged cells (code, and text for every language) are kept.
    """
    import nbformat
    from nbconvert.preprocessors import TagRemovePreprocessor

    nb = nbformat.read(notebook, as_version=4)
    others = {f"lang-{other}" for other in LANGUAGES if other != lang}
    nb, _ = TagRemovePreprocessor(remove_cell_tags=others, enabled=True).preprocess(nb, {})
    return nb


def execute(entry: ReportEntry, running: Path) -> None:
    """Run the notebook, in the entry's language, with its parameters on the project kernel."""
    import papermill

    from analysis.publish.kernels import BuildKernelManager

    papermill.execute_notebook(
        in_language(paths.NOTEBOOKS / entry.notebook, entry.lang),
        str(running),
        parameters=entry.run_parameters(),
        kernel_name=KERNEL_NAME,
        cwd=str(paths.NOTEBOOKS),
        progress_bar=False,
        log_output=False,
        # Written once at the end (also when a cell fails), not after every cell: a report's notebook
        # was saved some forty times per run.
        request_save_on_cell_execute=False,
        # Build kernels keep no IPython history: parallel builds would all write one SQLite file.
        extra_arguments=["--HistoryManager.enabled=False"],
        # Every cell has finished and its files are closed when the kernel is stopped: a graceful
        # shutdown request waited up to 2.5 s per report for the kernel to exit by itself.
        shutdown_kernel="immediate",
        kernel_manager_class=kernel_manager_class or BuildKernelManager,
    )


def publish_pages(entry: ReportEntry, nb: Any) -> None:
    """Write the executed notebook, the page with code, and last the page make judges freshness by."""
    import nbformat

    text = nbformat.writes(nb) + "\n"
    write_text(entry.executed, text)
    # Every character either page can show is in the notebook, the title or the links: one font subset serves both.
    font_css = font_face_css(entry.title + text + navigation_text(entry))
    write_text(entry.code_html, render_html(nb, entry, with_code=True, font_css=font_css))
    write_text(entry.html, render_html(nb, entry, with_code=False, font_css=font_css))


def keep_failed(entry: ReportEntry, running: Path) -> None:
    """Keep the failed notebook under build/failed and remove every output the run may have left."""
    paths.FAILED.mkdir(parents=True, exist_ok=True)
    if running.is_file():
        shutil.move(str(running), str(paths.inside(entry.failed, paths.FAILED)))
    remove_tree(paths.STAGING / entry.name, paths.STAGING)
    remove_outputs(entry)

"""Shared fixtures: the repository root and a scratch copy of it for build tests."""

from __future__ import annotations

import functools
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import settings

from analysis import paths

ROOT = paths.ROOT

# Property-based tests (tests/test_properties.py) are deterministic and bounded: the same examples on every run
# and machine (derandomize, no example database written into the checkout), 200 a property, no per-example
# deadline (the machine is shared). HYPOTHESIS_PROFILE=dev runs fewer while writing a property.
settings.register_profile("repo", derandomize=True, database=None, max_examples=200, deadline=None, print_blob=True)
settings.register_profile("dev", parent=settings.get_profile("repo"), max_examples=25)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repo"))


def pytest_configure(config) -> None:
    """nbval's notebook kernels listen on Unix socket files, as the build's do: over TCP, a kernel can lose
    one of its ports to another process starting at the same moment and die (kernels.UnixSocketKernels).
    nbval has no setting for it, so its kernel manager class is replaced. Notebooks run on the project
    kernel, whose name is written once (analysis.environment)."""
    import nbval.kernel

    from analysis.environment import KERNEL_NAME
    from analysis.publish.kernels import NotebookTestKernelManager

    nbval.kernel.KernelManager = NotebookTestKernelManager
    if config.option.nbval_kernel_name is None:
        config.option.nbval_kernel_name = KERNEL_NAME
    if not os.environ.get("PYTEST_XDIST_WORKER") and runs_notebooks(config):
        start_notebook_template(config)


# The session's warm kernel template (publish.kernels.NotebookTestKernelManager): its process and its folder.
NOTEBOOK_TEMPLATE = pytest.StashKey[tuple[subprocess.Popen, Path]]()


def runs_notebooks(config) -> bool:
    """Whether this session may run notebooks with nbval: nbval on, and a notebook or a folder holding the notebooks
    among the paths it collects from (pytest.ini's testpaths when none is given)."""
    if not (config.option.nbval or config.option.nbval_lax):
        return False
    notebooks = ROOT / "notebooks"
    for arg in config.args:
        path = (config.invocation_params.dir / arg.split("::")[0]).resolve()
        if path.suffix == ".ipynb" or notebooks.is_relative_to(path) or path.is_relative_to(notebooks):
            return True
    return False


def start_notebook_template(config) -> None:
    """Start one warm kernel template for the session, as `make reports` starts one for a build: the notebooks'
    kernels, on every xdist worker (they inherit its socket's name, NOTEBOOK_TEMPLATE_SOCKET), are forked from it
    instead of each starting an interpreter and importing pandas, SciPy, statsmodels and matplotlib again (about
    2 core-s a notebook). A kernel asked for before it listens is launched as usual. It is ended, and waited for (so
    its kernels' CPU time counts as the session's), in pytest_unconfigure."""
    from analysis.publish.kernels import NOTEBOOK_SOCKET_VARIABLE

    folder = Path(tempfile.mkdtemp(prefix="nbval-"))  # short: a Unix socket's path holds at most 107 bytes
    process = subprocess.Popen(
        [sys.executable, "-m", "analysis.publish", "template", str(folder / "template")],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # as nbval sends its kernels' stderr
    )
    os.environ[NOTEBOOK_SOCKET_VARIABLE] = str(folder / "template")
    config.stash[NOTEBOOK_TEMPLATE] = (process, folder)


def pytest_unconfigure(config) -> None:
    if (template := config.stash.get(NOTEBOOK_TEMPLATE, None)) is None:
        return
    from analysis.publish.kernels import NOTEBOOK_SOCKET_VARIABLE

    process, folder = template
    os.environ.pop(NOTEBOOK_SOCKET_VARIABLE, None)
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    shutil.rmtree(folder, ignore_errors=True)


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadscope` with our scopes (scope_of), longest first (pytest_collection_modifyitems)."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class FileOrReportScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return scope_of(nodeid)

    return FileOrReportScheduling(config, log)


# The clean build and its comparison: a scope of its own, the longest, so it starts first.
CLEAN_BUILD_TEST = "tests/test_build.py::test_two_clean_builds_give_identical_bytes"


def scope_of(nodeid: str) -> str:
    """What one worker runs together: a file (a notebook's cells share one kernel, a module's fixtures are
    built once) or a class in it (test_build.py's tests on a second copy), but the clean build on its own,
    and for a browser test about one page, that page's report family (so the pages of test_browser.py
    spread over the workers)."""
    file, _, rest = nodeid.partition("::")
    page = rest.partition("[")[2].rstrip("]")
    if nodeid == CLEAN_BUILD_TEST:
        return "clean-build"
    if file.endswith("test_browser.py") and page:
        return f"browser:{report_family(page)}"
    if "::" in rest.partition("[")[0]:  # a test of a class: its class's fixtures are built once
        return f"{file}::{rest.partition('::')[0]}"
    return file


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The clean build first, then the other slow tests, then the rest (Makefile: --no-loadscope-reorder
    keeps this order), so the long ones run while the other worker works through the many short tests."""
    items.sort(key=lambda item: (item.nodeid != CLEAN_BUILD_TEST, item.get_closest_marker("slow") is None))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """With TESTS_TIMELINE=<file>, each worker appends one line per test: worker, start, end (epoch seconds),
    CPU seconds of the worker and its finished children, node id (scripts/bench_tests.py reads it to show
    when each worker ran out of work)."""
    timeline = os.environ.get("TESTS_TIMELINE")
    if not timeline:
        yield
        return
    start, cpu = time.time(), cpu_seconds()
    yield
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with open(timeline, "a", encoding="utf-8") as handle:
        handle.write(f"{worker}\t{start:.2f}\t{time.time():.2f}\t{cpu_seconds() - cpu:.2f}\t{item.nodeid}\n")


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@functools.cache
def report_family(page_name: str) -> str:
    """The English report a page belongs to (every language, with and without code), or 'index'."""
    from analysis.publish import config as build_config

    families = {
        page.name: entry.translations[0][1] if entry.lang != "en" and entry.translations else entry.name
        for entry in build_config.load_config()
        for page in (entry.html, entry.code_html)
    }
    return families.get(page_name, "index")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


def copy_repository(target: Path, *, with_synthetic: bool = False) -> Path:
    """Copy the project into `target`: with its git repository (so build information matches) and compiled
    bytecode (valid there: the copy keeps every timestamp), without .venv (make() points at the checkout's; its
    .venv-tools is a link to the checkout's, share_tools) or, unless asked, the SYNTHETIC
    record-level inputs (385 MB the copy's make would otherwise regenerate only if a report needs them;
    when asked, their Parquet partitions are hard links, see copy_built)."""
    # Also not what tests running beside this copy write in the checkout (notebook tests stage outputs,
    # browser tests take screenshots) nor a `make diff` reference worktree.
    ignored = [".venv", ".venv-lock", ".venv-tools", ".pytest_cache", "*.egg-info", "staging", "screenshots", "diff"]
    shutil.copytree(
        ROOT,
        target,
        ignore=shutil.ignore_patterns(*ignored, *([] if with_synthetic else ["synthetic"])),
        symlinks=True,
        copy_function=linking_partitions_of(ROOT),
    )
    own_git_repository(target)
    share_tools(target)
    return target


def share_tools(copy: Path) -> None:
    """Point the copy's .venv-tools (the small venv that holds uv) at the checkout's, as make() points VENV at its
    .venv. The Makefile's .venv rule wants it (order-only) before anything runs: without it, the first make in
    every fresh copy built a venv and pip-installed uv into it, about 14 core-seconds (built_repository on each
    worker, the clean build, the disclosure and diff tests). No test changes requirements-tools.lock, so make
    never rebuilds it here; if it did, its `rm -rf .venv-tools` would remove the link, not the checkout's venv."""
    tools = ROOT / ".venv-tools"
    if (tools / "bin" / "uv").is_file():
        (copy / ".venv-tools").symlink_to(tools, target_is_directory=True)
        # .gitignore's `.venv-tools/` matches a folder only: the link is ignored here, so git sees the copy as clean.
        exclude = copy / ".git" / "info" / "exclude"
        exclude.parent.mkdir(parents=True, exist_ok=True)
        with exclude.open("a", encoding="utf-8") as handle:
            handle.write("/.venv-tools\n")


def own_git_repository(copy: Path) -> None:
    """Give a copy of a linked git worktree (whose .git file points into the checkout's repository) a
    repository of its own, at the same commit with the same index, sharing the objects (git clone --shared).
    Without it, a git write in the copy is a write in the checkout: `make diff`'s worktree was registered in
    the checkout's repository and test_diff.py's commit landed on the checkout's branch."""
    if not (copy / ".git").is_file():
        return  # a whole .git folder was copied: the copy's repository is its own already
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, check=True, capture_output=True, text=True)
    (copy / ".git").unlink()
    clone = copy.parent / f"{copy.name}.git-clone"
    subprocess.run(["git", "clone", "--quiet", "--shared", "--no-checkout", str(ROOT), str(clone)], check=True)
    (clone / ".git").rename(copy / ".git")
    clone.rmdir()
    # HEAD at the checkout's commit (detached), the index read from it; the working files are the checkout's.
    subprocess.run(["git", "update-ref", "--no-deref", "HEAD", head.stdout.strip()], cwd=copy, check=True)
    subprocess.run(["git", "reset", "--quiet"], cwd=copy, check=True)


@pytest.fixture(scope="session")
def built_repository(tmp_path_factory) -> Path:
    """A scratch copy of the checkout with its build, brought up to date there (`make test` has just run
    `make reports` in the checkout, so nothing is left to build): the incremental-build and hostile-input
    tests start from copies of it. The clean build is test_build.py's own."""
    root = copy_repository(tmp_path_factory.mktemp("built") / "repo", with_synthetic=True)
    make(root, "reports")
    return root


def linking_partitions_of(source_root: Path):
    """shutil.copytree's copy function for a copy of `source_root`: the SYNTHETIC call logs' Parquet
    partitions (nearly all of the tree's 400 MB) are hard links, every other file a copy with its timestamps.

    Their generator only ever swaps a log's whole directory in (atomic.atomic_directory) and no rule
    touches a partition, so no copy can change another's (or the checkout's); copying them cost about
    1.5 s a copy. The other SYNTHETIC files are copied: the clean build touches them."""
    synthetic = source_root / "data/synthetic"

    def copy(source: str, destination: str) -> object:
        if source.endswith(".parquet") and Path(source).is_relative_to(synthetic):
            return os.link(source, destination)
        return shutil.copy2(source, destination)

    return copy


def copy_built(built: Path, target: Path) -> Path:
    """A copy of a built tree with every timestamp kept, so make finds it up to date and rebuilds only
    what a test changes (a full build costs a minute; a copy, seconds), its Parquet partitions hard links."""
    shutil.copytree(built, target, symlinks=True, copy_function=linking_partitions_of(built))
    return target


def make(cwd: Path, *targets: str, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run make in `cwd` with the project's .venv, capturing output."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("MAKEFLAGS", None)
    full_env.pop("MFLAGS", None)
    result = subprocess.run(
        ["make", "--no-print-directory", f"VENV={ROOT / '.venv'}", *targets],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
    )
    if check and result.returncode != 0:  # say why, not only that make failed
        raise AssertionError(
            f"make {' '.join(targets)} failed in {cwd} ({result.returncode}):\n{result.stderr[-4000:]}"
        )
    return result


def probe_fonts(page, probes: int) -> list[list[dict]]:
    """The fonts Chromium draws each element marked data-cjk-probe="0".."probes-1" with (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-cjk-probe]"})["nodeIds"]
    assert len(nodes) == probes  # in document order, the order the probes were numbered in
    return [cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"] for node in nodes]

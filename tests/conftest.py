"""Shared fixtures: the repository root and a scratch copy of it for build tests."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from analysis import paths

ROOT = paths.ROOT


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadscope` with our scopes: a file to a worker (a notebook's cells share one kernel, a
    module's fixtures are built once), but test_browser.py a report to a worker, so its pages spread.
    (xdist_group marks cannot do this under pytest 9.2: pytest-xdist issue #1386.)"""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class FileOrReportScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return scope_of(nodeid)

    return FileOrReportScheduling(config, log)


def scope_of(nodeid: str) -> str:
    """The file of a test, or for a browser test about one page, the report family of that page."""
    file, _, rest = nodeid.partition("::")
    page = rest.partition("[")[2].rstrip("]")
    if file.endswith("test_browser.py") and page:
        return f"browser:{report_family(page)}"
    return file


@functools.cache
def report_family(page_name: str) -> str:
    """The English report a page belongs to (every language, with and without code), or 'index'."""
    from analysis.publish import config as build_config

    families = {page.name: entry.translations[0][1] if entry.lang != "en" and entry.translations else entry.name
                for entry in build_config.load_config() for page in (entry.html, entry.code_html)}
    return families.get(page_name, "index")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


def copy_repository(target: Path, *, with_synthetic: bool = False) -> Path:
    """Copy the project into `target`: with .git (so build information matches) and compiled bytecode
    (valid there: the copy keeps every timestamp), without .venv or, unless asked, the SYNTHETIC
    record-level inputs (760 MB the copy's make would otherwise regenerate only if a report needs them)."""
    ignored = [".venv", ".venv-lock", ".venv-tools", ".pytest_cache", "*.egg-info"]
    shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(*ignored, *([] if with_synthetic else ["synthetic"])),
                    symlinks=True)
    return target


@pytest.fixture(scope="session")
def built_repository(tmp_path_factory) -> Path:
    """One scratch copy built from clean once per test run: the build tests start from copies of it.

    Everything the build makes is made again (processed tables, every report, the index) except the
    SYNTHETIC record-level inputs, which are copied: generating the 64-million-call log again costs
    20 s, and their generators' determinism is tested in test_calllog.py and test_registry.py."""
    root = copy_repository(tmp_path_factory.mktemp("built") / "repo", with_synthetic=True)
    make(root, "clean")
    make(root, "data")
    for generated in (root / "data/synthetic").iterdir():  # made from the tables `make data` just rewrote, unchanged
        os.utime(generated)
    make(root, "reports")
    return root


def copy_built(built: Path, target: Path) -> Path:
    """A copy of a built tree with every timestamp kept, so make finds it up to date and rebuilds only
    what a test changes (a full build costs a minute; a copy, seconds)."""
    shutil.copytree(built, target, symlinks=True)
    return target


def make(cwd: Path, *targets: str, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run make in `cwd` with the project's .venv, capturing output."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("MAKEFLAGS", None)
    full_env.pop("MFLAGS", None)
    result = subprocess.run(["make", "--no-print-directory", f"VENV={ROOT / '.venv'}", *targets],
                            cwd=cwd, env=full_env, capture_output=True, text=True)
    if check and result.returncode != 0:  # say why, not only that make failed
        raise AssertionError(f"make {' '.join(targets)} failed in {cwd} ({result.returncode}):\n{result.stderr[-4000:]}")
    return result


def probe_fonts(page, probes: int) -> list[list[dict]]:
    """The fonts Chromium draws each element marked data-cjk-probe="0".."probes-1" with (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    fonts = []
    for probe in range(probes):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": f'[data-cjk-probe="{probe}"]'})["nodeId"]
        fonts.append(cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"])
    return fonts

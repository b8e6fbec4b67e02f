"""Shared fixtures: the repository root and a scratch copy of it for build tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from analysis import paths

ROOT = paths.ROOT


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


def copy_repository(target: Path) -> Path:
    """Copy the project (with .git, so build information matches; not .venv) into `target`."""
    ignore = shutil.ignore_patterns(".venv", ".venv-lock", ".venv-tools", "__pycache__", ".pytest_cache",
                                    "*.egg-info", "synthetic")
    shutil.copytree(ROOT, target, ignore=ignore, symlinks=True)
    return target


@pytest.fixture(scope="session")
def built_repository(tmp_path_factory) -> Path:
    """One scratch copy built from clean, once per test run: the build tests start from copies of it."""
    root = copy_repository(tmp_path_factory.mktemp("built") / "repo")
    make(root, "clean")
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

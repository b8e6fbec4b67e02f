"""The lock, environment.yml and the Makefile front door agree with each other."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib

import yaml

from analysis import environment, paths


def pip_lines() -> list[str]:
    document = yaml.safe_load(environment.ENVIRONMENT_YML.read_text(encoding="utf-8"))
    return next(d["pip"] for d in document["dependencies"] if isinstance(d, dict))


def test_environment_yml_has_exactly_the_lock_pins():
    pip_section = pip_lines()
    pinned = dict(line.split(" ;")[0].split("==") for line in pip_section if "==" in line)
    assert pinned == environment.lock_pins()
    assert "-e ." in pip_section


def test_environment_yml_keeps_platform_markers():
    # The lock is for every platform; a Windows-only package must not be installed on Linux by conda's pip.
    marked = [line for line in pip_lines() if line.startswith("colorama==")]
    assert marked == [f"colorama=={environment.lock_pins()['colorama']} ; sys_platform == 'win32'"]


def test_environment_yml_python_matches_lock_and_running_interpreter():
    document = yaml.safe_load(environment.ENVIRONMENT_YML.read_text(encoding="utf-8"))
    python = next(d for d in document["dependencies"] if isinstance(d, str) and d.startswith("python="))
    assert python == f"python={environment.lock_python_version()}"
    assert f"{sys.version_info.major}.{sys.version_info.minor}" == environment.lock_python_version()


def test_environment_yml_is_what_make_lock_would_write():
    expected = environment.environment_yml(environment.exported_requirements(), environment.lock_python_version())
    assert environment.ENVIRONMENT_YML.read_text(encoding="utf-8") == expected


def test_lock_pins_every_package_exactly_with_a_hash():
    packages = environment.lock_packages()
    assert len(packages) > 50
    for package in packages:
        assert re.fullmatch(r"\d+(\.\d+)*([.-]?(a|b|rc|post|dev)\d+)*", package["version"]), package["name"]
        files = package.get("wheels", []) + ([package["sdist"]] if "sdist" in package else [])
        assert files, package["name"]
        assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", file["hash"]) for file in files), package["name"]


def uv(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(paths.ROOT / ".venv"), "UV_PYTHON_DOWNLOADS": "never"}
    return subprocess.run(
        [str(environment.UV), *args, "--offline"], cwd=paths.ROOT, env=env, capture_output=True, text=True
    )


def test_lock_is_up_to_date_with_pyproject():
    """uv.lock was compiled from pyproject.toml as it is now (`make lock` after every change of it)."""
    result = uv("lock", "--check")
    assert result.returncode == 0, result.stderr


def test_every_declared_requirement_is_locked():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = project["project"]["dependencies"] + [
        requirement
        for requirements in [
            *project["project"]["optional-dependencies"].values(),
            *project["dependency-groups"].values(),
        ]
        for requirement in requirements
    ]
    names = [normalise(re.split(r"[=<>!~\[;\s]", requirement)[0]) for requirement in declared]
    assert len(names) > 20
    assert sorted(set(names) - set(environment.lock_pins())) == []


def test_installed_versions_are_the_locked_ones():
    from importlib.metadata import version

    lock = environment.lock_pins()
    for name in ("pandas", "matplotlib", "statsmodels", "papermill", "nbconvert", "pandera"):
        assert version(name) == lock[name]


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_extras() -> list[str]:
    """The optional groups `make` added to .venv (a stamp each; rebuilding .venv removes them)."""
    return sorted(stamp.name.removeprefix(".extra-") for stamp in (paths.ROOT / ".venv").glob(".extra-*"))


def test_venv_holds_exactly_the_locked_distributions():
    """Every distribution installed in .venv, at the locked version, and nothing else."""
    import sysconfig
    from importlib.metadata import distributions
    from pathlib import Path

    assert Path(sys.prefix).resolve() == (paths.ROOT / ".venv").resolve(), "run the tests with .venv/bin/python"
    site_packages = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    installed = {normalise(d.metadata["Name"]): d.version for d in distributions(path=site_packages)}
    lock = environment.lock_pins()
    assert installed.pop("analysis") == "0.1.0"  # the project itself, installed editable
    assert {n: v for n, v in installed.items() if lock.get(n) != v} == {}, (
        "installed but not locked, or another version"
    )
    # Exactly the build's packages and those of the groups added, no more and no fewer: uv compares.
    extras = installed_extras()
    assert "test" in extras  # these tests run on pytest, which only the test group installs
    result = uv("sync", "--frozen", "--check", *[f"--extra={extra}" for extra in extras])
    assert result.returncode == 0, result.stderr


def test_build_environment_is_the_project_dependencies_alone(tmp_path):
    """What `make reports` installs: no group's package (uv's plan for an empty environment, nothing installed)."""
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(tmp_path / "venv"), "UV_PYTHON_DOWNLOADS": "never"}
    result = subprocess.run(
        [
            str(environment.UV),
            "sync",
            "--frozen",
            "--offline",
            "--dry-run",
            "--no-install-project",
            "--python",
            sys.executable,
        ],
        cwd=paths.ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    planned = set(re.findall(r"^ \+ ([a-z0-9][a-z0-9._-]*)==", result.stderr, re.M))
    assert {"pandas", "papermill", "ipykernel", "pylopdf-fonts-zh-cn", "setuptools"} <= planned
    assert planned.isdisjoint({"jupyterlab", "pytest", "ruff", "playwright", "dask", "distributed"})


def test_make_alone_prints_the_help_listing():
    result = subprocess.run(
        ["make", "--no-print-directory"], cwd=paths.ROOT, capture_output=True, text=True, check=True
    )
    for target in ("reports", "test", "data", "lab", "lock", "clean", "setup"):
        assert re.search(rf"^\s+{target}\b.*\S", result.stdout, re.M), target


def test_makefile_deletes_targets_on_error():
    assert ".DELETE_ON_ERROR:" in (paths.ROOT / "Makefile").read_text(encoding="utf-8")


def test_project_kernel_runs_the_venv_interpreter():
    import json
    from pathlib import Path

    spec = Path(sys.prefix) / "share/jupyter/kernels" / environment.KERNEL_NAME / "kernel.json"
    argv = json.loads(spec.read_text(encoding="utf-8"))["argv"]
    assert Path(argv[0]).resolve() == (paths.ROOT / ".venv/bin/python").resolve()

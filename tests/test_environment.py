"""The lock, environment.yml and the Makefile front door agree with each other."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml

from analysis import environment, paths


def test_environment_yml_has_exactly_the_lock_pins():
    document = yaml.safe_load(environment.ENVIRONMENT_YML.read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in document["dependencies"] if isinstance(d, dict))
    pinned = dict(line.split("==") for line in pip_section if "==" in line)
    assert {k.lower(): v for k, v in pinned.items()} == environment.lock_pins()
    assert "-e ." in pip_section


def test_environment_yml_python_matches_lock_and_running_interpreter():
    document = yaml.safe_load(environment.ENVIRONMENT_YML.read_text(encoding="utf-8"))
    python = next(d for d in document["dependencies"] if isinstance(d, str) and d.startswith("python="))
    assert python == f"python={environment.lock_python_version()}"
    assert f"{sys.version_info.major}.{sys.version_info.minor}" == environment.lock_python_version()


def test_environment_yml_is_what_make_lock_would_write():
    expected = environment.environment_yml(environment.lock_pins(), environment.lock_python_version())
    assert environment.ENVIRONMENT_YML.read_text(encoding="utf-8") == expected


def test_lock_pins_every_package_with_a_hash():
    text = paths.LOCK_FILE.read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[a-z0-9])", text.split("\n", 2)[2])
    assert len(entries) > 50
    for entry in entries:
        assert re.match(r"^[a-z0-9][a-z0-9._-]*==\S+", entry), entry[:60]
        assert "--hash=sha256:" in entry, entry[:60]


def test_every_top_level_requirement_is_locked():
    lock = environment.lock_pins()
    wanted = [
        re.split(r"[=<>!~\[;]", line.split("#")[0])[0].strip().lower()
        for line in (paths.ROOT / "requirements.in").read_text(encoding="utf-8").splitlines()
    ]
    missing = [name for name in wanted if name and name not in lock]
    assert not missing


def test_installed_versions_are_the_locked_ones():
    from importlib.metadata import version

    lock = environment.lock_pins()
    for name in ("pandas", "matplotlib", "statsmodels", "papermill", "nbval", "nbconvert", "pandera"):
        assert version(name) == lock[name]


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_venv_holds_exactly_the_locked_distributions():
    """Every distribution installed in .venv, at the locked version, and nothing else."""
    import sysconfig
    from importlib.metadata import distributions
    from pathlib import Path

    assert Path(sys.prefix).resolve() == (paths.ROOT / ".venv").resolve(), "run the tests with .venv/bin/python"
    site_packages = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    installed = {normalise(d.metadata["Name"]): d.version for d in distributions(path=site_packages)}
    lock = {normalise(name): version for name, version in environment.lock_pins().items()}
    assert installed.pop("analysis") == "0.1.0"  # the project itself, installed editable
    # The pip fallback of `make setup` builds .venv with `python -m venv`, which brings pip, the installer.
    if "pip" not in lock:
        installed.pop("pip", None)
    assert {n: v for n, v in installed.items() if lock.get(n) != v} == {}, (
        "installed but not locked, or another version"
    )
    assert sorted(set(lock) - set(installed)) == [], "locked but not installed"


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

    spec = Path(sys.prefix) / "share/jupyter/kernels/policy-research/kernel.json"
    argv = json.loads(spec.read_text(encoding="utf-8"))["argv"]
    assert Path(argv[0]).resolve() == (paths.ROOT / ".venv/bin/python").resolve()

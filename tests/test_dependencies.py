"""pyproject.toml declares what the package imports: no undeclared import, no unused declaration, no tool in the build."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from analysis import paths

DEPTRY = Path(sys.executable).with_name("deptry")  # pinned in the test group


def deptry(root: Path, *sources: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(DEPTRY), "--no-ansi", *sources], cwd=root, capture_output=True, text=True, check=False)


def test_src_and_notebooks_import_exactly_the_declared_dependencies():
    result = deptry(paths.ROOT, "src", "notebooks")
    assert result.returncode == 0, result.stdout + result.stderr


def copy_of_project(tmp_path: Path) -> Path:
    """pyproject.toml and src/ in a scratch tree, to change without touching the repository."""
    shutil.copy(paths.ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(paths.PACKAGE, tmp_path / "src" / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_the_check_fails_on_an_undeclared_import(tmp_path):
    root = copy_of_project(tmp_path)
    # packaging is installed (matplotlib needs it) but not declared; pytest is declared only for the tests.
    (root / "src/analysis/uses_undeclared.py").write_text("import packaging\nimport pytest\n", encoding="utf-8")
    result = deptry(root, "src")
    assert result.returncode == 1
    assert "DEP003 'packaging' imported but it is a transitive dependency" in result.stderr
    assert "DEP004 'pytest' imported but declared as a dev dependency" in result.stderr


def test_the_check_fails_on_an_unused_declaration(tmp_path):
    root = copy_of_project(tmp_path)
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(
        text.replace("dependencies = [\n", 'dependencies = [\n    "packaging",\n', 1), encoding="utf-8"
    )
    result = deptry(root, "src")
    assert result.returncode == 1
    assert "DEP002 'packaging' defined as a dependency but not used in the codebase" in result.stderr


BLOCK_AND_IMPORT = """
import importlib, pkgutil, sys
blocked = set(sys.argv[1:])

class Blocked:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in blocked:
            raise ModuleNotFoundError(f"{name} belongs to an optional group", name=name)

sys.meta_path.insert(0, Blocked())
import analysis
for module in pkgutil.walk_packages(analysis.__path__, "analysis."):
    if not module.name.endswith("__main__"):
        importlib.import_module(module.name)
print("imported", len([m for m in sys.modules if m.startswith("analysis")]))
"""


def normalized(distribution: str) -> str:
    return distribution.lower().replace("_", "-").replace(".", "-")


def optional_only_packages() -> set[str]:
    """The packages of uv.lock that only the optional groups bring, their own requirements' requirements
    included (markers ignored, so a package any build requirement may need counts as the build's): what
    the build's environment lacks. Blocked too, a lab-only package a build dependency would import if it
    could is refused as in the build; among them jsonschema's IRI checker rfc3987_syntax (jupyter-events
    asks for jsonschema[format-nongpl]), whose Earley grammars cost about 4 core-seconds an import."""
    packages = {
        package["name"]: package for package in tomllib.loads(paths.LOCK_FILE.read_text(encoding="utf-8"))["package"]
    }

    def closure(requirements: list[dict]) -> set[str]:
        seen, todo = set(), list(requirements)
        while todo:
            requirement = todo.pop()
            key = (requirement["name"], tuple(requirement.get("extra", ())))
            if key in seen:
                continue
            seen.add(key)
            package = packages[requirement["name"]]
            todo += package.get("dependencies", [])
            for extra in key[1]:
                todo += package.get("optional-dependencies", {}).get(extra, [])
        return {name for name, _ in seen}

    project = next(p for p in packages.values() if p.get("source", {}).get("editable") == ".")
    groups = [r for requirements in project["optional-dependencies"].values() for r in requirements]
    return closure(groups) - closure(project["dependencies"])


@pytest.mark.slow  # imports every module: pandas, matplotlib, statsmodels and the rest
def test_every_module_imports_without_the_optional_groups():
    """The build installs no optional group: dask and the rest may be imported only where they are used."""
    from importlib.metadata import packages_distributions

    groups = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    optional = {
        requirement.split("==")[0].split(">=")[0].lower()
        for requirements in groups["optional-dependencies"].values()
        for requirement in requirements
    }
    assert {"dask", "distributed", "jupyterlab", "pytest", "ruff"} <= optional
    only_optional = optional_only_packages()
    modules = sorted(
        module
        for module, distributions in packages_distributions().items()
        if any(d.lower() in optional for d in distributions)
        or (distributions and all(normalized(d) in only_optional for d in distributions))
    )
    assert {"dask", "distributed", "jupyterlab", "pytest"} <= set(modules)
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_AND_IMPORT, *modules], cwd=paths.ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("imported ")

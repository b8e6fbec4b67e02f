"""The report build: configuration, determinism, incrementality and failure, in scratch copies."""

from __future__ import annotations

import filecmp
import json
import os
import re
from pathlib import Path

import nbformat
import pytest
import yaml

from analysis import paths
from analysis.publish import config as build_config
from analysis.publish import makerules
from conftest import copy_built, copy_repository, make

pytestmark = pytest.mark.slow

BUILD_LINE = re.compile(r"^building (\S+)$", re.MULTILINE)  # printed by the build for each report it runs


QUEUE_LINE = re.compile(r"echo (\S+) >> build/stale-\w+\.txt")  # what make -n shows it would queue


def built_reports(output: str) -> set[str]:
    return set(BUILD_LINE.findall(output))


def published_files(root: Path) -> list[Path]:
    """Every output a reviewer or make would read, relative to `root`."""
    patterns = [
        "reports/index.html",
        "reports/html/*.html",
        "reports/results/*.json",
        "reports/figures/*/*.png",
        "reports/figures/*/*.svg",
        "build/executed/*.ipynb",
    ]
    return sorted(p.relative_to(root) for pattern in patterns for p in root.glob(pattern))


def report_outputs(root: Path, name: str) -> list[Path]:
    """What the build publishes for one report, relative to `root`."""
    files = [
        f"reports/html/{name}.html",
        f"reports/html/{name}.code.html",
        f"reports/results/{name}.json",
        f"build/executed/{name}.ipynb",
    ]
    return [Path(f) for f in files] + sorted(p.relative_to(root) for p in (root / "reports/figures" / name).iterdir())


@pytest.fixture(scope="module")
def fresh_copy(built_repository, tmp_path_factory) -> Path:
    """A built copy of the repository (conftest.built_repository) for this module to change."""
    return copy_built(built_repository, tmp_path_factory.mktemp("fresh") / "repo")


@pytest.fixture
def clean_build(tmp_path) -> Path:
    """The repository built again from clean in a scratch copy: processed tables, every report, the index.

    The SYNTHETIC record-level inputs are copied, not generated again (generating the 64-million-call log
    costs 20 s; their generators' determinism is tested in test_calllog.py and test_registry.py)."""
    root = copy_repository(tmp_path / "repo", with_synthetic=True)
    make(root, "clean")
    make(root, "data")
    for generated in (root / "data/synthetic").iterdir():  # made from the tables `make data` just rewrote, unchanged
        os.utime(generated)
    make(root, "reports")
    return root


def test_config_lists_unique_reports_with_existing_notebooks():
    entries = build_config.load_config()
    assert len({e.name for e in entries}) == len(entries) >= 4
    text = makerules.makefile_text(entries)
    for e in entries:
        assert f"reports/html/{e.name}.html: notebooks/{e.notebook} build/params/{e.name}.json" in text
        for table in e.reads:
            assert f"data/processed/{table}.csv" in text.split(f"reports/html/{e.name}.html:")[1].split("\n")[0]


def test_two_clean_builds_give_identical_bytes(clean_build):
    ours = published_files(paths.ROOT)
    theirs = published_files(clean_build)
    assert ours == theirs and len(ours) > 20
    _, mismatch, errors = filecmp.cmpfiles(paths.ROOT, clean_build, [str(p) for p in ours], shallow=False)
    assert mismatch == [] and errors == []


def test_noop_rebuild_runs_no_report(fresh_copy):
    result = make(fresh_copy, "reports")
    assert built_reports(result.stdout) == set()
    assert "analysis.publish build" not in result.stdout


def test_touching_one_notebook_rebuilds_exactly_its_reports_to_the_same_bytes(fresh_copy):
    expected = {e.name for e in build_config.load_config() if e.notebook == "02_hotline_growth.ipynb"}
    outputs = [p for name in sorted(expected) for p in report_outputs(fresh_copy, name)]
    before = {p: (fresh_copy / p).read_bytes() for p in outputs}
    (fresh_copy / "notebooks/02_hotline_growth.ipynb").touch()
    result = make(fresh_copy, "reports")
    assert built_reports(result.stdout) == expected
    assert "analysis.publish build" in result.stdout
    assert len(outputs) > 4 and {p: (fresh_copy / p).read_bytes() for p in outputs} == before


def test_changing_one_entry_rebuilds_only_its_reports(fresh_copy):
    config_path = fresh_copy / "reports.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    audit_entry = next(r for r in config["reports"] if r["name"] == "data_audit")
    audit_entry["title"]["zh"] += "（改题）"  # the page shows its title: exactly that language's report rebuilds
    poverty_entry = next(r for r in config["reports"] if r["name"] == "poverty_exit")
    poverty_entry["title"]["en"] += " (retitled)"  # one entry, every region's English page
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert built_reports(make(fresh_copy, "reports").stdout) == {
        "data_audit_zh",
        "poverty_exit_beijing",
        "poverty_exit_zhejiang",
    }
    assert "（改题）</title>" in (fresh_copy / "reports/html/data_audit_zh.html").read_text(encoding="utf-8")
    assert " (retitled)</title>" in (fresh_copy / "reports/html/poverty_exit_zhejiang.html").read_text(encoding="utf-8")


def test_touching_raw_data_without_changing_it_rebuilds_no_report(fresh_copy):
    (fresh_copy / "data/raw/figures.csv").touch()
    result = make(fresh_copy, "reports")
    assert "analysis.evidence.catalogue" in result.stdout
    assert built_reports(result.stdout) == set()


def test_changing_package_code_in_a_subpackage_rebuilds_every_report(fresh_copy):
    # What make would rebuild (make -n: the dependency graph, without rebuilding all reports again),
    # then the file and its timestamp restored so the next test starts from a built tree.
    module = fresh_copy / "src/analysis/charts/hotline.py"
    original, stat = module.read_bytes(), module.stat()
    module.write_bytes(original + b"\n")
    try:
        result = make(fresh_copy, "-n", "reports")
    finally:
        module.write_bytes(original)
        os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert set(QUEUE_LINE.findall(result.stdout)) == {e.name for e in build_config.load_config()}
    assert built_reports(make(fresh_copy, "reports").stdout) == set()


def test_a_failing_notebook_stops_the_build_and_leaves_nothing_stale(fresh_copy):
    notebook = fresh_copy / "notebooks/00_data_audit.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    parameters = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells.insert(
        parameters + 1, nbformat.v4.new_code_cell("raise RuntimeError('deliberate failure for the build test')")
    )
    nbformat.write(nb, notebook)
    result = make(fresh_copy, "reports", check=False)
    assert result.returncode != 0
    assert "report 'data_audit'" in result.stderr
    assert "RuntimeError: deliberate failure for the build test" in result.stderr
    failed = nbformat.read(fresh_copy / "build/failed/data_audit.FAILED.ipynb", as_version=4)
    errors = [
        o
        for c in failed.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert errors and errors[-1]["evalue"] == "deliberate failure for the build test"
    for stale in (
        "reports/html/data_audit.html",
        "reports/html/data_audit.code.html",
        "reports/results/data_audit.json",
        "reports/figures/data_audit",
        "build/executed/data_audit.ipynb",
        "reports/index.html",
        "build/staging/data_audit",
    ):
        assert not (fresh_copy / stale).exists(), stale
    # The next run tries again rather than taking anything for fresh.
    again = make(fresh_copy, "reports", check=False)
    assert "building data_audit" in again.stdout and again.returncode != 0


def test_a_notebook_that_writes_no_results_fails_and_leaves_no_page(built_repository, tmp_path):
    root = copy_built(built_repository, tmp_path / "repo")
    notebook = root / "notebooks/02_hotline_growth.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    nb.cells = [c for c in nb.cells if "out.write_results(" not in c.source]
    nbformat.write(nb, notebook)
    result = make(root, "reports", check=False)
    names = [e.name for e in build_config.load_config() if e.notebook == "02_hotline_growth.ipynb"]
    assert result.returncode != 0 and "the notebook wrote no results" in result.stderr
    for name in names:
        assert not (root / f"reports/html/{name}.html").exists()
    assert not (root / "reports/index.html").exists()
    assert any((root / f"build/failed/{name}.FAILED.ipynb").exists() for name in names)


def test_results_files_name_the_figures_they_use():
    for entry in build_config.load_config():
        results = json.loads(entry.results.read_text(encoding="utf-8"))
        assert results["figure_ids"], entry.name
        assert results["key_numbers"] and results["finding"], entry.name

"""The report build: configuration, determinism, incrementality and failure, in scratch copies."""

from __future__ import annotations

import csv
import filecmp
import json
import os
import re
from pathlib import Path

import nbformat
import pytest
import yaml

from analysis import paths
from analysis.evidence import catalogue
from analysis.publish import calibration, makerules
from analysis.publish import config as build_config
from conftest import copy_built, copy_repository, make

pytestmark = pytest.mark.slow

BUILD_LINE = re.compile(r"^building (\S+)$", re.MULTILINE)  # printed by the build for each report it runs


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
    """A built copy of the repository (conftest.built_repository) for this module's tests to change, one
    after another, each leaving it built (the failing notebook's test, last, leaves it broken). The tests of
    TestOnASecondCopy change a copy of their own, so the two chains can run on two workers at once."""
    return copy_built(built_repository, tmp_path_factory.mktemp("fresh") / "repo")


@pytest.fixture(scope="class")
def second_copy(built_repository, tmp_path_factory) -> Path:
    """Another built copy, for the tests of TestOnASecondCopy (a scope of their own: tests/conftest.py)."""
    return copy_built(built_repository, tmp_path_factory.mktemp("second") / "repo")


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
        assert f"reports/html/{e.name}.html: build/inputs/{e.name}.json" in text
        # Its manifest is recomputed when its notebook or one of its tables is touched.
        stamp = makerules.manifests_stamp(e.batch)
        assert any(
            line.startswith("build/inputs/") and f"{e.name}.json" in line and line.endswith(f"{stamp} ;")
            for line in text.splitlines()
        )
        rule = next(line for line in text.splitlines() if line.startswith(f"{stamp}:"))
        for table in e.reads:
            assert f"data/processed/{table}.csv" in rule
        assert f"notebooks/{e.notebook}" in rule


def test_the_call_log_calibration_holds_only_what_its_generator_reads(monkeypatch):
    # The generator reproduces the exact printed volumes inside its window (and assumed ones elsewhere): a
    # qualified total (the cumulative 'at least' volume) or a note is not read, so editing it leaves the extract,
    # and so the 64-million-call SYNTHETIC log (mk/calllog.mk), as it was; an exact volume's value moves it.
    settings = yaml.safe_load(paths.SYNTHETIC_CONFIG.read_text(encoding="utf-8"))["calllog"]
    volumes, load_processed = catalogue.load_processed("hotline_volume"), catalogue.load_processed
    calibrated = (
        (volumes["region"] == settings["region"])
        & (volumes["indicator"] == settings["indicator"])
        & (volumes["breakdown_dimension"] == "")
    )
    start, end = settings["window"]
    inside = (volumes["period_start"] >= start) & (volumes["period_end"] <= end)
    qualified = volumes.index[calibrated & (volumes["qualifier"] != "exact")]
    exact = volumes.index[calibrated & (volumes["qualifier"] == "exact") & inside]
    assert len(qualified) and len(exact)

    def extract_after(column: str, rows, value) -> dict:
        edited = volumes.copy()
        edited.loc[rows, column] = value
        monkeypatch.setattr(
            catalogue, "load_processed", lambda name: edited if name == "hotline_volume" else load_processed(name)
        )
        return calibration.extracts()["calllog"]

    before = calibration.extracts()["calllog"]
    assert extract_after("value", qualified, volumes.loc[qualified, "value"] + 1e6) == before
    assert extract_after("note", exact, "edited by the build test") == before
    first = exact[0]
    moved = extract_after("value", [first], volumes.at[first, "value"] + 1e4)["volumes"]
    period = {"start": volumes.at[first, "period_start"], "end": volumes.at[first, "period_end"]}
    assert {**period, "calls": int(volumes.at[first, "value"]) + 10_000} in moved


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


def edit_notebook(path: Path, edit) -> None:
    nb = nbformat.read(path, as_version=4)
    edit(nb)
    nbformat.write(nb, path)


def test_touching_a_notebook_rebuilds_nothing_and_editing_its_english_text_rebuilds_its_english_pages(fresh_copy):
    notebook = fresh_copy / "notebooks/02_hotline_growth.ipynb"
    notebook.touch()
    assert built_reports(make(fresh_copy, "reports").stdout) == set()

    def english_text(nb):
        cell = next(c for c in nb.cells if "lang-en" in c.metadata.get("tags", []))
        cell.source += " (edited by the build test)"

    edit_notebook(notebook, english_text)
    expected = {e.name for e in build_config.load_config() if e.notebook == notebook.name and e.lang == "en"}
    assert built_reports(make(fresh_copy, "reports").stdout) == expected == {"hotline_growth_beijing"}
    page = (fresh_copy / "reports/html/hotline_growth_beijing.html").read_text(encoding="utf-8")
    assert "(edited by the build test)" in page


def test_one_row_edited_rebuilds_its_readers_only_and_why_names_the_row(fresh_copy):
    figures = fresh_copy / "data/raw/figures.csv"
    rows = list(csv.DictReader(figures.open(encoding="utf-8")))
    row = next(r for r in rows if r["topic"] == "satisfaction" and r["region"] == "Zhejiang" and "." in r["value"])
    # One more in the last printed digit, in the value and in the printed characters around it.
    whole, decimals = row["value"].split(".")
    new = f"{whole}.{int(decimals) + 1 if decimals[-1] != '9' else int(decimals) - 1:0{len(decimals)}d}"
    old_line = next(
        line for line in figures.read_text(encoding="utf-8").splitlines() if line.startswith(row["figure_id"])
    )
    figures.write_text(
        figures.read_text(encoding="utf-8").replace(old_line, old_line.replace(row["value"], new)), encoding="utf-8"
    )
    synthetic = {p: p.stat().st_mtime_ns for p in (fresh_copy / "data/synthetic").iterdir()}

    why = make(fresh_copy, "why", "REPORT=service_satisfaction_zhejiang").stdout
    assert "service_satisfaction_zhejiang: out of date" in why
    assert f"data/processed/figures.csv: rows changed: {row['figure_id']}" in why
    assert f"data/processed/service_satisfaction.csv: rows changed: {row['figure_id']}" in why
    assert "up to date" in make(fresh_copy, "why", "REPORT=hotline_growth_beijing").stdout

    # The comparison of another topic prints no satisfaction figure: it stays up to date.
    assert "up to date" in make(fresh_copy, "why", "REPORT=compare_hotline").stdout

    # Its readers, from reports.yml, in each of their languages: every entry reading the satisfaction table (a
    # per-region entry for Zhejiang alone: the Zhejiang report; the comparison page) and the entries that read
    # the catalogue itself and nothing else (data_audit). The other comparisons read only their topic's figures.
    config = yaml.safe_load((fresh_copy / "reports.yml").read_text(encoding="utf-8"))
    expected = set()
    for entry in config["reports"]:
        if "service_satisfaction" not in entry["reads"] and not {"figures"} <= set(entry["reads"]) <= {
            "figures",
            "audit",
        }:
            continue
        name = entry["name"] + ("_zhejiang" if entry.get("regions") == "from_data" else "")
        languages = entry.get("languages", config["languages"])
        expected |= {name if lang == languages[0] else f"{name}_{lang}" for lang in languages}
    assert {"data_audit", "service_satisfaction_zhejiang_zh", "compare_satisfaction"} <= expected
    assert not {"compare_hotline", "compare_poverty_exit"} & expected
    assert built_reports(make(fresh_copy, "reports").stdout) == expected
    assert {p: p.stat().st_mtime_ns for p in (fresh_copy / "data/synthetic").iterdir()} == synthetic
    assert "up to date" in make(fresh_copy, "why", "REPORT=service_satisfaction_zhejiang").stdout


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


class TestOnASecondCopy:
    """Incremental builds on a copy of their own (second_copy): a scope of their own (tests/conftest.py), so
    they run on one worker while the tests on fresh_copy run on the other. Each leaves its copy built."""

    def test_make_one_page_builds_that_page_alone(self, second_copy):
        def code_comment(nb):
            cell = next(c for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", []))
            cell.source += "\n# edited by the build test"

        edit_notebook(second_copy / "notebooks/02_hotline_growth.ipynb", code_comment)  # both languages' pages
        page = "reports/html/hotline_growth_beijing_zh.html"
        result = make(second_copy, page)
        assert built_reports(result.stdout) == {"hotline_growth_beijing_zh"}
        assert "analysis.publish build --jobs 1 hotline_growth_beijing_zh" in result.stdout
        assert built_reports(make(second_copy, page).stdout) == set()  # now up to date
        assert built_reports(make(second_copy, "reports").stdout) == {"hotline_growth_beijing"}

    def test_a_breakdown_row_rebuilds_the_reports_whose_figures_it_describes_and_no_other(self, second_copy):
        breakdowns = second_copy / "data/raw/breakdowns.csv"
        original = breakdowns.read_text(encoding="utf-8")
        rows = list(csv.DictReader(breakdowns.open(encoding="utf-8")))
        satisfaction = list(
            csv.DictReader((second_copy / "data/processed/service_satisfaction.csv").open(encoding="utf-8"))
        )
        # A breakdown printed by Zhejiang's satisfaction figures only (make data refuses a breakdown no figure uses,
        # so an unrelated row is another region's: Huairou's report must stay up to date).
        zhejiang = {(r["indicator"], r["breakdown_dimension"]) for r in satisfaction if r["region"] == "Zhejiang"}
        elsewhere = {(r["indicator"], r["breakdown_dimension"]) for r in satisfaction if r["region"] != "Zhejiang"}
        used = next(r for r in rows if (r["indicator"], r["breakdown_dimension"]) in zhejiang - elsewhere)

        def edit_note(row: dict) -> None:
            line = next(line for line in original.splitlines() if line.endswith(row["note"]))
            text = breakdowns.read_text(encoding="utf-8").replace(line, line + " (edited)")
            breakdowns.write_text(text, encoding="utf-8")

        edit_note(used)
        key = f"{used['indicator']}:{used['breakdown_dimension']}"
        why = make(second_copy, "why", "REPORT=service_satisfaction_zhejiang").stdout
        assert f"data/processed/breakdowns.csv: rows changed: {key}" in why
        assert "up to date" in make(second_copy, "why", "REPORT=service_satisfaction_beijing_huairou").stdout
        # Zhejiang's satisfaction report and the satisfaction comparison (every region's satisfaction figures); the
        # other comparisons print no satisfaction figure.
        assert "up to date" in make(second_copy, "why", "REPORT=compare_poverty_exit").stdout
        expected = {"service_satisfaction_zhejiang", "compare_satisfaction"}
        # The copy is up to date with the edit kept (as after the one-row edit): undoing it would rebuild them again.
        assert built_reports(make(second_copy, "reports").stdout) == expected | {f"{n}_zh" for n in expected}

    def test_a_population_printed_on_one_topics_page_is_read_by_the_comparisons_of_its_region(self, second_copy):
        # Beijing prints its resident population (a stock of persons whose scope is the residents) on a hotline
        # page; its caseloads are compared per resident, so the caseload comparison reads that row, and the
        # satisfaction comparison (Huairou and Zhejiang, not Beijing) does not.
        figures = second_copy / "data/raw/figures.csv"
        original = figures.read_text(encoding="utf-8")
        meaning = {
            r["indicator"]: r for r in csv.DictReader((second_copy / "data/raw/indicators.csv").open(encoding="utf-8"))
        }
        row = next(
            r
            for r in csv.DictReader(figures.open(encoding="utf-8"))
            if r["region"] == "Beijing"
            and r["topic"] == "hotline"
            and not r["breakdown_dimension"]
            and (meaning[r["indicator"]]["kind"], meaning[r["indicator"]]["counts"], meaning[r["indicator"]]["scope"])
            == ("stock", "persons", "residents")
        )
        line = next(line for line in original.splitlines() if line.startswith(row["figure_id"] + ","))
        assert line.endswith(",")  # no note yet: the edit gives it one
        figures.write_text(original.replace(line, line + "edited by the build test"), encoding="utf-8")
        why = make(second_copy, "why", "REPORT=compare_poverty_exit").stdout
        assert f"data/processed/figures.csv: rows changed: {row['figure_id']}" in why
        assert "up to date" in make(second_copy, "why", "REPORT=compare_satisfaction").stdout
        assert "up to date" in make(second_copy, "why", "REPORT=poverty_exit_beijing").stdout
        figures.write_text(original, encoding="utf-8")
        assert "up to date" in make(second_copy, "why", "REPORT=compare_poverty_exit").stdout

    def test_editing_a_module_rebuilds_only_the_reports_whose_notebooks_import_it(self, second_copy):
        # Only notebook 02 imports analysis.charts.hotline (no module the others import imports it either).
        expected = {e.name for e in build_config.load_config() if e.notebook == "02_hotline_growth.ipynb"}
        outputs = [p for name in sorted(expected) for p in report_outputs(second_copy, name)]
        before = {p: (second_copy / p).read_bytes() for p in outputs}
        module = second_copy / "src/analysis/charts/hotline.py"
        module.write_text(module.read_text(encoding="utf-8") + "\n# edited by the build test\n", encoding="utf-8")
        assert built_reports(make(second_copy, "reports").stdout) == expected
        # A comment changes no byte of what they publish.
        assert len(outputs) > 4 and {p: (second_copy / p).read_bytes() for p in outputs} == before
        (second_copy / "src/analysis/publish/diff.py").touch()
        assert built_reports(make(second_copy, "reports").stdout) == set()


def test_results_files_name_the_figures_they_use():
    for entry in build_config.load_config():
        results = json.loads(entry.results.read_text(encoding="utf-8"))
        assert results["figure_ids"], entry.name
        assert results["key_numbers"] and results["finding"], entry.name

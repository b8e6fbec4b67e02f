"""Hostile or mistaken configuration: caught before anything runs, with one clear line, and nothing outside the outputs touched."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from analysis import paths
from analysis.publish import config, index
from analysis.publish.config import ConfigError
from conftest import copy_built, make

GOOD_ENTRY = {
    "name": "poverty_exit_beijing_en",
    "notebook": "01_poverty_exit.ipynb",
    "title": "Poverty exit",
    "reads": ["poverty_caseload"],
    "parameters": {"region": "Beijing"},
}


def load(tmp_path: Path, document: object) -> list[config.ReportEntry]:
    path = tmp_path / "reports.yml"
    path.write_text(document if isinstance(document, str) else yaml.safe_dump(document), encoding="utf-8")
    return config.load_config(path)


@pytest.mark.parametrize("name", ["../../notebooks/01_poverty_exit", "../../victim_dir", "a/b", "..", ".hidden", ""])
def test_a_report_name_that_could_escape_reports_is_refused(tmp_path, name):
    with pytest.raises(ConfigError, match="report 1: report name .* must be letters, digits"):
        load(tmp_path, {"reports": [{**GOOD_ENTRY, "name": name}]})


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"parameters": {"regoin": "Zhejiang"}}, "parameter 'regoin' is not declared by 01_poverty_exit.ipynb"),
        ({"parameters": {"lang": "zh"}}, "parameter 'lang' is set by the build"),
        ({"parameters": {"report_name": "x"}}, "parameter 'report_name' is set by the build"),
        ({"languages": ["fr"]}, "languages must be a list of distinct codes from en, zh, not ['fr']"),
        ({"languages": ["en", "en"]}, "languages must be a list of distinct codes"),
        ({"languages": ["en", "zh"]}, "its title must be a mapping from each language to its text"),
        ({"languages": ["en", "zh"], "title": {"en": "Poverty exit"}}, "title lacks a text for zh"),
        ({"notebook": "../Makefile"}, "notebook must be a file name in notebooks/"),
        ({"notebook": "99_missing.ipynb"}, "names a missing notebook"),
        ({"inputs": ["../../etc/passwd"]}, "lies outside the repository"),
        ({"colour": "red"}, "unknown key(s) colour"),
        ({"title": ""}, "title must be non-empty text"),
    ],
)
def test_a_mistaken_entry_is_named_with_its_rule(tmp_path, changes, message):
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, {"reports": [{**GOOD_ENTRY, **changes}]})
    assert f"report 'poverty_exit_beijing_en': {message}" in str(caught.value) or message in str(caught.value)


@pytest.mark.parametrize(
    "document,message",
    [
        ("", "must hold a non-empty list under 'reports:'"),
        ("reports: []\n", "must hold a non-empty list under 'reports:'"),
        ("other: 1\n", "must hold a non-empty list under 'reports:'"),
        ("reports: [\n", "not valid YAML"),
        ({"reports": ["just a string"]}, "report 1: must be a mapping"),
        ({"reports": [GOOD_ENTRY, GOOD_ENTRY]}, "duplicate report names poverty_exit_beijing_en"),
        ({"langauges": ["en"], "reports": [GOOD_ENTRY]}, "unknown top-level key(s) langauges"),
    ],
)
def test_an_empty_or_malformed_config_is_one_clear_line(tmp_path, document, message):
    with pytest.raises(ConfigError, match="reports.yml: ") as caught:
        load(tmp_path, document)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_each_language_is_a_report_titled_in_it_and_linked_to_the_others(tmp_path):
    entry = {**GOOD_ENTRY, "name": "poverty", "title": {"en": "Poverty exit: {region}", "zh": "脱困：{region}"}}
    entries = load(tmp_path, {"languages": ["en", "zh"], "reports": [entry]})
    assert [(e.name, e.lang, e.title, e.translations) for e in entries] == [
        ("poverty", "en", "Poverty exit: Beijing", (("zh", "poverty_zh"),)),
        ("poverty_zh", "zh", "脱困：北京市", (("en", "poverty"),)),
    ]
    assert entries[1].run_parameters() == {"region": "Beijing", "report_name": "poverty_zh", "lang": "zh"}
    only_english = load(tmp_path, {"languages": ["en", "zh"], "reports": [{**entry, "languages": ["en"]}]})
    assert [e.name for e in only_english] == ["poverty"]


def test_a_region_without_data_names_the_regions_that_have_data(tmp_path):
    # Every region with caseload rows is named, whichever they are (a new page's region joins the list).
    from analysis.evidence.catalogue import load_processed

    with_data = sorted(set(load_processed("poverty_caseload")["region"]))
    assert "Shanghai" not in with_data
    entries = load(tmp_path, {"reports": [{**GOOD_ENTRY, "parameters": {"region": "Shanghai"}}]})
    with pytest.raises(ConfigError) as caught:
        index.check_regions(entries)
    message = str(caught.value)
    assert "no data for region 'Shanghai' in poverty_caseload; regions with data: " in message
    assert message.rpartition("regions with data: ")[2].split(", ") == with_data


def test_writes_and_deletes_are_confined_to_the_folder_that_owns_them(tmp_path):
    owner = tmp_path / "reports" / "html"
    owner.mkdir(parents=True)
    assert paths.inside(owner / "a.html", owner) == (owner / "a.html").resolve()
    for escape in (owner / ".." / ".." / "victim", owner, tmp_path / "elsewhere"):
        with pytest.raises(paths.OutsideOutputs):
            paths.inside(escape, owner)
    (owner / "link").symlink_to(tmp_path)
    with pytest.raises(paths.OutsideOutputs):
        paths.inside(owner / "link" / "victim", owner)


def test_index_text_from_config_results_and_sources_is_escaped():
    entry = config.ReportEntry(name="x", notebook="00_data_audit.ipynb", title="<script>alert(1)</script>", reads=())
    results = {
        "finding": "<b>bold</b>",
        "synthetic": False,
        "figure_ids": ["f"],
        "key_numbers": [
            {
                "label": "<i>l</i>",
                "display": "1",
                "figure_ids": ["f"],
                "derivation": "<u>d</u>",
                "provenance": [
                    {
                        "figure_id": "f",
                        "as_printed": "<s>1</s>",
                        "qualifier": "exact",
                        "source": "P",
                        "source_date": "2020",
                        "period_as_printed": "",
                        "locator": "<em>x</em>",
                    }
                ],
            }
        ],
    }
    source = {
        "source_id": "s",
        "publication": "P",
        "reprinted_from": "",
        "publication_date": "2020",
        "headline": '<img src="http://example.invalid/x.png">',
        "script": "simplified",
        "date_resolution_notes": "n",
    }
    page = index.index_html(
        [{"entry": entry, "results": results, "thumbnail": None}],
        [source],
        {"commit": "c", "lock_sha256": "l", "raw_data_sha256": "r"},
    )
    for markup in ("<script>alert", "<b>bold", "<i>l</i>", '<img src="http://example.invalid', "<u>d", "<s>1", "<em>x"):
        assert markup not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=" in page


def test_outputs_of_reports_removed_from_the_config_are_pruned(tmp_path, monkeypatch):
    folders = {
        "REPORT_HTML": "reports/html",
        "REPORT_RESULTS": "reports/results",
        "REPORT_FIGURES": "reports/figures",
        "EXECUTED": "build/executed",
        "PARAMS": "build/params",
    }
    for attribute, folder in folders.items():
        monkeypatch.setattr(paths, attribute, tmp_path / folder)
        (tmp_path / folder).mkdir(parents=True)
    monkeypatch.setattr(paths, "BUILD", tmp_path / "build")
    for stem in ("kept", "gone"):
        (tmp_path / f"reports/html/{stem}.html").write_text("x")
        (tmp_path / f"reports/html/{stem}.code.html").write_text("x")
        (tmp_path / f"reports/results/{stem}.json").write_text("{}")
        (tmp_path / f"reports/figures/{stem}").mkdir()
    entries = [config.ReportEntry(name="kept", notebook="00_data_audit.ipynb", title="t", reads=())]
    removed = index.prune_orphans(entries)
    assert sorted(p.name for p in removed) == ["gone", "gone.code.html", "gone.html", "gone.json"]
    assert (tmp_path / "reports/html/kept.code.html").exists() and (tmp_path / "reports/figures/kept").exists()


def tree_hashes(root: Path) -> dict[str, object]:
    """Every file under `root` except .git, the build's lock and its build information: the SHA-256 of its bytes,
    or, for a Parquet partition of the SYNTHETIC inputs, its (inode, size, mtime_ns).

    The partitions are nearly all of the tree's bytes (about 400 of 450 MB; hashing them took 0.6 to 2 s a
    pass, four passes a run) and they are hard links to the checkout's (conftest.linking_partitions_of): no
    rule writes into one, their generator swaps a whole log directory in. Written in place, whole or in part,
    a file gets a new mtime (its size may stay); truncated or cut short, a new size; replaced (written beside
    and renamed over it, as atomic writes do), a new inode, since the old one is still held by the checkout's
    link. (They were written minutes before the build under test starts, so even a coarse file-system clock
    gives a later write another mtime.) So an unchanged triple says the partition is not overwritten nor
    half-written. Its ctime is left out: linking the inode into another test's copy changes it, not the file."""
    entries = {}
    for p in sorted(root.rglob("*")):
        # buildinfo.txt records the tree's state (git describe --dirty) for the index; it is not an output.
        if not p.is_file() or ".git" in p.parts or p.name in ("build.lock", "buildinfo.txt"):
            continue
        name = str(p.relative_to(root))
        if p.suffix == ".parquet" and p.is_relative_to(root / "data" / "synthetic"):
            stat = p.stat()
            entries[name] = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        else:
            entries[name] = hashlib.sha256(p.read_bytes()).hexdigest()
    return entries


def test_tree_hashes_sees_a_partition_rewritten_in_place_cut_short_or_replaced(tmp_path):
    partition = tmp_path / "data/synthetic/log/month=1/part-0.parquet"
    partition.parent.mkdir(parents=True)
    partition.write_bytes(b"PAR1 rows PAR1")
    os.utime(partition, ns=(10**18, 10**18))  # written long before, as the SYNTHETIC inputs are
    (tmp_path / "kept.txt").write_text("x")
    before = tree_hashes(tmp_path)
    assert set(before) == {"data/synthetic/log/month=1/part-0.parquet", "kept.txt"}
    assert tree_hashes(tmp_path) == before  # nothing written: the same
    with partition.open("r+b") as handle:  # same size, new bytes
        handle.write(b"PAR2")
    assert tree_hashes(tmp_path) != before
    os.utime(partition, ns=(10**18, 10**18))
    partition.write_bytes(b"PAR1 rows")  # cut short (and mtime moved)
    os.utime(partition, ns=(10**18, 10**18))
    assert tree_hashes(tmp_path) != before  # the size says it
    held = tmp_path / "held.parquet"  # another link keeps the old inode alive, as the checkout's does
    os.link(partition, held)
    replacement = partition.with_name("part-0.parquet.tmp")
    replacement.write_bytes(b"PAR1 rows PAR1")
    os.utime(replacement, ns=(10**18, 10**18))
    replacement.replace(partition)  # same bytes, size and mtime: only the inode is new
    assert (
        tree_hashes(tmp_path)["data/synthetic/log/month=1/part-0.parquet"]
        != before["data/synthetic/log/month=1/part-0.parquet"]
    )


@pytest.fixture(scope="module")
def built_copy(built_repository, tmp_path_factory) -> Path:
    return copy_built(built_repository, tmp_path_factory.mktemp("hostile") / "repo")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["../../notebooks/01_poverty_exit", "../../victim_dir"])
def test_make_reports_with_an_escaping_name_fails_and_changes_nothing(built_copy, name):
    (built_copy / "victim_dir").mkdir(exist_ok=True)
    (built_copy / "victim_dir" / "keep.txt").write_text("keep")
    config_path = built_copy / "reports.yml"
    original = config_path.read_text(encoding="utf-8")
    document = yaml.safe_load(original)
    document["reports"][0]["name"] = name
    config_path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    before = tree_hashes(built_copy)
    try:
        result = make(built_copy, "reports", check=False)
    finally:
        config_path.write_text(original, encoding="utf-8")
    assert result.returncode != 0
    assert f"report name '{name}' must be letters, digits" in result.stdout + result.stderr
    after = tree_hashes(built_copy)
    after["reports.yml"] = before["reports.yml"]
    assert after == before


@pytest.mark.slow
def test_a_second_build_in_the_same_tree_stops_with_a_clear_message(built_copy):
    # Give the first build something to do: staleness is by content, so the notebook's text must change.
    notebook = built_copy / "notebooks/00_data_audit.ipynb"
    original = notebook.read_text(encoding="utf-8")
    document = json.loads(original)
    markdown = next(c for c in document["cells"] if c["cell_type"] == "markdown")
    markdown["source"] = [*markdown["source"], " "]
    notebook.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    first = subprocess.Popen(
        ["make", "--no-print-directory", f"VENV={paths.ROOT / '.venv'}", "reports"],
        cwd=built_copy,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)  # the first build holds the lock by then (it runs for seconds)
    second = make(built_copy, "reports", check=False)
    _out, err = first.communicate(timeout=600)
    notebook.write_text(original, encoding="utf-8")
    assert first.returncode == 0, err
    assert second.returncode != 0
    assert "another build is running in this tree" in second.stderr
    assert (built_copy / "reports/index.html").is_file()

"""`make diff`: a one-row data edit shows up as the key numbers and figures it moved, with the row that moved them."""

from __future__ import annotations

import csv
import hashlib
import subprocess
from pathlib import Path

import pytest
import yaml

from analysis.publish.config import region_slug
from conftest import copy_repository, make

pytestmark = pytest.mark.slow


def digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((root / "reports").rglob("*"))
        if p.is_file() and not p.name.startswith(("index.", "changes."))
    }


def commit_one_report_config(root: Path, entry_name: str, region_code: str) -> None:
    """Commit, in the scratch copy, a reports.yml with one entry for one region (in every language): the
    edit then rebuilds, and the reference build runs, two reports rather than all of them (the whole
    configuration's build is tested in test_build.py)."""
    config_path = root / "reports.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    entry = next(r for r in config["reports"] if r["name"] == entry_name)
    table = root / "data/processed" / f"{entry['reads'][0]}.csv"
    regions = {row["region"] for row in csv.DictReader(table.open(encoding="utf-8"))}
    region = next(r for r in regions if region_slug(r) == region_code)
    one = {k: v for k, v in entry.items() if k != "regions"}
    one.update(name=f"{entry_name}_{region_code}", parameters={**(entry.get("parameters") or {}), "region": region})
    config["reports"] = [one]
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.invalid",
            "commit",
            "--quiet",
            "--no-verify",
            "-m",
            "test: one report",
            "reports.yml",
        ],
        cwd=root,
        check=True,
    )


def test_a_one_row_edit_is_traced_to_the_numbers_it_moved(tmp_path_factory):
    root = copy_repository(tmp_path_factory.mktemp("diff") / "repo")
    make(root, "data")
    commit_one_report_config(root, "service_satisfaction", "zhejiang")
    figures = root / "data/raw/figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace(",98.4,%,", ",98.5,%,", 1), encoding="utf-8")
    make(root, "reports")
    before = digests(root)
    result = make(root, "diff", "REF=HEAD")
    assert "1 raw row(s)" in result.stdout
    changes = (root / "reports/changes.md").read_text(encoding="utf-8")
    assert "`figures.csv` `zjworkers2020_rectified_rate`: edited (value: '98.4' → '98.5')" in changes
    assert (
        "- bad review rectified on time rate (printed rounding): 98.4% (98.35%–98.45%) → 98.5% (98.45%–98.55%) "
        "(+0.10%); "
        "caused by zjworkers2020_rectified_rate"
    ) in changes
    assert "- figure review_funnel.png: image changed" in changes  # a census share: in the loop, not the n-curves
    page = (root / "reports/changes.html").read_text(encoding="utf-8")
    assert "98.5%" in page and 'href="changes.html"' in (root / "reports/index.html").read_text(encoding="utf-8")
    # The Chinese report's change is listed too, and its characters are in the page's embedded font.
    assert "差评按期整改率（公布值的舍入范围）: 98.4%（98.35%–98.45%） → 98.5%（98.45%–98.55%） (+0.10%)" in changes
    assert "@font-face" in page and 'href="changes.html"' in (root / "reports/index.zh.html").read_text(
        encoding="utf-8"
    )
    assert digests(root) == before  # building the reference disturbed no output of the working tree

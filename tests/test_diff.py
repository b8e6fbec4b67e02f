"""`make diff`: a one-row data edit shows up as the key numbers and figures it moved, with the row that moved them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import copy_built, make

pytestmark = pytest.mark.slow


def digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "reports").rglob("*")) if p.is_file() and not p.name.startswith(("index.", "changes."))}


def test_a_one_row_edit_is_traced_to_the_numbers_it_moved(built_repository, tmp_path_factory):
    root = copy_built(built_repository, tmp_path_factory.mktemp("diff") / "repo")
    figures = root / "data/raw/figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace(",98.4,%,", ",98.5,%,", 1), encoding="utf-8")
    make(root, "reports")
    before = digests(root)
    result = make(root, "diff", "REF=HEAD")
    assert "1 raw row(s)" in result.stdout
    changes = (root / "reports/changes.md").read_text(encoding="utf-8")
    assert "`figures.csv` `zjworkers2020_rectified_rate`: edited (value: '98.4' → '98.5')" in changes
    assert ("- bad review rectified on time rate (n not reported): 98.4% → 98.5% (+0.10%); "
            "caused by zjworkers2020_rectified_rate") in changes
    assert "- figure wilson_by_n.png: image changed" in changes
    page = (root / "reports/changes.html").read_text(encoding="utf-8")
    assert "98.5%" in page and 'href="changes.html"' in (root / "reports/index.html").read_text(encoding="utf-8")
    # The Chinese report's change is listed too, and its characters are in the page's embedded font.
    assert "差评按期整改率（样本量未公布）: 98.4% → 98.5% (+0.10%)" in changes
    assert "@font-face" in page and 'href="changes.html"' in (root / "reports/index.zh.html").read_text(encoding="utf-8")
    assert digests(root) == before  # building the reference disturbed no output of the working tree

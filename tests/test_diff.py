"""`make diff`: a one-row data edit shows up as the key numbers and figures it moved, with the row that moved them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import copy_repository, make

pytestmark = pytest.mark.slow


def digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "reports").rglob("*")) if p.is_file() and p.name not in ("index.html",)
            and not p.name.startswith("changes.")}


def test_a_one_row_edit_is_traced_to_the_numbers_it_moved(tmp_path_factory):
    root = copy_repository(tmp_path_factory.mktemp("diff") / "repo")
    figures = root / "data/raw/figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace(",6656,户,", ",6650,户,", 1), encoding="utf-8")
    make(root, "reports")
    before = digests(root)
    result = make(root, "diff", "REF=HEAD")
    assert "1 raw row(s)" in result.stdout
    changes = (root / "reports/changes.md").read_text(encoding="utf-8")
    assert "`figures.csv` `bjunion2020_caseload_2016`: edited (value: '6656' → '6650')" in changes
    assert ("- net exit fraction, 2016-10-31 to 2019-11-21: 12/13 = 92.3% → 3069/3325 = 92.3% (-0.01%); "
            "caused by bjunion2020_caseload_2016") in changes
    assert "- figure caseload.png: image changed" in changes
    page = (root / "reports/changes.html").read_text(encoding="utf-8")
    assert "3069/3325 = 92.3%" in page and 'href="changes.html"' in (root / "reports/index.html").read_text(encoding="utf-8")
    assert digests(root) == before  # building the reference disturbed no output of the working tree

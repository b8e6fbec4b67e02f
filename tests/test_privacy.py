"""Record-level data stays out of reports: small cells suppressed, no identifier in any rendered file."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import paths
from analysis.records import privacy


def test_small_cells_are_suppressed_and_marked():
    table = pd.DataFrame({"group": ["a", "b"], "households": [9, 10], "share": [0.47, 0.53]})
    shown = privacy.suppress_small_cells(table, "households")
    assert list(shown["households"]) == ["<10", 10]
    assert list(shown["share"]) == ["", 0.53]
    assert list(shown["suppressed"]) == [True, False]


def test_curves_stop_where_fewer_than_ten_remain_at_risk():
    curve = pd.DataFrame({"time": [1, 2, 3], "at_risk": [12, 10, 9]})
    assert list(privacy.at_risk_floor(curve)["time"]) == [1, 2]


def rendered_files() -> list:
    """Every file the build writes: reports/, executed, failed and staged notebooks, results and pages."""
    written = [
        *paths.REPORTS.rglob("*"),
        *paths.EXECUTED.rglob("*"),
        *paths.FAILED.rglob("*"),
        *paths.STAGING.rglob("*"),
    ]
    return sorted(p for p in written if p.is_file() and p.suffix in (".html", ".json", ".ipynb", ".md", ".svg"))


def test_no_household_id_reaches_any_rendered_report():
    files = rendered_files()
    if not paths.SYNTHETIC_REGISTRY.exists() or not files:
        pytest.skip("reports or the SYNTHETIC registry were not built (run make reports)")
    identifiers = set(pd.read_csv(paths.SYNTHETIC_REGISTRY, usecols=["household_id", "spell_id"], dtype=str).stack())
    assert len(identifiers) > 7000
    # Every token shaped like an identifier, then those that are real ones from the input.
    shaped = re.compile(r"HH-\d{6}|S-\d{7}")
    leaks = {
        path.name: sorted(set(shaped.findall(path.read_text(encoding="utf-8"))) & identifiers)[:5] for path in files
    }
    assert {name: ids for name, ids in leaks.items() if ids} == {}

"""Every path the project reads or writes, in one place."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = DATA / "processed"
MICRODATA = RAW / "microdata"
SYNTHETIC = DATA / "synthetic"

SOURCES_CSV = RAW / "sources.csv"
FIGURES_CSV = RAW / "figures.csv"
UNITS_CSV = RAW / "units.csv"

NOTEBOOKS = ROOT / "notebooks"
REPORTS_CONFIG = ROOT / "reports.yml"

REPORTS = ROOT / "reports"
REPORT_FIGURES = REPORTS / "figures"
REPORT_RESULTS = REPORTS / "results"
REPORT_HTML = REPORTS / "html"
REPORT_FAILED = REPORTS / "failed"
REPORT_INDEX = REPORTS / "index.html"

BUILD = ROOT / "build"
STAGING = BUILD / "staging"
EXECUTED = BUILD / "executed"
LOCK_FILE = ROOT / "requirements.lock"


def processed_table(name: str) -> Path:
    """Path of a processed table by its stem, e.g. 'poverty_caseload'."""
    return PROCESSED / f"{name}.csv"

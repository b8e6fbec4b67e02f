"""Every path the project reads or writes, in one place."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(__file__).resolve().parent

# Inputs: hand-entered published figures, record-level exports, and SYNTHETIC stand-ins.
DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = DATA / "processed"
MICRODATA = RAW / "microdata"
SYNTHETIC = DATA / "synthetic"

SOURCES_CSV = RAW / "sources.csv"
FIGURES_CSV = RAW / "figures.csv"
UNITS_CSV = RAW / "units.csv"
REGIONS_CSV = RAW / "regions.csv"
INDICATORS_CSV = RAW / "indicators.csv"
RELATIONS_CSV = RAW / "relations.csv"
BREAKDOWNS_CSV = RAW / "breakdowns.csv"
SCOPES_CSV = RAW / "scopes.csv"

SYNTHETIC_REGISTRY = SYNTHETIC / "caseload_registry_SYNTHETIC.csv"

# The build: configuration, notebooks, templates and what it writes.
NOTEBOOKS = ROOT / "notebooks"
REPORTS_CONFIG = ROOT / "reports.yml"
SYNTHETIC_CONFIG = ROOT / "synthetic.yml"
TEMPLATES = PACKAGE / "publish" / "templates"
LOCK_FILE = ROOT / "uv.lock"
ENVIRONMENT_YML = ROOT / "environment.yml"

REPORTS = ROOT / "reports"
REPORT_FIGURES = REPORTS / "figures"
REPORT_RESULTS = REPORTS / "results"
REPORT_HTML = REPORTS / "html"
REPORT_INDEX = REPORTS / "index.html"

BUILD = ROOT / "build"
STAGING = BUILD / "staging"
EXECUTED = BUILD / "executed"
PARAMS = BUILD / "params"
# Failed runs are kept for debugging outside reports/: a record-level run may hold record values.
FAILED = BUILD / "failed"
BUILD_LOCK = BUILD / "build.lock"


# The reports make found out of date in this run, one name a line, per batch (see publish.makerules).
def stale_queue(batch: str) -> Path:
    return BUILD / f"stale-{batch}.txt"


def batch_done(batch: str) -> Path:
    """Touched when a batch's build succeeded: the index depends on it."""
    return BUILD / f"{batch}.done"


REPORTS_MK = BUILD / "reports.mk"
BUILD_INFO = BUILD / "buildinfo.txt"


def processed_table(name: str) -> Path:
    """Path of a processed table by its stem, e.g. 'poverty_caseload'."""
    return PROCESSED / f"{name}.csv"


def synthetic_calllog(size: str) -> Path:
    """Where the SYNTHETIC call log of a size ('full', 'small' or the benchmark's 'x10') lives: a partitioned dataset."""
    return SYNTHETIC / f"hotline_calls_SYNTHETIC_{size}"


def calllog_aggregate(log: Path) -> Path:
    """Where a call log's cached daily aggregate lives."""
    return PROCESSED / f"calllog_daily_{log.stem}.parquet"


class OutsideOutputs(ValueError):
    """A path the build would write or delete lies outside the folder it owns."""


def inside(path: Path, owner: Path) -> Path:
    """`path`, resolved, after checking it lies inside `owner` (resolved too): the build touches nothing else."""
    resolved, root = Path(path).resolve(), Path(owner).resolve()
    if resolved == root or not resolved.is_relative_to(root):
        raise OutsideOutputs(f"refusing to touch {path}: it lies outside {relative(owner)}")
    return resolved


def relative(path: Path) -> str:
    """A path as shown to people: relative to the repository where it lies inside it."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)

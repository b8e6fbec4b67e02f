"""What each SYNTHETIC generator is calibrated to, extracted and written only when it changes.

build/calibration/<generator>.json holds the generator's section of synthetic.yml and what it reads of
the published rows (with the generator's own selection function), so make regenerates a SYNTHETIC input
only when these change: an edit to a figure it is not calibrated to, or to another section of
synthetic.yml, leaves the extract, and so the generated input, untouched. The call log reads only the
volume of each period it reproduces (exact printed volumes inside its window, assumed ones elsewhere):
a qualified total such as a cumulative 'at least' figure, or a note or locator, is not among them.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from analysis import paths
from analysis.atomic import write_text_if_changed

CALIBRATION = paths.BUILD / "calibration"


def extract_path(generator: str) -> Path:
    return CALIBRATION / f"{generator}.json"


def extracts() -> dict[str, dict]:
    """Each generator's calibration: its settings and the published rows it is calibrated to."""
    from analysis.evidence.catalogue import load_processed
    from analysis.records.calllog_synthetic import period_volumes
    from analysis.records.registry import published_stocks

    settings = yaml.safe_load(paths.SYNTHETIC_CONFIG.read_text(encoding="utf-8"))
    calllog, registry = settings["calllog"], settings["registry"]
    volumes = period_volumes(load_processed("hotline_volume"), calllog)
    stocks = published_stocks(load_processed("poverty_caseload"), registry["region"])
    return {
        "calllog": {
            "settings": calllog,
            "volumes": [{"start": start, "end": end, "calls": calls} for (start, end), calls in volumes.items()],
        },
        "registry": {"settings": registry, "figures": json.loads(stocks.to_json(orient="records", force_ascii=False))},
    }


def write_extracts() -> list[str]:
    """Write every extract whose content changed; the generators rewritten."""
    return [
        name
        for name, document in extracts().items()
        if write_text_if_changed(
            extract_path(name), json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
        )
    ]


if __name__ == "__main__":
    changed = write_extracts()
    print(f"calibration extracts rewritten: {', '.join(changed) or 'none'}")

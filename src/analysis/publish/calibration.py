"""What each SYNTHETIC generator is calibrated to, extracted and written only when it changes.

build/calibration/<generator>.json holds the generator's section of synthetic.yml and the published rows
it selects (with the generator's own selection function), so make regenerates a SYNTHETIC input only
when these change: an edit to a figure it is not calibrated to, or to another section of synthetic.yml,
leaves the extract, and so the generated input, untouched.
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
    from analysis.records.calllog_synthetic import published_volumes
    from analysis.records.registry import published_stocks

    settings = yaml.safe_load(paths.SYNTHETIC_CONFIG.read_text(encoding="utf-8"))
    calllog, registry = settings["calllog"], settings["registry"]
    selected = {
        "calllog": (calllog, published_volumes(load_processed("hotline_volume"), calllog)),
        "registry": (registry, published_stocks(load_processed("poverty_caseload"), registry["region"])),
    }
    return {
        name: {"settings": section, "figures": json.loads(rows.to_json(orient="records", force_ascii=False))}
        for name, (section, rows) in selected.items()
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

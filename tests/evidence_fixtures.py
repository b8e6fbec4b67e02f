"""TEST FIXTURES: small evidence tables written for the tests (not real published figures).

Rows are made the way data/raw rows are entered, then passed through the same tidy and audit code.
"""

from __future__ import annotations

import pandas as pd

from analysis.evidence import audit, tidy

UNITS = pd.DataFrame(
    {
        "unit": ["户", "人", "万", "个", "件", "%", "倍"],
        "multiplier": [1.0, 1.0, 1e4, 1.0, 1.0, 0.01, 1.0],
        "kind": ["count", "count", "count", "count", "count", "rate", "ratio"],
        "unit_en": ["households", "persons", "10k", "items", "cases", "percent", "times"],
    }
)


def row(
    figure_id: str,
    topic: str,
    indicator: str,
    printed: str,
    unit: str,
    start: str,
    end: str,
    *,
    region: str = "Testland",
    qualifier: str = "exact",
    marker: str = "",
    dimension: str = "",
    category: str = "",
    as_printed: str = "",
) -> dict:
    """One fixture figure, as a raw row would be entered."""
    return {
        "figure_id": figure_id,
        "source_id": "fixture_page",
        "topic": topic,
        "region": region,
        "indicator": indicator,
        "breakdown_dimension": dimension,
        "breakdown_value": category,
        "period_start": start,
        "period_end": end,
        "period_as_printed": as_printed,
        "period_resolution": "fixture",
        "value": float(printed),
        "value_as_printed": printed,
        "unit": unit,
        "qualifier": qualifier,
        "qualifier_marker": marker,
        "locator": figure_id,
        "note": "",
    }


def evidence(rows: list[dict], relations: list[tuple[str, str, str]] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tidy figures and the audit of the fixture rows and relations (kind, result, operands)."""
    figures = tidy.tidy_figures(pd.DataFrame(rows), UNITS)
    frame = pd.DataFrame(
        [
            {"relation_id": f"fixture_{i}", "kind": k, "result": r, "operands": o, "note": ""}
            for i, (k, r, o) in enumerate(relations)
        ],
        columns=["relation_id", "kind", "result", "operands", "note"],
    )
    return figures, audit.run_audit(figures, frame)


def processed(figures: pd.DataFrame) -> pd.DataFrame:
    """A tidy table as the notebooks read it back from CSV (numbers as numbers, blanks as blanks)."""
    from io import StringIO

    return pd.read_csv(
        StringIO(tidy.to_csv_text(figures)),
        keep_default_na=False,
        na_values={"value": [""], "value_low": [""], "value_high": [""]},
    )

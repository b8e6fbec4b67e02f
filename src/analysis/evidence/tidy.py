"""Raw figures to tidy tables: plain units, rates as fractions, qualifiers and bounds carried along."""

from __future__ import annotations

import math
import pandas as pd

from analysis.calendar import period_days

TIDY_COLUMNS = [
    "figure_id", "source_id", "topic", "region", "indicator", "breakdown_dimension",
    "breakdown_value", "period_start", "period_end", "days", "kind", "unit_en", "value",
    "qualifier", "value_low", "value_high", "as_printed", "locator", "period_as_printed",
    "period_resolution", "note",
]


def plain_value(printed: float, multiplier: float, kind: str) -> int | float:
    """The printed number in plain units: counts as integers (万 converted), rates as fractions."""
    value = printed * multiplier
    if kind == "count":
        return int(round(value))
    return round(value, 12)  # 92.9 * 0.01 -> 0.929, not 0.9290000000000001


def bounds(value: int | float, qualifier: str) -> tuple[int | float | None, int | float | None]:
    """What the qualifier lets a reader conclude: (lowest, highest) possible value; None is open."""
    if qualifier == "exact":
        return value, value
    if qualifier == "at_least":
        return value, None
    if qualifier == "at_most":
        return None, value
    return None, None  # 'approximately': no bound is printed either way


def tidy_figures(figures: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """One tidy row per raw figure."""
    merged = figures.merge(units, on="unit", how="left", validate="many_to_one")
    rows = []
    for row in merged.itertuples(index=False):
        value = plain_value(row.value, row.multiplier, row.kind)
        low, high = bounds(value, row.qualifier)
        printed = f"{row.value:g}".replace("e+", "e")
        rows.append({
            "figure_id": row.figure_id, "source_id": row.source_id, "topic": row.topic,
            "region": row.region, "indicator": row.indicator,
            "breakdown_dimension": row.breakdown_dimension, "breakdown_value": row.breakdown_value,
            "period_start": row.period_start, "period_end": row.period_end,
            "days": period_days(row.period_start, row.period_end),
            "kind": row.kind, "unit_en": row.unit_en, "value": value, "qualifier": row.qualifier,
            "value_low": low, "value_high": high,
            "as_printed": f"{printed}{row.qualifier_marker if row.qualifier_marker in ('余', '多') else ''}{row.unit}",
            "locator": row.locator, "period_as_printed": row.period_as_printed,
            "period_resolution": row.period_resolution, "note": row.note,
        })
    # object columns keep integer counts as integers next to fractional rates
    return pd.DataFrame(rows, columns=TIDY_COLUMNS, dtype=object)


def topic_table(tidy: pd.DataFrame, topic: str) -> pd.DataFrame:
    """The tidy rows of one analysis topic."""
    return tidy[tidy["topic"] == topic].reset_index(drop=True)


def poverty_caseload(tidy: pd.DataFrame) -> pd.DataFrame:
    """Struggling-worker households on file: region, date, breakdown, households, qualifier."""
    rows = topic_table(tidy, "poverty_exit")
    table = pd.DataFrame({
        "figure_id": rows["figure_id"], "region": rows["region"], "indicator": rows["indicator"],
        "date": rows["period_end"], "breakdown_dimension": rows["breakdown_dimension"],
        "breakdown_value": rows["breakdown_value"], "households": rows["value"],
        "qualifier": rows["qualifier"],
    })
    return table.sort_values(["region", "date", "breakdown_dimension", "figure_id"],
                             kind="stable").reset_index(drop=True)


def to_csv_text(frame: pd.DataFrame) -> str:
    """CSV text with integers kept as integers and no float noise."""
    def cell(value: object) -> object:
        if isinstance(value, float) and math.isnan(value):
            return ""
        return "" if value is None else value

    return frame.map(cell).to_csv(index=False, lineterminator="\n")

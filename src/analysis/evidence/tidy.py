"""Raw figures to tidy tables: plain units, rates as fractions, and the interval each printing allows."""

from __future__ import annotations

import math

import pandas as pd

from analysis.calendar import period_days
from analysis.evidence.markers import NEXT_UNIT_MARKERS, approximate_band

TIDY_COLUMNS = [
    "figure_id",
    "source_id",
    "topic",
    "region",
    "indicator",
    "breakdown_dimension",
    "breakdown_value",
    "period_start",
    "period_end",
    "days",
    "kind",
    "unit_en",
    "value",
    "qualifier",
    "value_low",
    "value_high",
    "as_printed",
    "locator",
    "period_as_printed",
    "period_resolution",
    "note",
]


def plain_value(printed: float, multiplier: float, kind: str) -> int | float:
    """The printed number in plain units: counts as integers (万 converted), rates as fractions."""
    value = printed * multiplier
    if kind == "count":
        return int(round(value))
    return round(value, 12)  # 92.9 * 0.01 -> 0.929, not 0.9290000000000001


def decimals_printed(text: str) -> int:
    """Digits after the decimal point as printed: '1103.94' has 2, '6656' has 0."""
    return len(text.split(".")[1]) if "." in text else 0


def last_significant_unit(text: str) -> float:
    """The place value of the last non-zero digit as printed: '6400' -> 100, '80' -> 10, '1.5' -> 0.1."""
    if "." in text:
        return 10.0 ** -decimals_printed(text)
    digits = text.lstrip("-").rstrip("0")
    return 10.0 ** (len(text.lstrip("-")) - len(digits)) if digits else 1.0


# Indicator kinds (indicators.csv) whose printed integers are rounded, not exact: an average of 131 a day is
# 130.5 to 131.5. Rates and ratios are rounded already by their unit's kind; only a count of units is exact.
ROUNDED_KINDS = ("average",)


def printed_interval(
    text: str, multiplier: float, kind: str, qualifier: str, marker: str, indicator_kind: str = ""
) -> tuple[float, float]:
    """The plain-unit interval a printed figure allows: its rounding, then its qualifier.

    `kind` is the unit's kind (units.csv), `indicator_kind` the indicator's (indicators.csv).
    """
    value = float(text) * multiplier
    exact_integer = kind == "count" and multiplier == 1 and "." not in text and indicator_kind not in ROUNDED_KINDS
    half = 0.0 if exact_integer else 0.5 * 10.0 ** -decimals_printed(text) * multiplier
    if qualifier == "exact":
        return value - half, value + half
    if qualifier == "at_least":
        if marker in NEXT_UNIT_MARKERS:
            return value, value + last_significant_unit(text) * multiplier
        return value, math.inf
    if qualifier == "at_most":
        return (0.0 if value >= 0 else -math.inf), value + half
    low, high = approximate_band(marker)
    return min(value * low, value * high), max(value * low, value * high)


def as_printed(text: str, marker: str, unit: str) -> str:
    """The figure as the page prints it, every digit kept: '6400余万', '2439501条'."""
    return f"{text}{marker if marker in NEXT_UNIT_MARKERS else ''}{unit}"


def tidy_figures(figures: pd.DataFrame, units: pd.DataFrame, indicators: pd.DataFrame | None = None) -> pd.DataFrame:
    """One tidy row per raw figure; `indicators` (indicators.csv) says which printed integers are rounded."""
    merged = figures.merge(units, on="unit", how="left", validate="many_to_one")
    indicator_kinds = {} if indicators is None else dict(zip(indicators["indicator"], indicators["kind"]))
    rows = []
    for row in merged.itertuples(index=False):
        value = plain_value(row.value, row.multiplier, row.kind)
        low, high = printed_interval(
            row.value_as_printed,
            row.multiplier,
            row.kind,
            row.qualifier,
            row.qualifier_marker,
            indicator_kinds.get(row.indicator, ""),
        )
        rows.append(
            {
                "figure_id": row.figure_id,
                "source_id": row.source_id,
                "topic": row.topic,
                "region": row.region,
                "indicator": row.indicator,
                "breakdown_dimension": row.breakdown_dimension,
                "breakdown_value": row.breakdown_value,
                "period_start": row.period_start,
                "period_end": row.period_end,
                "days": period_days(row.period_start, row.period_end),
                "kind": row.kind,
                "unit_en": row.unit_en,
                "value": value,
                "qualifier": row.qualifier,
                "value_low": low,
                "value_high": high,
                "as_printed": as_printed(row.value_as_printed, row.qualifier_marker, row.unit),
                "locator": row.locator,
                "period_as_printed": row.period_as_printed,
                "period_resolution": row.period_resolution,
                "note": row.note,
            }
        )
    # object columns keep integer counts as integers next to fractional rates
    return pd.DataFrame(rows, columns=TIDY_COLUMNS, dtype=object)


def topic_table(tidy: pd.DataFrame, topic: str) -> pd.DataFrame:
    """The tidy rows of one analysis topic."""
    return tidy[tidy["topic"] == topic].reset_index(drop=True)


def poverty_caseload(tidy: pd.DataFrame) -> pd.DataFrame:
    """Caseload figures: stocks on a date (period_end), exits and rates over a period, breakdowns, bounds."""
    rows = topic_table(tidy, "poverty_exit")
    table = pd.DataFrame(
        {
            "figure_id": rows["figure_id"],
            "region": rows["region"],
            "indicator": rows["indicator"],
            "period_start": rows["period_start"],
            "date": rows["period_end"],
            "breakdown_dimension": rows["breakdown_dimension"],
            "breakdown_value": rows["breakdown_value"],
            "kind": rows["kind"],
            "value": rows["value"],
            "qualifier": rows["qualifier"],
            "value_low": rows["value_low"],
            "value_high": rows["value_high"],
            "as_printed": rows["as_printed"],
        }
    )
    return table.sort_values(["region", "date", "breakdown_dimension", "figure_id"], kind="stable").reset_index(
        drop=True
    )


def to_csv_text(frame: pd.DataFrame) -> str:
    """CSV text with integers kept as integers and no float noise."""

    def cell(value: object) -> object:
        if isinstance(value, float) and math.isnan(value):
            return ""
        return "" if value is None else value

    return frame.map(cell).to_csv(index=False, lineterminator="\n")

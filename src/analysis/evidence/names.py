"""Region and indicator names in each language: data, from the processed tables (not messages)."""

from __future__ import annotations

from functools import cache

from analysis.evidence.catalogue import load_processed
from analysis.language import current


@cache
def region_names() -> dict[str, dict[str, str]]:
    """Region names in each language, from data/processed/regions.csv."""
    return {row.region: {"en": row.name_en, "zh": row.name_zh} for row in load_processed("regions").itertuples()}


def region_name(region: str, lang: str | None = None) -> str:
    """A region's name in `lang` (default: the current language), falling back to the stored name."""
    return region_names().get(region, {}).get(lang or current(), region)


@cache
def indicator_names() -> dict[str, dict[str, str]]:
    """Indicator names in each language, from data/processed/indicators.csv."""
    return {row.indicator: {"en": row.name_en, "zh": row.name_zh} for row in load_processed("indicators").itertuples()}


def indicator_name(indicator: str, lang: str | None = None) -> str:
    """An indicator's name in `lang` (default: the current language), falling back to the code with spaces."""
    return indicator_names().get(indicator, {}).get(lang or current(), indicator.replace("_", " "))

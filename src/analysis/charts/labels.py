"""Shared label look-up: each chart module declares its own LABELS in English and Chinese."""

from __future__ import annotations

from functools import cache

LANGS = ("en", "zh")




def label(labels: dict[str, dict[str, str]], key: str, lang: str, **fields: object) -> str:
    """The label `key` of a chart module's `labels` in `lang`, with {placeholders} filled."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return labels[key][lang].format(**fields)


@cache
def region_names() -> dict[str, dict[str, str]]:
    """Region names in each language, from data/processed/regions.csv."""
    from analysis.evidence.catalogue import load_processed

    return {row.region: {"en": row.name_en, "zh": row.name_zh} for row in load_processed("regions").itertuples()}


def region_name(region: str, lang: str) -> str:
    """A region's name in `lang`, falling back to the stored name."""
    return region_names().get(region, {}).get(lang, region)

"""Chart labels from the message catalogue (src/analysis/messages), and region names from the data."""

from __future__ import annotations

from functools import cache

from analysis import language


def label(key: str, lang: str, **fields: object) -> str:
    """The catalogue message `key` in `lang`, with {placeholders} filled."""
    with language.using(lang):
        return language.say(key, **fields)


def dimension_title(dimension: str, lang: str) -> str:
    """A breakdown's panel title ('By household type'); a dimension the catalogue lacks is shown by its name."""
    with language.using(lang):
        return language.say("common.by_dimension", dimension=dimension_name(dimension))


def dimension_name(dimension: str) -> str:
    """A breakdown dimension in the current language: the catalogue's name, or the data's own."""
    key = f"common.dimension.{dimension}"
    return language.say(key) if key in language.catalogue() else dimension.replace("_", " ")


@cache
def region_names() -> dict[str, dict[str, str]]:
    """Region names in each language, from data/processed/regions.csv."""
    from analysis.evidence.catalogue import load_processed

    return {row.region: {"en": row.name_en, "zh": row.name_zh} for row in load_processed("regions").itertuples()}


def region_name(region: str, lang: str | None = None) -> str:
    """A region's name in `lang` (default: the current language), falling back to the stored name."""
    return region_names().get(region, {}).get(lang or language.current(), region)

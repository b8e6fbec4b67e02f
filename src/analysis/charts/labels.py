"""Chart labels from the message catalogue (src/analysis/messages); region and dimension names for the charts."""

from __future__ import annotations

from analysis import language
from analysis.evidence.names import region_name
from analysis.language import dimension_name

__all__ = ["dimension_title", "label", "region_name"]


def label(key: str, lang: str, **fields: object) -> str:
    """The catalogue message `key` in `lang`, with {placeholders} filled."""
    with language.using(lang):
        return language.say(key, **fields)


def dimension_title(dimension: str, lang: str) -> str:
    """A breakdown's panel title ('By household type'); a dimension the catalogue lacks is shown by its name."""
    with language.using(lang):
        return language.say("common.by_dimension", dimension=dimension_name(dimension))

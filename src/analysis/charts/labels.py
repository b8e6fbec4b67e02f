"""Shared label look-up: each chart module declares its own LABELS in English and Chinese."""

from __future__ import annotations

LANGS = ("en", "zh")

REGIONS: dict[str, dict[str, str]] = {
    "Beijing": {"en": "Beijing", "zh": "北京市"},
    "Zhejiang": {"en": "Zhejiang", "zh": "浙江省"},
    "Beijing:Huairou": {"en": "Beijing (Huairou district)", "zh": "北京市怀柔区"},
}


def label(labels: dict[str, dict[str, str]], key: str, lang: str, **fields: object) -> str:
    """The label `key` of a chart module's `labels` in `lang`, with {placeholders} filled."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return labels[key][lang].format(**fields)


def region_name(region: str, lang: str) -> str:
    """A region's name in `lang`, falling back to the stored name."""
    return REGIONS.get(region, {}).get(lang, region)

"""What each printed qualifier marker means: one reading per marker, shared by the figure finder and the tidy tables.

A marker is the character(s) a page prints beside a number to say it is not exact (6400余万, 近10万, 50%以上).
The table below says, for each marker, where it is printed (before the numeral, between the numeral and its
unit, after the unit, in place of a digit) and which qualifier it sets; `evidence.finder` drafts rows with
these readings, `evidence.raw` refuses a figures.csv row whose qualifier contradicts its marker, and
`evidence.tidy` turns the qualifier and marker into an interval. The data dictionary (data/raw/README.md)
states the same readings in words.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import zhconv


@dataclass(frozen=True)
class Marker:
    """One printed marker: where it sits, the qualifier it sets, and (for an approximation) its band."""

    text: str
    place: str  # prefix (近10万), infix (6400余万), suffix (50%以上), digit (十几名), clause (大概會接到8萬通)
    qualifier: str
    next_unit: bool = False  # bounded by the next unit of the last significant digit (6400余万: below 6500万)
    band: tuple[float, float] | None = None  # an approximation's range as factors of the printed value


# Simplified forms only: each marker's traditional form (超過, 約, 餘, 以內, 保守統計 ...) is its zhconv conversion,
# added below with the same reading, so no traditional twin can be forgotten.
_SIMPLIFIED_MARKERS: tuple[Marker, ...] = (
    Marker("超过", "prefix", "at_least"),
    Marker("超", "prefix", "at_least"),  # 占比超22%
    Marker("逾", "prefix", "at_least"),  # 已逾1,280萬通
    Marker("不到", "prefix", "at_most"),
    # 不超过 (no more than) is a ceiling, not 超过; 不低于, 不少于 (no less than) a floor; 突破 (broke through) a floor
    Marker("不超过", "prefix", "at_most"),
    Marker("不低于", "prefix", "at_least"),
    Marker("不少于", "prefix", "at_least"),
    Marker("突破", "prefix", "at_least"),
    # 低于2成, 高于90% ('below', 'above' the printed value): a ceiling and a floor, as 不到 and 超过
    Marker("低于", "prefix", "at_most"),
    Marker("高于", "prefix", "at_least"),
    # 满意率≥90%, ≤5个工作日: the signs of a floor and a ceiling, as a standard prints them
    Marker("≥", "prefix", "at_least"),
    Marker("⩾", "prefix", "at_least"),
    Marker("≤", "prefix", "at_most"),
    Marker("⩽", "prefix", "at_most"),
    # 近 ('nearly'): just below the printed value; read as approximately, within 10% below.
    Marker("近", "prefix", "approximately", band=(0.9, 1.0)),
    Marker("约", "prefix", "approximately"),
    Marker("余", "infix", "at_least", next_unit=True),
    Marker("多", "infix", "at_least", next_unit=True),
    Marker("几", "digit", "at_least"),
    Marker("以上", "suffix", "at_least"),
    Marker("左右", "suffix", "approximately"),
    Marker("以下", "suffix", "at_most"),
    Marker("以内", "suffix", "at_most"),
    Marker("内", "suffix", "at_most"),
    Marker("多", "suffix", "at_least", next_unit=True),
    Marker("余", "suffix", "at_least", next_unit=True),
    # Printed a few characters before the numeral in its clause (up to three between: 大概會接到8萬通)
    Marker("大概", "clause", "approximately"),
    Marker("大约", "clause", "approximately"),
    Marker("最高", "clause", "at_most"),  # 最高每分鐘三點六元: the highest charge, so the charge is at most it
    Marker("最多", "clause", "at_most"),
    Marker("保守统计", "clause", "at_least"),  # a conservative count: at least it
    Marker("保守估计", "clause", "at_least"),
    # Printed in words right before the numeral in an English abstract that prints the page's figures again
    # (nearly 500,000 employees, less than 660 yuan): the readings of 近, 不到 and 超过
    Marker("nearly", "english", "approximately", band=(0.9, 1.0)),
    Marker("less than", "english", "at_most"),
    Marker("more than", "english", "at_least"),
)
MARKERS: tuple[Marker, ...] = tuple(
    dict.fromkeys(
        form for m in _SIMPLIFIED_MARKERS for form in (m, dataclasses.replace(m, text=zhconv.convert(m.text, "zh-tw")))
    )
)
# A range (3万元到7万元, 2分钟—4分钟) sets at_least on its low end and at_most on its high end.
RANGE_MARKERS = ("至", "到", "—", "～", "~")  # 2分钟—4分钟, 3～5天 too
# 二、三十位 ('twenty or thirty'): two neighbouring tens, the first printed by its digit alone, are a range too
ADJACENT_TENS_LINK = "、"
# An approximation with no band of its own (左右, 约) is within 10% either way.
DEFAULT_APPROXIMATE_BAND = (0.9, 1.1)


def _by_place(place: str) -> dict[str, str]:
    return {m.text: m.qualifier for m in MARKERS if m.place == place}


PREFIX_MARKERS = _by_place("prefix")
INFIX_MARKERS = _by_place("infix")
SUFFIX_MARKERS = _by_place("suffix")
FUZZY_DIGITS = _by_place("digit")
CLAUSE_MARKERS = _by_place("clause")
ENGLISH_MARKERS = _by_place("english")
NEXT_UNIT_MARKERS = tuple(sorted({m.text for m in MARKERS if m.next_unit}))
APPROXIMATE_BANDS = {m.text: m.band for m in MARKERS if m.band is not None}


def qualifiers_of(marker: str) -> set[str]:
    """The qualifiers a marker may set (both ends of a range for 至/到; empty for an unknown marker)."""
    if marker in RANGE_MARKERS or marker == ADJACENT_TENS_LINK:
        return {"at_least", "at_most"}
    return {m.qualifier for m in MARKERS if m.text == marker}


def approximate_band(marker: str) -> tuple[float, float]:
    """The range, as factors of the printed value, that an approximation with this marker allows."""
    return APPROXIMATE_BANDS.get(marker, DEFAULT_APPROXIMATE_BAND)

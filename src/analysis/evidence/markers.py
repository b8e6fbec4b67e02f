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


def _markers(place: str, qualifier: str, *texts: str, next_unit: bool = False) -> tuple[Marker, ...]:
    """The markers printed at one place that set one qualifier."""
    return tuple(Marker(text, place, qualifier, next_unit=next_unit) for text in texts)


# Simplified forms only: each marker's traditional form (超過, 約, 餘, 以內, 保守統計 ...) is its zhconv conversion,
# added below with the same reading, so no traditional twin can be forgotten. Grouped by place and reading.
_SIMPLIFIED_MARKERS: tuple[Marker, ...] = (
    # Before the numeral, floors: 超过, 超 (占比超22%), 逾 (已逾1,280萬通), 不低于 and 不少于 (no less than), 突破 (broke
    # through), 高于 ('above'), and the signs a standard prints (满意率≥90%)
    *_markers("prefix", "at_least", "超过", "超", "逾", "不低于", "不少于", "突破", "高于", "≥", "⩾"),
    # ceilings: 不到, 不超过 (no more than: a ceiling, not 超过), 低于 ('below'), the signs (≤5个工作日)
    *_markers("prefix", "at_most", "不到", "不超过", "低于", "≤", "⩽"),
    # 近 ('nearly'): just below the printed value; read as approximately, within 10% below.
    Marker("近", "prefix", "approximately", band=(0.9, 1.0)),
    *_markers("prefix", "approximately", "约"),
    # Between the numeral and its unit (6400余万) or after it (3年多): bounded by the next unit of the last digit
    *_markers("infix", "at_least", "余", "多", next_unit=True),
    *_markers("suffix", "at_least", "多", "余", next_unit=True),
    *_markers("digit", "at_least", "几"),  # 十几名
    *_markers("suffix", "at_least", "以上"),
    *_markers("suffix", "approximately", "左右"),
    *_markers("suffix", "at_most", "以下", "以内", "内"),
    # Printed a few characters before the numeral in its clause (up to three between: 大概會接到8萬通); 最高每分鐘三點六元
    # is the highest charge, so the charge is at most it; a conservative count (保守统计) is at least it
    *_markers("clause", "approximately", "大概", "大约"),
    *_markers("clause", "at_most", "最高", "最多"),
    *_markers("clause", "at_least", "保守统计", "保守估计"),
    # Printed in words right before the numeral in an English abstract that prints the page's figures again
    # (nearly 500,000 employees, less than 660 yuan): the readings of 近, 不到 and 超过
    Marker("nearly", "english", "approximately", band=(0.9, 1.0)),
    *_markers("english", "at_most", "less than"),
    *_markers("english", "at_least", "more than"),
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

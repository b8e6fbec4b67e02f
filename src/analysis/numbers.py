"""One display format per kind of quantity, in the report's language, and key numbers that carry their provenance.

English and Chinese share every format but two: a Chinese count of 100,000 or more is written in
万 or 亿 (Babel's CLDR patterns: 22,500,000 as 2250万; a derived 124,475.3 as 12.45万, a printed 124,475
as 12.4475万: `count`), and a Chinese date is written 2016年10月31日.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from analysis import language

DASH = "–"  # intervals are written a–b


# Below this a Chinese count keeps every digit (6,656); from it on it is read in 万 (12.45万).
ZH_COMPACT_FROM = 100_000
# A derived count in 万 or 亿 keeps two decimals (12.45万); an exact one keeps every digit down to the unit.
DERIVED_DECIMALS = 2


def count(value: float, exact: bool = False, compact_from: float = ZH_COMPACT_FROM) -> str:
    """A count with thousands separators (6,656); in Chinese, 万 or 亿 from `compact_from` (10万) on: the one
    large-number format, Babel's CLDR compact pattern for zh_CN.

    A derived count (an average, an estimate) keeps two decimals of its 万 or 亿: 124,475.3 a day -> 12.45万.
    An `exact` one (a printed figure, or exact arithmetic on printed figures, as the audit shows them) keeps
    every digit of the whole number: 124,475 -> 12.4475万, 26,600,000 -> 2660万; a reader can check it digit by digit.
    """
    if language.current() == "zh" and abs(value) >= compact_from:
        from babel.numbers import format_compact_decimal

        if exact:
            value = round(value)
            decimals = 8 if abs(value) >= 10**8 else 4  # every digit below 1亿 or 1万
        else:
            decimals = DERIVED_DECIMALS
        return format_compact_decimal(value, locale="zh_CN", fraction_digits=decimals)
    return f"{round(value):,}"


def date(iso: str) -> str:
    """A printed or resolved ISO date as the reader writes it: 2016-10-31, or 2016年10月31日 in Chinese."""
    if language.current() != "zh":
        return str(iso)
    try:
        day = dt.date.fromisoformat(str(iso))
    except ValueError:
        return str(iso)  # a period label such as 2022 H1 is already as printed
    from babel.dates import format_date

    return format_date(day, "long", locale="zh_CN")


def share(value: float, decimals: int = 1) -> str:
    """A fraction as a percentage at a stated precision: 0.568 -> 56.8%."""
    return f"{value:.{decimals}%}"


def ratio(value: float, decimals: int = 2) -> str:
    """A ratio or rate per unit: 3.06."""
    return f"{value:,.{decimals}f}"


def years(value: float) -> str:
    """A duration in years: 0.83."""
    return f"{value:.2f}"


def interval(low: float, high: float, show: Any = count) -> str:
    """An interval a–b in one format; an open end is written as ≥ a or ≤ b."""
    if math.isinf(high) and math.isinf(low):
        return language.say("common.unbounded")
    if math.isinf(high):
        return f"≥ {show(low)}"
    if math.isinf(low):
        return f"≤ {show(high)}"
    if show(low) == show(high):
        return show(low)
    return f"{show(low)}{DASH}{show(high)}"


def bounded(value: float, qualifier: str, show: Any = count) -> str:
    """A printed figure with its qualifier: ≥ 2,000 for 'at least', ≈ for approximately."""
    prefix = {"at_least": "≥ ", "at_most": "≤ ", "approximately": "≈ "}.get(qualifier, "")
    return prefix + show(value)


@dataclass(frozen=True)
class Finding:
    """A sentence a report states and the figure ids it rests on (none: a sentence about what is missing).

    Not a string: its text is `.text`, so no string operation can drop the figure ids unnoticed.
    """

    text: str
    figure_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise TypeError(f"a finding's text is a str, not {type(self.text).__name__}: {self.text!r}")
        object.__setattr__(self, "figure_ids", tuple(self.figure_ids))


@dataclass(frozen=True)
class KeyNumber:
    """A number a report states: full-precision value in plain units, its display, and the figures it rests on."""

    key: str
    label: str
    value: float | int | None
    unit: str
    display: str
    figure_ids: tuple[str, ...]
    low: float | None = None
    high: float | None = None
    derivation: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The results-JSON form: value, unit, display, figure ids, and the interval where there is one."""
        payload = {
            "key": self.key,
            "label": self.label,
            "value": _finite(self.value),
            "unit": self.unit,
            "display": self.display,
            "figure_ids": sorted(set(self.figure_ids)),
            "derivation": self.derivation,
        }
        if self.low is not None or self.high is not None:
            payload["low"], payload["high"] = _finite(self.low), _finite(self.high)
        return payload


def _finite(value: float | int | None) -> float | int | None:
    """JSON has no infinity: an open end is null."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value

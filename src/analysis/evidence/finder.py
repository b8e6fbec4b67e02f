"""Find every number printed on a source page and draft figures.csv rows for those not yet accounted for.

`python -m analysis.evidence.finder PAGE.txt [--source-id ID] [--out FILE]` prints draft rows (in
figures.csv's column order) for the numbers on the page that are neither entered in figures.csv nor
excluded in exclusions.csv; `--ledger PAGE.txt ...` prints, per page, how many numbers were found,
entered, excluded and left unaccounted, and the recall of figures.csv. Nothing is written to data/raw.

All positions are in the page text with whitespace removed (the way locators are recorded).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.evidence import exclusions as exclusion_rules
from analysis.evidence.markers import (
    ADJACENT_TENS_LINK,
    CLAUSE_MARKERS,
    ENGLISH_MARKERS,
    FUZZY_DIGITS,
    INFIX_MARKERS,
    PREFIX_MARKERS,
    RANGE_MARKERS,
    SUFFIX_MARKERS,
)

FIGURE_COLUMNS = (
    "figure_id",
    "source_id",
    "topic",
    "region",
    "indicator",
    "breakdown_dimension",
    "breakdown_value",
    "period_start",
    "period_end",
    "period_as_printed",
    "period_resolution",
    "value",
    "unit",
    "qualifier",
    "qualifier_marker",
    "locator",
    "note",
)

# ---------------------------------------------------------------- the number grammar

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,  # a circle for zero, as Taiwanese pages print years (二○○九年)
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "几": None,
    "幾": None,
}
CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
# 廿 (twenty), 卅 (thirty), 卌 (forty): one character for a digit and 十, as news pages print them (廿九萬兩千)
CN_TENS = {"廿": "二十", "卅": "三十", "卌": "四十"}
CN_CHARS = "".join([*CN_DIGITS, *CN_SMALL_UNITS, *CN_BIG_UNITS, *CN_TENS])
FULL_WIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")

DOTTED = re.compile(r"\d+(?:\.\d+){2,}")  # 2020.8.21: a date, read as three numbers
ARABIC = re.compile(r"\d+(?:,\d{3})*(?![\d,])(?:\.\d+(?![.\d]))?|\d+")
CHINESE = re.compile(f"百分之[{CN_CHARS}]+|[{CN_CHARS}]+")
# 28萬4641: Arabic digits on both sides of 万, the four after it its remainder (284641), one number
# 76萬5,147 and 6萬690 too: the remainder printed with a thousands comma, or with its leading zeros left out
MIXED = re.compile(r"(?<![\d.])(\d+)([万萬])(\d,\d{3}|\d{1,4})(?![\d.,%])")
# 2千萬, 6千多萬元, 3百万, 2千人: Arabic digits times 千/百 before 万/亿 or a count's measure word (2000 of 萬,
# 2000 persons), one number; not 5千米 or 3千克 (a kilometre, a kilogram)
SMALL_TIMES = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)([千百])(?=[多余餘]?[万萬亿億人户戶名元件个個家位次条條])")
# 近萬通, 逾千人, 约百户: 万/千/百 alone after a qualifier is that round number (10000 calls, nearly)
BARE_ROUND = re.compile(r"(?<=[近逾超约約])([万萬千百])(?=[多余餘]?[通人户戶名件个個家位次条條项項元])")
BARE_VALUES = {"万": 10_000, "萬": 10_000, "千": 1000, "百": 100}
# 一點六, 三点六: a Chinese numeral with a decimal point (點/点) and digits after it (1.6); not 两点五十分 (a time)
# 二、三十位, 三、四百人: two neighbouring tens (hundreds, thousands), the first printed by its digit alone, a range
ADJACENT_TENS = re.compile(
    rf"(?<![{CN_CHARS}])([一二两兩三四五六七八])({ADJACENT_TENS_LINK})([二三四五六七八九])([十百千])(?![十百千零〇])"
)
CN_DECIMAL = re.compile(r"([零〇一二两兩三四五六七八九十百千]+)[點点]([零〇一二三四五六七八九]+)(?![十百千萬万點点])")
# 五成五, 一成八, 两成半, 七成: tenths of a whole (55%, 18%, 25%, 70%); 成 after one Chinese digit, then a digit,
# 半, or what may follow a share (以上, 左右, 多, punctuation); not 一成不变 or 形成
CHENG_DIGITS = "一二两兩三四五六七八九"
CHENG = re.compile(
    f"(?<![{CN_CHARS}])([{CHENG_DIGITS}])成(?:([{CHENG_DIGITS}])|(半))?(?=[以左多的至到是为為都，。、；：,.;:!?！？)）」”]|$)"
)
# a gloss is letters, each syllable with at most one tone digit after it (yè, fā2); a bracket of an English abstract
# that prints a number of two or more digits ((less than 660 yuan per capita)) is no gloss
PINYIN_GLOSS = re.compile(
    r"[(（][a-zA-Z\u00c0-\u024f\u01cd-\u01dc]*[a-zA-Z\u00c0-\u024f](?:[a-zA-Z\u00c0-\u024f]|(?<![0-9])[0-9])*[)）]"
)
# 7成2, 1成6: Arabic tenths with the hundredths' digit after 成 (72%, 16% as a poll rounds them), one number in 成
ARABIC_CHENG = re.compile(r"(?<![\d.])(\d)成(\d)(?![\d.,%])")

# Measure words after which a lone Chinese digit (一, 两, 三 ...) is read as a count; beyond
# units.csv, these are the time and counting words a page prints after small numbers.
MEASURE_WORDS = frozenset(
    "年月日天周岁歲届屆次个個名位条條项項类類家户戶件人倍份部批种種期场場元辆輛列盏篇张張所座支起趟遍"
)
# Beyond MEASURE_WORDS, characters printed as a unit right after a number (41封, 4.6分, 2.6萬筆, 195萬宗, 3738通,
# 12例): a number before one is a count to draft (its unit flagged if units.csv lacks it), never part of a name.
UNIT_CHARS = MEASURE_WORDS | frozenset("封分筆笔宗通例")
# What each marker means is shared with the tidy tables (evidence.markers): one reading per marker.
PUNCTUATION = re.compile(r"[，。、；：！？,;:!?“”\"‘’()（）《》【】—…·\-/]")


@dataclass(frozen=True)
class Number:
    """One number printed on a page: where it is, what it says, and what follows it."""

    start: int  # span of the numeral itself in the whitespace-free text
    end: int
    printed: str  # the numeral as printed (without 万/亿, markers or unit)
    value: float | None  # its numeric value (None when it cannot be read, e.g. a lone 几)
    unit: str = ""  # the unit as printed, with any 万/亿 prefix (units.csv spelling)
    unit_known: bool = True
    qualifier: str = "exact"
    marker: str = ""
    locator: str = ""
    broken: str = ""  # the digits printed on the line before it when a line break ran them into this number


# Spaces between two numbers on a line without `|` cells (a table printed with spaces between its cells:
# 75,616 75,916 -0.40) keep them apart as a `|`, the way a `|` table separates its cells; inside a `|` cell a
# space stays a thousands separator (12 345), and a line break joins as before.
NUMBER_GAP = re.compile(r"(?<=[\d%])[^\S\n\r]+(?=[-−]?\d)")
# a number printed with a space between its thousands (229 268宗, 有3 842宗, as Hong Kong's releases print them): words
# right before it, groups of three after a single space, and words right after it (not one more number: a row of a table)
# or, with words right after it, a closing bracket (…(人均330元以下)1 292人, …(per capita 330 yuan) 1 292 people)
# or nothing before it: a locator that starts at its number (1 292人) reads as the page around it does (numbers
# alone after a heading's bracket, 人数(人) 100 200 300, stay a table's row)
THOUSANDS_SPACE = re.compile(
    r"(?<=[^\W\d_A-Za-z])\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d.,]|\s+\d)"
    r"|(?:(?<=[)）])|(?<=[)）] )|\A)\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?=[^\S\n]?[^\W\d_])"
)


def normalise(text: str) -> str:
    """The page text with all whitespace removed and full-width digits made ASCII; spaces between two numbers
    on a line without `|` become `|`, so the two stay two numbers, except a space between a number's thousands
    (THOUSANDS_SPACE), which is dropped."""
    text = text.translate(FULL_WIDTH)
    text = THOUSANDS_SPACE.sub(lambda m: re.sub(r"\s", "", m.group()), text)
    if NUMBER_GAP.search(text):
        text = "\n".join(line if "|" in line else NUMBER_GAP.sub("|", line) for line in text.split("\n"))
    return re.sub(r"\s+", "", text)


def masked_spans(text: str) -> list[tuple[int, int]]:
    """Spans of pinyin glosses such as (yè), whose letters and digits are not numbers."""
    return [m.span() for m in PINYIN_GLOSS.finditer(text)]


def parse_chinese(numeral: str) -> float | None:
    """The value of a Chinese numeral (一千, 三百, 十几, 两, 二〇一九, 百分之五, 廿四); None if unreadable."""
    numeral = numeral.removeprefix("百分之")
    for tens, spelled in CN_TENS.items():
        numeral = numeral.replace(tens, spelled)
    if not numeral or any(c not in CN_CHARS for c in numeral):
        return None
    if all(c in CN_DIGITS for c in numeral):
        return _digit_string(numeral)
    return _positional(numeral)


def _digit_string(numeral: str) -> float | None:
    """Digits read one by one (二〇一九 -> 2019); a lone 几 has no value."""
    digits = [CN_DIGITS[c] for c in numeral]
    if any(d is None for d in digits):
        return None
    return float(int("".join(str(d) for d in digits)))


def _positional(numeral: str) -> float | None:
    """A numeral with 十/百/千/万/亿 (一千二百, 十几, 几十, 三万五千); 几 counts as 0 after a unit, 2 before."""
    total, section, digit = 0.0, 0.0, None
    for char in numeral:
        if char in "零〇":
            continue  # a placeholder inside a numeral (一千零五)
        if char in CN_DIGITS and digit is not None:
            return None  # two digits in a row with 十/百 about (十四五) is a name, not a value
        if char in CN_DIGITS:
            digit = 2 if CN_DIGITS[char] is None else CN_DIGITS[char]
            if CN_DIGITS[char] is None and section + total > 0:
                digit = 0
        elif char in CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * CN_SMALL_UNITS[char]
            digit = None
        else:
            total = (total + section + (digit or 0)) * CN_BIG_UNITS[char]
            section, digit = 0.0, None
    return total + section + (digit or 0)


def parse_arabic(numeral: str) -> float:
    """The value of an Arabic numeral with thousands commas and a decimal point."""
    return float(numeral.replace(",", ""))


def is_chinese_number(numeral: str, following: str) -> bool:
    """Whether a run of Chinese numeral characters is a number: it has a digit or 十, and a lone digit needs a measure word."""
    core = numeral.removeprefix("百分之")
    if not any((c in CN_DIGITS and c not in "几幾") or c == "十" or c in CN_TENS for c in core):
        return False  # 万千, 千万, 百, a lone 几 are words, not numbers
    if numeral.startswith("百分之"):
        return True
    if len(core) == 1 or (all(c in CN_DIGITS for c in core) and len(core) < 3):
        return bool(following) and following[0] in MEASURE_WORDS | set(CN_BIG_UNITS)
    return True


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """Whether `span` lies inside one of `spans`."""
    return any(a <= span[0] and span[1] <= b for a, b in spans)


def numerals(text: str) -> list[tuple[int, int, str, float | None]]:
    """Every numeral in a whitespace-free text: (start, end, as printed, value), pinyin glosses skipped."""
    masked = masked_spans(text)
    dotted = [m.span() for m in DOTTED.finditer(text)]
    found = [
        (m.start(), m.end(), m.group(), parse_arabic(m.group()))
        for a, b in dotted
        for m in re.finditer(r"\d+", text[:b])
        if m.start() >= a
    ]
    masked += dotted
    for m in MIXED.finditer(text):
        if not _inside(m.span(), masked):
            remainder = float(m.group(3).replace(",", ""))
            found.append((m.start(), m.end(), m.group(), float(m.group(1)) * 10_000 + remainder))
            masked.append(m.span())
    for m in SMALL_TIMES.finditer(text):
        if not _inside(m.span(), masked):
            found.append((m.start(), m.end(), m.group(), float(m.group(1)) * CN_SMALL_UNITS[m.group(2)]))
            masked.append(m.span())
    for m in BARE_ROUND.finditer(text):
        if not _inside(m.span(), masked):
            found.append((m.start(), m.end(), m.group(), float(BARE_VALUES[m.group(1)])))
            masked.append(m.span())
    for m in ADJACENT_TENS.finditer(text):
        low, high, times = CN_DIGITS[m.group(1)], CN_DIGITS[m.group(3)], CN_SMALL_UNITS[m.group(4)]
        counted = text[m.end() : m.end() + 1] in UNIT_CHARS  # 二、三十位: a count's measure word after it
        if high == low + 1 and counted and not _inside(m.span(), masked):
            found.append((m.start(1), m.end(1), m.group(1), float(low * times)))
            found.append((m.start(3), m.end(), m.group(3) + m.group(4), float(high * times)))
            masked.append(m.span())
    for m in ARABIC_CHENG.finditer(text):
        if not _inside(m.span(), masked):
            found.append((m.start(), m.end(), m.group(), float(f"{m.group(1)}.{m.group(2)}")))
            masked.append(m.span())
    for m in CN_DECIMAL.finditer(text):
        whole = parse_chinese(m.group(1))
        if whole is not None and not _inside(m.span(), masked):
            tenths = "".join(str(CN_DIGITS[c]) for c in m.group(2))
            found.append((m.start(), m.end(), m.group(), float(f"{int(whole)}.{tenths}")))
            masked.append(m.span())
    found += [
        (m.start(), m.end(), m.group(), parse_arabic(m.group()))
        for m in ARABIC.finditer(text)
        if not _inside(m.span(), masked)
    ]
    for m in CHENG.finditer(text):
        tenths = CN_DIGITS[m.group(1)] * 10 + (CN_DIGITS[m.group(2)] if m.group(2) else 5 if m.group(3) else 0)
        found.append((m.start(), m.end(), m.group(), float(tenths)))
        masked.append(m.span())
    for m in CHINESE.finditer(text):
        start, _end, printed = _split_big_unit(m.start(), m.group())
        if _inside((start, start + len(printed)), masked):
            continue
        if printed and is_chinese_number(printed, text[start + len(printed) :]):
            found.append((start, start + len(printed), printed, parse_chinese(printed)))
    return sorted(found)


def _split_big_unit(start: int, run: str) -> tuple[int, int, str]:
    """Leading 万/亿 is a word (万一); trailing 万/亿 after a digit is the unit's prefix (三百万 -> 三百 + 万)."""
    stripped = run.lstrip("".join(CN_BIG_UNITS))
    start += len(run) - len(stripped)
    if len(stripped) > 1 and stripped[-1] in CN_BIG_UNITS:
        stripped = stripped[:-1]
    return start, start + len(stripped), stripped


# ---------------------------------------------------------------- units, qualifiers, locators


def match_unit(following: str, units: list[str]) -> tuple[str, str, bool]:
    """(unit as recorded, infix marker, known) for the text after a numeral: 余/多 may sit before or after 万."""
    marker = ""
    head = following
    if head[:1] in INFIX_MARKERS:
        marker, head = head[0], head[1:]
    big = head[:1] if head[:1] in CN_BIG_UNITS else ""
    rest = head[len(big) :]
    gloss = PINYIN_GLOSS.match(rest) if big else None
    if gloss:  # 9.67萬(wàn)件: the gloss of 萬 stands between it and the unit
        rest = rest[gloss.end() :]
    if big and not marker and rest[:1] in INFIX_MARKERS:
        marker, rest = rest[0], rest[1:]
    for printed, unit in BRACKETED_UNITS.items():
        if rest.startswith(printed) and unit in units:
            return big + unit, marker, big + unit in units  # 1,200人(次): person-times, the 次 in brackets
    for unit in sorted(units, key=len, reverse=True):
        if unit.startswith(big) and len(unit) > len(big) and rest.startswith(unit[len(big) :]):
            after = rest[len(unit) - len(big) : len(unit) - len(big) + 1]
            if after and after in NOT_AFTER_UNIT.get(unit, ""):
                continue  # 3分钟 is minutes, 三分之一 a fraction: not points
            return unit, marker, True
    if big:
        return big, marker, big in units
    if rest[:1] == "%":
        return "%", marker, True
    if rest[:1] in UNIT_CHARS:
        known = rest[0] in units and not (rest[1:2] and rest[1:2] in NOT_AFTER_UNIT.get(rest[0], ""))
        return rest[0], marker, known
    return "", marker, True


# Characters after which a unit is the start of another word: 分钟 (minutes, a duration units.csv does not list)
# and 分之 (三分之一) are no score in points
NOT_AFTER_UNIT = {"分": "钟鐘鍾之"}
# Units printed with a bracketed part (人(次): persons, counted each time, so person-times)
BRACKETED_UNITS = {"人(次)": "人次", "人（次）": "人次", "人(次）": "人次", "人（次)": "人次"}


def printed_length(unit: str, marker: str, following: str = "") -> int:
    """How many characters after the numeral the unit and an infix marker take (a bracketed unit as printed)."""
    head = following[len(marker) :] if following[: len(marker)] == marker else following
    bracketed = next((len(p) for p, u in BRACKETED_UNITS.items() if u == unit[-2:] and p in head[:8]), 0)
    return (bracketed + len(unit) - 2 if bracketed else len(unit)) + len(marker)


def prefix_marker(before: str) -> str:
    """The qualifier marker printed just before a numeral (超过, 近, 不到 ...), or ''."""
    for marker in sorted(PREFIX_MARKERS, key=len, reverse=True):
        if before.endswith(marker):
            return marker
    return ""


def clause_marker(before: str) -> str:
    """A qualifier marker printed a few characters before a numeral in its clause (大概會接到8萬通, 最高每分鐘三點六元,
    保守統計其中有5%), or ''."""
    clause = PUNCTUATION.split(before)[-1]
    for marker in sorted(CLAUSE_MARKERS, key=len, reverse=True):
        at = clause.rfind(marker)
        superlative = marker in SUPERLATIVES and clause[at + len(marker) : at + len(marker) + 1] in NAMING_VERBS
        if at >= 0 and len(clause) - at - len(marker) <= CLAUSE_GAP and not superlative:
            return marker
    return ""


def english_marker(before: str) -> str:
    """A qualifier marker of an English abstract printed right before a numeral (nearly 500,000: the text without
    its spaces ends with nearly), as printed with its spaces (less than), or ''."""
    for marker in sorted(ENGLISH_MARKERS, key=len, reverse=True):
        if before.lower().endswith(marker.replace(" ", "")):
            return marker
    return ""


# 最高达53.7%, 最多的是: the highest of the items named, printed exactly; 最高每分鐘三點六元 is a ceiling
SUPERLATIVES = ("最高", "最多")
NAMING_VERBS = "达達是为為的"


# How many characters may stand between a clause marker and its numeral (大概會接到8: three)
CLAUSE_GAP = 3


def suffix_marker(after: str, unit: str) -> str:
    """The qualifier marker printed just after the unit (以上, 左右, 内 ...), or ''."""
    for marker in sorted(SUFFIX_MARKERS, key=len, reverse=True):
        if after.startswith(marker) and (marker not in INFIX_MARKERS or unit in ("年", "个月", "天")):
            return marker
    return ""


def qualifier_of(marker: str) -> str:
    """The qualifier a printed marker implies (exact when there is none)."""
    table = {**PREFIX_MARKERS, **INFIX_MARKERS, **SUFFIX_MARKERS, **FUZZY_DIGITS, **CLAUSE_MARKERS, **ENGLISH_MARKERS}
    return table.get(marker, "exact")


def make_locator(text: str, start: int, end: int, width: int = 4) -> str:
    """A few printed characters around a number: up to `width` either side, not across punctuation or a gloss."""
    left = PUNCTUATION.split(text[max(0, start - width) : start])[-1]
    right = PUNCTUATION.split(text[end : end + width])[0]
    return left + text[start:end] + right


def read_number(text: str, start: int, end: int, printed: str, value: float | None, units: list[str]) -> Number:
    """A numeral with its unit, qualifier and locator read from the text around it."""
    following = text[end : end + 14]  # room for a pinyin gloss after 萬: 萬(wàn)件
    unit, marker, known = match_unit(following, units)
    cheng = ARABIC_CHENG.fullmatch(printed) is not None  # 7成2: tenths in 成 as printed, the unit inside the numeral
    if cheng:
        unit, marker, known = "成", "", "成" in units
    elif printed.startswith("百分之") or "成" in printed:
        unit, marker, known = "%", "", True  # 百分之五, 五成五: a percentage, however printed
    after = text[end:] if cheng else text[end + printed_length(unit, marker, following) :]
    before = text[max(0, start - 3) : start]
    # 约占55%, 約佔五成五: the marker before a share's 占 qualifies the share
    marker = marker or prefix_marker(before) or prefix_marker(before[:-1] if before[-1:] in "占佔" else "")
    marker = marker or suffix_marker(after[:2], unit)
    marker = marker or ("几" if "几" in printed else "幾" if "幾" in printed else "")
    marker = marker or clause_marker(text[max(0, start - 12) : start])
    marker = marker or english_marker(text[max(0, start - 12) : start])
    return Number(start, end, printed, value, unit, known, qualifier_of(marker), marker, make_locator(text, start, end))


def apply_ranges(text: str, numbers: list[Number]) -> list[Number]:
    """In 'A至B' or 'A到B' the first end is at_least and the second at_most, sharing B's unit; a percentage and
    a count are no range (下跌0.6%至12 319宗: fell by 0.6% to 12,319)."""
    result = list(numbers)
    for i in range(len(result) - 1):
        first, second = result[i], result[i + 1]
        gap = text[first.end : second.start]
        link = gap.removeprefix(first.unit.removeprefix(first.marker))
        percent = [n.unit == "%" for n in (first, second) if n.unit]
        if len(set(percent)) > 1:
            continue
        tens = link == ADJACENT_TENS_LINK and len(first.printed) == 1 and first.printed in CN_DIGITS
        tens = tens and second.value is not None and first.value is not None and second.printed[:1] in CN_DIGITS
        tens = tens and ADJACENT_TENS.fullmatch(first.printed + link + second.printed) is not None
        if (link in RANGE_MARKERS or tens) and first.marker == "" and second.marker == "":
            unit = first.unit or second.unit
            result[i] = replace(first, unit=unit, qualifier="at_least", marker=link)
            result[i + 1] = replace(second, qualifier="at_most", marker=link)
    return result


def find_numbers(page_text: str, units: list[str]) -> list[Number]:
    """Every number printed on a page (positions in its whitespace-free text). Digits a line break runs together
    (17.67 at a line's end, 1. at the next one's start; a page break between 3 and 3.8万元) are two numbers, the
    second saying so (`broken`), so the researcher checks whether one number was printed across the break."""
    text = normalise(page_text)
    cuts, offset, line_starts = [], 0, set()
    for line in page_text.splitlines():
        line_starts.add(offset)
        # digits on both sides of a line break, or 万 ending a line before digits (a title's 13万, then the
        # dateline 2011-01-31): no 28萬4641 across the break
        if (
            0 < offset < len(text)
            and text[offset].isdigit()
            and (text[offset - 1].isdigit() or text[offset - 1] in "万萬")
        ):
            cuts.append(offset)
        offset += len(normalise(line))
    marked = text
    for cut in reversed(cuts):
        marked = marked[:cut] + "\0" + marked[cut:]

    def back(position: int) -> int:  # a position in `marked` in the page's whitespace-free text
        return position - sum(1 for k, cut in enumerate(cuts) if cut + k < position)

    numbers = []
    for s, e, p, v in numerals(marked):
        start, end = back(s), back(e)
        if start in line_starts and text[end : end + 1] == ADJACENT_TENS_LINK and p in CN_DIGITS:
            continue  # 二、 opening a line is its outline number (二、三十年来…), not a range's low end
        # 28萬 at a line's end and 4641 at the next one's start: perhaps one number, 28萬4641, split by the break
        broken = next(
            (
                q.printed + text[q.end : start]
                for q in numbers
                if start in cuts and text[q.end : start] in ("", "万", "萬")
            ),
            "",
        )
        numbers.append(replace(read_number(text, start, end, p, v, units), broken=broken))
    return apply_ranges(text, numbers)


# ---------------------------------------------------------------- the ledger


def occurrences(text: str, needle: str) -> list[int]:
    """Every start index of `needle` in `text` (overlapping)."""
    return [m.start() for m in re.finditer(f"(?={re.escape(needle)})", text)] if needle else []


def covers(text: str, locator: str, number: Number) -> bool:
    """Whether an occurrence of `locator` contains the number's span."""
    locator = normalise(locator)
    return any(o <= number.start and number.end <= o + len(locator) for o in occurrences(text, locator))


def covers_loosely(text: str, locator: str, number: Number) -> bool:
    """Whether a window over the number differs from `locator` in at most one character (e.g. 务 printed 務)."""
    locator = normalise(locator)
    lo, hi = max(0, number.end - len(locator)), min(number.start, len(text) - len(locator))
    for o in range(lo, hi + 1):
        window = text[o : o + len(locator)]
        if sum(a != b for a, b in zip(window, locator)) <= 1:
            return True
    return False


def same_value(number: Number, printed_value: str) -> bool:
    """Whether a figures.csv value equals the number's value; a negative value (a decrease entered with its
    sign, 环比减少12.35% as -12.35) matches the printed number without the sign."""
    try:
        return number.value is not None and abs(abs(float(printed_value)) - number.value) < 1e-9
    except ValueError:
        return False


@dataclass(frozen=True)
class Entry:
    """One number and how the ledger accounts for it."""

    number: Number
    status: str  # entered, entered_loosely, excluded, unaccounted
    by: str = ""  # the figure_id or the exclusion reason


def account(text: str, number: Number, figures: pd.DataFrame, exclusions: pd.DataFrame) -> Entry:
    """Whether a number is entered in figures.csv, excluded, or unaccounted for."""
    for row in figures.itertuples(index=False):
        if same_value(number, row.value) and covers(text, row.locator, number):
            return Entry(number, "entered", row.figure_id)
    for row in exclusions.itertuples(index=False):
        if covers(text, row.locator, number):
            return Entry(number, "excluded", row.reason)
    for row in figures.itertuples(index=False):
        if same_value(number, row.value) and covers_loosely(text, row.locator, number):
            return Entry(number, "entered_loosely", row.figure_id)
    return Entry(number, "unaccounted")


def ledger(
    page_text: str, source_id: str, figures: pd.DataFrame, exclusions: pd.DataFrame, units: list[str]
) -> list[Entry]:
    """Every number on the page with its account, against this source's figures and exclusions."""
    text = normalise(page_text)
    mine = figures[figures["source_id"] == source_id]
    excluded = exclusions[exclusions["source_id"] == source_id]
    return [account(text, n, mine, excluded) for n in find_numbers(page_text, units)]


def recall(entries: list[Entry], figures: pd.DataFrame, source_id: str) -> tuple[int, int]:
    """(figures.csv rows of the source found on the page, rows of the source)."""
    ids = set(figures.loc[figures["source_id"] == source_id, "figure_id"])
    found = {e.by for e in entries if e.status.startswith("entered")}
    return len(ids & found), len(ids)


def draft_row(number: Number, source_id: str) -> dict[str, str]:
    """A figures.csv row with what the page says filled in and the rest left to the researcher."""
    row = dict.fromkeys(FIGURE_COLUMNS, "")
    row.update(
        source_id=source_id,
        # every printed digit kept, the thousands commas dropped (figures.csv's value is a plain number)
        value=number.printed.replace(",", "") if re.fullmatch(r"[\d.,]+", number.printed) else _plain(number.value),
        unit=number.unit if number.unit_known else "",
        qualifier=number.qualifier,
        qualifier_marker=number.marker,
        locator=number.locator,
    )
    if not number.unit_known:
        row["note"] = f"unit {number.unit!r} is not in units.csv"
    elif not number.unit:
        row["note"] = "no unit printed after the number"
    return row


def _plain(value: float | None) -> str:
    """A value as a figures.csv number (no trailing .0); empty when unreadable."""
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else str(value)


def draft_csv(entries: list[Entry], source_id: str) -> str:
    """The draft rows of the unaccounted numbers, as CSV text with figures.csv's header."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIGURE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(draft_row(e.number, source_id) for e in entries if e.status == "unaccounted")
    return buffer.getvalue()


# ---------------------------------------------------------------- pages and sources


def guess_source_id(page_text: str, figures: pd.DataFrame) -> str:
    """The source whose figures.csv locators occur most often in the page."""
    text = normalise(page_text)
    hits = figures.assign(hit=figures["locator"].map(lambda loc: normalise(loc) in text))
    counts = hits.groupby("source_id")["hit"].sum()
    if counts.empty or counts.max() == 0:
        raise SystemExit("finder: no figures.csv locator occurs in the page; pass --source-id")
    return str(counts.idxmax())


def pages_by_source(folder: Path, figures: pd.DataFrame) -> dict[str, Path]:
    """The pages in a folder, keyed by the source_id their content matches."""
    return {guess_source_id(p.read_text(encoding="utf-8"), figures): p for p in sorted(folder.glob("*.txt"))}


def load_exclusions(path: Path = paths.RAW / "exclusions.csv", pages: dict[str, str] | None = None) -> pd.DataFrame:
    """The validated exclusions (see analysis.evidence.exclusions)."""
    return exclusion_rules.load_exclusions(path, pages=pages)

"""Draft whole figures.csv rows, and the relations.csv rows a page's structure shows (issue 28).

`analysis.evidence.finder` finds every number on a page; this module completes each one into a
draft row a researcher reviews: the period from the printed date words and the publication date
(`period_resolution` says how), the region of the source, an indicator proposed from
`indicators.csv` (marked as proposed in `note`; a new one is proposed as a draft `indicators.csv`
row), the breakdown the printed structure shows (其中, 分别, 占…%, a list of 类), the topic the
indicator's existing rows have, and, for a printed decrease, the signed value. It also drafts
`relations.csv` rows: parts and their total (`sum` when they add up, else `part_of`), a share with
its count and total (`share`), a per-day average with its volume (`per_day`), a change with the
figure it is a change of (`change`) and a count printed beside a rate (`base`). Tables with `|`
cells draft one row per cell, the row heading as indicator and the column heading as period.

Nothing here names a source's figures, indicators, categories, regions or dates: every such word
comes from the page or from data/raw. Nothing is written to data/raw.
"""

from __future__ import annotations

import calendar
import csv
import functools
import io
import itertools
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import pandas as pd
import zhconv

from analysis import paths
from analysis.evidence import finder, raw

# ---------------------------------------------------------------- the source and its dates


@dataclass(frozen=True)
class Source:
    """What the page's sources.csv row says: its id, publication date (ISO 8601) and region."""

    source_id: str
    publication_date: str = ""
    region: str = ""


@dataclass(frozen=True)
class Period:
    """A resolved period: ISO bounds, the date words as printed, and how they were resolved."""

    start: date
    end: date
    printed: str
    resolution: str
    # for a date told with 截至 (截至5月底): where a flow or an amount counted up to it starts, the start printed
    # before it (自…, …起) or else its year's first day; a stock is counted on the date itself
    counted_from: date | None = None


def publication_bounds(text: str) -> tuple[date, date] | None:
    """The first and last day a publication date allows (`2020-08-21`, `2020-01`, `A/B`); None if blank."""
    if not text:
        return None
    first, _, last = text.partition("/")
    return _iso_bounds(first)[0], _iso_bounds(last or first)[1]


def _iso_bounds(text: str) -> tuple[date, date]:
    """The days an ISO date, month or year covers."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return date(*parts), date(*parts)
    if len(parts) == 2:
        return date(parts[0], parts[1], 1), _month_end(parts[0], parts[1])
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def _month_before(day: date) -> date:
    """The same day a month earlier (the month's last day where it has fewer days)."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


CN_ORDINALS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
YEAR = r"((?:19|20)\d{2})年"
DASH = r"[—–\-~至到]+"
CN_MONTH = r"十[一二]?|[一二三四五六七八九]"
# The date words a page prints, most specific first; each match becomes a Period (see _resolve).
DATE_WORDS = [
    (
        "range",
        re.compile(
            rf"(?:{YEAR})?(?:第(\d+)周)?[(（]?(?:{YEAR})?(\d{{1,2}})月(\d{{1,2}})日{DASH}(?:(\d{{1,2}})月)?(\d{{1,2}})日[)）]?"
        ),
    ),
    ("iso_day", re.compile(r"((?:19|20)\d{2})-(\d{2})-(\d{2})")),
    # 2021/04/16, 2021/4/16: a day printed with slashes
    ("slash_day", re.compile(r"(?<!\d)((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?!\d)")),
    ("month_range", re.compile(rf"(?:{YEAR})?(\d{{1,2}})(?:月份?)?{DASH}(\d{{1,2}})月份?")),
    ("year_range", re.compile(rf"{YEAR}{DASH}{YEAR}")),
    ("recent_month", re.compile(r"近([一二两兩三四五六七八九十]|[1-9]|1[0-2])[个個]?月")),
    # 两年来, 近5年来, 三年多来: the publication's year and those before it, to the publication date
    ("years_since", re.compile(r"(?:近|这|這)?([两兩二三四五六七八九十]|\d{1,2})年(?:多)?(?:来|來|以来|以來)")),
    # 截至目前, 目前, 至今: the publication date (当前位置, a web page's breadcrumb, is no date)
    (
        "now",
        re.compile(
            r"(?:截至|截止|截止到)?(?:目前|当前|當前)(?!位置)|至今|(?:截至|截止|截止到)(?:发稿|發稿)(?:日|时|時)?"
        ),
    ),
    # 全市现有城市低保9739户: what there is now, on the day the report is told (its dateline) or published
    ("present", re.compile(r"(?:现有|現有)(?![的效])")),
    ("since", re.compile(rf"(?:{YEAR}|(今年|本年))以来")),
    # 一季度, 第三季度, 第3季, 三季度, 首季, Q3 (2024Q3, 2024年Q3): a lone 三季 (no 第 or 度) is left alone
    (
        "quarter",
        re.compile(
            r"(?:((?:19|20)\d{2})年?|(今年|去年|本年))?"
            r"(?:第([一二三四1-4])季度?|([一二三四1-4])季度|(首)季度?|[Qq]([1-4])(?![\d.]))"
        ),
    ),
    (
        "first_months",
        re.compile(rf"(?:{YEAR}|(今年|去年|本年))?(?:头|前)([1-9]|1[0-2]|[一二三四五六七八九十]{{1,2}})个月"),
    ),
    ("half", re.compile(rf"(?:{YEAR}|(今年|去年|本年))?(上|下)半年")),
    ("year_end", re.compile(rf"{YEAR}(?:年底|年末|底|末)")),
    # 5月10、11日: two days in a row of one month (a survey's fieldwork), from the first to the second
    ("day_pair", re.compile(rf"(?:{YEAR})?(\d{{1,2}})月(\d{{1,2}})、(\d{{1,2}})日")),
    ("day", re.compile(rf"(?:{YEAR})?(\d{{1,2}})月(\d{{1,2}})日")),
    ("month_end", re.compile(rf"(?:{YEAR})?(\d{{1,2}})月(?:底|末)")),
    # 六、七月, 6、7月: two months in a row, from the first's start to the second's end
    ("month_pair", re.compile(rf"(?:{YEAR})?({CN_MONTH}|\d{{1,2}})月?、({CN_MONTH}|\d{{1,2}})月份?")),
    ("month", re.compile(rf"(?:{YEAR})?(\d{{1,2}})月份?")),
    # 十月, 三月份 (a month printed in Chinese numerals); not 一个月, 几月
    (
        "month",
        re.compile(
            rf"(?:{YEAR})?(?<![一二三四五六七八九十几幾])({CN_MONTH})月份?(?![一二三四五六七八九十]|\d{{1,2}}[日号號])"
        ),
    ),
    ("year", re.compile(rf"{YEAR}(?:度|全年)?")),
    # 今(2025)年, 本（2024）年: this year with its number in brackets
    ("year", re.compile(r"(?<=[今本])[(（]((?:19|20)\d{2})[)）]年")),
    # 民國98年, or 98年 / 107年 on a page in traditional characters: a year of the Republic of China (+1911)
    ("roc_year", re.compile(r"(民國|民国)?(?<![\d.])(?<!\d,)(\d{2,3})年(?![代来來多間间內内前])")),
    # 2年前, 三年前: the calendar year that many years before the publication's
    ("years_ago", re.compile(r"(?<![\d.])([两兩二三四五六七八九十]|\d{1,2})年前")),
    (
        "relative",
        re.compile(r"本周|本月|本季度|上上周|上周|上月|今年|去年|前年|明年|本年|昨天|昨日|前天|当天|當天|当日|當日"),
    ),
    # 这五天, 这几天, 在此期间, 其间: the span of days printed before (7月12日至16日), not a single day printed since
    (
        "that_span",
        re.compile(
            r"(?:这|這)(?:[一二两兩三四五六七八九十]|\d{1,2}|几|幾)(?:天|日)|(?:在此|此|这|這)期間?间?|其間|其间"
        ),
    ),
]
UNTIL = ("截至到", "截止到", "截至", "截止", "到")  # longest first: 截至到 is 截至, not 到
# Words saying when the events counted fall (集中于上半年, 多发生在7月): the date words after them date no figure
WHEN_WORDS = ("集中于", "集中在", "集中於", "多发生在", "多發生在", "多发生于", "多發生於")
SINCE = ("自", "从", "從")
COMPARED_WITH = ("较", "較", "比", "与", "與", "同")


@dataclass(frozen=True)
class DateWords:
    """One printed date expression: its span in the whitespace-free text and the period it gives."""

    start: int
    end: int
    period: Period
    baseline: bool = False  # the year a change compares with (較2018年): no period for what follows
    scope_end: int | None = None  # where its sentence ends, for a month printed inside the page's year


# date words that may be printed without their year (3月, 十月, 6月5日), which then comes from the context
YEARLESS = ("month", "day", "month_end", "month_range", "month_pair", "day_pair")


# a time of day right after a day printed in full (2024-01-10 09:52; spaces between cells read as |): a posting stamp
CLOCK_AFTER = re.compile(r"\|?[0-2]?\d:[0-5]\d(?!\d)")


def date_words(text: str, published: tuple[date, date] | None) -> list[DateWords]:
    """Every date expression in a whitespace-free text, resolved against the publication date."""
    taken: list[tuple[int, int]] = []
    found: list[DateWords] = []
    context = {"year": published[1].year if published else None, "main": None, "last": None, "until": None}
    context["roc"] = "民國" in text or "民国" in text or fold(text) != text  # traditional characters
    matches = sorted(
        ((m.start(), -len(m.group()), kind, m) for kind, rx in DATE_WORDS for m in rx.finditer(text)),
        key=lambda t: (t[0], t[1]),
    )
    for start, _neg, kind, match in matches:
        if any(a < match.end() and start < b for a, b in taken):
            continue
        if (
            kind == "relative"
            and match.group() in ("当天", "當天", "当日", "當日")
            and text[match.end() : match.end() + 1].isdigit()
        ):
            continue  # 当日100%转办: a same-day rate's name, not a date
        if kind in ("half", "quarter", "month", "month_range") and text[max(0, start - 4) : start].endswith(WHEN_WORDS):
            # 投诉集中于上半年: when the events fall, not the period of the figures after it
            taken.append((start, match.end()))
            found.append(DateWords(start, match.end(), _resolve(kind, match, context, published), baseline=True))
            continue
        if kind in ("relative", "year", "month") and text[max(0, start - 2) : start].endswith(COMPARED_WITH):
            # 较上周, 比去年, 較2018年, 較八月份: the baseline of a change, not the period of the figure; a printed
            # year or month stays a date (its digits are no figure) that gives no period
            if kind in ("year", "month"):
                taken.append((start, match.end()))
                found.append(DateWords(start, match.end(), _resolve(kind, match, context, published), baseline=True))
            continue
        period = _resolve(kind, match, context, published)
        if period is None:
            continue
        if kind in ("iso_day", "slash_day") and CLOCK_AFTER.match(text, match.end()):
            # 时间:2024-01-10 09:52, a web page's posting stamp (a day and a time of day): when the page went up,
            # not the period of the figures after it (a table titled 2023年12月 above it keeps its month)
            taken.append((start, match.end()))
            found.append(DateWords(start, match.end(), period, baseline=True))
            continue
        if (
            kind in YEARLESS
            and not match.group(1)
            and context["last"] is None
            and published is not None
            and published[0].year != published[1].year
        ):
            # 二月 before any year is printed, on a page dated only by bounds across years (2015-07-01/2024-01-01):
            # its year is unknown, so it is a date (no figure) that gives no period, and not the page's period
            taken.append((start, match.end()))
            found.append(DateWords(start, match.end(), period, baseline=True))
            continue
        if kind == "day" and text[max(0, start - 1) : start] in SINCE and published:
            end = (
                context["last"].end
                if context["last"] and context["last"].start == context["last"].end
                else published[1]
            )
            period = Period(
                period.start, end, "自" + period.printed, f"from the printed start ({period.resolution}) to {end}"
            )
            context["since"] = period
        since = context.get("since")
        if kind == "day" and text[max(0, start - 1) : start] in ("至", "到") and since is not None and published:
            begun = next((d for d in reversed(found) if d.period.start == since.start), None)
            gap = text[begun.end : start] if begun is not None else ""
            if (
                begun is not None
                and begun.period.printed.startswith(SINCE)
                and len(gap) <= 8
                and not re.search(r"\d", gap)
                and since.start <= period.end
            ):
                # 自8月22日起繼續至9月8日: one span of days, from the printed start to this day (no figure between)
                period = Period(since.start, period.end, f"{since.printed}…至{period.printed}", "the printed span")
                found.remove(begun)
                taken.append((begun.start, start))
                start = begun.start
                context["since"] = None
        until = next((u for u in UNTIL if text[:start].endswith(u)), "")
        if until:
            since = context.get("since")
            begun = since.start if since is not None and since.start <= period.end else None
            period = Period(
                period.end,
                period.end,
                until + period.printed,
                f"{until}: {period.resolution}, taken as a stock on its last day",
                # 从6656户减少到512户: 到 ends a change between two stocks, no count to date
                counted_from=(begun or date(period.end.year, 1, 1)) if until != "到" else None,
            )
            context["until"] = period
        if kind == "day" and published and re.match(r"(?:零时|零時|0时|0時)?(?:起|开始|開始)", text[match.end() :]):
            # 7月20日零时起 …开通: the start a later 截止发稿日 or 至今 counts from
            context["since"] = Period(period.start, published[1], period.printed + "起", period.resolution)
        if kind == "month" and text[max(0, start - 1) : start] in SINCE and published:
            # 从7月份开始: from the month to the end of the year it is printed in (or the publication)
            main = context["main"]
            end = main.end if main is not None and main.start <= period.start <= main.end else published[1]
            period = Period(
                period.start, end, "从" + period.printed, f"from the printed month ({period.resolution}) to {end}"
            )
        if kind == "since":
            context["since"] = period
        if kind in ("year", "roc_year") and text[max(0, start - 1) : start] in SINCE and published:
            # 自98年成立至今: the start a later 至今 runs from
            context["since"] = Period(period.start, published[1], "自" + period.printed, period.resolution)
        # a month or day without its year, printed inside the year the page is about (民政局2018年…; 从7月份开始),
        # dates its own sentence only: the numbers after it are the year's again
        main = context["main"]
        inside = (
            kind in YEARLESS
            and not match.group(1)
            and main is not None
            and main.start <= period.start
            and period.end <= main.end
            and (main.end - main.start).days > 300
        )
        # a year after the publication's (明年, 102年 in a 2012 page: a plan) dates its own sentence only too
        ahead = published is not None and period.start.year > published[1].year
        scope_end = (
            next((k for k in range(match.end(), len(text)) if text[k] in SENTENCE_END), len(text))
            if inside or ahead or kind == "present"
            else None
        )
        taken.append((start - len(until), match.end()))
        found.append(DateWords(start - len(until), match.end(), period, scope_end=scope_end))
        if kind in ("years_ago", "present"):  # 两年前, 现有 date what they are told of, not the dates after them
            continue
        # 自8月22日 runs to the publication day: the year of the day printed is the one the next dates are in
        context["year"] = period.start.year if kind == "day" and period.printed.startswith("自") else period.end.year
        context["last"] = period
        if kind not in ("relative", "now") and period.start == period.end and not until:
            context["told"] = period.start
        if context["main"] is None and kind not in ("relative", "iso_day", "slash_day") and period.start != period.end:
            context["main"] = period
        if period.start != period.end and re.search(r"\d[日号號]", period.printed) and kind != "that_span":
            context["span"] = period  # a span of days printed (7月12日至16日), which 这五天 or 其间 refers back to
    return found


def _year(group: str | None, context: dict, published: tuple[date, date] | None) -> tuple[int | None, str]:
    """The year printed, else the year in context (the last printed, or the publication's)."""
    if group:
        return int(group), "printed in full"
    if context["year"] is not None:
        how = "the year of the publication date" if context["last"] is None else "the year printed before it"
        return context["year"], how
    return None, ""


def _resolve(kind: str, m: re.Match, context: dict, published: tuple[date, date] | None) -> Period | None:
    """The period a date expression gives (None when it cannot be resolved, e.g. no year known)."""
    printed = m.group()
    pub_year = published[1].year if published else None
    if kind == "relative":
        return _relative(printed, context, published)
    if kind == "that_span":
        span = context.get("span")
        if span is None:
            return None
        return Period(span.start, span.end, printed, f"{printed}: the span printed before ({span.printed})")
    if kind in ("iso_day", "slash_day"):
        try:
            day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
        return Period(day, day, printed, "printed in full")
    if kind == "since":
        year = int(m.group(1)) if m.group(1) else pub_year
        if year is None or published is None:
            return None
        until = context.get("until")
        if until is not None and until.end.year == year:
            return Period(date(year, 1, 1), until.end, printed, f"from 1 January {year} to the printed {until.printed}")
        return Period(date(year, 1, 1), published[1], printed, f"from 1 January {year} to the publication date")
    if kind == "years_ago":
        years = int(m.group(1)) if m.group(1).isdigit() else finder.parse_chinese(m.group(1))
        if pub_year is None or not years:
            return None
        year = pub_year - int(years)
        return Period(
            date(year, 1, 1), date(year, 12, 31), printed, f"{printed}: {year}, {int(years)} before {pub_year}"
        )
    if kind == "years_since":
        years = int(m.group(1)) if m.group(1).isdigit() else finder.parse_chinese(m.group(1))
        if published is None or not years:
            return None
        first = date(published[1].year - int(years) + 1, 1, 1)
        how = f"{printed}: the publication's year and the {int(years) - 1} before it, to the publication date"
        return Period(first, published[1], printed, how)
    if kind == "present":
        told = context.get("told")
        if told is not None and published is not None and timedelta(0) <= published[1] - told <= timedelta(7):
            return Period(told, told, printed, f"{printed}: the day the report is dated ({told})")
        if published is None or published[0] != published[1]:
            return None
        return Period(published[1], published[1], printed, f"{printed}: the publication date")
    if kind == "now":
        if published is None:
            return None
        since = context.get("since")
        if since is not None and since.start <= published[1]:
            # 自2021年10月10日上线以来 … 截至目前: from that start to the publication date (a stock: on that day)
            how = f"{printed}: from the start printed before ({since.printed}) to the publication date"
            return Period(since.start, published[1], printed, how)
        return Period(published[1], published[1], printed, f"{printed}: the publication date")
    if kind == "recent_month":
        # 近一个月: the month up to the 截至 date printed before it; 近3个月 with none: up to the publication
        months = int(m.group(1)) if m.group(1).isdigit() else int(finder.parse_chinese(m.group(1)) or 0)
        last = context.get("until")
        if last is None and (months == 1 or published is None):
            return None
        end, told = (last.end, f"the printed {last.printed}") if last is not None else (published[1], "the publication")
        first = _months_back(end, months) if months > 1 else _month_before(end)
        return Period(first + timedelta(1), end, printed, f"the {months} month(s) up to {told}")
    if kind == "month_range":
        year, how = _year(m.group(1), context, published)
        first, last = int(m.group(2)), int(m.group(3))
        if year is None or not 1 <= first < last <= 12:
            return None
        return Period(
            date(year, first, 1), _month_end(year, last), printed, f"months {first} to {last} of {year} ({how})"
        )
    if kind == "first_months":
        year, how = _year(m.group(1), context, published)
        if m.group(2) in ("今年", "本年") and pub_year:
            year, how = pub_year, f"{m.group(2)} in a {pub_year} page"
        elif m.group(2) == "去年" and pub_year:
            year, how = pub_year - 1, f"去年 in a {pub_year} page"
        months = int(m.group(3)) if m.group(3).isdigit() else int(finder.parse_chinese(m.group(3)) or 0)
        if year is None or not 1 <= months <= 12:
            return None
        return Period(
            date(year, 1, 1), _month_end(year, months), printed, f"the first {months} months of {year} ({how})"
        )
    if kind in ("quarter", "half"):
        rel = m.group(2)
        year, how = _year(m.group(1), context, published)
        if rel in ("今年", "本年"):
            year, how = pub_year, f"{rel} in a {pub_year} page"
        elif rel == "去年" and pub_year:
            year, how = pub_year - 1, f"去年 in a {pub_year} page"
        if year is None:
            return None
        if kind == "quarter":
            q = 1 if m.group(5) else CN_ORDINALS[m.group(3) or m.group(4) or m.group(6)]
            return Period(date(year, 3 * q - 2, 1), _month_end(year, 3 * q), printed, f"quarter {q} of {year} ({how})")
        first = m.group(3) == "上"
        start, end = (date(year, 1, 1), date(year, 6, 30)) if first else (date(year, 7, 1), date(year, 12, 31))
        return Period(start, end, printed, f"{'first' if first else 'second'} half of {year} ({how})")
    if kind == "year_range":
        first, last = int(m.group(1)), int(m.group(2))
        if first >= last:
            return None
        return Period(date(first, 1, 1), date(last, 12, 31), printed, f"calendar years {first} to {last}")
    if kind == "year_end":
        day = date(int(m.group(1)), 12, 31)
        return Period(day, day, printed, "end of the year taken as 31 December")
    if kind == "year":
        year = int(m.group(1))
        return Period(date(year, 1, 1), date(year, 12, 31), printed, f"calendar year {year}")
    if kind == "roc_year":
        year = int(m.group(2)) + 1911
        # a plan may name the year after the publication's (102年 in a 2012 page), never one later
        if not (m.group(1) or (context["roc"] and int(m.group(2)) >= 50)) or (pub_year and year > pub_year + 1):
            return None
        return Period(date(year, 1, 1), date(year, 12, 31), printed, f"ROC year {m.group(2)} is {year}")
    if kind == "range":
        return _range(m, context, published)
    if kind == "month_pair":
        year, how = _year(m.group(1), context, published)
        first, last = _month_number(m.group(2)), _month_number(m.group(3))
        if year is None or not 1 <= first < 12 or last != first + 1:
            return None
        return Period(
            date(year, first, 1), _month_end(year, last), printed, f"months {first} and {last} of {year} ({how})"
        )
    year, how = _year(m.group(1), context, published)
    month = _month_number(m.group(2))
    if year is None or not 1 <= month <= 12:
        return None
    if not m.group(1) and context["last"] is None and published and month > published[1].month:
        year, how = year - 1, "the year before the publication (the month is later than the publication's)"
    if kind == "day_pair":
        first, last = int(m.group(3)), int(m.group(4))
        if last != first + 1 or not 1 <= first < last <= calendar.monthrange(year, month)[1]:
            return None
        start, end = date(year, month, first), date(year, month, last)
        return Period(start, end, printed, f"days {first} and {last} of {year}-{month:02d} ({how})")
    if kind == "day":
        day_of_month = int(m.group(3))
        if not 1 <= day_of_month <= calendar.monthrange(year, month)[1]:
            return None
        day = date(year, month, day_of_month)
        return Period(day, day, printed, how)
    end = _month_end(year, month)
    if kind == "month_end":
        return Period(end, end, printed, f"end of the month taken as its last day; {how}")
    return Period(date(year, month, 1), end, printed, f"the month {year}-{month:02d} ({how})")


def _month_number(printed: str) -> int:
    """A month printed in Arabic or Chinese numerals (7, 十二) as its number."""
    return int(printed) if printed.isdigit() else int(finder.parse_chinese(printed) or 0)


def _range(m: re.Match, context: dict, published: tuple[date, date] | None) -> Period | None:
    """'第28周(7月8日—7月14日)', '(2016年3月4日—3月10日)': the printed first and last day."""
    year, how = _year(m.group(1) or m.group(3), context, published)
    if year is None:
        return None
    m1, d1 = int(m.group(4)), int(m.group(5))
    m2, d2 = int(m.group(6) or m1), int(m.group(7))
    try:
        start, end = date(year, m1, d1), date(year if m2 >= m1 else year + 1, m2, d2)
    except ValueError:
        return None
    week = f"week {m.group(2)}, " if m.group(2) else ""
    return Period(start, end, m.group(), f"{week}first and last day printed; year {how}")


def _relative(printed: str, context: dict, published: tuple[date, date] | None) -> Period | None:
    """本周/本月 refer to the page's main period; 上周/上月 to the one before; 今年/去年 to the publication's."""
    main = context["main"]
    if printed in ("本周", "本月", "本季度"):
        return Period(main.start, main.end, printed, f"{printed}: the page's period ({main.printed})") if main else None
    days = (main.end - main.start).days if main else None
    if printed == "上周" and main and days is not None and days <= 7:
        return Period(main.start - timedelta(7), main.end - timedelta(7), printed, f"the week before {main.printed}")
    if printed == "上月" and main and days is not None and days <= 31:
        last = main.start - timedelta(1)
        return Period(date(last.year, last.month, 1), last, printed, f"the month before {main.printed}")
    told = _told_on(context, published)
    if printed in ("当天", "當天", "当日", "當日"):
        # 12月5日…当天: the day printed before it (or the publication day), never the year around it
        return Period(told[0], told[0], printed, f"{printed}: {told[0]} ({told[1]})") if told else None
    if printed in ("上周", "上上周") and told is not None:
        # no week printed before it: the calendar week (Monday to Sunday) before the one it is told in
        back = 14 if printed == "上上周" else 7
        monday = told[0] - timedelta(told[0].weekday() + back)
        how = f"{printed} told on {told[0]} ({told[1]}): the calendar week {monday} to {monday + timedelta(6)}"
        return Period(monday, monday + timedelta(6), printed, how)
    if printed == "上月" and told is not None:
        last = date(told[0].year, told[0].month, 1) - timedelta(1)
        return Period(date(last.year, last.month, 1), last, printed, f"上月 told on {told[0]} ({told[1]})")
    if printed in ("昨天", "昨日", "前天") and told is not None:
        day = told[0] - timedelta(2 if printed == "前天" else 1)
        return Period(day, day, printed, f"{printed} told on {told[0]} ({told[1]})")
    since = context.get("since")
    if printed in ("今年", "本年") and since is not None and published and since.start.year == published[1].year:
        return Period(since.start, since.end, printed, f"{printed} after '{since.printed}': {since.resolution}")
    if published is None:
        return None
    back = {"去年": 1, "前年": 2, "明年": -1}.get(printed, 0)  # 前年: the year before last; 明年: the next
    year = published[1].year - back
    if main is not None and published[0].year < published[1].year:
        if published[0].year <= main.start.year <= published[1].year:
            # a page dated only to an interval across a new year: 今年 is the year of the period it is about
            # (民政局2018年…), or of its dateline (网讯 2014年1月 …今年: 2014)
            year = main.start.year - back
            return Period(date(year, 1, 1), date(year, 12, 31), printed, f"{printed} in a page about {main.printed}")
    if printed in ("今年", "本年") and main is not None and published[1].month == 1 and _whole_year(main, year - 1):
        # a page of the year's first month about the year just ended (2024年…工作 on 3 January 2025): that year
        year = main.start.year
        return Period(
            date(year, 1, 1), date(year, 12, 31), printed, f"{printed} in a January page about {main.printed}"
        )
    return Period(date(year, 1, 1), date(year, 12, 31), printed, f"{printed} in a {published[1].year} page")


def _whole_year(period: Period, year: int) -> bool:
    """Whether a period is the calendar year `year`."""
    return period.start == date(year, 1, 1) and period.end == date(year, 12, 31)


def _told_on(context: dict, published: tuple[date, date] | None) -> tuple[date, str] | None:
    """The day a relative date word (上周, 昨天) is told on: the single day printed last before it (a dateline,
    5月7日), else the publication date when it is one day; None otherwise."""
    if context.get("told") is not None:
        return context["told"], "the day printed before it"
    if published is not None and published[0] == published[1]:
        return published[1], "the publication date"
    return None


def default_period(published: tuple[date, date] | None, source: Source) -> Period | None:
    """For a number with no date words before it: the publication date (its last day for an interval)."""
    if published is None:
        return None
    text = source.publication_date
    if "/" in text or len(text) == 10:
        return Period(published[1], published[1], "", "no period printed; as of the publication date")
    return Period(published[0], published[1], "", f"no period printed; dated to the publication ({text})")


# ---------------------------------------------------------------- tables


@dataclass(frozen=True)
class Cell:
    """A number in a `|`-separated table: its row heading, its unit (from the heading, a unit column, the
    column's heading or a 单位 line above the table), its column's period and its place in the outline."""

    heading: str
    unit: str
    period: Period | None  # None when the columns are not periods: the page's date words give it
    parent: str  # the heading of the row it is a part of ('#' or 其中 rows, a deeper outline number), else ''
    term: str = ""  # the breakdown value a part prints: its heading without what its siblings all end with
    measured: bool = False  # in a table whose columns are measures (数量, 占比, 同比): the heading names it
    column: str = (
        ""  # a comparison column's role: 'previous' (上期, 上年同期) or 'change' (环比, 同比), 'heading' for a column's
    )
    # own heading printed as a number (2010 over its column: no figure); '' otherwise
    comparison: str = ""  # what that column compares with: 'period' (上期, 环比) or 'year' (上年同期, 同比)
    within: str = ""  # the heading of the valued row above it in the outline that it is no part of (a sub-item)
    totalled: bool = False  # its table prints a total row (总计, 合计): the rows are parts of that total
    place: bool = False  # a row of a table of places (龙浔镇 164 291 120): the heading is the row's region, no name
    # in a table whose every full row's first number is the sum of the row's others (承办 = 办结 + 在办 + 超时未办):
    # 'total' on a row's first number, 'part' on the others; '' otherwise
    row_sum: str = ""


PART_ROW = re.compile(r"^(?:#|＃|其中[:：]?)")
# Outline numbers a statistical table prints before its row headings, shallowest first: 一、 (一) 1. (1) A
OUTLINE = [
    re.compile(r"^[一二三四五六七八九十]+[、.．]"),
    re.compile(r"^[(（][一二三四五六七八九十]+[)）]"),
    re.compile(r"^\d+[.、．](?!\d)"),
    re.compile(r"^[(（]\d+[)）]"),
    re.compile(r"^[A-Za-z](?=[\u4e00-\u9fff])"),
]
UNIT_HEADINGS = ("单位", "單位", "计量单位", "計量單位")
UNIT_LINE = re.compile(r"(?:单位|單位)[:：]([^|，,。;；\s]{1,4})")


# I, II, III under A, B (I 城市低保金 under A 城市低保累计支出): one level deeper than the letters
ROMAN = re.compile(r"^(?:I{1,3}|IV|VI{0,3}|IX|X)(?=[\u4e00-\u9fff])")
# Column headings of a statistical table that compare: the previous report's figure and the change on it
PREVIOUS_COLUMNS = {
    "上期": "period",
    "上月": "period",
    "上季度": "period",
    "上季": "period",
    "上年同期": "year",
    "去年同期": "year",
    "同期": "year",
    "上年": "year",
    "上年数": "year",
}
CHANGE_COLUMNS = {
    "环比": "period",
    "同比": "year",
    "比上期": "period",
    "比上月": "period",
    "比上年": "year",
    "比去年同期": "year",
    "比上年同期": "year",
    "增减": "",
    "增长": "",
    "增幅": "",
    "增减%": "",
    "增长%": "",
    "增减(%)": "",
    "增长(%)": "",
    "增减（%）": "",
    "增长（%）": "",
}
# Headings of a statistical table's columns of its own figures (beside 单位 and the comparison columns)
VALUE_HEADINGS = frozenset(
    ("数量", "数值", "本期", "本月", "本月数", "本期数", "累计", "本年累计", "本月累计", "代码", "金额")
)
# Column codes a statistical table prints under its headings (甲 | 乙 | 1 | 2 | 3): no figures
CODE_CELLS = frozenset("甲乙丙丁")
# Row headings of flows into or out of the stock above them (其中:当月新增城市低保人数): not parts of that stock
FLOW_WORDS = ("新增", "退出", "减少", "注销", "新进", "停保")


def column_role(heading: str) -> tuple[str, str]:
    """A table column's comparison role and what it compares with: ('previous', 'period') for 上期, ('change',
    'year') for 同比, ('', '') for a column of the page's own figures (数量, 本期, 本月)."""
    heading = re.sub(r"\s+", "", heading)
    if heading in PREVIOUS_COLUMNS:
        return "previous", PREVIOUS_COLUMNS[heading]
    if heading in CHANGE_COLUMNS:
        return "change", CHANGE_COLUMNS[heading]
    return "", ""


def outline_level(heading: str) -> tuple[int | None, str]:
    """The outline depth a row heading's number gives (0 for 一、 ... 4 for A, 5 for I) and the heading without it."""
    roman = ROMAN.match(heading)
    if roman:
        return len(OUTLINE), heading[roman.end() :]
    for level, rx in enumerate(OUTLINE):
        m = rx.match(heading)
        if m:
            return level, heading[m.end() :]
    return None, heading


@dataclass
class _Row:
    """A row of a table being read: its outline depth, heading, unit, and whether it prints numbers."""

    level: float
    name: str
    unit: str
    valued: bool


def table_cells(page_text: str, published: tuple[date, date] | None, units: list[str]) -> dict[int, Cell]:
    """The cells of the page's tables keyed by their number's position in the whitespace-free text: `|` tables,
    tables printed one cell per line under a 单位 header (joined into rows first), and tables printed with spaces
    between their cells under a header line that names a 单位 column (指标名称 单位 数量 上期 环比).

    The columns are periods (years, months) or, in a table with a 单位 column, the page's own period; a
    comparison column (上期, 上年同期; 环比, 同比) says so on its cells. A row is a part of the row above it when
    it starts with # or 其中, or prints a deeper outline number (1. under (一), A under (1), I under A); an
    unnumbered row inside an outline is a child of the row above it, but a part only of an unnumbered row (under
    a numbered one it is a sub-item with its own name), and never a part when it counts in another unit, counts
    a flow (新增, 退出) or has parts of its own."""
    page_text = join_cell_lines(page_text)
    cells: dict[int, Cell] = {}
    offset, columns, last_total, last_unit = 0, [], "", ""
    unit_column, column_units, page_unit, outline = None, {}, "", []
    roles: tuple[list[tuple[str, str]], list[tuple[str, str]]] = ([], [])  # by cell index, by filled-cell index
    spaced: list[str] | None = None  # the header of a table printed with spaces between its cells
    listing = False  # inside the rows a 其中 row opens
    yearbook = False  # inside a table printed with spaces under a header of year columns (项目 2010 2015 2020)
    pending: tuple[int, str] | None = None  # its row heading printed on a line above its numbers
    for line in page_text.splitlines():
        flat = finder.normalise(line)
        start = offset
        offset += len(flat)
        if "|" not in line and _year_header(line, published):
            yearbook, pending, spaced = True, None, None
            parts = _token_parts(line, flat, start)
        elif "|" not in line and yearbook and "。" not in line:
            parts, pending = _yearbook_row(line, flat, start, pending, len(columns))
        elif "|" not in line and _spaced_header(line):
            yearbook = False
            spaced = line.split()
            parts = _token_parts(line, flat, start)
        elif "|" not in line and spaced is not None:
            parts = _spaced_row(line, flat, start, spaced, units)
        elif "|" not in line and _place_row(line):
            parts = _token_parts(line, flat, start)
        elif "|" in line:
            yearbook = False
            parts, pos = [], start
            for piece in flat.split("|"):
                parts.append((pos, piece))
                pos += len(piece) + 1
        else:
            yearbook, parts = False, []
        filled = [(p, c) for p, c in parts if c]
        said = UNIT_LINE.search(flat)
        if said and len(filled) <= 2 and not any(c in UNIT_HEADINGS for _p, c in filled):
            page_unit = said.group(1)  # 单位：户 printed above a table
        if not filled:
            continue
        if len(filled) == 1:  # a section heading (一、综合, (1)城市低保): its place in the outline
            listing = False
            level, name = outline_level(filled[0][1])
            _push(outline, level, name, "", valued=False)
            continue
        periods = [_column_period(c, published) for _p, c in filled]
        if sum(p is not None for p in periods) >= 2:
            columns = [p for p in periods if p is not None]
            for (pos, c), period in zip(filled, periods):
                if period is not None and c[:1].isdigit():  # 2010 over its column: a heading, no figure
                    cells[pos] = Cell(c, "", period, "", column="heading")
            continue
        texts = [c for _p, c in filled]
        if not any(_number_offset(c) is not None for c in texts):
            if len(texts) >= 2 and not columns:  # a header row: 指标名称|单位|数量, or 类别|件|户
                unit_column = next((k for k, c in enumerate(texts) if c in UNIT_HEADINGS), unit_column)
                column_units = {k: _header_unit(c, units) for k, c in enumerate(texts) if _header_unit(c, units)}
                if any(c in UNIT_HEADINGS or column_role(c)[0] for c in texts):
                    roles = ([column_role(c) for _p, c in parts], [column_role(c) for c in texts])
            level, name = outline_level(PART_ROW.sub("", texts[0]))
            _push(outline, level, name, "", valued=False)
            continue
        heading, values = filled[0][1], filled[1:]
        if not values or heading in CODE_CELLS or _number_offset(heading.replace(",", "")) is not None:
            continue
        place_row = "|" not in line and not spaced and not yearbook and _place_row(line)
        if not columns and unit_column is None and not column_units and not place_row:
            continue
        is_part = bool(PART_ROW.match(heading))
        level, name = outline_level(PART_ROW.sub("", heading))
        flow = any(w in name for w in FLOW_WORDS)
        is_part = is_part and not flow
        unit = _heading_unit(name, units) or (last_unit if is_part else "")
        if unit_column is not None and unit_column < len(texts) and _number_offset(texts[unit_column]) is None:
            unit = unit or texts[unit_column]
        unit = unit or _count_unit(name, units)
        # 其中:救灾支出 then unnumbered rows in the same unit (城市低保支出, 抚恤支出 ...): the 其中 list goes on
        if heading.startswith("其中") and not flow:
            listing = True
        elif listing and level is None and not flow and unit == last_unit and last_total:
            is_part = True
        else:
            listing = False
        parent = last_total if is_part else _push(outline, level, name, unit, valued=True)
        if flow:
            parent = ""
        above = outline[-2] if not is_part and len(outline) >= 2 and outline[-2].valued else None
        within = above.name if above is not None and not parent and not flow and above.unit == unit else ""
        if not is_part:
            last_total, last_unit = name, unit
        by_cell = len(parts) == len(roles[0])
        indexed = [(next(k for k, pc in enumerate(parts) if pc[0] == p and pc[1] == c), p, c) for p, c in values]
        row_columns = columns or [None] * len(values)
        if yearbook and len(values) < len(columns):  # a series that starts later: its numbers fill the last years
            row_columns = columns[len(columns) - len(values) :]
        for k, (index, pos, cell), period in zip(range(1, len(filled)), indexed, row_columns):
            sign = _number_offset(cell)
            if sign is None:
                continue
            role, comparison = roles[0][index] if by_cell else roles[1][k] if k < len(roles[1]) else ("", "")
            cell_unit = "%" if role == "change" else unit or column_units.get(k, "") or page_unit
            cells[pos + sign] = Cell(
                name, cell_unit, period, parent, column=role, comparison=comparison, within=within, place=place_row
            )
    # a row with parts of its own is a total of its own name, not a part of the row above it, but within it
    totals = {c.parent for c in cells.values() if c.parent}
    cells = {
        pos: replace(c, parent="", within=c.parent) if c.heading in totals and c.parent else c
        for pos, c in cells.items()
    }
    return {**measure_table_cells(page_text), **stacked_table_cells(page_text, units), **_with_terms(cells)}


STACKED_TEXT = re.compile(r"[^\d，。；：,;:!?！？|]{1,12}")  # a text cell of a stacked table: a short heading or name


def stacked_table_cells(page_text: str, units: list[str]) -> dict[int, Cell]:
    """The cells of a table printed one cell per line without `|` (blank lines between them, as stored pages carry
    a web page's table): a header of three or more short headings (承办单位 / 承办件数 / 办结数 / 在办数), then rows of a
    name and as many numbers as the header has columns after its first. The first row's numbers say how wide the
    table is, so a title line above the header is no heading; two full rows or more make the table, and it ends at
    the first line that fits no row (a last row cut short keeps the numbers it prints, in column order).
    Each number is its column's measure (the heading its indicator) for the row's name (the term, its parent the
    first heading); a column counting in no unit of its own (办结数) counts in the one unit the other headings name
    (承办件数: 件), as a table's columns of numbers (…数) count the same things."""
    lines: list[tuple[int, str]] = []  # (offset, whitespace-free line) of each printed line that is not blank
    offset = 0
    for line in page_text.splitlines():
        flat = finder.normalise(line)
        if flat:
            lines.append((offset, flat))
        offset += len(flat)
    cells: dict[int, Cell] = {}
    k = 0
    while k < len(lines):
        header, rows, end = _stacked_table(lines, k)
        if not rows:
            k += 1
            continue
        named = {_count_unit(h, units) or _column_unit(h, units) for h in header[1:]} - {""}
        shared = next(iter(named)) if len(named) == 1 else ""
        totalled = any(name in TOTAL_ROWS for name, _numbers in rows)
        full = [[float(c.replace(",", "")) for _p, c in n] for _name, n in rows if len(n) == len(header) - 1]
        # three columns or more of counts (no %) whose first is the sum of the others in every full row
        sums = (
            len(header) >= 4
            and all("%" not in c for _n, ns in rows for _p, c in ns)
            and all(abs(v[0] - sum(v[1:])) < 1e-9 for v in full)
        )
        for name, row_numbers in rows:
            term = "" if name in TOTAL_ROWS else name
            for column, (pos, content) in enumerate(row_numbers, 1):
                heading = header[column]
                unit = _count_unit(heading, units) or _column_unit(heading, units)
                unit = unit or (shared if heading.endswith("数") else "")
                start = pos + next(i for i, ch in enumerate(content) if ch.isdigit())
                parent = header[0] if term else ""
                role = ("total" if column == 1 else "part") if sums and len(row_numbers) == len(header) - 1 else ""
                cells[start] = Cell(heading, unit, None, parent, term, measured=True, totalled=totalled, row_sum=role)
        k = end
    return cells


def _stacked_table(
    lines: list[tuple[int, str]], k: int
) -> tuple[list[str], list[tuple[str, list[tuple[int, str]]]], int]:
    """The stacked table whose text lines start at line k: its header, its rows (name, numbers) and the line after
    it; ([], [], k) when none starts there."""
    texts = 0
    while k + texts < len(lines) and STACKED_TEXT.fullmatch(lines[k + texts][1]):
        texts += 1
    first = k + texts - 1  # the first row's name, after the header
    width = 1
    while first + width < len(lines) and NUMERIC_CELL.fullmatch(lines[first + width][1]):
        width += 1
    if width < 3 or texts < width + 1:
        return [], [], k
    header = [c for _p, c in lines[first - width : first]]
    rows: list[tuple[str, list[tuple[int, str]]]] = []
    at = first
    while at < len(lines) and STACKED_TEXT.fullmatch(lines[at][1]):
        numbers = []
        while (
            at + 1 + len(numbers) < len(lines)
            and len(numbers) < width - 1
            and NUMERIC_CELL.fullmatch(lines[at + 1 + len(numbers)][1])
        ):
            numbers.append(lines[at + 1 + len(numbers)])
        if not numbers:
            break
        rows.append((lines[at][1], numbers))
        at += 1 + len(numbers)
        if len(numbers) < width - 1:
            break
    if sum(len(n) == width - 1 for _name, n in rows) < 2:
        return [], [], k
    return header, rows, at


def _number_offset(cell: str) -> int | None:
    """Where the number starts in a cell that is a number, signed or not (1,234; -7.04): 0 or 1; None otherwise."""
    sign = 1 if cell[:1] in ("-", "−") else 0
    return sign if cell[sign:] and finder.ARABIC.fullmatch(cell[sign:]) else None


def _count_unit(heading: str, units: list[str]) -> str:
    """The unit a heading that names a count prints at its end: 城市低保人数 -> 人, 低保户数 -> 户; '' otherwise."""
    m = re.search(r"([人户戶个個件次家名条項项])数$", heading)
    return m.group(1) if m and m.group(1) in units else ""


def _place_row(line: str) -> bool:
    """Whether a line without `|` is a row of a table of places printed with spaces between its cells: a place
    name (龙浔镇, 大洼区) and then three or more numbers and nothing else (龙浔镇 164 291 120), whatever its header."""
    tokens = line.split()
    return (
        len(tokens) >= 4
        and bool(PLACE_NAME.match(fold(tokens[0])))
        and all(_number_offset(t) is not None for t in tokens[1:])
    )


def _spaced_header(line: str) -> bool:
    """Whether a line without `|` is the header of a table printed with spaces between its cells: three or
    more words, one of them a 单位 column (指标名称 单位 数量 上期 环比)."""
    tokens = line.split()
    return len(tokens) >= 3 and any(t in UNIT_HEADINGS for t in tokens)


def _year_header(line: str, published: tuple[date, date] | None) -> bool:
    """Whether a line without `|` is the header of a yearbook table printed with spaces: a heading word (项目,
    指标) and then two or more year columns and nothing else (项目 Item 2010 2015 2020 2021)."""
    tokens = line.split()
    years = 0
    while tokens and re.fullmatch(r"(?:19|20)\d{2}年?", tokens[-1]):
        tokens.pop()
        years += 1
    return years >= 2 and bool(tokens) and any(CJK.search(t) for t in tokens)


CJK = re.compile(r"[\u4e00-\u9fff]")


def _yearbook_row(
    line: str, flat: str, start: int, pending: tuple[int, str] | None, width: int
) -> tuple[list[tuple[int, str]], tuple[int, str] | None]:
    """A line of a yearbook table printed with spaces, as its heading and numbers, and the heading still waiting
    for its numbers. The heading is the Chinese words the line starts with (城镇低保人数(人), #女性; the English
    name after them is dropped); a heading and its English name may run over lines, its numbers on a line of their
    own below. A line without numbers gives no cells (a section heading, or a heading waiting for its numbers)."""
    tokens = _token_parts(line, flat, start)
    values: list[tuple[int, str]] = []
    while tokens and _number_offset(tokens[-1][1]) is not None:
        values.insert(0, tokens.pop())
    words: list[tuple[int, str]] = []
    for token in tokens:
        if not CJK.search(token[1]):
            break
        words.append(token)
    if words:
        pending = (words[0][0], "".join(t for _p, t in words))
    if not values or len(values) > width or pending is None:
        return [], pending
    return [pending, *values], None


def _token_parts(line: str, flat: str, start: int) -> list[tuple[int, str]]:
    """The words of a line printed with spaces between its cells, each with its position in the flat text."""
    parts, cursor = [], 0
    for token in line.split():
        piece = finder.normalise(token)
        at = flat.find(piece, cursor)
        parts.append((start + at, piece))
        cursor = at + len(piece)
    return parts


def _spaced_row(line: str, flat: str, start: int, header: list[str], units: list[str]) -> list[tuple[int, str]]:
    """A row of a table printed with spaces between its cells, as cells aligned with its header: the heading
    (the words before the numbers), the unit where one is printed before them, then the numbers in the columns
    after the unit column."""
    tokens = _token_parts(line, flat, start)
    values: list[tuple[int, str]] = []
    while tokens and _number_offset(tokens[-1][1]) is not None:
        values.insert(0, tokens.pop())
    if not tokens or not values:
        return [tokens[0]] if tokens else []
    unit_at = next((k for k, t in enumerate(header) if t in UNIT_HEADINGS), None)
    unit = tokens.pop() if unit_at is not None and len(tokens) > 1 and tokens[-1][1] in units else None
    heading = (tokens[0][0], "".join(t for _p, t in tokens))
    if unit_at is None:
        return [heading, *values]
    return [heading, *([(0, "")] * (unit_at - 1)), unit or (0, ""), *values]


def join_cell_lines(page_text: str) -> str:
    """The page with each table printed one cell per line under a 单位 header (指标名称 | 单位 | 数量 | 上期 |
    环比, one per line) joined into one line per row, as wide as its header; other lines as printed. Only line
    breaks are removed, so positions in the whitespace-free text stay the same. A table whose cells are closed
    by a `|` on a line of their own (指标 / | / 单位 / | ...) is read as if each `|` ended its cell's line."""
    lines = close_cell_lines(page_text.splitlines())
    out: list[str] = []
    k = 0
    while k < len(lines):
        m = ONE_CELL_LINE.fullmatch(finder.normalise(lines[k]))
        unit_cell = m is not None and m.group(1) in UNIT_HEADINGS
        if not unit_cell or not out or ONE_CELL_LINE.fullmatch(finder.normalise(out[-1])) is None:
            out.append(lines[k])
            k += 1
            continue
        header = [out.pop()]  # the heading column (指标名称) before the 单位 cell
        while k < len(lines):
            m = ONE_CELL_LINE.fullmatch(finder.normalise(lines[k]))
            if m is None or not (m.group(1) in (*VALUE_HEADINGS, *UNIT_HEADINGS) or column_role(m.group(1))[0]):
                break
            header.append(lines[k])
            k += 1
        width = len(header)
        out.append("".join(header))
        row: list[str] = []
        while k < len(lines) and ONE_CELL_LINE.fullmatch(finder.normalise(lines[k])):
            row.append(lines[k])
            k += 1
            if len(row) == width:
                out.append("".join(row))
                row = []
        if row:
            out.append("".join(row))
    return "\n".join(out)


def close_cell_lines(lines: list[str]) -> list[str]:
    """Lines with each lone `|` that closes the cell printed on the line before it joined to that line (`单位`,
    `|` -> `单位|`), where the page prints at least three cells so; an empty cell's lone `|` stays a line.
    Only line breaks are removed."""

    def closes(k: int) -> bool:
        return lines[k].strip() == "|" and k > 0 and lines[k - 1].strip() != "" and "|" not in lines[k - 1]

    if sum(closes(k) for k in range(len(lines))) < 3:
        return lines
    out: list[str] = []
    for k, line in enumerate(lines):
        if closes(k) and out:
            out[-1] += line
        else:
            out.append(line)
    return out


ONE_CELL_LINE = re.compile(r"([^|]*)\|")
NUMERIC_CELL = re.compile(r"[-−]?\d+(?:,\d{3})*(?:\.\d+)?%?")
TOTAL_ROWS = ("总计", "合计", "總計", "合計", "总量", "總量")


def measure_table_cells(page_text: str) -> dict[int, Cell]:
    """The cells of a table printed one cell per line (`电话 |`, a lone `|` closing a short row), as stored
    pages carry a table whose rows are parts and whose columns are measures: 责任单位 | 转派工单 | 占比 | 同比.

    The header is the cells before the first number; a row has as many cells, or ends at a lone `|` and is
    aligned with the first full row by which of its cells are numbers. A number's heading is the table's first
    measure (受理总量 when a total column comes first, else its group's first: 转派工单) followed by its own
    column's heading when that is another measure (转派工单占比); its term is the row's text cell before it."""
    cells: dict[int, Cell] = {}
    run: list[tuple[int, str]] = []
    offset = 0
    for line in [*page_text.splitlines(), ""]:
        flat = finder.normalise(line)
        m = ONE_CELL_LINE.fullmatch(flat)
        if m and flat:
            run.append((offset, m.group(1)))
        else:
            cells.update(_measure_rows(run))
            run = []
        offset += len(flat)
    return cells


def _measure_rows(run: list[tuple[int, str]]) -> dict[int, Cell]:
    """One table's cells (see measure_table_cells)."""
    texts = 0
    for _pos, content in run:
        if not content or NUMERIC_CELL.fullmatch(content):
            break
        texts += 1
    # the text cells before the first number are the header, or the header and the first row's own heading
    # (责任单位…环比, then 县(市、区)): the reading whose first two rows print numbers in the same columns
    widths = [w for w in (texts, texts - 1) if w >= 2]
    readings = [(w, _rows(run[w:], w)) for w in widths]
    same = [(w, rows) for w, rows in readings if _rows_agree(rows, w)]
    if not (same or readings):
        return {}
    width, rows = (same or readings)[0]
    header = [c for _p, c in run[:width]]
    full = next((r for r in rows if len(r) == width), None)
    if full is None:
        return {}
    numeric = [bool(NUMERIC_CELL.fullmatch(c)) for _p, c in full]
    first_text = next((k for k, n in enumerate(numeric) if not n), width)
    totalled = any(c in TOTAL_ROWS for row in rows for _p, c in row)
    cells: dict[int, Cell] = {}
    for row in rows:
        kinds = [bool(NUMERIC_CELL.fullmatch(c)) for _p, c in row]
        shift = max(
            range(width - len(row) + 1), key=lambda o: (sum(k == numeric[o + i] for i, k in enumerate(kinds)), -o)
        )
        for i, (pos, content) in enumerate(row):
            column = shift + i
            if not NUMERIC_CELL.fullmatch(content):
                continue
            group = max((k for k in range(column) if not numeric[k]), default=None)
            term = ""
            if group is not None and group - shift >= 0 and not kinds[group - shift]:
                term = row[group - shift][1]
            if term in TOTAL_ROWS:
                term = ""
            first = 0 if first_text > 0 else (group + 1 if group is not None else column)
            caption = header[first]
            heading = (
                caption if column == first or (group is not None and column == group + 1) else caption + header[column]
            )
            start = pos + next(k for k, ch in enumerate(content) if ch.isdigit())
            parent = header[group] if term and group is not None else ""
            cells[start] = Cell(heading, "", None, parent, term, measured=True, totalled=totalled)
    return cells


def _rows(cells: list[tuple[int, str]], width: int) -> list[list[tuple[int, str]]]:
    """Cells cut into rows of `width`, a row also ending at an empty cell (a lone `|`)."""
    rows, current = [], []
    for pos, content in cells:
        if content:
            current.append((pos, content))
        if current and (not content or len(current) == width):
            rows.append(current)
            current = []
    return rows + ([current] if current else [])


def _rows_agree(rows: list[list[tuple[int, str]]], width: int) -> bool:
    """Whether the first two full rows print numbers in the same columns."""
    full = [[bool(NUMERIC_CELL.fullmatch(c)) for _p, c in r] for r in rows if len(r) == width][:2]
    return len(full) == 2 and full[0] == full[1]


def _push(outline: list[_Row], level: int | None, name: str, unit: str, valued: bool) -> str:
    """Place a row in the outline; the heading of the valued row it is a part of, else ''.

    An unnumbered row is a sibling of an unnumbered one above it; after numbered rows it is a sibling of the
    nearest unnumbered row they are under when its name is closer to that row's (城市低保支出 (1) (2) 农村低保支出),
    else a child of the numbered row above, but then a sub-item with a name of its own (最低生活保障 under 2.社会救助), not a part of it. A row in
    another unit than the row above it (户数 under 人数) is no part of it either."""
    if level is not None:
        depth = float(level)
    elif not outline:
        depth = 0.5
    elif outline[-1].level % 1 == 0:
        loose = [r for r in outline if r.level % 1]
        sibling = loose and dice(name, loose[-1].name) > dice(name, outline[-1].name)
        depth = loose[-1].level if sibling else outline[-1].level + 0.5
    else:
        depth = outline[-1].level
    while outline and outline[-1].level >= depth:
        outline.pop()
    above = outline[-1] if outline and outline[-1].valued and valued else None
    outline.append(_Row(depth, name, unit, valued))
    if above is None or (level is None and above.level % 1 == 0) or (unit and above.unit and unit != above.unit):
        return ""
    return above.name


def _with_terms(cells: dict[int, Cell]) -> dict[int, Cell]:
    """Each part's breakdown value: its heading without its parent's heading at the end (城市特困人员救助供养支出
    under 特困人员救助供养支出), or without the ending all its siblings share (城市低保累计支出, 农村低保累计支出)."""
    siblings: dict[str, set[str]] = {}
    for cell in cells.values():
        if cell.parent:
            siblings.setdefault(cell.parent, set()).add(cell.heading)
    result = {}
    for pos, cell in cells.items():
        term = cell.heading
        names = siblings.get(cell.parent, set())
        if cell.parent and term.endswith(cell.parent) and len(term) > len(cell.parent):
            term = term[: -len(cell.parent)]
        elif len(names) > 1:
            shared = _shared_ending(names)
            term = term[: len(term) - len(shared)] if len(shared) >= 2 else term
        result[pos] = replace(cell, term=term)
    return result


def _shared_ending(names: set[str]) -> str:
    """The longest ending every name has, shorter than each of them."""
    shortest = min(names, key=len)
    for k in range(len(shortest) - 1, 0, -1):
        if all(n.endswith(shortest[-k:]) for n in names):
            return shortest[-k:]
    return ""


def _column_unit(cell: str, units: list[str]) -> str:
    """The unit a column heading prints: the unit alone (件) or in brackets (受理量（件）, （万件）)."""
    if cell in units:
        return cell
    return _heading_unit(cell, units)


def _header_unit(cell: str, units: list[str]) -> str:
    """The unit a header row's cell gives its column: the unit printed alone or in brackets (件, 受理量（件）), or
    the measure word of a count it names (户数: 户, 人数: 人), as a row heading's 人数 gives its row's."""
    return _column_unit(cell, units) or _count_unit(cell, units)


def _column_period(cell: str, published: tuple[date, date] | None) -> Period | None:
    """A column heading that is a year (2016, 2016年) or a month (2016年3月, 3月) as a Period."""
    m = re.fullmatch(r"((?:19|20)\d{2})年?(?:(\d{1,2})月)?", cell) or re.fullmatch(r"(\d{1,2})月", cell)
    if not m:
        return None
    if m.re.pattern.startswith("(\\d{1,2})"):
        if published is None:
            return None
        year, month = published[1].year, int(m.group(1))
    else:
        year, month = int(m.group(1)), int(m.group(2)) if m.group(2) else None
    if month is None:
        return Period(date(year, 1, 1), date(year, 12, 31), cell, f"table column {cell}: calendar year {year}")
    if not 1 <= month <= 12:
        return None
    return Period(date(year, month, 1), _month_end(year, month), cell, f"table column {cell}: the month")


def _heading_unit(heading: str, units: list[str]) -> str:
    """The unit a row heading prints in brackets: 人数(人) -> 人; '' when none."""
    m = re.search(r"[(（]([^()（）]+)[)）]\s*$", heading)
    return m.group(1) if m and (m.group(1) in units or m.group(1) == "%") else ""


# ---------------------------------------------------------------- the vocabulary: indicators, topics, breakdowns


RATE_WORDS = ("率", "度", "比例", "占比", "比重", "份额")
SHARE_WORDS = ("占比", "比例", "比重", "占")
CHANGE_WORDS = ("变化", "增长", "增幅", "变动", "同比", "环比")
PER_DAY_WORDS = ("日均", "每日", "每天")
# an average over a longer period than a day (年平均約廿四萬通): an `average` indicator, no per-day relation
AVERAGE_WORDS = ("年均", "年平均", "平均每年", "月均", "平均每月", "周均", "平均每周", "平均")
# 每月多达20万通: a count printed per month, week or year is an average over that period; not 每人每月 (what
# each one gets: a per-unit amount)
EVERY_PERIOD = ("每月", "每个月", "每個月", "每年", "每周", "每週")
EVERY_UNIT = ("每人", "每户", "每戶", "每名", "每位", "每家")
# 33条服务热线, 5个受理渠道: a count of the lines, platforms or offices themselves (the noun after a measure word),
# never of the calls, requests or cases they take
SERVICE_NOUNS = ("热线", "熱線", "专线", "專線", "平台", "渠道", "窗口", "部门", "部門", "单位", "單位", "机构", "機構")
MEASURE_WORD_UNITS = ("个", "個", "条", "條", "家", "部", "座", "所", "支", "项", "項")
VOLUME_COUNTS = ("calls", "requests", "work_orders", "cases", "evaluations", "complaints", "person_times")
# 平均办结周期3天, 平均72小时办结: a mean length of time is a measured duration, not an average per period
DURATION_UNITS = ("天", "日", "小时", "小時", "分钟", "分鐘", "秒", "个工作日", "個工作日", "工作日")
EACH_ONE = (*EVERY_UNIT, "人均", "户均", "戶均")
COMPARISONS = {"同比": "year", "环比": "period"}  # a change's printed comparison and indicators.csv's `per`
DERIVED_NAMES = {"share": "{}占比", "change": "{}变化率", "per_day": "日均{}", "average": "平均{}"}
ROLE_WORDS = {"share": SHARE_WORDS, "change": CHANGE_WORDS, "per_day": PER_DAY_WORDS}
ROLE_WORDS_EN = {"share": ("share",), "change": ("change",), "per_day": ("per day", "per_day")}


@dataclass
class Vocabulary:
    """indicators.csv with each indicator's kind and topic (from its figures.csv rows), and known breakdowns."""

    indicators: pd.DataFrame
    figures: pd.DataFrame
    units: pd.DataFrame
    breakdowns: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["indicator", "breakdown_dimension"]))
    topics: dict[str, str] = field(default_factory=dict)
    dimensions: dict[str, str] = field(default_factory=dict)
    regions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["region", "name_zh"]))

    def __post_init__(self) -> None:
        rows = self.figures
        if not rows.empty:
            self.topics = rows.groupby("indicator")["topic"].agg(lambda s: s.mode().iat[0]).to_dict()
            parts = rows[rows["breakdown_value"] != ""]
            self.dimensions = dict(zip(parts["breakdown_value"], parts["breakdown_dimension"]))
        self.names = {
            r.indicator: (str(r.name_zh), str(r.name_en).lower()) for r in self.indicators.itertuples(index=False)
        }
        # looked up for every candidate of every number: read the frames once
        self.fields = {
            str(r["indicator"]): {k: v for k, v in r.items() if isinstance(v, str)}
            for r in self.indicators.drop_duplicates("indicator").to_dict("records")
        }
        self.unit_en = dict(zip(self.units["unit"], self.units["unit_en"]))
        self.measures = set(self.units.loc[~self.units["kind"].isin(["count", "rate"]), "unit_en"]) | {"days"}

    def field_of(self, indicator: str, column: str) -> str:
        """An indicators.csv column of an indicator ('' when the column or the indicator is absent)."""
        return self.fields.get(indicator, {}).get(column, "")

    def declared_dimensions(self, indicator: str) -> list[str]:
        """The breakdown dimensions breakdowns.csv declares for an indicator, in the file's order."""
        if not indicator or self.breakdowns.empty:
            return []
        rows = self.breakdowns[self.breakdowns["indicator"] == indicator]
        return list(dict.fromkeys(rows["breakdown_dimension"]))

    def parts_of(self, indicator: str, dimension: str) -> str:
        """breakdowns.csv's `parts` (exhaustive, partial, overlapping) of an indicator's dimension, '' if unsaid."""
        if self.breakdowns.empty or "parts" not in self.breakdowns.columns:
            return ""
        rows = self.breakdowns[
            (self.breakdowns["indicator"] == indicator) & (self.breakdowns["breakdown_dimension"] == dimension)
        ]
        return str(rows["parts"].iat[0]) if not rows.empty else ""

    def topic_of(self, indicator: str) -> str:
        """The topic the indicator's figures.csv rows have; for one without rows, that of the closest-named one."""
        if indicator in self.topics or indicator not in self.names:
            return self.topics.get(indicator, "")
        zh = self.names[indicator][0]
        scored = [(similarity(zh, self.names[i][0]), i) for i in self.topics if i in self.names]
        return self.topics[max(scored)[1]] if scored else ""

    def role_of(self, indicator: str) -> str:
        """'share', 'change', 'per_day', 'average', 'rate' or 'count': what kind of figure an indicator names;
        its indicators.csv kind says so where it is given (an average per day, per year; a change; a rate),
        its names otherwise."""
        zh, en = self.names[indicator]
        kind, per = self.field_of(indicator, "kind"), self.field_of(indicator, "per")
        if kind == "average":
            return "per_day" if per == "day" else "average"
        if kind == "change":
            return "change"
        if kind == "rate":
            share = "share" in en or any(w in zh for w in ("占比", "比例", "比重"))
            return "share" if share else "rate"
        if kind in ("stock", "flow", "period_count", "amount", "duration", "area", "rule", "per_unit", "ratio"):
            return "count"
        for role, words in ROLE_WORDS.items():
            if any(w in en for w in ROLE_WORDS_EN[role]) or (role != "share" and any(w in zh for w in words)):
                return role
        if "share" in en or any(w in zh for w in ("占比", "比例", "比重")):
            return "share"
        if zh.endswith(RATE_WORDS) or "rate" in en or "score" in en:
            return "rate"
        return "count"

    def unit_fits(self, indicator: str, unit: str) -> bool:
        """Whether the printed unit counts what the indicator counts: units.csv's unit_en is the indicator's
        `counts` (人 persons, 户 households), or, for an indicator without `counts`, its name prints the unit."""
        if not unit or unit == "%":
            return False
        counts = self.field_of(indicator, "counts")
        if counts:
            plain = self.unit_en.get(unit, "")
            return bool(plain) and _slug(plain) == _slug(counts)
        return fold(unit)[-1] in fold(self.names[indicator][0])

    def unit_conflicts(self, indicator: str, unit: str) -> bool:
        """Whether the printed unit cannot be what the indicator counts: one of them is a measure (money, an
        area, days: units.csv's non-count kinds and its day units) and the other is not that measure."""
        counts = self.field_of(indicator, "counts")
        plain = self.unit_en.get(unit, "")
        if not counts or not plain or unit == "%":
            return False
        return (counts in self.measures or plain in self.measures) and counts != plain

    def compares_like(self, indicator: str, label: str) -> int:
        """+1 when a change indicator compares with what the label prints (同比: `per` year, 环比: `per` period,
        or the word in its Chinese name), -1 when it compares with the other, else 0."""
        printed = next((w for w in COMPARISONS if w in fold(label)), "")
        if not printed:
            return 0
        per = self.field_of(indicator, "per")
        said = next((w for w, p in COMPARISONS.items() if per == p or w in fold(self.names[indicator][0])), "")
        return 0 if not said else (1 if said == printed else -1)

    def propose(
        self,
        label: str,
        role: str,
        related: str = "",
        unit: str = "",
        sentence: str = "",
        each: bool = False,
        lines: bool = False,
    ) -> tuple[str, float]:
        """The indicator whose names are closest to the printed label, among those of the right role; one that
        counts what the printed unit counts is preferred (0.1), one whose name's other words its sentence prints
        (113专线 for 民眾滿意度 in a sentence about the 113 line) by up to 0.2, and a change that compares with
        what the label prints (同比/环比) ranks first among close ones, without making a distant name close enough."""
        best, best_score, best_rank = "", 0.0, 0.0
        related_tokens = set(related.split("_")) if related else set()
        for indicator, (zh, _en) in self.names.items():
            kind = self.role_of(indicator)
            kind_of = self.field_of(indicator, "kind")
            if kind != role and not (role == "rate" and kind == "share" and not related):
                continue
            if self.unit_conflicts(indicator, unit) or negation_differs(label, zh):
                continue  # a dissatisfaction rate is never a satisfaction rate, however close the names
            if lines and self.field_of(indicator, "counts") in VOLUME_COUNTS:
                continue  # 33条服务热线 counts lines, not the calls they take
            score = similarity(label, zh) + 0.1 * self.unit_fits(indicator, unit) + 0.2 * covered(label, zh, sentence)
            # 每人获得救助金5000元: what each one gets is a per-unit figure, not the total paid out
            score += 0.15 * (kind_of == "per_unit" and (each or any(w in label for w in EACH_ONE)))
            if related_tokens:
                score += 0.5 * len(related_tokens & set(indicator.split("_"))) / len(related_tokens)
                # indicators.csv says what it is derived from (`of`): the share, change or average of that one
                score += 0.3 * (self.field_of(indicator, "of") == related)
            rank = score + (0.2 * self.compares_like(indicator, label) if role == "change" else 0.0)
            if rank > best_rank:
                best, best_score, best_rank = indicator, score, rank
        return best, best_score


def _slug(name: str) -> str:
    """An English name as a slug, so units.csv's 'person-times' and indicators.csv's 'person_times' agree."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def similarity(label: str, name: str) -> float:
    """How close a printed label is to an indicator's Chinese name: pairs of characters in common, and the
    share of the name's characters the label prints (digits and quotes aside)."""
    chars = set(re.sub(r"[\d“”\"'‘’()（）]", "", fold(name)))
    printed = set(fold(label))
    contained = len(chars & printed) / len(chars) if chars else 0.0
    return 0.5 * dice(label, name) + 0.5 * contained


NEGATIONS = "不未非無无"


def negation_differs(label: str, name: str) -> bool:
    """Whether a label and a name share a word that one of them negates and the other does not (满意 in the label,
    不满意 in the name; 未办结 in the label, 办结 in the name): a dissatisfaction rate is no satisfaction rate."""
    label, name = fold(label), fold(name)
    for a, b in ((label, name), (name, label)):
        for m in re.finditer(f"[{NEGATIONS}](..)", a):
            word = m.group(1)
            if word in b and not any(n + word in b for n in NEGATIONS):
                return True
    return False


def covered(label: str, name: str, sentence: str) -> float:
    """The share of a name's characters the label does not print that its sentence prints (0 without a sentence)."""
    rest = set(re.sub(r"[\d“”\"'‘’()（）]", "", fold(name))) - set(fold(label))
    return len(rest & set(fold(sentence))) / len(rest) if rest and sentence else 0.0


def bigrams(text: str) -> list[str]:
    """The character pairs of a text (single characters for a text of one)."""
    text = re.sub(r"[“”\"'‘’()（）]", "", text)
    return [text[i : i + 2] for i in range(len(text) - 1)] or ([text] if text else [])


def dice(a: str, b: str) -> float:
    """Dice similarity of two texts' character pairs (0 to 1), traditional folded to simplified where units.csv shows it."""
    x, y = bigrams(fold(a)), bigrams(fold(b))
    if not x or not y:
        return 0.0
    common = sum(min(x.count(g), y.count(g)) for g in set(x))
    return 2 * common / (len(x) + len(y))


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A text with traditional characters written simplified (zhconv's tables), so a traditional page's
    printed names (有效評價, 辦結率) match indicators.csv's simplified ones, and the long forms of the terms their
    short forms abbreviate written short (最低生活保障 as 低保); cached: names are compared often."""
    text = zhconv.convert(text, "zh-cn")
    for long, short in ABBREVIATIONS.items():
        text = text.replace(long, short)
    return text


# Terms and the short forms statistics tables and indicators.csv names use for them (城市居民最低生活保障人数 is
# 城市低保人数)
ABBREVIATIONS = {"城乡居民最低生活保障": "城乡低保", "居民最低生活保障": "低保", "最低生活保障": "低保"}


# ---------------------------------------------------------------- the printed structure around a number

SEPARATORS = set("，。；：、,;:!?！？|")
SENTENCE_END = set("。！？!?")
LIST_OPENERS = (
    "其中",
    "当中",
    "當中",
    "分别为",
    "分别是",
    "分别",
    "主要集中在",
    "集中在",
    "主要是",
    "主要有",
    "包括",
    "中",
)
FILLERS = ("共计", "总计", "合计", "累计", "共有", "共", "为", "达到", "达", "有", "计", "约", "是", "占")
FILLERS += tuple(dict.fromkeys(zhconv.convert(w, "zh-tw") for w in FILLERS if zhconv.convert(w, "zh-tw") != w))
# Words around a breakdown term that are not the term (有關服務的投訴 -> 服務)
TERM_PREFIXES = (
    "有关",
    "有關",
    "涉及",
    "关于",
    "關於",
    "另有",
    "还有",
    "還有",
    "认为",  # 认为不满意的占1.25%: the respondents' answer is the term, not the verb of opinion
    "認為",
    "其次是",
    "其次为",
    "其次為",
    "因",
    "由于",
    "由於",
)
# Adverbs printed between a term and its verb (…事项虽仅占42%, 每月僅占3400通): no part of the term
TERM_ADVERBS = ("虽仅", "雖僅", "虽然", "雖然", "仅", "僅", "只", "也", "均", "都", "则", "則")
# Where what each part gets is said (困难职工每人获得, 分别获得): the term ends before it
TERM_EACH = ("每人", "每户", "每戶", "分别", "分別")
DOWN_WORDS = ("下降", "减少", "降低", "下滑", "回落", "減少", "下跌", "跌", "缩短", "縮短")
UP_WORDS = ("增长", "上升", "增加", "提高", "上涨", "增長", "增加", "成长", "成長")
# A percentage printed right after one of these is a change even with no 较/同比 (大增56%, 較前年少6%)
CHANGE_ENDINGS = (*DOWN_WORDS, *UP_WORDS, "少", "增", "升", "降")


@dataclass
class Item:
    """A number on the page with what its printed surroundings say about it."""

    index: int
    number: finder.Number
    clause: str  # the printed words from the last separator up to the number
    sentence: int  # which sentence it is in
    label: str = ""  # the wider printed words naming it (since the last ，。；：), brackets removed
    role: str = "count"  # count, rate, share, change, per_day, cell, date
    part_of: int | None = None  # index of its total
    of: int | None = None  # index of the count a share, change, per-day average or rate goes with
    term: str = ""  # the breakdown value printed before it
    sign: str = ""
    cell: Cell | None = None
    period: Period | None = None
    indicator: str = ""
    proposed: str = ""  # how the indicator was proposed
    new_indicator: str = ""  # the Chinese name of a new indicator to propose
    sentence_text: str = ""  # the printed sentence (or line) the number is in
    joined: bool = False  # a part in another count unit than its total's, kept only if its list adds up
    each: bool = False  # what each one gets (每人…5000元), or a figure listed after one in its unit and sentence
    named_after: str = ""  # the words printed after its unit (33条服务热线: 服务热线, what is counted)
    rounded_of: int | None = None  # the exact figure a headline's round number (近4万个) prints again
    ranked: bool = False  # one of a ranking's names with its figure in brackets (前五位的是:A(4383件)、B(…))
    # which split of its total it is in, when a sentence splits one total twice (交办/直办; 按期/逾期); negative for
    # a run of parts across outlined paragraphs ((一)基础建设方面…534件 (二)…289件)
    split: int = 0
    again_of: int | None = None  # the Chinese figure an English abstract prints again (4107人 … 4107 people)
    unit_again: str = ""  # the unit it is drafted in: that figure's, without 万 where the English prints it in full


def clause_before(text: str, start: int, breaks: set[int]) -> str:
    """The printed words between the last separator (or line break) and position `start`; a separator inside
    a bracket closed before the number is part of the words (县(市、区)及“三区”)."""
    i, depth = start, 0
    while i > 0 and i not in breaks and (depth > 0 or text[i - 1] not in SEPARATORS):
        depth += {")": 1, "）": 1, "(": -1, "（": -1}.get(text[i - 1], 0)
        depth = max(depth, 0)
        i -= 1
    return text[i:start]


LABEL_SEPARATORS = set("，。；：,;:!?！？|")


def label_before(text: str, start: int, breaks: set[int], width: int = 24) -> str:
    """The printed words naming a number: since the last ，。；： (not 、), bracketed asides removed, at most `width`."""
    i = start
    while i > 0 and text[i - 1] not in LABEL_SEPARATORS and i not in breaks:
        i -= 1
    words = re.sub(r"[(（][^()（）]*[)）]", "", text[i:start])
    return words[-width:]


def label_after(text: str, end: int, breaks: set[int], width: int = 12) -> str:
    """The printed words right after a number and its unit, up to the next separator or number (549.87万户困难职工
    家庭; 44户企业 of 44户企业的775名职工: the next number's words are its own)."""
    i = end
    while (
        i < len(text)
        and text[i] not in LABEL_SEPARATORS
        and text[i] not in "、"
        and i + 1 not in breaks
        and not text[i].isdigit()
    ):
        i += 1
    words = re.sub(r"[(（][^()（）]*[)）]", "", text[end : i + 1 if i < len(text) and i + 1 in breaks else i])
    return words[:width]


def _naming_words(text: str, start: int, breaks: set[int]) -> str:
    """The words naming a number; when they are only a filler (…投诉占最多,共有4811宗), the clause before the
    comma names it."""
    words = label_before(text, start, breaks)
    begin = start - len(words)
    wrapped = begin in breaks and begin > 0 and text[begin - 1] not in LABEL_SEPARATORS | SENTENCE_END | set("、")
    if wrapped and len(_date_free(words)) <= 1:
        # 在档困难职工家庭 / 从2016年10月底的6656户: a line wrapped inside the sentence; its name is on the line before
        return label_before(text, begin, breaks - {begin}) + words
    comma = start - len(words) - 1
    if len(words) <= 2 and _strip_fillers(words) in ("", *FILLERS) and comma > 0 and text[comma] in ",，":
        return label_before(text, comma, breaks) + words
    return words


def _date_free(words: str) -> str:
    """Words without their dates and the small words around them (从2016年10月底的 -> '')."""
    words = re.sub(r"(?:19|20)\d{2}年|\d{1,2}月(?:底|末|份)?|\d{1,2}日|[年月日]", "", words)
    return re.sub(r"[从從自由到至的在于於截止底末]", "", words)


def _strip_fillers(label: str) -> str:
    """A label without the filler words around a number (共, 为, 达 ...)."""
    changed = True
    while changed:
        changed = False
        for word in FILLERS:
            if label.endswith(word) and len(label) > len(word):
                label, changed = label[: -len(word)], True
    return label


def _term(clause: str) -> str:
    """The breakdown term a list item prints: the clause after a list opener, fillers removed."""
    clause = re.split(r"[(（](?![^()（）]*[)）])", clause)[-1]  # after a bracket left open; a closed one is the term's
    # 一档(完全丧失生活自理能力)人数: a gloss in brackets, then what is counted: the term is what the gloss explains
    gloss = re.search(r"[(（][^()（）]{4,}[)）][^()（）]{0,3}$", clause)
    clause = clause[: gloss.start()] if gloss and gloss.start() >= 2 else clause
    for opener in LIST_OPENERS:
        if opener in clause and opener != "中":
            clause = clause.split(opener)[-1]
    return _tidy_term(_strip_fillers(re.sub(r"^\d+", "", clause)) or _strip_fillers(clause))


def _tidy_term(term: str) -> str:
    """A term without the words around it that are not the term: 有關 before, 的 after (有關服務的 -> 服務), and
    the 数/量 that says 'the number of' after it (在线办结数 -> 在线办结)."""
    for prefix in TERM_PREFIXES:
        if term.startswith(prefix) and len(term) > len(prefix):
            term = term[len(prefix) :]
    # 第二季度语音 (受理2725宗): the sentence's period printed before the term is no part of it
    dated = max((m.end() for _kind, rx in DATE_WORDS if (m := rx.match(term))), default=0)
    term = term[dated:] if 0 < dated <= len(term) - 2 else term
    if term.startswith("以") and len(term) > 3:  # 以公车查询的…占多数: the construction's 以, not the term's
        term = term[1:]
    for word in TERM_EACH:
        if word in term[1:]:
            term = term[: term.index(word, 1)]
    for word in TERM_ADVERBS:
        if term.endswith(word) and len(term) > len(word) + 1:
            term = term[: -len(word)]
    # X类诉求, X类相关诉求: the category is X类; the noun after 类 is what the total counts
    term = re.sub(r"([类類])(?:相关|相關)?(?:诉求|訴求|工单|工單)$", r"\1", term) if len(term) > 4 else term
    # 劳动维权、各类社会保险(养老…)人力资源与社会保障类, 住房保障等城乡规划建设类: examples, then the category
    if term.endswith(("类", "類")):
        cut = max(term.rfind(c) for c in ("等", ")", "）"))
        term = term[cut + 1 :] if 0 <= cut < len(term) - 2 else term
    term = term[:-1] if term.endswith("的") and len(term) > 1 else term
    term = term[:-1] if term.endswith(("数", "數", "量")) and len(term) > 2 else term
    # a qualifier printed before the number (约占, 近) is no part of the term
    for marker in sorted(finder.PREFIX_MARKERS, key=len, reverse=True):
        if term.endswith(marker):
            return term[: -len(marker)]
    return term


# ---------------------------------------------------------------- drafting


@dataclass(frozen=True)
class Draft:
    """A number on the page and the figures.csv row drafted for it."""

    number: finder.Number
    row: dict[str, str]


@dataclass
class PageDrafts:
    """All that is drafted for a page: figure rows, relation rows, new indicator rows, exclusions."""

    drafts: list[Draft]
    relations: list[dict[str, str]]
    indicators: list[dict[str, str]]
    exclusions: list[dict[str, str]]


def vocabulary(
    indicators: pd.DataFrame | None = None,
    figures: pd.DataFrame | None = None,
    breakdowns: pd.DataFrame | None = None,
    units: pd.DataFrame | None = None,
    regions: pd.DataFrame | None = None,
) -> Vocabulary:
    """The vocabulary from data/raw (or the frames given)."""
    return Vocabulary(
        raw.read_csv_text(paths.INDICATORS_CSV) if indicators is None else indicators,
        raw.read_csv_text(paths.FIGURES_CSV) if figures is None else figures,
        raw.load_units() if units is None else units,
        raw.read_csv_text(paths.RAW / "breakdowns.csv") if breakdowns is None else breakdowns,
        regions=raw.read_csv_text(paths.REGIONS_CSV) if regions is None else regions,
    )


def draft_page(
    page_text: str, source: Source, indicators: pd.DataFrame | None = None, figures: pd.DataFrame | None = None
) -> list[Draft]:
    """A whole draft row for every number on the page that is not part of a date."""
    return draft_all(page_text, source, vocabulary(indicators, figures)).drafts


def draft_all(page_text: str, source: Source, vocab: Vocabulary, skip: set[int] | None = None) -> PageDrafts:
    """Draft rows, relations, new indicators and date exclusions for a page (`skip`: number starts not to draft)."""
    units = list(vocab.units["unit"])
    text = finder.normalise(page_text)
    published = publication_bounds(source.publication_date)
    breaks = _unwrapped(page_text, text, _line_breaks(page_text))
    dates = _signature_dates(date_words(text, published), breaks, len(text))
    cells = table_cells(page_text, published, units)
    numbers = finder.find_numbers(page_text, units)
    skip = skip or set()
    open_numbers = [n for n in numbers if n.start not in skip]
    exclusions = [
        {"source_id": source.source_id, "locator": locator, "reason": "date"}
        for d in dates
        for locator in _date_locators(text, d, [n for n in open_numbers if d.start <= n.start and n.end <= d.end])
    ]
    items = _items(text, numbers, dates, cells, breaks)
    exclusions += [
        {
            "source_id": source.source_id,
            "locator": i.number.locator[:16],
            "reason": "a table's column heading (a year or a month), not a figure"
            if i.cell is not None and i.cell.column == "heading"
            else "outline number"
            if _outline_number(text, i.number, breaks)
            else "the word one or two in a phrase, not a figure"
            if i.number.printed in ONE_OR_TWO
            else _name_reason(text, i.number) or "part of a name, not a figure",
        }
        for i in items
        if i.role == "name" and i.number.start not in skip
    ]
    _structure(items, text, vocab.units)
    fallback = default_period(published, source)
    for item in items:
        item.period = item.period or _period_at(dates, item.number.start)
    for item in items:
        if item.period is None:
            item.period = _repeated_period(item, items) or fallback
    _compared_periods(items, text, dates)

    _indicators(items, vocab)
    _headline_again(items, vocab.units)
    _comparison_cells(items, vocab)
    _parallel_lists(items, text)
    _share_runs(items)
    _range_ends(items)
    _same_figure_same_indicator(items)
    _terms_from_names(items, vocab)
    _area_terms(items, text, vocab)
    _category_terms(items, text, vocab)
    _ranked_lists(items, text, vocab)
    _quoted_terms(items, text)
    _english_again(items, text, vocab.units)
    kept = [i for i in items if i.role not in ("date", "name") and i.number.start not in skip]
    ids = {i.index: f"{source.source_id}_n{k + 1:02d}" for k, i in enumerate(kept)}
    new = {name: f"new_indicator_{k}" for k, name in enumerate(sorted({i.new_indicator for i in kept} - {""}), 1)}
    for item in kept:
        item.indicator = item.indicator or new.get(item.new_indicator, "")
    region = source.region or page_region(text)
    _comparison_periods(kept, text, vocab)
    _stock_periods(kept, items, vocab)
    _counted_to_date(kept, vocab)
    _change_cell_periods(kept)
    _until_published(kept, vocab, source)
    _survey_periods(kept, text, dates)
    _recent_survey(kept, text, published, vocab)
    by_index = {i.index: i for i in items}
    for item in kept:
        if item.again_of is not None:
            item.period = by_index[item.again_of].period
    dimensions = propose_dimensions(kept, items, vocab)
    drafts = [d for i in kept for d in _each(text, Draft(i.number, _row(i, ids, source, region, vocab, dimensions)))]
    relations = _each_in_relations(_relations(kept, items, ids, vocab, text), drafts)
    indicator_rows = [
        {
            "indicator": slug,
            "name_en": "",
            "name_zh": name,
            **_guess_kind([i for i in kept if i.indicator == slug], vocab),
        }
        for name, slug in new.items()
    ]
    return PageDrafts(drafts, relations, indicator_rows, exclusions)


EACH = ("各", "分别为", "分别", "均为", "均")


def _each(text: str, draft: Draft) -> list[Draft]:
    """One printed number for several parts (省长信箱、湘易办各1件; 城市、农村分别为3个): a draft row for each part
    the list before 各 names, with that part as its breakdown value (and figure_id suffixed _a, _b ...)."""
    start = draft.number.start
    word = next((w for w in EACH if text[:start].endswith(w)), "")
    if not word:
        return [draft]
    i = start - len(word)
    while i > 0 and text[i - 1] not in LABEL_SEPARATORS:
        i -= 1
    parts = [_term(t) for t in text[i : start - len(word)].split("、")]
    parts = [t for t in parts if t]
    if len(parts) < 2 or any(len(t) > 12 for t in parts):
        return [draft]
    return [
        Draft(draft.number, {**draft.row, "figure_id": f"{draft.row['figure_id']}_{chr(97 + k)}", "breakdown_value": t})
        for k, t in enumerate(parts)
    ]


def _each_in_relations(relations: list[dict[str, str]], drafts: list[Draft]) -> list[dict[str, str]]:
    """Relations naming a number printed once for several parts (各1件) name each part's row; parts that then
    add up to their total exactly are its `sum`."""
    copies: dict[str, list[str]] = {}
    for d in drafts:
        fid = d.row["figure_id"]
        if re.search(r"_[a-z]$", fid):
            copies.setdefault(fid[:-2], []).append(fid)
    if not copies:
        return relations
    values = {d.row["figure_id"]: d.row["value"] for d in drafts}
    out = []
    for r in relations:
        operands = [c for o in r["operands"].split() for c in copies.get(o, [o])]
        row = {**r, "operands": " ".join(operands)}
        try:
            adds_up = abs(sum(float(values[o]) for o in operands) - float(values[r["result"]])) < 1e-9
        except (KeyError, ValueError):
            adds_up = False
        if r["kind"] == "part_of" and adds_up and any(o in copies for o in r["operands"].split()):
            row.update(
                kind="sum", note=r["note"] + " (they add up, a number printed for several parts counted for each)"
            )
        out.append(row)
    return out


def _guess_kind(items: list[Item], vocab: Vocabulary) -> dict[str, str]:
    """A new indicator's `kind` and `counts` guessed from the unit its numbers print (units.csv's kind and
    unit_en): a % a rate, money an amount, an area an area, a count a stock when counted on one day and a
    flow over a period. A guess for the researcher to check, like the rest of the draft."""
    item = next((i for i in items if _printed_unit(i)), items[0] if items else None)
    unit = _printed_unit(item) if item else ""
    row = vocab.units[vocab.units["unit"] == unit]
    if row.empty:
        return {"kind": "", "counts": ""}
    unit_kind, counts = str(row["kind"].iat[0]), str(row["unit_en"].iat[0])
    if unit_kind == "rate":
        return {"kind": "rate", "counts": ""}
    if unit_kind in ("money", "area"):
        return {"kind": "amount" if unit_kind == "money" else "area", "counts": counts}
    if unit_kind != "count" or counts.startswith("count"):
        return {"kind": "", "counts": ""}
    one_day = item.period is not None and item.period.start == item.period.end
    return {"kind": "stock" if one_day else "flow", "counts": counts}


ENGLISH_BEFORE = re.compile(r"[A-Za-z]{3}$")
ENGLISH_AFTER = re.compile(r"%?[A-Za-z]{3}")


def _english(text: str, n: finder.Number) -> bool:
    """Whether a number is printed in English words (4107 people, of 30,388 employees): Latin letters right beside
    it and no Chinese character within four of it."""
    beside = ENGLISH_BEFORE.search(text[: n.start]) or ENGLISH_AFTER.match(text[n.end :])
    return bool(beside) and not CJK.search(text[max(0, n.start - 4) : n.end + 4])


def _english_again(items: list[Item], text: str, units: pd.DataFrame) -> None:
    """A figure of an English abstract that a Chinese figure printed before it gives in full (4107人 … 4107 people;
    50万人 … 500,000 employees; 36.97% … 36.97%) is that figure printed again: it takes its unit (without 万/亿
    when the English prints every digit), indicator, term and period, and a one-operand `sum`. Each Chinese figure
    is printed again once, the first English figure of its value taking it; a number below 10 is too common to tell."""
    multiplier = dict(zip(units["unit"], pd.to_numeric(units["multiplier"], errors="coerce")))
    taken: set[int] = set()
    live = [i for i in items if i.role not in ("date", "name") and i.number.value is not None]
    for item in live:
        n = item.number
        if not _english(text, n) or n.value < 10 or (n.unit and n.unit != "%"):
            continue
        for other in live:
            m = other.number
            if other.index >= item.index or other.index in taken or _english(text, m) or not m.unit:
                continue
            if (m.unit == "%") != (n.unit == "%"):
                continue
            scale = float(multiplier.get(m.unit, 1) or 1) if m.unit != "%" else 1.0
            if abs(m.value * scale - n.value) > 1e-9 * max(1.0, n.value) and abs(m.value - n.value) > 1e-9:
                continue
            unit = m.unit
            if abs(m.value - n.value) > 1e-9:  # 50万人 printed as 500,000: the unit without its 万
                unit = unit[1:] if unit[:1] in finder.CN_BIG_UNITS and multiplier.get(unit[1:]) == 1 else ""
            if not unit:
                continue
            taken.add(other.index)
            item.again_of, item.unit_again = other.index, unit
            item.indicator, item.new_indicator, item.proposed = other.indicator, other.new_indicator, other.proposed
            item.term, item.role = other.term, other.role if other.role != "cell" else "count"
            item.proposed = (item.proposed + "; " if item.proposed else "") + (
                f"the English abstract's {n.printed} prints again {m.printed}{m.unit}"
            )
            break


def _printed_unit(item: Item) -> str:
    """The unit a number's row is drafted with: its own, or its table cell's."""
    return item.cell.unit if item.cell and item.cell.unit and not item.number.unit else item.number.unit


def _repeated_period(item: Item, items: list[Item]) -> Period | None:
    """A headline number printed again later with a date before it takes that period."""
    for other in items:
        same = (other.number.value, other.number.unit) == (item.number.value, item.number.unit)
        if other is not item and same and other.period is not None and other.role != "date":
            p = other.period
            return Period(
                p.start, p.end, p.printed, f"the same number is printed again after '{p.printed}': {p.resolution}"
            )
    return None


def _date_locators(text: str, words: DateWords, inside: list[finder.Number], width: int = 16) -> list[str]:
    """exclusions.csv locators (at most `width` characters) that together cover the numbers of a date expression."""
    chunks: list[list[int]] = []  # [start, end] of each locator
    for n in inside:
        if chunks and n.end - chunks[-1][0] <= width:
            chunks[-1][1] = n.end
        else:
            chunks.append([words.start if not chunks else n.start, n.end])
    return [text[a : max(b, min(words.end, a + width))] for a, b in chunks]


def _unwrapped(page_text: str, text: str, breaks: set[int]) -> set[int]:
    """The line breaks that end something: on a page printed in narrow columns (a newspaper's text, most of its
    many lines ending inside a sentence: 在档困难职工家庭 / 从2016年10月底的6656户), only a break after a sentence's
    end is one (a comma at a line's end is the column's wrap too); other pages keep every line break."""
    lines = [ln.strip() for ln in page_text.splitlines() if len(ln.strip()) >= 6]
    if len(lines) < WRAPPED_LINES or any("|" in ln for ln in lines):
        return breaks
    inside = sum(1 for ln in lines if ln[-1] not in ENDS_SOMETHING)
    if inside < WRAPPED_SHARE * len(lines):
        return breaks
    return {b for b in breaks if b == 0 or b >= len(text) or text[b - 1] in SENTENCE_END}


WRAPPED_LINES = 40  # lines of six characters or more a page needs to be read as printed in columns
WRAPPED_SHARE = 0.75  # and the share of them that end inside a sentence
ENDS_SOMETHING = LABEL_SEPARATORS | SENTENCE_END | set("、")


def _line_breaks(page_text: str) -> set[int]:
    """Positions in the whitespace-free text where a printed line begins."""
    breaks, offset = set(), 0
    for line in page_text.splitlines():
        breaks.add(offset)
        offset += len(finder.normalise(line))
    return breaks


def _signature_dates(dates: list[DateWords], breaks: set[int], length: int) -> list[DateWords]:
    """The date words with a day printed in full on a line of its own (2022年5月18日 under a notice, a dateline)
    made a date that gives no period: it is when the page was signed, not what the figures after it count."""
    ends = breaks | {length}
    return [
        replace(d, baseline=True)
        if d.start in breaks
        and d.end in ends
        and d.period.start == d.period.end
        and d.period.resolution == "printed in full"
        else d
        for d in dates
    ]


CLAUSE_BREAKS = set("，,。；;：:")


def _compared_periods(items: list[Item], text: str, dates: list[DateWords]) -> None:
    """A figure printed after a comparison's baseline in its clause (比今年上半年日均量2135.36个增长了55.17%: the
    rise is the period's, 上半年 the 2135.36's) takes the period in force before the 比 or 较, not the baseline's."""
    starts = sorted(i.number.start for i in items if i.role not in ("date", "name"))
    for item in items:
        if item.role in ("date", "name") or item.cell is not None:
            continue
        begin = max((k for k in range(item.number.start) if text[k] in CLAUSE_BREAKS), default=-1) + 1
        for m in re.finditer(r"[较較比]", text[begin : item.number.start]):
            at = begin + m.start()
            baseline = next((d for d in dates if at < d.start <= at + 3), None)
            if baseline is None or not any(baseline.end <= n < item.number.start for n in starts):
                continue
            before = _period_at(dates, at)
            if before is not None and item.period == baseline.period:
                how = f"{before.resolution}; the period before the comparison with {baseline.period.printed}"
                item.period = Period(before.start, before.end, before.printed, how)
            break


def _parts_before_total(kept: list[Item], units: pd.DataFrame) -> list[tuple[Item, list[Item]]]:
    """Counts printed one after another in a sentence and then the count in their unit that is their sum, to
    its last digit (常客有23人、…民眾有22人,45人的通話量…): the parts printed before their total. Counts that are
    parts of a total already are left alone."""
    found = []
    for k, total in enumerate(kept):
        whole = _plain_value(total, units)
        if total.role != "count" or total.part_of is not None or whole is None or total.cell is not None:
            continue
        run: list[Item] = []
        for before in reversed(kept[:k]):
            if before.sentence != total.sentence or before.role != "count" or not _same_measure(before, total):
                break
            run.insert(0, before)
        for start in range(len(run) - 1):
            parts = run[start:]
            values = [_plain_value(p, units) for p in parts]
            if any(p.part_of is not None for p in parts) or None in values:
                continue
            if abs(sum(values) - whole) <= 0.5 * _last_digit(total, units):
                found.append((total, parts))
                break
    return found


def _headline_again(items: list[Item], units: pd.DataFrame) -> None:
    """A round number printed before any date (a headline's 接听来电近4万个) that an exact figure printed later rounds
    (39666个, of the same indicator and measure, inside what 近 allows: 0.9 to 1.0 of it; 约, 左右: within 10%) is
    that figure printed again: it takes its period (and a one-operand `sum`)."""
    for item in items:
        n = item.number
        undated = item.period is None or item.period.resolution.startswith("no period printed")
        if undated and item.role == "rate" and item.cell is None and n.qualifier == "exact":
            _headline_rate(item, items)
            continue
        if n.qualifier != "approximately" or not undated or not item.indicator or item.cell is not None:
            continue
        value = _plain_value(item, units)
        band = (0.9, 1.0) if n.marker == "近" else (0.9, 1.1)
        for other in items[item.index + 1 :]:
            whole = _plain_value(other, units)
            if other.role in ("date", "name") or other.number.qualifier != "exact" or whole is None or value is None:
                continue
            if (
                other.indicator == item.indicator
                and _same_measure(other, item)
                and band[0] * value <= whole <= band[1] * value
            ):
                p = other.period
                if p is not None:
                    item.period = Period(p.start, p.end, p.printed, f"the exact figure printed later: {p.resolution}")
                item.rounded_of = other.index
                break


def _headline_rate(item: Item, items: list[Item]) -> None:
    """A whole percentage printed before any date (a headline's 满意率达94%) that a later exact rate of the same
    name rounds to (满意率为93.91%) is that rate printed again: its indicator, its period, a one-operand `sum`."""
    printed = item.number.printed
    name = re.search(r"[\u4e00-\u9fff]{2}率$", fold(_strip_fillers(item.clause)))
    if "." in printed or item.number.value is None or name is None:
        return
    for other in items[item.index + 1 :]:
        n = other.number
        if other.role != "rate" or n.unit != "%" or n.qualifier != "exact" or n.value is None or "." not in n.printed:
            continue
        if round(n.value) == item.number.value and name.group() in fold(other.clause):
            item.indicator, item.new_indicator, item.proposed = other.indicator, other.new_indicator, other.proposed
            p = other.period
            if p is not None:
                item.period = Period(p.start, p.end, p.printed, f"the exact rate printed later: {p.resolution}")
            item.rounded_of = other.index
            return


def _period_at(dates: list[DateWords], position: int) -> Period | None:
    """The period of the last date expression printed before a position."""
    before = [
        d for d in dates if d.end <= position and not d.baseline and (d.scope_end is None or position <= d.scope_end)
    ]
    return before[-1].period if before else None


def _items(text: str, numbers: list[finder.Number], dates: list[DateWords], cells: dict[int, Cell], breaks: set[int]):
    """Each number with its clause, sentence, and whether it is a date or a table cell."""
    items, sentence, last = [], 0, 0
    for k, n in enumerate(numbers):
        sentence += sum(1 for c in text[last : n.start] if c in SENTENCE_END) + sum(
            1 for b in breaks if last < b <= n.start
        )
        last = n.start
        after = n.end + len(n.unit) + len(n.marker if n.marker in finder.INFIX_MARKERS else "")
        prev = numbers[k - 1] if k else None
        # 造成8.82万户25.712万人: a number printed right after another is named by the same words, not by the
        # other's unit
        adjacent = prev is not None and prev.end + len(prev.unit) + len(prev.marker) == n.start
        naming = _naming_words(text, prev.start if adjacent else n.start, breaks)
        named = label_after(text, after, breaks)
        label = naming + named
        item = Item(k, n, clause_before(text, n.start, breaks), sentence, label=label, named_after=named)
        item.sentence_text = _sentence_around(text, n.start, breaks)
        if any(d.start <= n.start and n.end <= d.end for d in dates):
            item.role = "date"
        elif n.start in cells and cells[n.start].column == "heading":
            item.role, item.cell = "name", cells[n.start]  # a table's year or month column heading (项目 2010 2015)
        elif n.start in cells:
            item.role, item.cell = "cell", cells[n.start]
            item.period = cells[n.start].period
            if text[n.start - 1 : n.start] in ("-", "−"):
                item.sign = "-"  # a table's -1.47% or -7.04: a signed change as printed
        elif text[max(0, n.start - 1) : n.start] == "第" or (
            text[n.start - 1 : n.start] == "前" and not _time_after(text, n)
        ):
            item.role = "name"  # 前三位, 第28: an ordinal, no figure (前5分钟 is a length of time)
        elif n.marker == finder.ADJACENT_TENS_LINK:
            pass  # 一、二十名: the low end of a range of neighbouring tens, neither an outline number nor the word 一
        elif _outline_number(text, n, breaks):
            item.role = "name"  # 1.优抚 or 2、推估 at a line's or a cell's start: the outline's number
        elif n.printed in ONE_OR_TWO:
            item.role = "name"  # 一名职工家属, 一条命, 两位同志: the word one or two in a phrase, not a figure
        elif _name_reason(text, n):
            item.role = "name"  # 11:43:58, 图片1.png, 12345“一号通”: a time, a file, a name in quotes
        elif not n.unit and re.match(r"[\u4e00-\u9fff]", text[n.end : n.end + 1]):
            item.role = "name"  # 12345热线: a number in a name, drafted but no total of anything
        items.append(item)
    return items


# 一 or 两 printed alone as a word (一名, 一年, 两位): an article or a phrase, not a figure; a figure of one or two
# is printed in digits (1位, 2家)
ONE_OR_TWO = ("一", "两", "兩")
TIME_UNITS = ("分钟", "分鐘", "秒", "小时", "小時", "天", "日", "个月", "個月", "月", "年", "周", "週")


def _time_after(text: str, n: finder.Number) -> bool:
    """Whether a length of time follows the number (前5分钟, 前3个月): a span, not an ordinal."""
    after = text[n.end + len(n.unit) if n.unit in TIME_UNITS else n.end :]
    return n.unit in TIME_UNITS or after.startswith(TIME_UNITS)


CLOCK = re.compile(r"(?<![\d.])\d{1,2}:\d{2}(?::\d{2})?(?![\d.])")


def _name_reason(text: str, n: finder.Number) -> str:
    """Why a number without a unit is no figure, '' when it may be one: a time of day (11:43:58), a file's name
    (图片1.png) or a name printed in quotes after it (12345“一号通”)."""
    if n.unit:
        return ""
    if any(m.start() <= n.start and n.end <= m.end() for m in CLOCK.finditer(text, max(0, n.start - 6), n.end + 6)):
        return "time of day"
    if re.match(r"\.[A-Za-z]{2,4}(?![A-Za-z])", text[n.end : n.end + 5]):
        return "file name"
    if re.match(r"[“「《\"][\u4e00-\u9fff]", text[n.end : n.end + 2]):
        return "part of a name, not a figure"
    return ""


def _outline_number(text: str, n: finder.Number, breaks: set[int]) -> bool:
    """Whether a number without a unit is an outline's number: at a line's or a `|` cell's start, followed by
    `.`, `．` or `、` and a Chinese character (1.优抚、安置; 2、推估), not a decimal."""
    starts = n.start == 0 or n.start in breaks or text[n.start - 1] == "|"
    return starts and not n.unit and bool(re.match(r"[.．、][\u4e00-\u9fff]", text[n.end : n.end + 2]))


def _sentence_around(text: str, position: int, breaks: set[int]) -> str:
    """The printed sentence a position is in: from the last sentence end or line break to the next."""
    start = position
    while start > 0 and text[start - 1] not in SENTENCE_END and start not in breaks:
        start -= 1
    end = position
    while end < len(text) and text[end] not in SENTENCE_END and end + 1 not in breaks:
        end += 1
    return text[start : end + 1]


TENTHS_OR_PERCENT = ("%", "成")  # 成 counts tenths of a whole (8成 = 80%), the way % counts hundredths


def _structure(items: list[Item], text: str, units: pd.DataFrame | None = None) -> None:
    """Roles, totals and parts, and what each share, change, average or rate goes with."""
    live = [i for i in items if i.role not in ("date", "cell", "name")]
    counted = set(units.loc[units["kind"] == "count", "unit"]) if units is not None else set()
    totals: list[Item] = []
    for k, item in enumerate(live):
        clause, unit = item.clause, item.number.unit
        count_before = next((p for p in reversed(live[:k]) if p.sentence == item.sentence and p.role == "count"), None)
        # the last count of the sentence in this number's unit: 6195户12533人,…,7840户13026人 pairs each 人 with 人
        like_before = next(
            (
                p
                for p in reversed(live[:k])
                if p.sentence == item.sentence and p.role == "count" and _same_measure(p, item)
            ),
            None,
        )
        if unit in TENTHS_OR_PERCENT:  # 8成 is a percentage printed in tenths: a rate, share or change like 80%
            _rate_role(item, clause, items)
            if item.role == "share" and not item.term and not re.sub(r"占比|佔比|占|佔|达|達|为|為|约|約", "", clause):
                # 电动车违规充电投诉集中于上半年时段,占比27%: a bare 占比 shares the subject of the clause before
                item.term = _subject_before(text, item.number.start - len(clause) - 1)
            last = live[k - 1] if k else None
            if (
                item.role == "rate"
                and last is not None
                and last.role == "share"
                and last.sentence == item.sentence
                and not any(w in fold(clause) for w in RATE_WORDS)
            ):
                # 約佔五成五,其次是陳情檢舉案約一成八: a bare percentage after a share is the list's next share
                item.role = "share"
            item.of = count_before.index if count_before else None
            previous = live[k - 1] if k else None
            of_rate = (
                item.role == "change"
                and previous is not None
                and previous.sentence == item.sentence
                and previous.role == "rate"
                and (count_before is None or previous.index > count_before.index)
            )
            if of_rate:
                # 解决率90.05%,环比上升2.12%: the change is of the rate printed right before it, and has its term
                item.of, item.term = previous.index, previous.term
            elif item.role in ("share", "change") and not item.term and count_before is not None:
                item.term = count_before.term
            if item.role in ("share", "change") and item.of is None:
                anchor = _anchor_total(totals, item.sentence)
                item.part_of = anchor.index if anchor else None
        elif _strip_fillers(clause) in DOWN_WORDS + UP_WORDS and count_before is not None:
            # 6605人，减少918人: a printed change of the count before it, in its unit (never signed: only a
            # percentage change is entered negative)
            item.role, item.of = "change", count_before.index
        elif any(w in clause for w in PER_DAY_WORDS):
            item.role = "per_day"
            item.of = count_before.index if count_before else (totals[-1].index if totals else None)
        elif (any(w in clause for w in AVERAGE_WORDS) and unit not in DURATION_UNITS) or (
            _every_period(clause, unit, counted)
            and not (totals and totals[-1].role == "average" and totals[-1].sentence == item.sentence)
        ):  # (a 每月 count in the list of a monthly average's parts is one of them)
            item.role = "average"
            item.of = count_before.index if count_before else (totals[-1].index if totals else None)
            after = text[item.number.end + len(unit) :]
            if after.startswith(("当中", "當中", "其中")):
                totals.append(item)  # 每月20万通当中,…16万通: the average's parts follow it
        elif _each_gets(item, like_before):
            item.each = True  # 每人获得救助金5000元: what each one gets, no part of the total paid out
        elif _is_part(item, count_before, text, like_before) and any(_same_measure(t, item) for t in totals):
            # the last total that counts in the same unit (18年 between 24,615宗 and its parts is none)
            total = next(t for t in reversed(totals) if _same_measure(t, item))
            item.term = _sibling_term(item, total)
            item.part_of = total.index
        elif _joins_list(item, count_before, text, counted):
            # 其中…转派工单1件,书记市长信箱信件41封: a count in another count unit continues the list it is printed in
            total = next(t for t in items if t.index == count_before.part_of)
            item.term = _sibling_term(item, total)
            item.part_of, item.joined = total.index, True
        else:
            totals.append(item)
    _keep_joined_if_adding_up(items)
    _parts_that_add_up(items, totals)
    _sentence_adding_up_to_earlier(items)
    _outlined_parts(items)
    _trim_sibling_suffixes(items)
    _group_terms(live)
    _reassign_totals(items, totals)
    _fit_totals(items, totals, units)
    for item in items:
        if item.role in ("share", "change") and item.of is None and item.term:
            # 农林畜牧水利类环比减少12.35% after 农林畜牧水利1590件: the change of the count with its term
            same = [c for c in items[: item.index] if c.role == "count" and c.term == item.term]
            if same:
                item.of, item.part_of = same[-1].index, None


def _each_gets(item: Item, like_before: Item | None) -> bool:
    """Whether a count says what each one gets (每人获得5000元, 每户补助300元) or follows such a count in its unit
    and sentence (…每人5000元、…分别获得3000元、2000元): a per-unit figure, never a part of a total."""
    return any(w in item.clause for w in EVERY_UNIT) or (like_before is not None and like_before.each)


def _every_period(clause: str, unit: str, counted: set[str]) -> bool:
    """Whether a count's clause prints it per month, week or year (每月多达20万通), not per person (每人每月)."""
    return unit in counted and any(w in clause for w in EVERY_PERIOD) and not any(w in clause for w in EVERY_UNIT)


def _parts_that_add_up(items: list[Item], totals: list[Item]) -> None:
    """Counts printed right after a total in its sentence and unit that add up to it exactly are its parts,
    with no 其中 to say so (工单2917件,已处理完毕2349件,正在办理568件). A total that closes its sentence (共办理工单
    2495件。) may have them in the next sentence, and one total may be split twice in a row (交办2388件,直办107件;
    按期回复2424件、逾期回复71件: each pair adds up to 2495)."""
    for total in totals:
        if total.number.value is None or total.part_of is not None:
            continue
        after = [i for i in items[total.index + 1 :] if i.role not in ("date", "name")]
        closes = not any(i.sentence == total.sentence for i in after)
        sentences = (total.sentence, total.sentence + 1) if closes else (total.sentence,)
        run: list[Item] = []
        splits = 0
        for item in items[total.index + 1 :]:
            if item.sentence not in sentences or item.role in ("date", "name"):
                break
            if item.role != "count" or item.part_of is not None or item.number.unit != total.number.unit:
                continue
            if item.number.value is None:
                break
            run.append(item)
            whole = sum(i.number.value for i in run)
            if len(run) >= 2 and abs(whole - total.number.value) < 1e-9:
                splits += 1
                for part in run:
                    part.part_of, part.term, part.split = total.index, _sibling_term(part, total), splits
                run = []
                continue
            if whole > total.number.value:
                break


def _sentence_adding_up_to_earlier(items: list[Item]) -> None:
    """A sentence whose counts, all in one unit and none a part or a total of parts, add up exactly to a count
    printed in an earlier sentence in that unit (来源渠道: 语音受理2725宗,粤省心受理239宗,多媒体受理172宗 after
    受理热线事项3136宗) splits that count: they are its parts (the latest such count), with no 其中 to say so."""
    totalled = {i.part_of for i in items if i.part_of is not None}
    by_sentence: dict[int, list[Item]] = {}
    for item in items:
        if item.role not in ("date", "name"):
            by_sentence.setdefault(item.sentence, []).append(item)
    for sentence, members in by_sentence.items():
        if any(m.role != "count" or m.part_of is not None or m.index in totalled for m in members):
            continue
        if (
            len(members) < 2
            or len({m.number.unit for m in members}) != 1
            or any(m.number.value is None for m in members)
        ):
            continue
        whole = sum(m.number.value for m in members)
        unit = members[0].number.unit
        earlier = [
            i
            for i in items[: members[0].index]
            if i.role == "count"
            and i.sentence < sentence
            and i.part_of is None
            and i.number.unit == unit
            and i.number.value is not None
            and abs(i.number.value - whole) < 1e-9
        ]
        if not unit or whole < 10 or not earlier:
            continue
        total = earlier[-1]
        for part in members:
            part.part_of, part.term = total.index, _sibling_term(part, total)


# the heading an outlined paragraph opens with: (一)基础建设方面…, 1.交通执法:… (two to eight characters)
OUTLINED_HEADING = re.compile(r"([\u4e00-\u9fff]{2,8}?)(?:方面|[:：])")


def _outlined_parts(items: list[Item]) -> None:
    """Paragraphs in a row under outline numbers of one level, each headed by a name ((一)基础建设方面…工单534件、
    满意率92%。(二)咨询政策方面…289件…) and each printing one count in one unit, whose counts add up exactly to a
    count printed before them: the counts are its parts, named by their headings, and each paragraph's rate
    takes its heading too."""
    totalled = {i.part_of for i in items if i.part_of is not None}
    by_sentence: dict[int, list[Item]] = {}
    for item in items:
        if item.role not in ("date", "name"):
            by_sentence.setdefault(item.sentence, []).append(item)
    runs: list[list[tuple[str, Item, list[Item]]]] = []
    level_of_run = None
    for members in by_sentence.values():
        level, rest = outline_level(members[0].sentence_text)
        heading = OUTLINED_HEADING.match(rest)
        counts = [m for m in members if m.role == "count"]
        if (
            level is None
            or heading is None
            or len(counts) != 1
            or counts[0].part_of is not None
            or counts[0].index in totalled
            or counts[0].number.value is None
        ):
            level_of_run = None
            continue
        entry = (heading.group(1), counts[0], members)
        if runs and level_of_run == level and runs[-1][0][1].number.unit == counts[0].number.unit:
            runs[-1].append(entry)
        else:
            runs.append([entry])
            level_of_run = level
    for number, run in enumerate(runs, 1):
        if len(run) < 2:
            continue
        whole = sum(count.number.value for _h, count, _m in run)
        first = run[0][1]
        earlier = [
            i
            for i in items[: first.index]
            if i.role == "count"
            and i.part_of is None
            and i.number.unit == first.number.unit
            and i.number.value is not None
            and abs(i.number.value - whole) < 1e-9
        ]
        if not earlier:
            continue
        for heading, count, members in run:
            # one run across its paragraphs (a negative split: not the run of one sentence)
            count.part_of, count.term, count.split = earlier[-1].index, heading, -number
            for other in members:
                if other.of == count.index and not other.term:
                    other.term = heading


def _reassign_totals(items: list[Item], totals: list[Item]) -> None:
    """Parts whose sum is an earlier total of the same unit (and not the one they were given) belong to the earliest such."""
    by_index = {t.index: t for t in totals}
    for (total_index, *_run), parts in part_runs(items).items():
        if any(p.number.value is None for p in parts):
            continue
        whole = sum(p.number.value for p in parts)
        unit = parts[0].number.unit
        first = min(p.index for p in parts)
        matching = [
            t
            for t in totals
            if t.index < first
            and t.number.unit == unit
            and t.number.value is not None
            and abs(t.number.value - whole) < 1e-6
        ]
        current = by_index.get(total_index)
        if current is not None and _sub_run_adds_up(parts, current):
            continue
        if matching and (current is None or current.number.value != whole or matching[0].index != total_index):
            for p in parts:
                p.part_of = matching[0].index


def _fit_totals(items: list[Item], totals: list[Item], units: pd.DataFrame | None) -> None:
    """A run of parts goes with the total its printed shares are shares of (农林畜牧水利1590件,占诉求量的14.23%:
    1590 / 11171), and never with a total smaller than their sum: then the latest earlier total in their unit
    that is at least their sum (or that the most shares reproduce) is theirs."""
    if units is None:
        return
    shares = [i for i in items if i.role == "share" and i.of is not None and i.number.value is not None]
    by_index = {i.index: i for i in items}
    for (total_index, *_run), parts in part_runs(items).items():
        values = [_plain_value(p, units) for p in parts]
        if None in values:
            continue
        first = min(p.index for p in parts)
        candidates = [
            t for t in totals if t.index < first and _same_measure(t, parts[0]) and _plain_value(t, units) is not None
        ]
        printed = [(by_index[i.of], i) for i in shares if i.of in {p.index for p in parts}]

        def reproduced(total: Item, printed: list[tuple[Item, Item]] = printed) -> int:
            """How many of the printed shares part / total reproduces, to their last printed digit."""
            whole = _plain_value(total, units)
            if not whole:
                return 0
            return sum(
                abs(100 * _plain_value(part, units) / whole - share.number.value) <= 50 * _last_digit(share, units)
                for part, share in printed
            )

        current = by_index[total_index]
        listed = _share_of_the_list(parts, printed, candidates, units)
        if listed is not None:
            # 位居前三的工单:A783件、B579件、C562件,占工单总量的77%: the share is the three together's, of 2495
            share, whole = listed
            share.of, share.term, share.part_of = None, "", whole.index
            for p in parts:
                p.part_of = whole.index
            continue
        best = max(candidates, key=lambda t: (reproduced(t), t.index), default=None)
        if best is not None and printed and reproduced(best) > reproduced(current):
            chosen = best
        elif (_plain_value(current, units) or 0) < sum(values) - 1e-9 and not _sub_run_adds_up(parts, current):
            bigger = [t for t in candidates if _plain_value(t, units) >= sum(values) - 1e-9]
            chosen = bigger[-1] if bigger else None
        else:
            continue
        for p in parts:
            p.part_of = chosen.index if chosen is not None else None


def _share_of_the_list(
    parts: list[Item], printed: list[tuple[Item, Item]], candidates: list[Item], units: pd.DataFrame
) -> tuple[Item, Item] | None:
    """A share printed right after a run of two or more parts that no part's count gives over any total, while the
    parts together give it over one (783 + 579 + 562 = 1924 of 2495 is 77%): the share of the list as a whole,
    with that total; None otherwise."""
    last = [share for part, share in printed if part is parts[-1]]
    values = [_plain_value(p, units) for p in parts]
    if len(parts) < 2 or len(last) != 1 or None in values or len(printed) != 1:
        return None
    share = last[0]
    step = 50 * _last_digit(share, units)

    def gives(value: float, total: Item) -> bool:
        whole = _plain_value(total, units)
        return bool(whole) and abs(100 * value / whole - share.number.value) <= step

    if any(gives(values[-1], t) for t in candidates):
        return None
    fits = [t for t in candidates if gives(sum(values), t)]
    return (share, fits[-1]) if len(fits) == 1 else None


def _sub_run_adds_up(parts: list[Item], total: Item) -> bool:
    """Whether two or more consecutive parts add up to their total exactly: then a part beside them is an aside
    (3456件(限期内200件…),已解决3112件,未解决344件), and the run stays with that total."""
    if total.number.value is None:
        return False
    values = [p.number.value for p in parts]
    return any(
        abs(sum(values[i:j]) - total.number.value) < 1e-6
        for i in range(len(values))
        for j in range(i + 2, len(values) + 1)
    )


def part_runs(items: list[Item]) -> dict[tuple[int, ...], list[Item]]:
    """The parts of each total, one run per sentence they are printed in (and per split of the total, when the
    sentence splits it twice): keyed by the total's index, the sentence and the split."""
    groups: dict[tuple[int, ...], list[Item]] = {}
    for item in items:
        if item.part_of is not None and item.role == "count":
            groups.setdefault((item.part_of, item.sentence if item.split >= 0 else -1, item.split), []).append(item)
    return groups


def _rate_role(item: Item, clause: str, items: list[Item]) -> None:
    """A percentage is a change (同比/环比/较/按月…增长/下降/跌幅, signed), a share (占) or a rate; one a change
    word leads to (下降至0.7%, 提升至95%) is the level reached, a rate."""
    ending = _strip_fillers(clause).endswith(CHANGE_ENDINGS)
    reached = re.search(r"(?:下降|降低|减少|減少|降|下跌|提升|提高|上升|增长|增長|增加)(?:至|到)$", clause)
    compared = ("同比", "环比", "環比", "较", "較", "比上", "按月", "按年", "按季")
    if not reached and (
        ending
        or (
            any(w in clause for w in DOWN_WORDS + UP_WORDS) and (any(w in clause for w in compared) or len(clause) <= 8)
        )
    ):
        item.role = "change"
        down = any(w in clause for w in DOWN_WORDS) or _strip_fillers(clause).endswith(("少", "降"))
        item.sign = "-" if down else ""
        item.term = _known_term(clause, items)
    elif "占" in fold(clause):
        item.role = "share"
        known, own = (
            _known_term(clause, items),
            _term(fold(clause).split("占")[0] if "佔" in clause else clause.split("占")[0]),
        )
        # 基本满意占 after 满意占: the printed term is the longer one that ends with the known one
        item.term = own if known and own != known and own.endswith(known) else known or own
    else:
        item.role = "rate"


# Words after which a clause says something of its subject (集中于上半年, 主要涉及物业): the subject ends there
SUBJECT_ENDS = ("集中于", "集中在", "集中", "主要", "多发生", "多为", "多是", "涉及", "反映", "来自", "是", "为")


def _subject_before(text: str, comma: int) -> str:
    """The subject of the clause ending at a comma: its words before the first word that says something of it,
    '' when the clause is not in the same sentence (a sentence end, or nothing, before the comma)."""
    if comma <= 0 or text[comma] not in ",，":
        return ""
    clause = clause_before(text, comma, set())
    if any(c.isdigit() for c in clause):
        return ""  # 咨询类400件,占57.1%: the share goes with the count before it, which names it
    cut = min((clause.find(w) for w in SUBJECT_ENDS if clause.find(w) > 1), default=len(clause))
    return _tidy_term(clause[:cut]) if cut <= 16 else ""


def _anchor_total(totals: list[Item], sentence: int) -> Item | None:
    """The total a share or change without a count beside it refers to: the largest total of this or the last sentence."""
    recent = [t for t in totals if t.sentence >= sentence - 1 and t.number.value is not None]
    if not recent and totals:
        return totals[-1]
    return (
        max(recent, key=lambda t: t.number.value * (10_000 if t.number.unit.startswith(("万", "萬")) else 1))
        if recent
        else None
    )


OPEN_BRACKET = re.compile(r"[(（][^)）]*$")


def _group_terms(live: list[Item]) -> None:
    """Parts printed as groups of figures share their group's term: a count printed right after another, with no
    word between (城市低保6195户12533人), and a part whose own words leave one character after its total's are
    taken away (…,发放低保金3277万元 after 城市低保6195户12533人) are of the group printed before them."""
    for k, item in enumerate(live):
        if item.part_of is None or item.role != "count" or not k:
            continue
        before = live[k - 1]
        n = before.number
        adjacent = n.end + len(n.unit) + len(n.marker) == item.number.start and before.sentence == item.sentence
        if adjacent and before.part_of is not None and before.term:
            item.term = before.term
        elif len(item.term) <= 1:
            group = next(
                (
                    p.term
                    for p in reversed(live[:k])
                    if p.sentence == item.sentence and p.part_of is not None and len(p.term) > 1
                ),
                "",
            )
            item.term = group or item.term


def _keep_joined_if_adding_up(items: list[Item]) -> None:
    """A count in another unit stays in its list only when with it the list adds up to the total exactly
    (23件…41封…11件 = 277件); otherwise it is a figure of its own (涉及家庭人口1301万人 among 万户 parts)."""
    by_index = {i.index: i for i in items}
    for (total_index, *_run), parts in part_runs(items).items():
        joined = [p for p in parts if p.joined]
        total = by_index[total_index].number.value
        values = [p.number.value for p in parts]
        if not joined or (total is not None and None not in values and abs(sum(values) - total) < 1e-6):
            continue
        for p in joined:
            p.part_of, p.joined, p.term = None, False, ""


def _joins_list(item: Item, count_before: Item | None, text: str, counted: set[str]) -> bool:
    """Whether a count in a unit no total of the page counts in continues the list of the count before it: both
    count units (units.csv kind count), the one before a part, and the words between them a list item's."""
    return bool(
        count_before is not None
        and count_before.part_of is not None
        and item.number.unit in counted
        and count_before.number.unit in counted
        and len(item.clause) <= 24
        and not _opens_list(item, text)
        and not any(w in item.clause for w in PER_DAY_WORDS)
    )


def _is_part(item: Item, count_before: Item | None, text: str, like_before: Item | None = None) -> bool:
    """Whether a count is an item of a printed list: after 其中/分别/中, a 类 term, or a sibling of a part (the
    count before it, or the last count of the sentence in its unit, is a part)."""
    clause = item.clause
    start = item.number.start - len(clause)
    before = text[max(0, start - 3) : start]
    if any(o in clause for o in LIST_OPENERS if o != "中") or re.search(r"中[,，]$", before):
        return True
    if any(text[: item.number.start].endswith(w) for w in EACH) and any(
        o in label_before(text, item.number.start, set()) for o in LIST_OPENERS if o != "中"
    ):
        return True  # 其中省长信箱、湘易办各1件: the list the opener starts runs across 、 to 各
    if _strip_fillers(clause).endswith(("类", "類")):
        return True
    if count_before is not None and OPEN_BRACKET.search(clause):
        # 46653件(电话诉求41424件、...): counts in a bracket opened right after a total are its parts
        after = count_before.number.end + len(count_before.number.unit) + len(count_before.number.marker)
        return OPEN_BRACKET.fullmatch(text[after : item.number.start]) is not None
    sibling = next(
        (p for p in (count_before, like_before) if p is not None and p.part_of is not None and _same_measure(p, item)),
        None,
    )
    return bool(sibling is not None and len(clause) <= 24 and not _opens_list(item, text))


def _opens_list(item: Item, text: str) -> bool:
    """Whether a list opener (其中, 分别…) follows a number right after its unit: then the number is the total
    of the list that follows, not one more part of the list before it (…补贴13.1万元;供养资金88万元,其中…)."""
    n = item.number
    after = text[n.end + len(n.unit) + len(n.marker) : n.end + len(n.unit) + len(n.marker) + 6].lstrip(",，:：")
    return any(after.startswith(o) for o in LIST_OPENERS if o != "中")


def _same_measure(a: Item, b: Item) -> bool:
    """Whether two numbers count in the same unit, 万/亿 aside (8件 and 4681万元 do not)."""
    return a.number.unit.lstrip("万萬亿億") == b.number.unit.lstrip("万萬亿億")


def _sibling_term(item: Item, total: Item) -> str:
    """A part's term: its label without fillers and without the words its total's label ends with (诉求, 工单)."""
    term = _term(item.clause)
    counted = _strip_fillers(total.clause)
    for k in range(2, min(len(term) - 1, 4) + 1):  # the shortest ending: 全市低保 takes 低保, not 市低保, from 城市低保
        if counted.endswith(term[-k:]) and term[-k] not in "类類":
            return _tidy_term(term[:-k])
    return term


def _trim_sibling_suffixes(items: list[Item]) -> None:
    """Drop a suffix most parts of one total share (转派工单 after each channel's name); the shares and
    changes that took a part's term take the trimmed one too. Each run of parts (one total, one sentence) is
    read apart: a list of channels and a list of subjects of the same total end differently."""
    by_index = {i.index: i for i in items}
    trimmed: dict[str, str] = {}
    for (total_index, *_run), parts in part_runs(items).items():
        # only words the total also prints name what is counted (诉求, 工单); a shared ending the
        # total does not print belongs to the terms (春节补贴 and 电费补贴, 已解决 and 未解决)
        printed = by_index[total_index].label + by_index[total_index].clause
        for k in range(6, 1, -1):
            ends = [p.term[-k:] for p in parts if len(p.term) > k]
            common = max(set(ends), key=ends.count) if ends else ""
            # an ending three or more parts print is what they count (省长信箱转派工单, 湘易办转派工单 ...)
            repeated = ends.count(common) >= 3
            if common and ends.count(common) * 2 > len(parts) and (common in printed or repeated):
                for p in parts:
                    if p.term.endswith(common) and len(p.term) > k:
                        trimmed[p.term] = p.term = _tidy_term(p.term[:-k])
                break
        # a beginning most parts share and the total prints is its verb (转派县…, 转派市直单位 after 转派18113件)
        for k in range(4, 1, -1):
            starts = [p.term[:k] for p in parts if len(p.term) > k]
            common = max(set(starts), key=starts.count) if starts else ""
            if len(parts) >= 2 and starts.count(common) * 2 > len(parts) and common in printed:
                for p in parts:
                    if p.term.startswith(common) and len(p.term) > k:
                        trimmed[p.term] = p.term = p.term[k:]
                break
    # 特困人员中…一档, 二档, 三档 (parts of one total, in one sentence or over several): the first of parallel
    # terms carries the list's heading before it
    by_total: dict[int, list[Item]] = {}
    for item in items:
        if item.role == "count" and item.part_of is not None and item.term:
            by_total.setdefault(item.part_of, []).append(item)
    for parts in by_total.values():
        for p in parts:
            alike = [o for o in parts if o is not p and o.term[-1] == p.term[-1]]
            widths = {len(o.term) for o in alike}
            width = next(iter(widths)) if len(alike) >= 2 and len(widths) == 1 else 0
            if width >= 2 and len(p.term) > width + 2 and not any(o.term[:-1] in p.term for o in alike):
                trimmed[p.term] = p.term = p.term[-width:]
    for item in items:
        if item.role in ("share", "change") and item.term in trimmed:
            item.term = trimmed[item.term]


def _known_term(clause: str, items: list[Item]) -> str:
    """The longest breakdown term already printed on the page that the clause contains."""
    terms = sorted({i.term for i in items if i.term}, key=len, reverse=True)
    return next((t for t in terms if t in clause), "")


def _indicators(items: list[Item], vocab: Vocabulary) -> None:
    """Propose each number's indicator: parts share their total's, shares/changes/averages the related one."""
    by_index = {i.index: i for i in items}
    for item in items:
        if item.role in ("date", "name"):
            continue
        if item.role == "cell" and item.cell.measured:
            heading = item.cell.heading
            role = "count"
            if item.number.unit == "%":
                role = "change" if any(w in fold(heading) for w in CHANGE_WORDS) else "share"
                role = role if any(w in fold(heading) for w in (*CHANGE_WORDS, *SHARE_WORDS)) else "rate"
            _choose(item, vocab, heading, role, minimum=0.3 if role != "count" else 0.25)
            continue
        if item.role == "cell" and item.cell.place:
            continue  # a place's row names where, not what: its columns' headings are not read, so no indicator
        if item.role == "cell":
            labels = [re.sub(r"[(（][^)）]*[)）]", "", h) for h in (item.cell.parent, item.cell.heading) if h]
            # a part row names its parent's indicator, unless its own heading is closer to another name
            # (最低生活保障 under 社会救助 is 最低生活保障支出, not the parent's 救助 indicator)
            scores = [vocab.propose(label, "count", "", _unit_of(item))[1] for label in labels]
            _choose(item, vocab, labels[scores.index(max(scores))], "count")
            continue
        if item.role == "count" and item.part_of is not None:
            total = by_index[item.part_of]
            item.indicator, item.proposed, item.new_indicator = total.indicator, total.proposed, total.new_indicator
            _own_indicator(item, total, vocab)
            continue
        base = by_index.get(item.of if item.of is not None else -1) or by_index.get(
            item.part_of if item.part_of is not None else -1
        )
        if base is not None and base.part_of is not None and base.role == "count":
            base = by_index[base.part_of]
        related = base.indicator if base is not None else ""
        if item.role in ("share", "change", "per_day", "average"):
            label = item.clause + (base.clause if base is not None else "")
            _choose(item, vocab, label, item.role, related, minimum=0.3, name_from=item.clause)
            if item.role == "average":
                _every_period_per_unit(item, vocab, item.label)
        elif item.role == "rate":
            _choose(item, vocab, item.label, "rate")
            _standard_rate(item, vocab)
        else:
            before = [i for i in items if i.sentence == item.sentence and i.index < item.index and i.role == "count"]
            context = before[-1].label if before else ""
            role = "count"
            if item.number.unit in SCORE_UNITS:  # a score (86.45分) is a mean over what is rated, or a rate
                unit = _unit_of(item)
                # a score that rises or falls (提升0.98分) is a change in points
                roles = ("change",) if any(w in fold(item.clause) for w in SCORE_MOVES) else SCORE_ROLES
                scores = {r: vocab.propose(item.label, r, "", unit, item.sentence_text)[1] for r in roles}
                role = max(roles, key=lambda r: scores[r])
            _choose(item, vocab, item.label, role, related if item.role == "count" else "", context=context)
            if item.role == "count" and item.part_of is None:
                _every_period_per_unit(item, vocab, item.label)


SCORE_UNITS = ("分",)
SCORE_ROLES = ("count", "average", "rate")
SCORE_MOVES = ("提升", "上升", "下降", "提高", "降低", "增长", "增加", "减少", "前进", "进步", "回落")
MATTER_UNITS = ("件", "宗", "起", "单", "單")  # measure words of matters (requests, cases, tickets), never of offices
OWN_NAME = 0.35  # how close a part's own words must be to another indicator's name to be that indicator's figure
OWN_MARGIN = 0.15  # and how much closer than to its total's indicator


STANDARD_WORDS = ("标准", "標準", "要求", "目标", "目標")  # 最低标准92%, 满意率≥90%的标准: a rule's figure
RULE_MINIMUM = 0.4  # how close a rule's name must be to the printed label to take a standard's percentage


EVERY_PER = {"每年": "year", "每月": "month", "每个月": "month", "每個月": "month", "每周": "week", "每週": "week"}


def _every_period_per_unit(item: Item, vocab: Vocabulary, label: str) -> None:
    """每年开展1次至2次走访 (no 平均): what is done each year, which indicators.csv may keep as a `per_unit` of that
    `per` rather than an `average`; the closer name of the two kinds wins."""
    clause = fold(item.clause)
    per = next((p for w, p in EVER_PER_ITEMS if w in clause), "")
    if not per or any(w in clause for w in AVERAGE_WORDS):
        return
    folded = fold(label)
    scored = [
        (similarity(folded, zh), indicator)
        for indicator, (zh, _en) in vocab.names.items()
        if vocab.field_of(indicator, "kind") == "per_unit" and vocab.field_of(indicator, "per") == per
    ]
    score, best = max(scored, default=(0.0, ""))
    now = similarity(folded, vocab.names[item.indicator][0]) if item.indicator in vocab.names else 0.0
    if best and score >= 0.3 and score > now:
        item.indicator, item.new_indicator = best, ""
        item.proposed = f"indicator proposed: what is done {per}ly, closest per-{per} name to '{label}' ({score:.2f})"


EVER_PER_ITEMS = tuple(EVERY_PER.items())


def _standard_rate(item: Item, vocab: Vocabulary) -> None:
    """A percentage printed as a standard or a threshold (低于市上最低标准92%; 满意率≥90%) is a rule's figure, not a
    measured rate: the closest `rule` indicator of indicators.csv takes it when its name is close to the label."""
    clause = fold(_strip_fillers(item.clause))
    said = clause.endswith(STANDARD_WORDS) or item.number.marker in ("≥", "≤", "⩾", "⩽")
    if not said:
        return
    label = fold(item.label)
    scored = [
        (similarity(label, zh), indicator)
        for indicator, (zh, _en) in vocab.names.items()
        if vocab.field_of(indicator, "kind") == "rule" and not negation_differs(label, zh)
    ]
    score, best = max(scored, default=(0.0, ""))
    if best and score >= RULE_MINIMUM:
        item.indicator, item.new_indicator = best, ""
        item.proposed = (
            f"indicator proposed: a standard's figure, closest rule to the printed '{item.label}' ({score:.2f})"
        )


def _own_indicator(part: Item, total: Item, vocab: Vocabulary) -> None:
    """A part whose own words name another indicator (当场答复热线事项5113宗 after 受理有效热线事项7227宗: 直接答复件数)
    is that indicator's figure, not a breakdown of its total's: it takes that indicator and no term (its list still
    adds up to the total, a `sum` of other indicators' figures). A term figures.csv already files under a
    breakdown dimension stays a part, and so does one whose own indicator's name starts with it (城市低保人数)."""
    if (
        not total.indicator
        or total.indicator not in vocab.names
        or fold(part.term) in {fold(t) for t in vocab.dimensions}
    ):
        return  # (a term figures.csv files under a breakdown stays a part of its total)
    label = _strip_fillers(part.label)
    unit = _unit_of(part)
    own, score = vocab.propose(label, "count", "", unit, part.sentence_text, part.each, _counts_lines(part))
    if not own or own == total.indicator or vocab.unit_conflicts(own, unit):
        return
    if unit in MATTER_UNITS and any(w in vocab.field_of(own, "counts") for w in UNIT_WORDS):
        return  # 件 counts matters, never the offices handling them (交办二级责任单位2388件: tickets handed down)
    if part.term and fold(vocab.names[own][0]).startswith(fold(part.term)[:2]):
        return  # 城市低保人数 for 城市低保对象…: the part (城市) named as an indicator, still a part of its total
    if part.term and vocab.propose(part.term, "count", "", unit)[0] != own:
        return  # the other name comes from words its siblings print too (市公安局 …宗), not from the part's own
    if score >= OWN_NAME and score >= similarity(label, vocab.names[total.indicator][0]) + OWN_MARGIN:
        part.indicator, part.new_indicator, part.term = own, "", ""
        part.proposed = f"indicator proposed: closest name to the part's own words '{label}' ({score:.2f})"


def _range_ends(items: list[Item]) -> None:
    """The two ends of a printed range (1次至2次, 3万元到7万元, 二、三十位) measure one thing: the low end, whose words
    end at 至, takes the high end's indicator when only the high end found one."""
    for low, high in itertools.pairwise(items):
        n, m = low.number, high.number
        if (n.qualifier, m.qualifier) != ("at_least", "at_most") or not n.marker or n.marker != m.marker:
            continue
        if not low.indicator and high.indicator and low.role == high.role:
            low.indicator, low.new_indicator, low.proposed = high.indicator, "", high.proposed + "; the range's low end"


def _share_runs(items: list[Item]) -> None:
    """Shares printed in a row in one sentence, each with its term and no count (满意的占79.38%,基本满意的占19.38%,
    不满意的仅占1.25%), are the parts of one whole: one that found no indicator (its term negates the name's word)
    takes the one before it, and the first term loses the subject printed before the ending all the others share
    (市民对…状况满意: 满意)."""
    live = [i for i in items if i.role not in ("date", "name")]
    runs: list[list[Item]] = []
    for k, item in enumerate(live):
        share = item.role == "share" and item.term and item.of is None and item.part_of is None
        if not share:
            continue
        if runs and live[k - 1] is runs[-1][-1] and live[k - 1].sentence == item.sentence:
            runs[-1].append(item)
        else:
            runs.append([item])
    for run in runs:
        if len(run) < 3:
            continue
        for before, item in itertools.pairwise(run):
            if not item.indicator and before.indicator:
                item.indicator, item.new_indicator = before.indicator, ""
                item.proposed = f"indicator of the share printed before it in its list ('{before.term}')"
        others = [i.term for i in run[1:]]
        ending = next(
            (
                others[0][-k:]
                for k in range(min(map(len, others)), 1, -1)
                if all(t.endswith(others[0][-k:]) for t in others)
            ),
            "",
        )
        first = run[0]
        if ending and first.term.endswith(ending) and len(first.term) > max(map(len, others)) + 2:
            first.term = ending


def _parallel_lists(items: list[Item], text: str) -> None:
    """Numbers in one unit listed with 、 (集中供养每人每年3500元、分散供养每人每年2300元拨付基本生活费) are one measure
    for several parts: each takes the indicator proposed for the last, whose words after it name them all, and
    the words before each number that the others do not print (集中供养, 分散供养) are its term."""
    live = [i for i in items if i.role == "count" and i.part_of is None]
    groups: list[list[Item]] = []
    for item in live:
        start = item.number.start - len(item.clause)
        last = groups[-1][-1] if groups else None
        listed = (
            last is not None
            and text[start - 1 : start] == "、"
            and last.number.end + len(last.number.unit) + len(last.number.marker) == start - 1
            and last.number.unit == item.number.unit
        )
        if listed:
            groups[-1].append(item)
        else:
            groups.append([item])
    for group in groups:
        if len(group) < 2 or not group[-1].indicator:
            continue
        clauses = [_strip_fillers(i.clause) for i in group]
        common = 0
        while common < min(map(len, clauses)) - 1 and len({c[-common - 1 :] for c in clauses}) == 1:
            common += 1
        for item, clause in zip(group, clauses, strict=True):
            item.indicator, item.new_indicator = group[-1].indicator, ""
            item.proposed = f"{group[-1].proposed}; listed with 、 beside the last number of the list"
            # 每 (per) starts what the number is per (每人每年), no part of the term: 集中供养 of 集中供养每人每年
            per = clause.find("每")
            if per >= 2 and all("每" in c for c in clauses) and not item.term:
                item.term = _tidy_term(clause[:per])
            elif common >= 2 and not item.term:
                item.term = _tidy_term(clause[:-common])


def _same_figure_same_indicator(items: list[Item]) -> None:
    """A number printed again in its unit (a headline's 549.87万户! and the text's) is one figure: each printing
    takes the indicator proposed for the printing whose words named it best (a new indicator only if none did)."""
    groups: dict[tuple, list[Item]] = {}
    for item in items:
        if item.role in ("count", "rate") and item.number.value is not None and item.part_of is None:
            groups.setdefault((item.number.value, item.number.unit, item.sign), []).append(item)
    for printings in groups.values():
        named = [i for i in printings if i.indicator]
        if len(printings) < 2 or not named or len({i.indicator for i in named}) > 1:
            continue
        for item in printings:
            if not item.indicator:
                item.indicator, item.new_indicator = named[0].indicator, ""
                item.proposed = f"{named[0].proposed}; the same number printed again there"


def _unit_of(item: Item) -> str:
    """The unit printed after a number, or for a table cell without one its row's or column's unit."""
    return item.cell.unit if item.cell and item.cell.unit and not item.number.unit else item.number.unit


def _terms_from_names(items: list[Item], vocab: Vocabulary) -> None:
    """Breakdown terms read against the chosen indicator's Chinese name.

    A heading that is the indicator's name with a few characters before it (城市低保人数 for 低保人数) prints a
    part of what the indicator declares a breakdown of: those characters are its term. A term that is most of
    the indicator's name (最低生活保障 for 最低生活保障支出) names the indicator itself, not one of its parts."""
    for item in items:
        if item.role in ("date", "name") or item.indicator not in vocab.names:
            continue
        name = fold(vocab.names[item.indicator][0])
        term = _term_of(item)
        if term and len(fold(term)) >= 0.6 * len(name) and fold(term) in name:
            _set_term(item, "")
            continue
        printed = term or outline_level(item.cell.heading if item.cell is not None else _strip_fillers(item.clause))[1]
        extra = len(fold(printed)) - len(name)
        if vocab.declared_dimensions(item.indicator) and 1 <= extra <= 4 and fold(printed).endswith(name):
            _set_term(item, printed[:extra])
        elif term and item.part_of is not None and vocab.declared_dimensions(item.indicator):
            # 城市低保 for 城乡低保户数: the words the term shares with the name at its end (低保) are the
            # indicator's; the characters before them are the part (城市)
            for k in range(len(term) - 2, 1, -1):
                if fold(term[-k:]) in name:
                    _set_term(item, term[:-k])
                    break


# the words that set an urban or a rural part apart (城市低保, 农村特困人员): a part of the whole area
AREA_WORDS = ("城市", "农村", "城镇", "乡村")


def _area_terms(items: list[Item], text: str, vocab: Vocabulary) -> None:
    """Terms a figure's own words print without a list around them.

    An area word (城市, 农村) printed right before the first words of the chosen indicator's name (农村低保 for
    低保户数, 农村低保保障标准) is the figure's term when that indicator declares a breakdown; a count printed
    right after one with a term, only 、 or 和 between (农村低保26680户、32077人), and a figure in another unit
    printed after a part in the same clause chain, with no words naming another part (城市低保对象395人,保障标准为
    744元), have that part's term."""
    live = [i for i in items if i.role not in ("date", "name") and i.cell is None]
    termed: set[int] = set()  # the figures given a term here: a part, as far as the clause chain goes on
    for item in live:
        if item.term or item.indicator not in vocab.names or not vocab.declared_dimensions(item.indicator):
            continue
        name = fold(vocab.names[item.indicator][0])
        words = fold(_date_free(_strip_fillers(item.clause)))
        for area in AREA_WORDS:
            at = words.find(area)
            rest = words[at + len(area) :] if at >= 0 else ""
            if at >= 0 and len(rest) >= 2 and name.startswith(rest[:2]):
                item.term = area
                termed.add(item.index)
                break
    for before, item in itertools.pairwise(live):
        if item.term or not before.term or before.sentence != item.sentence or item.part_of is not None:
            continue
        between = text[before.number.end + len(before.number.unit) : item.number.start]
        if between in ("、", "和", "及") and item.role == "count" and not _same_measure(before, item):
            item.term = before.term
            termed.add(item.index)
        elif (
            (before.part_of is not None or before.index in termed)
            and not any(ch in between for ch in "；;。")
            and (_unit_of(item) != _unit_of(before) or before.index in termed)
            and not any(a in fold(between) for a in AREA_WORDS)
            and item.role in ("count", "average")
            and vocab.declared_dimensions(item.indicator)
        ):
            item.term = before.term
            termed.add(item.index)


# X類別個案, X类别: the part X of a breakdown by category, named before what is counted
CATEGORY_NAME = re.compile(r"([\u4e00-\u9fff]{2,10}?)(?:類別|类别)")
CATEGORY_LEAD = ("而", "及", "和", "与", "與", "则", "則", "其中")


def _category_terms(items: list[Item], text: str, vocab: Vocabulary) -> None:
    """A figure with no term in a sentence that names categories (低收入類別個案的按月跌幅為1.7%,有3 842宗) is the
    part of the category named before it; after two named together and 分别 (健康欠佳類別個案及永久性殘疾類別個案均下跌
    0.3%分別至23 319宗及16 966宗), the figures after 分别 take them in turn, and a figure before 分别 both (健康欠佳及
    永久性殘疾). Only for an indicator that declares a breakdown."""
    live = [i for i in items if i.role not in ("date", "name") and i.cell is None and not i.term]
    for item in live:
        if not vocab.declared_dimensions(item.indicator):
            continue
        begin = max((k for k in range(item.number.start) if text[k] in SENTENCE_END), default=-1) + 1
        before = text[begin : item.number.start]
        names = list(CATEGORY_NAME.finditer(before))
        if not names:
            continue
        terms = [_strip_lead(m.group(1)) for m in names]
        each = max(before.rfind("分别"), before.rfind("分別"))
        if len(terms) > 1 and each > names[-1].end():
            after = [
                i for i in live if begin + each < i.number.start <= item.number.start and i.sentence == item.sentence
            ]
            k = len(after) - 1
            item.term = terms[k] if 0 <= k < len(terms) else ""
        elif len(terms) == 1:
            item.term = terms[0]
        elif each < 0:  # two categories and one figure for both (均下跌0.3%): the term names both
            item.term = "及".join(terms)


# 工单办理数排在前五位的是:A(4383件)、B(4048件)和C(3532件): a ranking names what it ranks before its list
RANKED = re.compile(
    r"(?:排在|排名|位列|位居|居)?前[一二三四五六七八九十\d]+(?:位|名)(?:的)?(?:是|为|為|依次是|依次为)?[:：]?$"
    # 排名前五的部门是…: the ranked kind (部门, 单位) named after the rank, then 是
    r"|(?:排在|排名|位列|位居)前[一二三四五六七八九十\d]+(?:位|名)?的?[\u4e00-\u9fff]{1,4}?(?:是|为|為|依次是|依次为)[:：]?$"
)
LIST_JOINS = "、,，:：;；和及与與"


def _joins_names(text: str, k: int) -> bool:
    """Whether the character at k separates a ranking's names: 、 , : ; always, 和 及 与 only after the bracket
    that closes the name before it (A(5件)和B(3件)); inside a name (人力资源和社会保障局) 和 is the name's."""
    if text[k] not in LIST_JOINS:
        return False
    return text[k] not in "和及与與" or text[k - 1 : k] in (")", "）")


def _ranked_lists(items: list[Item], text: str, vocab: Vocabulary) -> None:
    """A ranking printed as names with their figures in brackets (…排在前五位的是:岳阳县(4383件)、湘阴县(3532件))
    gives each figure the name before its bracket as its term and the indicator the words before the ranking
    name (工单办理数); the list is no total's parts and no new indicator per name."""
    runs: dict[int, list[tuple[Item, str, int]]] = {}
    for item in items:
        n = item.number
        if item.role not in ("count", "cell") or item.cell is not None or n.start == 0:
            continue
        if text[n.start - 1] not in "(（" or text[n.end : n.end + 4].lstrip(n.unit or "")[:1] not in ")）":
            continue
        k = n.start - 1
        while k > 0 and not _joins_names(text, k - 1) and text[k - 1] not in SENTENCE_END and n.start - k < 16:
            k -= 1
        name = text[k : n.start - 1]
        # 排名前五的部门是县公安局(287宗): the first name starts after the ranking's 是, with no 、 or : before it
        said = next((m for m in re.finditer(r"[是为為]", name) if RANKED.search(text[: k + m.end()])), None)
        if said is not None:
            k += said.end()
            name = text[k : n.start - 1]
        if 2 <= len(name) <= 14 and not re.search(r"\d", name):
            runs.setdefault(item.sentence, []).append((item, name, k))
    for run in runs.values():
        first = run[0][2]
        colon = max(text.rfind(c, 0, first + 1) for c in "：:")
        begin = max((k for k in range(first) if text[k] in SENTENCE_END or text[k] in "；;"), default=-1)
        heading = text[max(begin + 1, 0) : first]
        ranking = RANKED.search(heading)
        if len(run) < 2 or ranking is None or (colon < begin and not re.search(r"[是为為][:：]?$", heading)):
            continue
        label = re.split(r"[,，、]", heading[: ranking.start()])[-1]
        unit = run[0][0].number.unit
        # what is ranked is what a count printed shortly before in the unit counts (共承办工单39818件 …
        # 工单办理数排在前五位) when its words share the ranking's
        before = [
            i
            for i in items
            if i.role == "count"
            and i.part_of is None
            and i.indicator
            and i.number.unit == unit
            and 0 < first - i.number.end < 400
            and i not in (r[0] for r in run)
        ]
        scored = [(dice(fold(label), fold(i.label or i.clause)), i) for i in before]
        scored = [(score, i) for score, i in scored if score > 0]
        # 交办…诉求事项共3136宗,其中…排名前五的部门是…: the count of the ranking's own sentence is what is ranked
        own = [i for i in before if i.sentence == run[0][0].sentence and i.number.start < first]
        scored = [(1.0, own[-1])] if own else scored
        for item, name, _k in run:
            item.part_of = None
            if scored:
                base = max(scored, key=lambda t: (t[0], t[1].number.start))[1]
                item.indicator, item.new_indicator = base.indicator, ""
                item.proposed = f"the indicator of the count before the ranking ('{label}')"
                if own:  # the top of the count its sentence prints: each one within it (`part_of`)
                    item.part_of = base.index
            else:
                _choose(item, vocab, label, "count")
            _set_term(item, name)
            item.ranked = True


def _strip_lead(name: str) -> str:
    """A category's name without the word joining it to the sentence (而單親 -> 單親) or to the category named before
    it (個案及永久性殘疾 -> 永久性殘疾)."""
    name = re.split(r"[及和、与與]", name)[-1] or name
    for lead in CATEGORY_LEAD:
        if name.startswith(lead) and len(name) > len(lead) + 1:
            return name[len(lead) :]
    return name


QUOTED_BEFORE = re.compile(r"[“「『\"]([^“”「」『』\"]{2,20})[”」』\"]$")


def _quoted_terms(items: list[Item], text: str) -> None:
    """Counts printed right after a name in quotes, two or more such names in a sentence (承办“A直播间”1期1件次,
    “B电台栏目”2期2件次): each name is the term of the counts printed right after it (a programme, a campaign),
    the parts of a list whose total is not printed."""
    named: dict[int, list[tuple[Item, str]]] = {}
    last: tuple[Item, str] | None = None
    for item in items:
        n = item.number
        if item.role in ("date", "name") or item.cell is not None or item.term:
            last = None
            continue
        quoted = QUOTED_BEFORE.search(text[max(0, n.start - 22) : n.start])
        follows = (
            last is not None
            and last[0].sentence == item.sentence
            and last[0].number.end + len(last[0].number.unit) + len(last[0].number.marker) == n.start
        )
        if quoted:
            last = (item, quoted.group(1))
        elif follows:
            last = (item, last[1])  # 1期1件次: the second count printed right after the first names the same
        else:
            last = None
            continue
        named.setdefault(item.sentence, []).append(last)
    for entries in named.values():
        if len({name for _i, name in entries}) < 2:
            continue
        for item, name in entries:
            _set_term(item, name)


def _set_term(item: Item, term: str) -> None:
    """Give a number its breakdown term (a table's part row keeps it on its cell, where the row is read)."""
    item.term = term
    if item.cell is not None and item.cell.parent:
        item.cell = replace(item.cell, term=term)


def _undated_name(label: str) -> str:
    """A label without the dates and the compared period it prints (2024年象州县消防工单较2023年增长 -> 象州县消防工单增长),
    so a new indicator is named by what it counts."""
    label = re.sub(r"[较較比](?:上年|去年|上月|上期|同期|(?:19|20)\d{2}\s*年(?:同期)?)", "", label)
    label = re.sub(r"(?:19|20)\d{2}\s*年(?:度)?|\d{1,2}月(?:份)?|\d{1,2}日", "", label)
    return label.lstrip("年月日,，、 ")


def _counts_lines(item: Item) -> bool:
    """Whether a count names, right after its measure word, lines or offices it counts (33条服务热线)."""
    return item.number.unit in MEASURE_WORD_UNITS and any(w in item.named_after[:6] for w in SERVICE_NOUNS)


def _choose(
    item: Item,
    vocab: Vocabulary,
    label: str,
    role: str,
    related: str = "",
    minimum: float = 0.25,
    context: str = "",
    name_from: str = "",
) -> None:
    """Take the closest indicator when it is close enough, else propose a new one named by the label.

    A label too far from every name may leave its subject unsaid, carried over from the count printed before
    it in the sentence (城市低保金301.6万元,累计保障16813人次): that count's label is then read with it, and the
    closest name taken only if the indicator counts what the printed unit counts."""
    unit = _unit_of(item)
    lines = _counts_lines(item)
    indicator, score = vocab.propose(label, role, related, unit, item.sentence_text, item.each, lines)
    # a label of a verb alone (…各类诉求277件,办结272件) names too little: its subject carries over from the count
    # before it, and the closer name with it wins when the verb is in that name (办结 in 非话务渠道诉求办结量;
    # 退出 after 新增10户 is not 新增)
    short = len(_strip_fillers(label)) <= 4
    if context and ((not indicator or score < minimum) or short):
        carried, carried_score = vocab.propose(
            context + label, role, related, unit, item.sentence_text, item.each, lines
        )
        if not carried:
            wins = False
        elif short and indicator and score >= minimum:
            said = fold(_strip_fillers(re.sub(r"^\d+", "", label)))
            wins = carried_score > score and said in fold(vocab.names[carried][0])
            wins = wins and not vocab.unit_conflicts(carried, unit)
        else:
            wins = carried_score >= minimum and vocab.unit_fits(carried, unit)
        if wins:
            item.indicator = carried
            item.proposed = (
                f"indicator proposed: closest name to the printed '{label}' with the subject '{context}' carried"
                f" over from the count before it ({carried_score:.2f})"
            )
            return
    if indicator and score >= minimum:
        item.indicator = indicator
        fits = f", counting what {unit} counts" if vocab.unit_fits(indicator, unit) else ""
        item.proposed = f"indicator proposed: closest name to the printed '{label}'{fits} ({score:.2f})"
    else:
        # a new indicator is named by its own printed words (a share's, not its count's clause after them)
        own = name_from or label
        name = _strip_fillers(_undated_name(re.sub(r"^\d+|^[.．、]+|[“”\"]", "", own))) or own
        if role == "share" and not any(w in name for w in SHARE_WORDS):
            name += "占比"
        # a share, change or average is named after the count it goes with, when that is a count
        counted = vocab.field_of(related, "kind") in ("", "stock", "flow", "period_count", "amount")
        if role in DERIVED_NAMES and related in vocab.names and counted:
            name = DERIVED_NAMES[role].format(vocab.names[related][0])
        item.new_indicator = name
        item.proposed = f"new indicator proposed (draft indicators.csv row named '{name}')"


def page_region(text: str) -> str:
    """The region of regions.csv whose Chinese name (or name without 市/省/区) the page prints most often."""
    regions = raw.read_csv_text(paths.REGIONS_CSV)
    counts = {}
    for r in regions.itertuples(index=False):
        name = str(r.name_zh)
        short = re.sub(r"(市|省|区|县|自治区)$", "", name.split("市")[-1] or name)
        hits = text.count(name) + (text.count(short) if len(short) >= 2 else 0)
        if hits:
            counts[r.region] = hits
    return max(counts, key=lambda k: (counts[k], k.count(":"))) if counts else ""


# a table row heading that names a place: a county, district, banner, town, township, street or zone
PLACE_NAME = re.compile(r"^[\u4e00-\u9fff]{1,12}(?:区|县|旗|镇|乡|街道|开发区|新区|园区)$")


def place_region(term: str, region: str, vocab: Vocabulary) -> tuple[str, str]:
    """The region a table row's place name (大洼区, 盘山县: a row per place) gives its cells, and a note.

    regions.csv's row whose Chinese name is the place (or alone ends with it) gives its region; a place it
    does not list is drafted inside the source's region under its printed name, to be named in regions.csv.
    ('', '') when the term names no place."""
    name = fold(finder.PINYIN_GLOSS.sub("", term)).strip()
    if not name or not PLACE_NAME.match(name):
        return "", ""
    known = [(str(r.region), fold(str(r.name_zh))) for r in vocab.regions.itertuples(index=False)]
    exact = [r for r, zh in known if zh == name or zh == fold(region) + name]
    ending = [r for r, zh in known if zh.endswith(name)]
    found = exact or (ending if len(ending) == 1 else [])
    if found:
        return found[0], f"region from the row heading {name} (regions.csv)"
    proposed = f"{region}:{name}" if region else name
    return proposed, f"region proposed from the row heading {name}: add a regions.csv row and write its region"


def _term_of(item: Item) -> str:
    """The breakdown value a number's row carries: its printed term, or a part row's term in a table."""
    return item.cell.term if item.cell and item.cell.parent else item.term


def propose_dimensions(kept: list[Item], items: list[Item], vocab: Vocabulary) -> dict[int, tuple[str, str]]:
    """Each part's breakdown dimension and how it was chosen.

    A term figures.csv already files under a dimension keeps it. Otherwise the dimensions breakdowns.csv
    declares for the proposed indicator are used: the parts printed together (one run of a total's parts,
    or a table's part rows under one heading) take one dimension, each run of the same total the next
    declared dimension not yet taken: one naming a type for a run of 类 terms, one the shares' indicator
    also declares for a run printed with shares (占…%). A share or change of a part takes its count's dimension where its
    own indicator declares it (or declares none), else its own indicator's first.
    """
    by_index = {i.index: i for i in items}
    chosen: dict[int, tuple[str, str]] = {}
    runs: dict[tuple, list[Item]] = {}
    for item in kept:
        if not _term_of(item):
            continue
        if item.role == "count" and item.part_of is not None:
            runs.setdefault(("run", item.part_of, item.sentence if item.split >= 0 else -1, item.split), []).append(
                item
            )
        elif item.role == "cell":
            runs.setdefault(("cell", item.cell.parent, item.period, item.indicator), []).append(item)
    taken: dict[tuple, set[str]] = {}
    shares = [i for i in kept if i.role == "share" and i.of is not None]
    share_dims = {d for i in shares for d in vocab.declared_dimensions(i.indicator)}
    for key, parts in runs.items():
        shared = any(i.of in {p.index for p in parts} for i in shares)
        known = next((vocab.dimensions[_term_of(p)] for p in parts if _term_of(p) in vocab.dimensions), "")
        indicator = parts[0].indicator
        owner = (key[0], key[1], indicator)
        declared = vocab.declared_dimensions(indicator)
        # the one dimension the shares printed with these parts declare is theirs too, taken by another run or not
        with_shares = {
            d for i in shares if i.of in {p.index for p in parts} for d in vocab.declared_dimensions(i.indicator)
        }
        if known:
            dimension, how = known, f"breakdown dimension as figures.csv files the term '{_term_of(parts[0])}'"
        elif len(with_shares) == 1 and next(iter(with_shares)) in declared:
            dimension = next(iter(with_shares))
            how = f"breakdown dimension of the shares printed with these parts ({_declared_note(indicator, declared)})"
        elif key[0] == "cell" and len(declared) == 1:
            dimension, how = declared[0], _declared_note(indicator, declared)
        else:
            free = _by_term_kind([d for d in declared if d not in taken.get(owner, set())], parts)
            # parts printed with shares take a dimension the shares' indicator also declares; parts without, one it does not
            free.sort(key=lambda d: (d in share_dims) != shared)
            complete = _run_is_complete(key, parts, by_index)
            if complete is not None:
                # parts that add up to their total fill an exhaustive dimension; parts that do not, a partial one
                free.sort(key=lambda d: (vocab.parts_of(indicator, d) == "exhaustive") != complete)
                if _typed(parts):  # terms ending in 类 name types whether or not they add up: a type dimension
                    free.sort(key=lambda d: not any(w in d for w in TYPE_WORDS))
            if _offices(parts):  # terms naming towns and bureaus (东坪镇, 教育局) name the units that handle
                free.sort(key=lambda d: not any(w in d for w in UNIT_WORDS))
            dimension, how = (free[0], _declared_note(indicator, declared)) if free else ("", "")
            if complete is not None and free and vocab.parts_of(indicator, free[0]):
                how += f"; the parts {'add' if complete else 'do not add'} up to their total"
        taken.setdefault(owner, set()).add(dimension)
        for p in parts:
            chosen[p.index] = (dimension, how)
    for item in kept:
        term = _term_of(item)
        if not term or item.index in chosen:
            continue
        if term in vocab.dimensions:
            chosen[item.index] = (vocab.dimensions[term], f"breakdown dimension as figures.csv files the term '{term}'")
            continue
        declared = vocab.declared_dimensions(item.indicator)
        count = next(
            (c for c in items if c.role == "count" and _term_of(c) == term and c.index in chosen and c is not item),
            None,
        )
        if item.of is not None and item.of in chosen and _term_of(by_index[item.of]) == term:
            count = by_index[item.of]
        inherited = chosen[count.index][0] if count is not None else ""
        tops = [d for d in declared if vocab.parts_of(item.indicator, d) == "top"]
        if inherited and (not declared or inherited in declared):
            chosen[item.index] = (inherited, f"breakdown dimension of the count printed with '{term}'")
        elif item.ranked and tops:
            chosen[item.index] = (tops[0], f"a ranking's name: the top-N dimension {item.indicator} declares")
        elif declared:
            chosen[item.index] = (_by_term_kind(declared, [item])[0], _declared_note(item.indicator, declared))
    return chosen


TYPE_WORDS = ("type", "categor", "class", "kind")


def _run_is_complete(key: tuple, parts: list[Item], by_index: dict[int, Item]) -> bool | None:
    """Whether a total's printed parts add up to it (to the last digit printed), None when that cannot be said."""
    if key[0] != "run" or key[1] not in by_index:
        return None
    total = by_index[key[1]]
    values = [p.number.value for p in parts]
    if total.number.value is None or None in values or total.number.unit != parts[0].number.unit:
        return None
    return abs(sum(values) - total.number.value) < 1e-6


# Endings of the names of offices and places that handle cases (东坪镇, 教育局, 供电公司, 行政服务中心)
OFFICE_ENDINGS = (
    "镇",
    "鎮",
    "乡",
    "鄉",
    "街道",
    "局",
    "委",
    "办",
    "辦",
    "公司",
    "中心",
    "大队",
    "大隊",
    "所",
    "院",
    "站",
)
UNIT_WORDS = ("unit", "department", "office", "agency", "bureau")


def _offices(parts: list[Item]) -> bool:
    """Whether most of a run's terms name offices or towns (东坪镇, 教育局): the units that handle its figures."""
    return len(parts) >= 3 and sum(_term_of(p).endswith(OFFICE_ENDINGS) for p in parts) * 2 > len(parts)


# The kinds of request hotlines classify by, printed without 类 (投诉29486件, 求助20780件, 咨询14938件)
REQUEST_KINDS = frozenset(
    (
        "投诉",
        "投訴",
        "咨询",
        "咨詢",
        "求助",
        "建议",
        "建議",
        "举报",
        "舉報",
        "表扬",
        "表揚",
        "意见",
        "意見",
        "感谢",
        "感謝",
    )
)


def _typed(parts: list[Item]) -> bool:
    """Whether most of a run's terms end in 类 (投诉类, 咨询类) or are the kinds of request (投诉, 求助): types."""
    return sum(_term_of(p).endswith(("类", "類")) or _term_of(p) in REQUEST_KINDS for p in parts) * 2 > len(parts)


def _by_term_kind(dimensions: list[str], parts: list[Item]) -> list[str]:
    """Dimensions ordered for a run of parts: where most terms end in 类 (a type), the dimensions whose slug
    names a type first, a type of what the indicator's slug counts before other types; otherwise those first
    whose slug does not name a type."""
    typed = _typed(parts)
    # among types, one of what the indicator counts first (request_type for hotline_requests_transferred)
    counted = parts[0].indicator.split("_") if parts else []
    return sorted(
        dimensions,
        key=lambda d: (
            any(w in d for w in TYPE_WORDS) != typed,
            not (typed and any(d.split("_")[0] in (w, w.rstrip("s")) for w in counted)),
        ),
    )


def _declared_note(indicator: str, declared: list[str]) -> str:
    """The note on a dimension taken from breakdowns.csv: which ones the indicator declares."""
    if len(declared) == 1:
        return f"breakdown dimension proposed: the one breakdowns.csv declares for {indicator}"
    return f"breakdown dimension proposed from those breakdowns.csv declares for {indicator} ({', '.join(declared)}): check"


def _row_cells(item: Item, items: list[Item]) -> list[Item]:
    """The cells printed on a table cell's row: the cells before and after it with its heading, no gap between."""
    k = items.index(item)
    start = k
    while start > 0 and items[start - 1].role == "cell" and items[start - 1].cell.heading == item.cell.heading:
        start -= 1
    end = k + 1
    while end < len(items) and items[end].role == "cell" and items[end].cell.heading == item.cell.heading:
        end += 1
    return items[start:end]


def _current_cell(item: Item, items: list[Item]) -> Item | None:
    """The cell of the page's own figure (数量, 本期) on a comparison cell's row."""
    return next((c for c in _row_cells(item, items) if not c.cell.column), None)


def _comparison_cells(items: list[Item], vocab: Vocabulary) -> None:
    """A table's change column (环比, 同比) is a change of its row's figure: the indicator declared a `change` of the
    row's indicator (its `of`, with the comparison as `per`), else a new one named after it (城市低保人数环比)."""
    cells = [i for i in items if i.role == "cell"]
    for item in cells:
        if item.cell.column != "change":
            continue
        current = _current_cell(item, cells)
        base = current.indicator if current is not None else ""
        declared = vocab.indicators
        if base and not declared.empty and "of" in declared.columns:
            rows = declared[(declared["of"] == base) & (declared["kind"] == "change")]
            if item.cell.comparison and not rows.empty:
                rows = rows[rows["per"].isin([item.cell.comparison, ""])] if "per" in rows.columns else rows
            if not rows.empty:
                item.indicator, item.new_indicator = str(rows["indicator"].iat[0]), ""
                item.proposed = f"indicator proposed: the change declared of {base}, the row's indicator"
                continue
        named = vocab.names[base][0] if base in vocab.names else (current.new_indicator if current else "")
        word = "同比" if item.cell.comparison == "year" else "环比"
        item.indicator, item.new_indicator = "", f"{named or outline_level(item.cell.heading)[1]}{word}"
        item.proposed = f"new indicator proposed (draft indicators.csv row named '{item.new_indicator}')"


MONEY_UNITS_KIND = "money"
THIS_MONTH = ("当月", "本月", "當月")


def _comparison_periods(kept: list[Item], text: str, vocab: Vocabulary) -> None:
    """A table's periods where it prints the previous report beside its own figures: an amount of money in a
    monthly report (月报) or a row saying 累计 (any count but a stock) runs from the start of the year to the
    month's end (statistical monthly reports give spending to date), except a row saying 当月; a previous column's figure (上期) is the previous period's, one
    of the same length before (上年同期: a year before), itself to date where the row's figure is."""
    kinds = dict(zip(vocab.units["unit"], vocab.units["kind"]))
    monthly = "月报" in text
    for item in kept:
        if item.role != "cell" or item.period is None:
            continue
        period = item.period
        months = _months_of(period)
        if months is None:
            continue
        heading = item.cell.heading
        money = kinds.get(_printed_unit(item)) == MONEY_UNITS_KIND
        counted = "累计" in heading or "累計" in heading  # 累计安置 ... : a count to date too, unless a stock
        stock = vocab.field_of(item.indicator, "kind") == "stock"
        this_month = any(w in heading for w in THIS_MONTH)  # 当月计划支出: the month alone
        to_date = not this_month and ((money and (monthly or counted)) or (counted and not stock))
        if item.cell.column == "previous":
            back = 12 if item.cell.comparison == "year" else months
            end = _months_back(period.end, back)
            start = _months_back(period.start, back) if not to_date else date(end.year, 1, 1)
            word = "上年同期" if back == 12 else "上期"
            period = Period(start, end, word, f"the {word} column: {start.isoformat()} to {end.isoformat()}")
        if to_date and period.start != date(period.end.year, 1, 1):
            start = date(period.end.year, 1, 1)
            period = Period(start, period.end, period.printed, f"{period.resolution}; an amount to date from {start}")
        elif to_date and item.cell.column != "previous":
            period = Period(period.start, period.end, period.printed, f"{period.resolution}; an amount to date")
        item.period = period


def _months_of(period: Period) -> int | None:
    """How many whole calendar months a period covers, None when it is not whole months."""
    if period.start.day != 1 or period.end != _month_end(period.end.year, period.end.month):
        return None
    return (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1


def _months_back(day: date, months: int) -> date:
    """The same place in the month `months` months earlier: a first day stays a first day, a last day a last day."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    if day == _month_end(day.year, day.month):
        return _month_end(year, month)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _change_cell_periods(kept: list[Item]) -> None:
    """A table's change (环比, 同比) has the period of the figure it is a change of, printed on its row."""
    cells = [i for i in kept if i.role == "cell"]
    for item in cells:
        if item.cell.column == "change":
            current = _current_cell(item, cells)
            if current is not None and current.period is not None:
                item.period = current.period


def _stock_periods(kept: list[Item], items: list[Item], vocab: Vocabulary) -> None:
    """A stock (indicators.csv kind) is counted on a date: a printed month or year becomes its last day, and a
    share or a change of a stock takes the date of the stock it is printed with (占总户数1.39% after 110055户)."""
    by_index = {i.index: i for i in items}

    def is_stock(item: Item | None) -> bool:
        return item is not None and vocab.field_of(item.indicator, "kind") == "stock"

    for item in kept:
        period = item.period
        if period is None or period.start == period.end:
            continue
        base = by_index.get(item.of) if item.of is not None else None
        if is_stock(item) or (item.role in ("change", "share") and is_stock(base)):
            item.period = Period(
                period.end,
                period.end,
                period.printed,
                f"{period.resolution}; a stock, taken on the last day",
            )


COUNTED_KINDS = ("flow", "amount")


def _counted_to_date(kept: list[Item], vocab: Vocabulary) -> None:
    """A flow or an amount told as of a date (截至5月底, 支出低保资金627.7亿元) is counted up to it: from the start
    printed before (自…, …起) or else from its year's first day, the way year-to-date bulletins count."""
    for item in kept:
        period = item.period
        begun = period.counted_from if period is not None else None
        if begun is None or period.start != period.end or begun >= period.end:
            continue
        if vocab.field_of(item.indicator, "kind") not in COUNTED_KINDS:
            continue
        how = f"{period.resolution}; a {vocab.field_of(item.indicator, 'kind')} counted to it from {begun}"
        item.period = Period(begun, period.end, period.printed, how)


def _last_day_printed(period: Period) -> bool:
    """Whether a period's printed words name its last day (8月31日, 2021年8月31日, 8.31 is not read)."""
    end = period.end
    return bool(re.search(rf"(?<!\d){end.month}月{end.day}日", period.printed))


def _until_published(kept: list[Item], vocab: Vocabulary, source: Source) -> None:
    """A page reports nothing after the day it was published: a printed period that runs past a publication day
    (2012年元旦春节 in a page of 17 January 2012) ends on it, and a stock dated after it (a month's last day) is
    taken on it. A rule (a plan, a target) may look ahead and keeps it,
    and so does a period whose last day is printed (7月1日-8月31日 on a page dated 11 August): the page says
    what it covers, and it is the publication date that is in doubt (noted)."""
    text = source.publication_date
    if len(text) != 10:
        return
    day = publication_bounds(text)[1]
    for item in kept:
        period = item.period
        kind = vocab.field_of(item.indicator, "kind")
        if period is not None and period.start == period.end > day and not _last_day_printed(period) and kind != "rule":
            # a stock taken on the last day of a month the page was told in the middle of (2025年10月份全县共有…
            # on 15 October): counted on the publication day, not on a day still to come
            how = f"{period.resolution}; after the publication date: on it"
            item.period = Period(day, day, period.printed, how)
            continue
        if period is None or not period.start <= day < period.end or vocab.field_of(item.indicator, "kind") == "rule":
            continue
        if _last_day_printed(period):
            how = f"{period.resolution}; ends after the publication date {text}: check it"
            item.period = Period(period.start, period.end, period.printed, how)
            continue
        item.period = Period(period.start, day, period.printed, f"{period.resolution}; up to the publication date")


# A survey's or a monitoring's fieldwork printed with its span of days or months (于2024年4-6月…进行监测)
FIELDWORK_WORDS = ("调查", "調查", "测评", "測評", "监测", "監測", "问卷", "問卷", "暗访", "暗訪")
YEAR_WORDS = ("本年", "今年")


def _survey_periods(kept: list[Item], text: str, dates: list[DateWords]) -> None:
    """A survey's results are those of its fieldwork: on a page that prints the span a survey or monitoring ran
    (查询自8月22日起至9月8日…测评; 于2024年4-6月…进行监测), a figure dated only by that span's year (2016年,
    本年; a report named after its year) takes the span. A figure of another year (去年) keeps its own."""
    span = None
    for words in dates:
        period = words.period
        if words.baseline or period is None or not 1 <= (period.end - period.start).days < 200:
            continue
        begin = max((k for k in range(words.start) if text[k] in SENTENCE_END), default=-1)
        end = next((k for k in range(words.end, len(text)) if text[k] in SENTENCE_END), len(text))
        if any(w in text[begin + 1 : end] for w in FIELDWORK_WORDS):
            span = period
            break
    if span is None:
        return
    year = span.start.year
    for item in kept:
        period = item.period
        if period is None or period == span or not period.start.year == period.end.year == year:
            continue
        whole = _whole_year(period, year)
        # the year up to the publication day (102年度 on a page of 28 May): the year, cut short, so the year's only
        to_date = period.start == date(year, 1, 1) and span.end <= period.end < date(year, 12, 31)
        to_date = to_date and "年" in period.printed
        year_end = period.start == period.end == date(year, 12, 31) and any(w in period.printed for w in YEAR_WORDS)
        if whole or year_end or to_date:
            how = f"{period.resolution}; the survey's fieldwork, {span.start} to {span.end}"
            item.period = Period(span.start, span.end, period.printed, how)


# 'in the last few days', 'a few days ago', 'just released' (最新出爐的調查): a news item's event just before publication
RECENTLY = ("近日", "日前", "最新出炉", "最新出爐", "最新公布", "最新發布", "最新发布")


def _recent_survey(kept: list[Item], text: str, published: tuple[date, date] | None, vocab: Vocabulary) -> None:
    """A survey told as just done (近日…开展了…民意调查) with no fieldwork dates printed: its results are those of the
    publication's month. A figure after 近日 that no date words date (the publication day) or that only the
    publication's year dates (2011年是…关键一年) takes that month; a rule (a standard, a sample fraction) keeps the
    publication day, and a page that prints a survey's span (_survey_periods) is left as it is."""
    if published is None or published[0] != published[1]:
        return
    told = next((m for m in re.finditer("|".join(RECENTLY), text)), None)
    if told is None:
        return
    begin = max((k for k in range(told.start()) if text[k] in SENTENCE_END), default=-1)
    end = next((k for k in range(told.end(), len(text)) if text[k] in SENTENCE_END), len(text))
    if not any(w in text[begin + 1 : end] for w in FIELDWORK_WORDS):
        return
    day = published[1]
    month = Period(
        date(day.year, day.month, 1),
        _month_end(day.year, day.month),
        told.group(),
        f"{told.group()}: a survey told as just done, no fieldwork dates printed; the publication's month",
    )
    for item in kept:
        period = item.period
        if period is None or item.number.start < told.end() or vocab.field_of(item.indicator, "kind") == "rule":
            continue
        undated = period.printed == "" and period.start == period.end == day
        if undated or _whole_year(period, day.year) or (period.start == date(day.year, 1, 1) and period.end == day):
            item.period = month
    by_index = {i.index: i for i in kept}
    for item in kept:  # a headline's rounded figure keeps the period of the exact one it prints again
        if item.rounded_of in by_index and item.number.start < told.end():
            item.period = by_index[item.rounded_of].period


def _row(
    item: Item,
    ids: dict[int, str],
    source: Source,
    region: str,
    vocab: Vocabulary,
    dimensions: dict[int, tuple[str, str]],
) -> dict[str, str]:
    """The whole draft row for one number (`dimensions`: each part's proposed dimension and how)."""
    n = item.number
    row = finder.draft_row(n, source.source_id)
    unit = item.cell.unit if item.cell and item.cell.unit and not n.unit else n.unit or item.unit_again
    notes = [item.proposed] if item.proposed else []
    if unit and unit not in set(vocab.units["unit"]):
        notes.append(f"unit {unit!r} is not in units.csv: add a units.csv row")
    elif not unit:
        notes.append("no unit printed after the number")
    if n.broken:
        notes.append(f"a line break runs {n.broken} into this number: check whether one number was printed across it")
    term = item.term
    if item.cell and item.cell.parent:
        term = item.cell.term
    dimension, how = dimensions.get(item.index, ("", ""))
    if item.cell is not None and item.cell.place:
        term = term or item.cell.heading
    place, said = place_region(term, region, vocab) if item.cell is not None and not item.cell.totalled else ("", "")
    if place:  # a table of places and no total row: each row is its place's own figure, not a part of a breakdown
        region, term, dimension, how = place, "", "", ""
        notes.append(said)
    if term and not dimension:
        notes.append("name the breakdown dimension")
    elif how:
        notes.append(how)
    period = item.period
    row.update(
        figure_id=ids[item.index],
        topic=vocab.topic_of(item.indicator),
        region=region,
        indicator=item.indicator,
        breakdown_dimension=dimension,
        breakdown_value=term,
        period_start=period.start.isoformat() if period else "",
        period_end=period.end.isoformat() if period else "",
        period_as_printed=period.printed if period else "",
        period_resolution=period.resolution if period else "no period printed and no publication date given",
        value=item.sign + row["value"] if row["value"] else "",
        unit=unit,
        note="; ".join(notes),
    )
    return row


def _plain_value(item: Item, units: pd.DataFrame) -> float | None:
    """A number in plain units (万 multiplied out), None when unreadable."""
    if item.number.value is None:
        return None
    multiplier = dict(zip(units["unit"], units["multiplier"])).get(item.number.unit, "1")
    return item.number.value * float(multiplier)


def _relations(
    kept: list[Item], items: list[Item], ids: dict[int, str], vocab: Vocabulary, text: str = ""
) -> list[dict[str, str]]:
    """relations.csv rows for the totals and parts, shares, per-day averages, changes and rates with their n."""
    rows: list[dict[str, str]] = []
    by_index = {i.index: i for i in items}
    keep = {i.index for i in kept}

    def add(kind: str, result: Item, operands: list[Item], note: str) -> None:
        if result.index in keep and all(o.index in keep for o in operands):
            relation_id = f"{ids[result.index]}_{kind}"
            taken = sum(r["relation_id"].startswith(relation_id) for r in rows)
            rows.append(
                {
                    "relation_id": relation_id + (f"_{taken + 1}" if taken else ""),
                    "kind": kind,
                    "result": ids[result.index],
                    "operands": " ".join(ids[o.index] for o in operands),
                    "note": note,
                }
            )

    parts_of: dict[tuple[int, ...], list[Item]] = {
        key: [p for p in parts if p.index in keep] for key, parts in part_runs(items).items()
    }
    cells = [i for i in kept if i.role == "cell"]
    for item in cells:
        if item.cell.column == "change":
            continue  # changes of parts do not add up to the change of their total
        # a part of the row above, or a sub-item within it (a total of its own name): with the cell of the
        # same column printed on that row
        above = item.cell.parent or item.cell.within
        if not above:
            continue
        parent = next(
            (
                p
                for p in reversed(cells[: cells.index(item)])
                if p.cell.heading == above and p.cell.column == item.cell.column and p.period == item.period
            ),
            None,
        )
        if parent is not None:
            parts_of.setdefault((parent.index, -2 if item.cell.within else -1), []).append(item)
    for k, item in enumerate(cells):
        if item.cell.row_sum == "total":
            parts = []
            for after in cells[k + 1 :]:
                if after.cell.row_sum != "part":
                    break
                parts.append(after)
            add("sum", item, parts, "a table row's first number is the sum of its others, as in every row of its table")
    for item in cells:
        if item.cell.column == "change":
            row = [c for c in _row_cells(item, cells) if c is not item]
            current = next((c for c in row if not c.cell.column), None)
            previous = next((c for c in row if c.cell.column == "previous"), None)
            if current is not None:
                operands = [current] + ([previous] if previous is not None else [])
                add("change", item, operands, "a table's change column with its row's figures")

    def adds_up(total: Item, parts: list[Item]) -> bool:
        values = [_plain_value(p, vocab.units) for p in parts]
        whole = _plain_value(total, vocab.units)
        return (
            None not in values
            and whole is not None
            and abs(sum(values) - whole) <= 0.5 * _last_digit(total, vocab.units)
        )

    def table_rows(total: Item, parts: list[Item]) -> tuple | None:
        """A table's total and parts by their headings (the same rows in another column), None off a table."""
        if total.role != "cell" or any(p.role != "cell" for p in parts):
            return None
        return (total.cell.heading, tuple(p.cell.heading for p in parts))

    # rows that add up in one column of a table are a breakdown in every column (the audit shows where one fails)
    exhaustive = {
        table_rows(by_index[t], parts)
        for (t, *_run), parts in parts_of.items()
        if parts and len(parts) > 1 and adds_up(by_index[t], parts)
    } - {None}
    for (total_index, *_run), parts in parts_of.items():
        if not parts:
            continue
        total = by_index[total_index]
        whole_rows = adds_up(total, parts) or table_rows(total, parts) in exhaustive
        kind = "sum" if whole_rows and len(parts) > 1 else "part_of"
        add(kind, total, parts, "parts printed with their total" + (" (they add up)" if kind == "sum" else ""))
    for item in kept:
        base = by_index.get(item.of) if item.of is not None else None
        pair = _compared_pair(item, kept, text, vocab.units) if text else None
        if pair is not None:
            add("change", item, list(pair), "a printed change between the figure before 比/较 and its baseline figure")
        elif item.role == "share" and base is not None and base.part_of is not None:
            add("share", item, [base, by_index[base.part_of]], "a printed share with its count and total")
        elif item.role == "per_day" and base is not None:
            add("per_day", item, [base], "a per-day average printed with its volume")
        elif item.role == "per_day" and (volume := _volume_of(item, kept, vocab.units)) is not None:
            add(
                "per_day",
                item,
                [volume],
                "a per-day average whose period's days times it give a count printed after it",
            )
        elif item.role == "change" and base is not None:
            add("change", item, [base], "a printed change beside the figure it is a change of")
        elif item.role == "change" and item.term:
            match = next((p for p in kept if p.role == "count" and p.term == item.term), None)
            if match is not None:
                add("change", item, [match], "a printed change of the part with the same term")
        elif (
            item.role == "rate"
            and base is not None
            and base.indicator
            and vocab.field_of(item.indicator, "of") == base.indicator
            and vocab.field_of(item.indicator, "reading") == "estimate"
            and _nested(item.period, base.period)
        ):
            # 工单534件、满意率92%: a satisfaction rate among those who rated, declared `of` the tickets beside it:
            # the tickets hold its cases (they are neither its numerator nor, all of them, its n)
            add("part_of", base, [item], "an estimated rate beside the count it is of, which holds its cases")
        elif item.role == "rate" and (named := _named_share(item, kept, by_index, vocab.units)) is not None:
            add("share", item, list(named), "a printed rate named after a part of the total it is that part's share of")
        elif item.role == "rate" and base is not None and base.number.unit != "%":
            whole = _whole_of(item, base, kept, vocab.units)
            if whole is not None:
                add("share", item, [base, whole], "a printed rate that is its count over an earlier total")
            elif base.number.qualifier != "exact":
                # 近90万件 … 办结率99.63%: a count that is not exact is no n, but the flow holds the rate's cases
                add("part_of", base, [item], "a rate printed beside an approximate count, which holds its cases")
            elif _nested(item.period, base.period):  # a rate of another period (上半年的98.12%) is not of this count
                add("base", item, [base], "a printed count beside the rate (its n, to check)")
    survey = next((i for i in kept if _counts_responses(i)), None)
    for item in kept if survey is not None else []:
        if item.index > survey.index and item.number.unit == "%" and item.role in ("rate", "share") and item.of is None:
            add("base", item, [survey], "a percentage of a survey's answers after the count of its answers (its n)")
    for total, parts in _parts_before_total(kept, vocab.units):
        add("sum", total, parts, "counts printed before the count in their unit that is their sum")
    for later, earlier in _printed_again(kept):
        add("sum", later, [earlier], "the same figure printed again")
    for item in kept:
        if item.again_of is not None:
            add("sum", by_index[item.again_of], [item], "the figure printed again in the page's English abstract")
    for item in kept:
        if item.rounded_of is not None and item.rounded_of in keep:
            add("sum", item, [by_index[item.rounded_of]], "a round number printed before the exact figure it rounds")
    return rows


SURVEY_WORDS = ("样本", "问卷", "答卷", "受访")


def _counts_responses(item: Item) -> bool:
    """Whether a count is a survey's number of answers (收到有效样本77份, 回收问卷500份, 受访者1200人)."""
    words = fold(_strip_fillers(item.clause))
    return item.role == "count" and item.number.unit != "%" and any(w in words for w in SURVEY_WORDS)


POINTS_UNITS = ("个百分点", "個百分點", "百分点", "百分點")


def _compared_pair(item: Item, kept: list[Item], text: str, units: pd.DataFrame) -> tuple[Item, Item] | None:
    """The figure and its baseline a printed change is between, when the clause prints both and they give it
    (日均3313.4个,比今年上半年日均量2135.36个增长了55.17%: 3313.4 / 2135.36 − 1; 98.78%,比…98.12%高出0.66个百分点);
    None otherwise."""
    points = text[item.number.end :].startswith(POINTS_UNITS)  # 0.66个百分点, whether units.csv lists it or not
    if item.number.value is None or item.cell is not None or (item.number.unit != "%" and not points):
        return None
    begin = max((k for k in range(item.number.start) if text[k] in "。；;"), default=-1) + 1
    compared = max((k for k in range(begin, item.number.start) if text[k] in "较較比"), default=None)
    if compared is None:
        return None
    after = [k for k in kept if compared < k.number.start < item.number.start]
    before = [k for k in kept if begin <= k.number.start < compared]
    if not after or not before:
        return None
    baseline = after[-1]
    figure = next((k for k in reversed(before) if k.number.unit == baseline.number.unit), None)

    def level(k: Item | None) -> float | None:  # a rate in its printed points, a count in plain units
        return None if k is None else k.number.value if k.number.unit == "%" else _plain_value(k, units)

    a, b = level(figure), level(baseline)
    if a is None or b is None or b == 0:
        return None
    change = (a - b) if points else 100 * (a - b) / b
    if points and baseline.number.unit != "%":
        return None
    printed = item.number.printed.replace(",", "")
    step = 10.0 ** -(len(printed.split(".")[1]) if "." in printed else 0)  # its last printed digit, in points
    tolerance = 0.5 * step + (0.01 if points else 0.0)
    return (figure, baseline) if abs(abs(change) - item.number.value) <= tolerance else None


def _volume_of(average: Item, kept: list[Item], units: pd.DataFrame) -> Item | None:
    """The count printed after a per-day average, in its measure and period, that the period's days times the
    average give to the average's last printed digit (日均3313.4个 … 这五天的话务总量为16567个: 5 × 3313.4); None if none."""
    value, period = _plain_value(average, units), average.period
    if value is None or period is None:
        return None
    days = (period.end - period.start).days + 1
    for count in kept:
        whole = _plain_value(count, units)
        dated = count.period is not None and (count.period.start, count.period.end) == (period.start, period.end)
        if count.index <= average.index or count.role != "count" or whole is None or not dated:
            continue
        if _same_measure(count, average) and abs(whole - value * days) <= 0.5 * days * _last_digit(average, units):
            return count
    return None


def _whole_of(rate: Item, count: Item, kept: list[Item], units: pd.DataFrame) -> Item | None:
    """The earlier total in the count's unit that the rate is the count's share of (综合办结数为11163件,综合办结率达
    99.93% after 有效工单11171件: 11163 / 11171), to the rate's last printed digit; None when none reproduces it."""
    part = _plain_value(count, units)
    if part is None or rate.number.value is None:
        return None
    for whole in reversed([k for k in kept if k.index < count.index and k.role == "count" and _same_measure(k, count)]):
        value = _plain_value(whole, units)
        if value and part < value and abs(100 * part / value - rate.number.value) <= 50 * _last_digit(rate, units):
            return whole
    return None


def _named_share(
    rate: Item, kept: list[Item], by_index: dict[int, Item], units: pd.DataFrame
) -> tuple[Item, Item] | None:
    """The part and total a rate is the share of, when its sentence prints them before it and the rate is named
    after the part (受理3136宗,办结2477宗,在办659宗,办结率78.98%: 办结 / 受理 = 2477 / 3136), to its last printed digit
    rounded or cut;
    None otherwise (a rate named after no count of its sentence, or one the arithmetic does not give)."""
    words = fold(_strip_fillers(rate.clause))
    stem = words[:-1] if words.endswith("率") else ""
    if len(stem) < 2 or rate.number.value is None:
        return None
    for part in reversed([k for k in kept if k.index < rate.index and k.sentence == rate.sentence]):
        if part.role != "count" or part.part_of is None or stem not in fold(part.clause):
            continue
        whole = by_index.get(part.part_of)
        a, b = _plain_value(part, units), _plain_value(whole, units) if whole is not None else None
        # within one unit of the last printed digit: rounded or cut (2477 / 3136 = 78.986%, printed 78.98%)
        if a is not None and b and abs(100 * a / b - rate.number.value) <= 100 * _last_digit(rate, units):
            return part, whole
    return None


def _printed_again(kept: list[Item]) -> list[tuple[Item, Item]]:
    """Pairs (later, earlier) of one figure printed twice: the same value, unit, indicator, part and period."""
    pairs, seen = [], {}
    for item in kept:
        if item.number.value is None or not item.indicator:
            continue
        key = (item.number.value, item.number.unit, item.indicator, _term_of(item), item.sign)
        # the same period, or one printing dated inside the other's (近3个月 … 目前: the words of one sentence
        # dating the figure, those of the next only the day it is told)
        # (two printings in one sentence are two figures: 当日100%转办、当日100%回访)
        earlier = next(
            (e for e in reversed(seen.get(key, [])) if _nested(e.period, item.period) and e.sentence != item.sentence),
            None,
        )
        if earlier is not None:
            pairs.append((item, earlier))
        seen.setdefault(key, []).append(item)
    return pairs


def _nested(a: Period | None, b: Period | None) -> bool:
    """Whether one period lies inside the other (equal ones too); two undated figures are nested."""
    if a is None or b is None:
        return a is None and b is None
    return (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end)


def _last_digit(item: Item, units: pd.DataFrame) -> float:
    """The size of one unit of the last printed digit, in plain units (1 for 12, 100 for 1.18万)."""
    printed = item.number.printed.replace(",", "")
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    multiplier = float(dict(zip(units["unit"], units["multiplier"])).get(item.number.unit, "1"))
    return 10 ** (-decimals) * multiplier


# ---------------------------------------------------------------- output

RELATION_COLUMNS = ("relation_id", "kind", "result", "operands", "note")
INDICATOR_COLUMNS = ("indicator", "name_en", "name_zh", "kind", "counts")
EXCLUSION_COLUMNS = ("source_id", "locator", "reason")


def csv_text(columns: tuple[str, ...], rows: list[dict[str, str]]) -> str:
    """Rows as CSV text with a header."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def draft_files(page: PageDrafts) -> dict[str, str]:
    """The drafts as the text of the four files they would be pasted into, keyed by that file's name."""
    return {
        "figures.csv": csv_text(finder.FIGURE_COLUMNS, [d.row for d in page.drafts]),
        "relations.csv": csv_text(RELATION_COLUMNS, page.relations),
        "indicators.csv": csv_text(INDICATOR_COLUMNS, page.indicators),
        "exclusions.csv": csv_text(EXCLUSION_COLUMNS, page.exclusions),
    }


def resolve_source(source_id: str, published: str = "", region: str = "") -> Source:
    """The page's Source: the arguments given, else its sources.csv publication date and its figures' region."""
    if not published:
        sources = raw.read_csv_text(paths.SOURCES_CSV)
        row = sources[sources["source_id"] == source_id]
        published = str(row["publication_date"].iat[0]) if not row.empty else ""
    if not region:
        figures = raw.read_csv_text(paths.FIGURES_CSV)
        mine = figures.loc[figures["source_id"] == source_id, "region"]
        region = str(mine.mode().iat[0]) if not mine.empty else ""
    return Source(source_id, published, region)

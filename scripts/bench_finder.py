"""Measure the figure finder's draft rows against rows entered by hand (issue 28).

    python scripts/bench_finder.py PAGES_DIR HAND_DIR [--no-hand-indicators] [--per-page]

PAGES_DIR holds plain-text pages (`*.txt`). HAND_DIR holds, for each page `X.txt`, the figures.csv
rows a researcher entered by hand from it (`X.csv`, figures.csv's columns), a `sources.csv` with
columns `page,source_id,publication_date,region` (what the researcher's sources.csv row would say),
and optionally an `indicators.csv` (indicator,name_en,name_zh[,kind]) with the new indicators entered for
those pages and a `breakdowns.csv` (indicator,breakdown_dimension,parts) with their breakdowns, which the
finder may propose as a researcher who had entered them would see them.
Neither folder belongs in the repository: the pages are article text, kept in a scratch folder.

A hand-entered figure is *found* when a draft's number lies inside an occurrence of the row's
locator and has the same magnitude. For the found ones, each field (value, unit, qualifier,
period_start, period_end, region, indicator, breakdown = dimension and value together) is right
when the draft's text equals the hand-entered text. Prints one table, per page with --per-page;
--misses also lists each wrong field (page, locator, field, hand-entered text, drafted text).
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.evidence import drafting, finder, raw

FIELDS = ("value", "unit", "qualifier", "period_start", "period_end", "region", "indicator", "breakdown")
# Shown after the measured fields: the breakdown's printed part alone (its dimension is an English name
# the page does not print), and the topic.
EXTRA = ("breakdown_value", "topic")
COLUMNS = FIELDS + EXTRA


def field_text(row: dict[str, str], name: str) -> str:
    """A row's text for one measured field; breakdown joins dimension and value."""
    if name == "breakdown":
        return f"{row.get('breakdown_dimension', '')}={row.get('breakdown_value', '')}"
    return str(row.get(name, "") or "")


@dataclass
class Score:
    """Counts for one page or for all of them."""

    hand: int = 0
    found: int = 0
    drafts: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))
    misses: list[tuple[str, str, str, str]] = field(default_factory=list)  # locator, field, hand, draft

    def add(self, other: Score) -> None:
        """Add another page's counts to these."""
        self.hand += other.hand
        self.found += other.found
        self.drafts += other.drafts
        self.misses += other.misses
        for name in COLUMNS:
            self.right[name] += other.right[name]

    def cells(self) -> list[str]:
        """found share, then each field's share of the found drafts that are right."""
        share = [f"{self.found}/{self.hand} ({_pct(self.found, self.hand)})"]
        return share + [_pct(self.right[name], self.found) for name in COLUMNS]


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def magnitude(text: str) -> float | None:
    """The absolute numeric value of a figures.csv value or a draft's value (thousands commas dropped,
    as a hand-entered value may print them), None when it is not a number."""
    try:
        return abs(float(text.replace(",", "")))
    except (TypeError, ValueError):
        return None


def score_page(text: str, drafts: list[tuple[int, int, dict[str, str]]], hand: list[dict[str, str]]) -> Score:
    """Pair each hand row with the first unused draft inside its locator with the same magnitude."""
    flat = finder.normalise(text)
    score = Score(hand=len(hand), drafts=len(drafts))
    used: set[int] = set()
    for row in hand:
        locator = finder.normalise(row["locator"])
        spans = [(o, o + len(locator)) for o in finder.occurrences(flat, locator)]
        want = magnitude(row["value"])
        for i, (start, end, draft) in enumerate(drafts):
            inside = any(a <= start and end <= b for a, b in spans)
            if i in used or not inside or magnitude(draft["value"]) != want:
                continue
            used.add(i)
            score.found += 1
            for name in COLUMNS:
                same = field_text(draft, name) == field_text(row, name)
                score.right[name] += same
                if not same and name in FIELDS:
                    score.misses.append((row["locator"], name, field_text(row, name), field_text(draft, name)))
            break
        else:
            score.misses.append((row["locator"], "found", row["value"], ""))
    return score


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file as dicts of text."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def main(argv: list[str] | None = None) -> int:
    """Print the field-by-field table for a folder of pages and their hand-entered rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path, help="folder of plain-text pages (*.txt)")
    parser.add_argument("hand", type=Path, help="folder of hand-entered rows (X.csv per page, sources.csv)")
    parser.add_argument("--no-hand-indicators", action="store_true", help="ignore HAND/indicators.csv")
    parser.add_argument("--per-page", action="store_true", help="one line per page as well as the total")
    parser.add_argument("--misses", action="store_true", help="list every hand-entered field the drafts miss")
    args = parser.parse_args(argv)
    sources = {r["page"]: r for r in read_rows(args.hand / "sources.csv")}
    extra = args.hand / "indicators.csv"
    indicators = raw.read_csv_text(paths.INDICATORS_CSV)
    if extra.is_file() and not args.no_hand_indicators:
        indicators = pd.concat([indicators, raw.read_csv_text(extra)], ignore_index=True).fillna("")
    extra_parts = args.hand / "breakdowns.csv"
    breakdowns = raw.read_csv_text(paths.RAW / "breakdowns.csv")
    if extra_parts.is_file() and not args.no_hand_indicators:
        breakdowns = pd.concat([breakdowns, raw.read_csv_text(extra_parts)], ignore_index=True).fillna("")
    total = Score()
    lines, misses = [], []
    for page in sorted(args.pages.glob("*.txt")):
        if page.name not in sources:
            print(f"bench_finder: {page.name} has no row in {args.hand / 'sources.csv'}", file=sys.stderr)
            return 2
        meta = sources[page.name]
        text = page.read_text(encoding="utf-8")
        source = drafting.Source(meta["source_id"], meta["publication_date"], meta["region"])
        vocab = drafting.vocabulary(indicators, breakdowns=breakdowns)
        drafts = [(d.number.start, d.number.end, d.row) for d in drafting.draft_all(text, source, vocab).drafts]
        score = score_page(text, drafts, read_rows(args.hand / page.with_suffix(".csv").name))
        misses += [(page.stem, *m) for m in score.misses]
        total.add(score)
        lines.append([page.stem, *score.cells()])
    header = ["page", "found", *FIELDS, *(f"({name})" for name in EXTRA)]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for line in lines if args.per_page else []:
        print("| " + " | ".join(line) + " |")
    print("| " + " | ".join(["all", *total.cells()]) + " |")
    print(f"drafts: {total.drafts}; not matched to a hand-entered row: {total.drafts - total.found}")
    for miss in misses if args.misses else []:
        print(" | ".join(miss))
    return 0


if __name__ == "__main__":
    sys.exit(main())

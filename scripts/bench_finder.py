"""Measure the figure finder's draft rows against rows entered by hand (issue 28).

    python scripts/bench_finder.py PAGES_DIR HAND_DIR [--no-hand-indicators] [--per-page] [--misses]

PAGES_DIR holds plain-text pages (`*.txt`). HAND_DIR holds, for each page `X.txt`, the figures.csv
rows a researcher entered by hand from it (`X.csv`, figures.csv's columns), a `sources.csv` with
columns `page,source_id,publication_date,region` (what the researcher's sources.csv row would say),
and optionally an `indicators.csv` (indicator,name_en,name_zh[,kind]) with the new indicators entered for
those pages and a `breakdowns.csv` (indicator,breakdown_dimension,parts) with their breakdowns, which the
finder may propose as a researcher who had entered them would see them, and a `units.csv` (units.csv's
columns) with the units those pages print that units.csv lacks (通, 封 ...), and a `regions.csv` (regions.csv's
columns) with the regions entered for those pages that regions.csv lacks (a table's districts); a unit the hand rows use that
neither file lists is read as a count in its 万/亿 multiple, and named on standard error. For a page `X.txt`,
`X.relations.csv` (relations.csv's columns, result and operands naming figure_ids of `X.csv`) holds the
relations entered by hand; optional.
Neither folder belongs in the repository: the pages are article text, kept in a scratch folder.

A hand-entered figure is *found* when a draft's number lies inside an occurrence of the row's
locator and has the same magnitude. For the found ones, each field (value, unit, qualifier,
period_start, period_end, region, indicator, breakdown = dimension and value together) is right
when the draft's text equals the hand-entered text. A hand-entered relation is right when a drafted one has
its kind, the draft of its result as result and the drafts of its operands as operands (in any order; a
`sum` of one operand, one figure printed twice, either way round).
Prints one table, per page with --per-page;
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
    pairs: dict[str, str] = field(default_factory=dict)  # hand figure_id -> the draft's figure_id
    relations: int = 0  # hand-entered relations
    relations_right: int = 0

    def add(self, other: Score) -> None:
        """Add another page's counts to these."""
        self.hand += other.hand
        self.found += other.found
        self.drafts += other.drafts
        self.misses += other.misses
        self.relations += other.relations
        self.relations_right += other.relations_right
        for name in COLUMNS:
            self.right[name] += other.right[name]

    def cells(self) -> list[str]:
        """found share, then each field's share of the found drafts that are right."""
        share = [f"{self.found}/{self.hand} ({_pct(self.found, self.hand)})"]
        relations = f"{self.relations_right}/{self.relations} ({_pct(self.relations_right, self.relations)})"
        return (
            share
            + [_pct(self.right[name], self.found) for name in FIELDS]
            + [relations]
            + [_pct(self.right[name], self.found) for name in EXTRA]
        )


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
            score.pairs[row["figure_id"]] = draft.get("figure_id", "")
            for name in COLUMNS:
                same = field_text(draft, name) == field_text(row, name)
                score.right[name] += same
                if not same and name in FIELDS:
                    score.misses.append((row["locator"], name, field_text(row, name), field_text(draft, name)))
            break
        else:
            score.misses.append((row["locator"], "found", row["value"], ""))
    return score


def score_relations(score: Score, hand: list[dict[str, str]], drafted: list[dict[str, str]]) -> None:
    """Count the hand-entered relations a drafted relation states: same kind, the result's draft as result and
    the operands' drafts as operands (a set); a miss is listed with the relation's id."""
    said = {(r["kind"], r["result"], frozenset(r["operands"].split())) for r in drafted}
    # a sum with one operand (one figure printed twice) says the same whichever printing is its result
    said |= {(k, next(iter(o)), frozenset([r])) for k, r, o in said if k == "sum" and len(o) == 1}
    for row in hand:
        score.relations += 1
        result = score.pairs.get(row["result"], "")
        operands = frozenset(score.pairs.get(o, "?" + o) for o in row["operands"].split())
        if (row["kind"], result, operands) in said:
            score.relations_right += 1
        else:
            near = next((f"{k} {r} {' '.join(sorted(o))}" for k, r, o in said if r == result and result), "")
            score.misses.append((row["relation_id"], "relation", f"{row['kind']} {row['operands']}", near))


def hand_units(hand: Path, rows: list[dict[str, str]]) -> pd.DataFrame:
    """units.csv with HAND/units.csv's rows, and any unit the hand rows use that neither lists read as a count
    in the multiple its 万/亿 prefix says (named on standard error, so the researcher adds it to HAND/units.csv)."""
    units = raw.load_units()
    extra = hand / "units.csv"
    if extra.is_file():
        units = pd.concat([units, raw.read_csv_text(extra)], ignore_index=True).drop_duplicates("unit")
    missing = sorted({r["unit"] for r in rows if r.get("unit")} - set(units["unit"]))
    if missing:
        print(f"bench_finder: units not in units.csv or {extra}, read as counts: {' '.join(missing)}", file=sys.stderr)
        prefix = {"万": "10000", "萬": "10000", "亿": "100000000", "億": "100000000"}
        guessed = [
            {"unit": u, "multiplier": prefix.get(u[0], "1") if len(u) > 1 else "1", "kind": "count", "unit_en": ""}
            for u in missing
        ]
        units = pd.concat([units, pd.DataFrame(guessed).astype(units.dtypes.to_dict())], ignore_index=True)
    return units.fillna("")


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file as dicts of text."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def main(argv: list[str] | None = None) -> int:
    """Print the field-by-field table for a folder of pages and their hand-entered rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path, help="folder of plain-text pages (*.txt)")
    parser.add_argument("hand", type=Path, help="folder of hand-entered rows (X.csv per page, sources.csv)")
    parser.add_argument(
        "--no-hand-indicators", action="store_true", help="ignore HAND/indicators.csv, breakdowns.csv, regions.csv"
    )
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
    regions = raw.read_csv_text(paths.REGIONS_CSV)
    extra_regions = args.hand / "regions.csv"
    if extra_regions.is_file() and not args.no_hand_indicators:
        regions = pd.concat([regions, raw.read_csv_text(extra_regions)], ignore_index=True).fillna("")
    total = Score()
    lines, misses = [], []
    pages = sorted(args.pages.glob("*.txt"))
    hand_rows = {p.name: read_rows(args.hand / p.with_suffix(".csv").name) for p in pages if p.name in sources}
    units = hand_units(args.hand, [r for rows in hand_rows.values() for r in rows])
    vocab = drafting.vocabulary(indicators, breakdowns=breakdowns, units=units, regions=regions)
    for page in pages:
        if page.name not in sources:
            print(f"bench_finder: {page.name} has no row in {args.hand / 'sources.csv'}", file=sys.stderr)
            return 2
        meta = sources[page.name]
        text = page.read_text(encoding="utf-8")
        source = drafting.Source(meta["source_id"], meta["publication_date"], meta["region"])
        drafted = drafting.draft_all(text, source, vocab)
        drafts = [(d.number.start, d.number.end, d.row) for d in drafted.drafts]
        score = score_page(text, drafts, hand_rows[page.name])
        relations = args.hand / f"{page.stem}.relations.csv"
        if relations.is_file():
            score_relations(score, read_rows(relations), drafted.relations)
        misses += [(page.stem, *m) for m in score.misses]
        total.add(score)
        lines.append([page.stem, *score.cells()])
    header = ["page", "found", *FIELDS, "relations", *(f"({name})" for name in EXTRA)]
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

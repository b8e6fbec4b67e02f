"""The figure finder's command line: draft rows for one page, or the ledger table for several (make figures-todo)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis import paths
from analysis.evidence import drafting, raw
from analysis.evidence.finder import Entry, guess_source_id, ledger, load_exclusions, recall


def summary_line(name: str, source_id: str, entries: list[Entry], found_ids: tuple[int, int]) -> str:
    """One row of the ledger table: page, numbers found, entered, excluded, unaccounted, recall."""
    count = {s: sum(e.status.startswith(s) for e in entries) for s in ("entered", "excluded", "unaccounted")}
    loose = sum(e.status == "entered_loosely" for e in entries)
    note = f" ({loose} by a locator not verbatim)" if loose else ""
    return (
        f"{name:28} {source_id:14} {len(entries):5} {count['entered']:7} {count['excluded']:8} "
        f"{count['unaccounted']:11} {found_ids[0]}/{found_ids[1]}{note}"
    )


def main(argv: list[str] | None = None) -> int:
    """Print draft rows for one page, or the ledger table for several."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", type=Path, help="plain-text source page(s)")
    parser.add_argument("--source-id", help="the page's source_id (guessed from figures.csv locators if omitted)")
    parser.add_argument("--out", type=Path, help="write the draft CSV here instead of stdout")
    parser.add_argument("--ledger", action="store_true", help="print the per-page ledger table instead")
    parser.add_argument("--published", help="the publication date (ISO 8601) when sources.csv has no row yet")
    parser.add_argument("--region", help="the region (figures.csv spelling) when the source has no figures yet")
    args = parser.parse_args(argv)
    units = list(raw.load_units()["unit"])
    figures = raw.read_csv_text(paths.FIGURES_CSV)
    texts = {p: p.read_text(encoding="utf-8") for p in args.pages}
    ids = {p: args.source_id or guess_source_id(t, figures) for p, t in texts.items()}
    try:
        exclusions = load_exclusions(pages={ids[p]: t for p, t in texts.items()})
    except raw.RawDataError as err:
        print(f"finder: {err}", file=sys.stderr)
        return 2
    if args.ledger:
        print(f"{'page':28} {'source_id':14} {'found':>5} {'entered':>7} {'excluded':>8} {'unaccounted':>11} recall")
        for p, t in texts.items():
            entries = ledger(t, ids[p], figures, exclusions, units)
            print(summary_line(p.name, ids[p], entries, recall(entries, figures, ids[p])))
        return 0
    if len(texts) != 1:
        parser.error("draft rows are made for one page at a time (or use --ledger)")
    ((page, text),) = texts.items()
    accounted = {
        e.number.start for e in ledger(text, ids[page], figures, exclusions, units) if e.status != "unaccounted"
    }
    source = drafting.resolve_source(ids[page], args.published or "", args.region or "")
    files = drafting.draft_files(drafting.draft_all(text, source, drafting.vocabulary(), skip=accounted))
    if args.out:
        args.out.write_text(files.pop("figures.csv"), encoding="utf-8")
        for name, body in files.items():
            if body.count("\n") > 1:
                args.out.with_name(f"{args.out.stem}.{name}").write_text(body, encoding="utf-8")
    else:
        sys.stdout.write("\n".join(f"# {name} (draft rows to review)\n{body}" for name, body in files.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

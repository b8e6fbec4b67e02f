"""The table catalogue: every processed table, built from data/raw (`make data`) and read back by name."""

from __future__ import annotations

import sys

import pandas as pd

from analysis import paths
from analysis.atomic import write_text_if_changed
from analysis.evidence import audit, derived, exclusions, meaning, raw, tidy


def build_tables() -> dict[str, pd.DataFrame]:
    """Every processed table, computed in memory from data/raw."""
    sources = raw.load_sources()
    units = raw.load_units()
    indicators = raw.load_indicators()
    regions = raw.load_regions()
    scopes = raw.load_scopes(indicators)
    figures = raw.load_figures(sources=sources, units=units, indicators=indicators, regions=regions)
    raw.check_figure_meaning(figures, indicators, units)
    breakdowns = raw.load_breakdowns(figures, indicators)
    relations = raw.load_relations(figures, units)
    # Not a processed table, but raw input all the same: validated here so a broken row stops `make data`.
    exclusions.load_exclusions(source_ids=set(sources["source_id"]), pages=exclusions.pages_at_hand(sources))
    figures_tidy = tidy.tidy_figures(figures, units, indicators)
    meant = meaning.Meaning.from_tables(indicators, breakdowns)
    return {
        "sources": sources,
        "regions": regions,
        "scopes": scopes,
        "indicators": indicators,
        "breakdowns": breakdowns,
        "figures": figures_tidy,
        "poverty_caseload": tidy.poverty_caseload(figures_tidy),
        "hotline_volume": tidy.topic_table(figures_tidy, "hotline"),
        "service_satisfaction": tidy.topic_table(figures_tidy, "satisfaction"),
        "audit": audit.run_audit(figures_tidy, relations),
        "audit_derived": derived.audit_derived(figures_tidy, derived.derive(figures_tidy, meant, relations)),
    }


def load_processed(name: str) -> pd.DataFrame:
    """A processed table by name, as the analyses read it."""
    return pd.read_csv(
        paths.processed_table(name),
        keep_default_na=False,
        na_values={"value": [""], "value_low": [""], "value_high": [""]},
    )


def load_audit() -> pd.DataFrame:
    """The audit table with its explanations in the report's language (stored in English, re-derived otherwise)."""
    return audit.localize(load_processed("audit"), load_processed("figures"))


def main() -> int:
    """Validate, tidy and write; on any error write nothing and say what is wrong."""
    try:
        # Every table is computed and rendered before the first write, so bad input
        # leaves data/processed exactly as it was.
        tables = build_tables()
        texts = {name: tidy.to_csv_text(frame) for name, frame in tables.items()}
    except raw.RawDataError as err:
        print(f"make data: {err}", file=sys.stderr)
        return 2
    changed = [name for name, text in texts.items() if write_text_if_changed(paths.processed_table(name), text)]
    print(f"make data: {len(texts)} tables validated; rewritten: {', '.join(changed) or 'none'}")
    unread = meaning.unread_report(
        tables["figures"], meaning.Meaning.from_tables(tables["indicators"], tables["breakdowns"])
    )
    if unread:
        print("make data: figures no analysis of their topic reads (shown, at most, among a region's other figures):")
        print("\n".join(f"  {line}" for line in unread))
    return 0


if __name__ == "__main__":
    sys.exit(main())

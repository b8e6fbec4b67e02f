"""Provenance: from figure ids back to the documents that printed them."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.evidence.catalogue import load_processed

IDS_SHOWN = 3
FIGURES_WORD = {"en": "figures", "zh": "数据"}


def cited_sources(figure_ids: Iterable[str]) -> list[str]:
    """Short citations ('publication, date') of the sources behind these figures, in id order."""
    figures = load_processed("figures").set_index("figure_id")
    sources = load_processed("sources").set_index("source_id")
    source_ids = sorted({figures.at[f, "source_id"] for f in figure_ids})
    return [f"{sources.at[s, 'publication'].split(' (')[0]}, {sources.at[s, 'publication_date']}"
            for s in source_ids]


def earliest_period_ends(sources: pd.DataFrame) -> dict[str, str]:
    """For each source printed on an unknown day, the earliest day its 'so far' periods can end (its interval's start)."""
    return {row.source_id: row.publication_date.split("/")[0] for row in sources.itertuples()
            if "/" in row.publication_date and len(row.publication_date.split("/")[0]) == 10}


def describe(figure_ids: Iterable[str]) -> list[dict[str, str]]:
    """For each figure: what was printed, its qualifier, the source and its date, the period as printed, the locator."""
    figures = load_processed("figures").set_index("figure_id")
    sources = load_processed("sources").set_index("source_id")
    described = []
    for figure_id in sorted(set(figure_ids)):
        if figure_id not in figures.index:
            continue
        figure = figures.loc[figure_id]
        source = sources.loc[figure["source_id"]]
        described.append({"figure_id": figure_id, "as_printed": str(figure["as_printed"]),
                          "qualifier": str(figure["qualifier"]), "source": str(source["publication"]).split(" (")[0],
                          "source_date": str(source["publication_date"]),
                          "period_as_printed": str(figure["period_as_printed"]), "locator": str(figure["locator"])})
    return described


def source_line(figure_ids: Iterable[str], lang: str = "en") -> str:
    """The line printed under a figure: the sources and the data/raw/figures.csv ids used."""
    ids = sorted(set(figure_ids))
    shown = ", ".join(ids) if len(ids) <= IDS_SHOWN else f"{len(ids)} rows, ids listed in the report"
    return f"{'; '.join(cited_sources(ids))} ({FIGURES_WORD[lang]}: {shown})"

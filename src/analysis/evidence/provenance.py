"""Provenance: from figure ids back to the documents that printed them."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping

import pandas as pd

from analysis import language, paths
from analysis.evidence.catalogue import load_processed

IDS_SHOWN = 3


def publication_name(source: Mapping) -> str:
    """A source's name in the current language (sources.csv: publication, publication_zh), without the aside."""
    if language.current() == "zh":
        return str(source["publication_zh"])
    return str(source["publication"]).split(" (")[0]


def qualifier_shown(qualifier: str) -> str:
    """A qualifier (exact, at_least, ...) in the current language."""
    key = f"common.qualifier_{qualifier}"
    return language.say(key) if key in language.catalogue() else qualifier.replace("_", " ")


def _indexed(name: str, key: str) -> pd.DataFrame:
    """A processed table indexed by `key`, read once per version of its file (a report cites figures in every table
    and chart: reading figures.csv and sources.csv for each cost about a second a report). Read only: not a copy."""
    stat = paths.processed_table(name).stat()
    return _read_indexed(load_processed, name, key, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _read_indexed(load: Callable[[str], pd.DataFrame], name: str, key: str, _mtime: int, _size: int) -> pd.DataFrame:
    return load(name).set_index(key)


def _rows(name: str, key: str) -> dict[str, dict]:
    """Each row of a processed table as a dict, by `key`, built once per version of its file: a report describes
    its figures for every table, chart and key number, and looking each one up in the frame (`.loc`) cost most of a
    second of the data audit's run. Read only: not a copy."""
    stat = paths.processed_table(name).stat()
    return _read_rows(load_processed, name, key, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _read_rows(load: Callable[[str], pd.DataFrame], name: str, key: str, _mtime: int, _size: int) -> dict[str, dict]:
    frame = _read_indexed(load, name, key, _mtime, _size)
    return dict(zip(frame.index, frame.to_dict("records"), strict=True))


def cited_sources(figure_ids: Iterable[str]) -> list[str]:
    """Short citations ('publication, date') of the sources behind these figures, in id order."""
    figures = _indexed("figures", "figure_id")
    sources = _indexed("sources", "source_id")
    source_ids = sorted({figures.at[f, "source_id"] for f in figure_ids})
    return [f"{publication_name(sources.loc[s])}, {sources.at[s, 'publication_date']}" for s in source_ids]


def earliest_period_ends(sources: pd.DataFrame) -> dict[str, str]:
    """For each source printed on an unknown day, the earliest day its 'so far' periods can end (its interval's start)."""
    return {
        row.source_id: row.publication_date.split("/")[0]
        for row in sources.itertuples()
        if "/" in row.publication_date and len(row.publication_date.split("/")[0]) == 10
    }


def describe(figure_ids: Iterable[str]) -> list[dict[str, str]]:
    """For each figure: what was printed, its qualifier, the source, its date and address (url, empty when not
    known), the period as printed, the locator."""
    figures = _rows("figures", "figure_id")
    sources = _rows("sources", "source_id")
    described = []
    for figure_id in sorted(set(figure_ids)):
        if figure_id not in figures:
            continue
        figure = figures[figure_id]
        source = sources[figure["source_id"]]
        described.append(
            {
                "figure_id": figure_id,
                "as_printed": str(figure["as_printed"]),
                "qualifier": str(figure["qualifier"]),
                "qualifier_shown": qualifier_shown(str(figure["qualifier"])),
                "source": publication_name(source),
                "source_date": str(source["publication_date"]),
                "source_url": str(source["url"]),
                "period_as_printed": str(figure["period_as_printed"]),
                "locator": str(figure["locator"]),
            }
        )
    return described


def address_shown(url: str) -> str:
    """The words that give a source's address in a figure's provenance, or nothing when it has none."""
    return language.say("publish.source_address", url=url) if url else ""


def source_line(figure_ids: Iterable[str], lang: str = "en") -> str:
    """The line printed under a figure: the sources and the data/raw/figures.csv ids used."""
    ids = sorted(set(figure_ids))
    with language.using(lang):
        shown = ", ".join(ids) if len(ids) <= IDS_SHOWN else language.say("publish.ids_in_report", n=len(ids))
        return language.say("publish.source_line", sources="; ".join(cited_sources(ids)), ids=shown)


def record_level_source(what: str, generator: str, path, synthetic: bool, figure_ids: Iterable[str]) -> tuple[str, str]:
    """The title prefix and source line of a record-level report: SYNTHETIC and what it is calibrated to, or the export."""
    if not synthetic:
        return "", language.say("publish.record_export", what=what, file=path.name)
    calibrated = "; ".join(cited_sources(figure_ids))
    return "SYNTHETIC · ", language.say(
        "publish.record_synthetic", what=what, generator=generator, calibrated=calibrated
    )

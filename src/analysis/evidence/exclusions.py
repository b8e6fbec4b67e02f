"""data/raw/exclusions.csv: numbers printed on a source page and deliberately not entered in figures.csv."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis import paths
from analysis.evidence import raw

EXCLUSIONS_CSV = paths.RAW / "exclusions.csv"
MAX_LOCATOR = 16  # a locator is the few characters beside a number, never a sentence
# The pages' texts are never committed; where a copy sits beside the repository, locators are checked on it.
PAGES_DIR = paths.ROOT.parent / "shared" / "sources"


def _squeeze(text: str) -> str:
    """Text with all whitespace removed, as locators are recorded."""
    return re.sub(r"\s+", "", text)


def _on_page(frame: pd.DataFrame, pages: dict[str, str]) -> pd.Series:
    """Per row: the locator occurs in its source's page (rows whose page is not at hand pass)."""
    squeezed = {sid: _squeeze(text) for sid, text in pages.items()}
    return pd.Series(
        [
            sid not in squeezed or _squeeze(loc) in squeezed[sid]
            for sid, loc in zip(frame["source_id"], frame["locator"])
        ],
        index=frame.index,
    )


def exclusions_schema(source_ids: set[str], pages: dict[str, str] | None = None) -> pa.DataFrameSchema:
    """One row per printed number deliberately not entered: its source, its locator, and why."""
    pages = pages or {}
    non_empty = pa.Check.str_length(min_value=1, error="must not be empty")
    return pa.DataFrameSchema(
        {
            "source_id": pa.Column(str, pa.Check.isin(sorted(source_ids), error="must be a source_id in sources.csv")),
            "locator": pa.Column(
                str,
                [
                    non_empty,
                    pa.Check.str_length(
                        max_value=MAX_LOCATOR,
                        error=f"must be at most {MAX_LOCATOR} characters (a locator, not a sentence)",
                    ),
                ],
            ),
            "reason": pa.Column(
                str, [non_empty, pa.Check(lambda s: s.str.strip() != "", element_wise=False, error="must not be blank")]
            ),
        },
        checks=[
            pa.Check(
                lambda df: _on_page(df, pages),
                name="locator",
                error="must occur (whitespace removed) in the source's page",
            ),
            pa.Check(
                lambda df: ~df.duplicated(["source_id", "locator"]),
                name="source_id",
                error="source_id and locator must be unique together",
            ),
        ],
        strict=True,
        ordered=True,
    )


def load_exclusions(
    path: Path = EXCLUSIONS_CSV, *, source_ids: set[str] | None = None, pages: dict[str, str] | None = None
) -> pd.DataFrame:
    """The validated exclusions; `pages` maps source_id to page text for the locator check."""
    source_ids = set(raw.load_sources()["source_id"]) if source_ids is None else source_ids
    return raw.validate(raw.read_csv_text(path), exclusions_schema(source_ids, pages), path)


def pages_at_hand(sources: pd.DataFrame, folder: Path = PAGES_DIR) -> dict[str, str]:
    """source_id -> page text, for each source whose text file is at hand with the digest sources.csv records."""
    pages = {}
    for source in sources.itertuples():
        text = folder / source.text_file if source.text_file else None
        if text is not None and text.is_file() and hashlib.sha256(text.read_bytes()).hexdigest() == source.text_sha256:
            pages[source.source_id] = text.read_text(encoding="utf-8")
    return pages

"""The researcher's loop (issue 27): what a rebuilt page reuses is what it would compute again, and nothing stale."""

from __future__ import annotations

import os

import pytest

from analysis import paths
from analysis.evidence import catalogue, provenance
from analysis.publish import webfont


@pytest.fixture
def subset_cache(monkeypatch, tmp_path):
    monkeypatch.setattr(webfont, "SUBSET_CACHE", tmp_path / "font-subsets")
    return tmp_path / "font-subsets"


def test_a_font_subset_is_cut_once_and_is_the_subset_cut_now(subset_cache, monkeypatch):
    first = webfont.subset_font("热线受理")
    assert first == webfont.cut_subset("热线受理")
    assert len(list(subset_cache.iterdir())) == 1

    def no_cutting(characters):
        raise AssertionError(f"cut again: {characters}")

    monkeypatch.setattr(webfont, "cut_subset", no_cutting)
    assert webfont.subset_font("热线受理") == first


def test_other_characters_get_their_own_subset(subset_cache):
    one, other = webfont.subset_font("热线"), webfont.subset_font("满意")
    assert one != other and other == webfont.cut_subset("满意")
    assert len(list(subset_cache.iterdir())) == 2


# TEST FIXTURES: one source and one figure, its locator edited between two reads.
SOURCES = "source_id,publication,publication_zh,publication_date,url\npaper,Paper Daily,纸报,2020-01,\n"
FIGURES = (
    "figure_id,source_id,as_printed,qualifier,period_as_printed,locator\nhouseholds,paper,6656户,exact,,{locator}\n"
)


def test_provenance_reads_each_version_of_the_tables_once(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "PROCESSED", tmp_path)
    (tmp_path / "sources.csv").write_text(SOURCES, encoding="utf-8")
    figures = tmp_path / "figures.csv"
    figures.write_text(FIGURES.format(locator="共6656户"), encoding="utf-8")
    reads = []
    monkeypatch.setattr(provenance, "load_processed", lambda name: reads.append(name) or catalogue.load_processed(name))
    assert provenance.describe(["households"])[0]["locator"] == "共6656户"
    assert provenance.describe(["households"])[0]["locator"] == "共6656户"
    assert sorted(reads) == ["figures", "sources"]  # once each, for two descriptions
    stat = figures.stat()
    figures.write_text(FIGURES.format(locator="困难职工6656户"), encoding="utf-8")
    os.utime(figures, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # a later version, even on a coarse clock
    assert provenance.describe(["households"])[0]["locator"] == "困难职工6656户"


def test_a_description_gives_every_field_of_the_figure_and_its_source_as_read(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "PROCESSED", tmp_path)
    (tmp_path / "sources.csv").write_text(
        SOURCES + "other,Other Weekly (a reprint),别报,2021-02-03,https://example.org/p\n", encoding="utf-8"
    )
    (tmp_path / "figures.csv").write_text(
        FIGURES.format(locator="共6656户") + "calls,other,1486万,at_least,2021年,1486万余个\n", encoding="utf-8"
    )
    described = provenance.describe(["calls", "households", "calls", "absent"])  # sorted, once each, unknown skipped
    assert [d["figure_id"] for d in described] == ["calls", "households"]
    shown = {k: v for k, v in described[0].items() if k != "qualifier_shown"}  # the catalogue's words: not tested here
    assert shown == {
        "figure_id": "calls",
        "as_printed": "1486万",
        "qualifier": "at_least",
        "source": "Other Weekly",
        "source_date": "2021-02-03",
        "source_url": "https://example.org/p",
        "period_as_printed": "2021年",
        "locator": "1486万余个",
    }
    assert (described[1]["source"], described[1]["source_url"], described[1]["period_as_printed"]) == (
        "Paper Daily",
        "",
        "",
    )

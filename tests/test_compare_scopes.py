"""Every scope and unit data/raw/indicators.csv declares has its words in both languages, so a Chinese comparison
page never shows a declared code (`union_hardship_file`) where a reader expects words."""

from __future__ import annotations

import csv

import pytest

from analysis import language, paths


def declared(column: str) -> list[str]:
    with paths.INDICATORS_CSV.open(encoding="utf-8", newline="") as handle:
        return sorted({row[column] for row in csv.DictReader(handle) if row[column]})


@pytest.mark.parametrize(("table", "column"), [("scope", "scope"), ("counts", "counts")])
def test_every_declared_code_has_words_in_both_languages(table, column):
    catalogue = language.catalogue()
    missing = [code for code in declared(column) if f"compare.{table}.{code}" not in catalogue]
    assert missing == [], f"add compare.{table}.<code> with en and zh to src/analysis/messages/compare.yml: {missing}"
    for code in declared(column):
        zh = catalogue[f"compare.{table}.{code}"]["zh"]
        assert "_" not in zh and not zh.isascii(), (code, zh)

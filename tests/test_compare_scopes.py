"""Scope words are data (data/raw/scopes.csv): every scope indicators.csv declares is listed there with words in
both languages, and `make data` refuses a scope that is not, naming the file, row, column and rule. Unit words
(`counts`, a closed vocabulary documented in data/raw/README.md) stay in the message catalogue: checked here too,
so a Chinese comparison page never shows a declared code (`union_hardship_file`) where a reader expects words."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from analysis import language, paths
from analysis.evidence import raw
from analysis.topics import compare


def declared(column: str) -> list[str]:
    with paths.INDICATORS_CSV.open(encoding="utf-8", newline="") as handle:
        return sorted({row[column] for row in csv.DictReader(handle) if row[column]})


def test_every_declared_scope_is_listed_in_scopes_csv_with_chinese_words():
    scopes = raw.load_scopes(raw.load_indicators())
    words = scopes.set_index("scope")
    for code in declared("scope"):
        assert "_" not in words.at[code, "name_zh"] and not words.at[code, "name_zh"].isascii(), code


def test_every_declared_unit_has_words_in_both_languages():
    catalogue = language.catalogue()
    missing = [code for code in declared("counts") if f"compare.counts.{code}" not in catalogue]
    assert missing == [], f"add compare.counts.<code> with en and zh to src/analysis/messages/compare.yml: {missing}"
    for code in declared("counts"):
        zh = catalogue[f"compare.counts.{code}"]["zh"]
        assert "_" not in zh and not zh.isascii(), (code, zh)


def test_a_scope_not_listed_is_an_error_naming_indicators_csv_row_and_column(tmp_path):
    # TEST FIXTURE: scopes.csv lists one scope; indicators row 2 declares another.
    scopes = tmp_path / "scopes.csv"
    scopes.write_text("scope,name_en,name_zh\ntest_register,a test register,测试名册\n", encoding="utf-8")
    indicators = pd.DataFrame({"indicator": ["t_a", "t_b"], "scope": ["test_register", "test_unlisted"]})
    indicators.index = pd.RangeIndex(1, 3)
    with pytest.raises(raw.RawDataError) as err:
        raw.load_scopes(indicators, scopes)
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column) == ("data/raw/indicators.csv", 2, "scope")
    assert "must be a scope listed in scopes.csv" in problem.rule and problem.value == "test_unlisted"


def test_a_scope_whose_chinese_words_are_not_chinese_is_an_error(tmp_path):
    scopes = tmp_path / "scopes.csv"
    scopes.write_text("scope,name_en,name_zh\ntest_register,a test register,test_register\n", encoding="utf-8")
    with pytest.raises(raw.RawDataError) as err:
        raw.load_scopes(pd.DataFrame({"indicator": [], "scope": []}), scopes)
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (1, "name_zh") and "Chinese" in problem.rule


def test_comparison_pages_read_scope_words_from_the_data_table():
    # The committed table's words for `residents`, in each language, are what the page shows.
    row = raw.load_scopes(raw.load_indicators()).set_index("scope").loc["residents"]
    for lang, column in (("en", "name_en"), ("zh", "name_zh")):
        with language.using(lang):
            assert compare.words("residents", "scope") == row[column]

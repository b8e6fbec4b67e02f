"""The message catalogue: every message in every language, the same placeholders, every key used exists."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import language, numbers, paths
from analysis.evidence import names

# say("topic.key") and label("topic.key", ...) calls with a literal key, in the package and the notebooks.
KEY_USE = re.compile(r"""\b(?:say|label)\(\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")


def test_every_message_has_every_language_with_the_same_placeholders():
    for key, texts in language.catalogue().items():
        assert set(texts) == set(language.LANGUAGES), key
        assert all(isinstance(t, str) and t.strip() for t in texts.values()), key
        assert language.placeholders(texts["en"]) == language.placeholders(texts["zh"]), key


def test_every_literal_key_in_code_and_notebooks_is_in_the_catalogue():
    files = [*paths.ROOT.joinpath("src", "analysis").rglob("*.py"), *paths.NOTEBOOKS.glob("*.ipynb")]
    used = {key for f in files for key in KEY_USE.findall(f.read_text(encoding="utf-8"))}
    assert used, "the scan found no message keys at all"
    assert sorted(used - set(language.catalogue())) == []


def test_say_writes_the_current_language_and_using_restores_it():
    assert language.say("common.span", start="a", end="b") == "a to b"
    with language.using("zh"):
        assert language.say("common.span", start="a", end="b") == "a至b"
    assert language.current() == "en"


def test_an_unknown_key_or_language_is_a_clear_error():
    with pytest.raises(KeyError, match="no message 'common.nope'"):
        language.say("common.nope")
    with pytest.raises(ValueError, match="lang must be one of en, zh, not 'fr'"):
        language.use("fr")


def test_chinese_numbers_follow_chinese_conventions():
    with language.using("zh"):
        assert numbers.count(22_500_000) == "2250万"
        assert numbers.count(124_475) == "12.45万"
        assert numbers.count(6_656) == "6,656"
        # One format: a derived count keeps two decimals of its 万, an exact (printed) one every digit.
        assert numbers.count(124_475, exact=True) == "12.4475万"
        assert numbers.count(26_600_000, exact=True) == "2660万"
        assert numbers.count(123_456_789, exact=True) == "1.23456789亿" and numbers.count(123_456_789) == "1.23亿"
        assert numbers.count(15_000, compact_from=10_000) == "1.5万"
        assert numbers.date("2016-10-31") == "2016年10月31日"
    assert numbers.count(22_500_000) == "22,500,000" and numbers.count(124_475, exact=True) == "124,475"
    assert numbers.date("2016-10-31") == "2016-10-31"


def test_indicator_names_are_data_in_both_languages():
    assert names.indicator_name("hotline_calls_received") == "12345 hotline calls received"
    assert names.indicator_name("struggling_worker_households_on_file", "zh") == "在档困难职工家庭户数"
    with language.using("zh"):
        assert names.indicator_name("hotline_calls_received") == "12345热线来电量"
        # An indicator the vocabulary lacks is shown by its code, with spaces.
        assert names.indicator_name("brand_new_count") == "brand new count"
    assert names.indicator_name("brand_new_count") == "brand new count"


def test_report_tables_show_indicator_names_not_codes():
    from analysis.publish import outputs

    frame = pd.DataFrame({"indicator": ["hotline_calls_received", "brand_new_count"], "value": [1.0, 2.0]})
    with language.using("zh"):
        html = outputs.table(frame, {"value": "count"}).data
    assert "12345热线来电量" in html and "brand new count" in html
    assert "hotline_calls_received" not in html


def test_every_kind_a_table_can_show_has_words_in_every_language():
    from analysis.evidence import raw

    for kind in (*raw.UNIT_KINDS, *raw.RELATION_KINDS):
        assert f"publish.kind.{kind}" in language.catalogue(), kind

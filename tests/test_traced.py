"""The provenance count: which numbers on a page are counted, and which count as carrying provenance."""

from __future__ import annotations

from analysis.publish.traced import count_page

PAGE = """
<ul class="findings">
  <li class="traced">Fell from 6,656 to 512 (2016-10-31 to 2019-11-21) <details class="provenance"><summary>2 figure(s)</summary>
    <ul><li><code>bjunion2020_caseload_2016</code>: 6656户</li></ul></details></li>
  <li class="untraced">Calls rose 1.5 times in 2022年6月30日</li>
</ul>
<table class="key-numbers"><tbody><tr class="traced"><td>92.3%</td><td>net exit</td><td><details>12 ids</details></td></tr></tbody></table>
<table class="dataframe traced"><tr><td>6,656</td><td>2016-10-31</td><td><details><summary>bjunion2020_x</summary></details></td></tr></table>
<table class="dataframe untraced"><tr><td>12</td><td>text</td></tr></table>
<p class="caption traced"><em>Figure 1. Totals in 2019</em></p>
"""


def test_counts_each_kind_and_skips_ids_code_and_provenance_text():
    counts = {c.kind: (c.traced, c.total) for c in count_page(PAGE)}
    assert counts["finding"] == (4, 6)  # 6,656 512 and two dates; then 1.5 and one Chinese date, untraced
    assert counts["key number"] == (1, 1)
    assert counts["table cell"] == (2, 3)  # the untraced table's 12 counts as should-but-does-not
    assert counts["caption"] == (2, 2)  # 'Figure 1' and 2019


def test_plain_output_is_counted_and_never_carries_provenance():
    page = """
    <div class="jp-RenderedText jp-OutputArea-output" data-mime-type="text/plain"><pre>7,542 spells of 7,129 households
log-rank: chi2 = 624.8 on 4 df</pre></div>
    <div class="jp-RenderedText jp-OutputArea-output" data-mime-type="application/vnd.jupyter.stderr"><pre>warning 1</pre></div>
    """
    counts = {c.kind: (c.traced, c.total) for c in count_page(page)}
    # 7,542 7,129 624.8 4: four numbers printed as text, none with a provenance block; stderr is not a result.
    assert counts["plain output"] == (0, 4)


def test_a_table_is_traced_only_with_figure_ids_or_a_named_data_set():
    import pandas as pd

    from analysis.publish.outputs import table

    frame = pd.DataFrame({"calls": [1200]})

    def klass(**provenance) -> str:
        return "traced" if "dataframe traced" in table(frame, {"calls": "count"}, **provenance).data else "untraced"

    # An empty id list or a free-text description is no provenance; an id or a data set's name is.
    assert klass(figure_ids=[]) == "untraced" and klass(rests_on="the log") == "untraced"
    assert klass(figure_ids=["bjunion2020_caseload_2016"]) == "traced"
    assert klass(dataset="caseload_registry_SYNTHETIC.csv") == "traced"


def test_a_table_shows_each_column_as_the_kind_its_caller_declares():
    import pandas as pd
    import pytest

    from analysis.publish.outputs import table

    # The same column name is a ratio in one table and a share in another: only the caller knows.
    frame = pd.DataFrame({"low": [0.5], "month_on_month": [0.046], "n": [12345]})
    html = table(frame, {"low": "odds_ratio", "month_on_month": "share", "n": "count"}).data
    assert "<td>0.500</td>" in html and "<td>4.6%</td>" in html and "<td>12,345</td>" in html
    assert "<td>50.0%</td>" in table(frame, {"low": "share", "month_on_month": "share:0", "n": "count"}).data
    # A numeric column without a declared kind is an error in tests; a kind that is no kind, always.
    with pytest.raises(TypeError, match="month_on_month"):
        table(frame, {"low": "ratio", "n": "count"})
    with pytest.raises(ValueError, match="unknown kind"):
        table(frame, {"low": "percent", "month_on_month": "share", "n": "count"})
    with pytest.raises(ValueError, match="lacks: high"):
        table(frame, {"high": "share"})


def test_a_region_report_links_to_its_topics_comparison_in_its_language():
    from analysis.publish import render
    from analysis.publish.config import COMPARISON_NOTEBOOK, load_config

    entries = load_config()
    for entry in entries:
        nav = render.navigation(entry, with_code=False)
        if "region" in entry.parameters and entry.notebook != COMPARISON_NOTEBOOK:
            target = next(e for e in entries if f"{e.name}.html" == nav["comparison"]["href"])
            assert target.notebook == COMPARISON_NOTEBOOK and target.lang == entry.lang
            assert target.reads[0] == entry.reads[0] and nav["comparison"]["label"] == target.title
        else:
            assert nav["comparison"] is None


def test_a_figures_provenance_gives_its_sources_address_when_sources_csv_has_one(monkeypatch):
    import pandas as pd

    from analysis.evidence import provenance
    from analysis.publish.outputs import figure_items_html

    # TEST FIXTURES: two pages, one read online (its address known), one not.
    tables = {
        "figures": pd.DataFrame(
            {
                "figure_id": ["online_households", "paper_households"],
                "source_id": ["online", "paper"],
                "as_printed": ["512户", "6656户"],
                "qualifier": ["exact", "exact"],
                "period_as_printed": ["", ""],
                "locator": ["512户", "6656户"],
            }
        ),
        "sources": pd.DataFrame(
            {
                "source_id": ["online", "paper"],
                "publication": ["Online Daily", "Paper Daily"],
                "publication_zh": ["网报", "纸报"],
                "publication_date": ["2020-01-15", "2020-01"],
                "url": ["https://example.invalid/2020/01/15/page.html", ""],
            }
        ),
    }
    monkeypatch.setattr(provenance, "load_processed", lambda name: tables[name])
    online = figure_items_html(["online_households"])
    assert "Online Daily, 2020-01-15, at https://example.invalid/2020/01/15/page.html; printed beside" in online
    assert "Paper Daily, 2020-01; printed beside" in figure_items_html(["paper_households"])
    from analysis import language

    with language.using("zh"):
        assert "网报，2020-01-15，网址：https://example.invalid/2020/01/15/page.html；原文旁注" in figure_items_html(
            ["online_households"]
        )

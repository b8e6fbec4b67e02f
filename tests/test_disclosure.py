"""Disclosure control: the gate's primary and secondary suppression by hand, and every rendered output of the
registry report on a TEST export with a small group scanned for a count below ten or recoverable by subtraction."""

from __future__ import annotations

import json
import re
from itertools import combinations
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.records import disclosure, registry_synthetic
from analysis.records.registry import on_file

T = disclosure.THRESHOLD
X = disclosure.MARK


# ---- the gate, by hand ---------------------------------------------------------------------------------


def test_the_threshold_is_ten_households_set_once():
    from analysis.records import privacy

    assert T == privacy.MIN_CELL == 10


def test_primary_suppression_hides_one_to_nine_and_keeps_zero_and_ten():
    counts = pd.Series({"a": 0, "b": 1, "c": 9, "d": 10, "e": 250})
    # No line: only the threshold rule applies. 0 is an empty cell (safe); 1 and 9 are below 10; 10 is not.
    assert list(disclosure.suppression_pattern(counts, [])) == [False, True, True, False, False]
    assert disclosure.shown_count(9) == X and disclosure.shown_count(10) == "10" and disclosure.shown_count(0) == "0"


def test_one_suppressed_part_of_a_printed_total_takes_the_smallest_other_part_with_it():
    # Parts 3, 40, 25, 60 and their printed total 128 (3 + 40 + 25 + 60 = 128): 3 alone would be 128 - 125.
    counts = pd.Series({"a": 3, "b": 40, "c": 25, "d": 60, "total": 128})
    pattern = disclosure.suppression_pattern(counts, [["a", "b", "c", "d", "total"]])
    # Secondary: the smallest non-zero safe cell of the line is c (25); a + c = 28 is all the page gives.
    assert pattern.to_dict() == {"a": True, "b": False, "c": True, "d": False, "total": False}


def test_two_suppressed_parts_need_no_more():
    counts = pd.Series({"a": 3, "b": 4, "c": 25, "total": 32})  # 3 + 4 + 25 = 32
    pattern = disclosure.suppression_pattern(counts, [["a", "b", "c", "total"]])
    assert pattern.to_dict() == {"a": True, "b": True, "c": False, "total": False}


def test_a_two_way_table_with_margins_has_no_line_with_a_single_suppression():
    # rows r1, r2, total; columns c1, c2, total. r1 = (2, 30 | 32), r2 = (20, 15 | 35), total = (22, 45 | 67).
    cells = {
        ("r1", "c1"): 2, ("r1", "c2"): 30, ("r1", "t"): 32,
        ("r2", "c1"): 20, ("r2", "c2"): 15, ("r2", "t"): 35,
        ("t", "c1"): 22, ("t", "c2"): 45, ("t", "t"): 67,
    }  # fmt: skip
    counts = pd.Series(cells)
    rows = [[(r, c) for c in ("c1", "c2", "t")] for r in ("r1", "r2", "t")]
    columns = [[(r, c) for r in ("r1", "r2", "t")] for c in ("c1", "c2", "t")]
    pattern = disclosure.suppression_pattern(counts, rows + columns)
    # Primary: (r1, c1) = 2. Row r1 then has one: its smallest other is 30 (r1, c2) — less than the margin 32.
    # Column c1 has one: its smallest other is 20 (r2, c1). Column c2 now has one (30): smallest other 15 (r2, c2).
    # Row r2 now has two (20, 15); row t, column t have none. Suppressed: the 2 x 2 inner cells, margins shown.
    assert sorted(k for k, v in pattern.items() if v) == [("r1", "c1"), ("r1", "c2"), ("r2", "c1"), ("r2", "c2")]
    for line in rows + columns:
        assert pattern[line].sum() != 1


def test_protect_marks_both_kinds_alike_and_blanks_what_is_derived():
    frame = pd.DataFrame(
        {"group": ["a", "b", "c", "all"], "households": [3, 40, 25, 68], "share": [0.04, 0.59, 0.37, 1]}
    )
    shown = disclosure.protect(frame, "households", [frame.index], derived=["share"])
    assert list(shown["households"]) == [X, 40, X, 68]
    assert list(shown["share"]) == ["", 0.59, "", 1]


def test_small_groups_are_merged_until_the_merged_group_is_safe():
    # Households per cause: a 3, b 12, c 40; spells of one household may repeat.
    frame = pd.DataFrame(
        {
            "household_id": [f"h{i}" for i in range(3)] + [f"k{i}" for i in range(12)] + [f"m{i}" for i in range(40)],
            "cause": ["a"] * 3 + ["b"] * 12 + ["c"] * 40,
        }
    )
    recoded, merged = disclosure.merge_small_groups(frame, "cause", "other")
    # a (3) is below 10; 'other' = a alone = 3 < 10, so b (next smallest, 12) joins: 3 + 12 = 15 households.
    assert merged == ["a", "b"]
    assert recoded["cause"].value_counts().to_dict() == {"c": 40, "other": 15}
    unchanged, none = disclosure.merge_small_groups(frame[frame["cause"] != "a"], "cause", "other")
    assert none == [] and set(unchanged["cause"]) == {"b", "c"}


# ---- the registry report on a TEST export with a cause of three households ---------------------------

SMALL_CAUSE = "下岗失业"
NAME = "caseload_registry_TEST"


def small_group_export() -> pd.DataFrame:
    """The SYNTHETIC registry with every household of one cause dropped but three (all spells kept), three
    still on file at the last published date, so the comparison with the published breakdown has a small cell."""
    registry = registry_synthetic.generate()
    last = on_file(registry, "2019-11-21")
    households = sorted(last.loc[last["main_cause"] == SMALL_CAUSE, "household_id"].unique())
    keep = set(households[:3])
    return registry[(registry["main_cause"] != SMALL_CAUSE) | registry["household_id"].isin(keep)]


@pytest.fixture(scope="module")
def built_test_report(tmp_path_factory) -> dict[str, Path]:
    from conftest import copy_repository, make

    root = copy_repository(tmp_path_factory.mktemp("disclosure") / "repo")
    export = root / "data/raw/microdata/registry_TEST.csv"
    export.parent.mkdir(parents=True, exist_ok=True)
    small_group_export().to_csv(export, index=False)
    # The TEST export is the SYNTHETIC registry cut down, so its vocabulary is the SYNTHETIC one, beside it.
    registry_synthetic.write_vocabulary(export)
    config = yaml.safe_load((root / "reports.yml").read_text(encoding="utf-8"))
    config["reports"] = [
        {
            "name": NAME,
            "notebook": "04_caseload_registry.ipynb",
            "title": {"en": "TEST registry", "zh": "TEST 档案"},
            "reads": ["poverty_caseload"],
            "inputs": ["data/raw/microdata/registry_TEST.csv", "data/raw/microdata/registry_TEST.vocabulary.yml"],
            "parameters": {"registry_path": "data/raw/microdata/registry_TEST.csv"},
        }
    ]
    (root / "reports.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    make(root, f"reports/html/{NAME}.html", f"reports/html/{NAME}_zh.html")
    return {
        "page": root / f"reports/html/{NAME}.html",
        "code": root / f"reports/html/{NAME}.code.html",
        "page_zh": root / f"reports/html/{NAME}_zh.html",
        "code_zh": root / f"reports/html/{NAME}_zh.code.html",
        "results": root / f"reports/results/{NAME}.json",
        "results_zh": root / f"reports/results/{NAME}_zh.json",
        "export": export,
        "figures": root / f"reports/figures/{NAME}",
        "figures_zh": root / f"reports/figures/{NAME}_zh",
    }


def small_cause_households(export: Path) -> int:
    frame = pd.read_csv(export, dtype=str, keep_default_na=False)
    return frame.loc[frame["main_cause"] == SMALL_CAUSE, "household_id"].nunique()


INTEGER = re.compile(r"(?<![\w.\-])\d{1,3}(?:,\d{3})*(?![\w.%\-])|(?<![\w.\-])\d+(?![\w.%\-])")


def integers(text: str) -> list[int]:
    """Whole numbers in a piece of text (not decimals, percentages, dates' parts or parts of identifiers)."""
    text = re.sub(r"\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日|\d+\.\d+", " ", text)
    return [int(m.replace(",", "")) for m in INTEGER.findall(text)]


def html_tables(html: str) -> list[list[list[str]]]:
    """Every table a page shows (the key numbers' and the data tables), as rows of text cells, header first."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup.select("details"):  # provenance blocks hold printed (published) figures, not counts
        hidden.decompose()
    return [
        [[cell.get_text(" ", strip=True) for cell in tr.select("th, td")] for tr in table.select("tr")]
        for table in soup.select("table")
    ]


def plain_texts(html: str) -> list[str]:
    """What the page prints as text: plain outputs, findings, captions, paragraphs (no code cells, no provenance)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup.select("details, .jp-InputArea, table, style, script"):
        hidden.decompose()
    return [block.get_text(" ", strip=True) for block in soup.select(".jp-OutputArea-output")]


def count_like_cells(rows: list[list[str]]) -> list[int]:
    """The whole numbers in a table's body cells (a table's counts: registry households, spells)."""
    return [n for row in rows[1:] for cell in row for n in integers(cell)]


@pytest.mark.slow
def test_the_test_export_has_a_cause_of_three_households(built_test_report):
    assert small_cause_households(built_test_report["export"]) == 3


@pytest.mark.slow
@pytest.mark.parametrize("page", ["page", "code", "page_zh", "code_zh"])
def test_no_count_below_ten_in_any_table_or_text_of_the_pages(built_test_report, page):
    html = built_test_report[page].read_text(encoding="utf-8")
    small = {}
    for index, rows in enumerate(html_tables(html)):
        if found := [n for n in count_like_cells(rows) if 0 < n < T]:
            small[f"table {index}: {rows[0]}"] = found
    for text in plain_texts(html):
        # The only small whole numbers a text may hold are the method's constants and test statistics
        # (95% band, df of a test); a count is written with its unit, so look for counts by their units.
        for match in re.finditer(r"(\d[\d,]*)\s*(?:spells?|households?|户|个在档时段)", text):
            if 0 < int(match.group(1).replace(",", "")) < T:
                small.setdefault("text", []).append(match.group(0))
    assert small == {}


def headers(lang: str) -> dict[str, str]:
    """The rendered headers of the comparison table's columns, in the page's language."""
    from analysis import language
    from analysis.publish.outputs import header

    with language.using(lang):
        return {column: header(column) for column in ("date", "breakdown", "published", "registry")}


def comparison_table(html: str, lang: str) -> pd.DataFrame:
    """The registry-against-published table as printed: date, breakdown, published, registry (text cells)."""
    names = headers(lang)
    for rows in html_tables(html):
        if names["registry"] in rows[0]:
            frame = pd.DataFrame(rows[1:], columns=rows[0])
            return frame.rename(columns={v: k for k, v in names.items()})[list(names)]
    raise AssertionError("no registry-against-published table on the page")


def number(cell: str) -> int | None:
    """A printed count, or None for a hidden one (the gate's mark, or any other non-number)."""
    return int(cell.replace(",", "")) if re.fullmatch(r"\d[\d,]*", cell) else None


@pytest.mark.slow
@pytest.mark.parametrize("page", ["page", "code", "page_zh", "code_zh"])
def test_the_small_cause_is_never_estimated_on_its_own(built_test_report, page):
    html = built_test_report[page].read_text(encoding="utf-8")
    registry_header = headers("zh" if page.endswith("_zh") else "en")["registry"]
    for rows in html_tables(html):
        in_comparison = registry_header in rows[0]
        for row in rows[1:]:
            if not any(cell == SMALL_CAUSE or cell.endswith(f"={SMALL_CAUSE}") for cell in row):
                continue
            # Only the comparison with the published stocks names it, and there its registry count is hidden;
            # no other table (medians, hazard ratios, key numbers) has a row of its own for it.
            assert in_comparison and row[rows[0].index(registry_header)] == X, row
    for text in plain_texts(html):
        assert f"main_cause={SMALL_CAUSE}" not in text
        for line in text.splitlines():
            if line.strip().startswith(SMALL_CAUSE):
                assert not re.search(r"\d", line), line


def true_registry_counts(export: Path) -> dict[tuple[str, str], int]:
    """The TEST export's households on file at each published date, by hand: entered by then, not yet left."""
    frame = pd.read_csv(export, dtype=str, keep_default_na=False)
    counts = {}
    for day in ("2016-10-31", "2019-11-21"):
        on = frame[(frame["entry_date"] <= day) & ((frame["exit_date"] == "") | (frame["exit_date"] > day))]
        counts[(day, "total")] = len(on)
        for column in ("household_type", "main_cause"):
            for value, n in on[column].value_counts().items():
                counts[(day, f"{column}={value}")] = int(n)
    return counts


@pytest.mark.slow
@pytest.mark.parametrize("page", ["page", "code", "page_zh", "code_zh"])
def test_no_suppressed_count_is_a_difference_of_printed_numbers(built_test_report, page):
    """Each hidden registry count, known here from the export, is neither a printed number's difference with
    another printed count of the table, nor a printed total less the printed parts of its breakdown; and
    what the hidden cells of a breakdown add up to is itself no count below ten."""
    lang = "zh" if page.endswith("_zh") else "en"
    table = comparison_table(built_test_report[page].read_text(encoding="utf-8"), lang)
    truth = true_registry_counts(built_test_report["export"])
    table["true"] = [truth.get((d, b), 0) for d, b in zip(table["date"], table["breakdown"], strict=True)]
    table["shown"] = table["registry"].map(number)
    hidden = table[table["shown"].isna()]
    assert len(hidden) >= 2  # the small cause (3 households on file) and the one hidden with it
    printed = [int(v) for v in table["shown"].dropna()]
    differences = {abs(a - b) for a, b in combinations(printed, 2)}
    for row in hidden.itertuples():
        assert row.true not in differences, row
    for date, rows in table.groupby("date"):
        total = rows.loc[rows["breakdown"] == "total", "shown"]
        dimension = rows["breakdown"].str.split("=", n=1).str[0]
        for name, parts in rows[rows["breakdown"] != "total"].groupby(dimension):
            n_hidden = int(parts["shown"].isna().sum())
            assert n_hidden != 1 or total.isna().all(), (date, name)  # one hidden part = total - the others
            if n_hidden and len(total) and total.notna().all():
                assert int(total.iloc[0]) - int(parts["shown"].sum()) >= T, (date, name)


@pytest.mark.slow
@pytest.mark.parametrize("page", ["page", "page_zh"])
def test_return_to_hardship_leaves_no_small_complement(built_test_report, page):
    """'A of B households that left came back': B - A households did not, and that too is a printed count."""
    texts = " ".join(plain_texts(built_test_report[page].read_text(encoding="utf-8")))
    en = re.search(r"([\d,]+) of ([\d,]+) households that left came back", texts)
    zh = re.search(r"([\d,]+)户脱困家庭中有([\d,]+)户返贫", texts)
    assert en or zh
    came_back, left = (en.group(1), en.group(2)) if en else (zh.group(2), zh.group(1))
    came_back, left = int(came_back.replace(",", "")), int(left.replace(",", ""))
    assert came_back >= T and left - came_back >= T


def figure_labels(svg: Path) -> list[str]:
    """Every text a chart draws (title, ticks, legend, annotations): the SVG keeps each as a comment."""
    return re.findall(r"<!-- (.*?) -->", svg.read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("figures", ["figures", "figures_zh"])
def test_no_chart_draws_the_small_cause_or_a_small_count(built_test_report, figures):
    svgs = sorted(built_test_report[figures].glob("*.svg"))
    assert {p.stem for p in svgs} >= {"exit_curves", "hazard_ratios"}
    for svg in svgs:
        labels = figure_labels(svg)
        # No curve, legend entry or hazard-ratio row of its own for a cause of three households.
        assert not [label for label in labels if label == SMALL_CAUSE or label.endswith(f"={SMALL_CAUSE}")], svg
        # No label states a count below ten ('n = 3', '3 households', '3 spells', '3户').
        small = [
            label
            for label in labels
            if re.search(r"n\s*=\s*[1-9](?!\d)|(?<![\d.,])[1-9]\s*(?:households?|spells?|户)", label)
        ]
        assert small == [], svg


@pytest.mark.slow
@pytest.mark.parametrize("results", ["results", "results_zh"])
def test_results_json_holds_no_small_count_and_cites_the_data_set(built_test_report, results):
    payload = json.loads(built_test_report[results].read_text(encoding="utf-8"))
    text = " ".join(payload["findings"])
    assert SMALL_CAUSE not in text or "other" in text or "其他" in text
    for number in payload["key_numbers"]:
        assert SMALL_CAUSE not in number["key"], number
        if number["unit"] in ("households", "spells"):
            assert not 0 < number["value"] < T, number
        # A number on the registry cites the data set, not the published stocks it is compared with.
        assert number["figure_ids"] == [] and number.get("dataset"), number
    assert all(ids == [] for ids in payload["finding_figure_ids"])
    assert payload.get("dataset")

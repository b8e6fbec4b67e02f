"""A breakdown printed twice on a page: each part is one quantity, added once; printings that disagree are a finding.

Fixture rows (region 'Testland') are TEST data, not published figures; expected values are worked by hand.
"""

from __future__ import annotations

import pandas as pd

from analysis.evidence import derived, meaning, tidy
from evidence_fixtures import UNITS, row

# TEST FIXTURE: one stock of households with an exhaustive breakdown by type and a partial one by district.
INDICATORS = pd.DataFrame(
    [("households", "households", "户数", "stock", "households", "", "", "residents", "")],
    columns=["indicator", "name_en", "name_zh", "kind", "counts", "per", "of", "scope", "reading"],
)
BREAKDOWNS = pd.DataFrame(
    [("households", "type", "exhaustive", ""), ("households", "district", "partial", "")],
    columns=["indicator", "breakdown_dimension", "parts", "note"],
)
MEANING = meaning.Meaning.from_tables(INDICATORS, BREAKDOWNS)
DAY = "2023-12-31"


def households(*parts: tuple, **qualified: tuple[str, str]) -> pd.DataFrame:
    """A total of 9,230 households (TEST) and the given parts: (figure id, dimension, part, printed, locator[, unit]);
    `qualified` gives a figure id's (qualifier, marker)."""
    rows = [row("total", "poverty_exit", "households", "9230", "户", DAY, DAY)]
    for figure_id, dimension, part, printed, locator, *unit in parts:
        qualifier, marker = qualified.get(figure_id, ("exact", ""))
        printed_row = row(
            figure_id,
            "poverty_exit",
            "households",
            printed,
            unit[0] if unit else "户",
            DAY,
            DAY,
            dimension=dimension,
            qualifier=qualifier,
            marker=marker,
        )
        rows.append({**printed_row, "breakdown_value": part, "locator": locator})
    return tidy.tidy_figures(pd.DataFrame(rows), UNITS, INDICATORS)


def declared(*pairs: tuple[str, str]) -> pd.DataFrame:
    """relations.csv rows declaring each repeat: a sum of one operand (the same quantity printed again)."""
    return pd.DataFrame(
        [
            {"relation_id": f"repeat_{i}", "kind": "sum", "result": result, "operands": operand, "note": ""}
            for i, (result, operand) in enumerate(pairs)
        ],
        columns=["relation_id", "kind", "result", "operands", "note"],
    )


# The page prints its type breakdown twice (in the text and again in a table): 6,000 + 3,230 = 9,230.
TWICE = (
    ("urban_text", "type", "城镇", "6000", "城镇6000户"),
    ("rural_text", "type", "农村", "3230", "农村3230户"),
    ("urban_table", "type", "城镇", "6000", "城镇|6000"),
    ("rural_table", "type", "农村", "3230", "农村|3230"),
)


def audited(figures: pd.DataFrame, relations: pd.DataFrame) -> pd.DataFrame:
    found = derived.derive(figures, MEANING, relations)
    return derived.audit_derived(figures, found).set_index("relation_id")


def test_a_breakdown_printed_twice_adds_each_part_once():
    figures = households(*TWICE)
    result = audited(figures, declared(("urban_text", "urban_table"), ("rural_text", "rural_table")))
    # Added as printed, the four rows give 6,000 + 3,230 + 6,000 + 3,230 = 18,460 against 9,230: a false 'fails'.
    # Once per part: 6,000 + 3,230 = 9,230, exact integers, so it holds with nothing to spare.
    (sum_id,) = [r for r in result.index if r.startswith("derived_sum_")]
    assert result.at[sum_id, "verdict"] == "holds"
    assert len(result.at[sum_id, "figures"].split()) == 1 + 2  # the total and one printing of each part
    assert result.at[sum_id, "expected"] == "9,230"
    # Both repeats are declared (either way round would do), so no repeat is derived again.
    assert set(result["rule"]) == {"exhaustive_sum"}


def test_a_repeat_declared_the_other_way_round_is_the_same_identity():
    figures = households(*TWICE)
    # A sum of one operand says two figures are equal: urban_table = urban_text is urban_text = urban_table.
    one_way = audited(figures, declared(("urban_table", "urban_text"), ("rural_table", "rural_text")))
    other_way = audited(figures, declared(("urban_text", "urban_table"), ("rural_text", "rural_table")))
    assert set(one_way["rule"]) == set(other_way["rule"]) == {"exhaustive_sum"}


def test_an_undeclared_repeat_is_derived_and_checked():
    figures = households(*TWICE)
    result = audited(figures, declared())
    repeats = result[result["rule"] == "printed_twice"]
    # 6,000 = 6,000 and 3,230 = 3,230: both hold.
    assert len(repeats) == 2 and set(repeats["verdict"]) == {"holds"}
    assert set(repeats["kind"]) == {"sum"}


def test_a_repeat_printed_in_wan_agrees_within_its_rounding_and_the_exact_printing_is_added():
    # 0.6万 is 5,500 to 6,500 households; the exact 6,000 lies inside it, so they agree and the exact one is added.
    figures = households(
        ("urban_text", "type", "城镇", "6000", "城镇6000户"),
        ("rural_text", "type", "农村", "3230", "农村3230户"),
        ("urban_table", "type", "城镇", "0.6", "城镇|0.6万", "万"),
    )
    result = audited(figures, declared())
    (sum_id,) = [r for r in result.index if r.startswith("derived_sum_")]
    assert result.at[sum_id, "figures"] == "total urban_text rural_text"
    assert result.at[sum_id, "verdict"] == "holds"  # 6,000 + 3,230 = 9,230
    (repeat,) = result.index[result["rule"] == "printed_twice"]
    assert result.at[repeat, "figures"] == "urban_text urban_table" and result.at[repeat, "verdict"] == "holds"


def test_a_part_printed_twice_with_different_values_is_its_own_finding_not_a_sum_failure():
    figures = households(
        ("urban_text", "type", "城镇", "6000", "城镇6000户"),
        ("rural_text", "type", "农村", "3230", "农村3230户"),
        ("urban_table", "type", "城镇", "6100", "城镇|6100"),
        ("rural_table", "type", "农村", "3230", "农村|3230"),
    )
    result = audited(figures, declared())
    # Which urban printing to add is unknown: no sum is checked (6,000 + 3,230 holds, 6,100 + 3,230 = 9,330 fails).
    assert not any(r.startswith("derived_sum_") for r in result.index)
    (within,) = [r for r in result.index if r.startswith("derived_part_of_")]
    assert result.at[within, "verdict"] == "holds"  # 6,000, 6,100, 3,230 and 3,230 are each at most 9,230
    failing = result[result["verdict"] == "fails"]
    (finding,) = failing.index
    assert failing.at[finding, "rule"] == "printed_twice"
    assert set(failing.at[finding, "figures"].split()) == {"urban_text", "urban_table"}
    # 6,100 − 6,000 = 100, both exact.
    assert (
        failing.at[finding, "explanation"] == "printed twice with different values: 6,000 and 6,100, at least 100 apart"
    )


def test_a_declared_repeat_that_disagrees_is_explained_as_printed_twice():
    figures = households(
        ("urban_text", "type", "城镇", "6000", "城镇6000户"),
        ("urban_table", "type", "城镇", "6100", "城镇|6100"),
    )
    from analysis.evidence import audit

    result = audit.run_audit(figures, declared(("urban_text", "urban_table"))).set_index("relation_id")
    assert result.at["repeat_0", "verdict"] == "fails"
    assert result.at["repeat_0", "explanation"] == (
        "printed twice with different values: 6,100 and 6,000, at least 100 apart"  # operand first, then result
    )


def test_the_two_ends_of_one_printed_range_are_not_a_repeat():
    # 甲区 printed as '5000至7000户': two rows (at least 5,000; at most 7,000) with one locator, one printing.
    figures = households(
        ("district_low", "district", "甲区", "5000", "甲区5000至7000户"),
        ("district_high", "district", "甲区", "7000", "甲区5000至7000户"),
        district_low=("at_least", "至"),
        district_high=("at_most", "至"),
    )
    result = audited(figures, declared())
    assert "printed_twice" not in set(result["rule"])


def test_the_narrowest_printing_is_chosen_whatever_the_rows_order():
    # TEST rows: 5.1万 read as 50,500 to 51,500 (width 1,000) and 51723 as itself (width 0).
    printings = pd.DataFrame(
        {"figure_id": ["rounded", "exact"], "value_low": [50500.0, 51723.0], "value_high": [51500.0, 51723.0]}
    )
    assert derived.most_precise_printing(printings) == "exact"
    assert derived.most_precise_printing(printings.iloc[::-1]) == "exact"


def test_equally_narrow_printings_give_the_first_figure_id_whatever_the_rows_order():
    # TEST rows: two printings of 9,230 with the same interval; "b-second" sorts after "a-first".
    printings = pd.DataFrame(
        {"figure_id": ["b-second", "a-first"], "value_low": [9230.0, 9230.0], "value_high": [9230.0, 9230.0]}
    )
    assert derived.most_precise_printing(printings) == "a-first"
    assert derived.most_precise_printing(printings.iloc[::-1]) == "a-first"

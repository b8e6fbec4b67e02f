"""regions.csv `within` (TEST FIXTURE files): empty or another listed region, never leading back to itself;
errors name the file, row, column and rule. A regions.csv without the column still loads (`within` empty)."""

from __future__ import annotations

import pytest

from analysis.evidence import raw

HEADER = "region,name_en,name_zh,within\n"


def load(tmp_path, body, header=HEADER):
    path = tmp_path / "regions.csv"
    path.write_text(header + body, encoding="utf-8")
    return raw.load_regions(path)


def test_a_region_within_a_listed_region_loads(tmp_path):
    regions = load(tmp_path, "Testcountry,Testcountry,测试国,\nTestprovince,Testprovince,测试省,Testcountry\n")
    assert dict(zip(regions["region"], regions["within"])) == {"Testcountry": "", "Testprovince": "Testcountry"}


def test_a_regions_table_without_the_column_loads_with_it_empty(tmp_path):
    regions = load(tmp_path, "Testcountry,Testcountry,测试国\n", header="region,name_en,name_zh\n")
    assert list(regions["within"]) == [""]


def test_within_an_unlisted_region_is_an_error_naming_row_and_column(tmp_path):
    with pytest.raises(raw.RawDataError) as err:
        load(tmp_path, "Testcountry,Testcountry,测试国,\nTestprovince,Testprovince,测试省,Nowhere\n")
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "within", "Nowhere")
    assert "must be another region listed in regions.csv" in problem.rule


def test_a_cycle_is_an_error_on_every_region_in_it(tmp_path):
    # A within B, B within A: both lead back to themselves; C within A does not (it is outside the cycle).
    body = "A,A,甲,B\nB,B,乙,A\nC,C,丙,A\n"
    with pytest.raises(raw.RawDataError) as err:
        load(tmp_path, body)
    assert sorted((p.row, p.column) for p in err.value.problems) == [(1, "within"), (2, "within")]
    assert all("must not lead back" in p.rule for p in err.value.problems)

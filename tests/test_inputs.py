"""What a report reads (publish.inputs): the import graph, the table slices and `make why`'s differences."""

from __future__ import annotations

import ast

from analysis.publish import inputs, makerules
from analysis.publish.config import load_config


def closure_of(source: str) -> set[str]:
    return inputs.import_closure(inputs.imported_modules(ast.parse(source)))


def test_imports_are_read_from_the_source_transitively():
    found = closure_of("from analysis.charts import satisfaction as charts")
    # charts/satisfaction.py imports charts.labels and charts.style; style imports charts.fonts and atomic.
    assert {
        "analysis",
        "analysis.charts",
        "analysis.charts.satisfaction",
        "analysis.charts.labels",
        "analysis.charts.style",
        "analysis.charts.fonts",
        "analysis.atomic",
    } <= found
    assert "analysis.charts.hotline" not in found and "analysis.publish.diff" not in found


def test_relative_and_lazy_imports_count():
    tree = ast.parse("def f():\n    from .style import new_figure\n    import analysis.numbers\n")
    assert inputs.imported_modules(tree, "analysis.charts.hotline") == {"analysis.charts.style", "analysis.numbers"}
    package = ast.parse("from . import labels\n")
    assert inputs.imported_modules(package, "analysis.charts", is_package=True) == {
        "analysis.charts",
        "analysis.charts.labels",
    }


def test_a_notebook_reads_only_the_chart_module_it_imports():
    manifests = {e.name: inputs.manifest(e, inputs.Context()) for e in load_config()}
    satisfaction = "src/analysis/charts/satisfaction.py"
    readers = {name for name, m in manifests.items() if satisfaction in m["modules"]}
    expected = {e.name for e in load_config() if e.notebook == "03_service_satisfaction.ipynb"}
    assert readers == expected and len(expected) == 4
    # Neither the comparison with a reference build nor the package metadata is read by any page.
    for m in manifests.values():
        assert "src/analysis/publish/diff.py" not in m["modules"] and "pyproject.toml" not in m["modules"]


def test_a_region_report_reads_its_region_rows_and_the_audit_rows_on_them():
    entry = next(e for e in load_config() if e.name == "hotline_growth_beijing")
    m = inputs.manifest(entry, inputs.Context())
    hotline = inputs.Table("hotline_volume")
    beijing = {r["figure_id"] for r in hotline.rows if r["region"] == "Beijing"}
    others = {r["figure_id"] for r in hotline.rows if r["region"] != "Beijing"}
    rows = set(m["tables"]["hotline_volume"]["rows"])
    assert beijing <= rows and beijing
    audit = inputs.Table("audit")
    on_beijing = {r["relation_id"] for r in audit.rows if beijing & set(r["figures"].split())}
    assert on_beijing <= set(m["tables"]["audit"]["rows"]) and on_beijing
    # A figure of another region is read only if an audit row on Beijing's figures names it.
    named = {i for r in audit.rows if r["relation_id"] in m["tables"]["audit"]["rows"] for i in r["figures"].split()}
    assert rows & others <= named


def test_a_region_report_reads_the_meaning_of_its_figures_only():
    entry = next(e for e in load_config() if e.name == "service_satisfaction_zhejiang")
    m = inputs.manifest(entry, inputs.Context())
    rows = inputs.Table("service_satisfaction").rows
    printed = {r["indicator"] for r in rows if r["region"] == "Zhejiang"}
    indicators = inputs.Table("indicators").rows
    named = {r["of"] for r in indicators if r["indicator"] in printed and r["of"]}  # one step of each `of` chain
    read = set(m["tables"]["indicators"]["rows"])
    assert printed | named <= read and read < {r["indicator"] for r in indicators}
    # The breakdowns declared on those indicators, keyed by indicator and dimension; no other.
    declared = {f"{r['indicator']}:{r['breakdown_dimension']}" for r in inputs.Table("breakdowns").rows}
    expected = {key for key in declared if key.split(":")[0] in read}
    assert set(m["tables"]["breakdowns"]["rows"]) == expected and expected


def test_an_of_chain_is_followed_to_its_end():
    table = inputs.Table.__new__(inputs.Table)
    table.rows = [{"indicator": "a", "of": "b"}, {"indicator": "b", "of": "c"}, {"indicator": "c", "of": ""}]
    table.rows.append({"indicator": "d", "of": "a"})
    assert inputs.indicator_closure(["a"], table) == {"a", "b", "c"}


def test_a_report_without_a_region_that_reads_figures_reads_the_whole_catalogue():
    entry = next(e for e in load_config() if e.name == "data_audit")
    m = inputs.manifest(entry, inputs.Context())
    assert len(m["tables"]["figures"]["rows"]) == len(inputs.Table("figures").rows)


def test_why_names_the_rows_the_notebook_and_the_module_that_changed():
    old = {
        "entry": {"title": "a"},
        "notebook": {"02.ipynb": "1"},
        "modules": {"src/analysis/x.py": "1", "src/analysis/gone.py": "1"},
        "inputs": {},
        "tables": {"figures": {"columns": "c", "rows": {"f1": "1", "f2": "2", "f3": "3"}}},
    }
    new = {
        "entry": {"title": "a"},
        "notebook": {"02.ipynb": "2"},
        "modules": {"src/analysis/x.py": "2"},
        "inputs": {},
        "tables": {"figures": {"columns": "c", "rows": {"f1": "1", "f2": "9", "f4": "4"}}},
    }
    assert inputs.differences(old, new) == [
        "notebook 02.ipynb: changed",
        "module src/analysis/gone.py: no longer read",
        "module src/analysis/x.py: changed",
        "data/processed/figures.csv: rows changed: f2",
        "data/processed/figures.csv: rows added: f4",
        "data/processed/figures.csv: rows removed: f3",
    ]
    assert inputs.differences(new, new) == []


def test_no_rule_deletes_its_own_target_and_each_page_builds_itself():
    entries = load_config()
    text = makerules.makefile_text(entries)
    assert "rm " not in text
    for e in entries:
        assert f"reports/html/{e.name}.html: build/inputs/{e.name}.json |" in text
        # Built unless the page is newer than its manifest (the shell looks again after the batch).
        page, manifest = f"reports/html/{e.name}.html", f"build/inputs/{e.name}.json"
        assert f"\t[ {page} -nt {manifest} ] || $(PY) -m analysis.publish build --jobs 1 {e.name}\n" in text

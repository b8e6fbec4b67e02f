"""No indicator id, region or breakdown value of any page in src/analysis: roles and vocabularies come from data.

Reads every id in data/raw/indicators.csv, every region (and each part of a hierarchical one) and every
breakdown value in data/raw/, and looks for them in the package's code (string constants and identifiers,
not comments or docstrings) and in its message catalogue and templates (not comment lines).
"""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

from analysis import paths

PACKAGE = paths.PACKAGE
TEXT_SUFFIXES = (".yml", ".yaml", ".json", ".j2")


def _column(path: Path, column: str) -> set[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row[column].strip() for row in csv.DictReader(handle) if row.get(column, "").strip()}


def source_terms() -> dict[str, str]:
    """Every term of the pages' data, each with what it is."""
    terms = dict.fromkeys(_column(paths.INDICATORS_CSV, "indicator"), "indicator")
    regions = _column(paths.FIGURES_CSV, "region") | _column(paths.REGIONS_CSV, "region")
    for region in regions:
        terms[region] = "region"
        for part in region.split(":"):
            terms.setdefault(part, "region")
    for value in _column(paths.FIGURES_CSV, "breakdown_value"):
        terms.setdefault(value, "breakdown value")
    return terms


def _pattern(term: str) -> re.Pattern[str]:
    """A term as a whole word: 'Beijing' not inside 'Beijingers', 'resident_population' not inside 'x_resident_population'."""
    return re.compile(rf"(?<![A-Za-z0-9_]){re.escape(term)}(?![A-Za-z0-9_])")


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings or other bare string statements (comments in effect)."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    }


def python_texts(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string constant (docstrings left out) and identifier in a Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    out = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            out.append((line, node.value))
        elif isinstance(node, ast.Name):
            out.append((line, node.id))
        elif isinstance(node, ast.Attribute):
            out.append((line, node.attr))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.append((line, node.name))
        elif isinstance(node, ast.arg):
            out.append((line, node.arg))
        elif isinstance(node, ast.keyword) and node.arg:
            out.append((line, node.arg))
    return out


def other_texts(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every line that is not a comment."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [(n, text) for n, text in enumerate(lines, start=1) if not text.lstrip().startswith(("#", "{#"))]


def occurrences() -> list[str]:
    """'file:line: kind term' for every term of the pages' data found in the package."""
    terms = source_terms()
    patterns = {term: _pattern(term) for term in terms}
    found = set()
    for path in sorted(PACKAGE.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        if path.suffix == ".py":
            texts = python_texts(path)
        elif path.suffix in TEXT_SUFFIXES:
            texts = other_texts(path)
        else:
            continue
        name = path.relative_to(paths.ROOT)
        for line, text in texts:
            for term, pattern in patterns.items():
                if pattern.search(text):
                    found.add(f"{name}:{line}: {terms[term]} {term!r}")
    return sorted(found)


def test_the_terms_are_read_from_the_data():
    """The test cannot pass vacuously: it reads indicators, regions and breakdown values."""
    kinds = set(source_terms().values())
    assert kinds == {"indicator", "region", "breakdown value"}
    assert _pattern("resident_population").search('"resident_population"')
    assert not _pattern("resident_population").search("total_resident_population_x")


def test_the_scanner_sees_strings_and_identifiers_but_not_comments_or_docstrings(tmp_path):
    path = tmp_path / "sample.py"
    path.write_text('"""Beijing docstring."""\n# Beijing comment\nPLACE = "Beijing"\nBeijing = 1\n', encoding="utf-8")
    texts = [text for _, text in python_texts(path)]
    assert "Beijing" in texts and "PLACE" in texts
    assert not any("docstring" in t or "comment" in t for t in texts)


def test_no_source_id_region_or_breakdown_value_in_the_package():
    found = occurrences()
    assert found == [], f"{len(found)} term(s) of the pages' data in src/analysis:\n" + "\n".join(found)

"""Malformed raw input stops `make data` with file, row, column and rule, and changes nothing built."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from analysis.evidence import raw
from conftest import copy_repository, make

FIGURES = "data/raw/figures.csv"


def read_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines(keepends=True)))


def csv_bytes(rows: list[dict[str, str]], fieldnames: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = copy_repository(tmp_path_factory.mktemp("schema") / "repo")
    make(root, "data")
    return root


def first_percent_row(rows: list[dict[str, str]]) -> int:
    return next(i for i, r in enumerate(rows) if r["unit"] == "%")


def edit(column: str, value: str, row: int | None = 0):
    def apply(rows, fields):
        index = first_percent_row(rows) if row is None else row
        rows[index][column] = value
        return rows, fields, index + 1
    return apply


def duplicate_id(rows, fields):
    rows[1]["figure_id"] = rows[0]["figure_id"]
    return rows, fields, 2


def drop_column(rows, fields):
    return [{k: v for k, v in r.items() if k != "locator"} for r in rows], [f for f in fields if f != "locator"], None


def add_column(rows, fields):
    return [{**r, "comment": "x"} for r in rows], [*fields, "comment"], None


CASES = {
    "missing column": (drop_column, "column 'locator': required column is missing"),
    "unknown column": (add_column, "column 'comment': unknown column"),
    "non-numeric value": (edit("value", "六千"), "column 'value': must be a number"),
    "negative count": (edit("value", "-5"), "column 'value': must be >= 0 (no negative figures)"),
    "rate outside its range": (edit("value", "112.5", row=None), "column 'value': a percentage must lie in 0..100"),
    "unparseable date": (edit("period_end", "2019-02-30"), "column 'period_end': must be an ISO date YYYY-MM-DD"),
    "duplicate id": (duplicate_id, "column 'figure_id': must be unique (duplicate id)"),
    "unknown source id": (edit("source_id", "nosuchpaper2020"), "column 'source_id': must be a source_id in sources.csv"),
    "unknown unit": (edit("unit", "斤"), "column 'unit': must be a unit in units.csv"),
    "unknown qualifier": (edit("qualifier", "roughly"), "column 'qualifier': must be one of exact, at_least, approximately, at_most"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_malformed_figures_are_a_build_error_naming_row_column_and_rule(workspace, case):
    transform, message = CASES[case]
    rows = read_rows(workspace / FIGURES)
    rows, fields, row = transform(rows, list(rows[0].keys()))
    result = make_data_with_figures(workspace, csv_bytes(rows, fields))
    where = FIGURES + (f", row {row} (line {row + 1})" if row is not None else "")
    assert f"{where}, {message}" in result.stderr


def make_data_with_figures(workspace: Path, content: bytes):
    """Run `make data` with figures.csv replaced by `content`; check nothing built changed."""
    figures = workspace / FIGURES
    original = figures.read_bytes()
    before = snapshot(workspace / "data/processed")
    figures.write_bytes(content)
    try:
        result = make(workspace, "data", check=False)
    finally:
        figures.write_bytes(original)
    assert result.returncode != 0
    assert snapshot(workspace / "data/processed") == before
    return result


def test_a_file_that_is_not_utf8_is_refused_with_its_line(workspace):
    text = (workspace / FIGURES).read_text(encoding="utf-8")
    first_chinese_line = next(i for i, line in enumerate(text.splitlines()) if any(ord(c) > 127 for c in line))
    result = make_data_with_figures(workspace, text.encode("gb18030"))
    assert f"{FIGURES}, row {first_chinese_line} (line {first_chinese_line + 1}): file is not UTF-8" in result.stderr


def test_an_empty_file_is_refused(workspace):
    result = make_data_with_figures(workspace, b"")
    assert f"{FIGURES}: file is empty" in result.stderr


def test_every_problem_is_listed_not_just_the_first(tmp_path):
    sources = tmp_path / "sources.csv"
    text = (raw.paths.SOURCES_CSV).read_text(encoding="utf-8")
    sources.write_text(text.replace(",simplified,", ",simplifed,", 2), encoding="utf-8")
    with pytest.raises(raw.RawDataError) as caught:
        raw.load_sources(sources)
    assert len(caught.value.problems) == 2
    assert all(p.column == "script" for p in caught.value.problems)


def test_the_committed_raw_data_is_valid():
    figures = raw.load_figures()
    assert len(figures) > 50

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
    "unparseable date": (edit("period_end", "2019-02-30"), "column 'period_end': must be an ISO date YYYY-MM-DD"),
    "duplicate id": (duplicate_id, "column 'figure_id': must be unique (duplicate id)"),
    "unknown source id": (
        edit("source_id", "nosuchpaper2020"),
        "column 'source_id': must be a source_id in sources.csv",
    ),
    "unknown unit": (edit("unit", "斤"), "column 'unit': must be a unit in units.csv"),
    "unknown qualifier": (
        edit("qualifier", "roughly"),
        "column 'qualifier': must be one of exact, at_least, approximately, at_most",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_malformed_figures_are_an_error_naming_row_column_and_rule(tmp_path, case):
    transform, message = CASES[case]
    rows = read_rows(raw.paths.FIGURES_CSV)
    rows, fields, row = transform(rows, list(rows[0].keys()))
    path = tmp_path / "figures.csv"
    path.write_bytes(csv_bytes(rows, fields))
    with pytest.raises(raw.RawDataError) as caught:
        raw.load_figures(path)
    where = "figures.csv" + (f", row {row} (line {row + 1})" if row is not None else "")
    assert f"{where}, {message}" in str(caught.value)


def test_malformed_figures_stop_make_data_naming_file_row_column_and_rule(workspace):
    """The same rules through `make data`: it fails, says where, and leaves data/processed as it was."""
    rows = read_rows(workspace / FIGURES)
    rows, fields, row = edit("unit", "斤")(rows, list(rows[0].keys()))
    result = make_data_with_figures(workspace, csv_bytes(rows, fields))
    assert f"{FIGURES}, row {row} (line {row + 1}), column 'unit': must be a unit in units.csv" in result.stderr


def make_data_with_figures(workspace: Path, content: bytes):
    """Run `make data` with figures.csv replaced by `content`; check nothing built changed."""
    return make_data_with(workspace, FIGURES, content)


def make_data_with(workspace: Path, raw_file: str, content: bytes):
    """Run `make data` with one raw file replaced by `content` (then restored); check it failed and changed nothing."""
    path = workspace / raw_file
    original = path.read_bytes()
    before = snapshot(workspace / "data/processed")
    path.write_bytes(content)
    try:
        result = make(workspace, "data", check=False)
    finally:
        path.write_bytes(original)
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
    # Every row of the committed figures.csv loads, however many there are.
    figures = raw.load_figures()
    assert len(figures) == len(read_rows(raw.paths.FIGURES_CSV)) > 0


def figures_text_with(edit_row) -> str:
    """The committed figures.csv with its first data row changed by `edit_row(dict) -> dict`."""
    rows = read_rows(raw.paths.FIGURES_CSV)
    rows[0] = edit_row(dict(rows[0]))
    return csv_bytes(rows, list(rows[0].keys())).decode("utf-8")


@pytest.mark.parametrize("value", ["inf", "1e400", "-inf"])
def test_a_value_that_is_not_finite_is_named_not_a_traceback(tmp_path, value):
    path = tmp_path / "figures.csv"
    path.write_text(figures_text_with(lambda r: {**r, "value": value}), encoding="utf-8")
    with pytest.raises(raw.RawDataError) as caught:
        raw.load_figures(path)
    assert "figures.csv, row 1 (line 2), column 'value': must be a finite number" in str(caught.value)


def test_an_infinite_multiplier_is_named(tmp_path):
    path = tmp_path / "units.csv"
    text = raw.paths.UNITS_CSV.read_text(encoding="utf-8").splitlines()
    unit = text[1].split(",")
    path.write_text("\n".join([text[0], ",".join([unit[0], "1e400", *unit[2:]]), *text[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(
        raw.RawDataError, match=r"units.csv, row 1 \(line 2\), column 'multiplier': must be a finite number"
    ):
        raw.load_units(path)


def test_a_reversed_publication_interval_is_refused(tmp_path):
    path = tmp_path / "sources.csv"
    rows = read_rows(raw.paths.SOURCES_CSV)
    rows[0]["publication_date"] = "2019-04-28/2019-03-16"
    path.write_bytes(csv_bytes(rows, list(rows[0].keys())))
    with pytest.raises(
        raw.RawDataError,
        match="row 1 .*column 'publication_date': must be an ISO 8601 date, YYYY-MM, "
        "or interval A/B with A not after B",
    ):
        raw.load_sources(path)


@pytest.mark.parametrize(
    "url",
    ["www.example.invalid/page", "ftp://example.invalid/page", "https://", "https://example.invalid/a page"],
)
def test_a_source_address_that_is_not_a_web_address_is_refused(tmp_path, url):
    path = tmp_path / "sources.csv"
    rows = read_rows(raw.paths.SOURCES_CSV)
    rows[1]["url"] = url
    path.write_bytes(csv_bytes(rows, list(rows[0].keys())))
    with pytest.raises(raw.RawDataError) as caught:
        raw.load_sources(path)
    assert [(p.file.endswith("sources.csv"), p.row, p.column) for p in caught.value.problems] == [(True, 2, "url")]
    assert "must be an http:// or https:// address" in caught.value.problems[0].rule


def test_a_source_address_is_optional_and_reaches_the_processed_sources(tmp_path, monkeypatch):
    from analysis.evidence import catalogue

    path = tmp_path / "sources.csv"
    rows = read_rows(raw.paths.SOURCES_CSV)
    rows[0]["url"] = "https://example.invalid/page?id=1#p2"  # TEST address: any http(s) address with a host
    path.write_bytes(csv_bytes(rows, list(rows[0].keys())))
    loaded = raw.load_sources(path)
    assert list(loaded["url"]) == ["https://example.invalid/page?id=1#p2"] + [""] * (len(rows) - 1)
    monkeypatch.setattr(raw, "load_sources", lambda: loaded)
    assert catalogue.build_tables()["sources"].equals(loaded)


def test_a_ragged_row_names_file_and_line(tmp_path):
    path = tmp_path / "figures.csv"
    lines = raw.paths.FIGURES_CSV.read_text(encoding="utf-8").splitlines()
    lines[3] += ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(raw.RawDataError) as caught:
        raw.load_figures(path)
    assert f"figures.csv, row 3 (line 4): has {lines[0].count(',') + 2} fields, the header has" in str(caught.value)


def test_a_period_ending_before_it_starts_is_one_problem_under_its_own_column(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(figures_text_with(lambda r: {**r, "period_start": "2030-01-01"}), encoding="utf-8")
    with pytest.raises(raw.RawDataError) as caught:
        raw.load_figures(path)
    assert [(p.row, p.column, p.rule) for p in caught.value.problems] == [
        (1, "period_end", "must not be before period_start")
    ]


def test_line_numbers_stay_right_after_a_quoted_newline(tmp_path):
    path = tmp_path / "figures.csv"
    rows = read_rows(raw.paths.FIGURES_CSV)
    rows[0]["note"] = "first line\nsecond line"
    rows[2]["unit"] = "斤"
    path.write_bytes(csv_bytes(rows, list(rows[0].keys())))
    with pytest.raises(raw.RawDataError, match=r"figures.csv, row 3 \(line 5\), column 'unit'"):
        raw.load_figures(path)


def test_each_source_records_the_digest_of_the_text_it_was_read_from():
    folder = raw.paths.ROOT.parent / "shared" / "sources"
    if not folder.is_dir():
        pytest.skip("the source texts are not beside the repository")
    import hashlib

    for source in raw.load_sources().itertuples():
        text = folder / source.text_file
        assert hashlib.sha256(text.read_bytes()).hexdigest() == source.text_sha256, source.source_id


def test_periods_and_locators_are_printed_verbatim_on_their_pages():
    folder = raw.paths.ROOT.parent / "shared" / "sources"
    if not folder.is_dir():
        pytest.skip("the source texts are not beside the repository")
    import re

    texts = {
        s.source_id: re.sub(r"\s+", "", (folder / s.text_file).read_text(encoding="utf-8"))
        for s in raw.load_sources().itertuples()
    }
    missing = [
        (f.figure_id, printed)
        for f in raw.load_figures().itertuples()
        for printed in [f.locator, *[p.strip() for p in f.period_as_printed.split(";") if p.strip()]]
        if re.sub(r"\s+", "", printed) not in texts[f.source_id]
    ]
    assert missing == []


def test_an_indicator_not_listed_in_indicators_csv_names_file_row_column_and_rule(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(figures_text_with(lambda r: {**r, "indicator": "brand_new_indicator"}), encoding="utf-8")
    with pytest.raises(raw.RawDataError) as caught:
        raw.load_figures(path)
    assert [(p.row, p.column, p.rule, p.value) for p in caught.value.problems] == [
        (1, "indicator", raw.UNLISTED_INDICATOR, "brand_new_indicator")
    ]
    assert "figures.csv, row 1 (line 2), column 'indicator': must be an indicator listed in indicators.csv" in str(
        caught.value
    )


def test_an_indicator_dropped_from_indicators_csv_is_a_build_error(workspace):
    """`make data` names figures.csv's row whose indicator indicators.csv no longer lists, and writes nothing."""
    rows = read_rows(workspace / "data/raw/indicators.csv")
    dropped = rows.pop(0)["indicator"]
    row = next(i for i, r in enumerate(read_rows(workspace / FIGURES), start=1) if r["indicator"] == dropped)
    result = make_data_with(workspace, "data/raw/indicators.csv", csv_bytes(rows, list(rows[0].keys())))
    assert f"{FIGURES}, row {row} (line {row + 1}), column 'indicator': {raw.UNLISTED_INDICATOR}" in result.stderr


@pytest.mark.parametrize(
    "case, change, message",
    [
        (
            "duplicate indicator",
            lambda rows: rows[1].update(indicator=rows[0]["indicator"]),
            "row 2 (line 3), column 'indicator': must be unique (duplicate id)",
        ),
        ("blank name", lambda rows: rows[0].update(name_zh=" "), "row 1 (line 2), column 'name_zh': must not be empty"),
        (
            "not snake_case",
            lambda rows: rows[0].update(indicator="Hotline-Calls"),
            "row 1 (line 2), column 'indicator': must be a lowercase slug (snake_case)",
        ),
    ],
)
def test_malformed_indicator_names_are_refused(tmp_path, case, change, message):
    path = tmp_path / "indicators.csv"
    rows = read_rows(raw.paths.INDICATORS_CSV)
    change(rows)
    path.write_bytes(csv_bytes(rows, list(rows[0].keys())))
    with pytest.raises(raw.RawDataError) as caught:
        raw.load_indicators(path)
    assert f"indicators.csv, {message}" in str(caught.value)


def test_every_indicator_in_figures_csv_has_both_names():
    names = raw.load_indicators().set_index("indicator")
    used = set(raw.load_figures()["indicator"])
    assert used <= set(names.index)
    for indicator in used:
        assert names.at[indicator, "name_en"].strip() and names.at[indicator, "name_zh"].strip(), indicator
        # The Chinese name is Chinese, not the code or an English phrase.
        assert any("\u4e00" <= c <= "\u9fff" for c in names.at[indicator, "name_zh"]), indicator


def test_a_raw_tables_line_map_is_shared_not_copied_into_what_derives_from_it(tmp_path):
    # pandas deep-copies attrs into every column, row and frame derived from a frame; the map of file lines
    # is read only, so each derived frame shares it (a copy per derived frame cost a third of `make data`).
    path = tmp_path / "t.csv"
    path.write_text('a,b\n1,"x\ny"\n2,z\n', encoding="utf-8")  # a quoted newline: row 2 starts on line 4
    frame = raw.read_csv_text(path)
    assert dict(frame.attrs["lines"]) == {1: 2, 2: 4}
    for derived in (frame["a"], frame.loc[2], frame[frame["a"] == "2"], frame.copy()):
        assert derived.attrs["lines"] is frame.attrs["lines"]

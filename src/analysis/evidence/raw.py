"""Load and validate the hand-entered tables in data/raw; malformed input is a build error."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from analysis import paths
from analysis.evidence.markers import qualifiers_of

TOPICS = ("poverty_exit", "hotline", "satisfaction", "context")
QUALIFIERS = ("exact", "at_least", "approximately", "at_most")
UNIT_KINDS = ("count", "rate", "ratio", "money", "area")
SCRIPTS = ("simplified", "traditional")

SLUG = r"^[a-z][a-z0-9_]*$"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_REDUCED = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Problem:
    """One broken rule in one raw file: where it is and what it says."""

    file: str
    row: int | None  # 1-based data row (the header is line 1, data row 1 is line 2)
    column: str | None
    rule: str
    value: str | None = None
    in_csv: bool = True  # CSV rows also get their line number; Parquet records do not have lines
    line: int | None = None  # the row's first line in the file, where a quoted field spans lines

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            line = self.line if self.line is not None else self.row + 1
            where += f", row {self.row} (line {line})" if self.in_csv else f", record {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        shown = "" if self.value is None else f" (found {self.value!r})"
        return f"{where}: {self.rule}{shown}"


class RawDataError(ValueError):
    """Raw data broke one or more rules; the message lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the input:\n{lines}")

    def __reduce__(self) -> tuple[type, tuple[list[Problem]]]:
        """Pickle by the problems, so the error crosses process boundaries (Dask workers) intact."""
        return type(self), (self.problems,)


def _is_iso_date(text: str) -> bool:
    if not ISO_DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _is_publication_date(text: str) -> bool:
    """An ISO 8601 date, reduced-precision date (YYYY or YYYY-MM) or interval 'A/B' with A not after B."""
    parts = text.split("/")
    if len(parts) not in (1, 2) or not all(ISO_REDUCED.match(p) for p in parts):
        return False
    if len(parts) == 2 and parts[0] > parts[1][: len(parts[0])]:
        return False
    return all(_is_iso_date(p) for p in parts if len(p) == 10)


def _is_web_address_or_empty(text: str) -> bool:
    """Empty, or an absolute http(s) address with a host and no whitespace."""
    if text == "":
        return True
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not re.search(r"\s", text)


def _text(*checks: pa.Check, unique: bool = False) -> pa.Column:
    return pa.Column(str, checks=list(checks), unique=unique, nullable=False)


NON_EMPTY = pa.Check.str_length(min_value=1, error="must not be empty")
FINITE = pa.Check(lambda s: np.isfinite(s), error="must be a finite number")
NAMED = pa.Check(lambda s: s.str.strip().str.len() > 0, error="must not be empty or blank")
# A figure's indicator must be named before a report can show it: reports print names, never codes.
UNLISTED_INDICATOR = (
    "must be an indicator listed in indicators.csv (add a row there with its English and Chinese names)"
)
# A region not listed would start a new family of reports under a misspelt name.
UNLISTED_REGION = "must be a region listed in regions.csv (add a row there with its English and Chinese names)"
MARKER_READING = "contradicts its qualifier_marker (one reading per marker: src/analysis/evidence/markers.py)"


def sources_schema() -> pa.DataFrameSchema:
    """The bibliography: one row per source document."""
    return pa.DataFrameSchema(
        {
            "source_id": _text(pa.Check.str_matches(SLUG, error="must be a lowercase slug"), unique=True),
            "publication": _text(NON_EMPTY),
            "publication_zh": _text(NON_EMPTY),
            "publication_date": _text(
                pa.Check(
                    lambda s: s.map(_is_publication_date),
                    element_wise=False,
                    error="must be an ISO 8601 date, YYYY-MM, or interval A/B with A not after B",
                )
            ),
            "headline": _text(NON_EMPTY),
            "section_or_page": _text(),
            "script": _text(pa.Check.isin(SCRIPTS, error=f"must be one of {', '.join(SCRIPTS)}")),
            "reprinted_from": _text(),
            "date_resolution_notes": _text(NON_EMPTY),
            # The copy of the page's text the figures were read from (never committed) and its digest,
            # so a later reader can tell whether they hold the same text.
            "text_file": _text(),
            "text_sha256": _text(
                pa.Check.str_matches(r"^([0-9a-f]{64})?$", error="must be 64 lowercase hex digits or empty")
            ),
            # The page's address, where it was read online; empty when it is not known.
            "url": _text(
                pa.Check(
                    lambda s: s.map(_is_web_address_or_empty),
                    element_wise=False,
                    error="must be an http:// or https:// address (with a host, no spaces) or empty",
                )
            ),
        },
        strict=True,
        ordered=True,
    )


def units_schema() -> pa.DataFrameSchema:
    """The unit vocabulary: the printed unit, its multiplier to plain units, and its kind."""
    return pa.DataFrameSchema(
        {
            "unit": _text(NON_EMPTY, unique=True),
            "multiplier": pa.Column(float, [FINITE, pa.Check.gt(0, error="must be > 0")], coerce=True),
            "kind": _text(pa.Check.isin(UNIT_KINDS, error=f"must be one of {', '.join(UNIT_KINDS)}")),
            "unit_en": _text(NON_EMPTY),
        },
        strict=True,
        ordered=True,
    )


def _percent_units(units: pd.DataFrame) -> set[str]:
    return set(units.loc[units["kind"] == "rate", "unit"])


def _marker_reading_ok(df: pd.DataFrame) -> pd.Series:
    """Per row: the qualifier is one its printed marker may set (a marker evidence.markers does not list passes)."""
    return pd.Series(
        [not qualifiers_of(m) or q in qualifiers_of(m) for q, m in zip(df["qualifier"], df["qualifier_marker"])],
        index=df.index,
    )


def figures_schema(
    source_ids: set[str], units: pd.DataFrame, indicators: set[str], regions: set[str] | None = None
) -> pa.DataFrameSchema:
    """One row per figure printed in a source, with its provenance; its indicator and region named in their lists.

    `regions` None skips the region rule (a caller with no regions.csv at hand); `make data` always passes it.
    A percentage's range depends on whether relations.csv declares it a change: `load_relations` checks it.
    """
    rate_units = _percent_units(units)
    region_checks = [NON_EMPTY] + (
        [pa.Check.isin(sorted(regions), error=UNLISTED_REGION)] if regions is not None else []
    )
    iso = pa.Check(lambda s: s.map(_is_iso_date), element_wise=False, error="must be an ISO date YYYY-MM-DD")
    return pa.DataFrameSchema(
        {
            "figure_id": _text(pa.Check.str_matches(SLUG, error="must be a lowercase slug"), unique=True),
            "source_id": _text(pa.Check.isin(sorted(source_ids), error="must be a source_id in sources.csv")),
            "topic": _text(pa.Check.isin(TOPICS, error=f"must be one of {', '.join(TOPICS)}")),
            "region": _text(*region_checks),
            "indicator": _text(
                pa.Check.str_matches(SLUG, error="must be a lowercase slug"),
                pa.Check.isin(sorted(indicators), error=UNLISTED_INDICATOR),
            ),
            "breakdown_dimension": _text(),
            "breakdown_value": _text(),
            "period_start": _text(iso),
            "period_end": _text(iso),
            "period_as_printed": _text(),
            "period_resolution": _text(NON_EMPTY),
            "value": pa.Column(float, [FINITE], coerce=True),
            "unit": _text(pa.Check.isin(sorted(units["unit"]), error="must be a unit in units.csv")),
            "qualifier": _text(pa.Check.isin(QUALIFIERS, error=f"must be one of {', '.join(QUALIFIERS)}")),
            "qualifier_marker": _text(),
            "locator": _text(NON_EMPTY),
            "note": _text(),
        },
        checks=[
            # Only a printed change (同比/环比) may be negative: relations.csv says which figures those are.
            pa.Check(
                lambda df: df["unit"].isin(rate_units) | (df["value"] >= 0),
                name="value",
                error="must be >= 0 (no negative figures)",
            ),
            pa.Check(
                lambda df: df["period_start"] <= df["period_end"],
                name="period_end",
                error="must not be before period_start",
            ),
            pa.Check(
                lambda df: (df["breakdown_dimension"] == "") == (df["breakdown_value"] == ""),
                name="breakdown_value",
                error="breakdown_dimension and breakdown_value go together",
            ),
            pa.Check(
                lambda df: (df["qualifier"] == "exact") == (df["qualifier_marker"] == ""),
                name="qualifier_marker",
                error="a qualifier other than 'exact' needs its printed marker",
            ),
            pa.Check(_marker_reading_ok, name="qualifier", error=MARKER_READING),
        ],
        strict=True,
        ordered=True,
    )


def read_csv_text(path: Path) -> pd.DataFrame:
    """Read a raw CSV as strings, refusing empty and non-UTF-8 files."""
    name = _display_name(path)
    data = path.read_bytes()
    if not data.strip():
        raise RawDataError([Problem(name, None, None, "file is empty")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise RawDataError(
            [
                Problem(
                    name,
                    line - 1 if line > 1 else None,
                    None,
                    f"file is not UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})",
                )
            ]
        ) from err
    text = text.removeprefix("\ufeff")
    header, *rows = csv_rows(text, name)
    ragged = [
        Problem(name, row, None, f"has {width} fields, the header has {header[1]}", line=line)
        for row, (line, width) in enumerate(rows, start=1)
        if width != header[1]
    ]
    if ragged:
        raise RawDataError(ragged)
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    frame.index = pd.RangeIndex(1, len(frame) + 1)  # data rows numbered from 1
    frame.attrs["lines"] = LineNumbers({row: line for row, (line, _) in enumerate(rows, start=1)})
    if frame.empty:
        raise RawDataError([Problem(name, None, None, "file has a header but no data rows")])
    return frame


class LineNumbers(dict):
    """Data row -> file line, kept in a frame's attrs. pandas deep-copies attrs into every frame, column and row
    derived from the frame (each column pandera checks, each row read): copying a dict of every row's line cost
    a third of `make data`. It is never changed once read, so every derived frame shares it."""

    def __deepcopy__(self, memo: dict) -> LineNumbers:
        return self


def csv_rows(text: str, name: str) -> list[tuple[int, int]]:
    """(first line, number of fields) of every CSV record, the header first; quoted newlines counted right."""
    reader = csv.reader(io.StringIO(text))
    records, line = [], 1
    try:
        for fields in reader:
            records.append((line, len(fields)))
            line = reader.line_num + 1
    except csv.Error as err:
        raise RawDataError([Problem(name, None, None, f"cannot be parsed at line {reader.line_num}: {err}")]) from None
    return records


def _display_name(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, path: Path, *, redact: bool = False) -> pd.DataFrame:
    """Validate `frame` against `schema`, raising RawDataError that names file, row, column, rule.

    `redact` leaves the offending values out of the message (record-level inputs: it may reach a log).
    """
    try:
        return schema.validate(frame, lazy=True)
    except SchemaErrors as err:
        problems = _problems(err.failure_cases, schema, _display_name(path), frame)
        if redact:
            problems = [replace(p, value=None) for p in problems]
        raise RawDataError(problems) from None


def _problems(cases: pd.DataFrame, schema: pa.DataFrameSchema, name: str, frame: pd.DataFrame) -> list[Problem]:
    problems = []
    for case in cases.itertuples(index=False):
        check = str(case.check)
        column = case.column if isinstance(case.column, str) else None
        row = int(case.index) if pd.notna(case.index) else None
        if check == "column_in_dataframe":
            problems.append(Problem(name, None, str(case.failure_case), "required column is missing"))
            continue
        if check == "column_in_schema":
            problems.append(Problem(name, None, str(case.failure_case), "unknown column"))
            continue
        if check.startswith("column_ordered"):
            problems.append(
                Problem(name, None, str(case.failure_case), f"columns must be in the order {', '.join(schema.columns)}")
            )
            continue
        if case.schema_context == "DataFrameSchema":
            column = _frame_check_column(schema, check) or column
        rule = _rule_text(schema, column, check)
        value = None
        if row is not None and column in frame.columns:
            value = str(frame.at[row, column])
        elif pd.notna(case.failure_case):
            value = str(case.failure_case)
        problems.append(Problem(name, row, column, rule, value, line=frame.attrs.get("lines", {}).get(row)))
    # A frame-level rule fails once per row, however many columns pandera lists it under.
    return sorted(set(problems), key=lambda p: (p.row or 0, p.column or "", p.rule))


def _frame_check_column(schema: pa.DataFrameSchema, check: str) -> str | None:
    for frame_check in schema.checks:
        if frame_check.error == check or frame_check.name == check:
            return frame_check.name
    return None


def _rule_text(schema: pa.DataFrameSchema, column: str | None, check: str) -> str:
    if check.startswith(("coerce_dtype", "dtype")):
        return "must be a number"
    if check == "field_uniqueness":
        return "must be unique (duplicate id)"
    if check == "not_nullable":
        return "must not be empty"
    return check


def load_sources(path: Path = paths.SOURCES_CSV) -> pd.DataFrame:
    """The validated bibliography."""
    return validate(read_csv_text(path), sources_schema(), path)


def load_units(path: Path = paths.UNITS_CSV) -> pd.DataFrame:
    """The validated unit vocabulary."""
    return validate(read_csv_text(path), units_schema(), path)


def load_figures(
    path: Path = paths.FIGURES_CSV,
    *,
    sources: pd.DataFrame | None = None,
    units: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
    regions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The validated figures, checked against the bibliography, the unit vocabulary, the indicator and region names.

    `value_as_printed` keeps the value's text, every digit of it: its last digit is the printed precision.
    """
    sources = load_sources() if sources is None else sources
    units = load_units() if units is None else units
    indicators = load_indicators() if indicators is None else indicators
    regions = load_regions() if regions is None else regions
    schema = figures_schema(set(sources["source_id"]), units, set(indicators["indicator"]), set(regions["region"]))
    frame = read_csv_text(path)
    printed = frame["value"].str.strip() if "value" in frame.columns else None
    figures = validate(frame, schema, path)
    return figures.assign(value_as_printed=printed)


def regions_schema() -> pa.DataFrameSchema:
    """Region names as reports show them, in English and Chinese (a region not listed shows as stored), and the
    region each lies within where its name does not say so (`within`, optional)."""
    return pa.DataFrameSchema(
        {
            "region": _text(NON_EMPTY, unique=True),
            "name_en": _text(NON_EMPTY),
            "name_zh": _text(NON_EMPTY),
            "within": pa.Column(str, nullable=False, required=False),
        },
        checks=region_nesting_checks(),
        strict=True,
        ordered=True,
    )


def load_regions(path: Path = paths.REGIONS_CSV) -> pd.DataFrame:
    """The validated region names, with `within` (empty where regions.csv has no such column)."""
    frame = read_csv_text(path)
    regions = validate(frame, regions_schema(), path)
    return regions if "within" in regions.columns else regions.assign(within="")


# ---------------------------------------------------------------- regions within regions (issue 26)
# A ':' in a region's name nests it (Beijing:Huairou); `within` names the enclosing region where the name cannot
# (a province within its country). Comparisons never set a level of a region against one inside it.


def enclosing_chain(region: str, within: dict[str, str]) -> list[str]:
    """The regions `within` says enclose `region`, innermost first (a cycle is followed once round, no further)."""
    chain: list[str] = []
    outer = within.get(region, "")
    while outer and outer not in chain:
        chain.append(outer)
        outer = within.get(outer, "")
    return chain


def region_nesting_checks() -> list[pa.Check]:
    """`within` (where present) is empty or another listed region, and following it never comes back."""

    def listed(df: pd.DataFrame) -> pd.Series:
        if "within" not in df.columns:
            return pd.Series(True, index=df.index)
        return (df["within"] == "") | (df["within"].isin(set(df["region"])) & (df["within"] != df["region"]))

    def acyclic(df: pd.DataFrame) -> pd.Series:
        if "within" not in df.columns:
            return pd.Series(True, index=df.index)
        within = dict(zip(df["region"], df["within"]))
        return pd.Series([r not in enclosing_chain(r, within) for r in df["region"]], index=df.index)

    return [
        pa.Check(listed, name="within", error="must be another region listed in regions.csv, or empty"),
        pa.Check(acyclic, name="within", error="must not lead back to this region (a region cannot lie within itself)"),
    ]


def indicators_schema() -> pa.DataFrameSchema:
    """Indicator names as reports show them, in English and Chinese, and what each indicator means."""
    return pa.DataFrameSchema(
        {
            "indicator": _text(pa.Check.str_matches(SLUG, error="must be a lowercase slug (snake_case)"), unique=True),
            "name_en": _text(NAMED),
            "name_zh": _text(NAMED),
            **indicator_meaning_columns(),
        },
        checks=indicator_meaning_checks(),
        strict=True,
        ordered=True,
    )


def load_indicators(path: Path = paths.INDICATORS_CSV) -> pd.DataFrame:
    """The validated indicator names."""
    return validate(read_csv_text(path), indicators_schema(), path)


RELATION_KINDS = (
    "sum",
    "part_of",
    "share",
    "base",
    "ratio",
    "per_day",
    "change",
    "covers",
    "per_unit_range",
    "count_rule",
)
# How many operands each kind takes: (fewest, most).
OPERAND_COUNTS = {
    "sum": (1, None),
    "part_of": (1, None),
    "share": (2, 2),
    "base": (1, 1),
    "ratio": (2, 2),
    "per_day": (1, 1),
    "change": (1, 2),
    "covers": (1, None),
    "per_unit_range": (3, 3),
    "count_rule": (2, 2),
}
RATE_RESULTS = ("share", "base", "change")


def relations_schema(figures: pd.DataFrame, units: pd.DataFrame) -> pa.DataFrameSchema:
    """Identities the sources imply, declared as data: one row per relation between printed figures."""
    known = set(figures["figure_id"])
    rates = set(figures.loc[figures["unit"].isin(_percent_units(units)), "figure_id"])

    def operand_count_ok(df: pd.DataFrame) -> pd.Series:
        counts = df["operands"].str.split().str.len()
        fewest = df["kind"].map(lambda k: OPERAND_COUNTS.get(k, (0, None))[0])
        most = df["kind"].map(lambda k: OPERAND_COUNTS.get(k, (0, None))[1] or 10**6)
        return (counts >= fewest) & (counts <= most)

    return pa.DataFrameSchema(
        {
            "relation_id": _text(pa.Check.str_matches(SLUG, error="must be a lowercase slug"), unique=True),
            "kind": _text(pa.Check.isin(RELATION_KINDS, error=f"must be one of {', '.join(RELATION_KINDS)}")),
            "result": _text(pa.Check.isin(sorted(known), error="must be a figure_id in figures.csv")),
            "operands": _text(
                pa.Check(
                    lambda s: s.map(lambda v: bool(v.split()) and set(v.split()) <= known),
                    element_wise=False,
                    error="must be figure_ids in figures.csv, separated by spaces",
                )
            ),
            "note": _text(),
        },
        checks=[
            pa.Check(
                operand_count_ok,
                name="operands",
                error="wrong number of operands for the kind (share, ratio, count_rule: 2; base, per_day: 1; "
                "change: 1 or 2; per_unit_range: 3; sum, part_of, covers: 1 or more)",
            ),
            pa.Check(
                lambda df: ~df["kind"].isin(RATE_RESULTS) | df["result"].isin(rates),
                name="result",
                error="a share, base or change relation's result must be a rate (a figure printed in %)",
            ),
        ],
        strict=True,
        ordered=True,
    )


def load_relations(figures: pd.DataFrame, units: pd.DataFrame, path: Path = paths.RELATIONS_CSV) -> pd.DataFrame:
    """The validated relations, and the figures' value rules that depend on them.

    A negative figure must be the result of a `change` relation. A percentage lies in 0..100, except a
    declared change (同比/环比), which may be any value from -100 on (同比增长133.1% is a rise, not a share).
    """
    relations = validate(read_csv_text(path), relations_schema(figures, units), path)
    changes = figures["figure_id"].isin(set(relations.loc[relations["kind"] == "change", "result"]))
    percent = figures["unit"].isin(_percent_units(units))
    rules = [
        (~changes & (figures["value"] < 0), "must be >= 0 unless relations.csv declares it a change (同比/环比)"),
        (
            ~changes & percent & (figures["value"] > 100),
            "a percentage must lie in 0..100 unless relations.csv declares it a change (同比/环比)",
        ),
        (changes & (figures["value"] < -100), "a change (同比/环比) must be >= -100%: nothing falls by more than all"),
    ]
    problems = [
        Problem(
            _display_name(paths.FIGURES_CSV),
            int(row),
            "value",
            rule,
            str(figures.at[row, "value_as_printed"]),
            line=figures.attrs.get("lines", {}).get(row),
        )
        for broken, rule in rules
        for row in figures.index[broken]
    ]
    if problems:
        raise RawDataError(sorted(problems, key=lambda p: (p.row or 0, p.rule)))
    return relations


# ---------------------------------------------------------------- what a figure means (issue 24)
# What kind of quantity an indicator is. The analyses look kinds up (evidence.meaning); data/raw/README.md
# documents each.
INDICATOR_KINDS = (
    "stock",  # units on file or present on a date
    "flow",  # units or events over a period; adds up over the parts of the period
    "period_count",  # distinct units counted over a period (took part, were covered): does not add up over time
    "rate",  # a percentage: a share of a whole (census) or an estimated propensity (estimate)
    "average",  # a mean per day, week, month, year, or per unit
    "per_unit",  # what each unit has or gets, as printed (1 to 5 agents per village)
    "change",  # a printed change of another indicator (同比/环比)
    "ratio",  # a quotient of two figures (倍)
    "amount",  # a sum of money
    "duration",  # a length of time that was measured
    "area",  # a land area
    "rule",  # a number set by a rule or a plan (deadline, threshold, quota, target)
)
# The kinds that are derived from another indicator and may say which (`of`).
OF_KINDS = ("rate", "average", "per_unit", "change", "ratio")
# `per`: what an average or a per-unit figure is per; for a change, what it compares with.
PER_REQUIRED = ("average", "per_unit")
PERIODS = ("day", "week", "month", "quarter", "year")
# A rate printed as a rate a year (年度, 年均) whatever the span its figure was measured over.
RATE_PER = "year"
CHANGE_BASES = ("year", "period")  # 同比: the same period a year earlier; 环比: the adjacent period of the same length
READINGS = ("census", "estimate")
# `direction`: a flow of units into (新增) or out of (退出) the stock its `of` names.
DIRECTIONS = ("in", "out")
BREAKDOWN_PARTS = ("exhaustive", "partial", "overlapping", "top")
# Units of a printed figure by the indicator kind it must have: a % is a rate or a change; money is an amount or
# a value per something; an area is an area.
UNIT_KIND_OF = {"rate": ("rate",), "amount": ("money",), "area": ("area",), "ratio": ("ratio",)}
SLUG_OR_EMPTY = r"^([a-z][a-z0-9_]*)?$"


def _value_in(column: str, allowed: tuple[str, ...], where: tuple[str, ...] | None, error: str) -> pa.Check:
    """A frame check: `column` is one of `allowed` on the rows whose kind is in `where` (all rows when None)."""

    def check(df: pd.DataFrame) -> pd.Series:
        applies = df["kind"].isin(where) if where is not None else pd.Series(True, index=df.index)
        return ~applies | df[column].isin(allowed)

    return pa.Check(check, name=column, error=error)


def indicator_meaning_columns() -> dict[str, pa.Column]:
    """The columns of indicators.csv that say what an indicator is: kind, counts, per, of, scope, reading, direction."""
    return {
        "kind": _text(
            pa.Check.isin(INDICATOR_KINDS, error=f"must be one of {', '.join(INDICATOR_KINDS)} (data/raw/README.md)")
        ),
        "counts": _text(pa.Check.str_matches(SLUG, error="must say what one unit is, as a lowercase plural noun")),
        "per": _text(pa.Check.str_matches(SLUG_OR_EMPTY, error="must be a lowercase slug or empty")),
        "of": _text(pa.Check.str_matches(SLUG_OR_EMPTY, error="must be an indicator or empty")),
        "scope": _text(pa.Check.str_matches(SLUG, error="must name the population or service, as a lowercase slug")),
        "reading": _text(),
        "direction": _text(pa.Check.isin(("", *DIRECTIONS), error="must be in, out or empty")),
    }


def indicator_meaning_checks() -> list[pa.Check]:
    """Rules between the meaning columns of one indicators.csv row."""

    def of_known(df: pd.DataFrame) -> pd.Series:
        return (df["of"] == "") | (df["of"].isin(set(df["indicator"])) & (df["of"] != df["indicator"]))

    def per_ok(df: pd.DataFrame) -> pd.Series:
        required = df["kind"].isin(PER_REQUIRED)
        change = df["kind"] == "change"
        rate = df["kind"] == "rate"
        return (
            (~required | (df["per"] != ""))
            & (~change | df["per"].isin(("", *CHANGE_BASES)))
            & (~rate | df["per"].isin(("", RATE_PER)))
        )

    def per_only_where_needed(df: pd.DataFrame) -> pd.Series:
        return df["kind"].isin((*PER_REQUIRED, "change", "rate")) | (df["per"] == "")

    def enters_or_leaves_its_stock(df: pd.DataFrame) -> pd.Series:
        stocks = df[df["kind"] == "stock"].set_index("indicator")
        its_stock = df["of"].map(lambda of: of in stocks.index)
        same_counts = df["counts"] == df["of"].map(stocks["counts"])
        same_scope = df["scope"] == df["of"].map(stocks["scope"])
        return (df["kind"] != "flow") | (df["direction"] == "") | (its_stock & same_counts & same_scope)

    return [
        pa.Check(of_known, name="of", error="must be another indicator listed in indicators.csv, or empty"),
        pa.Check(
            lambda df: df["kind"].isin(OF_KINDS) | (df["of"] == "") | (df["direction"] != ""),
            name="of",
            error=f"only a {', '.join(OF_KINDS)} is derived from another indicator, or a flow with a direction "
            "names the stock it enters or leaves; leave `of` empty",
        ),
        pa.Check(
            per_ok,
            name="per",
            error="an average or per_unit says what it is per (day, week, month, quarter, year or a unit such as "
            "villages); a change says year (同比) or period (环比), or is empty; a rate says year (printed as a rate a "
            "year) or is empty",
        ),
        pa.Check(per_only_where_needed, name="per", error="only an average, a per_unit, a change or a rate has `per`"),
        _value_in("reading", READINGS, ("rate",), "a rate must say census (a share of a full count) or estimate"),
        pa.Check(
            lambda df: (df["kind"] == "rate") | (df["reading"] == ""),
            name="reading",
            error="only a rate has a reading; leave it empty",
        ),
        pa.Check(
            lambda df: (df["kind"] == "flow") | (df["direction"] == ""),
            name="direction",
            error="only a flow has a direction (in or out of the stock its `of` names); leave it empty",
        ),
        pa.Check(
            enters_or_leaves_its_stock,
            name="direction",
            error="a flow with a direction must name in `of` the stock it enters or leaves: an indicator of kind "
            "stock that counts the same units in the same scope",
        ),
    ]


def breakdowns_schema(indicators: set[str]) -> pa.DataFrameSchema:
    """How the parts of each breakdown relate to its total: one row per indicator and breakdown_dimension."""
    return pa.DataFrameSchema(
        {
            "indicator": _text(
                pa.Check.isin(sorted(indicators), error="must be an indicator listed in indicators.csv")
            ),
            "breakdown_dimension": _text(pa.Check.str_matches(SLUG, error="must be a lowercase slug")),
            "parts": _text(pa.Check.isin(BREAKDOWN_PARTS, error=f"must be one of {', '.join(BREAKDOWN_PARTS)}")),
            "note": _text(),
        },
        checks=[
            pa.Check(
                lambda df: ~df.duplicated(["indicator", "breakdown_dimension"]),
                name="breakdown_dimension",
                error="must be unique for its indicator (one row per breakdown)",
            )
        ],
        strict=True,
        ordered=True,
    )


def load_breakdowns(figures: pd.DataFrame, indicators: pd.DataFrame, path: Path = paths.BREAKDOWNS_CSV) -> pd.DataFrame:
    """The validated breakdowns; every breakdown figures.csv uses is declared, and every declared one is used."""
    breakdowns = validate(read_csv_text(path), breakdowns_schema(set(indicators["indicator"])), path)
    used = set(zip(figures["indicator"], figures["breakdown_dimension"])) - {(i, "") for i in figures["indicator"]}
    declared = set(zip(breakdowns["indicator"], breakdowns["breakdown_dimension"]))
    problems = [
        Problem(
            _display_name(paths.FIGURES_CSV),
            int(row),
            "breakdown_dimension",
            f"must be declared in breakdowns.csv for indicator {figures.at[row, 'indicator']!r} (exhaustive, "
            "partial, overlapping or top)",
            str(figures.at[row, "breakdown_dimension"]),
            line=figures.attrs.get("lines", {}).get(row),
        )
        for row in figures.index
        if figures.at[row, "breakdown_dimension"] != ""
        and (figures.at[row, "indicator"], figures.at[row, "breakdown_dimension"]) not in declared
    ]
    problems += [
        Problem(
            _display_name(path),
            int(row),
            "breakdown_dimension",
            "is not used by any figure of this indicator in figures.csv",
            str(breakdowns.at[row, "breakdown_dimension"]),
            line=breakdowns.attrs.get("lines", {}).get(row),
        )
        for row in breakdowns.index
        if (breakdowns.at[row, "indicator"], breakdowns.at[row, "breakdown_dimension"]) not in used
    ]
    if problems:
        raise RawDataError(problems)
    return breakdowns


def figure_meaning_schema() -> pa.DataFrameSchema:
    """Rules a figure must keep with its indicator's kind (figures.csv merged with indicators.csv and units.csv)."""

    def unit_fits(df: pd.DataFrame) -> pd.Series:
        fits = pd.Series(True, index=df.index)
        for kind, unit_kinds in UNIT_KIND_OF.items():
            fits &= (df["indicator_kind"] != kind) | df["unit_kind"].isin(unit_kinds)
        return fits

    return pa.DataFrameSchema(
        checks=[
            pa.Check(
                unit_fits,
                name="unit",
                error="does not fit its indicator's kind (indicators.csv): a rate is printed in %, an amount in "
                "money, an area in an area unit, a ratio in 倍",
            ),
            pa.Check(
                lambda df: (df["unit_kind"] != "rate") | df["indicator_kind"].isin(("rate", "change")),
                name="unit",
                error="a figure printed in % must be of an indicator whose kind is rate or change (indicators.csv)",
            ),
            # A stock is on a date. Where the page prints no date words, the period may bracket the date it
            # could refer to (an undated page's month); a printed date is one day.
            pa.Check(
                lambda df: (
                    (df["indicator_kind"] != "stock")
                    | (df["period_start"] == df["period_end"])
                    | (df["period_as_printed"] == "")
                ),
                name="period_start",
                error="the indicator is a stock (indicators.csv): a stock is on a date, so period_start must equal "
                "period_end (or make the indicator a flow or period_count)",
            ),
            # A flow is over a period; a flow of one day has its day printed (清明, 3月15日).
            pa.Check(
                lambda df: (
                    (df["indicator_kind"] != "flow")
                    | (df["period_start"] != df["period_end"])
                    | (df["period_as_printed"] != "")
                ),
                name="period_end",
                error="the indicator is a flow (indicators.csv): a flow is over a period, and no printed date "
                "words say it is one day",
            ),
        ],
        strict=False,
    )


def check_figure_meaning(
    figures: pd.DataFrame, indicators: pd.DataFrame, units: pd.DataFrame, path: Path = paths.FIGURES_CSV
) -> pd.DataFrame:
    """Each figure against its indicator's declared kind; problems name figures.csv's row and column."""
    kinds = indicators.set_index("indicator")["kind"]
    unit_kinds = units.set_index("unit")["kind"]
    merged = figures.assign(
        indicator_kind=figures["indicator"].map(kinds).fillna(""),
        unit_kind=figures["unit"].map(unit_kinds).fillna(""),
    )
    validate(merged, figure_meaning_schema(), path)
    return figures


# ---------------------------------------------------------------- scopes in words (issue 26)
# A scope (indicators.csv `scope`) is meaning, so its words are data: a page with a new scope adds a row here.


def scopes_schema() -> pa.DataFrameSchema:
    """Each declared scope in words, in English and Chinese, as comparison pages show it."""
    return pa.DataFrameSchema(
        {
            "scope": _text(pa.Check.str_matches(SLUG, error="must be a lowercase slug"), unique=True),
            "name_en": _text(NAMED),
            "name_zh": _text(
                NAMED,
                pa.Check(
                    lambda s: ~s.map(str.isascii),
                    element_wise=False,
                    error="must be written in Chinese (not the code or English)",
                ),
            ),
        },
        strict=True,
        ordered=True,
    )


def load_scopes(indicators: pd.DataFrame, path: Path = paths.SCOPES_CSV) -> pd.DataFrame:
    """The validated scope words; every scope indicators.csv declares must be listed."""
    scopes = validate(read_csv_text(path), scopes_schema(), path)
    listed = set(scopes["scope"])
    problems = [
        Problem(
            _display_name(paths.INDICATORS_CSV),
            int(row),
            "scope",
            "must be a scope listed in scopes.csv (add a row there with its English and Chinese words)",
            str(indicators.at[row, "scope"]),
            line=indicators.attrs.get("lines", {}).get(row),
        )
        for row in indicators.index
        if indicators.at[row, "scope"] not in listed
    ]
    if problems:
        raise RawDataError(problems)
    return scopes

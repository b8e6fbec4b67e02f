"""Load and validate the hand-entered tables in data/raw; malformed input is a build error."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from analysis import paths

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

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row} (line {self.row + 1})" if self.in_csv else f", record {self.row}"
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
    """An ISO 8601 date, reduced-precision date (YYYY or YYYY-MM) or interval 'A/B'."""
    parts = text.split("/")
    if len(parts) not in (1, 2) or not all(ISO_REDUCED.match(p) for p in parts):
        return False
    return all(_is_iso_date(p) for p in parts if len(p) == 10)


def _text(*checks: pa.Check, unique: bool = False) -> pa.Column:
    return pa.Column(str, checks=list(checks), unique=unique, nullable=False)


NON_EMPTY = pa.Check.str_length(min_value=1, error="must not be empty")


def sources_schema() -> pa.DataFrameSchema:
    """The bibliography: one row per source document."""
    return pa.DataFrameSchema(
        {
            "source_id": _text(pa.Check.str_matches(SLUG, error="must be a lowercase slug"), unique=True),
            "publication": _text(NON_EMPTY),
            "publication_date": _text(pa.Check(lambda s: s.map(_is_publication_date),
                                               element_wise=False,
                                               error="must be an ISO 8601 date, YYYY-MM, or interval A/B")),
            "headline": _text(NON_EMPTY),
            "section_or_page": _text(),
            "script": _text(pa.Check.isin(SCRIPTS, error=f"must be one of {', '.join(SCRIPTS)}")),
            "reprinted_from": _text(),
            "date_resolution_notes": _text(NON_EMPTY),
        },
        strict=True,
        ordered=True,
    )


def units_schema() -> pa.DataFrameSchema:
    """The unit vocabulary: the printed unit, its multiplier to plain units, and its kind."""
    return pa.DataFrameSchema(
        {
            "unit": _text(NON_EMPTY, unique=True),
            "multiplier": pa.Column(float, pa.Check.gt(0, error="must be > 0"), coerce=True),
            "kind": _text(pa.Check.isin(UNIT_KINDS, error=f"must be one of {', '.join(UNIT_KINDS)}")),
            "unit_en": _text(NON_EMPTY),
        },
        strict=True,
        ordered=True,
    )


def _percent_units(units: pd.DataFrame) -> set[str]:
    return set(units.loc[units["kind"] == "rate", "unit"])


def figures_schema(source_ids: set[str], units: pd.DataFrame) -> pa.DataFrameSchema:
    """One row per figure printed in a source, with its provenance."""
    rate_units = _percent_units(units)
    iso = pa.Check(lambda s: s.map(_is_iso_date), element_wise=False,
                   error="must be an ISO date YYYY-MM-DD")
    return pa.DataFrameSchema(
        {
            "figure_id": _text(pa.Check.str_matches(SLUG, error="must be a lowercase slug"), unique=True),
            "source_id": _text(pa.Check.isin(sorted(source_ids), error="must be a source_id in sources.csv")),
            "topic": _text(pa.Check.isin(TOPICS, error=f"must be one of {', '.join(TOPICS)}")),
            "region": _text(NON_EMPTY),
            "indicator": _text(pa.Check.str_matches(SLUG, error="must be a lowercase slug")),
            "breakdown_dimension": _text(),
            "breakdown_value": _text(),
            "period_start": _text(iso),
            "period_end": _text(iso),
            "period_as_printed": _text(),
            "period_resolution": _text(NON_EMPTY),
            "value": pa.Column(float, [pa.Check.ge(0, error="must be >= 0 (no negative figures)")],
                               coerce=True),
            "unit": _text(pa.Check.isin(sorted(units["unit"]), error="must be a unit in units.csv")),
            "qualifier": _text(pa.Check.isin(QUALIFIERS, error=f"must be one of {', '.join(QUALIFIERS)}")),
            "qualifier_marker": _text(),
            "locator": _text(NON_EMPTY),
            "note": _text(),
        },
        checks=[
            pa.Check(lambda df: ~df["unit"].isin(rate_units) | (df["value"] <= 100),
                     name="value", error="a percentage must lie in 0..100"),
            pa.Check(lambda df: df["period_start"] <= df["period_end"],
                     name="period_end", error="must not be before period_start"),
            pa.Check(lambda df: (df["breakdown_dimension"] == "") == (df["breakdown_value"] == ""),
                     name="breakdown_value", error="breakdown_dimension and breakdown_value go together"),
            pa.Check(lambda df: (df["qualifier"] == "exact") == (df["qualifier_marker"] == ""),
                     name="qualifier_marker", error="a qualifier other than 'exact' needs its printed marker"),
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
        raise RawDataError([Problem(name, line - 1 if line > 1 else None, None,
                                    f"file is not UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})")]) from err
    frame = pd.read_csv(io.StringIO(text.removeprefix("\ufeff")), dtype=str, keep_default_na=False)
    frame.index = pd.RangeIndex(1, len(frame) + 1)  # data rows numbered from 1
    if frame.empty:
        raise RawDataError([Problem(name, None, None, "file has a header but no data rows")])
    return frame


def _display_name(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, path: Path) -> pd.DataFrame:
    """Validate `frame` against `schema`, raising RawDataError that names file, row, column, rule."""
    try:
        return schema.validate(frame, lazy=True)
    except SchemaErrors as err:
        raise RawDataError(_problems(err.failure_cases, schema, _display_name(path), frame)) from None


def _problems(cases: pd.DataFrame, schema: pa.DataFrameSchema, name: str,
              frame: pd.DataFrame) -> list[Problem]:
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
            problems.append(Problem(name, None, str(case.failure_case),
                                    f"columns must be in the order {', '.join(schema.columns)}"))
            continue
        if column is None and case.schema_context == "DataFrameSchema":
            column = _frame_check_column(schema, check)
        rule = _rule_text(schema, column, check)
        value = None
        if row is not None and column in frame.columns:
            value = str(frame.at[row, column])
        elif pd.notna(case.failure_case):
            value = str(case.failure_case)
        problems.append(Problem(name, row, column, rule, value))
    return sorted(problems, key=lambda p: (p.row or 0, p.column or "", p.rule))


def _frame_check_column(schema: pa.DataFrameSchema, check: str) -> str | None:
    for frame_check in schema.checks:
        if frame_check.error == check or frame_check.name == check:
            return frame_check.name
    return None


def _rule_text(schema: pa.DataFrameSchema, column: str | None, check: str) -> str:
    if check.startswith("coerce_dtype") or check.startswith("dtype"):
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


def load_figures(path: Path = paths.FIGURES_CSV, *, sources: pd.DataFrame | None = None,
                 units: pd.DataFrame | None = None) -> pd.DataFrame:
    """The validated figures, checked against the bibliography and the unit vocabulary."""
    sources = load_sources() if sources is None else sources
    units = load_units() if units is None else units
    schema = figures_schema(set(sources["source_id"]), units)
    return validate(read_csv_text(path), schema, path)

"""Record-level vocabularies: the values an export's columns may hold, read from a file beside the export.

No district, category, type, cause or identifier format of any region is written here: an export
`<folder>/<name>.csv` (or `<name>.parquet`, or a dataset directory `<name>/`) comes with
`<folder>/<name>.vocabulary.yml` (beside a directory, not inside it), which says, column by column,
what the export may hold (the values here are invented):

    # free comments
    label: SYNTHETIC            # optional; a SYNTHETIC vocabulary says so
    columns:
      district:
        values: [甲县, 乙区]      # the only values the column may hold (distinct, non-empty texts)
      main_cause:
        values: [因病, 因灾]
        reference: 因病          # optional: the level models compare the others against (default: the first)
      household_id:
        pattern: '^G\\d{4}-\\d{4}$'  # identifiers: a regular expression every value must match in full
        example: G2024-0001      # optional: shown in the error message (must match the pattern)

Each kind of export (`registry.VOCABULARY`, `calllog.VOCABULARY`) says which columns must be listed and
which may be. Validation of the export reads the file; a missing file, a malformed one, or a value outside
it is a RawDataError naming the file, the record and column where known, and the rule. The SYNTHETIC
generators write their vocabulary (synthetic.yml's, labelled SYNTHETIC) beside what they generate.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis import paths
from analysis.atomic import write_text_if_changed
from analysis.evidence.raw import Problem, RawDataError

SUFFIX = ".vocabulary.yml"
# What a kind of export asks of a column: a list of values, or (optional) a list or a pattern.
LISTED = "listed"
OPTIONAL = "optional"
KEYS = ("values", "reference", "pattern", "example")
SHOWN = 12  # values listed in a message; the rest are counted
FORMAT = "data/raw/microdata/README.md"


@dataclass(frozen=True)
class ColumnRule:
    """What one column may hold: one of `values`, or text matching `pattern`."""

    values: tuple[str, ...] = ()
    reference: str | None = None
    pattern: str | None = None
    example: str | None = None


@dataclass(frozen=True)
class Vocabulary:
    """An export's vocabulary, as read from its file."""

    path: Path
    columns: dict[str, ColumnRule]
    label: str | None = None

    @property
    def name(self) -> str:
        return self.path.name

    def values(self, column: str) -> tuple[str, ...]:
        """The values `column` may hold (empty when it has none listed)."""
        rule = self.columns.get(column)
        return rule.values if rule else ()

    def reference(self, column: str) -> str:
        """The level models compare the others against: the declared reference, else the first value listed."""
        rule = self.columns.get(column)
        if rule is None or not rule.values:
            raise RawDataError([Problem(_shown(self.path), None, column, "must list the values of this column")])
        return rule.reference or rule.values[0]

    def references(self, *columns: str) -> dict[str, str]:
        """The reference level of each column, in the order given."""
        return {column: self.reference(column) for column in columns}

    def values_rule(self, column: str) -> str:
        """The rule a value outside the list breaks, as a message names it."""
        values = self.values(column)
        if len(values) == 1:
            return f"must be the one value listed for it in {self.name} ({values[0]})"
        shown = ", ".join(values[:SHOWN]) + (f", … ({len(values) - SHOWN} more)" if len(values) > SHOWN else "")
        return f"must be one of the {len(values)} values listed for it in {self.name} ({shown})"

    def pattern_rule(self, column: str) -> str:
        """The rule an identifier not matching the column's pattern breaks."""
        rule = self.columns[column]
        example = f", e.g. {rule.example}" if rule.example else ""
        return f"must match the pattern {rule.pattern} given for it in {self.name}{example}"


EXPORT_SUFFIXES = (".csv", ".parquet")


def path_for(export: Path) -> Path:
    """Where an export's vocabulary lies: beside it, `<name>.vocabulary.yml` (a .csv or .parquet suffix dropped)."""
    export = Path(export)
    stem = export.stem if export.suffix in EXPORT_SUFFIXES else export.name
    return export.parent / f"{stem}{SUFFIX}"


def _shown(path: Path) -> str:
    return paths.relative(path)


def load(export: Path, kind: Mapping[str, str]) -> Vocabulary:
    """The vocabulary beside `export`, checked against what `kind` (column -> LISTED or OPTIONAL) asks."""
    path = path_for(export)
    name = _shown(path)
    if not path.is_file():
        listed = ", ".join(c for c, need in kind.items() if need == LISTED)
        raise RawDataError(
            [
                Problem(
                    name,
                    None,
                    None,
                    f"is missing: the vocabulary of {Path(export).name} must lie beside it, listing the values of "
                    f"{listed} (format: {FORMAT})",
                    in_csv=False,
                )
            ]
        )
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise RawDataError([Problem(name, None, None, "is not UTF-8 text", in_csv=False)]) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise RawDataError([Problem(name, None, None, f"is not valid YAML{where}", in_csv=False)]) from None
    return parse(document, path, kind)


def parse(document: object, path: Path, kind: Mapping[str, str]) -> Vocabulary:
    """A vocabulary from its parsed YAML, every problem named by file and column."""
    name = _shown(path)
    problems: list[Problem] = []

    def problem(column: str | None, rule: str) -> None:
        problems.append(Problem(name, None, column, rule, in_csv=False))

    if not isinstance(document, dict) or not isinstance(document.get("columns"), dict):
        problem(None, "must be a mapping with a 'columns' mapping (column -> its values or pattern)")
        raise RawDataError(problems)
    for key in document:
        if key not in ("columns", "label"):
            problem(None, f"unknown key '{key}' (allowed: columns, label)")
    label = document.get("label")
    if label is not None and not isinstance(label, str):
        problem(None, "'label' must be a text")
    columns: dict[str, ColumnRule] = {}
    for column, spec in document["columns"].items():
        column = str(column)
        if column not in kind:
            problem(column, f"is not a column this export may describe (allowed: {', '.join(kind)})")
            continue
        rule = _column_rule(spec, kind[column], lambda rule, c=column: problem(c, rule))
        if rule is not None:
            columns[column] = rule
    for column, need in kind.items():
        if need == LISTED and column not in document["columns"]:
            problem(column, f"must be listed: give 'values', the list of values {column} may hold")
    if problems:
        raise RawDataError(problems)
    return Vocabulary(path, columns, label)


def _column_rule(spec: object, need: str, problem) -> ColumnRule | None:
    if not isinstance(spec, dict):
        problem("must be a mapping with 'values' (and optionally 'reference') or 'pattern'")
        return None
    unknown = [str(k) for k in spec if k not in KEYS]
    if unknown:
        problem(f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(KEYS)})")
        return None
    values, pattern = spec.get("values"), spec.get("pattern")
    if need == LISTED and values is None:
        problem("must give 'values': the list of values the column may hold")
        return None
    if values is None and pattern is None:
        problem("must give 'values' (the values it may hold) or 'pattern' (what every value must match)")
        return None
    if values is not None and pattern is not None:
        problem("must give 'values' or 'pattern', not both")
        return None
    if values is not None:
        if not isinstance(values, list) or not values:
            problem("'values' must be a non-empty list")
            return None
        if not all(isinstance(v, str) and v.strip() == v and v for v in values):
            problem("'values' must be non-empty texts without surrounding spaces (quote numbers: '110')")
            return None
        if len(set(values)) != len(values):
            twice = sorted({v for v in values if values.count(v) > 1})
            problem(f"'values' lists {', '.join(twice)} more than once")
            return None
        reference = spec.get("reference")
        if reference is not None and reference not in values:
            problem("'reference' must be one of its 'values'")
            return None
        if spec.get("example") is not None:
            problem("'example' goes with 'pattern' only")
            return None
        return ColumnRule(tuple(values), reference)
    if spec.get("reference") is not None:
        problem("'reference' goes with 'values' only")
        return None
    if not isinstance(pattern, str) or not pattern:
        problem("'pattern' must be a regular expression (a text)")
        return None
    try:
        compiled = re.compile(pattern)
    except re.error as err:
        problem(f"'pattern' is not a regular expression ({err})")
        return None
    example = spec.get("example")
    if example is not None and not (isinstance(example, str) and compiled.fullmatch(example)):
        problem("'example' must match its 'pattern'")
        return None
    return ColumnRule(pattern=pattern, example=example)


def document(columns: Mapping[str, Mapping[str, object]], label: str | None = None) -> dict:
    """A vocabulary document (as written to a file) from column -> {values, reference, pattern, example}."""
    body: dict[str, object] = {"label": label} if label else {}
    body["columns"] = {column: {k: v for k, v in spec.items() if v is not None} for column, spec in columns.items()}
    return body


def write(path: Path, body: Mapping[str, object], note: str) -> bool:
    """Write a vocabulary file (a comment `note` on top); only when its content changes. True if written."""
    comment = "".join(f"# {line}\n".replace("# \n", "#\n") for line in note.splitlines())
    text = comment + yaml.safe_dump(dict(body), allow_unicode=True, sort_keys=False, width=120)
    return write_text_if_changed(path, text)

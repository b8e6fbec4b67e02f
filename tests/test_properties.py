"""Property-based tests (Hypothesis): the interval engine is sound, and raw validation never crashes.

The profile (tests/conftest.py, `repo`) makes every run deterministic and bounded: derandomized, 200 examples a
property (50 for each of the 11 relation kinds of properties 3 and 4: 550 each), no deadline, no example database. `pytest --hypothesis-show-statistics tests/test_properties.py`
reports how many examples each property ran.

Every figure below is a TEST FIXTURE drawn by Hypothesis, never a published figure.

1. A printed figure's interval contains the printed value (tidy.printed_interval, for every qualifier and marker).
2. Interval arithmetic is sound: for points drawn inside two intervals, their sum, product and quotient lie
   inside the interval the engine computes.
3. Each relation kind is sound: for random printed operands, any expression of points drawn inside the
   operands' intervals lies inside the interval the relation computes.
4. A relation built from consistent values holds: true values that satisfy the identity, printed at a random
   precision with a random qualifier that is true of them, never give `fails` (a lone change gives `derived`).
5. Raw validation, on random malformed rows of figures.csv and relations.csv, raises only RawDataError, and
   each problem names file, row, column and rule (a ragged row: file, row and rule; it has no column).
6. `make data`'s entry point on a malformed figures.csv exits 2 without a traceback, names file, row, column
   and rule, and leaves data/processed byte for byte as it was (a scratch tree): a few examples as `make data`
   runs it, a process each (what reaches the user: its exit status and stderr); the others through the same
   entry point in this process, where any exception but the RawDataError it reports fails the test.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import math
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import assume, event, given, note, settings
from hypothesis import strategies as st

from analysis import paths
from analysis.evidence import audit, catalogue, markers, raw, tidy

UNITS = pd.DataFrame(
    {
        "unit": ["户", "万", "%", "倍", "万元"],
        "multiplier": [1.0, 1e4, 0.01, 1.0, 1e4],
        "kind": ["count", "count", "rate", "ratio", "money"],
        "unit_en": ["households", "count", "percent", "times", "yuan"],
    }
)
MULTIPLIER = dict(zip(UNITS["unit"], UNITS["multiplier"]))
UNIT_KIND = dict(zip(UNITS["unit"], UNITS["kind"]))

# Every (qualifier, marker) a figures.csv row may carry: the markers' own readings (evidence/markers.py), a
# range's two ends, and `exact` with no marker.
QUALIFIED = sorted(
    {("exact", "")}
    | {(m.qualifier, m.text) for m in markers.MARKERS}
    | {(q, r) for r in markers.RANGE_MARKERS for q in ("at_least", "at_most")}
)


# ---------------------------------------------------------------- strategies


@st.composite
def printed_text(draw, negative: bool = False) -> str:
    """A number as a page prints it: an integer or a decimal, every digit kept."""
    decimals = draw(st.integers(0, 3))
    scale = 10**decimals
    low = -99 * scale if negative else 0
    whole = draw(st.integers(low, 10**6))
    text = str(abs(whole) // scale) + (f".{abs(whole) % scale:0{decimals}d}" if decimals else "")
    return ("-" if whole < 0 else "") + text


@st.composite
def printed_figure(draw, units=("户", "万", "%", "倍", "万元"), negative: bool = False) -> dict:
    text = draw(printed_text(negative))
    qualifier, marker = draw(st.sampled_from(QUALIFIED))
    return {"text": text, "unit": draw(st.sampled_from(units)), "qualifier": qualifier, "marker": marker}


def row(figure_id: str, printed: dict, start: str = "2021-01-01", end: str = "2021-01-01") -> dict:
    return {
        "figure_id": figure_id,
        "source_id": "fixture",
        "topic": "context",
        "region": "Testland",
        "indicator": figure_id,
        "breakdown_dimension": "",
        "breakdown_value": "",
        "period_start": start,
        "period_end": end,
        "period_as_printed": "",
        "period_resolution": "fixture",
        "value": float(printed["text"]),
        "value_as_printed": printed["text"],
        "unit": printed["unit"],
        "qualifier": printed["qualifier"],
        "qualifier_marker": printed["marker"],
        "locator": figure_id,
        "note": "",
    }


def table(rows: list[dict], averages: tuple[str, ...] = ()) -> pd.DataFrame:
    """The tidy table of TEST rows; `averages` are indicators of kind `average` (printed integers rounded)."""
    indicators = pd.DataFrame(
        {
            "indicator": [r["indicator"] for r in rows],
            "kind": ["average" if r["indicator"] in averages else "stock" for r in rows],
        }
    )
    return tidy.tidy_figures(pd.DataFrame(rows), UNITS, indicators)


def evaluate(kind: str, rows: list[dict], result: str, operands: list[str], averages=()) -> audit.Evaluation:
    return audit.EVALUATORS[kind](audit.Figures(table(rows, averages)), result, operands)


def point(interval: audit.Interval, t: float) -> float:
    """A point inside `interval`, `t` of the way from its low end (an unbounded end is cut at a finite reach)."""
    low = interval.low if math.isfinite(interval.low) else min(-1e9, interval.high - 1e9)
    high = interval.high if math.isfinite(interval.high) else max(1e9, low + 1e9)
    return low + t * (high - low)


def inside(value: float, interval: audit.Interval) -> bool:
    """`value` lies in `interval`, up to float rounding of the value's own magnitude."""
    slack = 1e-9 * max(1.0, abs(value)) + audit.EPSILON
    return interval.low - slack <= value <= interval.high + slack


FRACTIONS = st.floats(0.0, 1.0)


# ---------------------------------------------------------------- 1. a printed figure contains its value


@given(printed_figure(negative=True), st.sampled_from(["stock", "average"]))
def test_a_printed_figure_contains_its_printed_value(printed, indicator_kind):
    multiplier, kind = MULTIPLIER[printed["unit"]], UNIT_KIND[printed["unit"]]
    low, high = tidy.printed_interval(
        printed["text"], multiplier, kind, printed["qualifier"], printed["marker"], indicator_kind
    )
    value = float(printed["text"]) * multiplier
    assert low <= high
    # 近 reads a value just below the printed one; every other reading contains the printed value itself.
    assert low - 1e-9 * abs(value) <= value <= high + 1e-9 * abs(value)


# ---------------------------------------------------------------- 2. interval arithmetic is sound


@st.composite
def intervals(draw) -> audit.Interval:
    ends = st.one_of(st.floats(-1e7, 1e7), st.just(0.0), st.just(math.inf), st.just(-math.inf))
    a, b = draw(ends), draw(ends)
    assume(not (math.isinf(a) and a == b))
    return audit.Interval(min(a, b), max(a, b))


@given(intervals(), intervals(), FRACTIONS, FRACTIONS)
def test_interval_arithmetic_is_sound(a, b, s, t):
    x, y = point(a, s), point(b, t)
    note(f"x = {x}, y = {y}")
    assert inside(x + y, a + b)
    assert inside(x * y, a * b)
    if y != 0:
        assert inside(x / y, a / b)


# ---------------------------------------------------------------- 3. every relation kind is sound

KINDS = [
    "sum",
    "covers",
    "part_of",
    "ratio",
    "share",
    "per_day",
    "change",
    "change_alone",
    "count_rule",
    "base",
    "per_unit_range",
]


# Each kind is its own test case with its own examples (drawn from one list, some kinds got a handful).
PER_KIND = settings(max_examples=50)


@st.composite
def relation_case(draw, kind: str):
    """Random printed figures for a relation kind, and one point inside each operand's interval."""
    counts = ("户", "万")
    n_operands = {"sum": draw(st.integers(1, 4)), "covers": draw(st.integers(1, 3)), "part_of": draw(st.integers(1, 3))}
    start = date(2021, 1, 1) + timedelta(days=draw(st.integers(0, 400)))
    end = start + timedelta(days=draw(st.integers(0, 400)))
    period = {"start": start.isoformat(), "end": end.isoformat()}
    if kind in n_operands:
        operands = [draw(printed_figure(counts)) for _ in range(n_operands[kind])]
        result = draw(printed_figure(counts))
    elif kind in ("ratio", "share"):
        operands = [draw(printed_figure(counts)), draw(printed_figure(counts))]
        result = draw(printed_figure(("倍",) if kind == "ratio" else ("%",)))
    elif kind == "per_day":
        operands = [draw(printed_figure(counts))]
        result = draw(printed_figure(counts))
    elif kind in ("change", "change_alone"):
        operands = [draw(printed_figure(counts)) for _ in range(2 if kind == "change" else 1)]
        result = draw(printed_figure(("%",), negative=True))
    elif kind == "count_rule":
        operands = [draw(printed_figure(counts)), draw(printed_figure(("户", "倍")))]
        result = draw(printed_figure(counts))
    elif kind == "base":
        operands = [draw(printed_figure(("户",)))]
        result = draw(printed_figure(("%",)))
    else:  # per_unit_range: units, the range's low and high ends per unit
        operands = [draw(printed_figure(counts)), draw(printed_figure(("万元",))), draw(printed_figure(("万元",)))]
        result = draw(printed_figure(("万元",)))
    rows = [row("r", result, period["start"], period["end"])] + [
        row(f"o{i}", o, period["start"], period["end"]) for i, o in enumerate(operands)
    ]
    ts = [draw(FRACTIONS) for _ in range(len(rows))]
    return rows, ts, (end - start).days + 1


@pytest.mark.parametrize("kind", KINDS)
@PER_KIND
@given(data=st.data())
def test_every_relation_kind_is_sound(kind, data):
    rows, ts, days = data.draw(relation_case(kind))
    ids = [r["figure_id"] for r in rows[1:]]
    engine_kind = "change" if kind == "change_alone" else kind
    figures = audit.Figures(table(rows))  # read-only look-ups: the evaluator and the points share one tidy table
    evaluation = audit.EVALUATORS[engine_kind](figures, "r", ids)
    r, *o = [point(figures.interval(i), t) for i, t in zip(["r", *ids], ts)]
    note(f"{kind}: points r = {r}, operands = {o}; expected {evaluation.expected}, observed {evaluation.observed}")
    assert evaluation.verdict in audit.VERDICTS
    if kind in ("sum", "covers"):
        assert inside(sum(o), evaluation.expected)
    elif kind == "part_of":
        assert inside(r, evaluation.expected)
        largest = max((figures.interval(i) for i in ids), key=lambda i: i.low)
        assert evaluation.observed == largest
    elif kind in ("ratio", "share"):
        assume(o[1] != 0)
        assert inside(o[0] / o[1], evaluation.expected)
    elif kind == "per_day":
        assert inside(o[0] / days, evaluation.expected)
    elif kind == "change":
        assume(o[1] != 0)
        assert inside(o[0] / o[1] - 1, evaluation.expected)
    elif kind == "change_alone":
        assume(1 + r != 0)
        assert evaluation.verdict == audit.DERIVED
        assert inside(o[0] / (1 + r), evaluation.expected)
    elif kind == "count_rule":
        assert inside(o[0] * o[1], evaluation.expected)
    elif kind == "base":
        # A share of n lies in 0..100% however its printing rounds (100% is 99.5% to 100%): its points are drawn there.
        share = point(figures.share("r"), ts[0])
        assert inside(share * o[0], evaluation.expected)
    else:  # per_unit_range: the result per unit
        assume(o[0] != 0)
        assert inside(r / o[0], evaluation.observed)
        # Any amount per unit between a point of the range's low end and a point of its high end is allowed.
        if o[1] <= o[2]:
            assert inside((o[1] + o[2]) / 2, evaluation.expected)
    # A relation whose points satisfy the identity can only be judged by intervals that contain it: the
    # verdict `fails` means no choice of points inside the intervals satisfies it. Checked in property 4.


# ---------------------------------------------------------------- 4. consistent values hold


@st.composite
def print_count(draw, x: int) -> dict:
    """A printing of the true count `x` whose reading is true of it: exact, rounded in 万, or qualified."""
    how = draw(st.sampled_from(["exact", "wan", "yu", "yishang", "budao", "jin", "zuoyou"]))
    if how == "exact":
        return {"text": str(x), "unit": "户", "qualifier": "exact", "marker": ""}
    if how == "wan":
        decimals = draw(st.integers(0, 4))
        return {"text": f"{x / 1e4:.{decimals}f}", "unit": "万", "qualifier": "exact", "marker": ""}
    place = 10 ** draw(st.integers(0, max(0, len(str(x)) - 1)))
    if how == "yu":  # 6431 -> 6400余: truncated to a place, below the next unit of its last significant digit
        return {"text": str(x // place * place), "unit": "户", "qualifier": "at_least", "marker": "余"}
    if how == "yishang":
        return {"text": str(x // place * place), "unit": "户", "qualifier": "at_least", "marker": "以上"}
    up = -(-x // place) * place  # rounded up to the place
    if how == "budao":
        return {"text": str(up), "unit": "户", "qualifier": "at_most", "marker": "不到"}
    if how == "jin":  # 近: the true value is within 10% below the printed one
        assume(x >= 0.9 * up)
        return {"text": str(up), "unit": "户", "qualifier": "approximately", "marker": "近"}
    near = round(x / place) * place
    assume(abs(x - near) <= 0.1 * near)
    return {"text": str(near), "unit": "户", "qualifier": "approximately", "marker": "左右"}


@st.composite
def print_rate(draw, value: float, unit: str = "%") -> dict:
    """A printing of a true rate (a fraction), or a ratio in 倍, rounded to its printed decimals."""
    decimals = draw(st.integers(0, 3))
    shown = value * (100 if unit == "%" else 1)
    return {"text": f"{shown:.{decimals}f}", "unit": unit, "qualifier": "exact", "marker": ""}


COUNTS = st.integers(0, 5_000_000)
POSITIVE = st.integers(1, 5_000_000)


@st.composite
def consistent_case(draw, kind: str):
    """Printed figures for a relation kind, made from true values that satisfy its identity."""
    start = date(2021, 1, 1)
    days = draw(st.integers(1, 800))
    end = (start + timedelta(days=days - 1)).isoformat()
    averages: tuple[str, ...] = ()
    if kind in ("sum", "covers", "part_of"):
        parts = draw(st.lists(COUNTS, min_size=1, max_size=4))
        whole = sum(parts) + (draw(COUNTS) if kind != "sum" else 0)
        result, operands = draw(print_count(whole)), [draw(print_count(p)) for p in parts]
    elif kind in ("ratio", "share", "base"):
        denominator = draw(POSITIVE)
        numerator = draw(st.integers(0, denominator)) if kind != "ratio" else draw(COUNTS)
        result = draw(print_rate(numerator / denominator, "倍" if kind == "ratio" else "%"))
        if kind == "base":
            operands = [{"text": str(denominator), "unit": "户", "qualifier": "exact", "marker": ""}]
        else:
            operands = [draw(print_count(numerator)), draw(print_count(denominator))]
    elif kind == "per_day":
        volume = draw(COUNTS)
        average = volume / days
        decimals = draw(st.integers(0, 2))  # an average printed as an integer is rounded (±0.5)
        result = {"text": f"{average:.{decimals}f}", "unit": "户", "qualifier": "exact", "marker": ""}
        operands, averages = [draw(print_count(volume))], ("r",)
    elif kind in ("change", "change_alone"):
        current, previous = draw(COUNTS), draw(POSITIVE)
        result = draw(print_rate(current / previous - 1))
        operands = [draw(print_count(current))] + ([draw(print_count(previous))] if kind == "change" else [])
    elif kind == "count_rule":
        units, each = draw(COUNTS), draw(st.integers(0, 20))
        result = draw(print_count(units * each))
        operands = [draw(print_count(units)), {"text": str(each), "unit": "户", "qualifier": "exact", "marker": ""}]
    else:  # per_unit_range: units each get between low and high (in 万元); the total is printed
        low, high = sorted([draw(st.integers(1, 50)), draw(st.integers(1, 50))])
        units = draw(st.integers(1, 1000))
        each = draw(st.floats(low, high))
        total = units * each * 1e4
        result = {"text": f"{total / 1e4:.2f}", "unit": "万元", "qualifier": "exact", "marker": ""}
        operands = [
            {"text": str(units), "unit": "户", "qualifier": "exact", "marker": ""},
            {"text": str(low), "unit": "万元", "qualifier": "at_least", "marker": "至"},
            {"text": str(high), "unit": "万元", "qualifier": "at_most", "marker": "至"},
        ]
    rows = [row("r", result, start.isoformat(), end)] + [
        row(f"o{i}", o, start.isoformat(), end) for i, o in enumerate(operands)
    ]
    return rows, averages


@pytest.mark.parametrize("kind", KINDS)
@PER_KIND
@given(data=st.data())
def test_a_relation_built_from_consistent_values_holds(kind, data):
    rows, averages = data.draw(consistent_case(kind))
    engine_kind = "change" if kind == "change_alone" else kind
    evaluation = evaluate(engine_kind, rows, "r", [r["figure_id"] for r in rows[1:]], averages)
    note(f"{kind}: {[(r['value_as_printed'], r['unit'], r['qualifier_marker']) for r in rows]} -> {evaluation}")
    assert evaluation.verdict == (audit.DERIVED if kind == "change_alone" else audit.HOLDS)


# ---------------------------------------------------------------- 5. raw validation names every problem

FIGURE_COLUMNS = list(raw.figures_schema(set(), raw.load_units(), set(), set()).columns)
NASTY = st.sampled_from(
    ["", " ", "nan", "NaN", "None", "inf", "-inf", "1e400", "-5", "-0", "0x1A", "1,000", "六千", "2019-02-30",
     "2019-13-01", "2020-01", "2019-03-16/2019-04-28", "a\nb", '"', "=1+1", "\ufeff", "余", "近", "exact", "%"]
)  # fmt: skip
CELL = st.one_of(NASTY, st.text(st.characters(codec="utf-8", exclude_characters="\r\x00"), max_size=12))


def committed_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


@st.composite
def malformed_figures(draw):
    """figures.csv with random cells replaced, a row cut short or lengthened, a row of random fields added, or a
    column dropped, renamed or moved: (text, [edited (row, column)])."""
    header, rows = committed_rows(paths.FIGURES_CSV)
    rows = [list(r) for r in rows]
    edits = []
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(rows) - 1))
        j = draw(st.integers(0, len(header) - 1))
        how = draw(st.sampled_from(["cell"] * 6 + ["ragged", "new row", "drop column", "rename column", "move column"]))
        if how == "cell":
            rows[i][j] = draw(CELL)
            edits.append((i + 1, header[j]))
        elif how == "ragged":
            rows[i] = rows[i][:-1] if draw(st.booleans()) else [*rows[i], "x"]
            edits.append((i + 1, None))
        elif how == "new row":
            rows.insert(i, draw(st.lists(CELL, min_size=len(header), max_size=len(header))))
            edits.append((i + 1, None))
        elif how == "drop column":
            header, rows = header[:j] + header[j + 1 :], [r[:j] + r[j + 1 :] for r in rows]
            edits.append((None, None))
        elif how == "rename column":
            header = [*header[:j], draw(CELL), *header[j + 1 :]]
            edits.append((None, None))
        else:
            k = draw(st.integers(0, len(header) - 1))
            header, rows = moved(header, j, k), [moved(r, j, k) for r in rows]
            edits.append((None, None))
    return csv_text(header, rows), edits


def moved(fields: list[str], source: int, target: int) -> list[str]:
    if source >= len(fields):
        return fields
    rest = fields[:source] + fields[source + 1 :]
    return [*rest[:target], fields[source], *rest[target:]]


@pytest.fixture(scope="module", autouse=True)
def processed_untouched():
    """No property writes to the checkout's data/processed: it is byte for byte the same after the module."""
    before = snapshot(paths.PROCESSED)
    yield
    assert snapshot(paths.PROCESSED) == before


@pytest.fixture(scope="module")
def reference_tables():
    sources, units = raw.load_sources(), raw.load_units()
    return {"sources": sources, "units": units, "indicators": raw.load_indicators(), "regions": raw.load_regions()}


def assert_named(problems: list[raw.Problem], names: tuple[str, ...]) -> None:
    """Every problem names its file and rule; a row's problem also its row, line and column (a ragged row has none)."""
    assert problems
    for problem in problems:
        assert problem.file.endswith(names), problem
        assert problem.rule.strip(), problem
        if problem.row is None:  # a file-level rule (a missing column, an unparseable file)
            continue
        ragged = problem.column is None and "fields, the header has" in problem.rule
        assert problem.column is not None or ragged, problem
        assert f"{problem.file}, row {problem.row} (line " in str(problem), problem


@given(malformed_figures())
def test_raw_validation_of_figures_names_file_row_column_and_rule(reference_tables, tmp_path_factory, case):
    text, edits = case
    path = tmp_path_factory.mktemp("figures") / "figures.csv"
    path.write_text(text, encoding="utf-8")
    try:
        figures = raw.load_figures(path, **reference_tables)
        raw.check_figure_meaning(figures, reference_tables["indicators"], reference_tables["units"])
    except raw.RawDataError as err:  # anything else is a traceback, and fails the test
        note(f"{edits}: {err}")
        assert_named(err.problems, ("figures.csv",))


@st.composite
def malformed_relations(draw):
    header, rows = committed_rows(paths.RELATIONS_CSV)
    rows = [list(r) for r in rows]
    i, j = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, len(header) - 1))
    rows[i][j] = draw(st.one_of(CELL, st.sampled_from(["sum", "change", "share", "base", rows[0][2], rows[0][3]])))
    return csv_text(header, rows)


@pytest.fixture(scope="module")
def committed_figures(reference_tables) -> pd.DataFrame:
    """The committed figures, validated once: every relations example reads them, none edits them."""
    return raw.load_figures(**reference_tables)


@given(malformed_relations())
def test_raw_validation_of_relations_names_file_row_column_and_rule(
    reference_tables, committed_figures, tmp_path_factory, text
):
    figures = committed_figures
    path = tmp_path_factory.mktemp("relations") / "relations.csv"
    path.write_text(text, encoding="utf-8")
    try:
        raw.load_relations(figures, reference_tables["units"], path)
    except raw.RawDataError as err:
        note(str(err))
        # A relation can make a figure's value invalid (a negative value no longer declared a change): that
        # problem is named in figures.csv, with its row and column.
        assert_named(err.problems, ("relations.csv", "figures.csv"))


# ---------------------------------------------------------------- 6. make data on malformed input


@pytest.fixture(scope="module")
def scratch_tree(tmp_path_factory) -> Path:
    """A scratch tree with src, data/raw and a built data/processed: what `make data`'s entry point reads."""
    root = tmp_path_factory.mktemp("scratch") / "repo"
    shutil.copytree(paths.ROOT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(paths.RAW, root / "data" / "raw", ignore=shutil.ignore_patterns("microdata"))
    shutil.copytree(paths.PROCESSED, root / "data" / "processed")
    return root


def make_data_process(root: Path) -> tuple[int, str]:
    """`make data`'s entry point as `make data` runs it, a process on the scratch tree: its exit status and stderr."""
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    result = subprocess.run(
        [sys.executable, "-m", "analysis.evidence.catalogue"], cwd=root, env=env, capture_output=True, text=True
    )
    return result.returncode, result.stderr


def make_data_in_process(root: Path) -> tuple[int, str]:
    """`make data`'s entry point (catalogue.main) in this process, reading the scratch tree's figures.csv and
    writing its data/processed: the exit status and stderr. An exception it does not turn into its message
    propagates (in `make data` it would be a traceback), and fails the test."""
    stderr = io.StringIO()
    with (
        pytest.MonkeyPatch.context() as patch,
        contextlib.redirect_stderr(stderr),
        contextlib.redirect_stdout(io.StringIO()),
    ):
        patch.setattr(raw, "load_figures", functools.partial(raw.load_figures, root / "data" / "raw" / "figures.csv"))
        patch.setattr(paths, "PROCESSED", root / "data" / "processed")
        returncode = catalogue.main()
    return returncode, stderr.getvalue()


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def assert_make_data_refuses_or_accepts(root: Path, text: str, entry_point) -> None:
    """With `text` as figures.csv, `make data`'s entry point either refuses it (exit 2: one `make data:` message
    naming the problems in data/raw, no traceback, data/processed byte for byte as it was) or accepts it (exit 0:
    the edit left valid rows)."""
    figures, processed = root / "data" / "raw" / "figures.csv", root / "data" / "processed"
    original, before = figures.read_bytes(), snapshot(processed)
    figures.write_text(text, encoding="utf-8")
    try:
        returncode, stderr = entry_point(root)
    finally:
        figures.write_bytes(original)
    note(stderr[-2000:])
    event(f"make data exit {returncode}")
    assert "Traceback" not in stderr
    assert returncode in (0, 2)
    if returncode == 2:
        assert stderr.startswith("make data: ") and "problem(s) in the input" in stderr
        assert "data/raw/" in stderr
        assert snapshot(processed) == before


# What reaches the user (exit status, stderr, no traceback) is checked as `make data` runs it, a process an
# example (about 1.5 core-s each); the same entry point runs four times as many examples in this process (about
# 0.3 core-s each), where an exception it does not report fails the test as a traceback would: 20 examples in all,
# where 15 processes ran before, in about the same time.
@pytest.mark.slow
@settings(max_examples=4)
@given(malformed_figures())
def test_make_data_on_malformed_figures_names_the_problem_and_changes_nothing(scratch_tree, case):
    assert_make_data_refuses_or_accepts(scratch_tree, case[0], make_data_process)


@settings(max_examples=16)
@given(malformed_figures())
def test_make_data_entry_point_on_malformed_figures_names_the_problem_and_changes_nothing(scratch_tree, case):
    assert_make_data_refuses_or_accepts(scratch_tree, case[0], make_data_in_process)

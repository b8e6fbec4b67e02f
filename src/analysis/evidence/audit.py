"""The audit engine: every identity declared in relations.csv, evaluated with interval arithmetic.

Each printed figure stands for the interval its printing allows (`evidence.tidy` computes
`value_low`/`value_high` from the last printed digit and the qualifier); a relation holds when
the intervals are compatible. A failed relation is a finding about the sources, never an error.

Every relation gets one of three verdicts: `holds` (checked, the figures agree), `fails` (checked, they
do not) or `derived` (the relation only derives an unprinted value, e.g. a change printed with its
current value alone implies the previous one: nothing is checked). They are counted apart everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd

from analysis import numbers
from analysis.language import current, say

# Two figures alike in these are one quantity, printed more than once (on one page or on several).
QUANTITY = ("indicator", "region", "period_start", "period_end", "breakdown_dimension", "breakdown_value")
AUDIT_COLUMNS = ["relation_id", "kind", "figures", "expected", "observed", "verdict", "explanation"]
HOLDS, FAILS, DERIVED = "holds", "fails", "derived"
VERDICTS = (HOLDS, FAILS, DERIVED)
# Rates are compared as fractions; a little slack absorbs float noise, never a printed digit.
EPSILON = 1e-12
# From here on a Chinese explanation reads a value in 万 or 亿: numbers.count's own threshold.
ZH_COMPACT_FROM = numbers.ZH_COMPACT_FROM
# A derived rate is shown to the place of its interval's width (and of its gap from a printed rate it misses):
# at least one decimal of its percentage, at most four.
RATE_DECIMALS = (1, 4)
# The Chinese number words a printed count keeps in English (2253万个 reads 2253万: 个 is a measure word, and the
# sentence names what is counted).
NUMBER_WORDS = "万萬亿億"
# Unit kinds whose Chinese unit word an English explanation drops (count: the sentence names what is counted) or
# translates (money, area: units.csv unit_en).
TRANSLATED_UNITS = ("count", "money", "area")


@dataclass(frozen=True)
class Interval:
    """The closed range of values a printed figure, or an expression of figures, allows."""

    low: float
    high: float

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.low + other.low, self.high + other.high)

    def __mul__(self, other: Interval) -> Interval:
        # 0 × inf is 0 here, not nan: an exact 0 times any value of an unbounded interval is 0.
        products = [0.0 if a == 0 or b == 0 else a * b for a in (self.low, self.high) for b in (other.low, other.high)]
        return Interval(min(products), max(products))

    def __truediv__(self, other: Interval) -> Interval:
        if other.low <= 0 <= other.high:
            return Interval(float("-inf"), float("inf"))
        # inf / inf is no bound: the hull is set by the other corners (an infinite end over a finite one).
        quotients = [
            a / b
            for a in (self.low, self.high)
            for b in (other.low, other.high)
            if not (math.isinf(a) and math.isinf(b))
        ]
        return Interval(min(quotients), max(quotients))

    def clipped(self, low: float, high: float) -> Interval:
        """The part of the interval inside [low, high] (a share's printed rounding cut at 0 and 100%)."""
        return Interval(min(max(self.low, low), high), max(min(self.high, high), low))

    def overlaps(self, other: Interval) -> bool:
        return self.low <= other.high + EPSILON and other.low <= self.high + EPSILON

    def gap(self, other: Interval) -> float:
        """How far apart two disjoint intervals are (0 when they overlap)."""
        return max(0.0, self.low - other.high, other.low - self.high)


def interval_of(row: pd.Series) -> Interval:
    """The interval a tidy figure row allows."""
    return Interval(float(row["value_low"]), float(row["value_high"]))


def agree(intervals: list[Interval]) -> bool:
    """Whether some one value lies in every interval (printings of one quantity that do not contradict each other)."""
    return max(i.low for i in intervals) <= min(i.high for i in intervals) + EPSILON


def show(value: float, kind: str, compact_from: float = ZH_COMPACT_FROM) -> str:
    """A number in an explanation: rates as percentages, other values with separators.

    Every digit is kept: the audit checks printed figures to their last digit. In Chinese a value from
    `compact_from` (10万) on is read in 万 or 亿 (numbers.count, exact: 37,380,000 -> 3738万).
    """
    if value in (float("inf"), float("-inf")):
        return say("common.unbounded")
    if kind == "rate":
        return f"{value * 100:.4f}".rstrip("0").rstrip(".") + "%"
    if abs(value) >= 100:
        return numbers.count(value, exact=True, compact_from=max(compact_from, 10_000))
    return f"{value:,.4g}"


def rate_decimals(derived: Interval, printed: Interval | None = None) -> int:
    """Decimals of a derived rate's percentage that tell its ends apart, and tell it from a printed rate it misses:
    the place of the leading digit of its width (and of that gap), within RATE_DECIMALS."""
    spans = [derived.high - derived.low] + ([derived.gap(printed)] if printed is not None else [])
    places = [-math.floor(math.log10(span * 100)) for span in spans if 0 < span < math.inf]
    low, high = RATE_DECIMALS
    return min(high, max([low, *places]))


def show_derived(derived: Interval, kind: str, printed: Interval | None = None) -> str:
    """A derived interval at the precision its evidence supports: a rate to `rate_decimals`, its ends rounded
    outward (3.6364% to 4.2857% reads 3.6% to 4.3%), a point to the nearest; any other kind as `show_interval`."""
    if kind != "rate" or not all(math.isfinite(v) for v in (derived.low, derived.high)):
        return show_interval(derived, kind)
    decimals = rate_decimals(derived, printed)
    step = 10.0 ** -(decimals + 2)
    if derived.low == derived.high:
        return f"{derived.low:.{decimals}%}"
    low = math.floor(derived.low / step + 1e-9) * step
    high = math.ceil(derived.high / step - 1e-9) * step
    start, end = f"{low:.{decimals}%}", f"{high:.{decimals}%}"
    return start if start == end else say("common.span", start=start, end=end)


def show_interval(interval: Interval, kind: str) -> str:
    """'a' for a point, 'a to b' for a range (a至b in Chinese, both ends in 万 when either reaches 10万)."""
    if interval.low == interval.high:
        return show(interval.low, kind)
    finite = [abs(v) for v in (interval.low, interval.high) if abs(v) != float("inf")]
    compact_from = 0 if max(finite, default=0) >= ZH_COMPACT_FROM else ZH_COMPACT_FROM
    start, end = show(interval.low, kind, compact_from), show(interval.high, kind, compact_from)
    if start == end:  # a range narrower than its display's last digit reads as one value, never 'a to a'
        return start
    return say("common.span", start=start, end=end)


def show_gap(gap: float, kind: str) -> str:
    """How far apart two values are: a difference of two rates is in percentage points, not percent."""
    if kind == "rate" and gap not in (float("inf"), float("-inf")):
        # 'off by at least': the gap rounded down to its leading digit's place stays a true lower bound.
        decimals = min(RATE_DECIMALS[1], max(0, -math.floor(math.log10(gap * 100)))) if gap > 0 else 0
        points = math.floor(gap * 100 * 10**decimals + 1e-9) / 10**decimals
        return say("audit.unit.points", points=f"{points:.{decimals}f}")
    return show(gap, kind)


@dataclass(frozen=True)
class Evaluation:
    """What a relation expected, what the figures give, and its verdict: holds, fails or derived (not checked)."""

    expected: Interval
    observed: Interval
    verdict: str
    explanation: str

    @property
    def holds(self) -> bool:
        return self.verdict == HOLDS


def checked(agrees: bool) -> str:
    """The verdict of a relation that was checked."""
    return HOLDS if agrees else FAILS


def verdict_counts(audit: pd.DataFrame) -> dict[str, int]:
    """How many relations hold, fail and are derived (not checked): never folded into one another."""
    counts = audit["verdict"].value_counts()
    return {verdict: int(counts.get(verdict, 0)) for verdict in VERDICTS}


def printed_in_english(printed: str) -> str:
    """A printed count without its trailing Chinese measure word: 2253万个 -> 2253万, 316个 -> 316, 80多万 stays."""
    end = len(printed)
    while end and "\u4e00" <= printed[end - 1] <= "\u9fff" and printed[end - 1] not in NUMBER_WORDS + "余多":
        end -= 1
    return printed[:end]


class Figures:
    """Look-ups into the tidy figures table by id."""

    def __init__(self, table: pd.DataFrame):
        self.table = table.set_index("figure_id", drop=False)

    def row(self, figure_id: str) -> pd.Series:
        return self.table.loc[figure_id]

    def interval(self, figure_id: str) -> Interval:
        return interval_of(self.row(figure_id))

    def kind(self, figure_id: str) -> str:
        return str(self.row(figure_id)["kind"])

    def printed(self, figure_id: str) -> str:
        """The figure as printed. In English a count drops its Chinese measure word (个, 名, 件) and an amount or
        an area reads its unit in English (3万元 -> 3万 yuan); the digits, 万 or 亿 and 余 or 多 stay as printed."""
        row = self.row(figure_id)
        printed = str(row["as_printed"])
        if current() != "en" or row["kind"] not in TRANSLATED_UNITS:
            return printed
        bare = printed_in_english(printed)
        return bare if row["kind"] == "count" or bare == printed else f"{bare} {row['unit_en']}"

    def share(self, figure_id: str) -> Interval:
        """A printed rate read as a share: its rounding cannot take it below 0 or above 100% (100% is 99.5% to 100%)."""
        return self.interval(figure_id).clipped(0.0, 1.0)

    def quantity(self, figure_id: str) -> tuple:
        """What a figure counts, where and when: two figures alike in all of it are one quantity printed twice."""
        row = self.row(figure_id)
        return tuple(row[c] for c in QUANTITY)


def total(intervals: list[Interval]) -> Interval:
    """The interval of a sum."""
    result = Interval(0.0, 0.0)
    for interval in intervals:
        result = result + interval
    return result


def compare(expected: Interval, observed: Interval, kind: str, subject: str) -> Evaluation:
    """A relation whose printed result (`observed`) should be compatible with what the operands imply.

    `subject` says what the operands give, in the current language ("the parts add up to").
    """
    holds = expected.overlaps(observed)
    fields = {
        "subject": subject,
        "expected": show_derived(expected, kind, observed),
        "observed": show_interval(observed, kind),
    }
    explanation = (
        say("audit.explain.compatible", **fields)
        if holds
        else say("audit.explain.off_by", gap=show_gap(expected.gap(observed), kind), **fields)
    )
    return Evaluation(expected, observed, checked(holds), explanation)


def evaluate_sum(f: Figures, result: str, operands: list[str]) -> Evaluation:
    parts = total([f.interval(o) for o in operands])
    kind = f.kind(result)
    if len(operands) > 1:
        return compare(parts, f.interval(result), kind, say("audit.subject.parts"))
    (operand,) = operands
    if f.quantity(operand) == f.quantity(result):
        evaluation = compare(parts, f.interval(result), kind, say("audit.subject.printed_again"))
        if evaluation.holds:
            return evaluation
        # Two printings of one quantity that cannot both be right: a finding of its own, never a sum that fails.
        return replace(
            evaluation,
            explanation=say(
                "audit.explain.printed_twice_differs",
                first=show_interval(parts, kind),
                second=show_interval(f.interval(result), kind),
                gap=show_gap(parts.gap(f.interval(result)), kind),
            ),
        )
    is_part = f.row(operand)["breakdown_dimension"] != "" and f.row(result)["breakdown_dimension"] == ""
    subject = "audit.subject.only_part" if is_part else "audit.subject.declared_equal"
    return compare(parts, f.interval(result), kind, say(subject))


def evaluate_part_of(f: Figures, result: str, operands: list[str]) -> Evaluation:
    whole = f.interval(result)
    too_large = [o for o in operands if f.interval(o).low > whole.high + EPSILON]
    largest = max((f.interval(o) for o in operands), key=lambda i: i.low)
    shown = show_interval(whole, f.kind(result))
    explanation = (
        say("audit.explain.within_whole", whole=shown)
        if not too_large
        else say("audit.explain.exceed_whole", parts=say("audit.explain.list_separator").join(too_large), whole=shown)
    )
    return Evaluation(Interval(float("-inf"), whole.high), largest, checked(not too_large), explanation)


def evaluate_ratio(f: Figures, result: str, operands: list[str]) -> Evaluation:
    numerator, denominator = operands
    return compare(
        f.interval(numerator) / f.interval(denominator),
        f.interval(result),
        "ratio",
        say("audit.subject.quotient", numerator=f.printed(numerator), denominator=f.printed(denominator)),
    )


def evaluate_share(
    f: Figures, result: str, operands: list[str], parts_of: dict[str, list[str]] | None = None
) -> Evaluation:
    numerator, denominator = operands
    evaluation = compare(
        f.interval(numerator) / f.interval(denominator),
        f.share(result),
        "rate",
        say("audit.subject.quotient", numerator=f.printed(numerator), denominator=f.printed(denominator)),
    )
    if evaluation.holds:
        return evaluation
    return Evaluation(
        evaluation.expected,
        evaluation.observed,
        FAILS,
        evaluation.explanation + other_bases(f, result, numerator, denominator, parts_of),
    )


def other_bases(
    f: Figures, result: str, numerator: str, denominator: str, parts_of: dict[str, list[str]] | None = None
) -> str:
    """Which other base reproduces a failing share: the sum of the denominator's listed parts, or another printed count."""
    fits = []
    parts = (parts_of or {}).get(denominator)
    if parts and (f.interval(numerator) / total([f.interval(p) for p in parts])).overlaps(f.share(result)):
        fits.append(say("audit.explain.listed_parts", denominator=denominator, parts=" + ".join(parts)))
    source = f.row(result)["source_id"]
    same_source = f.table[(f.table["source_id"] == source) & (f.table["kind"] == "count")]
    fits += [
        c
        for c in same_source["figure_id"]
        if c not in (numerator, denominator) and (f.interval(numerator) / f.interval(c)).overlaps(f.share(result))
    ]
    return say("audit.explain.other_base", bases=say("audit.explain.list_separator").join(fits)) if fits else ""


def evaluate_per_day(f: Figures, result: str, operands: list[str]) -> Evaluation:
    (volume,) = operands
    days = float(f.row(volume)["days"])
    return compare(
        f.interval(volume) / Interval(days, days),
        f.interval(result),
        f.kind(result),
        say("audit.subject.per_day", volume=f.printed(volume), days=f"{days:.0f}"),
    )


def evaluate_change(f: Figures, result: str, operands: list[str]) -> Evaluation:
    change = f.interval(result)
    if len(operands) == 1:  # only the current value is printed: derive the previous one, nothing to check
        implied = f.interval(operands[0]) / (change + Interval(1.0, 1.0))
        return Evaluation(
            implied,
            change,
            DERIVED,
            say("audit.explain.previous_value", previous=show_interval(implied, f.kind(operands[0]))),
        )
    current, previous = operands
    return compare(
        f.interval(current) / f.interval(previous) + Interval(-1.0, -1.0),
        change,
        "rate",
        say("audit.subject.change", current=f.printed(current), previous=f.printed(previous)),
    )


def evaluate_covers(f: Figures, result: str, operands: list[str]) -> Evaluation:
    parts = total([f.interval(o) for o in operands])
    cumulative = f.interval(result)
    holds = cumulative.high + EPSILON >= parts.low
    kind = f.kind(result)
    left = Interval(max(0.0, cumulative.low - parts.high), cumulative.high - parts.low)
    explanation = (
        say("audit.explain.covered", parts=show_interval(parts, kind), left=show_interval(left, kind))
        if holds
        else say(
            "audit.explain.overcovered", parts=show_interval(parts, kind), cumulative=show_interval(cumulative, kind)
        )
    )
    return Evaluation(parts, cumulative, checked(holds), explanation)


def evaluate_per_unit_range(f: Figures, result: str, operands: list[str]) -> Evaluation:
    units, low, high = operands
    allowed = Interval(f.interval(low).low, f.interval(high).high)
    return compare(
        allowed,
        f.interval(result) / f.interval(units),
        "ratio",
        say("audit.subject.range_per_unit", low=f.printed(low), high=f.printed(high)),
    )


def evaluate_count_rule(f: Figures, result: str, operands: list[str]) -> Evaluation:
    units, per_unit = operands
    return compare(
        f.interval(units) * f.interval(per_unit),
        f.interval(result),
        f.kind(result),
        say("audit.subject.product", units=f.printed(units), per_unit=f.printed(per_unit)),
    )


def evaluate_base(f: Figures, result: str, operands: list[str]) -> Evaluation:
    (n,) = operands
    # A share of n is at most n cases and at least none: 100% of 45,705 is 45,476 to 45,705, never 45,934.
    cases = f.share(result) * f.interval(n)
    # An unbounded number of cases (n printed with 以上) contains whole numbers; floor(inf) would overflow.
    whole = math.isinf(cases.high) or math.floor(cases.high + EPSILON) >= cases.low - EPSILON
    return Evaluation(
        cases,
        f.interval(n),
        checked(whole),
        say(
            "audit.explain.cases" if whole else "audit.explain.cases_not_whole",
            rate=f.printed(result),
            n=f.printed(n),
            cases=show_interval(cases, "count"),
        ),
    )


EVALUATORS: dict[str, Callable[[Figures, str, list[str]], Evaluation]] = {
    "sum": evaluate_sum,
    "part_of": evaluate_part_of,
    "share": evaluate_share,
    "base": evaluate_base,
    "ratio": evaluate_ratio,
    "per_day": evaluate_per_day,
    "change": evaluate_change,
    "covers": evaluate_covers,
    "per_unit_range": evaluate_per_unit_range,
    "count_rule": evaluate_count_rule,
}


def run_audit(tidy: pd.DataFrame, relations: pd.DataFrame) -> pd.DataFrame:
    """One row per declared relation: the figures, what was expected and observed, and the verdict.

    Its text (expected, observed, explanation) is in the current language; `make data` writes it in English.
    """
    f = Figures(tidy)
    # A failing share is also tried against the sum of its denominator's declared parts (a sum of one operand
    # says one figure equals another: it lists no parts).
    parts_of = {
        r.result: r.operands.split()
        for r in relations.itertuples(index=False)
        if r.kind == "sum" and len(r.operands.split()) > 1
    }
    rows = []
    for relation in relations.itertuples(index=False):
        operands = relation.operands.split()
        if relation.kind == "share":
            evaluation = evaluate_share(f, relation.result, operands, parts_of)
        else:
            evaluation = EVALUATORS[relation.kind](f, relation.result, operands)
        # A base relation compares cases with n: counts, although its result is a rate.
        kind = "count" if relation.kind == "base" else f.kind(relation.result)
        # A change printed without its base implies the previous value: in the unit of that value, not a percent.
        expected_kind = f.kind(operands[0]) if relation.kind == "change" and len(operands) == 1 else kind
        rows.append(
            {
                "relation_id": relation.relation_id,
                "kind": relation.kind,
                "figures": " ".join([relation.result, *operands]),
                "expected": show_derived(evaluation.expected, expected_kind, evaluation.observed),
                "observed": show_interval(evaluation.observed, kind),
                "verdict": evaluation.verdict,
                "explanation": evaluation.explanation,
            }
        )
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS)


def relations_of(audit: pd.DataFrame) -> pd.DataFrame:
    """The relations (relation_id, kind, result, operands) an audit table was computed from."""
    split = [figures.split() for figures in audit["figures"]]
    return pd.DataFrame(
        {
            "relation_id": list(audit["relation_id"]),
            "kind": list(audit["kind"]),
            "result": [ids[0] for ids in split],
            "operands": [" ".join(ids[1:]) for ids in split],
        },
        columns=["relation_id", "kind", "result", "operands"],
    )


def localize(audit: pd.DataFrame, figures: pd.DataFrame, every: pd.DataFrame | None = None) -> pd.DataFrame:
    """Audit rows (as stored: data/processed/audit.csv is written in English) with expected, observed and
    explanation written again in the current language, from the rows' own fields and the tidy `figures`.

    `every` is the whole audit table the rows come from (default: the rows): a failing share is tried
    against the parts a sum relation lists, which may be another row. A row naming a figure that
    `figures` lacks keeps its stored text. Verdicts never change; only the words do.
    """
    relations = relations_of(every if every is not None else audit)
    known = set(figures["figure_id"])
    usable = relations[[set(f"{r} {o}".split()) <= known for r, o in zip(relations["result"], relations["operands"])]]
    redone = run_audit(figures, usable).set_index("relation_id") if len(usable) else None
    out = audit.copy()
    for i, relation_id in enumerate(out["relation_id"]):
        if redone is not None and relation_id in redone.index:
            for column in ("expected", "observed", "explanation"):
                out.at[out.index[i], column] = redone.at[relation_id, column]
    return out


def rates_without_base(figures: pd.DataFrame, audit: pd.DataFrame) -> pd.DataFrame:
    """Printed rates that no `base` or `share` relation gives an n for."""
    with_base = {row.figures.split()[0] for row in audit.itertuples() if row.kind in ("base", "share")}
    rates = figures[figures["kind"] == "rate"]
    return rates[~rates["figure_id"].isin(with_base)].reset_index(drop=True)


def rows_involving(audit: pd.DataFrame, figure_ids: set[str]) -> pd.DataFrame:
    """The audit rows that involve any of these figures (a region's rows)."""
    mask = [bool(figure_ids & set(figures.split())) for figures in audit["figures"]]
    return audit.loc[pd.Series(mask, index=audit.index, dtype=bool)].reset_index(drop=True)

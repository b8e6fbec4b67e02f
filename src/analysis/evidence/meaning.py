"""What a figure means, looked up: indicators by kind and what one unit counts, breakdowns by how parts relate.

Analyses ask here ("the stocks of households in this region", "the flows of calls, requests or work orders",
"the population", "may these parts be added?") instead of matching indicator names; the answers come from
data/raw/indicators.csv and data/raw/breakdowns.csv (data/raw/README.md), as `make data` writes them.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd

# Breakdowns whose parts are disjoint: their sum is at most the total (equal to it when exhaustive).
DISJOINT_PARTS = ("exhaustive", "partial", "top")
# Kinds whose figures count units, so parts of a breakdown add up and lie within their total.
ADDITIVE_KINDS = ("stock", "flow", "period_count", "amount")


def _matches(values: pd.Series, wanted: str | Collection[str] | None) -> pd.Series:
    if wanted is None:
        return pd.Series(True, index=values.index)
    return values.isin([wanted] if isinstance(wanted, str) else list(wanted))


@dataclass(frozen=True)
class Meaning:
    """The declared meaning of every indicator and breakdown."""

    indicators: pd.DataFrame  # indexed by indicator: kind, counts, per, of, scope, reading, direction
    breakdowns: pd.DataFrame  # indexed by (indicator, breakdown_dimension): parts

    @classmethod
    def from_tables(cls, indicators: pd.DataFrame, breakdowns: pd.DataFrame) -> Meaning:
        """From the indicators and breakdowns tables (raw as validated, or processed)."""
        table = indicators.fillna("").astype({"indicator": str}).set_index("indicator", drop=False)
        parts = breakdowns.fillna("").set_index(["indicator", "breakdown_dimension"], drop=False)
        return cls(table, parts)

    def _field(self, indicator: str, column: str) -> str:
        if indicator not in self.indicators.index:
            raise KeyError(f"indicator {indicator!r} is not in indicators.csv")
        return str(self.indicators.at[indicator, column])

    def kind(self, indicator: str) -> str:
        """stock, flow, period_count, rate, average, per_unit, change, ratio, amount, duration, area or rule."""
        return self._field(indicator, "kind")

    def counts(self, indicator: str) -> str:
        """What one unit of the indicator is (households, persons, calls ...)."""
        return self._field(indicator, "counts")

    def per(self, indicator: str) -> str | None:
        """What an average or per-unit figure is per (day, villages ...); for a change, year (同比) or period (环比)."""
        return self._field(indicator, "per") or None

    def of(self, indicator: str) -> str | None:
        """The indicator this one is derived from (the flow an average averages, the whole a rate is a share of)."""
        return self._field(indicator, "of") or None

    def scope(self, indicator: str) -> str:
        """The population, register or service whose units it counts: figures compare only within one scope."""
        return self._field(indicator, "scope")

    def direction(self, indicator: str) -> str | None:
        """For a flow into or out of the stock its `of` names: in (entries, 新增) or out (exits, 退出); else None."""
        return self._field(indicator, "direction") or None

    def is_census(self, indicator: str) -> bool:
        """A rate that is a share of a full count (no sampling interval), not an estimate of a propensity."""
        return self._field(indicator, "reading") == "census"

    def indicators_where(
        self,
        *,
        kind: str | Collection[str] | None = None,
        counts: str | Collection[str] | None = None,
        scope: str | Collection[str] | None = None,
        per: str | Collection[str] | None = None,
        of: str | Collection[str] | None = None,
    ) -> list[str]:
        """The indicators of a kind (or kinds) that count these units, in this scope, per this, of these."""
        t = self.indicators
        mask = (
            _matches(t["kind"], kind)
            & _matches(t["counts"], counts)
            & _matches(t["scope"], scope)
            & _matches(t["per"], per)
            & _matches(t["of"], of)
        )
        return list(t.loc[mask, "indicator"])

    def rows(
        self,
        table: pd.DataFrame,
        *,
        region: str | None = None,
        totals: bool = False,
        **where: str | Collection[str] | None,
    ) -> pd.DataFrame:
        """The rows of a figures table whose indicator has this meaning (`indicators_where`), in this region.

        `totals` keeps only the rows that are not parts of a breakdown.
        """
        mask = table["indicator"].isin(self.indicators_where(**where))
        if region is not None:
            mask &= table["region"] == region
        if totals:
            mask &= table["breakdown_dimension"].fillna("") == ""
        return table[mask]

    def population(self, table: pd.DataFrame, region: str) -> pd.DataFrame:
        """The region's printed resident population: stocks of persons whose scope is the residents."""
        return self.rows(table, region=region, totals=True, kind="stock", counts="persons", scope="residents")

    def parts(self, indicator: str, dimension: str) -> str:
        """How a breakdown's parts relate to its total: exhaustive, partial, overlapping or top."""
        key = (indicator, dimension)
        if key not in self.breakdowns.index:
            raise KeyError(f"breakdown {dimension!r} of {indicator!r} is not in breakdowns.csv")
        return str(self.breakdowns.at[key, "parts"])

    def is_exhaustive(self, indicator: str, dimension: str) -> bool:
        """Whether the parts partition the total (they add up to it)."""
        return self.parts(indicator, dimension) == "exhaustive"

    def may_add(self, indicator: str, dimension: str) -> bool:
        """Whether the parts may be added: disjoint parts of an indicator that counts units."""
        return self.kind(indicator) in ADDITIVE_KINDS and self.parts(indicator, dimension) in DISJOINT_PARTS


@dataclass(frozen=True)
class Read:
    """What a topic's analysis reads: figures of a kind, counting these units, in this scope (None: any)."""

    kind: str
    counts: tuple[str, ...] | None = None
    scope: str | None = None

    def describe(self) -> str:
        """'flow of calls/requests/work_orders', 'stock of persons (residents)', 'rate'."""
        text = self.kind + (f" of {'/'.join(self.counts)}" if self.counts else "")
        return text + (f" ({self.scope})" if self.scope else "")


# The hotline's contacts: what one unit of its volume is.
HOTLINE_CONTACTS = ("calls", "requests", "work_orders")
# What each topic's analysis reads, by meaning. A figure of the topic that matches none is listed by `make data`
# as one no analysis of its topic uses (reports show it among the region's other figures at most).
TOPIC_READS: dict[str, tuple[Read, ...]] = {
    "poverty_exit": (Read("stock", ("households", "persons")), Read("flow", ("households", "persons")), Read("rate")),
    "hotline": (
        Read("flow", HOTLINE_CONTACTS),
        Read("average", HOTLINE_CONTACTS),
        Read("ratio", HOTLINE_CONTACTS),
        Read("change", HOTLINE_CONTACTS),
        Read("stock", ("persons",), "residents"),
    ),
    "satisfaction": (
        Read("rate"),
        Read("flow", ("evaluations", "cases")),
        Read("stock", ("persons", "villages")),
    ),
}


def read_by(meaning: Meaning, read: Read, indicator: str) -> bool:
    """Whether an analysis reading `read` reads this indicator."""
    return (
        meaning.kind(indicator) == read.kind
        and (read.counts is None or meaning.counts(indicator) in read.counts)
        and (read.scope is None or meaning.scope(indicator) == read.scope)
    )


def unread_figures(figures: pd.DataFrame, meaning: Meaning) -> pd.DataFrame:
    """Figures of an analysed topic that no analysis of that topic reads: figure_id, topic, indicator, kind, counts."""
    rows = []
    for f in figures.itertuples(index=False):
        reads = TOPIC_READS.get(f.topic)
        if reads is None or any(read_by(meaning, r, f.indicator) for r in reads):
            continue
        rows.append(
            {
                "figure_id": f.figure_id,
                "topic": f.topic,
                "indicator": f.indicator,
                "kind": meaning.kind(f.indicator),
                "counts": meaning.counts(f.indicator),
            }
        )
    return pd.DataFrame(rows, columns=["figure_id", "topic", "indicator", "kind", "counts"])


def unread_report(figures: pd.DataFrame, meaning: Meaning) -> list[str]:
    """A short list for `make data`: per topic, what its analysis reads, and each unread indicator with its figures."""
    unread = unread_figures(figures, meaning)
    lines = []
    for topic, rows in unread.groupby("topic", sort=True):
        reads = "; ".join(r.describe() for r in TOPIC_READS[topic])
        lines.append(f"{topic}: {len(rows)} figure(s) no {topic} analysis reads (it reads {reads}):")
        for indicator, group in rows.groupby("indicator", sort=False):
            first = group.iloc[0]
            ids = ", ".join(group["figure_id"])
            lines.append(f"  {indicator} ({first['kind']} of {first['counts']}): {ids}")
    return lines

"""The one disclosure-control gate every number derived from record-level data passes before it is shown.

Rules followed (frequency tables of households or records):

- **Primary suppression, the threshold rule.** A cell counting at least one and fewer than
  `THRESHOLD` units (households, records) is unsafe and is not shown. The threshold is set once, in
  `analysis.records.privacy.MIN_CELL` (10). Empty cells are safe, as in τ-ARGUS's default (Hundepool
  et al., *Statistical Disclosure Control*, Wiley 2012, §4.2; τ-ARGUS 4.2 user's manual, 'safety rules').
- **Secondary suppression, at least two suppressions per line.** A *line* is a set of printed cells
  that add up: the parts of a breakdown and its printed total, a row or a column of a two-way table
  with its margin. A line with exactly one suppressed cell would give it back by subtraction, so one
  more cell of that line is suppressed (the smallest non-zero one), and the lines are swept again until
  none has exactly one. This is the condition every suppression pattern of τ-ARGUS's HYPERCUBE method
  and of sdcTable's ``protectTable(method = "SIMPLEHEURISTIC")`` meets (Hundepool et al. 2012, §4.4.3;
  sdcTable reference manual). It does not widen the interval an attacker can derive for a suppressed
  cell beyond that: it is the minimum the rule asks, not an optimal pattern.
- **No estimate on a small group.** A group of fewer than `THRESHOLD` units is not estimated on its
  own (no median, curve or hazard ratio): it is recoded into one 'other' group, together with the next
  smallest groups until that group reaches the threshold (global recoding, as sdcMicro's
  ``groupAndRename``; Templ, Kowarik and Meindl, *J. Stat. Softw.* 67(4), 2015).

Both suppression kinds are shown with one mark, `MARK`, so the page does not say which cell is small.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import pandas as pd

from analysis import numbers
from analysis.records.privacy import MIN_CELL

THRESHOLD = MIN_CELL
MARK = "x"


def unsafe(count: float, threshold: int = THRESHOLD) -> bool:
    """Whether a count of units is below the threshold (and not empty): primary suppression."""
    return 0 < count < threshold


def shown_count(count: int, threshold: int = THRESHOLD) -> str:
    """A single printed count (no line it belongs to is printed): in the report's format, or the mark when unsafe."""
    return MARK if unsafe(count, threshold) else numbers.count(int(count))


def suppression_pattern(
    counts: pd.Series, lines: Iterable[Sequence[Hashable]], threshold: int = THRESHOLD
) -> pd.Series:
    """Which cells to suppress: primary (below `threshold`), then secondary until no line has exactly one.

    `counts` holds every printed cell (parts and totals) by index label; each line lists the labels of
    cells that add up (parts and their total). Returns a boolean Series on `counts`' index.
    """
    suppressed = counts.map(lambda n: unsafe(n, threshold)).astype(bool)
    lines = [list(line) for line in lines]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if int(suppressed[line].sum()) != 1:
                continue
            candidates = counts[line][~suppressed[line]]
            if candidates.empty:
                continue
            positive = candidates[candidates > 0]
            pick = (positive if len(positive) else candidates).sort_values(kind="stable").index[0]
            suppressed[pick] = True
            changed = True
    return suppressed


def protect(
    frame: pd.DataFrame,
    count_column: str,
    lines: Iterable[Sequence[Hashable]] = (),
    *,
    derived: Iterable[str] = (),
    threshold: int = THRESHOLD,
) -> pd.DataFrame:
    """The table as it may be printed: suppressed counts shown as `MARK`, their derived columns blanked.

    `lines` are groups of `frame`'s index labels whose counts add up (see `suppression_pattern`); a
    table whose rows are all the parts of one printed or derivable total is one line, `[frame.index]`.
    `derived` names columns computed from the count (a share, a median, a match flag): blanked too.
    """
    suppressed = suppression_pattern(frame[count_column], lines, threshold)
    shown = frame.astype({count_column: object, **dict.fromkeys(derived, object)}).copy()
    shown.loc[suppressed, count_column] = MARK
    for column in derived:
        shown.loc[suppressed, column] = ""
    return shown


def merge_small_groups(
    frame: pd.DataFrame, column: str, other: str, unit: str = "household_id", threshold: int = THRESHOLD
) -> tuple[pd.DataFrame, list[str]]:
    """Recode groups of fewer than `threshold` units into `other`, adding the next smallest until it is safe.

    Returns the recoded frame and the groups merged (empty when every group is large enough).
    """
    sizes = frame.groupby(column)[unit].nunique().sort_values(kind="stable")
    merged = [str(name) for name, size in sizes.items() if size < threshold]
    if not merged:
        return frame, []
    rest = [str(name) for name in sizes.index if str(name) not in merged]
    while frame.loc[frame[column].isin(merged), unit].nunique() < threshold and rest:
        merged.append(rest.pop(0))
    return frame.assign(**{column: frame[column].where(~frame[column].isin(merged), other)}), sorted(merged)

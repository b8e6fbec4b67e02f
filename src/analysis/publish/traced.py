"""How many numbers on a rendered page carry their provenance, against how many should.

Counted on the published HTML, not on the notebook, so what is counted is what a reviewer sees.
The numbers that should carry provenance are those in findings, key numbers, table cells, figure
captions and plain output (text a cell prints, which no provenance block can accompany; narrative
markdown is the author's, not a computed number). A number carries its provenance when its finding,
key-number row, table or caption has a provenance block on the page (the build marks these elements
`traced` only when they cite printed figures or name a data set; an element without one is
`untraced`); a number in plain output never does. A date counts as
one number; digits inside figure ids, code and the provenance blocks themselves are not counted.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

NUMBER = re.compile(
    r"\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日|(?<![A-Za-z_])\d[\d,]*(?:\.\d+)?"
)  # not the 2 of chi2
# The elements whose numbers should carry provenance, by kind.
KINDS = {
    "finding": "ul.findings > li",
    "key number": "table.key-numbers > tbody > tr",
    "table cell": "table.dataframe td",
    "caption": "p.caption",
    "plain output": "div.jp-RenderedText[data-mime-type='text/plain'] > pre",
}


@dataclass(frozen=True)
class Count:
    kind: str
    traced: int
    total: int


def own_numbers(element) -> int:
    """The numbers in an element's own text: not in its provenance blocks, figure ids or code."""
    from copy import copy

    shown = copy(element)
    for hidden in shown.select("details, code"):
        hidden.decompose()
    return len(NUMBER.findall(shown.get_text(" ")))


def is_traced(element) -> bool:
    """Whether the element (or, for a table cell, its table) is marked as carrying provenance."""
    holder = element.find_parent("table") if element.name == "td" else element
    return "traced" in (holder.get("class") or [])


def count_page(html: str) -> list[Count]:
    """Per kind: numbers carrying provenance and numbers that should."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    counts = []
    for kind, selector in KINDS.items():
        traced = total = 0
        for element in soup.select(selector):
            n = own_numbers(element)
            total += n
            traced += n if is_traced(element) else 0
        counts.append(Count(kind, traced, total))
    return counts


def main(pages: list[str]) -> int:
    """Print one line per page: traced / total, and by kind."""
    for page in pages:
        counts = count_page(Path(page).read_text(encoding="utf-8"))
        traced, total = sum(c.traced for c in counts), sum(c.total for c in counts)
        detail = "; ".join(f"{c.kind} {c.traced}/{c.total}" for c in counts if c.total)
        print(f"{Path(page).name}: {traced}/{total} numbers carry provenance ({detail})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

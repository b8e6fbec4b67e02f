"""What a notebook hands to the build: figures and key numbers, staged until the run succeeds."""

from __future__ import annotations

import json
from html import escape
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from IPython.display import HTML, Image, Markdown, display
import pandas as pd
from matplotlib.figure import Figure

from analysis import paths
from analysis.atomic import write_text
from analysis.numbers import KeyNumber
from analysis.publish.config import check_report_name
from analysis.charts.style import add_source_line, save_figure


def to_jsonable(value: Any) -> Any:
    """Plain JSON types for numpy and pandas scalars, recursively."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "item") and callable(value.item):
        return value.item()
    return value


def dumps(payload: Any) -> str:
    """Stable JSON text: sorted keys, Chinese kept readable, trailing newline."""
    return json.dumps(to_jsonable(payload), ensure_ascii=False, indent=2, sort_keys=True,
                      allow_nan=False) + "\n"


@dataclass
class ReportOutputs:
    """A report's figures and results, written to build/staging/<name> for the build to promote."""

    name: str
    lang: str = "en"
    figures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        check_report_name(self.name)
        staging = paths.inside(self.directory, paths.STAGING)
        if staging.exists():
            shutil.rmtree(staging)
        (staging / "figures").mkdir(parents=True)

    @property
    def directory(self) -> Path:
        return paths.STAGING / self.name

    def show_figure(self, fig: Figure, stem: str, caption: str, source: str) -> None:
        """Add the source line, save PNG and SVG, and display the saved PNG with its caption."""
        add_source_line(fig, source, self.lang)
        png, _svg = save_figure(fig, self.directory / "figures" / stem)
        self.figures.append(stem)
        display(Image(data=png.read_bytes(), format="png"))
        display(Markdown(f"*Figure {len(self.figures)}. {caption}*"))

    def synthetic_banner(self, what: str) -> None:
        """The banner every report on generated data opens with."""
        display(HTML(f'<div class="report-synthetic">SYNTHETIC DATA: {escape(what)}.</div>'))

    def write_results(self, *, title: str, findings: list[str], key_numbers: list[KeyNumber],
                      figure_ids: list[str], synthetic: bool = False,
                      main_figure: str | None = None) -> None:
        """Write the report's findings, key numbers (values, displays, figure ids) and provenance as results.json."""
        payload = {
            "report": self.name,
            "title": title,
            "finding": " ".join(findings),
            "findings": list(findings),
            "finding_figure_ids": [sorted(set(getattr(f, "figure_ids", ()))) for f in findings],
            "key_numbers": [number.as_json() for number in key_numbers],
            "figure_ids": sorted(set(figure_ids)),
            "figures": list(self.figures),
            "main_figure": main_figure or (self.figures[0] if self.figures else None),
            "synthetic": synthetic,
            "lang": self.lang,
        }
        write_text(self.directory / "results.json", dumps(payload))
        display(HTML(findings_html(findings) + key_numbers_html(key_numbers)))
        return None


def table(frame: pd.DataFrame, float_format: str = "{:,.4g}") -> HTML:
    """A table for the report: no row index, numbers formatted, nothing volatile in the HTML."""
    return HTML(frame.to_html(index=False, border=0, na_rep="", float_format=float_format.format))


def findings_html(findings: list[str]) -> str:
    """The findings, each with its figures one click away."""
    items = "".join(f"<li>{escape(f)} {provenance_html(f.figure_ids) if getattr(f, 'figure_ids', ()) else ''}</li>"
                    for f in findings)
    return f"<h3>Findings</h3><ul class='findings'>{items}</ul>"


def key_numbers_html(key_numbers: list[KeyNumber]) -> str:
    """The key numbers in the author's order: value, what it is, and where it comes from."""
    rows = "".join(f"<tr><td class='value'>{escape(k.display)}</td><td>{escape(k.label)}</td>"
                   f"<td>{provenance_html(k.figure_ids, k.derivation)}</td></tr>" for k in key_numbers)
    return ("<h3>Key numbers</h3><table class='key-numbers'><thead><tr><th>Value</th><th>What it is</th>"
            f"<th>Rests on</th></tr></thead><tbody>{rows}</tbody></table>")


def provenance_html(figure_ids: tuple[str, ...] | list[str], derivation: str = "") -> str:
    """A <details> block (no script, works offline): each figure as printed, its source, date, qualifier and locator."""
    from analysis.evidence.provenance import describe

    items = "".join(
        f"<li><code>{escape(d['figure_id'])}</code>: {escape(d['as_printed'])} ({escape(d['qualifier'])}); "
        f"{escape(d['source'])}, {escape(d['source_date'])}"
        + (f"; period as printed: {escape(d['period_as_printed'])}" if d["period_as_printed"] else "")
        + f"; printed beside: “{escape(d['locator'])}”</li>" for d in describe(figure_ids))
    how = f"<p class='derivation'>Derived: {escape(derivation)}</p>" if derivation else ""
    return (f"<details class='provenance'><summary>{len(set(figure_ids))} figure(s)</summary>"
            f"<ul>{items}</ul>{how}</details>")

"""What a notebook hands to the build: figures and key numbers, staged until the run succeeds."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from IPython.display import HTML, Image, display
from matplotlib.figure import Figure

from analysis import language, numbers, paths
from analysis.atomic import write_text
from analysis.charts.style import add_source_line, save_figure
from analysis.evidence import names
from analysis.evidence.provenance import qualifier_shown
from analysis.language import say
from analysis.numbers import Finding, KeyNumber
from analysis.publish.config import check_report_name


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
    return json.dumps(to_jsonable(payload), ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False) + "\n"


@dataclass
class ReportOutputs:
    """A report's figures and results, written to build/staging/<name> for the build to promote."""

    name: str
    lang: str = "en"
    figures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        check_report_name(self.name)
        # A report is written in one language: every sentence and number the package writes follows it.
        language.use(self.lang)
        staging = paths.inside(self.directory, paths.STAGING)
        if staging.exists():
            shutil.rmtree(staging)
        (staging / "figures").mkdir(parents=True)

    @property
    def directory(self) -> Path:
        return paths.STAGING / self.name

    def text(self, **texts: str) -> str:
        """Narrative written in the notebook in every language (out.text(en=..., zh=...)): the report's."""
        return language.pick(**texts)

    def show_figure(
        self,
        fig: Figure,
        stem: str,
        caption: str,
        *,
        method: str,
        figure_ids: Iterable[str] = (),
        source: str | None = None,
        audit: pd.DataFrame | None = None,
        dataset: str = "",
    ) -> None:
        """Save the figure (PNG and SVG) with its source line; show it, its caption and its sources and processing.

        The source line is cited from `figure_ids` unless `source` is given (record-level reports). The
        'sources and processing' block lists each figure as printed (or names the record-level `dataset`
        the chart rests on), the audit rows that involve them and `method`, the processing in one line.
        The caption is traced only when the chart cites printed figures or names a data set.
        """
        from analysis.evidence.provenance import source_line

        ids = sorted(set(figure_ids))
        add_source_line(fig, source if source is not None else source_line(ids, self.lang), self.lang)
        png, _svg = save_figure(fig, self.directory / "figures" / stem)
        self.figures.append(stem)
        display(Image(data=png.read_bytes(), format="png"))
        number = say("publish.figure_caption", n=len(self.figures), caption=caption)
        traced = "traced" if ids or dataset else "untraced"
        display(
            HTML(
                f"<p class='caption {traced}'><em>{escape(number)}</em></p>"
                + sources_and_processing_html(ids, method, audit, dataset)
            )
        )

    def table(
        self,
        frame: pd.DataFrame,
        formats: Mapping[str, str] | None = None,
        *,
        figure_ids: Iterable[str] | None = None,
        method: str = "",
        rests_on: str = "",
        dataset: str = "",
    ) -> HTML:
        """A table in the report's language, each numeric column shown as the kind `formats` declares (see `table`)."""
        return table(frame, formats, figure_ids=figure_ids, method=method, rests_on=rests_on, dataset=dataset)

    def synthetic_banner(self, what: str) -> None:
        """The banner every report on generated data opens with."""
        display(HTML(f'<div class="report-synthetic">{escape(say("publish.synthetic_banner", what=what))}</div>'))

    def write_results(
        self,
        *,
        title: str,
        findings: list[Finding],
        key_numbers: list[KeyNumber],
        figure_ids: list[str],
        synthetic: bool = False,
        main_figure: str | None = None,
        dataset: str = "",
        lead: Finding | None = None,
    ) -> None:
        """Write the report's findings, key numbers (values, displays, figure ids) and provenance as results.json.

        `dataset` names the record-level data set the report rests on: a finding or key number citing no
        printed figure cites it instead (in the JSON and on the page). `lead` is the finding the index opens
        with, one of `findings` (by default the first).
        """
        if strays := [f for f in findings if not isinstance(f, Finding)]:
            raise TypeError(f"report {self.name}: findings must be Finding objects, not {strays!r}")
        if lead is not None and lead not in findings:
            raise ValueError(f"report {self.name}: the lead finding is not one of its findings: {lead.text!r}")
        payload = {
            "report": self.name,
            "title": title,
            "finding": " ".join(f.text for f in findings),
            "findings": [f.text for f in findings],
            "finding_figure_ids": [sorted(set(f.figure_ids)) for f in findings],
            "finding_datasets": [dataset if dataset and not f.figure_ids else "" for f in findings],
            "key_numbers": [
                {**number.as_json(), **({"dataset": dataset} if dataset and not number.figure_ids else {})}
                for number in key_numbers
            ],
            "dataset": dataset,
            "figure_ids": sorted(set(figure_ids)),
            "figures": list(self.figures),
            "main_figure": main_figure or (self.figures[0] if self.figures else None),
            "synthetic": synthetic,
            "lang": self.lang,
        }
        if lead is not None:
            payload["lead_finding"] = findings.index(lead)
        write_text(self.directory / "results.json", dumps(payload))
        display(HTML(findings_html(findings, dataset) + key_numbers_html(key_numbers, dataset)))
        return None


def _count(value: float) -> str:
    return say("common.unbounded") if value in (float("inf"), float("-inf")) else numbers.count(value)


# One display format per kind of quantity (analysis.numbers): a table's caller declares the kind of each
# numeric column (`formats`); nothing is guessed from a column's name. A kind may name its decimals after a
# colon ("share:0", "ratio:2") where the default precision is not the one the table needs.
FORMATS: dict[str, Any] = {
    "count": _count,  # people, households, calls, days: thousands separators, 万 in Chinese
    "share": numbers.share,  # a fraction shown as a percentage
    "ratio": lambda v, d=3: numbers.ratio(v, d),  # a ratio of two quantities (growth factor, per-day ratio)
    "odds_ratio": lambda v, d=3: numbers.ratio(v, d),
    "hazard_ratio": lambda v, d=3: numbers.ratio(v, d),
    "years": numbers.years,  # a duration in years
    "rate_per_year": lambda v, d=4: f"{v:.{d}f}",  # a hazard or net rate per year
    "number": lambda v, d=3: f"{v:,.{d}f}",  # a plain number (a test statistic, a coefficient)
}
# How a numeric column no caller declared is shown; in tests (and with ANALYSIS_STRICT_FORMATS=1) it raises.
PLAIN = "{:,.4g}"


def strict_formats() -> bool:
    """Whether an undeclared numeric column is an error: under pytest (which the build tests' kernels inherit)."""
    return bool(os.environ.get("ANALYSIS_STRICT_FORMATS") or os.environ.get("PYTEST_CURRENT_TEST"))


def formatter(kind: str) -> Any:
    """The display format of a declared kind of quantity ("share", "ratio:2" ...)."""
    name, _, decimals = kind.partition(":")
    if name not in FORMATS:
        raise ValueError(f"unknown kind of quantity {kind!r}; kinds: {', '.join(sorted(FORMATS))}")
    show = FORMATS[name]
    return (lambda v: show(v, int(decimals))) if decimals else show


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


QUALIFIER_COLUMNS = {"qualifier", "n_qualifier"}


def kind_shown(kind: str) -> str:
    """A relation kind (sum, ratio, covers, ...) or figure kind (count, share) in the report's language."""
    key = f"publish.kind.{kind}"
    return say(key) if key in language.catalogue() else kind


def header(column: str) -> str:
    """A column's human header in the report's language; a column the catalogue lacks is shown by its name."""
    key = f"publish.header.{column}"
    return say(key) if key in language.catalogue() else column.replace("_", " ").capitalize()


def table(
    frame: pd.DataFrame,
    formats: Mapping[str, str] | None = None,
    *,
    figure_ids: Iterable[str] | None = None,
    method: str = "",
    rests_on: str = "",
    dataset: str = "",
) -> HTML:
    """A table for the report: human headers, one format per kind of number, no row index, escaped text.

    `formats` maps each numeric column to the kind of quantity it holds (FORMATS: count, share, ratio,
    odds_ratio, hazard_ratio, years, rate_per_year, number; "kind:decimals" for another precision). A
    numeric column it does not name is shown plainly (PLAIN), and is an error in tests, so callers declare.

    Its numbers carry their provenance: a `figure_id` or `figure_ids` column becomes a per-row
    provenance cell; `figure_ids` given for the whole table (a table derived from those figures)
    adds one provenance block under it with `method`; `dataset` names the data set a table that
    rests on no printed figure comes from (a record-level export, a raw table). The table is traced
    only with non-empty figure ids or a named data set: `rests_on` is a description shown under it
    (what it comes from, how), and an empty `figure_ids` is no provenance.
    """
    formats = dict(formats or {})
    if unknown := sorted(set(formats) - {str(c) for c in frame.columns}):
        raise ValueError(f"formats name columns the table lacks: {', '.join(unknown)}")
    shown = frame.copy()
    for column in shown.columns:
        kind = formats.get(str(column))
        numeric = any(is_number(v) and pd.notna(v) for v in shown[column])
        if kind is None and numeric:
            if strict_formats():
                raise TypeError(f"table column {column!r} holds numbers but no format was declared for it")
            show = PLAIN.format
        else:
            show = formatter(kind) if kind is not None else None
        if show is not None:
            shown[column] = [
                show(v)
                if is_number(v) and pd.notna(v)
                else ("" if v is None or (isinstance(v, float) and pd.isna(v)) else v)
                for v in shown[column]
            ]
        if str(column) in QUALIFIER_COLUMNS:
            shown[column] = [qualifier_shown(v) if isinstance(v, str) and v else v for v in shown[column]]
        if str(column) == "kind":  # a relation's or a figure's kind, in words
            shown[column] = [kind_shown(v) if isinstance(v, str) and v else v for v in shown[column]]
        if str(column) == "verdict":  # an audit verdict (holds, fails, derived), in words
            shown[column] = [say(f"audit.verdict.{v}") if isinstance(v, str) and v else v for v in shown[column]]
        if str(column) == "indicator":  # indicator codes are shown by their names (data/raw/indicators.csv)
            shown[column] = [names.indicator_name(v) if isinstance(v, str) and v else v for v in shown[column]]
        shown[column] = [
            say("publish.answer_yes" if v else "publish.answer_no") if isinstance(v, (bool, np.bool_)) else v
            for v in shown[column]
        ]
    # Provenance cells are markup, the rest is escaped text: each is rendered as a token, swapped in after.
    blocks: dict[str, str] = {}
    for column in ("figure_id", "figure_ids"):
        if column in shown.columns:
            cells = []
            for ids in shown[column]:
                ids = [ids] if isinstance(ids, str) else list(ids)
                token = f"@@provenance{len(blocks)}@@"
                blocks[token] = provenance_html(ids, summary=", ".join(ids) if len(ids) == 1 else None)
                cells.append(token)
            shown[column] = cells
    figure_ids = sorted(set(figure_ids)) if figure_ids is not None else []
    traced = bool(blocks) or bool(figure_ids) or bool(dataset)
    shown.columns = [header(str(c)) for c in shown.columns]
    html = shown.to_html(index=False, border=0, na_rep="", classes="traced" if traced else "untraced")
    for token, block in blocks.items():
        html = html.replace(token, block)
    if figure_ids:
        html += provenance_html(figure_ids, method, summary=say("publish.table_rests_on", n=len(figure_ids)))
    if dataset:
        html += dataset_html(dataset, method if not figure_ids else "")
    if rests_on:
        html += (
            f"<details class='provenance'><summary>{escape(say('publish.table_rests_on_records'))}</summary>"
            f"<p>{escape(rests_on)}</p></details>"
        )
    return HTML(html)


def dataset_html(dataset: str, method: str = "") -> str:
    """A <details> block naming the record-level data set a number, table or chart rests on."""
    how = f"<p class='derivation'>{escape(say('publish.method', method=method))}</p>" if method else ""
    return (
        f"<details class='provenance dataset'><summary>{escape(say('publish.rests_on_dataset', dataset=dataset))}"
        f"</summary>{how}</details>"
    )


def findings_html(findings: list[Finding], dataset: str = "") -> str:
    """The findings, each with its figures (or the data set it rests on) one click away."""
    items = "".join(
        f"<li class='traced'>{escape(f.text)} {provenance_html(f.figure_ids)}</li>"
        if f.figure_ids
        else f"<li class='traced'>{escape(f.text)} {dataset_html(dataset)}</li>"
        if dataset
        else f"<li class='untraced'>{escape(f.text)}</li>"
        for f in findings
    )
    return f"<h3>{escape(say('publish.findings'))}</h3><ul class='findings'>{items}</ul>"


def key_numbers_html(key_numbers: list[KeyNumber], dataset: str = "") -> str:
    """The key numbers in the author's order: value, what it is, and where it comes from (figures or data set)."""
    rows = "".join(
        f"<tr class='{'traced' if k.figure_ids or dataset else 'untraced'}'><td class='value'>{escape(k.display)}</td>"
        f"<td>{escape(k.label)}</td><td>"
        + (
            provenance_html(k.figure_ids, k.derivation)
            if k.figure_ids or not dataset
            else dataset_html(dataset, k.derivation)
        )
        + "</td></tr>"
        for k in key_numbers
    )
    head = "".join(f"<th>{escape(say(f'publish.key_numbers_{c}'))}</th>" for c in ("value", "what", "rests_on"))
    return (
        f"<h3>{escape(say('publish.key_numbers'))}</h3><table class='key-numbers'><thead><tr>{head}</tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def figure_items_html(figure_ids: Iterable[str]) -> str:
    """One list item per figure: as printed, qualifier, source and date, period as printed, the characters beside it."""
    from analysis.evidence.provenance import address_shown, describe

    items = []
    for d in describe(figure_ids):
        period = say("publish.period_as_printed", period=d["period_as_printed"]) if d["period_as_printed"] else ""
        text = say(
            "publish.provenance_item",
            as_printed=d["as_printed"],
            qualifier=d["qualifier_shown"],
            source=d["source"],
            source_date=d["source_date"],
            address=address_shown(d["source_url"]),
            period=period,
            locator=d["locator"],
        )
        items.append(f"<li><code>{escape(d['figure_id'])}</code>: {escape(text)}</li>")
    return "".join(items)


def provenance_html(figure_ids: Iterable[str], derivation: str = "", summary: str | None = None) -> str:
    """A <details> block (no script, works offline): each figure as printed, its source, date, qualifier and locator."""
    ids = sorted(set(figure_ids))
    how = f"<p class='derivation'>{escape(say('publish.derived', how=derivation))}</p>" if derivation else ""
    summary = summary if summary is not None else say("publish.figures_count", n=len(ids))
    return (
        f"<details class='provenance'><summary>{escape(summary)}</summary>"
        f"<ul>{figure_items_html(ids)}</ul>{how}</details>"
    )


def sources_and_processing_html(
    figure_ids: list[str], method: str, audit: pd.DataFrame | None, dataset: str = ""
) -> str:
    """A chart's 'sources and processing' block: its figures as printed, the audit rows on them, the method."""
    from analysis.evidence.audit import rows_involving

    checks = rows_involving(audit, set(figure_ids)) if audit is not None and len(figure_ids) else None
    audit_items = (
        "".join(
            f"<li><code>{escape(str(row.relation_id))}</code>: "
            f"{escape(say(f'audit.verdict.{row.verdict}'))}; {escape(str(row.explanation))}</li>"
            for row in checks.itertuples()
        )
        if checks is not None and len(checks)
        else ""
    )
    audit_part = (
        f"<p>{escape(say('publish.audit_rows'))}</p><ul>{audit_items}</ul>"
        if audit_items
        else f"<p>{escape(say('publish.no_audit_rows'))}</p>"
    )
    figures_part = (
        f"<ul>{figure_items_html(figure_ids)}</ul>"
        if figure_ids
        else f"<p>{escape(say('publish.no_printed_figures'))} {escape(say('publish.rests_on_dataset', dataset=dataset))}</p>"
        if dataset
        else f"<p>{escape(say('publish.no_printed_figures'))}</p>"
    )
    return (
        f"<details class='provenance sources-processing'><summary>{escape(say('publish.sources_and_processing'))}"
        f"</summary>{figures_part}{audit_part}<p>{escape(say('publish.method', method=method))}</p></details>"
    )

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

    def table(self, frame: pd.DataFrame, float_format: str = "{:,.4g}") -> HTML:
        """A table in the report's language (see `table`)."""
        return table(frame, float_format, self.lang)

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


# One display format per kind of quantity, chosen by what a column holds.
SHARE_COLUMNS = {"share", "rate", "low", "high", "annual_exit_probability", "satisfied_share", "mom", "yoy"}
RATIO_COLUMNS = {"growth", "recomputed", "per_day_ratio", "hazard_ratio", "odds_ratio"}
YEAR_COLUMNS = {"half_life_years", "years_ahead", "rate_per_year"}
COUNT_COLUMNS = {"count", "value", "households", "calls", "days", "n", "per_day", "inflow_per_year", "published", "registry",
                 "log", "window_days", "unexplained_days", "unexplained_calls_at_least",
                 "unexplained_per_day_at_least", "no_inflow", "band_low", "band_high", "per_day_earlier",
                 "per_day_later", "rated", "satisfied", "value_low", "value_high"}
HEADERS = {
    "figure_id": ("Figure", "数据编号"), "as_printed": ("As printed", "原文数字"), "qualifier": ("Qualifier", "限定"),
    "value_low": ("At least", "下限"), "value_high": ("At most", "上限"), "period_as_printed": ("Period as printed", "原文时期"),
    "period_start": ("From", "起"), "period_end": ("To", "止"), "date": ("Date", "日期"), "indicator": ("Indicator", "指标"),
    "relation_id": ("Relation", "关系"), "kind": ("Kind", "类型"), "expected": ("Expected", "应为"),
    "observed": ("Printed", "实印"), "holds": ("Holds", "成立"), "explanation": ("Explanation", "说明"),
    "category": ("Category", "类别"), "count": ("Count", "数量"), "share": ("Share", "占比"),
    "inflow_per_year": ("Assumed new households a year", "假设每年新增户数"),
    "rate_per_year": ("Gross hazard a year", "年毛退出率"), "annual_exit_probability": ("Annual exit probability", "年退出概率"),
    "half_life_years": ("Half-life (years)", "半衰期（年）"), "years_ahead": ("Years ahead", "未来年数"),
    "no_inflow": ("No inflow", "无新增"), "band_low": ("Band, low", "区间下限"), "band_high": ("Band, high", "区间上限"),
    "period": ("Period", "时期"), "days": ("Days", "天数"), "per_day": ("Per day", "日均"),
    "window_end": ("Window ends", "窗口截止"), "window_days": ("Days in window", "窗口天数"),
    "unexplained_days": ("Uncovered days", "未覆盖天数"), "unexplained_calls_at_least": ("Unexplained, at least", "未说明量下限"),
    "unexplained_per_day_at_least": ("Unexplained per day, at least", "未说明日均下限"),
    "source_id": ("Source", "来源"), "publication": ("Publication", "出版物"), "publication_date": ("Published", "出版日期"),
    "script": ("Script", "字体"), "region": ("Region", "地区"), "breakdown_value": ("Part", "分项"), "locator": ("Printed beside", "原文位置"),
    "period_resolution": ("How the period was resolved", "时期解析"), "figures": ("Figures", "数据"),
    "n": ("n", "样本量"), "n_qualifier": ("n qualifier", "样本量限定"), "interval_95": ("95% interval", "95%区间"),
    "step": ("Step", "环节"), "printed": ("Printed", "原文"), "measure": ("Measure", "度量"), "display": ("Shown as", "显示"),
    "earlier": ("Earlier period", "前期"), "later": ("Later period", "后期"), "growth": ("Growth per day", "日均增长倍数"),
    "compares": ("Compares", "比较"), "per_day_ratio": ("Ratio per day", "日均之比"), "recomputed": ("Recomputed", "重算值"), "same_length": ("Same length", "等长"),
}


def header(column: str, lang: str) -> str:
    """A column's human header in the report's language."""
    if column in HEADERS:
        return HEADERS[column][0 if lang == "en" else 1]
    return column.replace("_", " ").capitalize()


def column_formatter(column: str) -> Any:
    """The display format of a column's numbers, by what it holds."""
    from analysis import numbers

    if column in SHARE_COLUMNS:
        return numbers.share
    if column in RATIO_COLUMNS:
        return lambda v: numbers.ratio(v, 3)
    if column in YEAR_COLUMNS:
        return lambda v: f"{v:.4f}" if column == "rate_per_year" else numbers.years(v)
    if column in COUNT_COLUMNS:
        return lambda v: "unbounded" if v in (float("inf"), float("-inf")) else numbers.count(v)
    return None


def table(frame: pd.DataFrame, float_format: str = "{:,.4g}", lang: str = "en") -> HTML:
    """A table for the report: human headers, one format per kind of number, no row index, escaped text."""
    shown = frame.copy()
    for column in shown.columns:
        formatter = column_formatter(str(column))
        if formatter is not None:
            shown[column] = [formatter(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and pd.notna(v)
                             else ("" if v is None or (isinstance(v, float) and pd.isna(v)) else v)
                             for v in shown[column]]
    shown.columns = [header(str(c), lang) for c in shown.columns]
    return HTML(shown.to_html(index=False, border=0, na_rep="", float_format=float_format.format))


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

"""Executed notebook to self-contained HTML with nbconvert's offline template."""

from __future__ import annotations

import functools
from typing import Any

from analysis import language, paths
from analysis.language import say
from analysis.publish.config import COMPARISON_NOTEBOOK, ReportEntry, load_config


@functools.cache
def _exporter() -> Any:
    """One HTML exporter per process: its Jinja templates are compiled once, not once per page."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="offline",
        extra_template_basedirs=[str(paths.TEMPLATES)],
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )


def warm_up() -> None:
    """Load nbconvert and compile the page templates now (before a build forks its workers)."""
    _exporter().template  # noqa: B018 - compiling the template is the point


def render_html(nb: Any, entry: ReportEntry, *, with_code: bool, font_css: str) -> str:
    """Self-contained HTML: images and font embedded, no remote assets; code only on the companion page."""
    exporter = _exporter()
    # Only the template's input filter reads this (it is neither an environment nor a template trait).
    exporter.exclude_input = not with_code
    exporter.language_code = entry.lang  # <html lang>: the exporter's trait overrides a resource of that name
    nav = navigation(entry, with_code)
    nb.metadata["title"] = entry.title
    body, _ = exporter.from_notebook_node(nb, resources={"report_nav": nav, "cjk_font_css": font_css})
    return body


@functools.cache
def _entries() -> tuple[ReportEntry, ...]:
    return tuple(load_config())


def comparison_of(entry: ReportEntry) -> ReportEntry | None:
    """The comparison page of a region's report: the one in its language that reads the same topic table first."""
    if entry.notebook == COMPARISON_NOTEBOOK or "region" not in entry.parameters or not entry.reads:
        return None
    return next(
        (
            e
            for e in _entries()
            if e.notebook == COMPARISON_NOTEBOOK and e.lang == entry.lang and e.reads[:1] == entry.reads[:1]
        ),
        None,
    )


def navigation(entry: ReportEntry, with_code: bool) -> dict[str, Any]:
    """The links above a page: the index of its language, the page with or without code, its other languages,
    and for a region's report its topic's comparison across regions (labelled with that page's title)."""
    compare = comparison_of(entry)
    with language.using(entry.lang):
        code = (
            {"href": f"{entry.name}.html", "label": say("publish.hide_code")}
            if with_code
            else {"href": f"{entry.name}.code.html", "label": say("publish.show_code")}
        )
        return {
            "index": {"href": f"../{index_name(entry.lang)}", "label": say("publish.all_reports")},
            "code": code,
            "translations": [
                {
                    "href": f"{name}{'.code' if with_code else ''}.html",
                    "label": say(f"publish.read_in_{lang}"),
                    "lang": lang,
                }
                for lang, name in entry.translations
            ],
            "comparison": {"href": f"{compare.name}.html", "label": compare.title} if compare else None,
        }


def navigation_text(entry: ReportEntry) -> str:
    """Every label the two pages' links show (their characters must be in the embedded font subset)."""
    return " ".join(
        link["label"]
        for with_code in (False, True)
        for nav in [navigation(entry, with_code)]
        for link in (
            nav["index"],
            nav["code"],
            *nav["translations"],
            *([nav["comparison"]] if nav["comparison"] else []),
        )
    )


def index_name(lang: str) -> str:
    """The index page of a language: index.html for English, index.<lang>.html for the others."""
    return "index.html" if lang == "en" else f"index.{lang}.html"

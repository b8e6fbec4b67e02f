"""Executed notebook to self-contained HTML with nbconvert's offline template."""

from __future__ import annotations

import functools
from typing import Any

from analysis import language, paths
from analysis.language import say
from analysis.publish.config import ReportEntry



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


def render_html(nb: Any, entry: ReportEntry, *, with_code: bool, font_css: str) -> str:
    """Self-contained HTML: images and font embedded, no remote assets; code only on the companion page."""
    exporter = _exporter()
    # Only the template's input filter reads this (it is neither an environment nor a template trait).
    exporter.exclude_input = not with_code
    with language.using(entry.lang):
        link = ({"href": f"{entry.name}.html", "label": say("publish.hide_code")} if with_code
                else {"href": f"{entry.name}.code.html", "label": say("publish.show_code")})
        nav = {"index": {"href": f"../{index_name(entry.lang)}", "label": say("publish.all_reports")},
               "code": link,
               "translations": [{"href": f"{name}{'.code' if with_code else ''}.html",
                                 "label": say(f"publish.read_in_{lang}"), "lang": lang}
                                for lang, name in entry.translations]}
    nb.metadata["title"] = entry.title
    body, _ = exporter.from_notebook_node(nb, resources={"report_nav": nav, "cjk_font_css": font_css,
                                                         "language_code": entry.lang})
    return body


def index_name(lang: str) -> str:
    """The index page of a language: index.html for English, index.<lang>.html for the others."""
    return "index.html" if lang == "en" else f"index.{lang}.html"

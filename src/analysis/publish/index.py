"""reports/index.html: every report with its finding and key numbers, the sources, the build."""

from __future__ import annotations

import json

from analysis import paths
from analysis.atomic import write_text
from analysis.publish.config import load_config
from analysis.publish.webfont import font_face_css



def build_info() -> dict[str, str]:
    """Commit, lock hash and raw-data hash, as the Makefile recorded them."""
    lines = paths.BUILD_INFO.read_text(encoding="utf-8").splitlines()
    return {"commit": lines[0], "lock_sha256": lines[1], "raw_data_sha256": lines[2]}


def build_index() -> None:
    """Write reports/index.html: every report with its finding and numbers, the sources, the build."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from analysis.evidence.raw import load_sources

    reports = []
    for entry in load_config():
        results = json.loads(entry.results.read_text(encoding="utf-8"))
        reports.append({"entry": entry, "results": results,
                        "thumbnail": (f"figures/{entry.name}/{results['main_figure']}.png"
                                      if results.get("main_figure") else None)})
    env = Environment(loader=FileSystemLoader(str(paths.TEMPLATES)), autoescape=select_autoescape(["html"]))
    template = env.get_template("reports_index.html.j2")
    context = {"reports": reports, "sources": load_sources().to_dict("records"), "build": build_info()}
    draft = template.render(**context, cjk_font_css="")
    write_text(paths.REPORT_INDEX, template.render(**context, cjk_font_css=font_face_css(draft)))

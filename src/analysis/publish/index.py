"""reports/index.html: every report with its finding and key numbers, the sources, the build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from analysis import language, paths
from analysis.atomic import write_text
from analysis.language import say
from analysis.publish.config import COMPARISON_NOTEBOOK, ConfigError, ReportEntry, load_config
from analysis.publish.render import index_name
from analysis.publish.webfont import font_face_css


def build_info() -> dict[str, str]:
    """Commit, lock hash and raw-data hash, as the Makefile recorded them."""
    lines = paths.BUILD_INFO.read_text(encoding="utf-8").splitlines()
    return {"commit": lines[0], "lock_sha256": lines[1], "raw_data_sha256": lines[2]}


def prune_orphans(entries: list[ReportEntry]) -> list[Path]:
    """Delete the outputs of reports no longer in reports.yml, so no page outlives its entry."""
    names = {e.name for e in entries}
    owned = [
        (paths.REPORT_HTML, "*.html"),
        (paths.REPORT_RESULTS, "*.json"),
        (paths.REPORT_FIGURES, "*"),
        (paths.EXECUTED, "*.ipynb"),
        (paths.PARAMS, "*.json"),
        (paths.BUILD / "inputs", "*.json"),  # the manifests of input hashes (publish.inputs)
    ]
    removed = []
    for folder, pattern in owned:
        for path in sorted(folder.glob(pattern)):
            if path.name.split(".")[0] not in names:
                target = paths.inside(path, folder)
                shutil.rmtree(target) if target.is_dir() else target.unlink()
                removed.append(target)
    return removed


def check_regions(entries: list[ReportEntry]) -> None:
    """Every `region` parameter names a region that has rows in the tables the report reads."""
    from analysis.evidence.catalogue import load_processed

    for entry in entries:
        region = entry.parameters.get("region")
        tables = [load_processed(t) for t in entry.reads]
        known = sorted({r for t in tables if "region" in t.columns for r in t["region"]})
        if region is not None and known and region not in known:
            raise ConfigError(
                f"{paths.REPORTS_CONFIG.name}: report '{entry.name}': no data for region '{region}' "
                f"in {', '.join(entry.reads)}; regions with data: {', '.join(known)}"
            )


def build_index() -> None:
    """Write one index per language (index.html, index.zh.html): its reports with findings, numbers and provenance."""
    from analysis.evidence.provenance import describe
    from analysis.evidence.raw import load_sources

    entries = load_config()
    prune_orphans(entries)
    sources = load_sources().to_dict("records")
    built = [lang for lang in language.LANGUAGES if any(e.lang == lang for e in entries)]
    for lang in built:
        reports = []
        with language.using(lang):
            for entry in (e for e in entries if e.lang == lang):
                results = json.loads(entry.results.read_text(encoding="utf-8"))
                for number in results["key_numbers"]:
                    number["provenance"] = describe(number["figure_ids"])
                # The finding the notebook named as its lead (a comparison's first substantive one, not its tally).
                first = results.get("lead_finding", 0)
                lead = results["findings"][first] if results["findings"] else results["finding"]
                lead_ids = results["finding_figure_ids"][first] if results["finding_figure_ids"] else []
                reports.append(
                    {
                        "entry": entry,
                        "comparison": entry.notebook == COMPARISON_NOTEBOOK,
                        "lead": lead,
                        "lead_provenance": describe(lead_ids) if entry.notebook == COMPARISON_NOTEBOOK else [],
                        "results": results,
                        "thumbnail": (
                            f"figures/{entry.name}/{results['main_figure']}.png" if results.get("main_figure") else None
                        ),
                    }
                )
            write_text(
                paths.REPORTS / index_name(lang),
                index_html(reports, sources, build_info(), lang, [o for o in built if o != lang]),
            )


def index_html(
    reports: list[dict],
    sources: list[dict],
    build: dict[str, str],
    lang: str = "en",
    other_languages: list[str] | None = None,
) -> str:
    """The index page of one language; every text from reports.yml, results and sources is escaped, never markup."""
    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader(str(paths.TEMPLATES)), autoescape=True)
    template = env.get_template("reports_index.html.j2")
    others = [
        {"href": index_name(other), "label": say(f"publish.read_in_{other}"), "lang": other}
        for other in other_languages or []
    ]
    context = {
        "reports": reports,
        "sources": sources,
        "build": build,
        "lang": lang,
        "say": say,
        "other_indexes": others,
        "changes": (paths.REPORTS / "changes.html").is_file(),
    }
    draft = template.render(**context, cjk_font_css="")
    return template.render(**context, cjk_font_css=font_face_css(draft))

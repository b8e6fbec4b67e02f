"""`make diff`: what changed in every report's key numbers and figures since a reference build, and which raw rows caused it.

Usage: python -m analysis.publish.diff [REF]   (REF: any git ref, default HEAD)

The reference is built in a detached git worktree under build/diff/, with the project's .venv, so the
working tree and its outputs are never touched.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from analysis import paths
from analysis.atomic import write_text

REFERENCE = paths.BUILD / "diff" / "reference"
CHANGES_MD = paths.REPORTS / "changes.md"
CHANGES_HTML = paths.REPORTS / "changes.html"  # the index links it when it exists
# Files whose age decides whether make rebuilds .venv or .venv-tools: in the reference they are made older than
# the checkout's, which the reference build uses (requirements.lock: refs before uv.lock).
ENVIRONMENT_FILES = ("uv.lock", "requirements.lock", "pyproject.toml", "requirements-tools.lock")
TOOLS = ".venv-tools"  # the small venv holding uv


def git(*args: str, cwd: Path = paths.ROOT) -> str:
    """Run git and return its output."""
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def build_reference(ref: str) -> Path:
    """Check `ref` out into a detached worktree under build/diff and build its reports with this .venv."""
    commit = git("rev-parse", "--verify", f"{ref}^{{commit}}")
    if REFERENCE.exists():  # a reference from an earlier run (or copied from another checkout): start afresh
        shutil.rmtree(paths.inside(REFERENCE, paths.BUILD))
    git("worktree", "prune")
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    git("worktree", "add", "--detach", str(REFERENCE), commit)
    for name in ENVIRONMENT_FILES:  # the shared .venv must not be rebuilt from the reference's files
        if (REFERENCE / name).exists():
            os.utime(REFERENCE / name, (0, 0))
    if (paths.ROOT / TOOLS).is_dir():  # else the reference's first make builds its own (about 13 core-seconds)
        (REFERENCE / TOOLS).symlink_to(paths.ROOT / TOOLS, target_is_directory=True)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    venv = paths.ROOT / ".venv"
    result = subprocess.run(
        ["make", "--no-print-directory", f"VENV={venv}", "reports"],
        cwd=REFERENCE,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"make diff: the reference build of {ref} failed:\n{result.stderr[-3000:]}")
    return REFERENCE


def csv_rows(path: Path) -> dict[str, dict[str, str]]:
    """A raw CSV's rows keyed by their first column (figure_id, relation_id, source_id, unit, ...)."""
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        key = reader.fieldnames[0] if reader.fieldnames else ""
        return {row[key]: row for row in reader}


@dataclass
class RawChange:
    """One raw row added, removed or edited (with the columns that changed)."""

    file: str
    key: str
    change: str
    columns: dict[str, tuple[str, str]] = field(default_factory=dict)


def raw_changes(reference: Path, current: Path) -> list[RawChange]:
    """Every row of data/raw/*.csv that differs between the reference and the working tree."""
    changes = []
    names = sorted({p.name for p in (reference / "data/raw").glob("*.csv")} | {p.name for p in paths.RAW.glob("*.csv")})
    for name in names:
        old, new = csv_rows(reference / "data/raw" / name), csv_rows(current / "data/raw" / name)
        for key in sorted(old.keys() | new.keys()):
            if key not in old:
                changes.append(RawChange(name, key, "added"))
            elif key not in new:
                changes.append(RawChange(name, key, "removed"))
            elif old[key] != new[key]:
                columns = {
                    c: (old[key].get(c, ""), new[key].get(c, ""))
                    for c in sorted(old[key].keys() | new[key].keys())
                    if old[key].get(c) != new[key].get(c)
                }
                changes.append(RawChange(name, key, "edited", columns))
    return changes


def key_numbers(results: Path) -> dict[str, dict]:
    """A results file's key numbers by key."""
    if not results.is_file():
        return {}
    return {k["key"]: k for k in json.loads(results.read_text(encoding="utf-8"))["key_numbers"]}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def relative_change(old: object, new: object) -> str:
    """(new − old) / old, where both are numbers and old is not zero."""
    if isinstance(old, (int, float)) and isinstance(new, (int, float)) and old:
        return f"{(new - old) / abs(old):+.2%}"
    return ""


def report_changes(reference: Path, current: Path, raw: list[RawChange]) -> list[dict]:
    """Per report: key numbers added, removed or changed, figures whose image changed, and the raw rows behind them."""
    edited_ids = {c.key for c in raw if c.file == "figures.csv"}
    names = sorted(
        {p.stem for p in (reference / "reports/results").glob("*.json")}
        | {p.stem for p in (current / "reports/results").glob("*.json")}
    )
    out = []
    for name in names:
        old = key_numbers(reference / "reports/results" / f"{name}.json")
        new = key_numbers(current / "reports/results" / f"{name}.json")
        numbers = []
        for key in list(new) + [k for k in old if k not in new]:
            before, after = old.get(key), new.get(key)
            if before and after and before.get("value") == after.get("value") and before["display"] == after["display"]:
                continue
            ids = set((after or before)["figure_ids"])
            numbers.append(
                {
                    "key": key,
                    "label": (after or before)["label"],
                    "old": before["display"] if before else "(none)",
                    "new": after["display"] if after else "(removed)",
                    "relative": relative_change(before and before.get("value"), after and after.get("value")),
                    "caused_by": sorted(ids & edited_ids),
                }
            )
        figures = figure_changes(reference / "reports/figures" / name, current / "reports/figures" / name)
        if numbers or figures:
            out.append({"report": name, "numbers": numbers, "figures": figures})
    return out


def figure_changes(old: Path, new: Path) -> list[dict]:
    """PNG figures added, removed or drawn differently."""
    names = sorted({p.name for p in old.glob("*.png")} | {p.name for p in new.glob("*.png")})
    changes = []
    for name in names:
        before, after = old / name, new / name
        if not before.exists() or not after.exists():
            changes.append({"figure": name, "change": "added" if after.exists() else "removed"})
        elif digest(before) != digest(after):
            changes.append({"figure": name, "change": "image changed"})
    return changes


def markdown(ref: str, commit: str, raw: list[RawChange], reports: list[dict]) -> str:
    """The changes as Markdown."""
    lines = [f"# What changed since {ref} ({commit[:12]})", ""]
    if not raw and not reports:
        return "\n".join([*lines, "Nothing: every key number and figure is as in the reference build.", ""])
    lines += ["## Raw rows", ""]
    for c in raw:
        detail = "; ".join(f"{col}: {a!r} → {b!r}" for col, (a, b) in c.columns.items())
        lines.append(f"- `{c.file}` `{c.key}`: {c.change}" + (f" ({detail})" if detail else ""))
    for r in reports:
        lines += ["", f"## {r['report']}", ""]
        for n in r["numbers"]:
            cause = f"; caused by {', '.join(n['caused_by'])}" if n["caused_by"] else ""
            lines.append(
                f"- {n['label']}: {n['old']} → {n['new']}" + (f" ({n['relative']})" if n["relative"] else "") + cause
            )
        for f in r["figures"]:
            lines.append(f"- figure {f['figure']}: {f['change']}")
    return "\n".join(lines) + "\n"


HTML_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>What changed since {{ ref }}</title>
<style>{{ cjk_font_css | safe }}
body { font-size: 15px; line-height: 1.5; max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem; }
table { border-collapse: collapse; } td, th { border-bottom: 1px solid #eee; padding: .2rem .6rem; text-align: left; }
code { font-size: .85em; }</style></head><body>
<p><a href="index.html">&larr; All reports</a></p>
<h1>What changed since {{ ref }} <small>({{ commit[:12] }}, compared {{ when }})</small></h1>
{% if not raw and not reports %}<p>Nothing: every key number and figure is as in the reference build.</p>{% endif %}
{% if raw %}<h2>Raw rows</h2><ul>{% for c in raw %}<li><code>{{ c.file }}</code> <code>{{ c.key }}</code>: {{ c.change }}
{% for col, pair in c.columns.items() %}<br>{{ col }}: {{ pair[0] }} → {{ pair[1] }}{% endfor %}</li>{% endfor %}</ul>{% endif %}
{% for r in reports %}<h2>{{ r.report }}</h2>
{% if r.numbers %}<table><tr><th>Key number</th><th>Before</th><th>After</th><th>Change</th><th>Caused by</th></tr>
{% for n in r.numbers %}<tr><td>{{ n.label }}</td><td>{{ n.old }}</td><td>{{ n.new }}</td><td>{{ n.relative }}</td>
<td>{{ n.caused_by | join(", ") }}</td></tr>{% endfor %}</table>{% endif %}
{% if r.figures %}<ul>{% for f in r.figures %}<li>figure {{ f.figure }}: {{ f.change }}</li>{% endfor %}</ul>{% endif %}
{% endfor %}</body></html>
"""


def html(ref: str, commit: str, raw: list[RawChange], reports: list[dict]) -> str:
    """The changes as a self-contained page (autoescaped)."""
    from jinja2 import Environment

    from analysis.publish.webfont import font_face_css

    template = Environment(autoescape=True).from_string(HTML_TEMPLATE)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    context = {"ref": ref, "commit": commit, "raw": raw, "reports": reports, "when": when}
    # Chinese reports' labels appear on the page: embed the bundled face for their characters, as the index does.
    return template.render(**context, cjk_font_css=font_face_css(template.render(**context, cjk_font_css="")))


def main(argv: list[str]) -> None:
    """Build the reference, compare, write reports/changes.md and .html, and link them from the index."""
    from analysis.publish.index import build_index

    ref = argv[0] if argv else "HEAD"
    reference = build_reference(ref)
    commit = git("rev-parse", "HEAD", cwd=reference)
    raw = raw_changes(reference, paths.ROOT)
    reports = report_changes(reference, paths.ROOT, raw)
    write_text(CHANGES_MD, markdown(ref, commit, raw, reports))
    write_text(CHANGES_HTML, html(ref, commit, raw, reports))
    build_index()
    print(
        f"make diff: {len(raw)} raw row(s) and {len(reports)} report(s) changed since {ref}; "
        f"see {paths.relative(CHANGES_HTML)}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])

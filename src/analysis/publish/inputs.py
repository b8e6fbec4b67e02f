"""What each report reads, by content: one manifest of input hashes per report (build/inputs/<name>.json).

A report's manifest holds a hash of every slice of input its page depends on:

- its entry in reports.yml (title, notebook, reads, inputs, parameters);
- its notebook as built in its language (the cells tagged for another language are left out);
- the package modules its notebook imports, transitively (read from the source with `ast`: the import
  graph is whatever the code says today), the modules that execute and render a report, and the files
  those modules read at run time (message catalogues, templates);
- its region's rows of the tables it reads, the audit rows on those figures (and on the figures those
  rows name, until nothing new is added), the figures, sources, regions and indicators those rows name;
  an entry with no region reads every region's rows of its tables and, if it lists `figures`, of the
  rest of the catalogue only the resident populations of those regions (a comparison sets levels per
  resident, and a region may print its population on any topic's page), with the audit rows on all of
  these: a figure of another topic it does not print rebuilds nothing; an entry whose only table is the
  catalogue itself (the data audit: `figures`, `audit`) reads it whole;
- the rows of the region-less tables it reads (LOOKUP_TABLES: what a figure means and where it is from),
  row by row: the indicators its figures print and those their `of` chains name, the breakdowns declared
  on those indicators, the regions and sources its figures name; never a lookup table whole (editing the
  meaning of an indicator no figure of the report prints rebuilds nothing);
- its record-level inputs, whole (a calibration extract also names the figures it holds).

A manifest is written only when it changes, so make's timestamps follow content: the page is rebuilt
exactly when its manifest is newer. The manifest a page was last built from is kept beside it
(<name>.built.json), so `make why` can say what changed since.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.atomic import write_text_if_changed
from analysis.publish.config import ConfigError, ReportEntry, declared_parameters, load_config

INPUTS = paths.BUILD / "inputs"
INDEX_MANIFEST = paths.BUILD / "index-inputs.json"
# The modules that run a notebook and render its pages (their imports follow from the source).
BUILD_MODULES = ("analysis.publish.execute",)
INDEX_MODULES = ("analysis.publish.index",)
# The build's bookkeeping, which the build imports but no page's bytes depend on: this module (where the
# manifests are and what they hold). Editing it rewrites the manifests whose content it changes, no other.
BOOKKEEPING_MODULES = frozenset({"analysis.publish.inputs"})
# Files a module reads at run time, by the module that reads them (globs relative to src/analysis).
MODULE_DATA = {
    "analysis.language": ("messages/*.yml",),
    "analysis.publish.render": ("publish/templates/offline/*",),
    "analysis.publish.index": ("publish/templates/reports_index.html.j2",),
}
# Tables every report reads besides its own (citations name sources, regions and indicators).
IMPLICIT_TABLES = ("figures", "sources", "regions", "indicators")
AUDIT = "audit"
# Region-less tables a report may list in `reads`, read row by row for the figures it reads (table_slices).
LOOKUP_TABLES = ("indicators", "breakdowns", "regions", "sources")
# A table's row id when its first column is not unique: the columns that are (joined with ':').
ROW_KEYS = {"breakdowns": ("indicator", "breakdown_dimension")}


def manifest_path(name: str) -> Path:
    return INPUTS / f"{name}.json"


def built_path(name: str) -> Path:
    """The manifest the report's pages were last built from."""
    return INPUTS / f"{name}.built.json"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    """The hash of a file, or of a directory's files (their names and contents, in order)."""
    if path.is_dir():
        h = hashlib.sha256()
        for part in sorted(p for p in path.rglob("*") if p.is_file()):
            h.update(str(part.relative_to(path)).encode() + b"\0" + digest(part.read_bytes()).encode())
        return h.hexdigest()
    return digest(path.read_bytes()) if path.is_file() else "missing"


# ---------------------------------------------------------------- the import graph


def module_file(name: str) -> Path | None:
    """The source of a module of the package (`analysis.x.y`), or None if it is not one."""
    parts = name.split(".")
    if parts[0] != "analysis":
        return None
    base = paths.PACKAGE.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imported_modules(tree: ast.AST, module: str = "", is_package: bool = False) -> set[str]:
    """The package's modules an AST imports anywhere (top level or inside functions)."""
    return {name for name in imported_names(tree, module, is_package) if module_file(name) is not None}


def imported_names(tree: ast.AST, module: str = "", is_package: bool = False) -> set[str]:
    """Every dotted name an AST imports anywhere, and `package.name` for each `from package import name`: what
    the source says, whichever of them are the package's modules (imported_modules keeps those)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's package, one level up per extra dot
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from pkg import module`
    return found


def with_packages(names: Iterable[str]) -> set[str]:
    """The modules and every package above them (importing a.b.c runs a/__init__ and a/b/__init__)."""
    out = set()
    for name in names:
        parts = name.split(".")
        out.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))
    return {n for n in out if module_file(n) is not None}


def source_imports(name: str, path: Path) -> set[str]:
    """imported_names of a module's source file, parsed."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return imported_names(tree, name, path.name == "__init__.py")


def import_closure(
    roots: Iterable[str],
    graph: dict[str, set[str]] | None = None,
    skip: frozenset[str] = frozenset(),
    names: Callable[[str, Path], set[str]] = source_imports,
) -> set[str]:
    """Every package module `roots` import, directly or through others (not through those in `skip`); `names` reads a
    module's imported names from its file (ImportCache: parsed once per content)."""
    graph = {} if graph is None else graph
    seen: set[str] = set()
    todo = list(with_packages(roots))
    while todo:
        name = todo.pop()
        if name in seen or name in skip:
            continue
        seen.add(name)
        if name not in graph:
            found = names(name, module_file(name))
            graph[name] = with_packages(n for n in found if module_file(n) is not None)
        todo.extend(graph[name] - seen)
    return seen


class ImportCache:
    """The names each module's source imports, kept in build/import-names.json by the hash of its content: a module
    is parsed again only when its text changed (parsing the package's two hundred modules took about 0.6 s of each
    manifest step). Which of the names are the package's modules is looked up again each time (imported_modules'
    filter), so a module added or removed since counts at once. Not an input of any page: only the time to compute
    the import graph depends on it."""

    PATH = paths.BUILD / "import-names.json"

    def __init__(self, digest: Callable[[Path], str]) -> None:
        self.digest = digest
        try:
            kept = json.loads(self.PATH.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            kept = {}
        self.kept: dict[str, Any] = kept if isinstance(kept, dict) else {}
        self.used: dict[str, Any] = {}

    def __call__(self, name: str, path: Path) -> set[str]:
        key = f"{name} {self.digest(path)}"
        found = self.kept.get(key)
        if not isinstance(found, list):
            found = sorted(source_imports(name, path))
        self.used[key] = found
        return set(found)

    def save(self) -> None:
        """Keep what this run read with what was kept of the modules it did not read (the two batches' manifest steps
        run side by side, each on its reports' modules): of a module it read, only its current content's names."""
        read = {key.split(" ")[0] for key in self.used}
        kept = {key: names for key, names in self.kept.items() if key.split(" ")[0] not in read} | self.used
        if kept != self.kept:
            self.PATH.parent.mkdir(parents=True, exist_ok=True)
            write_text_if_changed(self.PATH, json.dumps(kept, sort_keys=True, indent=0) + "\n")


def module_files(modules: Iterable[str]) -> list[Path]:
    """The source files of these modules and the data files they read."""
    files = {module_file(m) for m in modules}
    for module in modules:
        for pattern in MODULE_DATA.get(module, ()):
            files.update(p for p in paths.PACKAGE.glob(pattern) if p.is_file())
    return sorted(f for f in files if f is not None)


# ---------------------------------------------------------------- notebooks


def notebook_in_language(notebook: Path, lang: str) -> dict[str, Any]:
    """The notebook as the build runs it in `lang`: cells tagged for another language left out (execute.in_language)."""
    from analysis.language import LANGUAGES

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    others = {f"lang-{other}" for other in LANGUAGES if other != lang}
    nb["cells"] = [c for c in nb["cells"] if not others & set(c.get("metadata", {}).get("tags", []))]
    return nb


def notebook_imports(nb: dict[str, Any]) -> set[str]:
    """The package modules a notebook's code cells import (IPython magics and shell lines skipped)."""
    found: set[str] = set()
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError:
            continue  # it fails when the notebook runs, with the kernel's message
        found |= imported_modules(tree)
    return found


# ---------------------------------------------------------------- tables and their slices


class Table:
    """A processed table read with the csv module (no pandas: computing every manifest takes a fraction of a second)."""

    def __init__(self, name: str) -> None:
        path = paths.processed_table(name)
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            self.header = next(reader, [])
            self.rows = [dict(zip(self.header, row, strict=False)) | {"": row} for row in reader]
        self.key = self.header[0] if self.header else ""
        self.row_key = ROW_KEYS.get(name, (self.key,))

    def column(self, name: str) -> bool:
        return name in self.header

    def hashes(self, rows: Iterable[dict]) -> dict[str, Any]:
        """The slice as its header's hash and one short hash per row, keyed by the row's id (its first column)."""
        out: dict[str, str] = {}
        for row in rows:
            key = ":".join(row.get(k, "") for k in self.row_key)
            while key in out:  # a duplicate id still counts once per row
                key += "#"
            out[key] = digest(json.dumps(row[""], ensure_ascii=False).encode())[:16]
        return {"columns": digest(",".join(self.header).encode())[:16], "rows": out}


def ancestors(region: str) -> set[str]:
    """A region and those above it: 'Beijing:Huairou' -> {'Beijing', 'Beijing:Huairou'}."""
    parts = region.split(":")
    return {":".join(parts[:n]) for n in range(1, len(parts) + 1)}


def entry_region(entry: ReportEntry, declared: dict[str, Any]) -> str | None:
    """The region the notebook runs for: the entry's, else the notebook's default (papermill injects no other)."""
    region = entry.parameters.get("region", declared.get("region"))
    return region if isinstance(region, str) and region else None


def calibration_figures(path: Path) -> set[str]:
    """The figure ids a calibration extract (publish.calibration) holds; none for any other input."""
    if path.suffix != ".json" or not path.is_file() or not path.is_relative_to(paths.BUILD):
        return set()
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return set()
    return {row["figure_id"] for row in document.get("figures", []) if isinstance(row, dict) and "figure_id" in row}


def indicator_closure(indicators: Iterable[str], table: Table) -> set[str]:
    """These indicators and those their `of` names, until none is added (a rate is read with its whole)."""
    of = {r["indicator"]: r.get("of", "") for r in table.rows}
    found: set[str] = set()
    todo = [i for i in indicators if i]
    while todo:
        indicator = todo.pop()
        if indicator not in found:
            found.add(indicator)
            todo.extend(i for i in of.get(indicator, "").split() if i)
    return found


def audit_closure(ids: set[str], audit: Table) -> tuple[list[dict], set[str]]:
    """The audit rows on these figures, and on the figures those rows name, until none is added (a row's wording
    is worked out against the rows that share its figures: evidence.audit.localize); with every figure named."""
    ids = set(ids)
    while True:
        rows = [r for r in audit.rows if ids & set(r["figures"].split())]
        named = {i for r in rows for i in r["figures"].split()}
        if named <= ids:
            return rows, ids
        ids |= named


class Populations:
    """The figures regions print their resident population in, looked up by declared meaning in the whole catalogue
    (evidence.meaning.Meaning.population), as a comparison looks them up: a region may print its population on
    another topic's page.

    The answer for every region is kept in build/populations.json with the key it follows from: the figures' ids,
    indicators, regions and breakdowns (not their values), the indicators table and the code that reads them. An
    edited value leaves the key as it was, so the manifests are written without pandas and the catalogue's imports
    (about 0.5 s); any other change looks every region up again."""

    PATH = paths.BUILD / "populations.json"
    COLUMNS = ("figure_id", "indicator", "region", "breakdown_dimension")  # what Meaning.population reads of figures
    CODE = ("evidence/meaning.py", "evidence/catalogue.py")

    def __init__(self, context: Context) -> None:
        self.context = context
        self.found: dict[str, list[str]] | None = None

    def key(self) -> str:
        figures = self.context.table("figures")
        h = hashlib.sha256(json.dumps([[r.get(c, "") for c in self.COLUMNS] for r in figures.rows]).encode())
        for path in (paths.processed_table("indicators"), *(paths.PACKAGE / c for c in self.CODE)):
            h.update(self.context.digest(path).encode())
        return h.hexdigest()

    def __call__(self, regions: set[str]) -> set[str]:
        if self.found is None:
            self.found = self.kept(self.key())
        return {i for region in regions for i in self.found.get(region, ())}

    def kept(self, key: str) -> dict[str, list[str]]:
        try:
            document = json.loads(self.PATH.read_text(encoding="utf-8"))
            if document["key"] == key and isinstance(document["regions"], dict):
                return document["regions"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
        from analysis.evidence.catalogue import load_processed
        from analysis.evidence.meaning import Meaning

        meaning = Meaning.from_tables(load_processed("indicators"), load_processed("breakdowns"))
        figures = load_processed("figures")
        found = {
            region: sorted(meaning.population(figures, region)["figure_id"])
            for region in sorted(set(figures["region"]))
        }
        self.PATH.parent.mkdir(parents=True, exist_ok=True)
        write_text_if_changed(self.PATH, json.dumps({"key": key, "regions": found}, indent=0, sort_keys=True) + "\n")
        return found


def table_slices(
    entry: ReportEntry,
    region: str | None,
    tables: dict[str, Table],
    populations: Callable[[set[str]], set[str]],
) -> dict[str, Any]:
    """The rows of each table the report reads, as hashes keyed by table and row id; `populations` gives the figures
    regions print their resident population in (Populations)."""
    own = [t for t in entry.reads if t != AUDIT and t not in LOOKUP_TABLES]
    topic_tables = [t for t in own if t != "figures"]
    if region is None and not topic_tables:
        # The catalogue itself (figures, and the audit on them): every table it reads whole.
        ids = set()
        for extra in entry.inputs:
            ids |= calibration_figures(paths.ROOT / extra)
        slices = {t: tables[t].rows for t in entry.reads if t not in LOOKUP_TABLES}
        if "figures" in entry.reads:
            slices.update({t: tables[t].rows for t in (*IMPLICIT_TABLES, *entry.reads) if t in tables})
            return {t: tables[t].hashes(rows) for t, rows in sorted(slices.items())}
    elif region is None:
        # Every region's rows of its tables, whole; of the catalogue, the figures of those rows and, if it reads
        # `figures`, the resident populations of their regions; the audit rows on all of these.
        slices = {t: tables[t].rows for t in topic_tables}
        ids = {r[tables[t].key] for t in topic_tables for r in tables[t].rows if tables[t].key == "figure_id"}
        for extra in entry.inputs:
            ids |= calibration_figures(paths.ROOT / extra)
        if "figures" in entry.reads:
            ids |= populations({r["region"] for t in topic_tables for r in tables[t].rows if "region" in r})
        if AUDIT in entry.reads:
            slices[AUDIT], ids = audit_closure(ids, tables[AUDIT])
    else:
        for t in entry.reads:
            if not tables[t].column("region") and t != AUDIT and t not in LOOKUP_TABLES:
                raise ConfigError(f"{paths.REPORTS_CONFIG.name}: report '{entry.name}': table {t} has no region column")
        ids = {r["figure_id"] for t in own for r in tables[t].rows if r["region"] == region}
        if entry.parameters.get("region") and not ids and own:
            raise ConfigError(
                f"{paths.REPORTS_CONFIG.name}: report '{entry.name}': no data for region '{region}' in {', '.join(own)}"
            )
        slices = {}
        if AUDIT in entry.reads:
            slices[AUDIT], ids = audit_closure(ids, tables[AUDIT])
        for t in own:
            slices[t] = [r for r in tables[t].rows if r["region"] == region or r["figure_id"] in ids]
    figures = [r for r in tables["figures"].rows if r["figure_id"] in ids]
    slices.setdefault("figures", figures)
    source_ids = {r["source_id"] for r in figures}
    slices.setdefault("sources", [r for r in tables["sources"].rows if r["source_id"] in source_ids])
    regions = {a for r in figures for a in ancestors(r["region"])} | (ancestors(region) if region else set())
    slices.setdefault("regions", [r for r in tables["regions"].rows if r["region"] in regions])
    indicators = indicator_closure((r["indicator"] for r in figures), tables["indicators"])
    slices.setdefault("indicators", [r for r in tables["indicators"].rows if r["indicator"] in indicators])
    for t in entry.reads:
        if t in LOOKUP_TABLES and t not in slices and tables[t].column("indicator"):
            slices[t] = [r for r in tables[t].rows if r["indicator"] in indicators]
    return {t: tables[t].hashes(rows) for t, rows in sorted(slices.items())}


# ---------------------------------------------------------------- manifests


class Context:
    """What every manifest is computed from, read once: the tables and the import graph."""

    def __init__(self) -> None:
        self.tables: dict[str, Table] = {}
        self.graph: dict[str, set[str]] = {}
        self.digests: dict[Path, str] = {}
        self.imports = ImportCache(self.digest)
        self.populations = Populations(self)

    def table(self, name: str) -> Table:
        if name not in self.tables:
            self.tables[name] = Table(name)
        return self.tables[name]

    def digest(self, path: Path) -> str:
        if path not in self.digests:
            self.digests[path] = file_digest(path)
        return self.digests[path]

    def files(self, files: Iterable[Path]) -> dict[str, str]:
        return {paths.relative(f): self.digest(f) for f in sorted(files)}


def manifest(entry: ReportEntry, context: Context) -> dict[str, Any]:
    """Every input of one report's pages, as hashes (see the module's docstring)."""
    notebook = paths.NOTEBOOKS / entry.notebook
    nb = notebook_in_language(notebook, entry.lang)
    declared = declared_parameters(notebook)
    tables = {t: context.table(t) for t in {*entry.reads, *IMPLICIT_TABLES}}
    imports = notebook_imports(nb)
    modules = import_closure(
        imports | set(BUILD_MODULES), context.graph, BOOKKEEPING_MODULES - imports, context.imports
    )
    return {
        "report": entry.name,
        "entry": entry.fingerprint() | {"translations": [list(t) for t in entry.translations]},
        "notebook": {entry.notebook: digest(json.dumps(nb, sort_keys=True, ensure_ascii=False).encode())},
        "notebook_imports": sorted(imports),
        "modules": context.files(module_files(modules)),
        "tables": table_slices(entry, entry_region(entry, declared), tables, context.populations),
        "inputs": context.files(paths.ROOT / i for i in entry.inputs),
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def write_manifests(batch: str | None = None) -> list[str]:
    """Write the manifest of every report (of one batch), each only if it changed: the names rewritten."""
    context = Context()
    changed = []
    for entry in load_config():
        if batch is None or entry.batch == batch:
            if write_text_if_changed(manifest_path(entry.name), dumps(manifest(entry, context))):
                changed.append(entry.name)
    context.imports.save()
    return changed


def index_manifest() -> dict[str, Any]:
    """What the index shows: every entry, its results, the sources, the figures of its key numbers, the build."""
    context = Context()
    entries = load_config()
    results, key_ids = {}, set()
    for entry in entries:
        results[entry.name] = context.digest(entry.results)
        if entry.results.is_file():
            document = json.loads(entry.results.read_text(encoding="utf-8"))
            key_ids |= {i for number in document.get("key_numbers", []) for i in number.get("figure_ids", [])}
    figures = context.table("figures")
    sources = context.table("sources")
    modules = module_files(import_closure(INDEX_MODULES, context.graph, BOOKKEEPING_MODULES, context.imports))
    context.imports.save()
    return {
        "entries": [
            e.fingerprint() | {"name": e.name, "translations": [list(t) for t in e.translations]} for e in entries
        ],
        "results": results,
        "tables": {
            "figures": figures.hashes(r for r in figures.rows if r["figure_id"] in key_ids),
            "sources": sources.hashes(sources.rows),
        },
        "build": context.files([paths.BUILD_INFO]),
        "modules": context.files(modules),
    }


def write_index_manifest() -> bool:
    return write_text_if_changed(INDEX_MANIFEST, dumps(index_manifest()))


def stale(entry: ReportEntry) -> bool:
    """What make decides for the page: missing, or older than its manifest."""
    page, inputs = entry.html, manifest_path(entry.name)
    return not page.is_file() or not inputs.is_file() or page.stat().st_mtime_ns < inputs.stat().st_mtime_ns


# ---------------------------------------------------------------- why


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What differs between the manifest a page was built from and its inputs now, one line each."""
    lines = []
    if old.get("entry") != new["entry"]:
        changed = sorted(k for k in new["entry"] if old.get("entry", {}).get(k) != new["entry"][k])
        lines.append(f"its entry in reports.yml: {', '.join(changed)}")
    for kind, label in (("notebook", "notebook"), ("modules", "module"), ("inputs", "input")):
        before, now = old.get(kind, {}), new[kind]
        for path in sorted(set(before) | set(now)):
            if path not in before:
                lines.append(f"{label} {path}: now read")
            elif path not in now:
                lines.append(f"{label} {path}: no longer read")
            elif before[path] != now[path]:
                lines.append(f"{label} {path}: changed")
    for table in sorted(set(old.get("tables", {})) | set(new["tables"])):
        before = old.get("tables", {}).get(table, {"columns": None, "rows": {}})
        now = new["tables"].get(table, {"columns": None, "rows": {}})
        where = paths.relative(paths.processed_table(table))
        if before["columns"] != now["columns"]:
            lines.append(f"{where}: its columns changed")
        for kind, ids in (
            ("changed", [i for i in now["rows"] if i in before["rows"] and before["rows"][i] != now["rows"][i]]),
            ("added", [i for i in now["rows"] if i not in before["rows"]]),
            ("removed", [i for i in before["rows"] if i not in now["rows"]]),
        ):
            if ids:
                lines.append(f"{where}: rows {kind}: {', '.join(sorted(ids))}")
    return lines


def why(name: str) -> str:
    """Why a report would be rebuilt: what changed since its last build, or that it is up to date."""
    entries = {e.name: e for e in load_config()}
    if name not in entries:
        raise ConfigError(f"unknown report '{name}'; reports.yml lists: {', '.join(sorted(entries))}")
    entry = entries[name]
    now = manifest(entry, Context())
    built = built_path(name)
    if not built.is_file():
        return f"{name}: never built in this tree (no {paths.relative(built)}): make builds it"
    lines = differences(json.loads(built.read_text(encoding="utf-8")), now)
    if not entry.html.is_file():
        lines.insert(0, f"its page {paths.relative(entry.html)} is missing")
    if not lines:
        return f"{name}: up to date (nothing it reads has changed since its last build)"
    return f"{name}: out of date; since its last build:\n" + "\n".join(f"  {line}" for line in lines)

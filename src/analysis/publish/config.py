"""reports.yml: the report entries, validated before anything runs."""

from __future__ import annotations

import ast
import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analysis import language, paths


@dataclass(frozen=True)
class ReportEntry:
    """One report: a notebook, its parameters, and the processed tables it reads."""

    name: str
    notebook: str
    title: str
    reads: tuple[str, ...]
    parameters: dict[str, Any] = field(default_factory=dict)
    inputs: tuple[str, ...] = ()  # other files it reads (record-level inputs), relative to the repository
    lang: str = "en"
    # The same report in the other languages it is built in: (language, report name).
    translations: tuple[tuple[str, str], ...] = ()

    @property
    def html(self) -> Path:
        return paths.REPORT_HTML / f"{self.name}.html"

    @property
    def code_html(self) -> Path:
        return paths.REPORT_HTML / f"{self.name}.code.html"

    @property
    def results(self) -> Path:
        return paths.REPORT_RESULTS / f"{self.name}.json"

    @property
    def figures(self) -> Path:
        return paths.REPORT_FIGURES / self.name

    @property
    def executed(self) -> Path:
        return paths.EXECUTED / f"{self.name}.ipynb"

    @property
    def failed(self) -> Path:
        return paths.FAILED / f"{self.name}.FAILED.ipynb"

    @property
    def params_file(self) -> Path:
        return paths.PARAMS / f"{self.name}.json"

    @property
    def batch(self) -> str:
        """Reports on record-level inputs wait for those inputs; the others need not (publish.makerules)."""
        return "records" if self.inputs else "tables"

    def fingerprint(self) -> dict[str, Any]:
        """Every field of the entry: the page is rebuilt when any of them changes, its title included."""
        return {
            "title": self.title,
            "notebook": self.notebook,
            "reads": list(self.reads),
            "inputs": list(self.inputs),
            "parameters": self.run_parameters(),
        }

    def run_parameters(self) -> dict[str, Any]:
        """The parameters papermill injects: the entry's own plus the report name and language."""
        return {**self.parameters, "report_name": self.name, "lang": self.lang}


class ConfigError(ValueError):
    """reports.yml is malformed or names something that cannot be built; the message says which entry and why."""


REPORT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")
NOTEBOOK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*\.ipynb$")
# The comparison reports (across regions and over time): the index opens with one line per comparison, and
# each region's report links to its topic's.
COMPARISON_NOTEBOOK = "06_comparison.ipynb"
ENTRY_KEYS = {"name", "notebook", "title", "reads", "parameters", "inputs", "regions", "languages"}
# `regions: from_data` expands an entry to one report per region with rows in its first table.
FROM_DATA = "from_data"
REQUIRED_KEYS = {"name", "notebook", "title", "reads"}
# Parameters every notebook receives from the build itself, not from reports.yml.
BUILD_PARAMETERS = {"report_name", "lang"}
# The first language keeps the entry's name; every other one adds its code: poverty_exit_beijing_zh.
DEFAULT_LANGUAGES = ["en"]


def check_report_name(name: object) -> str:
    """A report name that is a plain slug: no path separator, no '..', nothing a path could escape with."""
    if not isinstance(name, str) or not REPORT_NAME.match(name):
        raise ConfigError(
            f"report name {name!r} must be letters, digits, '_' or '-' (at most 100), starting with a letter or digit"
        )
    return name


def declared_parameters(notebook: Path) -> dict[str, Any]:
    """The names and default values assigned in a notebook's cell tagged `parameters`."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        return {}
    tree = ast.parse("".join(cells[0]["source"]))
    defaults = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            defaults[node.targets[0].id] = ast.literal_eval(node.value)
    return defaults


def _type_matches(value: Any, default: Any) -> bool:
    if default is None:  # an optional path: None or a string
        return value is None or isinstance(value, str)
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def _entry(item: Any, position: int, config_name: str) -> ReportEntry:
    where = f"{config_name}: report {position}"
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: must be a mapping with {', '.join(sorted(REQUIRED_KEYS))}")
    if missing := REQUIRED_KEYS - set(item):
        raise ConfigError(f"{where}: lacks {', '.join(sorted(missing))}")
    try:
        name = check_report_name(item["name"])
    except ConfigError as err:
        raise ConfigError(f"{where}: {err}") from None
    where = f"{config_name}: report '{name}'"
    notebook = item["notebook"]
    if not isinstance(notebook, str) or not NOTEBOOK_NAME.match(notebook):
        raise ConfigError(
            f"{where}: notebook must be a file name in notebooks/ such as 01_poverty_exit.ipynb, not {notebook!r}"
        )
    if not (paths.NOTEBOOKS / notebook).is_file():
        raise ConfigError(f"{where}: names a missing notebook {notebook}")
    if not isinstance(item["title"], str) or not item["title"].strip():
        raise ConfigError(f"{where}: title must be non-empty text, or a mapping from each language to one")
    reads, inputs = item["reads"] or [], item.get("inputs") or []
    if not isinstance(reads, list) or not all(isinstance(t, str) and REPORT_NAME.match(t) for t in reads):
        raise ConfigError(f"{where}: reads must be a list of processed table names")
    if not isinstance(inputs, list) or not all(isinstance(i, str) for i in inputs):
        raise ConfigError(f"{where}: inputs must be a list of paths relative to the repository")
    for extra in inputs:
        if not (paths.ROOT / extra).resolve().is_relative_to(paths.ROOT):
            raise ConfigError(f"{where}: input {extra!r} lies outside the repository")
    parameters = item.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise ConfigError(f"{where}: parameters must be a mapping")
    declared = declared_parameters(paths.NOTEBOOKS / notebook)
    for key, value in parameters.items():
        if key in BUILD_PARAMETERS:
            raise ConfigError(f"{where}: parameter '{key}' is set by the build (the language from `languages`)")
        if key not in declared:
            raise ConfigError(
                f"{where}: parameter '{key}' is not declared by {notebook} "
                f"(it declares {', '.join(sorted(set(declared) - BUILD_PARAMETERS))})"
            )
        if not _type_matches(value, declared[key]):
            raise ConfigError(f"{where}: parameter '{key}' must be a {type(declared[key]).__name__}, not {value!r}")
    return ReportEntry(
        name=name,
        notebook=notebook,
        title=item["title"],
        reads=tuple(reads),
        parameters=dict(parameters),
        inputs=tuple(inputs),
        lang=item.get("lang", "en"),
        translations=tuple(item.get("translations", ())),
    )


def region_slug(region: str) -> str:
    """A region as part of a report name: 'Beijing:Huairou' -> 'beijing_huairou'."""
    return re.sub(r"[^a-z0-9]+", "_", region.lower()).strip("_")


def expand_regions(item: Any, position: int, config_name: str) -> list[Any]:
    """An entry with `regions: from_data` as one entry per region of its first table; any other entry as it is."""
    if not isinstance(item, dict) or "regions" not in item:
        return [item]
    where = f"{config_name}: report {position}"
    if item["regions"] != FROM_DATA or not item.get("reads"):
        raise ConfigError(f"{where}: regions must be '{FROM_DATA}' and the entry must read a table")
    table = paths.processed_table(item["reads"][0])
    if not table.is_file():
        raise ConfigError(f"{where}: {paths.relative(table)} is missing; run 'make data' first")
    regions = sorted({row["region"] for row in csv.DictReader(table.open(encoding="utf-8")) if row.get("region")})
    base = {k: v for k, v in item.items() if k != "regions"}
    return [
        {
            **base,
            "name": f"{item['name']}_{region_slug(region)}",
            "parameters": {**(item.get("parameters") or {}), "region": region},
        }
        for region in regions
    ]


def expand_languages(item: Any, position: int, config_name: str, languages: list[str]) -> list[Any]:
    """One entry per language it is built in, its title in that language with {region} named in it."""
    if not isinstance(item, dict):
        return [item]
    name = item.get("name")
    where = f"{config_name}: report '{name}'" if isinstance(name, str) else f"{config_name}: report {position}"
    wanted = item.get("languages", languages)
    if (
        not isinstance(wanted, list)
        or not wanted
        or len(set(wanted)) != len(wanted)
        or any(lang not in language.LANGUAGES for lang in wanted)
    ):
        raise ConfigError(
            f"{where}: languages must be a list of distinct codes from {', '.join(language.LANGUAGES)}, not {wanted!r}"
        )
    titles = item.get("title")
    if isinstance(titles, dict):
        if missing := [lang for lang in wanted if not isinstance(titles.get(lang), str) or not titles[lang].strip()]:
            raise ConfigError(f"{where}: title lacks a text for {', '.join(missing)}")
    elif len(wanted) > 1:
        raise ConfigError(
            f"{where}: it is built in {', '.join(wanted)}, so its title must be a mapping "
            "from each language to its text"
        )
    names = {lang: item.get("name") if n == 0 else f"{item.get('name')}_{lang}" for n, lang in enumerate(wanted)}
    region = (item.get("parameters") or {}).get("region")
    expanded = []
    for lang in wanted:
        title = titles[lang] if isinstance(titles, dict) else titles
        if isinstance(title, str) and isinstance(region, str):
            title = title.replace("{region}", region_title(region, lang))
        expanded.append(
            {
                **{k: v for k, v in item.items() if k != "languages"},
                "name": names[lang],
                "title": title,
                "lang": lang,
                "translations": [(other, n) for other, n in names.items() if other != lang],
            }
        )
    return expanded


def region_title(region: str, lang: str) -> str:
    """A region's name in `lang` for a title, from data/processed/regions.csv (the code where it is missing)."""
    table = paths.processed_table("regions")
    if not table.is_file():
        return region
    for row in csv.DictReader(table.open(encoding="utf-8")):
        if row["region"] == region:
            return row.get(f"name_{lang}") or region
    return region


def load_config(config: Path = paths.REPORTS_CONFIG) -> list[ReportEntry]:
    """The report entries of reports.yml, every entry checked before anything is built."""
    try:
        document = yaml.safe_load(config.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise ConfigError(f"{config.name}: not valid YAML ({str(err).splitlines()[0]})") from None
    if not isinstance(document, dict) or not isinstance(document.get("reports"), list) or not document["reports"]:
        raise ConfigError(f"{config.name}: must hold a non-empty list under 'reports:'")
    if unknown := set(document) - {"languages", "reports"}:
        raise ConfigError(
            f"{config.name}: unknown top-level key(s) {', '.join(sorted(unknown))}; allowed: languages, reports"
        )
    for position, item in enumerate(document["reports"], start=1):
        if isinstance(item, dict) and (unknown := set(item) - ENTRY_KEYS):
            raise ConfigError(
                f"{config.name}: report {position}: unknown key(s) {', '.join(sorted(unknown))}; "
                f"allowed: {', '.join(sorted(ENTRY_KEYS))}"
            )
    languages = document.get("languages", DEFAULT_LANGUAGES)
    items = [
        (position, translated)
        for position, item in enumerate(document["reports"], start=1)
        for expanded in expand_regions(item, position, config.name)
        for translated in expand_languages(expanded, position, config.name, languages)
    ]
    entries = [_entry(item, position, config.name) for position, item in items]
    names = [e.name for e in entries]
    if duplicates := sorted({n for n in names if names.count(n) > 1}):
        raise ConfigError(f"{config.name}: duplicate report names {', '.join(duplicates)}")
    return entries

"""reports.yml: the report entries, validated before anything runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analysis import paths



@dataclass(frozen=True)
class ReportEntry:
    """One report: a notebook, its parameters, and the processed tables it reads."""

    name: str
    notebook: str
    title: str
    reads: tuple[str, ...]
    parameters: dict[str, Any] = field(default_factory=dict)
    inputs: tuple[str, ...] = ()  # other files it reads (record-level inputs), relative to the repository

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
        return paths.REPORT_FAILED / f"{self.name}.FAILED.ipynb"

    @property
    def params_file(self) -> Path:
        return paths.PARAMS / f"{self.name}.json"

    def run_parameters(self) -> dict[str, Any]:
        """The parameters papermill injects: the entry's own plus the report name."""
        return {**self.parameters, "report_name": self.name}


def load_config(config: Path = paths.REPORTS_CONFIG) -> list[ReportEntry]:
    """The report entries of reports.yml, checked for unique names and existing notebooks."""
    document = yaml.safe_load(config.read_text(encoding="utf-8"))
    entries = []
    for position, item in enumerate(document["reports"], start=1):
        missing = {"name", "notebook", "title", "reads"} - set(item)
        if missing:
            raise ValueError(f"{config.name}: report {position} lacks {', '.join(sorted(missing))}")
        entry = ReportEntry(name=item["name"], notebook=item["notebook"], title=item["title"],
                            reads=tuple(item["reads"]), parameters=dict(item.get("parameters") or {}),
                            inputs=tuple(item.get("inputs") or ()))
        if not (paths.NOTEBOOKS / entry.notebook).is_file():
            raise ValueError(f"{config.name}: report '{entry.name}' names a missing notebook {entry.notebook}")
        entries.append(entry)
    names = [e.name for e in entries]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"{config.name}: duplicate report names {', '.join(duplicates)}")
    return entries

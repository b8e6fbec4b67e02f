"""scripts/import_cycles.py (make import-cycles): src/analysis has no import cycle, imports inside functions counted."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "import_cycles.py"
spec = importlib.util.spec_from_file_location("import_cycles", SCRIPT)
import_cycles = importlib.util.module_from_spec(spec)
spec.loader.exec_module(import_cycles)


def test_the_package_has_no_import_cycle():
    run = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip().endswith(": 0")


def write_package(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_a_cycle_through_an_import_inside_a_function_is_found(tmp_path):
    # a -> b at the top; b -> c.d inside a function; c.d -> a by a relative import under TYPE_CHECKING.
    write_package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from pkg import b\n",
            "b.py": "def f():\n    from pkg.c.d import x\n",
            "c/__init__.py": "",
            "c/d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .. import a\nx = 1\n",
            "e.py": "import pkg.a\n",  # imports into the cycle, not part of it
        },
    )
    edges = import_cycles.graph(tmp_path, "pkg")
    assert edges["pkg.b"] == {"pkg.c.d"} and edges["pkg.c.d"] == {"pkg.a"} and edges["pkg.e"] == {"pkg.a"}
    assert import_cycles.cycles(edges) == [["pkg.a", "pkg.b", "pkg.c.d"]]
    assert import_cycles.path_through({"pkg.a", "pkg.b", "pkg.c.d"}, edges) == ["pkg.a", "pkg.b", "pkg.c.d", "pkg.a"]


def test_no_cycle_when_imports_only_go_one_way(tmp_path):
    write_package(tmp_path, {"__init__.py": "", "a.py": "from pkg.b import y\n", "b.py": "import os\ny = 1\n"})
    assert import_cycles.cycles(import_cycles.graph(tmp_path, "pkg")) == []

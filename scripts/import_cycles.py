"""Print the import cycles of src/analysis, counting imports inside functions; exit 1 if there is any (issue 22).

`make import-cycles` runs it. Every `import analysis.x` and `from analysis.x import y` anywhere in a module
(top level, inside a function, under TYPE_CHECKING) is an edge from that module to the module it names
(`from analysis.x import y` names analysis.x.y when that is itself a module). A cycle is a strongly
connected group of modules; each is printed with one closed path through it.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = "analysis"
SOURCE = Path(__file__).resolve().parent.parent / "src"


def modules(source: Path = SOURCE, package: str = PACKAGE) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its __init__.py)."""
    found = {}
    for path in sorted((source / package).rglob("*.py")):
        parts = path.relative_to(source).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that module `name` imports, wherever in the file the import stands."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's own package, one level up per extra dot
                anchor = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            # `import analysis.a.b` imports analysis.a.b; a name inside a module counts as that module.
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and not name.startswith(target + "."):
                found.add(target)
    return found


def graph(source: Path = SOURCE, package: str = PACKAGE) -> dict[str, set[str]]:
    """Module -> the package's modules it imports."""
    found = modules(source, package)
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Each group of modules that import one another, directly or round a loop (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return [sorted(group) for group in sorted(groups, key=min)]


def path_through(group: set[str], edges: dict[str, set[str]]) -> list[str]:
    """A shortest closed import path from the group's first module back to itself."""
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in sorted(edges[node] & group):
                if nxt == start:
                    return [*paths[node], start]
                if nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    following.append(nxt)
        frontier = following
    raise AssertionError(f"no cycle through {start}")  # a strongly connected group always has one


def main() -> int:
    edges = graph()
    found = cycles(edges)
    for group in found:
        print(f"{len(group)} modules import one another: {', '.join(group)}")
        print("  e.g. " + " -> ".join(path_through(set(group), edges)))
    print(f"import cycles in src/{PACKAGE} (imports inside functions counted): {len(found)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

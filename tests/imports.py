"""The suite's import graph, read from the source (no import runs): every ``import`` statement,
at module level or inside a function, except under ``if TYPE_CHECKING:``. Used by
``tests/test_boundaries.py`` (in ``make test`` and ``make lint``).

An import inside a function still ties two modules together: it only hides the tie from the
interpreter at import time, so it counts here like any other.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Each folder holds one package of the ``ckanext`` namespace.
FOLDERS = {
    "ckanext.anonymize": ROOT / "ckanext-anonymize" / "ckanext" / "anonymize",
    "ckanext.optout": ROOT / "ckanext-optout" / "ckanext" / "optout",
    "ckanext.gifu": ROOT / "ckanext-gifu" / "ckanext" / "gifu",
    "ckanext.jatext": ROOT / "ckanext-jatext" / "ckanext" / "jatext",
    "ckanext.roundtable": ROOT / "ckanext-roundtable" / "ckanext" / "roundtable",
}


def modules(tests: bool = False) -> dict[str, Path]:
    """Module name → file, for every module of the suite (test modules only if ``tests``)."""
    found = {}
    for package, folder in FOLDERS.items():
        for path in sorted(folder.rglob("*.py")):
            rel = path.relative_to(folder).with_suffix("")
            if not tests and "tests" in rel.parts:
                continue
            parts = [p for p in rel.parts if p != "__init__"]
            found[".".join([package, *parts])] = path
    return found


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _statements(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    todo = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and _type_checking(node):
            todo.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        todo.extend(ast.iter_child_nodes(node))


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules ``name`` imports: suite modules resolved to the module itself (``from
    ckanext.anonymize import service`` → ``ckanext.anonymize.service``), others by their full
    dotted name."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in _statements(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join(anchor + ([base] if base else []))
        for alias in node.names:
            candidate = f"{base}.{alias.name}"
            out.add(candidate if candidate in known else base)
    return out


def graph(tests: bool = False) -> dict[str, set[str]]:
    known = modules(tests)
    return {name: imports_of(name, path, known) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in edges:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def reaches(edges: dict[str, set[str]], start: str, forbidden: tuple[str, ...]) -> list[list[str]]:
    """Import chains from ``start`` (through suite modules) to a module under ``forbidden``."""
    chains: list[list[str]] = []
    seen = {start}
    todo = [[start]]
    while todo:
        chain = todo.pop(0)
        for target in sorted(edges.get(chain[-1], ())):
            if any(target == f or target.startswith(f + ".") for f in forbidden):
                chains.append([*chain, target])
            elif target in edges and target not in seen:
                seen.add(target)
                todo.append([*chain, target])
    return chains

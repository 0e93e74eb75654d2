"""No module of `assistant/` imports a module that imports it, and no longer circle of imports
closes either. Every `import` counts: at module level, inside functions (the lazy imports that
keep start-up light) and under TYPE_CHECKING. A circle means neither module can be read,
changed or loaded on its own, and whichever is imported first sees the other half-built.

The graph is grimp's (what import-linter checks the layers with); the circle finding is ours,
and `test_the_finder_sees_every_kind_of_import` shows on a made-up package that it finds both
kinds, through imports inside functions too.
"""

from __future__ import annotations

import textwrap
from collections import deque
from pathlib import Path

import grimp
import pytest

Graph = dict[str, set[str]]


def import_graph(package: str) -> Graph:
    """Each module of `package` and the modules of `package` it imports (every import)."""
    graph = grimp.build_graph(package, cache_dir=None)
    return {module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules}


def mutual_imports(graph: Graph) -> set[frozenset[str]]:
    """Pairs of modules each of which imports the other."""
    return {frozenset({a, b}) for a, targets in graph.items() for b in targets
            if a != b and a in graph.get(b, set())}


def without(graph: Graph, pairs: frozenset[frozenset[str]]) -> Graph:
    """The graph with the imports between each of `pairs` left out."""
    return {a: {b for b in targets if frozenset({a, b}) not in pairs} for a, targets in graph.items()}


def circles(graph: Graph) -> list[list[str]]:
    """One shortest circle through each group of modules that import each other round
    (strongly connected components of more than one module, Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(graph.get(module, set())):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(group)

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return [_shortest_circle(graph, group) for group in groups]


def _shortest_circle(graph: Graph, group: set[str]) -> list[str]:
    """The shortest way from the group's first module back to itself, inside the group."""
    start = min(group)
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        module = queue.popleft()
        for target in sorted(graph[module] & group):
            if target == start:
                path = [module]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if target not in came_from:
                came_from[target] = module
                queue.append(target)
    raise AssertionError(f"{sorted(group)} holds no circle")  # Tarjan said it does


def _said(circle: list[str]) -> str:
    return " -> ".join(circle)


@pytest.fixture(scope="module")
def graph() -> Graph:
    return import_graph("assistant")


def test_no_module_imports_a_module_that_imports_it(graph: Graph) -> None:
    found = mutual_imports(graph)
    assert not found, "modules that import each other:\n" + "\n".join(
        sorted(" <-> ".join(sorted(pair)) for pair in found))


def test_no_circle_of_imports_of_any_length(graph: Graph) -> None:
    found = circles(graph)
    assert not found, "import circles:\n" + "\n".join(sorted(_said(c) for c in found))


def test_the_finder_sees_every_kind_of_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    modules = {
        "__init__": "",
        "a": "def lazy():\n    from circlepkg import b\n    return b\n",  # inside a function
        "b": "import circlepkg.a\n",
        "c": "from circlepkg.d import thing\n",
        "d": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from circlepkg import e\nthing = 1\n",
        "e": "def later():\n    import circlepkg.c\n",
        "f": "import circlepkg.a\n",  # imports into a circle, is not in one
    }
    package = tmp_path / "circlepkg"
    package.mkdir()
    for name, text in modules.items():
        (package / f"{name}.py").write_text(textwrap.dedent(text))
    monkeypatch.syspath_prepend(str(tmp_path))

    graph = import_graph("circlepkg")
    assert mutual_imports(graph) == {frozenset({"circlepkg.a", "circlepkg.b"})}
    assert sorted(_said(c) for c in circles(graph)) == [
        "circlepkg.a -> circlepkg.b -> circlepkg.a",
        "circlepkg.c -> circlepkg.d -> circlepkg.e -> circlepkg.c",
    ]
    pair = frozenset({frozenset({"circlepkg.a", "circlepkg.b"})})
    assert [_said(c) for c in circles(without(graph, pair))] == [
        "circlepkg.c -> circlepkg.d -> circlepkg.e -> circlepkg.c"]

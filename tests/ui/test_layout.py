"""The window's code is grouped by feature, so a newcomer finds a feature in one folder: no module
sits at the top of `assistant/ui/` but the application's entry, each feature folder has its tests
in the same folder under `tests/ui/`, the main window only assembles, functions stay short
enough to read, and no module imports a module that imports it (not even inside a function).
Read from the source, without importing it."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "assistant" / "ui"
UI_TESTS = ROOT / "tests" / "ui"
TOP_LEVEL = {"__init__.py", "app.py"}  # the package, and the application's entry
MAIN_WINDOW_MAX_LINES = 400  # it assembles; the work is in the modules beside it
FUNCTION_MAX_LINES = 80
CONSTRUCTOR_MAX_LINES = 60  # a longer Qt constructor is split into named builders


def _modules() -> dict[str, Path]:
    """Dotted name -> file, for every module under assistant/ui."""
    found = {}
    for path in sorted(UI.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _functions(path: Path) -> Iterator[tuple[str, int, ast.FunctionDef | ast.AsyncFunctionDef]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno is not None
            yield f"{path.relative_to(ROOT)}:{node.lineno} {node.name}", node.end_lineno - node.lineno + 1, node


def _feature_folders() -> list[Path]:
    return sorted(p.parent for p in UI.glob("*/__init__.py"))


def test_the_top_of_ui_holds_only_the_application_entry() -> None:
    top = {p.name for p in UI.glob("*.py")}
    assert top == TOP_LEVEL, f"move {sorted(top - TOP_LEVEL)} into the folder of its feature"
    loose = [p.name for p in UI.iterdir() if p.is_dir() and p.name != "__pycache__" and not (p / "__init__.py").exists()]
    assert loose == [], f"folders without __init__.py: {loose}"


def test_each_feature_folder_has_its_tests_in_the_same_folder_under_tests_ui() -> None:
    folders = _feature_folders()
    assert len(folders) >= 5, folders  # window, pages, fix, history, ... : found, not assumed
    for folder in folders:
        tests = UI_TESTS / folder.name
        files = sorted(tests.glob("test_*.py")) if tests.is_dir() else []
        assert any("def test_" in f.read_text(encoding="utf-8") for f in files), \
            f"assistant/ui/{folder.name}/ has no tests in tests/ui/{folder.name}/"
    stray = sorted(p.name for p in UI_TESTS.iterdir()
                   if p.is_dir() and p.name != "__pycache__" and not (UI / p.name / "__init__.py").exists())
    assert stray == [], f"tests/ui folders with no feature folder of that name: {stray}"


def test_the_main_window_only_assembles() -> None:
    lines = len((UI / "window" / "main_window.py").read_text(encoding="utf-8").splitlines())
    assert lines < MAIN_WINDOW_MAX_LINES, f"main_window.py has {lines} lines"


def test_no_function_is_too_long_to_read() -> None:
    long = [f"{where} ({n} lines)" for path in _modules().values()
            for where, n, _node in _functions(path) if n > FUNCTION_MAX_LINES]
    assert long == [], long


def test_qt_constructors_are_split_into_named_builders() -> None:
    long = [f"{where} ({n} lines)" for path in _modules().values()
            for where, n, node in _functions(path) if node.name == "__init__" and n > CONSTRUCTOR_MAX_LINES]
    assert long == [], long


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The assistant.ui modules `path` imports anywhere: at the top, in a function, for typing."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in modules)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                if name in modules:
                    found.add(name)  # `from package import module`
                elif node.module in modules:
                    found.add(node.module)
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle in `graph`, as the modules around it, or None."""
    done: set[str] = set()
    for start in sorted(graph):
        path: list[str] = []
        on_path: set[str] = set()
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        path.append(start)
        on_path.add(start)
        while stack:
            node, rest = stack[-1]
            nxt = next(rest, None)
            if nxt is None:
                stack.pop()
                path.pop()
                on_path.discard(node)
                done.add(node)
            elif nxt in on_path and nxt != node:
                return path[path.index(nxt):] + [nxt]
            elif nxt not in done and nxt not in on_path:
                stack.append((nxt, iter(sorted(graph[nxt]))))
                path.append(nxt)
                on_path.add(nxt)
    return None


def test_no_module_imports_a_module_that_imports_it() -> None:
    modules = _modules()
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}
    assert sum(len(v) for v in graph.values()) > 50  # the graph was read, not empty
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import(tmp_path: Path) -> None:
    """The check above can fail: the history keeper and its settings dialog used to import each
    other, the keeper only inside a function."""
    graph = {"keeper": {"settings"}, "team_settings": {"keeper"}, "dialog": set(), "settings": {"dialog"}}
    assert _cycle(graph) is None
    graph["dialog"] = {"team_settings"}
    cycle = _cycle(graph)
    assert cycle is not None and cycle[0] == cycle[-1]
    assert set(cycle) == {"keeper", "settings", "dialog", "team_settings"}
    probe = tmp_path / "probe.py"
    probe.write_text("def show():\n    from assistant.ui.history.keeper import HistoryKeeper\n", encoding="utf-8")
    assert _imports(probe, _modules()) == {"assistant.ui.history.keeper"}

"""The window's code is grouped by feature, so a newcomer finds a feature in one folder: no module
sits at the top of `assistant/ui/` but the application's entry, each feature folder has its tests
in the same folder under `tests/ui/`, the main window only assembles, functions stay short
enough to read (in all of `assistant/`). Read from the source, without importing it; that no
module imports a module that imports it is `tests/test_import_graph.py`'s."""

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
    loose = [p.name for p in UI.iterdir()
             if p.is_dir() and p.name != "__pycache__" and not (p / "__init__.py").exists()]
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


def test_no_function_in_assistant_is_too_long_to_read() -> None:
    long = [f"{where} ({n} lines)" for path in sorted((ROOT / "assistant").rglob("*.py"))
            for where, n, _node in _functions(path) if n > FUNCTION_MAX_LINES]
    assert long == [], long


def test_qt_constructors_are_split_into_named_builders() -> None:
    long = [f"{where} ({n} lines)" for path in _modules().values()
            for where, n, node in _functions(path) if node.name == "__init__" and n > CONSTRUCTOR_MAX_LINES]
    assert long == [], long

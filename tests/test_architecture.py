"""The one-way flow, enforced: Qt only in assistant/ui, Stripe only in the gateway, pure checks."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "assistant"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0] if not node.module.startswith("assistant") else node.module)
    return names


def _modules(exclude: str | None = None) -> list[Path]:
    return [
        p for p in PACKAGE.rglob("*.py")
        if exclude is None or exclude not in p.relative_to(PACKAGE).parts
    ]


def test_core_imports_no_qt() -> None:
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in _modules(exclude="ui")
        if _imports(p) & {"PySide6", "qasync", "shiboken6"}
    ]
    assert offenders == []


def test_only_the_gateway_imports_stripe() -> None:
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in _modules(exclude="gateway")
        if "stripe" in _imports(p)
    ]
    assert offenders == []


def test_checks_read_no_network_and_no_gateway() -> None:
    forbidden_roots = {"stripe", "httpx", "socket", "urllib.request", "PySide6"}
    for path in (PACKAGE / "checks").glob("*.py"):
        imports = _imports(path)
        assert not imports & forbidden_roots, path.name
        assert not any(i.startswith("assistant.gateway") or i == "assistant.collect" for i in imports), path.name


def test_headless_run_loads_no_qt() -> None:
    """`diagnose` must work on a server with no Qt libraries: import it and look."""
    code = (
        "import sys, assistant.cli, assistant.diagnosis, assistant.collect, assistant.checks.registry;"
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'qasync'))], 'Qt loaded'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", ["keys", "errors", "snapshot", "diagnosis", "collect"])
def test_core_module_is_small(name: str) -> None:
    """One job per file: keep core modules readable at a glance."""
    assert len((PACKAGE / f"{name}.py").read_text().splitlines()) < 260

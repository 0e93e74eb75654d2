"""The package ships whole: the wheel built from the sources holds every file under
assistant/resources/, installs (not editable) into a new virtual environment with its declared
dependencies, and its installed CLI diagnoses a practice account from an unrelated directory.

Slow for a test (about 25 s: a wheel build and a pip install of PySide6 and the rest), marked
`packaging`; it stays in the suite because nothing else proves that an install without the
checkout works. Skip it while developing with `-m "not packaging"`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import assistant
from assistant.diagnosis.checks.registry import CHECK_IDS

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT / "assistant" / "resources"
pytestmark = pytest.mark.packaging


def _sources(into: Path) -> Path:
    """A copy of what a clean clone has, so stale build/ or egg-info folders of this checkout
    cannot leak files into (or hide files from) the wheel."""
    into.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, into / name)
    shutil.copytree(ROOT / "assistant", into / "assistant",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return into


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, f"{args} -> {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("wheel")
    src = _sources(base / "src")
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", base / "dist", src, cwd=base)
    (built,) = (base / "dist").glob("portal_setup_assistant-*.whl")
    return built


def test_the_wheel_holds_every_resource_and_module(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "assistant").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }
    assert {n for n in expected if n.startswith("assistant/resources/")}, "no resources found"
    assert not expected - names, f"missing from the wheel: {sorted(expected - names)}"
    assert wheel.name.startswith(f"portal_setup_assistant-{assistant.__version__}-")


def test_installed_wheel_runs_the_cli_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "env"
    _run(sys.executable, "-m", "venv", "--without-pip", env_dir, cwd=tmp_path)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", wheel, cwd=tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    env.update({var: str(tmp_path / var.lower()) for var in
                ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")})
    env.pop("QT_QPA_PLATFORM", None)

    where = _run(python, "-c", "import assistant, importlib.metadata as m;"
                 "print(assistant.__file__); print(m.version('portal-setup-assistant'))",
                 cwd=elsewhere, env=env).splitlines()
    assert Path(where[0]).is_relative_to(env_dir), where  # the installed copy, not this checkout
    assert where[1] == assistant.__version__  # the metadata's version is read from the one place

    cli = python.parent / "portal-assistant-cli"
    out = _run(cli, "diagnose", "--demo", "healthy", "--format", "json", cwd=elsewhere, env=env)
    report = json.loads(out)
    assert report["schema"] == 1
    assert [c["id"] for c in report["checks"]] == list(CHECK_IDS)
    assert {c["status"] for c in report["checks"]} == {"pass"}
    version = _run(cli, "--version", cwd=elsewhere, env=env).strip()
    assert version == f"Portal Setup Assistant {assistant.__version__}"
    assert any((tmp_path / "xdg_data_home").rglob("history.sqlite3")), "the run was saved in the history"

    shipped = "from assistant import notices; print(*[s.name for s in notices.shipped()])"
    names = _run(python, "-c", shipped, cwd=elsewhere, env=env).split()
    assert {"pyside6-essentials", "stripe", "keyring", "qasync", "platformdirs", "jinja2"} <= set(names)

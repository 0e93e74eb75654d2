"""`--version` on every entry point prints the one version (assistant.__version__) and exits 0
without opening a window or needing a display."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import assistant

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
EXPECTED = f"Portal Setup Assistant {assistant.__version__}"


@pytest.mark.parametrize("command", [
    [sys.executable, str(ROOT / "main.py")],
    [sys.executable, "-m", "assistant"],
    [str(BIN / "portal-assistant")],
    [str(BIN / "portal-assistant-cli")],
], ids=["main.py", "python -m assistant", "portal-assistant", "portal-assistant-cli"])
def test_every_entry_point_prints_the_version(command: list[str], tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}}
    result = subprocess.run([*command, "--version"], capture_output=True, text=True, cwd=tmp_path,
                            env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == EXPECTED
    assert "PySide6" not in result.stderr

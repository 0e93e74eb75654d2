"""The window's settings file is the agent's alone: 0600 in a 0700 folder, like the history.

It names the team database and its user, and the last practice account; Qt wrote it with the
umask's modes (0644 in a 0755 folder), readable by every user of a shared machine. Run as the
app runs, in a process of its own: the default QSettings, with XDG_CONFIG_HOME pointing at a
temporary folder and the common umask 022.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ORG = "Portal Setup Assistant"  # ui/app.py: the folder and file QSettings names after the app
CHILD = r"""
import json, os
os.umask(0o022)
from PySide6.QtCore import QSettings
from assistant.account.keychain import Keychain
from assistant.ui.app import make_application
from assistant.ui.window.main_window import MainWindow

app = make_application()
window = MainWindow(keychain=Keychain())
dialog = window.history_keeper.show_settings(window)
dialog.agent_edit.setText("Sam")
dialog.url_edit.setText("postgresql://sam@127.0.0.1:1/support")
dialog.save()
window.save_settings()
print(json.dumps({"file": QSettings().fileName()}))
"""


def _run_window(config: Path) -> Path:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(config)}
    done = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-2000:]
    return Path(json.loads(done.stdout.strip().splitlines()[-1])["file"])


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_settings_file_is_0600_in_a_0700_folder(tmp_path: Path) -> None:
    config = tmp_path / "config"
    settings = _run_window(config)
    assert settings.parent == config / ORG
    assert "url=postgresql://sam@127.0.0.1:1/support" in settings.read_text()  # what makes it private
    assert _mode(settings) == 0o600
    assert _mode(settings.parent) == 0o700


def test_a_settings_file_left_readable_by_an_older_version_is_put_right(tmp_path: Path) -> None:
    config = tmp_path / "config"
    folder = config / ORG
    folder.mkdir(parents=True, mode=0o755)
    old = folder / f"{ORG}.conf"
    old.write_text("[practice]\nlast=healthy\n")
    os.chmod(folder, 0o755)
    os.chmod(old, 0o644)
    settings = _run_window(config)
    assert settings == old
    assert "last=healthy" in settings.read_text()  # nothing of the agent's is lost
    assert _mode(settings) == 0o600 and _mode(folder) == 0o700

"""The window names itself after the desktop entry and carries the app icon, so the menu entry,
the task switcher and the title bar show one app (Wayland matches windows to entries by id)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from assistant import APP_ID

ROOT = Path(__file__).resolve().parents[2]
CHILD = r"""
import json
from assistant.ui.app import make_application
app = make_application()
icon = app.windowIcon()
print(json.dumps({"desktop": app.desktopFileName(), "icon": not icon.isNull(),
                  "drawn": not icon.pixmap(32, 32).toImage().isNull()}))
"""


def test_the_application_names_its_desktop_entry_and_has_the_app_icon() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"desktop": APP_ID, "icon": True, "drawn": True}

"""The real start path (`run_app`), in a child process as `python main.py --demo` runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
import assistant.ui.window.main_window as mw
from assistant.ui.app import run_app

seen = {}
original_show = mw.MainWindow.show

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "asyncio_at_paint" not in seen:
            seen["asyncio_at_paint"] = "asyncio" in sys.modules
        return False

def show(self):
    self._probe = FirstPaint(self)
    self.installEventFilter(self._probe)
    def finished(outcome):
        if outcome is None:
            return
        seen["statuses"] = {c.id: c.status.value for c in outcome.diagnosis.checks}
        seen["title"] = self.windowTitle()
        QTimer.singleShot(0, self.close)
    self.outcome_shown.connect(finished)
    return original_show(self)

mw.MainWindow.show = show
code = run_app(demo=sys.argv[1])
print(json.dumps({"code": code, **seen}))
"""


def _run(demo: str) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", CHILD, demo], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_demo_opens_paints_before_the_loop_runs_checks_and_quits() -> None:
    seen = _run("archived_product")
    assert seen["code"] == 0
    assert seen["asyncio_at_paint"] is False  # the window reached the screen first
    assert seen["statuses"]["portal.products"] == "fail"
    assert seen["statuses"]["portal.configuration"] == "pass"
    assert "sk_test_" not in seen["title"]

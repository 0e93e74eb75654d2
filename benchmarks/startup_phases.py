"""Where the time to the first paint goes, phase by phase, inside one start (offscreen).

    python benchmarks/startup_phases.py [--runs 3]

Phases: importing PySide6 (a bare window pays it too), the CLI and log set-up, our window
modules, the QApplication, building the main window, and show-to-first-paint.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import os, sys, time
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication
t1 = time.perf_counter()
import assistant.cli.main
from assistant.store.log_file import setup_logging
setup_logging()
t2 = time.perf_counter()
from assistant.ui.app import make_application
from assistant.ui.window.main_window import MainWindow
from assistant.ui.practice.host import PracticeHost
t3 = time.perf_counter()
app = make_application()
t4 = time.perf_counter()
window = MainWindow(practice=PracticeHost(), hold_start_up_work=True)
t5 = time.perf_counter()
window.show()
while not window.start_up.paint_seen:
    app.processEvents()
t6 = time.perf_counter()
ms = [round(1000 * (b - a)) for a, b in zip((t0, t1, t2, t3, t4, t5), (t1, t2, t3, t4, t5, t6))]
print(" ".join(str(m) for m in ms))
window.shutdown()
"""

PHASES = ("PySide6 import", "CLI + logging", "window modules", "QApplication",
          "MainWindow()", "show → paint")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    # Like bench_startup.py: a bytecode cache filled by one discarded warm-up run, as an
    # installed app has (this container sets PYTHONDONTWRITEBYTECODE=1).
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
               "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        rows = []
        for n in range(runs + 1):
            out = subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout.split()
            if n:  # the first run only warms the caches
                rows.append([int(x) for x in out])
    print(f"{'phase':<16} " + " ".join(f"run {i + 1:>2}" for i in range(runs)) + "   (ms)")
    for i, name in enumerate(PHASES):
        print(f"{name:<16} " + " ".join(f"{row[i]:>6}" for row in rows))


if __name__ == "__main__":
    main()

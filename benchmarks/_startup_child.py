"""Child process for bench_startup.py: start a window, quit on its first paint, report figures.

    python benchmarks/_startup_child.py app    # the real `python main.py` path (cli.main([]))
    python benchmarks/_startup_child.py bare   # a bare PySide6 QMainWindow, for comparison
    python benchmarks/_startup_child.py floor  # bare, plus what any qasync app with Qt enums pays

Prints one JSON line: {"painted_at": epoch seconds of the first paint, "vmhwm_kb": peak RSS}.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def _peak_rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _report(painted_at: float) -> None:
    print(json.dumps({"painted_at": painted_at, "vmhwm_kb": _peak_rss_kb()}), flush=True)


def _quit_on_first_paint(window, on_paint) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        done = False

        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and not self.done:
                self.done = True
                painted = time.time()
                QTimer.singleShot(0, lambda: on_paint(painted))
            return False

    window._first_paint_filter = FirstPaint(window)
    window.installEventFilter(window._first_paint_filter)


def run_bare() -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("bare")
    window.resize(1000, 700)

    def painted(at: float) -> None:
        _report(at)
        window.close()
        app.quit()

    _quit_on_first_paint(window, painted)
    window.show()
    return app.exec()


def run_floor() -> int:
    """The bare window plus the unavoidable price of this stack: asyncio + qasync (the loop),
    argparse/logging (the CLI that starts the window) and PySide6's Python enums for the `Qt`
    namespace (created all at once on first use, ~45 ms). Not a target: where 'app' could get to."""
    import argparse  # noqa: F401
    import asyncio
    import logging.handlers  # noqa: F401

    import qasync
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = QMainWindow()
    window.setWindowTitle("floor")
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    window.resize(1000, 700)
    done = asyncio.Event()

    def painted(at: float) -> None:
        _report(at)
        window.close()
        done.set()

    _quit_on_first_paint(window, painted)
    window.show()
    with loop:
        loop.run_until_complete(done.wait())
    return 0


def run_app() -> int:
    """`python main.py` exactly, with MainWindow.show wrapped to close the window on first paint."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import assistant.ui.window.main_window as main_window
    from assistant.entry import main

    original_show = main_window.MainWindow.show

    def show(self):
        def painted(at: float) -> None:
            _report(at)
            self.close()

        _quit_on_first_paint(self, painted)
        return original_show(self)

    main_window.MainWindow.show = show
    return main([])


if __name__ == "__main__":
    kinds = {"app": run_app, "floor": run_floor, "bare": run_bare}
    sys.exit(kinds[sys.argv[1] if len(sys.argv) > 1 else "bare"]())

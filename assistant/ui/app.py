"""Start the window: QApplication, the qasync event loop, the main window, the practice server.

Only what the first paint needs is imported here; the window loads the rest after it (issue #6).
"""

from __future__ import annotations

import sys
import time
from typing import Any

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyleFactory

from assistant import APP_ID
from assistant.resources import resource_path
from assistant.ui.kit.clipboard import keep_copies_clean
from assistant.ui.kit.palette import keep_links_readable
from assistant.ui.practice.host import PracticeHost
from assistant.ui.window.main_window import MainWindow
from assistant.ui.window.support import Opener

APP_NAME = "Portal Setup Assistant"
ORG_NAME = "Portal Setup Assistant"
ORG_DOMAIN = "portal-setup-assistant.invalid"


def make_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, named so QSettings lands in its own place. HiDPI is Qt 6's default."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setOrganizationDomain(ORG_DOMAIN)
    # The desktop entry install-desktop puts in the menu (Wayland matches the window to it by
    # this id) and the icon every window shows in the title bar and the task switcher.
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(QIcon(str(resource_path("desktop", "app.svg"))))
    use_fusion_if_unstyled(app)
    keep_links_readable(app)  # the system's palette, light or dark, with links it can read
    keep_copies_clean(app.clipboard())
    return app


def use_fusion_if_unstyled(app: QApplication) -> None:
    """Keep the platform's own look; fall back to Fusion only when there is none (the bare
    'Windows' style is what Qt picks when the platform style plugin is missing)."""
    style = app.style()
    name = style.name().lower() if style is not None else ""
    if not name or (name == "windows" and sys.platform != "win32"):
        if "Fusion" in QStyleFactory.keys():  # noqa: SIM118 - a Qt function returning a list, not a dict
            app.setStyle("Fusion")


def paint_before_the_loop(app: QApplication, window: MainWindow, limit: float = 0.5) -> None:
    """Let the window reach the screen before asyncio and qasync are imported (~70 ms the agent
    would otherwise stare at nothing). Work that needs the loop waits for it (`hold_start_up_work`);
    after `limit` seconds without a paint (a slow X server) the loop starts anyway."""
    deadline = time.monotonic() + limit
    while not window.start_up.paint_seen and time.monotonic() < deadline:
        app.processEvents()
        if not window.start_up.paint_seen:
            time.sleep(0.002)


def run_app(
    demo: str | None = None,
    api_base: str | None = None,
    *,
    keychain: Any | None = None,
    opener: Opener | None = None,
) -> int:
    """Open the window and run until it closes. `demo` opens that practice account and runs
    every check once.

    Without `keychain`, the window looks for the system keychain after its first paint (keyring's
    backend discovery takes ~0.2 s); it also imports stripe then, on its worker thread."""
    app = make_application()
    practice = PracticeHost()
    window = MainWindow(keychain=keychain, opener=opener, api_base=api_base, practice=practice,
                        hold_start_up_work=True)
    closed_early: list[bool] = []
    window.closed.connect(lambda: closed_early.append(True))  # returns None: a safe slot
    window.show()
    paint_before_the_loop(app, window)
    if closed_early:  # closed before the loop ever ran (a script, or a very quick agent)
        window.shutdown()
        return 0

    import asyncio

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    app.lastWindowClosed.connect(closed.set)
    window.start_up.release()
    if demo:
        def open_demo() -> None:  # the practice server and the run start once the window shows
            if not window.open_practice(demo, run=True):
                window.go_to_step(0)

        window.start_up.when_done(open_demo)
    elif not window.connect_page.key():
        window.connect_page.key_field.setFocus()
        show_first_run_hint(window)
    try:
        with loop:
            loop.run_until_complete(closed.wait())
    finally:
        window.shutdown()  # stops the practice server whatever happened
    return 0


FIRST_RUN_HINT = "First time? Pick a practice account on the Connect page to try the checks safely."


def show_first_run_hint(window: MainWindow) -> None:
    """Until a key is typed or a run starts (the window clears it then), or 15 s."""
    window.statusBar().showMessage(FIRST_RUN_HINT, 15000)

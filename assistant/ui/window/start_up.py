"""What the window does after its first paint, without freezing it (issue #6).

The first paint needs only Qt, the frame, the checklist and the Connect page. After it, worker
threads import the rest (the other pages, the diagnosis, the knowledge base, stripe) and find
the system keychain; the Connect page's talk track and the glossary are added in later
event-loop turns.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMainWindow

from assistant.ui.kit.to_qt_thread import to_qt_thread
from assistant.ui.pages import registry as page_registry
from assistant.ui.pages.connect import ConnectPage
from assistant.ui.window.support import FirstPaint, find_keychain, freeze_start_up_objects

log = logging.getLogger(__name__)


class StartUp(QObject):
    """Runs the after-paint work once, after the window's first paint (and, when `held`, once
    `release()` says the event loop runs); `closing()` stops what has not started yet.

    The worker threads report through `to_qt_thread`, never through a signal of this object: the
    window may be closed and deleted before they finish."""

    def __init__(self, window: QMainWindow, connect_page: ConnectPage, *, held: bool, warm_up: Callable[[], object],
                 open_history: Callable[[], None], keychain_ready: Callable[[bool], None],
                 preloaded: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._connect = connect_page
        self._warm_up = warm_up
        self._open_history = open_history
        self._keychain_ready = keychain_ready
        self._on_preloaded_done = preloaded
        self.started = False
        self._closing = False
        self._later: list[Callable[[], None]] = []
        self._keychain_found = to_qt_thread(self, self._on_keychain_found)
        self._preloaded = to_qt_thread(self, self._on_preloaded)
        # `run_app` paints the window before asyncio and qasync are even imported; the work
        # after the first paint needs the loop, so then it waits for `release`.
        self._held = held
        self.paint_seen = False
        self._first_paint = FirstPaint(window, self._painted)

    def _painted(self) -> None:
        self.paint_seen = True
        if not self._held:
            self.run()

    def release(self) -> None:
        """The event loop is running (or about to): do what waited for the first paint."""
        self._held = False
        if self.paint_seen:
            QTimer.singleShot(0, self.run)

    def run(self) -> None:
        if self.started or self._closing:
            return
        self.started = True
        if not self._connect.keychain_ready:
            threading.Thread(target=self._keychain_thread, name="keychain", daemon=True).start()
        threading.Thread(target=self._preload_thread, name="preload", daemon=True).start()
        self._warm_up()  # import stripe, build (and drop) one gateway
        for callback in self._later:
            QTimer.singleShot(0, callback)
        self._later = []

    def when_done(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the after-paint work has started (at once if it has)."""
        if self.started:
            QTimer.singleShot(0, callback)
        else:
            self._later.append(callback)

    def closing(self) -> None:
        self._closing = True

    def _keychain_thread(self) -> None:
        try:
            found: object = find_keychain()
        except Exception as err:  # a broken keyring install: the page says no keychain
            log.warning("keychain unavailable: %s", type(err).__name__)
            found = None
        self._keychain_found(found)

    def _on_keychain_found(self, found: Any) -> None:
        if self._closing:
            return
        if found is None:
            from assistant.account.keychain import Keychain

            class _NoKeyring:
                priority = 0

            found = (Keychain(_NoKeyring()), (None, None))
        keychain, stored = found
        had_key = bool(self._connect.key())
        self._connect.set_keychain(keychain, stored)
        self._keychain_ready(not had_key and bool(self._connect.key()))  # True: a remembered key

    def _preload_thread(self) -> None:
        page_registry.preload()
        self._open_history()
        self._preloaded(None)

    def _on_preloaded(self, _: object) -> None:
        if self._closing:
            return
        if self._connect.talk_track is None:
            panel = page_registry.make_talk_track("connect")
            if panel is not None:
                self._connect.set_talk_track(panel)
        self._on_preloaded_done()
        QTimer.singleShot(0, freeze_start_up_objects)

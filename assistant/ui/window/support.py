"""What the main window needs from the outside world, kept apart so the window file reads as
layout and flow: how links open, how the agent is asked, how gateways are made, when the first
paint happened, and where the keychain is found."""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSettings, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from assistant.ui.kit.plain import plain_message_box

if TYPE_CHECKING:
    from assistant.diagnosis.run import GatewayFactory

log = logging.getLogger(__name__)

Opener = Callable[[str], bool]
# confirm(parent, text, done): ask the agent, then call done(True/False). Never blocks.
Confirmer = Callable[[QWidget, str, Callable[[bool], None]], None]
FactoryMaker = Callable[[str | None], "GatewayFactory"]


def default_opener(url: str) -> bool:
    return QDesktopServices.openUrl(QUrl(url))


def stripe_factory(api_base: str | None) -> GatewayFactory:
    def make(key: str, *, connected_account: str | None = None) -> Any:
        from assistant.account.gateway.client import StripeGateway  # stripe is imported on first use

        return StripeGateway(key, api_base=api_base, connected_account=connected_account)

    return make


def pinned_stripe_version() -> str:
    """The Stripe API version every request is pinned to (shown in About)."""
    from assistant.account.api_version import STRIPE_API_VERSION

    return STRIPE_API_VERSION


def ask_in_dialog(parent: QWidget, text: str, done: Callable[[bool], None]) -> None:
    """A window-modal question opened without a nested event loop (safe under qasync). It
    guards a live write and names a customer, so its text is plain and opens no link."""
    box = plain_message_box(QMessageBox.Icon.Warning, "Open the live portal?", text,
                            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setEscapeButton(QMessageBox.StandardButton.No)
    box.setObjectName("liveConfirmation")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def finished(_result: int) -> None:
        done(box.clickedButton() is box.button(QMessageBox.StandardButton.Yes))

    box.finished.connect(finished)
    box.open()


class FirstPaint(QObject):
    """Calls `done` once, in the event-loop turn after the window's first paint event."""

    def __init__(self, window: QMainWindow, done: Callable[[], None]) -> None:
        super().__init__(window)
        self._done = done
        window.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self._done)
        return False


_frozen = False


def freeze_start_up_objects() -> None:
    """Modules, classes and the knowledge base are here to stay: move them out of the cyclic
    collector's sight once, so its full passes (on the Qt thread) stay short."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()


def find_keychain() -> tuple[Any, tuple[str | None, str | None]]:
    """keyring's backend discovery (imports every backend, ~0.2 s) and the stored keys: on a
    worker thread."""
    from assistant.account.keychain import Keychain

    keychain = Keychain()
    return keychain, (keychain.load("primary"), keychain.load("other_mode"))


def default_size(window: QWidget) -> QSize:
    """The first-run size, 180 x 52 character cells of the window's font (before the screen
    bounds it): the size the layout is checked at, with 1280 x 720."""
    fm = window.fontMetrics()
    return QSize(fm.averageCharWidth() * 180, fm.lineSpacing() * 52)


def private_settings(settings: QSettings) -> QSettings:
    """The settings file readable by the agent only: 0600 in a 0700 folder, like the history.
    It names the team database and its user. Qt writes it through a new file renamed over the
    old one, created with the umask's mode (0644 in 0755) but keeping an existing file's mode:
    so the file is made (empty) or put right here, before Qt's first write. Native settings
    outside Linux and the like (Windows' registry, macOS' preferences daemon) follow their own
    access rules and are left alone."""
    from pathlib import Path

    from assistant.store.private_files import private_file

    native_file = settings.format() == QSettings.Format.NativeFormat and sys.platform not in ("win32", "darwin")
    if os.name == "posix" and (native_file or settings.format() == QSettings.Format.IniFormat):
        try:
            private_file(Path(settings.fileName()))
        except OSError as err:  # a read-only profile: Qt will say it cannot write, as before
            log.warning("settings file not made private: %s", err.strerror or type(err).__name__)
    return settings


def restore_geometry(window: QMainWindow, settings: QSettings) -> None:
    """Where the agent left the window; the first time, 180 x 52 character cells within the screen."""
    geometry = settings.value("window/geometry")
    state = settings.value("window/state")
    if geometry is None or not window.restoreGeometry(geometry):
        size = default_size(window)
        screen = window.screen().availableGeometry() if window.screen() else None
        if screen is not None:
            size = size.boundedTo(QSize(int(screen.width() * 0.92), int(screen.height() * 0.9)))
        window.resize(size)
    if state is not None:
        window.restoreState(state)


def save_geometry(window: QMainWindow, settings: QSettings) -> None:
    """Only geometry and dock/toolbar state: never keys or data."""
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())
    settings.sync()
    private_settings(settings)  # a file another program replaced meanwhile is put right

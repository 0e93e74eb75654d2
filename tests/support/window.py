"""Drive the real main window against a practice server over HTTP (tests/ui/window/ and the other feature folders)."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPlainTextEdit,
    QTableWidget,
    QTabWidget,
    QTextEdit,
    QTreeWidget,
    QWidget,
)

from assistant.account.keychain import Keychain
from assistant.ui.pages.registry import STEP_IDS
from assistant.ui.window.main_window import MainWindow
from support.memory_keyring import MemoryKeyring  # noqa: F401  (re-exported for the UI tests)


class Recorder:
    """An injected opener / confirmer that remembers what it was given."""

    def __init__(self, answer: bool = True) -> None:
        self.answer = answer
        self.calls: list[Any] = []

    def opener(self, url: str) -> bool:
        self.calls.append(url)
        return True

    def confirm(self, parent: QWidget, text: str, done: Callable[[bool], None]) -> None:
        self.calls.append(text)
        done(self.answer)


def make_window(qtbot: Any, tmp_path: Path, *, lazy: bool = False, **kwargs: Any) -> MainWindow:
    """The real window. Unless `lazy`, every step page is built up front (the app builds them on
    first visit), so the tests see, search and drive all seven pages as before.
    `keychain=None` lets the window find the (fail) keychain after its first paint, as the app does."""
    # Windows of earlier tests are garbage by now; collect them here, on the Qt thread. Left to
    # chance, the collector may run on a worker thread (gateways are built there) and destroy
    # Qt objects from it ("Timers cannot be stopped from another thread").
    gc.collect()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    kwargs.setdefault("keychain", Keychain())  # the fail backend (conftest): no keychain
    window = MainWindow(settings=settings, **kwargs)
    qtbot.addWidget(window)
    if not lazy:
        window.ensure_all_pages()
    window.show()
    return window


async def until(condition: Callable[[], bool], timeout: float = 15.0, what: str = "") -> None:
    """Wait on the running (qasync) loop; qtbot.waitUntil would re-enter the loop."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await asyncio.sleep(0.02)


def settled(window: MainWindow) -> bool:
    """No run in flight (the visible page renders the outcome as it arrives), and the case
    history has written what it was given (it saves on a worker thread)."""
    return not window.controller.busy and not window.history_keeper.writing


async def run_and_wait(window: MainWindow, timeout: float = 20.0) -> None:
    assert window.run_all(), "the run did not start"
    await until(lambda: settled(window), timeout, "the run to finish")


async def run_on_step(window: MainWindow, key: str, step: str) -> list[Any]:
    """Paste `key`, run every check, open `step`; the list collects each fix preview opened."""
    paste_key(window.connect_page.key_field, key)
    await run_and_wait(window)
    window.go_to_step(window.step_index(step))
    window.flush_pages()
    opened: list[Any] = []
    window.fix_flow.dialog_opened.connect(opened.append)
    return opened


def paste_key(field: QLineEdit, text: str) -> None:
    """Through the clipboard, the way an agent pastes from the Dashboard."""
    QApplication.clipboard().setText(text)
    field.setFocus()
    field.clear()
    field.paste()


def sidebar_words(window: MainWindow) -> dict[str, str]:
    """step_id → the status word shown after the dash in its sidebar entry."""
    return {  # by step id, without building pages the window has not built
        step_id: window.sidebar.item_text(row).rsplit(" — ", 1)[1]
        for row, step_id in enumerate(STEP_IDS)
    }


def visible_texts(root: QWidget, settings_file: Path | None = None) -> Iterable[tuple[str, str]]:
    """Every text a person (or a screen reader) could see, with where it came from.

    Password-mode line edits are the one place a key may be; everything else is listed.
    """
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        where = f"{type(w).__name__}#{w.objectName() or '?'}"
        yield from _described_texts(w, where)
        yield from _shown_texts(w, where)
        if isinstance(w, QMainWindow):
            yield where + ".statusMessage", w.statusBar().currentMessage()
        for action in w.actions():
            yield where + ".action", f"{action.text()} {action.toolTip()} {action.statusTip()}"
    if settings_file is not None and settings_file.exists():
        yield "settings file", settings_file.read_bytes().decode("latin-1")


def _described_texts(w: QWidget, where: str) -> Iterable[tuple[str, str]]:
    """What any widget carries for tooltips, status bars and screen readers."""
    yield where + ".toolTip", w.toolTip()
    yield where + ".accessibleName", w.accessibleName()
    yield where + ".accessibleDescription", w.accessibleDescription()
    yield where + ".windowTitle", w.windowTitle()
    yield where + ".statusTip", w.statusTip()
    yield where + ".whatsThis", w.whatsThis()


def _shown_texts(w: QWidget, where: str) -> Iterable[tuple[str, str]]:
    """The text a widget of this kind shows on screen."""
    if isinstance(w, QLabel):
        yield where + ".text", w.text()
    elif isinstance(w, QLineEdit):
        if w.echoMode() == QLineEdit.EchoMode.Normal:
            yield where + ".text", w.text()
        yield where + ".placeholder", w.placeholderText()
    elif isinstance(w, QAbstractButton):
        yield where + ".text", w.text()
    elif isinstance(w, (QTextEdit, QPlainTextEdit)):
        yield where + ".plain", w.toPlainText()
    elif isinstance(w, QGroupBox):
        yield where + ".title", w.title()
    elif isinstance(w, QTabWidget):
        for i in range(w.count()):
            yield where + f".tab{i}", w.tabText(i)
    elif isinstance(w, QDockWidget):
        yield where + ".dockTitle", w.windowTitle()
    else:
        yield from _item_texts(w, where)


def _item_texts(w: QWidget, where: str) -> Iterable[tuple[str, str]]:
    """The items of a combo box, list, table or tree, with their tooltips."""
    if isinstance(w, QComboBox):
        for i in range(w.count()):
            yield where + f".item{i}", w.itemText(i)
            yield where + f".tip{i}", str(w.itemData(i, 3) or "")
    elif isinstance(w, QListWidget):
        for i in range(w.count()):
            yield where + f".item{i}", w.item(i).text()
            yield where + f".itemtip{i}", w.item(i).toolTip()
    elif isinstance(w, QTableWidget):
        for r in range(w.rowCount()):
            for c in range(w.columnCount()):
                item = w.item(r, c)
                if item is not None:
                    yield where + f".cell{r},{c}", item.text() + " " + item.toolTip()
    elif isinstance(w, QTreeWidget):
        for item in w.findItems("*", __import__("PySide6.QtCore").QtCore.Qt.MatchFlag.MatchWildcard
                                | __import__("PySide6.QtCore").QtCore.Qt.MatchFlag.MatchRecursive):
            yield where + ".treeitem", " ".join(item.text(c) for c in range(item.columnCount()))

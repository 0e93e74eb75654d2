"""A window closed while its after-paint work still runs on worker threads: the threads finish
quietly. They used to emit a signal of the window's (deleted) start-up object, and the thread
died with "RuntimeError: Signal source has been deleted"."""

from __future__ import annotations

import threading
import time

import shiboken6
from PySide6.QtCore import QSettings

from assistant.ui.pages import registry as page_registry
from assistant.ui.window import start_up
from assistant.ui.window.main_window import MainWindow


def _thread(name: str, timeout: float = 10.0) -> threading.Thread:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = next((t for t in threading.enumerate() if t.name == name), None)
        if found is not None:
            return found
        time.sleep(0.01)
    raise AssertionError(f"no {name} thread started")


def test_closing_the_window_while_it_preloads_leaves_no_thread_exception(qtbot, tmp_path, monkeypatch) -> None:
    release = threading.Event()
    preload, find_keychain = page_registry.preload, start_up.find_keychain

    def slow_preload() -> None:
        release.wait(10)
        preload()

    def slow_keychain() -> object:
        release.wait(10)
        return find_keychain()

    monkeypatch.setattr(page_registry, "preload", slow_preload)
    monkeypatch.setattr(start_up, "find_keychain", slow_keychain)
    died: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: died.append(args.exc_value))

    # Not qtbot.addWidget: this test deletes the window itself.
    window = MainWindow(settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
                        keychain=None)  # found after the first paint, on a thread of its own
    window.show()
    qtbot.waitUntil(lambda: window.start_up.started, timeout=10_000)
    threads = [_thread("preload"), _thread("keychain")]
    window.close()
    shiboken6.delete(window)  # the window and its start-up object are gone
    release.set()
    for thread in threads:
        thread.join(10)
    qtbot.wait(50)  # what the threads handed to the Qt thread arrives (and is dropped)

    assert not any(thread.is_alive() for thread in threads)
    assert died == []

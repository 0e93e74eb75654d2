"""A run is saved to this computer's history off the Qt thread: a locked file never stops the window.

Another copy of the assistant (or a backup tool) holding the history file's lock made SQLite
wait its busy timeout, 10 s, on the Qt thread after every run: the window stopped answering
while the status line already said "Done". Now the window keeps turning, the status line says
the run is being saved (or why it is not yet), and the run reaches the file once it is free.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from support.practice import practice
from support.window import make_window, paste_key, until

from assistant.practice.scenarios import Scenario
from assistant.store.history import HistoryStore

LOCK_HELD_S = 2.0
LONGEST_STALL_S = 0.5  # a run's own work stays far below this; the old save stalled for the whole lock


class Gaps:
    """The longest time the Qt thread went without turning its event loop (a 10 ms timer)."""

    def __init__(self) -> None:
        self.last = time.monotonic()
        self.longest = 0.0
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        self.longest = max(self.longest, now - self.last)
        self.last = now


def _hold_lock(path: Path, seconds: float) -> threading.Thread:
    """Another program takes the file's write lock now and lets go after `seconds`."""
    held = threading.Event()

    def hold() -> None:
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        held.set()
        time.sleep(seconds)
        other.execute("ROLLBACK")
        other.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert held.wait(5)
    return thread


@contextlib.contextmanager
def _window_on_healthy(qtbot: Any, tmp_path: Path, history: Any) -> Iterator[tuple[Any, Scenario]]:
    """The window with the healthy practice account's key pasted, saving to `history`."""
    with practice("healthy") as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url, history=history)
        paste_key(window.connect_page.key_field, scenario.primary_key)
        yield window, scenario


async def test_a_locked_history_file_never_stops_the_window(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    with _window_on_healthy(qtbot, tmp_path, store) as (window, scenario):
        keeper = window.history_keeper
        keeper.slow_save_ms = 200
        gaps = Gaps()
        holder = _hold_lock(path, LOCK_HELD_S)
        assert window.run_all()
        await until(lambda: "(saving to history…)" in window.activity_label.text(), 5,
                    "the status line to say the run is being saved")
        line = window.activity_label.text().removesuffix(" (saving to history…)")
        assert line.startswith("Done in ") and keeper.unsaved == 1
        await until(lambda: not holder.is_alive(), 5, "the other program to let go")
        await until(lambda: keeper.unsaved == 0 and not keeper.writing, 10, "the save once the file is free")
        gaps.timer.stop()
        assert gaps.longest < LONGEST_STALL_S, f"the window stopped for {gaps.longest:.2f} s"
        assert window.activity_label.text() == line  # the note is gone: the run is saved
        [run] = store.list_runs()
        assert run.account_id == scenario.account["id"]


class LockedOnce:
    """The real history, whose first save meets a file another program keeps locked past the
    busy timeout (SQLite then gives up with "database is locked")."""

    def __init__(self, store: HistoryStore) -> None:
        self._store = store
        self.refused = 0

    def save(self, *args: Any, **kwargs: Any) -> int:
        if not self.refused:
            self.refused += 1
            raise sqlite3.OperationalError("database is locked")
        return self._store.save(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


async def test_a_run_refused_by_a_locked_file_is_kept_and_saved_later(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    locked = LockedOnce(store)
    with _window_on_healthy(qtbot, tmp_path, locked) as (window, _scenario):
        keeper = window.history_keeper
        keeper.retry_save_ms = 300
        assert window.run_all()
        await until(lambda: "not saved to history yet" in window.activity_label.text(), 10,
                    "the status line to say the run is not saved yet")
        text = window.activity_label.text()
        assert f"{path} is in use by another program" in text and "kept and saved once the file is free" in text
        keeper.save_notes("Owner restored the plan", "ZD-7")  # typed while the run waits
        await until(lambda: keeper.unsaved == 0 and not keeper.writing, 10, "the second try")
        assert locked.refused == 1
        assert window.activity_label.text().startswith("Done in ") and "history" not in window.activity_label.text()
        [run] = store.list_runs()
        saved = store.load(run.id)
        assert (saved.notes, saved.ticket) == ("Owner restored the plan", "ZD-7")

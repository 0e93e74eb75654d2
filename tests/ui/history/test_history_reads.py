"""The History window reads on a worker thread: while the history (a team database that stopped
answering) keeps a read waiting, the window keeps painting and answering, says it is reading,
never shows the previous run under the new one's name, and shows the last run asked for."""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from support.history_dialog import read
from support.ui_outcomes import FakeClipboard

from assistant.report.sample import sample_diagnosis
from assistant.store.history import HistoryStore
from assistant.ui.history.dialog import READ_FAILED_TEXT, READING_TEXT, HistoryDialog

READS = {"list_runs", "load", "changes", "previous_run", "diff"}


class StalledStore:
    """A real history whose reads wait for `gate`, as on a server that stopped answering."""

    def __init__(self, store: HistoryStore) -> None:
        self.store = store
        self.gate = threading.Event()
        self.loaded: list[int] = []
        self.threads: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.store, name)
        if name not in READS:
            return attr

        def stalled(*args: Any, **kwargs: Any) -> Any:
            self.threads.add(threading.current_thread().name)
            assert self.gate.wait(20), "the test never let the read finish"
            if name == "load":
                self.loaded.append(args[0])
            return attr(*args, **kwargs)
        return stalled


class Ticks:
    """A 10 ms timer on the Qt thread: if the event loop is blocked, it stops counting."""

    def __init__(self) -> None:
        self.count = 0
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        self.count += 1

    def during(self, qtbot: Any, ms: int) -> int:
        before = self.count
        qtbot.wait(ms)
        return self.count - before


@pytest.fixture
def stalled(tmp_path: Path) -> StalledStore:
    store = HistoryStore(tmp_path / "history.sqlite3")
    for day in range(1, 5):
        store.save(dataclasses.replace(sample_diagnosis(), generated_at=f"2024-06-0{day}T10:00:00Z",
                                       ticket=f"ZD-{day}"))
    return StalledStore(store)


def test_the_window_stays_responsive_while_a_read_waits(qtbot, stalled: StalledStore) -> None:
    ticks = Ticks()
    started = time.monotonic()
    dialog = HistoryDialog(stalled, clipboard=FakeClipboard())
    qtbot.addWidget(dialog)
    dialog.show()
    assert time.monotonic() - started < 2.0  # built without waiting for the history
    assert ticks.during(qtbot, 500) >= 15  # ~50 expected: the Qt thread is not waiting
    assert dialog.loading and dialog.runs() == []
    assert dialog.stack.currentWidget() is dialog.empty_label
    assert dialog.empty_label.text() == READING_TEXT  # not "No saved runs yet"
    assert dialog.status_label.text() == "Reading the saved runs…"
    assert "history-read" in stalled.threads and "MainThread" not in stalled.threads
    qtbot.keyClick(dialog.account_filter, Qt.Key.Key_Down)  # keys are handled meanwhile

    stalled.gate.set()
    read(qtbot, dialog)
    newest, older = dialog.runs()[0].id, dialog.runs()[2].id
    assert dialog.current_run_id() == newest and dialog.run_heading.text().startswith(f"Run #{newest} ")
    assert dialog.status_label.text() == "" and dialog.copy_button.isEnabled()

    stalled.gate.clear()  # the server stops answering between two clicks
    stalled.loaded.clear()
    assert dialog.select_run(dialog.runs()[1].id)
    assert dialog.select_run(older)  # the agent moves on before the first arrives
    assert ticks.during(qtbot, 500) >= 15
    assert dialog.status_label.text() == f"Reading run #{older}…"
    assert not dialog._run_content.isVisible()  # run #newest is not shown under #older's name
    assert not dialog.copy_button.isEnabled()  # nor copied as if it were

    stalled.gate.set()
    read(qtbot, dialog)
    assert dialog.run_heading.text().startswith(f"Run #{older} ") and dialog.current_run_id() == older
    assert dialog._run_content.isVisible() and dialog.status_label.text() == ""
    assert older in stalled.loaded
    assert stalled.loaded.count(dialog.runs()[1].id) <= 1  # the overtaken read ran at most once
    ticks.timer.stop()


class BrokenStore:
    """A history whose every read fails in a way the store did not put in words."""

    where, is_team, is_shared_view = "", False, False  # this computer's only (CaseHistory)

    def list_runs(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk I/O error")


def test_a_failed_read_is_one_sentence_and_the_window_carries_on(qtbot) -> None:
    dialog = HistoryDialog(BrokenStore(), clipboard=FakeClipboard())
    qtbot.addWidget(dialog)
    read(qtbot, dialog)
    assert dialog.empty_label.text() == READ_FAILED_TEXT
    assert dialog.status_label.text() == READ_FAILED_TEXT
    dialog.refresh()  # and it can be asked again
    read(qtbot, dialog)
    assert dialog.status_label.text() == READ_FAILED_TEXT

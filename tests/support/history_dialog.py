"""The History window reads on a worker thread: wait for its reads like an agent would."""

from __future__ import annotations

from typing import Any

from assistant.ui.history.dialog import HistoryDialog


def read(qtbot: Any, dialog: HistoryDialog, timeout_ms: int = 10_000) -> HistoryDialog:
    """Until every read asked for has come back and been shown."""
    qtbot.waitUntil(lambda: not dialog.loading, timeout=timeout_ms)
    return dialog


def open_dialog(qtbot: Any, store: Any, **kwargs: Any) -> HistoryDialog:
    dialog = HistoryDialog(store, **kwargs)
    qtbot.addWidget(dialog)
    return read(qtbot, dialog)


def pick(qtbot: Any, dialog: HistoryDialog, run_id: int) -> bool:
    """Select a listed run and wait until it is shown; False if it is not listed."""
    found = dialog.select_run(run_id)
    read(qtbot, dialog)
    return found

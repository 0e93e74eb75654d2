"""Every finished run goes to the case history; the window asks this object, not SQLite.

The store is opened off the Qt thread after the first paint (`open_in_background`), because
creating the database file on the first run's Qt turn stalled the window for up to 80 ms.
A history that cannot be written never costs the agent the results on screen: failures are
logged and reported as False.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from assistant.diagnosis.model import Diagnosis
    from assistant.store.history import HistoryStore
    from assistant.ui.history_view import HistoryDialog

log = logging.getLogger(__name__)


def _default_store() -> HistoryStore:
    from assistant.store.history import HistoryStore

    return HistoryStore(HistoryStore.default_path())


class HistoryKeeper:
    def __init__(self, store: Any | None = None) -> None:
        self._store = store
        self.dialog: HistoryDialog | None = None
        self.last_run_id: int | None = None

    @property
    def store(self) -> HistoryStore:
        if self._store is None:
            self._store = _default_store()
        return self._store

    def open_in_background(self) -> None:
        """Call on a worker thread: imports the store and creates the file if needed."""
        if self._store is None:
            try:
                self._store = _default_store()
            except Exception as err:  # the first save will say so
                log.warning("case history unavailable: %s", type(err).__name__)

    def save(self, diagnosis: Diagnosis) -> bool:
        try:
            self.last_run_id = self.store.save(diagnosis)
        except Exception as err:  # disk full, read-only profile, locked database
            log.warning("run not saved to history: %s", type(err).__name__)
            self.last_run_id = None
            return False
        if self.dialog is not None:
            self.dialog.refresh()
        return True

    def save_notes(self, notes: str, ticket: str) -> None:
        """Notes and ticket typed after a run belong to that run."""
        if self.last_run_id is None:
            return
        try:
            self.store.update_notes(self.last_run_id, notes, ticket)
        except Exception as err:
            log.warning("notes not saved to history: %s", type(err).__name__)

    def show(
        self,
        parent: QWidget,
        account_id: str | None,
        on_glossary: Callable[[str], None],
        on_url: Callable[[str], None],
    ) -> HistoryDialog:
        from assistant.ui.history_view import HistoryDialog

        if self.dialog is None:
            self.dialog = HistoryDialog(self.store, account_id=account_id, parent=parent)
            self.dialog.glossary_requested.connect(on_glossary)
            self.dialog.open_url_requested.connect(on_url)
        else:
            if account_id:
                self.dialog.set_account_filter(account_id)
            self.dialog.refresh()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

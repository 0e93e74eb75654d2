"""Every finished run goes to the case history; the window asks this object, not the database.

The store is opened off the Qt thread after the first paint (`open_in_background`), because
creating the database file on the first run's Qt turn stalled the window for up to 80 ms.
A history that cannot be written never costs the agent the results on screen: failures are
logged and reported as False.

With a team database (Settings, `--history-url` or PORTAL_ASSISTANT_HISTORY_URL) a run is saved
in the local file at once and delivered to the team database on a worker thread, so the
window never waits on the network; until it arrives the status line says "saved on this
computer, will be shared when the team database is reachable", and deliveries are retried
every `RETRY_MS`. Reads in the History window run on a worker thread too (see
`reads.py`) and use the team database only while it is known to be up, else this
computer's runs.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from assistant.ui.history.settings import SETTING_AGENT, SETTING_URL, SessionSecrets

if TYPE_CHECKING:
    from assistant.diagnosis.model import Diagnosis
    from assistant.store.case_history import CaseHistory, Sharing
    from assistant.ui.history.dialog import HistoryDialog

log = logging.getLogger(__name__)

RETRY_MS = 30_000


class HistoryKeeper(QObject):
    sharing_changed = Signal(object)  # a Sharing (team database) or None (local only)

    def __init__(
        self,
        store: CaseHistory | None = None,
        *,
        settings: Any | None = None,
        keychain: Any | None = None,
        environ: Mapping[str, str] = os.environ,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._settings = settings
        self._environ = environ
        self.secrets = SessionSecrets(keychain)
        self.dialog: HistoryDialog | None = None
        self.last_run_id: int | None = None
        self.last_run_uid: str | None = None
        self.last_problem: str | None = None  # why the last run was not saved, naming the file
        self.sharing: Sharing | None = None
        self._delivering = threading.Lock()
        self._again = False
        self._retry = QTimer(self)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self.deliver_in_background)
        self.sharing_changed.connect(self._on_sharing)

    # -- which store -----------------------------------------------------------------------

    def _setting(self, key: str) -> str | None:
        value = self._settings.value(key, None) if self._settings is not None else None
        return str(value) if value else None

    def _open(self) -> CaseHistory:
        from assistant.store.opening import agent_name, history_url, open_history

        if self.secrets.keychain is None:
            from assistant.account.keychain import Keychain

            self.secrets.keychain = Keychain()
        url = history_url(None, self._environ, self._setting(SETTING_URL))
        # deliveries run on a worker thread, never in a read on the Qt thread
        return open_history(url, agent=agent_name(self._environ, self._setting(SETTING_AGENT)),
                            keychain=self.secrets, deliver_on_read=False)

    @property
    def store(self) -> CaseHistory:
        if self._store is None:
            self._store = self._open()
        return self._store

    @property
    def is_team(self) -> bool:
        return self.store.is_team

    def open_in_background(self) -> None:
        """Call on a worker thread: imports the store, creates the file, tries the team database."""
        if self._store is None:
            try:
                self._store = self._open()
            except Exception as err:  # the first save will say so
                log.warning("case history unavailable: %s", type(err).__name__)
                return
        self._deliver_now()

    def reopen(self) -> None:
        """Settings changed: use the history they name from now on."""
        old, self._store = self._store, None
        if old is not None:
            old.close()
        self.sharing = None
        threading.Thread(target=self.open_in_background, name="history-open", daemon=True).start()
        if self.dialog is not None:
            self.dialog.set_store(self.store)

    # -- delivery (worker thread) ------------------------------------------------------------

    def _deliver_now(self) -> None:
        """Deliver the outbox; a request made while another delivery runs is not lost: the
        running one goes round again."""
        store = self._store
        if store is None or not store.is_team:
            return
        self._again = True
        while self._again:
            if not self._delivering.acquire(blocking=False):
                return  # the running delivery sees _again and goes round once more
            sharing = None
            try:
                while self._again:
                    self._again = False
                    sharing = store.deliver()
            except Exception as err:
                log.warning("team history delivery failed: %s", type(err).__name__)
            finally:
                self._delivering.release()
            if sharing is not None:
                try:
                    self.sharing_changed.emit(sharing)  # queued to the Qt thread
                except RuntimeError:  # the window closed while this thread talked to the server
                    return

    def deliver_in_background(self) -> None:
        if self._store is not None and self._store.is_team:
            threading.Thread(target=self._deliver_now, name="history-deliver", daemon=True).start()

    def _on_sharing(self, sharing: Sharing | None) -> None:
        self.sharing = sharing
        if sharing is not None and sharing.pending:
            self._retry.start()
        else:
            self._retry.stop()
        if self.dialog is not None:
            self.dialog.set_sharing(sharing)
            self.dialog.refresh()
        self._update_status_line()

    def attach_status(self, label: Any) -> None:
        """The window's status label: its "Done in …" line gains or loses the waiting note
        as deliveries fail or succeed."""
        self._status = label

    def _update_status_line(self) -> None:
        from assistant.store.case_history import WAITING

        label = getattr(self, "_status", None)
        if label is None:
            return
        text = label.text()
        note = f" ({WAITING})"
        if not text.startswith("Done in"):
            return
        waiting = self.sharing is not None and bool(self.sharing.pending)
        if waiting and not text.endswith(note):
            label.setText(text + note)
        elif not waiting and text.endswith(note):
            label.setText(text.removesuffix(note))

    # -- the window's calls ------------------------------------------------------------------

    def save(self, diagnosis: Diagnosis) -> bool:
        from assistant.store.records import new_uid

        uid = new_uid()
        try:
            self.last_run_id = self.store.save(diagnosis, run_uid=uid, deliver=False)
        except Exception as err:  # disk full, read-only profile, locked or damaged database
            from assistant.store.history import default_path
            from assistant.store.unreadable import history_problem

            log.warning("run not saved to history: %s", type(err).__name__)
            path = self._store.path if self._store is not None else default_path()
            self.last_problem = history_problem(err, path)
            self.last_run_id = self.last_run_uid = None
            return False
        self.last_problem = None
        self.last_run_uid = uid
        if self.is_team:
            self.sharing = self.store.sharing()
            self.deliver_in_background()
        if self.dialog is not None:
            self.dialog.refresh()
        return True

    def saved_suffix(self, saved: bool) -> str:
        """What the status line adds after "Done in …": nothing, or where the run went."""
        from assistant.store.case_history import WAITING

        if not saved:
            problem = self.last_problem
            return f" (not saved to history: {problem})" if problem else " (not saved to history)"
        if self.sharing is not None and self.sharing.pending and self.sharing.reachable is False:
            return f" ({WAITING})"  # known to be away; otherwise the delivery will tell
        return ""

    def save_notes(self, notes: str, ticket: str) -> None:
        """Notes and ticket typed after a run belong to that run."""
        if self.last_run_uid is None:
            return
        try:
            self.store.update_notes(self.last_run_uid, notes, ticket, deliver=False)
            self.deliver_in_background()  # a local history has nothing to deliver
        except Exception as err:
            log.warning("notes not saved to history: %s", type(err).__name__)

    def show(
        self,
        parent: QWidget,
        account_id: str | None,
        on_glossary: Callable[[str], None],
        on_url: Callable[[str], None],
    ) -> HistoryDialog:
        from assistant.ui.history.dialog import HistoryDialog

        if self.dialog is None:
            self.dialog = HistoryDialog(self.store, account_id=account_id, parent=parent,
                                        sharing=self.sharing)
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

    def settings_action(self, parent: QWidget) -> QAction:
        """The window's "Team history…" action (toolbar and Ctrl+Shift+H)."""
        action = QAction("&Team history…", parent)
        action.setShortcut(QKeySequence("Ctrl+Shift+H"))
        action.setToolTip("Your name and the team database the case history is shared through "
                          "(Ctrl+Shift+H)")
        action.triggered.connect(lambda: self._show_settings_from(parent))
        return action

    def _show_settings_from(self, parent: QWidget) -> None:
        self.show_settings(parent)

    def show_settings(self, parent: QWidget) -> Any:
        """The team-history settings (agent name, team database, its password)."""
        from assistant.ui.history.team_settings import TeamSettingsDialog

        if self.secrets.keychain is None:
            from assistant.account.keychain import Keychain

            self.secrets.keychain = Keychain()
        dialog = TeamSettingsDialog(self._settings, self.secrets, parent=parent)
        dialog.saved.connect(self.reopen)
        dialog.open()
        return dialog

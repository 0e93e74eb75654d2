"""Every finished run goes to the case history; the window asks this object, not the database.

The store is opened off the Qt thread after the first paint (`open_in_background`), because
creating the database file on the first run's Qt turn stalled the window for up to 80 ms.
Runs and notes are written on a worker thread too (`save`, `save_notes`), one at a time and in
order: a history file another program holds locked made SQLite wait its busy timeout (10 s) on
the Qt thread after every run. The status line says "Done in …" at once; a save slower than
`SLOW_SAVE_MS` adds "(saving to history…)", and a save that fails says why. A run refused
because the file is locked is kept and tried again every `RETRY_SAVE_MS` until it is saved (a
damaged or read-only file is only named). A history that cannot be written never costs the
agent the results on screen.

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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from assistant.ui.history.reads import HistoryReads
from assistant.ui.history.settings import SETTING_AGENT, SETTING_URL, SessionSecrets

if TYPE_CHECKING:
    from assistant.diagnosis.model import Diagnosis
    from assistant.store.case_history import CaseHistory, Sharing
    from assistant.ui.history.dialog import HistoryDialog

log = logging.getLogger(__name__)

RETRY_MS = 30_000
SLOW_SAVE_MS = 1000  # a save still running after this long is said on the status line
RETRY_SAVE_MS = 15_000  # a run refused by a locked file is tried again after this long
SAVING = "saving to history…"


@dataclass
class _Unsaved:
    """A run on its way to this computer's history, and what the status line said about it."""

    diagnosis: Diagnosis
    said: str


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
        self.slow_save_ms, self.retry_save_ms = SLOW_SAVE_MS, RETRY_SAVE_MS
        self._writes = HistoryReads(self)  # this computer's file, written off the Qt thread
        self._unsaved: dict[str, _Unsaved] = {}  # run uid -> the run, until it is saved
        self._notes: dict[str, tuple[str, str]] = {}  # run uid -> notes and ticket to write
        self._opening = threading.Lock()
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

    def _find_keychain(self) -> None:
        """The system keychain for the team password, once; a keyring that cannot even be
        set up leaves none (the password is then kept for this session, and Settings say so)."""
        if self.secrets.keychain is not None:
            return
        from assistant.account.keychain import Keychain

        try:
            self.secrets.keychain = Keychain()
        except Exception as err:
            log.warning("no system keychain: %s", type(err).__name__)

    def _open(self) -> CaseHistory:
        from assistant.store.opening import agent_name, history_url, open_history

        self._find_keychain()
        url = history_url(None, self._environ, self._setting(SETTING_URL))
        # deliveries run on a worker thread, never in a read on the Qt thread
        return open_history(url, agent=agent_name(self._environ, self._setting(SETTING_AGENT)),
                            keychain=self.secrets, deliver_on_read=False)

    @property
    def store(self) -> CaseHistory:
        """The history, opened on first use (once, whichever thread asks first: the opening
        at start-up and a run's save may meet)."""
        if self._store is None:
            with self._opening:
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
                _ = self.store  # opens it here, off the Qt thread
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

    # -- the window's calls: saving (worker thread) ---------------------------------------------

    @property
    def writing(self) -> bool:
        """A save or notes write is on its way (a run waiting to be tried again is not)."""
        return self._writes.busy

    @property
    def unsaved(self) -> int:
        """Runs not in the history yet: being written, or refused by a locked file for now."""
        return len(self._unsaved)

    def save(self, diagnosis: Diagnosis, said: str = "") -> str:
        """Write the run on the worker thread and return its uid at once. `said` is what the
        status line shows about this run: notes on the save are added to it while it is shown."""
        from assistant.store.records import new_uid

        uid = new_uid()
        self.last_run_uid = uid  # notes and the fixes' records follow it, in the same order
        self.last_run_id = None
        self._unsaved[uid] = _Unsaved(diagnosis, said)
        self._write_run(uid)
        return uid

    def _write_run(self, uid: str) -> None:
        run = self._unsaved[uid]

        def work() -> tuple[int, Sharing | None]:  # on the worker thread
            store = self.store
            run_id = store.save(run.diagnosis, run_uid=uid, deliver=False)
            return run_id, (store.sharing() if store.is_team else None)

        self._writes.submit(f"run {uid}", work, lambda got: self._run_saved(uid, *got),
                            lambda err: self._run_not_saved(uid, err))
        QTimer.singleShot(self.slow_save_ms, self, lambda: self._still_saving(uid))

    def _still_saving(self, uid: str) -> None:
        run = self._unsaved.get(uid)
        if run is not None and self._writes.pending(f"run {uid}"):
            self._annotate(run.said, f" ({SAVING})")

    def _run_saved(self, uid: str, run_id: int, sharing: Sharing | None) -> None:
        run = self._unsaved.pop(uid, None)
        if uid == self.last_run_uid:
            self.last_run_id, self.last_problem = run_id, None
        if sharing is not None:
            self.sharing = sharing
            self.deliver_in_background()
        if run is not None:
            self._annotate(run.said, self.saved_suffix(True))
        if uid in self._notes:
            self._write_notes(uid)
        if self.dialog is not None:
            self.dialog.refresh()

    def _run_not_saved(self, uid: str, err: BaseException) -> None:
        """Say why; a locked file is tried again later (the run is kept), anything else is not."""
        from assistant.store.history import default_path
        from assistant.store.unreadable import history_busy, history_problem

        log.warning("run not saved to history: %s", type(err).__name__)
        path = self._store.path if self._store is not None else default_path()
        problem = history_problem(err, path)
        run = self._unsaved[uid]
        if history_busy(err):
            self._annotate(run.said, f" (not saved to history yet: {problem}; it is kept and saved once "
                                     "the file is free)")
            QTimer.singleShot(self.retry_save_ms, self, lambda: self._write_run(uid))
            return
        del self._unsaved[uid]
        self._notes.pop(uid, None)
        if uid == self.last_run_uid:
            self.last_problem = problem
            self.last_run_id = self.last_run_uid = None
        self._annotate(run.said, self.saved_suffix(False, problem))

    def _annotate(self, said: str, note: str) -> None:
        """Put `note` after `said` on the status line, if the line still speaks of that run."""
        label = getattr(self, "_status", None)
        if label is None or not said:
            return
        text = label.text()
        if text == said or text.startswith(said + " ("):
            label.setText(said + note)

    def saved_suffix(self, saved: bool, problem: str | None = None) -> str:
        """What the status line adds after "Done in …": nothing, or where the run went."""
        from assistant.store.case_history import WAITING

        if not saved:
            problem = problem or self.last_problem
            return f" (not saved to history: {problem})" if problem else " (not saved to history)"
        if self.sharing is not None and self.sharing.pending and self.sharing.reachable is False:
            return f" ({WAITING})"  # known to be away; otherwise the delivery will tell
        return ""

    def save_notes(self, notes: str, ticket: str) -> None:
        """Notes and ticket typed after a run belong to that run: written after it (worker thread)."""
        uid = self.last_run_uid
        if uid is None:
            return
        self._notes[uid] = (notes, ticket)
        if uid not in self._unsaved:  # else once the run is in
            self._write_notes(uid)

    def _write_notes(self, uid: str) -> None:
        notes, ticket = self._notes.pop(uid)

        def work() -> None:  # on the worker thread
            self.store.update_notes(uid, notes, ticket, deliver=False)

        def failed(err: BaseException) -> None:
            log.warning("notes not saved to history: %s", type(err).__name__)

        self._writes.submit(f"notes {uid}", work, lambda _done: self.deliver_in_background(), failed)

    def finish_writes(self, timeout: float) -> bool:
        """Closing: let the writes under way end (the notes typed last), for at most `timeout` s."""
        if self._unsaved:
            log.warning("%d run(s) not saved to history at exit (the file was busy)", len(self._unsaved))
        return self._writes.wait_idle(timeout)

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

        self._find_keychain()
        dialog = TeamSettingsDialog(self._settings, self.secrets, parent=parent)
        dialog.saved.connect(self.reopen)
        dialog.open()
        return dialog

"""Fixing from the result card: Fix… → preview → Apply → the card updates, Undo appears, the
status line says what changed. Guided fixes open the Dashboard page of the mode and wait for
the owner to save.

Plans are made from the run exactly as Stripe answered it (the window draws a display-safe
copy; a write must send the exact values back), and every change is recorded in the case
history with the run it answered. All Stripe work goes through the FixController, off the Qt
thread; this object only decides what to do next and puts the result on screen.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from assistant.ui.fix.controller import FixController
from assistant.ui.fix.dialog import FixPreview
from assistant.ui.state.display import shown_text
from assistant.ui.state.fix_state import FixState
from assistant.ui.state.run_controller import RunController
from assistant.ui.state.window_state import WindowState

if TYPE_CHECKING:
    from assistant.diagnosis.fix_runner import Applied, FixOutcome, Planned
    from assistant.diagnosis.fixes.model import Fix, FixInputs
    from assistant.diagnosis.model import Diagnosis
    from assistant.diagnosis.run import RunOutcome
    from assistant.store.case_history import CaseHistory

log = logging.getLogger(__name__)


class History(Protocol):
    """What this needs of the window's HistoryKeeper."""

    last_run_uid: str | None

    @property
    def store(self) -> CaseHistory: ...
    def save(self, diagnosis: Diagnosis) -> bool: ...


class FixFlow(QObject):
    dialog_opened = Signal(object)  # the FixPreview, for tests and screenshots
    _open_writes = Signal(str)  # from the start-up thread: writes an earlier run left open

    def __init__(self, window: QWidget, state: WindowState, runs: RunController, fixes: FixController,
                 history: History, *, show_outcome: Callable[[RunOutcome], None],
                 open_url: Callable[[str], bool], say: Callable[[str], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window, self._state, self._runs, self._fixes = window, state, runs, fixes
        self._history, self._show_outcome, self._open_url, self._say = history, show_outcome, open_url, say
        self._raw: RunOutcome | None = None  # the run as Stripe answered it
        self._planned: Planned | None = None
        self._inputs: FixInputs | None = None
        self._undo: dict[tuple[str, str], str] = {}  # (account, check id) -> change id
        self._keys: dict[str, str] = {}  # fix id -> idempotency key, kept until it applied
        self.dialog: FixPreview | None = None
        runs.finished.connect(self._run_finished)
        fixes.planned.connect(self._planned_now)
        fixes.applied.connect(self._applied)
        fixes.undone.connect(self._undone)
        fixes.failed.connect(self._failed)
        fixes.busy_changed.connect(self._busy)
        fixes.waiting_changed.connect(self._waiting)
        fixes.configuration_found.connect(self._configuration_found)
        fixes.settled.connect(self._settled)
        self._open_writes.connect(self._say)
        state.fix_requested.connect(self.open_fix)
        state.undo_requested.connect(self.undo)
        state.practice_changed.connect(self._account_replaced)

    def _account_replaced(self, *_args: object) -> None:
        """A practice account opened (again, fresh) or left: its earlier fixes are not there to undo."""
        self._undo.clear()
        self._keys.clear()
        self._publish()

    # -- plans follow the runs -----------------------------------------------------------------
    def _run_finished(self, outcome: RunOutcome) -> None:
        self._raw = outcome
        self._inputs = None
        self._plan()
        if outcome.diagnosis.fatal is None:
            self._fixes.settle(outcome, lambda: self._history.store)

    # -- writes an earlier run left open (the process died, the answer was lost) -----------------
    def look_for_open_writes(self) -> None:
        """Call on a worker thread once the history is open: says on the status line which
        writes are still open (each is settled by the next run of its account)."""
        from assistant.store.intent_log import elsewhere_sentence, waiting_elsewhere

        try:
            line = elsewhere_sentence(waiting_elsewhere(self._history.store))
        except Exception as err:  # the history's own problem is said by its first save
            log.warning("open writes could not be listed: %s", type(err).__name__)
            return
        if line:
            try:
                self._open_writes.emit(shown_text(line))  # queued to the Qt thread
            except RuntimeError:  # the window closed meanwhile
                return

    def _settled(self, resolutions: list[Any]) -> None:
        from assistant.store.intent_log import RECORDED

        if not resolutions:
            return
        account = self._account()
        for found in resolutions:
            check = str(found.intent.detail.get("check") or "")
            if found.outcome != RECORDED or found.intent.account_id != account or not check:
                continue
            if found.intent.kind == "undo":
                self._undo.pop((account, check), None)
            elif found.change_id:
                self._undo[(account, check)] = found.change_id
        self._publish()
        self._say(shown_text(" ".join(r.sentence for r in resolutions)))

    def _plan(self) -> None:
        self._planned = None
        self._publish()
        request = self._runs.request
        if self._raw is not None and request is not None:
            self._fixes.plan(request, self._raw, self._inputs)

    def _planned_now(self, planned: Planned) -> None:
        if self._raw is not None and planned.outcome is self._raw:
            self._planned = planned
            self._publish()

    def _account(self) -> str:
        account = self._raw.diagnosis.account if self._raw else None
        return account.id if account else ""

    def _publish(self) -> None:
        account = self._account()
        undo = {check: change for (acct, check), change in self._undo.items() if acct == account}
        plan = self._planned.plan if self._planned else None
        self._state.set_fixes(FixState(plan, undo, self._fixes.busy or self._fixes.waiting))

    def _busy(self, busy: bool) -> None:
        self._state.set_busy(busy or self._runs.busy)
        self._publish()

    # -- Fix… ----------------------------------------------------------------------------------
    def open_fix(self, check_id: str) -> FixPreview | None:
        fixes = self._planned.plan.for_check(check_id) if self._planned else []
        if not fixes or self._raw is None:
            self._say("There is no fix for that check now: run the checks again.")
            return None
        dialog = FixPreview(fixes[0], self._raw.diagnosis.account, self._window)
        dialog.apply_requested.connect(self._apply)
        dialog.inputs_edited.connect(self._input_edited)
        dialog.link_requested.connect(self._open_url)
        dialog.wait_requested.connect(self._wait)
        dialog.stop_waiting_requested.connect(self._fixes.stop_waiting)
        dialog.destroyed.connect(self._dialog_gone)
        self.dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def _dialog_gone(self, *_args: object) -> None:
        self.dialog = None

    def _input_edited(self, name: str, text: str) -> None:
        from assistant.diagnosis.fixes.model import FixInputs

        if self._raw is None or self.dialog is None:
            return
        self._inputs = replace(self._inputs or FixInputs(), **{name: text})
        self._planned = self._fixes.replan(self._raw, self._inputs)
        same = self._planned.plan.fix(self.dialog.fix.id) or next(iter(self._planned.plan.for_check(
            self.dialog.fix.check)), None)
        if same is not None:
            self.dialog.set_fix(same)

    def _apply(self, fix: Fix) -> None:
        from assistant.store.fix_log import FixLog

        request = self._runs.request
        if request is None or self._planned is None or self._runs.busy:
            return
        key = self._keys.setdefault(fix.id, str(uuid.uuid4()))  # a retry re-sends the same key
        recorder = FixLog(self._history.store, run_uid=self._history.last_run_uid)
        started = self._fixes.apply(request, self._planned, fix, recorder, key)
        if self.dialog is not None:
            if started:
                self.dialog.set_working(True)
            else:
                self.dialog.show_error("Another change is under way: apply again once it is done.")

    def _applied(self, applied: Applied) -> None:
        outcome = applied.outcomes[0]
        dialog = self.dialog
        if outcome.status != "applied":
            if dialog is not None:
                dialog.set_working(False)
                dialog.show_error(_refusal(outcome))
            else:
                self._say(_refusal(outcome))
            return
        self._keys.pop(outcome.fix.id, None)
        if outcome.change_id:
            self._undo[(self._account(), outcome.fix.check)] = outcome.change_id
        if dialog is not None:
            dialog.set_working(False)
            dialog.accept()
        self._after(applied, _changed_line(outcome))

    # -- Undo ----------------------------------------------------------------------------------
    def undo(self, change_id: str) -> None:
        from assistant.store.fix_log import FixLog

        request = self._runs.request
        if request is None or self._runs.busy:
            return
        recorder = FixLog(self._history.store, run_uid=self._history.last_run_uid)
        if not self._fixes.undo(request, change_id, self._history.store, recorder, str(uuid.uuid4())):
            self._say("Another change is under way: undo again once it is done.")

    def _undone(self, applied: Applied) -> None:
        outcome = applied.outcomes[0]
        if outcome.status != "applied":
            self._say(_refusal(outcome))
            return
        self._undo = {k: v for k, v in self._undo.items() if k[1] != outcome.fix.check}
        self._after(applied, "Undone: " + _changed_line(outcome, undo=True))

    def _after(self, applied: Applied, line: str) -> None:
        """The diagnosis run again after a change: on screen, in the history, and planned anew."""
        if applied.after is not None:
            self._raw = applied.after
            self._show_outcome(applied.after)
            saved = self._history.save(applied.after.diagnosis)
            if not saved:
                line += " (the run after it was not saved to history)"
        outcome = applied.outcomes[0]
        if outcome.record_problem:
            line += " " + outcome.record_problem
        self._say(line)
        self._plan()

    def _failed(self, message: str) -> None:
        if self.dialog is not None and not self._fixes.waiting:
            self.dialog.set_working(False)
            self.dialog.show_error(message)
        else:
            self._say(message)

    # -- guided: waiting for the owner ---------------------------------------------------------
    def _wait(self) -> None:
        request = self._runs.request
        if request is not None:
            self._fixes.wait_for_configuration(request)

    def _waiting(self, waiting: bool) -> None:
        if self.dialog is not None:
            self.dialog.set_waiting(waiting)
        self._publish()

    def _configuration_found(self) -> None:
        if self.dialog is not None:
            self.dialog.accept()
        self._say("The owner saved the portal settings: the default configuration exists now. Checking again…")
        self._state.request_run("")


def _refusal(outcome: FixOutcome) -> str:
    if outcome.answer_lost:  # it may have been changed: what reading it showed, never "nothing"
        return shown_text(outcome.lost_sentence)
    text = outcome.error_summary or "Stripe did not accept the change."
    extra = [f"{name} {value}" for name, value in (("code", outcome.error.code if outcome.error else None),
                                                   ("request", outcome.error.request_id if outcome.error else None))
             if value]
    return shown_text(f"Nothing was changed. {text}" + (f" ({', '.join(extra)})" if extra else ""))


def _changed_line(outcome: FixOutcome, *, undo: bool = False) -> str:
    """"Changed default_return_url (none) → https://… (test mode). Undo is on the card." (the
    object's id is in the preview, the history and the line's tooltip)."""
    from assistant.diagnosis.fixes.display import value_text

    parts = [f"{c.field} {value_text(c.before)} → {value_text(c.after)}" for c in outcome.changes]
    took = "" if not outcome.mismatches else " It did not take effect: run the checks again."
    tail = "" if undo or not outcome.change_id else " Undo is on the card."
    lost = f"{outcome.lost_sentence} " if outcome.answer_lost else ""
    return shown_text(lost + "Changed " + "; ".join(parts) + f" ({outcome.fix.mode} mode)." + took + tail)

"""Fixing from the result card: Fix… → preview → Apply → the card updates, Undo appears, the
status line says what changed. Guided fixes open the Dashboard page of the mode and wait for
the owner to save (on a practice account the practice server can save as the owner would).

Each Fix… plans afresh from the newest run with nothing typed, so a value typed into an earlier
preview (applied and undone, or abandoned with Esc) never comes back; and Apply plans once more
from what the preview's fields hold at that moment and sends only if that is exactly the fix on
screen (otherwise the preview is refreshed and nothing is sent).

Plans are made from the run exactly as Stripe answered it (the window draws a display-safe
copy; a write must send the exact values back), and every change is recorded in the case
history with the run it answered. All Stripe work goes through the FixController, off the Qt
thread; this object only decides what to do next and puts the result on screen.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import fields
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from assistant.ui.fix.controller import FixController
from assistant.ui.fix.dialog import FixPreview
from assistant.ui.kit.clipboard import not_opened_text
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
    from assistant.store.fix_log import FixLog
    from assistant.store.records import AccountChange

log = logging.getLogger(__name__)


class History(Protocol):
    """What this needs of the window's HistoryKeeper."""

    last_run_uid: str | None

    @property
    def store(self) -> CaseHistory: ...
    def save(self, diagnosis: Diagnosis, said: str = "") -> str: ...


class PracticeOwner(Protocol):
    """The practice server playing the owner (the window's PracticeSwitch); never real Stripe."""

    @property
    def active(self) -> bool: ...
    def save_portal_settings(self, mode: str) -> bool: ...


class FixFlow(QObject):
    dialog_opened = Signal(object)  # the FixPreview, for tests and screenshots
    _open_writes = Signal(str)  # from the start-up thread: writes an earlier run left open

    def __init__(self, window: QWidget, state: WindowState, runs: RunController, fixes: FixController,
                 history: History, *, show_outcome: Callable[[RunOutcome], None],
                 open_url: Callable[[str], bool], say: Callable[[str], None],
                 practice: PracticeOwner | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window, self._state, self._runs, self._fixes = window, state, runs, fixes
        self._history, self._show_outcome, self._open_url, self._say = history, show_outcome, open_url, say
        self._practice = practice
        self._raw: RunOutcome | None = None  # the run as Stripe answered it
        self._planned: Planned | None = None  # the cards' plan: nothing typed
        self._undo: dict[tuple[str, str], str] = {}  # (account, check id) -> change id
        self._keys: dict[str, str] = {}  # the requests of a fix -> idempotency key, kept until it applied
        # What fixes and undos changed in this call, as recorded (for the ticket note), and the
        # log of the change under way with, for an undo, the change it puts back.
        self._made: list[AccountChange] = []
        self._log: FixLog | None = None
        self._undoing = ""
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
        self._made.clear()
        self._publish()

    # -- plans follow the runs -----------------------------------------------------------------
    def _run_finished(self, outcome: RunOutcome) -> None:
        self._raw = outcome
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
            self._fixes.plan(request, self._raw)

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
        made = tuple(c for c in self._made if c.account_id == account)
        self._state.set_fixes(FixState(plan, undo, self._fixes.busy or self._fixes.waiting, made))

    def _busy(self, busy: bool) -> None:
        self._state.set_busy(busy or self._runs.busy)
        self._publish()

    # -- Fix… ----------------------------------------------------------------------------------
    def open_fix(self, check_id: str) -> FixPreview | None:
        """A new preview, planned from the newest run with nothing typed, the cursor in its first input."""
        from assistant.diagnosis.fixes.model import FixInputs

        if self._planned is None or self._raw is None:
            self._say("There is no fix for that check now: run the checks again.")
            return None
        choices = self._fixes.replan(self._raw, FixInputs()).plan.choices_for(check_id)
        if not choices:
            self._say("There is no fix for that check now: run the checks again.")
            return None
        practice = self._practice is not None and self._practice.active
        dialog = FixPreview(choices, self._raw.diagnosis.account, self._window, practice=practice)
        dialog.apply_requested.connect(self._apply)
        dialog.inputs_edited.connect(self._input_edited)
        dialog.link_requested.connect(self._open_link)
        dialog.wait_requested.connect(self._wait)
        dialog.stop_waiting_requested.connect(self._fixes.stop_waiting)
        dialog.practice_save_requested.connect(self._practice_save)
        dialog.destroyed.connect(self._dialog_gone)
        self.dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def _open_link(self, url: str) -> None:
        """A guided fix's Dashboard page. The preview covers the status line, so when no browser
        opened the preview says too that the address is on the clipboard."""
        if not self._open_url(url) and self.dialog is not None:
            self.dialog.show_error(not_opened_text(url))

    def _dialog_gone(self, *_args: object) -> None:
        self.dialog = None

    def _typed(self) -> FixInputs:
        """What the open preview's fields hold now."""
        from assistant.diagnosis.fixes.model import FixInputs

        known = {f.name for f in fields(FixInputs)}
        typed = self.dialog.typed() if self.dialog is not None else {}
        return FixInputs(**{name: text for name, text in typed.items() if name in known})

    def _input_edited(self, _name: str, _text: str) -> None:
        if self._raw is None or self.dialog is None:
            return
        choices = self._fixes.replan(self._raw, self._typed()).plan.choices_for(self.dialog.fix.check)
        if choices:
            self.dialog.set_choices(choices)

    def _as_shown(self, fix: Fix) -> Planned | None:
        """The plan made now from the preview's fields, when it holds exactly `fix` (None when the
        preview is out of date: the run changed, or what it shows is not what would be sent)."""
        if self._raw is None or self.dialog is None:
            return None
        planned = self._fixes.replan(self._raw, self._typed())
        choices = planned.plan.choices_for(fix.check)
        if fix in choices:
            return planned
        if choices:
            self.dialog.set_choices(choices)
        return None

    def _apply(self, fix: Fix) -> None:
        from assistant.store.fix_log import FixLog

        request = self._runs.request
        if request is None or self._planned is None or self._runs.busy or self.dialog is None:
            return
        planned = self._as_shown(fix)
        if planned is None:
            self.dialog.show_error("Nothing was sent: the preview was out of date and now shows the current plan. "
                                   "Check it, then press Apply again.")
            return
        key = self._keys.setdefault(_fingerprint(fix), str(uuid.uuid4()))  # a retry re-sends the same key
        recorder = self._log = FixLog(self._history.store, run_uid=self._history.last_run_uid)
        if self._fixes.apply(request, planned, fix, recorder, key):
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
        self._keys.pop(_fingerprint(outcome.fix), None)
        self._remember(outcome)
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
        recorder = self._log = FixLog(self._history.store, run_uid=self._history.last_run_uid)
        self._undoing = change_id
        if not self._fixes.undo(request, change_id, self._history.store, recorder, str(uuid.uuid4())):
            self._say("Another change is under way: undo again once it is done.")

    def _undone(self, applied: Applied) -> None:
        outcome = applied.outcomes[0]
        if outcome.status != "applied":
            self._say(_refusal(outcome))
            return
        self._undo = {k: v for k, v in self._undo.items() if k[1] != outcome.fix.check}
        self._remember(outcome, undoing=self._undoing)
        self._after(applied, "Undone: " + _changed_line(outcome, undo=True))

    def _remember(self, outcome: FixOutcome, *, undoing: str = "") -> None:
        """Keep what an applied fix or undo changed for the ticket note: the rows the case
        history recorded, or, when it could not, the same fields from the outcome."""
        from assistant.store.call_changes import unrecorded

        recorded = self._log.recorded if self._log is not None else []
        if not recorded:
            batch = [c for c in self._made if undoing and undoing in (c.change_uid, c.batch_uid)]
            recorded = unrecorded(self._account(), outcome, batch)
        self._made += recorded
        self._log = None

    def _after(self, applied: Applied, line: str) -> None:
        """The diagnosis run again after a change: on screen, in the history, and planned anew."""
        if applied.after is not None:
            self._raw = applied.after
            self._show_outcome(applied.after)
        outcome = applied.outcomes[0]
        if outcome.record_problem:
            line += " " + outcome.record_problem
        self._say(line)
        if applied.after is not None:  # saved off the Qt thread; a failure is added to the line
            self._history.save(applied.after.diagnosis, said=line)
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

    def _practice_save(self, mode: str) -> None:
        """Practice only: the practice server saves the portal settings as the owner would in the
        Dashboard, then the wait (started if need be) finds the default configuration."""
        if self._practice is None or not self._practice.active or not self._practice.save_portal_settings(mode):
            if self.dialog is not None:
                self.dialog.show_error("Only a practice account can save for the owner; ask the owner to save.")
            return
        self._say(f"The practice server saved the {mode} mode portal settings, as the owner would in the Dashboard.")
        if not self._fixes.waiting:
            self._wait()

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


def _fingerprint(fix: Fix) -> str:
    """The requests a fix sends: an Apply pressed again for the same requests re-sends the same
    idempotency key; different requests (another URL typed) are a new attempt with a new key."""
    return json.dumps([fix.id, [r.to_dict() for r in fix.requests]], sort_keys=True, default=str)


def _changed_line(outcome: FixOutcome, *, undo: bool = False) -> str:
    """"Changed Default redirect link: (none) → https://… (test mode). Undo is on the card." (the
    object's id is in the preview, the history and the line's tooltip)."""
    from assistant.diagnosis.fixes.display import change_line

    parts = [change_line(c, outcome.fix.names) for c in outcome.changes]
    took = "" if not outcome.mismatches else " It did not take effect: run the checks again."
    tail = "" if undo or not outcome.change_id else " Undo is on the card."
    lost = f"{outcome.lost_sentence} " if outcome.answer_lost else ""
    return shown_text(lost + "Changed " + "; ".join(parts) + f" ({outcome.fix.mode} mode)." + took + tail)

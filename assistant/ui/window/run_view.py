"""How a run shows in the window: the checklist, the status line, the toolbar, the window state.

The RunController says what happens (started, requests made, finished, failed, cancelled);
this puts it on screen and into the window state, which the pages follow, and saves a finished
run in the case history. The run's summary (`diagnosis/summary.py`) goes on the status line,
and a finished run is handed to `finished` so the window can open the first failing step. The
history keeper saves the run on its worker thread and adds to the status line what became of it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QWidget

from assistant.diagnosis.asks.model import ACCEPTED
from assistant.diagnosis.summary import RunSummary, summarise
from assistant.knowledge import checklist
from assistant.report.asked import asked_in, asks_news, headline_with_asks, outcomes, to_do_title
from assistant.ui.history.keeper import HistoryKeeper
from assistant.ui.pages.connect import ConnectPage
from assistant.ui.state.run_controller import RunController
from assistant.ui.state.window_state import WindowState
from assistant.ui.window.sidebar import CANCELLED, NOT_RUN, RUNNING, ChecklistSidebar

if TYPE_CHECKING:
    from assistant.diagnosis.model import Diagnosis
    from assistant.diagnosis.run import RunOutcome


def requests_text(count: int) -> str:
    return f"{count} request" if count == 1 else f"{count} requests"


class RunView(QObject):
    shown = Signal(object)  # RunOutcome | None, once the checklist and the visible page have it

    def __init__(self, controller: RunController, state: WindowState, sidebar: ChecklistSidebar,
                 connect_page: ConnectPage, history: HistoryKeeper, *, run: QAction, cancel: QAction,
                 activity: QLabel, busy_bar: QWidget, identity_changed: Callable[[], None],
                 summary: Callable[[str], None] = lambda _line: None,
                 finished: Callable[[RunSummary], None] = lambda _summary: None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._c, self._state, self._sidebar = controller, state, sidebar
        self._connect, self._history = connect_page, history
        self._run, self._cancel, self._activity, self._busy_bar = run, cancel, activity, busy_bar
        self._identity_changed = identity_changed
        self._summary, self._after_run = summary, finished
        controller.started.connect(self._started)
        controller.finished.connect(self._finished)
        controller.failed.connect(self._failed)
        controller.cancelled.connect(self._cancelled)
        controller.busy_changed.connect(self._busy)
        controller.activity.connect(self._requests)
        # Whose results are shown: a fingerprint of the keys a run was asked with, so a new key
        # clears what belonged to the old one the moment it is typed or pasted.
        self._asked_for = b""
        self._shown_for = b""
        connect_page.key_edited.connect(self._keys_edited)
        state.asks_changed.connect(self._asks_changed)

    def show(self, outcome: RunOutcome | None) -> None:
        """Checklist at once; the pages take it from the state (the visible one at once)."""
        if outcome is None:
            self._sidebar.set_all(NOT_RUN)
        else:
            self._show_checklist(outcome.diagnosis)
        self._state.set_outcome(outcome)
        self._summary(self._line(outcome.diagnosis) if outcome is not None else "")
        self._identity_changed()
        self.shown.emit(outcome)

    def _line(self, diagnosis: Diagnosis) -> str:
        """The run's summary for the status line, with what Stripe refused when asked: the same
        verdict as the Report step's headline and the note's, never "No problems" alone."""
        summary = summarise(diagnosis)
        headline = headline_with_asks(summary.headline, asked_in(self._state.asks.run))
        return f"{headline} — {summary.read_out}" if summary.read_out else headline

    def _asks_changed(self, _asks: object) -> None:
        outcome = self._state.outcome
        if outcome is not None and not self._c.busy:
            self._show_checklist(outcome.diagnosis)
            self._summary(self._line(outcome.diagnosis))

    def _show_checklist(self, diagnosis: Diagnosis) -> None:
        """The steps as the run found them and, once Stripe refused a flow when asked, that news
        on the Customer step (where it was asked) and the Report step (which speaks for all)."""
        self._sidebar.show_diagnosis(diagnosis)
        asked = asked_in(self._state.asks.run)
        news = asks_news(outcomes(asked))
        if not news:
            return
        detail = "\n".join(to_do_title(a) for a in asked if a.outcome != ACCEPTED)
        step_ids = [s.id for s in checklist.steps()]
        if "customer" in step_ids:
            self._sidebar.add_news(step_ids.index("customer"), news, detail)
        self._sidebar.add_news(self._sidebar.count() - 1, news, detail)

    @property
    def shows_current_keys(self) -> bool:
        """Whether the results shown (if any) were read with the keys now in the fields."""
        return self._state.outcome is None or self._shown_for == self._fingerprint()

    def _fingerprint(self) -> bytes:
        key, second = self._connect.key(), self._connect.second_key() or ""
        return hashlib.blake2b(f"{key}\n{second}".encode(), digest_size=16).digest()

    def _keys_edited(self) -> None:
        """Another key: a run in flight for the old one stops, and its results go."""
        if self._c.busy and self._asked_for != self._fingerprint():
            self._c.cancel()
        if self._state.outcome is not None and not self.shows_current_keys:
            self.show(None)
            self._state.set_portal_link(None)
            self._activity.setText("Cleared the results of the previous key.")

    def _started(self) -> None:
        self._asked_for = self._fingerprint()
        self._sidebar.set_all(RUNNING)
        self._summary("")
        self._activity.setText("Reading Stripe… 0 requests")

    def _busy(self, busy: bool) -> None:
        self._run.setEnabled(not busy)
        self._cancel.setEnabled(busy)
        self._busy_bar.setVisible(busy)
        self._state.set_busy(busy)

    def _requests(self, count: int) -> None:
        if self._c.busy:
            self._activity.setText(f"Reading Stripe… {requests_text(count)}")

    def _finished(self, outcome: RunOutcome) -> None:
        from assistant.ui.state.display import outcome_for_display

        outcome = outcome_for_display(outcome)  # account data made safe to draw
        self._shown_for = self._asked_for
        self.show(outcome)
        count = outcome.diagnosis.request_count or self._c.request_count
        # The verdict is the diagnosis's own rule (the CLI's exit status), said by the summary.
        line = f"Done in {self._c.elapsed:.1f} s, {requests_text(count)}."
        self._activity.setText(line)
        self._history.save(outcome.diagnosis, said=line)  # off the Qt thread; it adds what became of it
        self._after_run(summarise(outcome.diagnosis))

    def _failed(self, message: str) -> None:
        self._restore(cancelled=False)
        self._connect.show_failure(message)
        self._activity.setText(f"Stopped: {message}")

    def _cancelled(self) -> None:
        self._restore(cancelled=True)
        self._connect.show_cancelled(self._state.outcome is not None)
        self._activity.setText(
            f"Cancelled after {self._c.elapsed:.1f} s, {requests_text(self._c.request_count)}")

    def _restore(self, cancelled: bool) -> None:
        """After a run that did not finish, show the previous results, or say why there are none."""
        outcome = self._state.outcome
        if outcome is not None:
            self._show_checklist(outcome.diagnosis)
            self._summary(self._line(outcome.diagnosis))
        else:
            self._sidebar.set_all(CANCELLED if cancelled else NOT_RUN)

"""Starting runs, and where the window goes when one ends (issue #13).

Every way of asking for the checks ends here: Run all checks (Ctrl+R, F5), Connect's Check
button, a step's "Check again", a whole key pasted into the key field. When a run ends, the
first step with a problem opens (else a warning; else the Report, to copy it), unless the run
was a step's "Check again" (its answer is wanted on that step) or the agent is typing in a
text field elsewhere, where a page change would take the cursor away.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from assistant.ui.fix.controller import FixController
from assistant.ui.pages.connect import ConnectPage
from assistant.ui.state.run_controller import RunController
from assistant.ui.state.window_state import WindowState
from assistant.ui.window.pasted_key import PastedKeyRun

if TYPE_CHECKING:
    from assistant.diagnosis.run import DiagnosisRequest, RunOutcome
    from assistant.diagnosis.summary import RunSummary


class RunCommands:
    """`run_all` starts the read-only checks; `open_first_problem` follows a finished run."""

    def __init__(self, runs: RunController, fixes: FixController, state: WindowState, connect: ConnectPage, *,
                 go_to_step: Callable[[str], None], clear_message: Callable[[], None], parent: QObject) -> None:
        self._runs, self._fixes, self._state, self._connect = runs, fixes, state, connect
        self._go_to_step, self._clear_message = go_to_step, clear_message
        self._keep_page = False  # the run in flight was a step's "Check again"
        self.pasted_key = PastedKeyRun(connect.key_field, runs, self.run_all, parent=parent)

    def request(self) -> DiagnosisRequest:
        """The key(s) from Connect; customer, return URL, notes and ticket from the window state."""
        from assistant.diagnosis.run import DiagnosisRequest

        inputs = self._state.inputs
        return DiagnosisRequest(
            key=self._connect.key(), second_key=self._connect.second_key(),
            return_url=inputs.return_url or None, customer=inputs.customer or None,
            notes=inputs.notes, ticket=inputs.ticket,
            connected_account=inputs.connected_account.strip() or None,
        )

    def run_all(self, *, keep_page: bool = False) -> bool:
        """Every check, read-only; when it ends the first failing step opens (`keep_page`: the
        page on screen stays, for a step's own "Check again")."""
        if self._runs.busy or self._fixes.busy:
            return False
        if not self._connect.key():
            self._go_to_step("connect")
            self._connect.show_failure("Paste the customer's key first, or open a practice account.")
            self._connect.key_field.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        problem = self._connect.connected_account_problem()
        if problem:
            self._go_to_step("connect")
            self._connect.show_failure(problem)
            self._connect.connected_field.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        self._clear_message()
        self.pasted_key.forget()  # this run is the one a paste would have started
        started = self._runs.start(self.request())
        if started:
            self._keep_page = keep_page
        return started

    def open_first_problem(self, summary: RunSummary) -> None:
        """Open the first step with a problem (else a warning; else the Report, to copy it),
        unless the run was a step's "Check again" or the agent is typing elsewhere."""
        keep, self._keep_page = self._keep_page, False
        if keep or typing_elsewhere(self._connect):
            return
        step = step_to_open(summary, self._state.outcome)
        if step is not None:
            self._go_to_step(step)

    # Slots return None: a slot's return value is never read, and PySide mishandles bools there.
    def run_requested(self, *_args: object) -> None:
        self.run_all()

    def check_again_requested(self, *_args: object) -> None:
        self.run_all(keep_page=True)  # "Check again" on a step: its answer is wanted there


def typing_elsewhere(keys: QWidget) -> bool:
    """Whether focus is in a text field outside `keys` (the Connect page): the glossary's search,
    the notes… Then a finished run must not take the page or the cursor away."""
    widget = QApplication.focusWidget()
    if widget is None or keys.isAncestorOf(widget):
        return False
    if isinstance(widget, QLineEdit | QAbstractSpinBox):
        return not (widget.isReadOnly() if isinstance(widget, QLineEdit) else widget.isReadOnly())
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return not widget.isReadOnly()
    return False


def step_to_open(summary: RunSummary, outcome: RunOutcome | None) -> str | None:
    """The first step with a problem (else a warning); when all is clear, the Report, to copy it.
    None when there is nothing to open (Stripe could not be reached)."""
    if summary.first_step is not None:
        return summary.first_step
    if summary.headline and outcome is not None and not outcome.diagnosis.fatal:
        return "report"
    return None

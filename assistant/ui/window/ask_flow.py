"""Ask Stripe from the customer page: what the customer sees, follows each run; the asks go when
the agent presses Ask Stripe (live mode: only once the account is typed, as a live fix asks).

The portal view is the core's (`asks.plan.customer_view`) from the run on screen; the asks are
planned from the run as Stripe answered it and sent off the Qt thread (`AskController`); the
answers go to the page, the report (through the window state) and the case history (recorded on
the worker, then delivered to the team in the background). No session URL ever reaches the
window: the gateway drops it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from assistant.account.keys import is_live
from assistant.ui.fix.dialog import confirms
from assistant.ui.state.ask_controller import AskController
from assistant.ui.state.display import shown_text
from assistant.ui.state.run_controller import RunController
from assistant.ui.state.window_state import AskState, WindowState

if TYPE_CHECKING:
    from assistant.diagnosis.asks.model import AskRun
    from assistant.diagnosis.model import AccountInfo
    from assistant.diagnosis.run import RunOutcome
    from assistant.store.case_history import CaseHistory

log = logging.getLogger(__name__)

RUN_FIRST = "Run the checks and find the customer first: the asks are planned from what they read."
NOT_ASKED = "Stripe was not asked: the live account was not confirmed."


class History(Protocol):
    """What this needs of the window's HistoryKeeper."""

    last_run_uid: str | None

    @property
    def store(self) -> CaseHistory: ...
    def deliver_in_background(self) -> None: ...


class AskConfirm(QDialog):
    """Live mode: the account's id or name typed before real portal sessions are created."""

    def __init__(self, account: AccountInfo | None, customer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("askConfirm")
        self.setWindowTitle("Ask Stripe in live mode?")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._account = account
        name = f" or its name ({account.name})" if account is not None and account.name else ""
        who = account.id if account is not None else "the account (its id could not be read with this key)"
        text = QLabel(shown_text(
            f"Asking Stripe in LIVE mode creates one real portal session per flow for {customer} (none is opened, "
            f"no link is kept; each sends billing_portal.session.created to the owner's endpoints). To confirm, "
            f"type the account's id ({who}){name}:"))
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        self.field = QLineEdit()
        self.field.setObjectName("askLiveConfirm")
        self.field.setAccessibleName("Account id or name, to confirm asking in live mode")
        self.buttons = QDialogButtonBox()
        self.ask_button = self.buttons.addButton("Ask Stripe", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.field.textChanged.connect(lambda _t: self.ask_button.setEnabled(self.confirmed))
        self.ask_button.setEnabled(False)
        layout = QVBoxLayout(self)
        for widget in (text, self.field, self.buttons):
            layout.addWidget(widget)

    @property
    def confirmed(self) -> bool:
        return confirms(self.field.text(), self._account)

    def _accept(self) -> None:
        if self.confirmed:
            self.accept()


class AskFlow(QObject):
    dialog_opened = Signal(object)  # the AskConfirm, for tests and screenshots

    def __init__(self, window: QWidget, state: WindowState, runs: RunController, history: History,
                 say: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window, self._state, self._runs, self._history, self._say = window, state, runs, history, say
        self.controller = AskController(runs, parent=self)
        self._raw: RunOutcome | None = None  # the last run as Stripe answered it
        runs.finished.connect(self._run_finished)
        state.outcome_changed.connect(self._outcome_changed)
        state.ask_requested.connect(self.request)
        state.practice_changed.connect(self._account_replaced)
        self.controller.asked.connect(self._asked)
        self.controller.failed.connect(self._failed)
        self.controller.busy_changed.connect(self._busy)

    # -- the portal as the customer sees it follows the run on screen ---------------------------
    def _run_finished(self, outcome: RunOutcome) -> None:
        self._raw = outcome

    def _outcome_changed(self, outcome: RunOutcome | None) -> None:
        from assistant.diagnosis.asks.plan import customer_view

        view = customer_view(outcome.snapshot) if outcome is not None else None
        asks = self._state.asks
        run = asks.run
        account = outcome.diagnosis.account if outcome is not None else None
        chosen = outcome.snapshot.customer.chosen if outcome is not None and outcome.snapshot.customer else None
        if run is not None and (account is None or run.account_id != account.id
                                or str((chosen or {}).get("id") or "") != run.customer_id):
            run = None  # the answers were about another account, or another customer
        self._state.set_asks(AskState(view, run, asks.busy, asks.said if run is not None else ""))

    def _account_replaced(self, *_args: object) -> None:
        self._raw = None
        self._state.set_asks(AskState(self._state.asks.view))

    # -- Ask Stripe ----------------------------------------------------------------------------
    def _sendable(self) -> RunOutcome | None:
        """The run on screen as Stripe answered it (the ids the asks send are read from it)."""
        shown = self._state.outcome
        if shown is None:
            return None
        raw = self._raw
        if raw is not None and raw.diagnosis.generated_at == shown.diagnosis.generated_at:
            return raw
        return shown  # checked again after a fix: ids are the same in the display-safe copy

    def request(self, *_args: object) -> None:
        from assistant.diagnosis.checks.customer import chosen_customer
        from assistant.diagnosis.checks.facts import object_id

        request, outcome = self._runs.request, self._sendable()
        if self._runs.busy or self.controller.busy:
            return
        customer = chosen_customer(outcome.snapshot) if outcome is not None else None
        if request is None or outcome is None or customer is None:
            self._tell(RUN_FIRST)
            return
        customer_id = object_id(customer)
        if not is_live(outcome.diagnosis.mode):
            self._go(outcome, customer_id)
            return
        dialog = AskConfirm(outcome.diagnosis.account, customer_id, self._window)
        dialog.accepted.connect(lambda: self._go(outcome, customer_id))
        dialog.rejected.connect(lambda: self._tell(NOT_ASKED))
        dialog.open()
        self.dialog_opened.emit(dialog)

    def _go(self, outcome: RunOutcome, customer_id: str) -> None:
        from assistant.diagnosis.asks.model import AskInputs
        from assistant.store.ask_log import AskLog

        request = self._runs.request
        if request is None:
            return
        inputs = AskInputs(customer=customer_id, return_url=self._state.inputs.return_url or request.return_url)
        run_uid, ticket, history = self._history.last_run_uid, self._state.inputs.ticket, self._history

        def recorder() -> Any:  # on the worker: the history may still be opening
            return AskLog(history.store, run_uid=run_uid, ticket=ticket)

        if not self.controller.ask(request, outcome, inputs, recorder):
            self._tell("Stripe is being asked already: wait for its answers.")

    def _busy(self, busy: bool) -> None:
        asks = self._state.asks
        self._state.set_asks(AskState(asks.view, asks.run, busy, "Asking Stripe…" if busy else asks.said))

    def _asked(self, run: AskRun) -> None:
        from assistant.report.asked import sessions_line

        counts = {o: sum(1 for r in run.results if r.outcome == o) for o in ("accepted", "refused", "error")}
        flows = "1 flow" if len(run.results) == 1 else f"{len(run.results)} flows"
        tally = (f"Stripe was asked about {flows}: {counts['accepted']} open, {counts['refused']} refused, "
                 f"{counts['error']} not answered.")
        line = f"{tally} {sessions_line(run.sessions_created)}"
        if run.record_problem:
            line += f" {run.record_problem}"
        self._state.set_asks(AskState(self._state.asks.view, run, False, shown_text(line)))
        # The status line has room for the tally; the page above the rows says the rest.
        self._say(shown_text(f"{tally} {run.record_problem}" if run.record_problem else tally))
        self._history.deliver_in_background()

    def _failed(self, message: str) -> None:
        self._tell(message)

    def _tell(self, line: str) -> None:
        asks = self._state.asks
        self._state.set_asks(AskState(asks.view, asks.run, self.controller.busy, shown_text(line)))
        self._say(shown_text(line))

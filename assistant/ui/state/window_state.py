"""What the window's parts share, in one object: the pages subscribe to it when they are built.

The window owns one WindowState. It holds what every page may show (the last run's outcome,
whether Stripe work is in flight, the practice account, the portal link, what the agent typed
for the next run) and says by signal when any of it changes. A page built late reads the
current state as it attaches, so the window never replays state into pages and never asks a
page what it holds; pages ask the window for work through its request methods.

No Stripe here and nothing slow: setters only store and signal. (Not called a session: in this
app a session is a Stripe portal session.)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from assistant.diagnosis.asks.model import AskRun
    from assistant.diagnosis.asks.portal_view import PortalView
    from assistant.diagnosis.run import RunOutcome
    from assistant.ui.state.fix_state import FixState


@dataclass(frozen=True)
class PracticeAccount:
    """A practice account the window is serving: its title and the values it comes with."""

    name: str
    title: str
    customer: str | None = None
    return_url: str | None = None
    connected_account: str | None = None


@dataclass(frozen=True)
class PortalLink:
    """A portal session link Stripe created for a customer, and when (time.time()): it dies
    unused after 5 minutes."""

    url: str
    created_at: float
    customer_id: str = ""


@dataclass(frozen=True)
class PortalRefusal:
    """Why "Open customer portal" got no session, for the customer page: `said` in the owner's
    words (the summary of the finding the refusal matches, else one plain line), `stripe` what
    Stripe said (plain text, "" when the refusal was not Stripe's), and `step_id` the step that
    explains it ("" when no finding matched)."""

    said: str
    stripe: str = ""
    step_id: str = ""


@dataclass(frozen=True)
class AskState:
    """The customer page's Ask Stripe: what the customer sees (from the last run), the last asks'
    answers (None until Stripe was asked on this account), whether asks are on their way, and
    one line about the last attempt (why nothing was sent, or what was)."""

    view: PortalView | None = None
    run: AskRun | None = None
    busy: bool = False
    said: str = ""


@dataclass(frozen=True)
class Inputs:
    """What the agent typed on the pages that goes into the next run and the report."""

    customer: str = ""
    return_url: str = ""
    notes: str = ""
    ticket: str = ""
    connected_account: str = ""  # acct_… of a connected account every request acts as (Connect)


class WindowState(QObject):
    """Signals carry the new value; the same value is also readable as a property."""

    outcome_changed = Signal(object)  # RunOutcome | None: a run finished, or results were cleared
    busy_changed = Signal(bool)  # Stripe work started or ended: pages disable what would start more
    practice_changed = Signal(object)  # PracticeAccount | None
    portal_link_changed = Signal(object)  # PortalLink | None
    portal_refusal_changed = Signal(object)  # PortalRefusal | None: why the last portal did not open
    inputs_changed = Signal(object)  # Inputs: a page (or a practice account) changed a value
    fixes_changed = Signal(object)  # FixState | None: the fixes the cards offer, and what can be undone
    asks_changed = Signal(object)  # AskState: what the customer sees, and what Stripe said when asked

    # Requests from the pages; the window does the work.
    run_requested = Signal(str)  # the step asking (every check runs)
    portal_requested = Signal(str)  # customer id: create a portal session (live: confirmed first)
    url_requested = Signal(str)  # an https link to open in the browser
    glossary_requested = Signal(str)  # a term, or "trouble:<id>", or a check id
    notes_committed = Signal()  # the report was copied or saved: keep the notes with the run
    fix_requested = Signal(str)  # check id: preview its fix (Fix… on a card)
    step_requested = Signal(str)  # step id: show that step (a page's "Go to step …")
    undo_requested = Signal(str)  # change id: put back what a fix changed (Undo on a card)
    ask_requested = Signal()  # Ask Stripe on the customer page (live: the account typed first)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._outcome: RunOutcome | None = None
        self._busy = False
        self._practice: PracticeAccount | None = None
        self._portal_link: PortalLink | None = None
        self._portal_refusal: PortalRefusal | None = None
        self._inputs = Inputs()
        self._fixes: FixState | None = None
        self._asks = AskState()

    # -- state ---------------------------------------------------------------------------------
    @property
    def outcome(self) -> RunOutcome | None:
        return self._outcome

    def set_outcome(self, outcome: RunOutcome | None) -> None:
        """Always signals: a second run with equal results is still news to the pages."""
        self._outcome = outcome
        self.outcome_changed.emit(outcome)

    @property
    def mode(self) -> str | None:
        return self._outcome.diagnosis.mode if self._outcome else None

    @property
    def busy(self) -> bool:
        return self._busy

    def set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)

    @property
    def practice(self) -> PracticeAccount | None:
        return self._practice

    def set_practice(self, account: PracticeAccount | None) -> None:
        """A practice account brings its customer, return URL and connected account (leaving one
        keeps them)."""
        self._practice = account
        if account is not None:
            self.update_inputs(customer=account.customer or "", return_url=account.return_url or "",
                               connected_account=account.connected_account or "")
        self.practice_changed.emit(account)

    @property
    def portal_link(self) -> PortalLink | None:
        return self._portal_link

    def set_portal_link(self, link: PortalLink | None) -> None:
        self._portal_link = link
        self.portal_link_changed.emit(link)

    @property
    def portal_refusal(self) -> PortalRefusal | None:
        return self._portal_refusal

    def set_portal_refusal(self, refusal: PortalRefusal | None) -> None:
        if refusal != self._portal_refusal:
            self._portal_refusal = refusal
            self.portal_refusal_changed.emit(refusal)

    @property
    def inputs(self) -> Inputs:
        return self._inputs

    def update_inputs(self, **changes: str) -> None:
        """Change some inputs (customer, return_url, notes, ticket, connected_account); signals
        only on a change."""
        updated = replace(self._inputs, **changes)
        if updated != self._inputs:
            self._inputs = updated
            self.inputs_changed.emit(updated)

    @property
    def fixes(self) -> FixState | None:
        return self._fixes

    def set_fixes(self, fixes: FixState | None) -> None:
        self._fixes = fixes
        self.fixes_changed.emit(fixes)

    @property
    def asks(self) -> AskState:
        return self._asks

    def set_asks(self, asks: AskState) -> None:
        self._asks = asks
        self.asks_changed.emit(asks)

    # -- requests (slots for the pages' own signals) --------------------------------------------
    def request_run(self, step_id: str = "") -> None:
        self.run_requested.emit(step_id)

    def request_portal(self, customer_id: str) -> None:
        self.portal_requested.emit(customer_id)

    def request_url(self, url: str) -> None:
        self.url_requested.emit(url)

    def request_glossary(self, ref: str) -> None:
        self.glossary_requested.emit(ref)

    def commit_notes(self, *_args: object) -> None:
        self.notes_committed.emit()

    def request_fix(self, check_id: str) -> None:
        self.fix_requested.emit(check_id)

    def request_undo(self, change_id: str) -> None:
        self.undo_requested.emit(change_id)

    def request_step(self, step_id: str) -> None:
        self.step_requested.emit(step_id)

    def request_ask(self, *_args: object) -> None:
        self.ask_requested.emit()

"""Opening a customer's portal: the app's one write. Live mode asks the agent first, by name.

When the portal does not open, the customer page says why (`PortalRefusal`): Stripe's refusal
is matched to the finding of the last run that predicts it (no default configuration, no return
URL it accepts), whose summary is the sentence the agent reads out; Stripe's own text goes
under it, and the page offers the step that explains it. The status line keeps the mode and
the account: a refusal is never cut into it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtWidgets import QMainWindow

from assistant.account.errors import StripeErrorInfo
from assistant.account.keys import classify_key
from assistant.diagnosis.checks.customer import NAMING_A_CUSTOMER
from assistant.diagnosis.checks.return_url import SESSION_REFUSALS
from assistant.diagnosis.model import Diagnosis
from assistant.knowledge import checklist
from assistant.report.stripe_said import stripe_said
from assistant.ui.kit.plain import QUESTION_NAME_CHARS, shortened
from assistant.ui.state.run_controller import RunController
from assistant.ui.state.window_state import PortalLink, PortalRefusal, WindowState
from assistant.ui.window.support import Confirmer

log = logging.getLogger(__name__)

REFUSED = "Stripe refused to open the portal. Run the checks again to see what changed since the last run."


def stripe_text(err: StripeErrorInfo) -> str:
    """Stripe's words, then its code, parameter and request id, one per line (plain text)."""
    return "\n".join(f.value if f.label == "Message" else f"{f.label}: {f.value}" for f in stripe_said(err))


def explain_refusal(diagnosis: Diagnosis | None, message: str, err: StripeErrorInfo | None) -> PortalRefusal:
    """The finding of the last run that predicts the refusal (checklist order), in its words."""
    if err is None:
        return PortalRefusal(message)
    for result in diagnosis.checks if diagnosis is not None else ():
        head = result.headline
        if head is not None and head.code in SESSION_REFUSALS and head.status.is_problem:
            return PortalRefusal(result.summary, stripe_text(err), checklist.step_of(result.id))
    return PortalRefusal(REFUSED, stripe_text(err))


class PortalFlow:
    """From a page's request to a link in the browser and on the customer page."""

    def __init__(self, window: QMainWindow, state: WindowState, controller: RunController,
                 confirm: Confirmer, open_url: Callable[[str], bool], say: Callable[[str], None]) -> None:
        self._window = window
        self._state = state
        self._controller = controller
        self._confirm = confirm
        self._open_url = open_url
        self._say = say
        self._customer_id = ""  # whose session is being created
        state.portal_requested.connect(self.request)
        state.outcome_changed.connect(self._forget_refusal)
        controller.portal_ready.connect(self._ready)
        controller.portal_failed.connect(self._failed)

    def request(self, customer_id: str, return_url: str | None = None) -> None:
        """Open a real portal session; in live mode only after the agent confirms by name."""
        self._state.set_portal_refusal(None)
        request = self._controller.request
        if request is None or self._state.outcome is None:
            self._failed("Run the checks first, then open the portal.")
            return
        return_url = return_url or request.return_url
        self._customer_id = customer_id
        if not classify_key(request.key).live:
            self._controller.open_portal(customer_id, return_url, live=False)
            return
        name = self.customer_name(customer_id)
        who = f"{shortened(name, QUESTION_NAME_CHARS)} ({customer_id})" if name else customer_id
        text = f"Open the LIVE portal for {who}? This creates a real portal session."

        def done(ok: bool) -> None:
            if ok:
                self._controller.open_portal(customer_id, return_url, live=True)
            else:
                self._say("Live portal not opened.")

        self._confirm(self._window, text, done)

    def customer_name(self, customer_id: str) -> str | None:
        """The name (else e-mail) the customer checks found for this id."""
        outcome = self._state.outcome
        for finding in outcome.diagnosis.findings_with(*NAMING_A_CUSTOMER) if outcome else []:
            if finding.concerns(customer_id):
                for fact in ("name", "email"):
                    value = finding.text(fact)
                    if value and value != "—":
                        return value
        return None

    def _ready(self, url: str) -> None:
        self._state.set_portal_refusal(None)
        if self._open_url(url):  # otherwise the opener has said that the link is copied
            self._say("The customer portal opened in the browser.")
        self._state.set_portal_link(PortalLink(url, time.time(), self._customer_id))

    def _failed(self, message: str, err: StripeErrorInfo | None = None) -> None:
        outcome = self._state.outcome
        self._state.set_portal_refusal(explain_refusal(outcome.diagnosis if outcome else None, message, err))

    def _forget_refusal(self, *_args: object) -> None:
        """A new run (or none): the refusal belonged to the results before it."""
        self._state.set_portal_refusal(None)

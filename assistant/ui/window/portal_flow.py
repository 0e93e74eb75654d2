"""Opening a customer's portal: the app's one write. Live mode asks the agent first, by name."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtWidgets import QMainWindow

from assistant.account.keys import classify_key
from assistant.diagnosis.checks.customer import NAMING_A_CUSTOMER
from assistant.ui.kit.plain import QUESTION_NAME_CHARS, shortened
from assistant.ui.state.run_controller import RunController
from assistant.ui.state.window_state import PortalLink, WindowState
from assistant.ui.window.support import Confirmer

log = logging.getLogger(__name__)


class PortalFlow:
    """From a page's request to a link in the browser and on the customer page."""

    def __init__(self, window: QMainWindow, state: WindowState, controller: RunController,
                 confirm: Confirmer, open_url: Callable[[str], bool]) -> None:
        self._window = window
        self._state = state
        self._controller = controller
        self._confirm = confirm
        self._open_url = open_url
        self._customer_id = ""  # whose session is being created
        state.portal_requested.connect(self.request)
        controller.portal_ready.connect(self._ready)
        controller.portal_failed.connect(self._failed)

    def request(self, customer_id: str, return_url: str | None = None) -> None:
        """Open a real portal session; in live mode only after the agent confirms by name."""
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
                self._window.statusBar().showMessage("Live portal not opened.", 5000)

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
        opened = self._open_url(url)
        text = "The customer portal opened in the browser." if opened else \
            "The portal session was created, but no browser could be opened."
        self._window.statusBar().showMessage(text, 8000)
        self._state.set_portal_link(PortalLink(url, time.time(), self._customer_id))

    def _failed(self, message: str) -> None:
        self._window.statusBar().showMessage(message, 8000)

"""Step "customer": find the owner's customer, see what their portal will offer, and hand over a link.

Two ways in: a portal session link (the window creates it; it dies 5 minutes after creation if
nobody opens it, so the page counts down) and the no-code login link, optionally with the
customer's e-mail already filled in. Beside them, what the customer sees in the portal and Ask
Stripe (`customer_asks.py`): Stripe's own verdict on each flow, next to what the checks expect.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from assistant.diagnosis.checks.customer import (
    CID_FOUND,
    CUSTOMER_NO_QUERY,
    chosen_email,
    chosen_id,
    match_rows,
)
from assistant.diagnosis.checks.messages import finding_label, label
from assistant.diagnosis.checks.portal import LOGIN_LINK_ON
from assistant.diagnosis.checks.subscriptions import CID as CID_SUBSCRIPTIONS
from assistant.diagnosis.checks.subscriptions import SUBSCRIPTIONS_NO_CONFIGURATION, subscription_rows
from assistant.diagnosis.model import CheckResult, Diagnosis, Status
from assistant.diagnosis.run import RunOutcome
from assistant.knowledge import checklist
from assistant.knowledge.base import KnowledgeBase
from assistant.knowledge.login_link import prefilled_login_url
from assistant.report.stripe_said import HEADING as STRIPE_SAID
from assistant.ui.kit import keys
from assistant.ui.kit.clipboard import Clipboard
from assistant.ui.kit.widgets import IconLabel
from assistant.ui.pages.common import (
    ResultsPage,
    configure_table,
    fit_table_height,
    heading,
    text_label,
)
from assistant.ui.pages.customer_asks import CustomerAsks
from assistant.ui.results.card import status_icon
from assistant.ui.state.window_state import AskState, Inputs, PortalLink, PortalRefusal, WindowState

SESSION_UNUSED_LIFETIME = 5 * 60  # seconds a portal session link lives if nobody opens it
LIFETIME_NOTE = ("Once opened, the link keeps working until 1 hour after the customer's last "
                 "activity, and 2 hours at most. Anyone with the link is logged in as this customer: "
                 "send it only to the owner.")
EXPIRED = "Expired — create a new one"
CHOSEN, NOT_CHOSEN = label("customer_marks", "chosen"), label("customer_marks", "not_chosen")


def chosen_mark(subs: CheckResult | None) -> tuple[str, Status]:
    """What "Portal opens for" says beside the chosen customer: "this one" (the icon is the
    tick), except while the portal cannot open for anyone (no default configuration: the
    subscriptions check could not judge it), when its own words say so, without a tick."""
    head = subs.headline if subs is not None else None
    if head is not None and head.code == SUBSCRIPTIONS_NO_CONFIGURATION:
        return finding_label(CID_SUBSCRIPTIONS, head) or CHOSEN, Status.SKIP
    return CHOSEN, Status.PASS


def countdown_text(created_at: float, now: float) -> str:
    """"Link expires if unused in 4:37", or EXPIRED once 5 minutes have passed."""
    remaining = int(created_at + SESSION_UNUSED_LIFETIME - now + 0.999)
    if remaining <= 0:
        return EXPIRED
    minutes, seconds = divmod(min(remaining, SESSION_UNUSED_LIFETIME), 60)
    return f"Link expires if unused in {minutes}:{seconds:02d}"


def _read_only(text: str = "") -> QLineEdit:
    field = QLineEdit(text)
    field.setReadOnly(True)
    return field


class CustomerPage(ResultsPage):
    """Search, matches, subscriptions, the portal session link with countdown, the login link."""

    step_id = "customer"
    rerun_label = "Find again"

    customer_changed = Signal(str)  # what the agent typed (stripped)
    open_portal_requested = Signal(str)  # customer id; the window confirms in live mode

    def __init__(
        self,
        knowledge: KnowledgeBase | None = None,
        clipboard: Clipboard | None = None,
        clock: Callable[[], float] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(knowledge, clipboard, parent)
        self._clock = clock or time.time
        self._customer_id: str | None = None
        self._link_url = ""
        self._link_created = 0.0
        self._login_url = ""
        self._asking = False
        search = self._build_search()
        self._build_tables()
        portal_row = self._build_portal_link()
        self._build_login_link()

        refusal = self._build_refusal()
        self.asks = CustomerAsks()
        self.asks.step_requested.connect(self._go_to_step)
        self.add_busy_widget(self.asks.ask_button)

        # Opening the portal is what the agent came for: keep it next to the search field.
        self.add_before_cards(search, portal_row, refusal, self._link_box)
        self.add_content(
            heading("Customers found"), self.matches_note, self.matches,
            heading("Subscriptions"), self.subs_note, self.subscriptions, self.asks,
            heading("No-code login link"), self.login_note, self._login_box,
        )
        self.body.addStretch(1)
        self.render_outcome(None)

    # -- building ------------------------------------------------------------------------------
    def _build_search(self) -> QHBoxLayout:
        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText("Customer e-mail, cus_ id or acct_ id")
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setAccessibleName("Customer e-mail or id")
        self.search_field.textChanged.connect(self._on_query_edited)
        self.search_field.returnPressed.connect(self.find_customer)
        self.find_button = QPushButton("Find")
        self.find_button.setDefault(True)
        self.find_button.clicked.connect(self.find_customer)
        self.add_busy_widget(self.find_button)
        search = QHBoxLayout()
        search.addWidget(QLabel("Customer:"))
        search.addWidget(self.search_field, 1)
        search.addWidget(self.find_button)
        return search

    def _build_tables(self) -> None:
        """The customers found and the chosen customer's subscriptions."""
        self.matches_note = text_label("")
        self.matches = QTableWidget(0, 5)
        self.matches.setHorizontalHeaderLabels(["Customer ID", "Name", "E-mail", "Created", "Portal opens for"])
        configure_table(self.matches)
        self.matches.setAccessibleName("Customers found")

        # subscriptions
        self.subs_note = text_label("")
        self.subscriptions = QTableWidget(0, 4)
        self.subscriptions.setHorizontalHeaderLabels(["Subscription", "Status", "Plans", "In the portal"])
        configure_table(self.subscriptions)
        self.subscriptions.setAccessibleName("The customer's subscriptions")

    def _build_portal_link(self) -> QHBoxLayout:
        """Open customer portal, and the portal session link it made with its countdown."""
        self.open_portal_button = QPushButton("Open customer portal")
        self.open_portal_button.setToolTip(keys.with_keys("Create a portal session link for this customer",
                                                          keys.OPEN_PORTAL))
        self.open_portal_button.clicked.connect(self._request_portal)
        self.add_busy_widget(self.open_portal_button)
        self.portal_link = _read_only()
        self.portal_link.setAccessibleName("Portal session link")
        self.copy_link_button = QPushButton("Copy link")
        self.copy_link_button.clicked.connect(self.copy_portal_link)
        self.open_link_button = QPushButton("Open link")
        self.connect_open(self.open_link_button, lambda: self._link_url if not self.link_expired() else None)
        self.countdown = text_label("", bold=True)
        self.countdown.setAccessibleName("Link expiry")
        self.lifetime_note = text_label(LIFETIME_NOTE)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.refresh_countdown)
        link_row = QHBoxLayout()
        link_row.addWidget(QLabel("Portal session link:"))
        link_row.addWidget(self.portal_link, 1)
        link_row.addWidget(self.copy_link_button)
        link_row.addWidget(self.open_link_button)
        self._link_box = QWidget()
        link_box = QVBoxLayout(self._link_box)
        link_box.setContentsMargins(0, 0, 0, 0)
        link_box.addLayout(link_row)
        link_box.addWidget(self.countdown)
        link_box.addWidget(self.lifetime_note)
        self._link_box.hide()
        portal_row = QHBoxLayout()
        portal_row.addWidget(self.open_portal_button)
        portal_row.addStretch(1)
        return portal_row

    def _build_refusal(self) -> QFrame:
        """Why the portal did not open: the matching finding's sentence (read out to the owner),
        Stripe's own words under it (plain text), and the step that explains it."""
        self.refusal_box = QFrame()
        self.refusal_box.setObjectName("portalRefusal")
        self.refusal_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.refusal_said = IconLabel("fail", "", wrap=True)
        self.refusal_said.setObjectName("portalRefusalSaid")
        big = QFont(self.refusal_said.text_label.font())
        if big.pointSizeF() > 0:
            big.setPointSizeF(big.pointSizeF() * 1.25)  # read aloud, like a card's summary
        self.refusal_said.text_label.setFont(big)
        self.refusal_heading = text_label(STRIPE_SAID, bold=True, selectable=False)
        self.refusal_stripe = text_label("")
        self.refusal_stripe.setAccessibleName("What Stripe said")
        self.refusal_step_button = QPushButton("")
        self.refusal_step_button.clicked.connect(self._go_to_refusal_step)
        self._refusal_step = ""
        step_row = QHBoxLayout()
        step_row.addWidget(self.refusal_step_button)
        step_row.addStretch(1)
        box = QVBoxLayout(self.refusal_box)
        for widget in (self.refusal_said, self.refusal_heading, self.refusal_stripe):
            box.addWidget(widget)
        box.addLayout(step_row)
        self.refusal_box.hide()
        return self.refusal_box

    def _build_login_link(self) -> None:
        """The no-code login link, and the same link with the customer's e-mail filled in."""
        self.login_note = text_label("")
        self.login_url = _read_only()
        self.login_url.setAccessibleName("No-code login link")
        self.login_email = QLineEdit()
        self.login_email.setPlaceholderText("customer@example.com (optional)")
        self.login_email.setAccessibleName("E-mail to fill in on the login page")
        self.login_email.textChanged.connect(self._update_login_link)
        self.prefilled_url = _read_only()
        self.prefilled_url.setAccessibleName("Login link with the e-mail filled in")
        self.copy_login_button = QPushButton("Copy")
        self.copy_login_button.setToolTip("Copy the login link with the e-mail filled in")
        self.copy_login_button.clicked.connect(self.copy_login_link)
        prefilled_row = QHBoxLayout()
        prefilled_row.addWidget(self.prefilled_url, 1)
        prefilled_row.addWidget(self.copy_login_button)
        self._login_box = QWidget()
        login_form = QFormLayout(self._login_box)
        login_form.setContentsMargins(0, 0, 0, 0)
        login_form.addRow("Login link:", self.login_url)
        login_form.addRow("Fill in e-mail:", self.login_email)
        login_form.addRow("Link to send:", prefilled_row)

    # -- public API ----------------------------------------------------------------------------
    def customer_query(self) -> str:
        return self.search_field.text().strip()

    def set_customer_query(self, query: str) -> None:
        self.search_field.setText(query)

    def customer_id(self) -> str | None:
        """The customer the portal would open for, after the last run."""
        return self._customer_id

    def find_customer(self) -> None:
        if self.find_button.isEnabled():
            self.rerun_requested.emit(self.step_id)

    def show_portal_link(self, url: str, created_at: float) -> None:
        """Show a fresh portal session link and start its countdown."""
        self._link_url = url
        self._link_created = created_at
        self.portal_link.setText(url)
        self.portal_link.setCursorPosition(0)
        self._link_box.show()
        self.open_portal_button.setText("Create a new portal link")
        self._timer.start()
        self.refresh_countdown()

    def clear_portal_link(self) -> None:
        self._timer.stop()
        self._link_url = ""
        self.portal_link.clear()
        self.countdown.clear()
        self._link_box.hide()
        self.open_portal_button.setText("Open customer portal")

    def link_expired(self) -> bool:
        return not self._link_url or countdown_text(self._link_created, self._clock()) == EXPIRED

    def countdown_text(self) -> str:
        return self.countdown.text()

    def refresh_countdown(self) -> None:
        if not self._link_url:
            return
        text = countdown_text(self._link_created, self._clock())
        self.countdown.setText(text)
        expired = text == EXPIRED
        self.copy_link_button.setEnabled(not expired)
        self.open_link_button.setEnabled(not expired)
        if expired:
            self.portal_link.setText("(expired link removed)")
            self._timer.stop()

    def copy_portal_link(self) -> None:
        if not self.link_expired():
            self.clipboard().setText(self._link_url)

    def prefilled_login_link(self) -> str:
        return self.prefilled_url.text()

    def copy_login_link(self) -> None:
        if self.prefilled_url.text():
            self.clipboard().setText(self.prefilled_url.text())

    # -- StepPage ------------------------------------------------------------------------------
    def attach(self, state: WindowState) -> None:
        """Follow the window state's customer (a practice account brings one) and portal link; tell
        it what the agent types and which customer's portal to open."""
        self.customer_changed.connect(lambda text: state.update_inputs(customer=text))
        self.open_portal_requested.connect(state.request_portal)
        state.inputs_changed.connect(self._inputs_changed)
        state.portal_link_changed.connect(self._portal_link_changed)
        state.portal_refusal_changed.connect(self.show_refusal)
        state.asks_changed.connect(self.show_asks)
        self.asks.ask_requested.connect(state.request_ask)
        self._inputs_changed(state.inputs)
        super().attach(state)  # renders the outcome: who the portal is for
        self._portal_link_changed(state.portal_link)
        self.show_refusal(state.portal_refusal)
        self.show_asks(state.asks)

    def show_asks(self, asks: AskState) -> None:
        """What the customer sees, and what Stripe said when asked (its rows, or why not)."""
        self._asking = asks.busy
        self.asks.show_asks(asks)
        self.refresh_enabled()

    def show_refusal(self, refusal: PortalRefusal | None) -> None:
        """Why the last "Open customer portal" got no session (None: hide it)."""
        self.refusal_box.setVisible(refusal is not None)
        if refusal is None:
            return
        self.refusal_said.set("fail", refusal.said)
        self.refusal_stripe.setText(refusal.stripe)
        self.refusal_heading.setVisible(bool(refusal.stripe))
        self.refusal_stripe.setVisible(bool(refusal.stripe))
        self._refusal_step = refusal.step_id
        if refusal.step_id:
            number = checklist.step_ids().index(refusal.step_id) + 1
            self.refusal_step_button.setText(f"Go to step {number}, {checklist.step(refusal.step_id).title}")
        self.refusal_step_button.setVisible(bool(refusal.step_id))

    def _go_to_refusal_step(self) -> None:
        self._go_to_step(self._refusal_step)

    def _go_to_step(self, step_id: str) -> None:
        if step_id and self.state is not None:
            self.state.request_step(step_id)

    def _inputs_changed(self, inputs: Inputs) -> None:
        if inputs.customer != self.customer_query():
            self.search_field.blockSignals(True)
            self.search_field.setText(inputs.customer)
            self.search_field.blockSignals(False)

    def _portal_link_changed(self, link: PortalLink | None) -> None:
        """Show a link only for the customer on screen (a link is a login as that customer)."""
        if link is None or (link.customer_id and link.customer_id != self._customer_id):
            self.clear_portal_link()
        else:
            self.show_portal_link(link.url, link.created_at)

    def can_enable(self, widget: QWidget) -> bool:
        if widget is self.open_portal_button:
            return self._customer_id is not None
        if widget is self.asks.ask_button:
            return self._customer_id is not None and not self._asking
        return True

    def render_outcome(self, outcome: RunOutcome | None) -> None:
        """The check results of this step, as found: who the portal opens for, what it offers."""
        diagnosis = outcome.diagnosis if outcome else None
        found = diagnosis.check(CID_FOUND) if diagnosis else None
        subs = diagnosis.check(CID_SUBSCRIPTIONS) if diagnosis else None
        query = found.headline.text("query") if found and found.headline else ""
        if query and not self.search_field.text().strip():
            self.search_field.blockSignals(True)
            self.search_field.setText(query)
            self.search_field.blockSignals(False)
        new_id = chosen_id(found) if found else None
        if new_id != self._customer_id:
            self.clear_portal_link()
        self._customer_id = new_id
        self._fill_matches(found, subs)
        self._fill_subscriptions(subs)
        self._fill_login(diagnosis, chosen_email(found) if found else "")
        self.refresh_enabled()

    def _fill_matches(self, found: CheckResult | None, subs: CheckResult | None) -> None:
        self.matches.setRowCount(0)
        chosen, chosen_status = chosen_mark(subs)
        rows = match_rows(found) if found else []
        if found is None or (found.headline is not None and found.headline.code == CUSTOMER_NO_QUERY):
            self.matches_note.setText("Type the customer's e-mail, cus_ id or acct_ id (Accounts v2) and press Find.")
        elif len(rows) == 1 and found.status is Status.PASS:
            self.matches_note.setText("One customer found.")
        else:
            self.matches_note.setText(found.summary)
        self.matches.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = [row.customer_id, row.name, row.email, row.created, chosen if row.chosen else NOT_CHOSEN]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 4 and row.chosen:
                    item.setIcon(status_icon(chosen_status))
                self.matches.setItem(r, c, item)
        self.matches.resizeColumnsToContents()
        fit_table_height(self.matches, min_rows=1)

    def _fill_subscriptions(self, subs: CheckResult | None) -> None:
        self.subscriptions.setRowCount(0)
        rows = subscription_rows(subs) if subs else []
        if subs is None:
            self.subs_note.setText("Shown once a customer is found.")
        elif subs.status is Status.SKIP and not rows:
            self.subs_note.setText(subs.summary)  # why not: no customer yet, or no portal settings
        elif rows and any(r.status.is_problem for r in rows):
            limited = sum(1 for r in rows if r.status.is_problem)
            self.subs_note.setText(f"{limited} of {len(rows)} subscriptions are limited in the "
                                   "portal (see the last column).")
        else:
            self.subs_note.setText(subs.summary if subs else "")
        self.subscriptions.setRowCount(len(rows))
        for r, row in enumerate(rows):
            said = "; ".join(row.portal_can)
            cells = [row.subscription_id, row.subscription_status, row.plan, said[:1].upper() + said[1:]]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 3:
                    item.setIcon(status_icon(row.status))
                self.subscriptions.setItem(r, c, item)
        self.subscriptions.resizeColumnsToContents()
        fit_table_height(self.subscriptions, min_rows=1)

    def _fill_login(self, diagnosis: Diagnosis | None, email: str) -> None:
        link = diagnosis.findings_with(LOGIN_LINK_ON) if diagnosis else []
        url = link[0].text("url") if link else ""
        if diagnosis is None:
            self._login_url = ""
            self.login_note.setText("Shown after the diagnosis has read the portal settings.")
        elif not url or url == "—":
            self._login_url = ""
            self.login_note.setText("The no-code login link is off in this mode's portal settings. "
                                    "Turn it on there to give customers a link that needs no code.")
        else:
            self._login_url = url
            self.login_note.setText("Customers open this link and log in with a one-time code sent "
                                    "to their e-mail. The e-mail filled in can still be edited.")
        self._login_box.setVisible(bool(self._login_url))
        self.login_url.setText(self._login_url)
        self.login_url.setCursorPosition(0)
        if email and email != self.login_email.text():
            self.login_email.setText(email)
        self._update_login_link()

    def _update_login_link(self) -> None:
        url = prefilled_login_url(self._login_url, self.login_email.text().strip()) if self._login_url else ""
        self.prefilled_url.setText(url)
        self.prefilled_url.setCursorPosition(0)
        self.copy_login_button.setEnabled(bool(url))

    def _on_query_edited(self, text: str) -> None:
        self.customer_changed.emit(text.strip())

    def _request_portal(self) -> None:
        if self._customer_id:
            self.open_portal_requested.emit(self._customer_id)


PAGE = CustomerPage

"""The customer page's two views of the portal side by side: what the customer sees there (from
the configuration and their subscriptions, as the checks read them) and what Stripe itself said
when asked about each flow (Ask Stripe), with the line a call turns on when the two disagree.

Everything shown comes from the core (`diagnosis.asks`): this widget only lays it out, as plain
text (account data and Stripe's words are never rich text), and asks the window for the work.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from assistant.diagnosis.asks.interpret import explaining_step
from assistant.diagnosis.asks.model import ACCEPTED, ERROR, REFUSED, AskResult
from assistant.diagnosis.asks.portal_view import PortalView
from assistant.diagnosis.checks.messages import label
from assistant.diagnosis.status import Status
from assistant.knowledge import checklist
from assistant.report.asked import disagreement, sessions_line, verbatim
from assistant.report.stripe_said import HEADING as STRIPE_SAID
from assistant.ui.kit.plain import plain_tooltip
from assistant.ui.pages.common import configure_table, fit_table_height, heading, text_label
from assistant.ui.results.card import status_icon
from assistant.ui.state.display import shown_text
from assistant.ui.state.window_state import AskState

ASK_NOTE = ("Ask Stripe creates one portal session per flow, for this customer, with the configuration the "
            "owner's integration uses: Stripe checks each flow as it would for the owner's own buttons. No session "
            "is opened and no link is kept; each sends billing_portal.session.created to the owner's endpoints.")
COLUMNS = ["Flow", "Stripe", "The checks expected", "What it means"]
VIEW_COLUMNS = ["For", "In the portal", "What the customer finds"]
_OUTCOME_STATUS = {ACCEPTED: Status.PASS, REFUSED: Status.FAIL, ERROR: Status.ERROR}


def expected_text(result: AskResult) -> str:
    """What the checks expected, and whether Stripe agreed."""
    predicted = result.ask.predicted or "unknown"
    text = label("ask_predicted", predicted)
    if result.ask.predicted_said:
        text += f": {result.ask.predicted_said}"
    other = disagreement(result.ask.predicted or "", result.outcome)
    text = text[:1].upper() + text[1:]  # a cell of its own: the label is written to sit inside a line
    return f"{text}.\n{other}" if other else f"{text}."


def meaning_text(result: AskResult) -> str:
    """The finding's sentence, Stripe's words under it, then what to do."""
    parts = []
    if result.finding is not None:
        parts.append(result.finding.summary)
    error = result.answer.error
    if error is not None:
        extra = ", ".join(f"{n} {v}" for n, v in (("code", error.code), ("param", error.param),
                                                  ("request", error.request_id)) if v)
        parts.append(f"{STRIPE_SAID}: {verbatim(error.message)}" + (f" ({extra})" if extra else ""))
    if result.finding is not None and result.finding.fix and result.outcome != ACCEPTED:
        parts.append("What to do:\n" + "\n".join(f"{n}. {step}" for n, step in enumerate(result.finding.fix, 1)))
    return "\n".join(parts) if parts else label("ask_outcomes", ACCEPTED) + "."


class CustomerAsks(QWidget):
    """What the customer sees, and Ask Stripe with one row per flow."""

    ask_requested = Signal()
    step_requested = Signal(str)  # the step that explains the selected row's finding

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._results: tuple[AskResult, ...] = ()
        self._build_view()
        self._build_asks()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        shown: tuple[QWidget, ...] = (heading("What the customer sees"), self.view_heading, self.view_table,
                                      heading("Ask Stripe"), self.ask_note)
        for widget in shown:
            layout.addWidget(widget)
        layout.addLayout(self._ask_row)
        layout.addWidget(self.asks_said)
        layout.addWidget(self.asks_table)
        layout.addLayout(self._step_row)
        self.show_asks(AskState())

    def _build_view(self) -> None:
        self.view_heading = text_label("")
        self.view_table = QTableWidget(0, len(VIEW_COLUMNS))
        self.view_table.setObjectName("customerSees")
        self.view_table.setHorizontalHeaderLabels(VIEW_COLUMNS)
        self.view_table.setAccessibleName("What the customer sees in the portal")
        configure_table(self.view_table)

    def _build_asks(self) -> None:
        self.ask_note = text_label(ASK_NOTE)
        self.ask_button = QPushButton("Ask Stripe")
        self.ask_button.setObjectName("askStripe")
        self.ask_button.setToolTip("Ask Stripe, flow by flow, what this customer can do in the portal")
        self.ask_button.clicked.connect(self.ask_requested.emit)
        self._ask_row = QHBoxLayout()
        self._ask_row.addWidget(self.ask_button)
        self._ask_row.addStretch(1)
        self.asks_said = text_label("")
        self.asks_said.setObjectName("asksSaid")
        self.asks_table = QTableWidget(0, len(COLUMNS))
        self.asks_table.setObjectName("asksTable")
        self.asks_table.setHorizontalHeaderLabels(COLUMNS)
        self.asks_table.setAccessibleName("What Stripe said of each flow")
        configure_table(self.asks_table)
        self.asks_table.setWordWrap(True)
        self.asks_table.itemSelectionChanged.connect(self._selection_changed)
        self.step_button = QPushButton("")
        self.step_button.clicked.connect(self._go_to_step)
        self._step = ""
        self._step_row = QHBoxLayout()
        self._step_row.addWidget(self.step_button)
        self._step_row.addStretch(1)

    # -- what is shown -------------------------------------------------------------------------
    def show_asks(self, state: AskState) -> None:
        self._fill_view(state.view)
        self.ask_button.setText("Asking Stripe…" if state.busy else "Ask Stripe")
        self._results = state.run.results if state.run is not None else ()
        said = state.said or (sessions_line(state.run.sessions_created) if state.run is not None else "")
        self.asks_said.setText(shown_text(said))
        self.asks_said.setVisible(bool(said))
        self._fill_rows()

    def _fill_rows(self) -> None:
        table = self.asks_table
        table.setRowCount(len(self._results))
        for row, result in enumerate(self._results):
            cells = [result.ask.said, label("ask_outcomes", result.outcome), expected_text(result),
                     meaning_text(result)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(shown_text(text))
                item.setToolTip(plain_tooltip(shown_text(text)))
                if column == 1:
                    item.setIcon(status_icon(_OUTCOME_STATUS[result.outcome]))
                if column == 2 and result.disagrees:
                    item.setIcon(status_icon(Status.WARN))
                table.setItem(row, column, item)
        table.setVisible(bool(self._results))
        fit_table_height(table, min_rows=1)
        table.resizeRowsToContents()
        self._selection_changed()

    def _fill_view(self, view: PortalView | None) -> None:
        """One row per action: the customer's own first, then each subscription's."""
        table = self.view_table
        table.setRowCount(0)
        if view is None:
            self.view_heading.setText(label("portal_view", "no_customer"))
            table.hide()
            return
        self.view_heading.setText(shown_text(view.heading))
        table.setVisible(view.judged)
        if not view.judged:
            return
        groups = [(label("portal_view", "this_customer"), view.customer_actions)]
        for sub in view.subscriptions:
            said = shown_text(f"{sub.said} ({sub.subscription_id}, {sub.status or 'unknown status'})")
            groups.append((said[:1].upper() + said[1:], sub.actions))
        rows = [(who if i == 0 else "", action) for who, actions in groups for i, action in enumerate(actions)]
        table.setRowCount(len(rows))
        for row, (who, action) in enumerate(rows):
            found = shown_text(action.found)
            for column, text in enumerate((who, action.title, found)):
                item = QTableWidgetItem(text)
                item.setToolTip(plain_tooltip(text))
                if column == 1:
                    item.setIcon(status_icon(Status.PASS if action.offered else Status.SKIP))
                    item.setData(Qt.ItemDataRole.UserRole, action.key)
                table.setItem(row, column, item)
        fit_table_height(table, min_rows=1)
        table.resizeRowsToContents()

    def view_texts(self) -> list[list[str]]:
        """What the customer sees, row by row, as shown (tests, screenshots)."""
        return _texts(self.view_table)

    # -- the step that explains a row ----------------------------------------------------------
    def _selection_changed(self) -> None:
        rows = self.asks_table.selectionModel().selectedRows() if self.asks_table.selectionModel() else []
        result = self._results[rows[0].row()] if rows and rows[0].row() < len(self._results) else None
        self._step = explaining_step(result.finding.code) if result is not None and result.finding else ""
        if self._step:
            number = checklist.step_ids().index(self._step) + 1
            self.step_button.setText(f"Go to step {number}, {checklist.step(self._step).title}")
        self.step_button.setVisible(bool(self._step))

    def _go_to_step(self) -> None:
        if self._step:
            self.step_requested.emit(self._step)

    def row_texts(self) -> list[list[str]]:
        """Each ask's row, as shown (tests, screenshots)."""
        return _texts(self.asks_table)


def _texts(table: QTableWidget) -> list[list[str]]:
    return [[item.text() if (item := table.item(r, c)) is not None else "" for c in range(table.columnCount())]
            for r in range(table.rowCount())]

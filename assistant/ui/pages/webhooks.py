"""Step "webhooks": which endpoint hears which portal event, as a grid with marks and words.

The grid is the check's own endpoint rows and missing-event findings; the page decides nothing.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.webhooks import (
    CID,
    REQUIRED_EVENTS,
    WEBHOOKS_COMPLETE,
    EndpointRow,
    endpoint_rows,
    missing_events,
)
from assistant.diagnosis.model import Status
from assistant.diagnosis.run import RunOutcome
from assistant.knowledge.base import KnowledgeBase
from assistant.ui.kit.clipboard import Clipboard
from assistant.ui.kit.plain import plain_tooltip
from assistant.ui.kit.table_fit import fitter
from assistant.ui.pages.common import (
    ResultsPage,
    cell_text,
    configure_table,
    fit_table_height,
    heading,
    text_label,
)
from assistant.ui.results.card import status_icon

YES = msg.label("event_marks", "receives")
ALL = msg.label("event_marks", "receives_all")
NO = msg.label("event_marks", "not_received")
COVERED = msg.label("event_marks", "covered")
MISSING = msg.label("event_marks", "missing")
RECEIVES_NOTHING = msg.label("event_marks", "receives_nothing")
COVERAGE_ROW = "Any enabled endpoint"
COVERAGE_HEADER = "Together"
ROW_LABELS = ("Endpoint URL", "Status", *REQUIRED_EVENTS)


def endpoint_marks(row: EndpointRow) -> list[str]:
    if row.all_events:
        return [ALL] * len(REQUIRED_EVENTS)
    return [YES if on else NO for on in row.receives]


class WebhooksPage(ResultsPage):
    """The five portal events (rows) × the endpoints (columns), with each endpoint's URL and
    status on top and a last column saying what is missing. Events down the side, not across:
    five long event names as columns squeezed every cell to "…" beside the glossary."""

    step_id = "webhooks"

    def __init__(
        self,
        knowledge: KnowledgeBase | None = None,
        clipboard: Clipboard | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(knowledge, clipboard, parent)
        self._missing: list[str] = []
        self.note = text_label("")
        self.grid = QTableWidget(0, 1)
        self.grid.verticalHeader().hide()
        configure_table(self.grid)
        fitter(self.grid).whole = {0}  # the event names read in full; a long URL gives way (tooltip)
        self.grid.setAccessibleName("Portal events each webhook endpoint receives")
        self.copy_events_button = QPushButton("Copy the five event names")
        self.copy_events_button.setToolTip("For the owner to paste when adding events to an endpoint")
        self.copy_events_button.clicked.connect(self.copy_events)
        self.open_button = QPushButton("Open webhooks in Dashboard")
        self.connect_open(self.open_button, lambda: self.dashboard("webhooks"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_events_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        self.add_content(heading("Portal events per endpoint"), self.note, self.grid, buttons)
        self.body.addStretch(1)
        self.render_outcome(None)

    def missing(self) -> list[str]:
        return list(self._missing)

    def copy_events(self) -> None:
        self.clipboard().setText("\n".join(REQUIRED_EVENTS))

    def render_outcome(self, outcome: RunOutcome | None) -> None:
        """The endpoints and missing events as the check found them; its summary as the note."""
        self.grid.setColumnCount(1)
        result = outcome.diagnosis.check(CID) if outcome else None
        if result is None:
            self._missing = []
            self.note.setText("Run the diagnosis to see the webhook endpoints.")
            self._show_grid(0)
            return
        rows = endpoint_rows(result)
        missing = missing_events(result)
        self._missing = [e for e in REQUIRED_EVENTS if e in missing]
        self.note.setText(result.summary)
        read = bool(rows) or bool(missing) or result.has(WEBHOOKS_COMPLETE)
        if not read:  # skipped or an error: the summary says why, there is no grid
            self._show_grid(0)
            return
        self._show_grid(len(rows) + 1)
        for c, row in enumerate(rows, start=1):
            self.grid.setHorizontalHeaderItem(c, QTableWidgetItem(f"Endpoint {c}"))
            url = QTableWidgetItem(row.url if row.url not in ("", "—") else row.endpoint_id)
            url.setToolTip(plain_tooltip(url.text()))
            self.grid.setItem(0, c, url)
            status_item = QTableWidgetItem((row.endpoint_status or "—").capitalize())
            if row.status is not Status.PASS:
                status_item.setIcon(status_icon(row.status))
                status_item.setText(f"{row.endpoint_status.capitalize()} ({RECEIVES_NOTHING})")
            self.grid.setItem(1, c, status_item)
            for r, mark in enumerate(endpoint_marks(row), start=2):
                self.grid.setItem(r, c, QTableWidgetItem(mark))
        last = len(rows) + 1
        self.grid.setHorizontalHeaderItem(last, QTableWidgetItem(COVERAGE_HEADER))
        self.grid.setItem(0, last, QTableWidgetItem(COVERAGE_ROW))
        self.grid.setItem(1, last, QTableWidgetItem(""))
        for r, event in enumerate(REQUIRED_EVENTS, start=2):
            gap = missing.get(event)
            item = QTableWidgetItem(status_icon(gap.status if gap else Status.PASS),
                                    MISSING if gap else COVERED)
            self.grid.setItem(r, last, item)
        fit_table_height(self.grid, min_rows=2)

    def _show_grid(self, columns: int) -> None:
        """The row labels in the first column, then `columns` columns (none before a run)."""
        self.grid.setColumnCount(1 + columns)
        self.grid.setHorizontalHeaderItem(0, QTableWidgetItem("Portal event"))
        self.grid.setRowCount(len(ROW_LABELS) if columns else 0)
        for r, label in enumerate(ROW_LABELS if columns else ()):
            item = QTableWidgetItem(label)
            item.setToolTip(plain_tooltip(label))
            self.grid.setItem(r, 0, item)
        if not columns:
            fit_table_height(self.grid)

    def grid_rows(self) -> list[list[str]]:
        """Per endpoint (then the coverage column): URL, status, then a mark per event."""
        g = self.grid
        return [[cell_text(g, r, c) for r in range(g.rowCount())]
                for c in range(1, g.columnCount())]

    def event_labels(self) -> list[str]:
        return [cell_text(self.grid, r, 0) for r in range(2, self.grid.rowCount())]


PAGE = WebhooksPage
